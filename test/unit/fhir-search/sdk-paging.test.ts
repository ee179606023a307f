import { describe, expect, it } from 'vitest';
import { SecureMedClient, type Eip1193Like } from '../../../shared/sdk/portal-sdk';

/**
 * The SDK's automatic paging asks for the extension's largest page (200) when the portal named no
 * `_count`: each page is a round trip through the extension (issue 12: 1,000 records in 5 pages, not 20).
 */
function provider(total: number) {
  const calls: Array<Record<string, unknown>> = [];
  const p: Eip1193Like = {
    async request({ params }) {
      const q = (params ?? {}) as { _count?: number; _offset?: number; _summary?: string };
      calls.push({ ...q });
      if (q._summary === 'count') return { resourceType: 'Bundle', type: 'searchset', total, link: [] };
      const from = q._offset ?? 0;
      const to = Math.min(total, from + (q._count ?? 50));
      const next = to < total ? [{ relation: 'next', url: `securemed:search?_count=${q._count ?? 50}&_offset=${to}` }] : [];
      return {
        resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'self', url: 'securemed:search?' }, ...next],
        entry: Array.from({ length: to - from }, (_, i) => ({ fullUrl: `urn:uuid:${from + i}`, resource: { resourceType: 'Observation', id: String(from + i) }, search: { mode: 'match' } })),
      };
    },
    on: () => undefined,
    removeListener: () => undefined,
  };
  return { client: new SecureMedClient(p, { uuid: 'u', name: 'SecureMed', icon: '', rdns: 'org.securemed' }), calls };
}

describe('SDK automatic paging', () => {
  it('without _count: pages of 200, so 1,000 records take 5 round trips', async () => {
    const { client, calls } = provider(1000);
    expect(await client.searchAll({ _type: 'Observation' })).toHaveLength(1000);
    expect(calls).toHaveLength(5);
    expect(calls[0]).toEqual({ _type: 'Observation', _count: 200 });
  });

  it('a _count the portal chose is kept; a small maxResources asks for no more than it keeps', async () => {
    const chosen = provider(30);
    expect(await chosen.client.searchAll({ _count: 10 })).toHaveLength(30);
    expect(chosen.calls.map((c) => c._count)).toEqual([10, 10, 10]);
    const few = provider(1000);
    expect(await few.client.searchAll({}, { maxResources: 3 })).toHaveLength(3);
    expect(few.calls).toEqual([{ _count: 3 }]);
  });

  it('_summary=count is left as it is', async () => {
    const { client, calls } = provider(12);
    const pages = [];
    for await (const b of client.searchPages({ _summary: 'count' })) pages.push(b);
    expect(pages[0]!.total).toBe(12);
    expect(calls[0]).toEqual({ _summary: 'count' });
  });
});
