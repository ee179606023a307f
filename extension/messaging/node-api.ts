import { z } from 'zod';
import { fromBase64 } from '../../shared/crypto/bytes';
import { logError } from '../logging/log';

/**
 * The reads every messaging identity shares, straight on the XMTP V2 message API (JSON over HTTP, as the
 * relay in scripts/relay/ and xmtp-js speak it): ONE subscribe stream for all identities' topics and
 * batched queries. xmtp-js would open one long-lived stream per client, and Chromium allows about six
 * HTTP/1.1 connections per host, so sends stall from about six counterparties on; here the number of
 * connections does not grow with relationships. Writes (publish) stay with each identity's client,
 * which signs them with that identity's token. Reads carry no token (xmtp-js 13 sends none either).
 * Every answer is parsed by the schemas below.
 */
export interface NodeEnvelope {
  topic: string;
  /** Sender's timestamp, nanoseconds (decimal string as on the wire; compare as BigInt). */
  timestampNs: string;
  message: Uint8Array;
}

export interface TopicQuery {
  topic: string;
  /** Inclusive lower bound, nanoseconds. */
  startNs?: string;
}

const Envelope = z.object({
  contentTopic: z.string().min(1).max(512),
  timestampNs: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]).transform(String),
  message: z.string().max(2 * 1024 * 1024),
});
const Cursor = z.object({ index: z.object({ digest: z.string().max(100), senderTimeNs: z.union([z.string(), z.number()]) }) });
const QueryResponse = z.object({
  envelopes: z.array(Envelope).max(500).optional(),
  pagingInfo: z.object({ cursor: Cursor.optional() }).passthrough().optional(),
});
const BatchResponse = z.object({ responses: z.array(QueryResponse).max(50) });
const StreamLine = z.object({ result: Envelope });

/** The relay's bound (and xmtp-js's): at most 50 queries per batch request. */
export const MAX_QUERIES_PER_BATCH = 50;
const PAGE = 100;
const ASCENDING = 'SORT_DIRECTION_ASCENDING';

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

const toEnvelope = (e: z.infer<typeof Envelope>): NodeEnvelope => ({ topic: e.contentTopic, timestampNs: e.timestampNs, message: fromBase64(e.message) });

export class NodeApi {
  private readonly base: string;

  constructor(url: string, private readonly fetcher: typeof fetch = (...a) => fetch(...a)) {
    this.base = url.replace(/\/+$/, '');
  }

  private async post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const res = await this.fetcher(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    if (!res.ok) throw new Error(`The messaging node answered ${res.status}.`);
    return res;
  }

  /**
   * Every envelope on `queries`' topics at or after their start, oldest first per topic, one page per
   * topic per round: each round is one HTTP request per 50 queries (one for up to 50 topics), and only
   * topics with more pages go into the next round. `onPage` gets each topic's page as it comes.
   */
  async batchQuery(queries: TopicQuery[], onPage: (query: TopicQuery, envelopes: NodeEnvelope[]) => Promise<void>): Promise<void> {
    let round = queries.map((q) => ({ q, cursor: undefined as unknown }));
    while (round.length) {
      const next: typeof round = [];
      for (let i = 0; i < round.length; i += MAX_QUERIES_PER_BATCH) {
        const chunk = round.slice(i, i + MAX_QUERIES_PER_BATCH);
        const requests = chunk.map(({ q, cursor }) => ({
          contentTopics: [q.topic],
          ...(q.startNs ? { startTimeNs: q.startNs } : {}),
          pagingInfo: { limit: PAGE, direction: ASCENDING, ...(cursor ? { cursor } : {}) },
        }));
        const parsed = BatchResponse.parse(await (await this.post('/message/v1/batch-query', { requests })).json());
        if (parsed.responses.length !== chunk.length) throw new Error('The messaging node answered a different number of queries.');
        for (const [j, response] of parsed.responses.entries()) {
          const envelopes = (response.envelopes ?? []).map(toEnvelope);
          if (envelopes.length) await onPage(chunk[j]!.q, envelopes);
          const cursor = response.pagingInfo?.cursor;
          if (cursor && envelopes.length) next.push({ q: chunk[j]!.q, cursor });
        }
      }
      round = next;
    }
  }

  /** Which topics hold at least one envelope (one request per 50 topics). */
  async nonEmpty(topics: string[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (let i = 0; i < topics.length; i += MAX_QUERIES_PER_BATCH) {
      const chunk = topics.slice(i, i + MAX_QUERIES_PER_BATCH);
      const requests = chunk.map((t) => ({ contentTopics: [t], pagingInfo: { limit: 1, direction: ASCENDING } }));
      const parsed = BatchResponse.parse(await (await this.post('/message/v1/batch-query', { requests })).json());
      for (const [j] of chunk.entries()) out.push((parsed.responses[j]?.envelopes?.length ?? 0) > 0);
    }
    return out;
  }

  /**
   * One stream for all `topics` (one JSON line per envelope). `ready` resolves once the node accepted it
   * (it flushes headers after registering the stream) and rejects if it did not; after that, `onLost` is
   * called once if the stream ends or fails without `stop()` (the caller catches up and subscribes again).
   */
  subscribe(topics: string[], onEnvelope: (e: NodeEnvelope) => void, onLost: () => void): { ready: Promise<void>; stop(): void } {
    const abort = new AbortController();
    let ready!: () => void;
    let failed!: (e: unknown) => void;
    const readyPromise = new Promise<void>((res, rej) => ((ready = res), (failed = rej)));
    void (async () => {
      let res: Response;
      try {
        res = await this.post('/message/v1/subscribe', { contentTopics: topics }, abort.signal);
      } catch (error) {
        return failed(error); // never subscribed: the caller sees `ready` reject, not `onLost`
      }
      ready();
      try {
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (!line) continue;
            const parsed = StreamLine.safeParse(parseJson(line));
            if (parsed.success) onEnvelope(toEnvelope(parsed.data.result)); // anything else on the stream is ignored
          }
        }
      } catch (error) {
        // a dropped connection: reported below unless we stopped it ourselves
        if (!abort.signal.aborted) logError('messaging', 'the message stream dropped', error);
      }
      if (!abort.signal.aborted) onLost();
    })();
    readyPromise.catch(() => undefined);
    return { ready: readyPromise, stop: () => abort.abort() };
  }
}
