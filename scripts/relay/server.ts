// XMTP-V2-message-API-compatible relay (the subset xmtp-js 13.x calls), on Node's http module only.
// Stores and serves envelopes as opaque ciphertext; checks who calls (Origin), who writes (auth token,
// topic ownership) and how much (quotas, caps). See README.md for the API and the reasons.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { EXTENSION_ORIGIN } from '../../shared/settings/extension-id';
import { TokenVerifier, type VerifiedToken } from './auth';
import { Grpc, HttpError, readJson, sendError, sendJson, zodMessage } from './http';
import { byteRate, type LimitOverrides, withDefaults } from './limits';
import { checkOrigin } from './origin';
import { Buckets, chargeAll, type Charge } from './quotas';
import { batchQuerySchema, bearerSchema, LIMITS, publishSchema, querySchema, subscribeSchema, type QueryRequest } from './schemas';
import { EnvelopeStore } from './store';
import { Subscriptions } from './subscriptions';
import { isPrivateRead, mayPublish } from './topics';

export interface RelayOptions {
  port?: number; // 0 (default): a free port
  dataDir: string;
  host?: string; // default 127.0.0.1: the relay is for local and private deployments
  durable?: boolean; // fsync every append (slower; survives power loss, not just a process restart)
  log?: (line: string) => void;
  /** Browser origins allowed to call (default: the extension's fixed origin). Requests without Origin pass. */
  allowedOrigins?: string[];
  /**
   * 'open' (default): invite-/intro-/privatestore- topics are readable without a token, because xmtp-js 13
   * sends its token on publish only. 'owner': reading them needs the owner's token (README, "Reads").
   */
  privateReads?: 'open' | 'owner';
  limits?: LimitOverrides;
  /** Clock in ms (tests move it to check retention and token age). */
  now?: () => number;
}

export interface Relay {
  url: string;
  port: number;
  dataFile: string;
  /** Open subscribe streams that include `topic`: lets tests publish only once a stream is live. */
  subscriberCount(topic: string): number;
  streamCount(): number;
  envelopeCount(): number;
  /** Runs the retention sweep now (it also runs at start and on a timer); returns how many were dropped. */
  expireNow(): number;
  close(): Promise<void>;
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, Grpc.INVALID_ARGUMENT, zodMessage(r.error));
  return r.data;
}

const tooMany = (what: string, waitS: number) =>
  new HttpError(429, Grpc.RESOURCE_EXHAUSTED, `${what}; retry later`, Number.isFinite(waitS) ? Math.ceil(waitS) : 60);

export async function startRelay(opts: RelayOptions): Promise<Relay> {
  const limits = withDefaults(opts.limits);
  const clock = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const allowedOrigins = new Set(opts.allowedOrigins ?? [EXTENSION_ORIGIN]);
  const store = new EnvelopeStore(opts.dataDir, opts.durable);
  const opened = store.open(clock(), limits.retentionMs);
  const subs = new Subscriptions(limits.maxStreams, limits.maxStreamsPerIp);
  const tokens = new TokenVerifier(limits.tokenMaxAgeMs, limits.tokenSkewMs);
  const quota = {
    identity: new Buckets(byteRate(limits.identity)),
    wallet: new Buckets(byteRate(limits.wallet)),
    ipBytes: new Buckets(byteRate(limits.ip)),
    ipRequests: new Buckets({ burst: limits.ip.requestsBurst, perS: limits.ip.requestsPerS }),
  };

  /** The token of a request that carries one (401 if it is bad), undefined if it carries none. */
  function tokenOf(req: IncomingMessage, required: boolean): VerifiedToken | undefined {
    const header = req.headers.authorization;
    if (header === undefined && !required) return undefined;
    const bearer = bearerSchema.safeParse(header ?? '');
    if (!bearer.success) throw new HttpError(401, Grpc.UNAUTHENTICATED, zodMessage(bearer.error));
    return tokens.verify(bearer.data, clock());
  }

  function checkReads(topics: string[], reader: VerifiedToken | undefined): void {
    if (opts.privateReads !== 'owner') return;
    for (const t of topics) {
      const owner = isPrivateRead(t);
      if (owner && owner !== reader?.wallet.toLowerCase()) throw new HttpError(403, Grpc.PERMISSION_DENIED, `only its owner may read ${t}`);
    }
  }

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

  async function publish(req: IncomingMessage, ip: string): Promise<void> {
    // The token is checked before the body is read: xmtp-js refreshes its token and retries once on 16.
    const writer = tokenOf(req, true)!;
    const { envelopes } = parse(publishSchema, await readJson(req, LIMITS.maxBodyBytes));
    for (const e of envelopes) {
      if (!mayPublish(e.contentTopic, writer.wallet)) throw new HttpError(403, Grpc.PERMISSION_DENIED, `only its owner may publish to ${e.contentTopic}`);
    }
    const fresh = envelopes.filter((e) => !store.has(e.contentTopic, e.timestampNs, e.message)); // retries are free
    const bytes = fresh.reduce((n, e) => n + Buffer.byteLength(e.message, 'base64'), 0);
    if (store.bytes + bytes > limits.maxStoredBytes) throw tooMany('the relay is full', limits.expireEveryMs / 1000);
    const cost = bytes + fresh.length * limits.envelopeOverheadBytes;
    const charges: Charge[] = [
      { buckets: quota.identity, key: writer.identityKey, cost },
      { buckets: quota.wallet, key: writer.wallet.toLowerCase(), cost },
      { buckets: quota.ipBytes, key: ip, cost },
    ];
    const wait = chargeAll(charges, clock());
    if (wait > 0) throw tooMany('publish quota exceeded', wait);
    const arrival = clock();
    for (const e of fresh) {
      const { env, added } = store.insert(e.contentTopic, e.timestampNs, e.message, arrival);
      if (added) subs.publish(env); // a republished duplicate is neither stored nor streamed again
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkOrigin(req, res, allowedOrigins); // first: a refused origin costs nothing else
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    const wait = chargeAll([{ buckets: quota.ipRequests, key: ip, cost: 1 }], clock());
    if (wait > 0) throw tooMany('too many requests from this address', wait);

    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    if (req.method === 'GET' && path === '/health') return sendJson(res, 200, { ok: true });
    if (!path.startsWith('/message/v1/')) throw new HttpError(404, Grpc.NOT_FOUND, `no such endpoint: ${path}`);
    if (req.method !== 'POST') throw new HttpError(405, Grpc.UNIMPLEMENTED, 'use POST');

    switch (path) {
      case '/message/v1/publish':
        await publish(req, ip);
        return sendJson(res, 200, {});
      case '/message/v1/query': {
        const reader = tokenOf(req, false);
        const q = parse(querySchema, await readJson(req, LIMITS.maxBodyBytes));
        checkReads(q.contentTopics, reader);
        return sendJson(res, 200, runQuery(q));
      }
      case '/message/v1/batch-query': {
        const reader = tokenOf(req, false);
        const { requests } = parse(batchQuerySchema, await readJson(req, LIMITS.maxBodyBytes));
        for (const q of requests) checkReads(q.contentTopics, reader);
        return sendJson(res, 200, { responses: requests.map(runQuery) });
      }
      case '/message/v1/subscribe': {
        const reader = tokenOf(req, false);
        const { contentTopics } = parse(subscribeSchema, await readJson(req, LIMITS.maxBodyBytes));
        checkReads(contentTopics, reader);
        if (!subs.hasRoom(ip)) throw tooMany('too many open streams', 5);
        req.socket.setNoDelay(true);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
        // Flush now: fetch() resolves on headers, and the client only then considers itself subscribed.
        res.flushHeaders();
        subs.add(contentTopics, res, ip);
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
      // Refused before (or while) reading the body: close rather than parse what the client still sends.
      if (!req.complete || err.status === 413) {
        res.setHeader('Connection', 'close');
        req.resume();
      }
      if (err.retryAfterS !== undefined) res.setHeader('Retry-After', String(err.retryAfterS));
      sendError(res, err);
    });
  });
  server.maxConnections = limits.maxConnections;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000; // the whole request (not the response: streams stay open)
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
  log(`relay: listening on ${url}, ${opened.loaded} envelopes loaded (${opened.dropped} past retention dropped) from ${store.filePath}`);

  const expireNow = () => store.expire(clock(), limits.retentionMs);
  const sweeper = setInterval(() => {
    const n = expireNow();
    if (n > 0) log(`relay: ${n} envelopes past retention dropped`);
  }, limits.expireEveryMs);
  sweeper.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    dataFile: store.filePath,
    subscriberCount: (topic) => subs.count(topic),
    streamCount: () => subs.total,
    envelopeCount: () => store.size,
    expireNow,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(sweeper);
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
