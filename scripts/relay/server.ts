// XMTP-V2-message-API-compatible relay (the subset xmtp-js 13.x calls), on Node's http module only.
// Stores and serves envelopes as opaque ciphertext; see README.md for the API and the reasons.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { Grpc, HttpError, readJson, sendError, sendJson, setCors, zodMessage } from './http';
import { batchQuerySchema, bearerSchema, LIMITS, publishSchema, querySchema, subscribeSchema, type QueryRequest } from './schemas';
import { EnvelopeStore } from './store';
import { Subscriptions } from './subscriptions';

export interface RelayOptions {
  port?: number; // 0 (default): a free port
  dataDir: string;
  host?: string; // default 127.0.0.1: the relay is for local and private deployments
  durable?: boolean; // fsync every append (slower; survives power loss, not just a process restart)
  log?: (line: string) => void;
}

export interface Relay {
  url: string;
  port: number;
  dataFile: string;
  /** Open subscribe streams that include `topic`: lets tests publish only once a stream is live. */
  subscriberCount(topic: string): number;
  envelopeCount(): number;
  close(): Promise<void>;
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, Grpc.INVALID_ARGUMENT, zodMessage(r.error));
  return r.data;
}

export async function startRelay(opts: RelayOptions): Promise<Relay> {
  const store = new EnvelopeStore(opts.dataDir, opts.durable);
  store.open();
  const subs = new Subscriptions();
  const log = opts.log ?? (() => {});

  function runQuery(q: QueryRequest) {
    const { envelopes, cursor } = store.query(q);
    return {
      envelopes: envelopes.map((e) => ({ contentTopic: e.contentTopic, timestampNs: e.timestampNs, message: e.message })),
      pagingInfo: {
        limit: q.limit,
        direction: q.descending ? 'SORT_DIRECTION_DESCENDING' : 'SORT_DIRECTION_ASCENDING',
        ...(cursor ? { cursor } : {}),
      },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setCors(req, res);
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && path === '/health') return sendJson(res, 200, { ok: true, envelopes: store.size });
    if (req.method === 'GET' && path === '/debug/subscribers') {
      // Only per named topic: the relay does not enumerate topics (they reveal who talks to whom).
      const topic = new URL(req.url ?? '/', 'http://relay').searchParams.get('topic');
      return sendJson(res, 200, topic ? { topic, count: subs.count(topic) } : { total: subs.total });
    }
    if (!path.startsWith('/message/v1/')) throw new HttpError(404, Grpc.NOT_FOUND, `no such endpoint: ${path}`);
    if (req.method !== 'POST') throw new HttpError(405, Grpc.UNIMPLEMENTED, 'use POST');

    switch (path) {
      case '/message/v1/publish': {
        // Checked before reading the body: xmtp-js refreshes its token and retries once on code 16.
        const auth = bearerSchema.safeParse(req.headers.authorization ?? '');
        if (!auth.success) throw new HttpError(401, Grpc.UNAUTHENTICATED, zodMessage(auth.error));
        const { envelopes } = parse(publishSchema, await readJson(req, LIMITS.maxBodyBytes));
        for (const e of envelopes) {
          const { env, added } = store.insert(e.contentTopic, e.timestampNs, e.message);
          if (added) subs.publish(env); // a republished duplicate is neither stored nor streamed again
        }
        return sendJson(res, 200, {});
      }
      case '/message/v1/query':
        return sendJson(res, 200, runQuery(parse(querySchema, await readJson(req, LIMITS.maxBodyBytes))));
      case '/message/v1/batch-query': {
        const { requests } = parse(batchQuerySchema, await readJson(req, LIMITS.maxBodyBytes));
        return sendJson(res, 200, { responses: requests.map(runQuery) });
      }
      case '/message/v1/subscribe': {
        const { contentTopics } = parse(subscribeSchema, await readJson(req, LIMITS.maxBodyBytes));
        req.socket.setNoDelay(true);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
        // Flush now: fetch() resolves on headers, and the client only then considers itself subscribed.
        res.flushHeaders();
        subs.add(contentTopics, res);
        return;
      }
      default:
        throw new HttpError(404, Grpc.NOT_FOUND, `no such endpoint: ${path}`);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const err = e instanceof HttpError ? e : new HttpError(500, Grpc.INTERNAL, 'internal error');
      if (!(e instanceof HttpError)) log(`relay: ${req.method} ${req.url} failed: ${(e as Error)?.stack ?? e}`);
      if (err.status === 413) res.setHeader('Connection', 'close');
      sendError(res, err);
    });
  });
  // Malformed HTTP never reaches the handler; answer it rather than letting Node drop it silently.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  log(`relay: listening on ${url}, ${store.size} envelopes loaded from ${store.filePath}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    dataFile: store.filePath,
    subscriberCount: (topic) => subs.count(topic),
    envelopeCount: () => store.size,
    close() {
      closing ??= new Promise<void>((resolve) => {
        subs.endAll();
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections(); // idle keep-alive sockets would otherwise hold close() open
      });
      return closing;
    },
  };
}
