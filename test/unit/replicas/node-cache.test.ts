import { afterEach, describe, expect, it, vi } from 'vitest';
import { rawCid } from '../../../extension/replicas/cid';
import { getBlock } from '../../../extension/replicas/node-client';

/**
 * The gateway marks blocks immutable (`cache-control: immutable`), so the browser's HTTP cache would keep
 * a damaged block it once read and serve it again after the node was repaired — the health check then
 * reports the node damaged forever (seen in the replicas e2e). This models that cache: a request that
 * may use the cache gets what was first read; only `cache: 'no-store'` reaches the node.
 */
describe('storage-node reads bypass the browser cache', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a block repaired on the node reads as repaired, not as the damaged copy read before', async () => {
    const good = new TextEncoder().encode('sealed pack bytes');
    const cid = rawCid(good);
    const damaged = good.slice();
    damaged[damaged.length - 1]! ^= 0xff;
    let onNode = damaged;
    const cache = new Map<string, Uint8Array>();
    vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
      const fromCache = init.cache !== 'no-store' && cache.get(url);
      const body = fromCache || onNode;
      if (init.cache !== 'no-store' && !cache.has(url)) cache.set(url, onNode);
      return new Response(body.slice(), { status: 200 });
    });
    const node = { url: 'http://127.0.0.1:5101' };

    await expect(getBlock(node, cid)).rejects.toMatchObject({ kind: 'corrupt' });
    onNode = good; // the health check replaced the damaged block
    await expect(getBlock(node, cid)).resolves.toEqual(good);
  });
});
