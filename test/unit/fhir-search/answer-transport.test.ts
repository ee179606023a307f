import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { startBridge } from '../../../extension/bridge/bridge';
import { createProvider, type ProviderWindow } from '../../../extension/page-world/provider';
import { FakePageWindow, FakePort, installFakePorts, pageSender } from '../boundary/fake-page';

/**
 * A search page travels back as JSON text (background/page-port.ts → bridge → provider): the page
 * gets the same Bundle, small answers stay objects, and the audit hook still sees the answer object
 * after it was posted. The real provider, bridge and port handler; the page API and the audit hook
 * are stand-ins that record what they are given.
 */
const ORIGIN = 'https://portal.example';
const BUNDLE = {
  resourceType: 'Bundle',
  type: 'searchset',
  link: [{ relation: 'self', url: 'securemed:search?_count=2' }],
  entry: [
    { fullUrl: 'urn:uuid:1', resource: { resourceType: 'Observation', id: 'a', note: [{ text: 'quote " and \\ backslash, ünïcödé, \u2028' }] }, search: { mode: 'match' } },
    { fullUrl: 'urn:uuid:2', resource: { resourceType: 'Observation', id: 'b', valueQuantity: { value: 1.5 } }, search: { mode: 'match' } },
  ],
};
/** What the stand-in page API answers a search with (BUNDLE unless a test says otherwise). */
let searchAnswer: unknown = BUNDLE;
const events: string[] = [];
const audited: Array<{ method: string; result?: unknown }> = [];

vi.mock('../../../extension/page-api', () => ({
  handlePageCall: async (method: string) => (method === 'securemed_search' ? structuredClone(searchAnswer) : { connected: true }),
}));
vi.mock('../../../extension/audit/record', () => ({
  auditCall: (call: { method: string; result?: unknown }) => {
    events.push('audit');
    audited.push(call);
  },
}));

let ports: ReturnType<typeof installFakePorts>;

beforeEach(async () => {
  fakeBrowser.reset();
  searchAnswer = BUNDLE;
  events.length = 0;
  audited.length = 0;
  ports = installFakePorts(pageSender(ORIGIN));
  const post = FakePort.prototype.postMessage;
  vi.spyOn(FakePort.prototype, 'postMessage').mockImplementation(function (this: FakePort, message: unknown) {
    const type = (message as { type?: string }).type;
    if (type === 'page.response') events.push('answer posted');
    if (type === 'page.response.part') events.push('part');
    post.call(this, message);
  });
  const { listenForPages } = await import('../../../extension/background/page-port');
  listenForPages();
});
afterEach(() => vi.restoreAllMocks());

function openPage() {
  const win = new FakePageWindow(ORIGIN);
  const provider = createProvider(win as unknown as ProviderWindow);
  startBridge(win);
  return { win, provider };
}

describe('the answer of a search crosses to the page as JSON text', () => {
  it('the page gets the same Bundle; the bridge passes one string; the audit sees the object after the post', async () => {
    const { win, provider } = openPage();
    await expect(provider.request({ method: 'securemed_search', params: { _count: 2 } })).resolves.toEqual(BUNDLE);
    const answer = win.posted.find((m) => (m as { kind?: string }).kind === 'response') as { resultJson?: unknown; result?: unknown };
    expect(typeof answer.resultJson).toBe('string');
    expect(answer.result).toBeUndefined();
    expect(JSON.parse(answer.resultJson as string)).toEqual(BUNDLE);
    expect(audited).toEqual([expect.objectContaining({ method: 'securemed_search', result: BUNDLE })]);
    expect(events).toEqual(['answer posted', 'audit']);
    expect(ports.connect).toHaveBeenCalledTimes(1);
  });

  it('small answers (status) stay objects', async () => {
    const { win, provider } = openPage();
    await expect(provider.request({ method: 'securemed_status' })).resolves.toEqual({ connected: true });
    const answer = win.posted.find((m) => (m as { kind?: string }).kind === 'response') as { resultJson?: unknown; result?: unknown };
    expect(answer.resultJson).toBeUndefined();
    expect(answer.result).toEqual({ connected: true });
  });

  it('answer text that does not parse rejects with -32603 instead of hanging', async () => {
    const win = new FakePageWindow(ORIGIN);
    const provider = createProvider(win as unknown as ProviderWindow);
    const pending = provider.request({ method: 'securemed_search' });
    const sent = win.posted[0] as { id: string };
    win.deliver({ channel: 'securemed', direction: 'to-page', kind: 'response', id: sent.id, resultJson: '{"resourceType":' }, win);
    await expect(pending).rejects.toMatchObject({ code: -32603 });
  });
});

describe('the Bundle text assembled from the resources already serialized', () => {
  it('equals JSON.stringify of the Bundle, with and without next, with odd characters', async () => {
    const { searchsetBundle, withJsonText, answerJson } = await import('../../../extension/fhir-search/bundle');
    const resources = BUNDLE.entry.map((e) => e.resource);
    const entries = BUNDLE.entry.map((e) => ({ fullUrl: e.fullUrl, resource: e.resource, search: { mode: 'match' as const } }));
    for (const next of [undefined, { _count: 2, _offset: 2 }]) {
      const bundle = withJsonText(searchsetBundle({ self: { _type: 'Observation', date: ['ge2020', 'lt2021'] }, ...(next ? { next } : {}), entries }), resources.map((r) => JSON.stringify(r)));
      expect(answerJson(bundle)).toBe(JSON.stringify(bundle));
    }
    const empty = withJsonText(searchsetBundle({ self: {}, entries: [] }), []);
    expect(answerJson(empty)).toBe(JSON.stringify(empty));
    expect(answerJson({ connected: true })).toBe('{"connected":true}');
  });
});

describe('long answer text crosses the port in parts (background/page-port.ts → bridge)', () => {
  /** A page of `n` entries whose notes put emoji, quotes and backslashes on every side of the part boundaries. */
  const longBundle = (n: number) => ({
    ...BUNDLE,
    entry: Array.from({ length: n }, (_, i) => ({ fullUrl: `urn:uuid:${i}`, resource: { resourceType: 'Observation', id: `o${i}`, note: [{ text: `${'😀'.repeat(i % 7)}"\\ ${'x'.repeat(900 + i)} 🩺` }] }, search: { mode: 'match' } })),
  });

  it('the page gets the same Bundle as one string; the port carried it in parts', async () => {
    const { ANSWER_PART_CHARS } = await import('../../../extension/background/page-port');
    searchAnswer = longBundle(150);
    const text = JSON.stringify(searchAnswer);
    const { win, provider } = openPage();
    await expect(provider.request({ method: 'securemed_search', params: { _count: 150 } })).resolves.toEqual(searchAnswer);
    expect(events.filter((e) => e === 'part')).toHaveLength(Math.ceil(text.length / ANSWER_PART_CHARS) - 1);
    expect(events.filter((e) => e === 'answer posted')).toHaveLength(1);
    const answers = win.posted.filter((m) => (m as { kind?: string }).kind === 'response') as Array<{ resultJson?: string }>;
    expect(answers).toHaveLength(1);
    expect(answers[0]!.resultJson).toBe(text);
  });

  it('parts never split a surrogate pair, are at most the size asked, and join to the text', async () => {
    const { answerParts } = await import('../../../extension/background/page-port');
    for (const text of ['', 'abc', 'a😀😀😀😀b', '😀'.repeat(50), `x${'😀'.repeat(50)}`, 'ü\u2028"🩺'.repeat(40)]) {
      for (const size of [2, 3, 5, 8, 64]) {
        const parts = answerParts(text, size);
        expect(parts.join('')).toBe(text);
        for (const part of parts) {
          expect(part.length).toBeLessThanOrEqual(size);
          expect(part.charCodeAt(part.length - 1) >= 0xd800 && part.charCodeAt(part.length - 1) <= 0xdbff).toBe(false);
        }
      }
    }
  });

  it('a count of parts that does not match what arrived is refused with -32603, not passed on', async () => {
    await ports.restart(() =>
      ports.listen((port) =>
        port.onMessage.addListener((raw) => {
          const { id } = raw as { id: string };
          port.postMessage({ type: 'page.response.part', id, part: '{"a":' });
          port.postMessage({ type: 'page.response', id, resultJson: '1}', parts: 2 }); // says 2, one came
        }),
      ),
    );
    const { provider } = openPage();
    await expect(provider.request({ method: 'securemed_search' })).rejects.toMatchObject({ code: -32603, message: expect.stringContaining('incomplete') });
  });

  it('a worker stopped halfway through an answer: the parts so far are dropped and the re-sent request is answered whole', async () => {
    let stopped = false;
    await ports.restart(() =>
      ports.listen((port) =>
        port.onMessage.addListener((raw) => {
          const { id } = raw as { id: string };
          port.postMessage({ type: 'page.response.part', id, part: '{"resourceType":"Bundle","ent' });
          if (stopped) return;
          stopped = true;
          // The worker stops here; a fresh one (the real port handler) answers the re-sent request.
          setTimeout(() => void ports.restart(async () => (await import('../../../extension/background/page-port')).listenForPages()), 0);
        }),
      ),
    );
    const { provider } = openPage();
    await expect(provider.request({ method: 'securemed_search' })).resolves.toEqual(BUNDLE);
    expect(ports.connect).toHaveBeenCalledTimes(2);
  });
});
