// Small HTTP helpers: JSON responses in grpc-gateway error shape, bounded body reading.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodError } from 'zod';

// gRPC status codes: xmtp-js turns `{code, message}` error bodies into GrpcError and treats 16 specially.
export const Grpc = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13, UNAUTHENTICATED: 16 };

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** For 429: seconds after which the same request may succeed. */
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

// Both shapes the client reads: fetchReq reads `message`/`code`, the streaming call reads `error.message`.
export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, { code: err.code, message: err.message, details: [], error: { code: err.code, message: err.message } });
}

export function zodMessage(err: ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');
}

/**
 * Reads the whole body, at most `limit` bytes. An oversized body is drained (up to a hard cap) before the
 * 413 is sent, because answering while the client is still writing makes fetch report a socket error
 * instead of the status.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const hardCap = limit * 16;
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > hardCap) {
      reject(new HttpError(413, Grpc.RESOURCE_EXHAUSTED, `request body exceeds ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > hardCap) req.destroy();
    });
    req.on('end', () => {
      if (size > limit) reject(new HttpError(413, Grpc.RESOURCE_EXHAUSTED, `request body exceeds ${limit} bytes`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new HttpError(400, Grpc.INVALID_ARGUMENT, 'request aborted'));
    });
  });
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, Grpc.INVALID_ARGUMENT, `invalid JSON body: ${(e as Error).message}`);
  }
}
