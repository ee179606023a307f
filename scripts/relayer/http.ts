// HTTP helpers of the relayer: JSON answers with `{error: {code, message}}`, bounded bodies, Origin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodError } from 'zod';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

export function zodMessage(err: ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');
}

/**
 * Origin is checked before anything else, and refusal is a 403, not a missing CORS header: a web
 * page's "simple" POST would otherwise still be processed (CORS only hides the answer from the page).
 * No Origin → served: browsers send Origin on every cross-origin fetch and every POST, so such a
 * request comes from a program (a script, the tests, curl), which no origin check can stop anyway.
 */
export function checkOrigin(req: IncomingMessage, res: ServerResponse, allowed: ReadonlySet<string>): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  res.setHeader('Vary', 'Origin');
  if (!allowed.has(origin)) {
    throw new ApiError(403, 'origin_not_allowed', `Origin ${JSON.stringify(origin).slice(0, 200)} may not use this relayer.`);
  }
  res.setHeader('Access-Control-Allow-Origin', origin);
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'content-type');
    res.setHeader('Access-Control-Max-Age', '600');
  }
}

/**
 * The whole body, at most `limit` bytes. An oversized body is drained (up to 16× the limit) before the
 * 413 goes out: answering while the client still writes makes fetch report a socket error instead.
 */
export function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = () => new ApiError(413, 'too_large', `The request body is larger than ${limit} bytes.`);
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit * 16) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * 16) req.destroy();
    });
    req.on('end', () => {
      if (size > limit) return reject(tooLarge());
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(new ApiError(400, 'invalid_json', `The body is not JSON: ${(e as Error).message}`));
      }
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new ApiError(400, 'aborted', 'The request was aborted.'));
    });
  });
}
