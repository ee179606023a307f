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
const events: string[] = [];
const audited: Array<{ method: string; result?: unknown }> = [];

vi.mock('../../../extension/page-api', () => ({
  handlePageCall: async (method: string) => (method === 'securemed_search' ? structuredClone(BUNDLE) : { connected: true }),
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
  events.length = 0;
  audited.length = 0;
  ports = installFakePorts(pageSender(ORIGIN));
  const post = FakePort.prototype.postMessage;
  vi.spyOn(FakePort.prototype, 'postMessage').mockImplementation(function (this: FakePort, message: unknown) {
    if ((message as { type?: string }).type === 'page.response') events.push('answer posted');
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
