import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { ProviderErrorCode } from '../../../shared/protocol/errors';
import type { PagePermission, SearchParams as SearchParamsSchema } from '../../../shared/protocol/page';
import { ErrorCodes, nextParams, SecureMedClient, SecureMedError, type Eip1193Like, type Permission, type SearchParams } from '../../../shared/sdk/portal-sdk';

/** A stand-in provider: records calls, answers searches from a list of pages joined by next links. */
function fakeProvider(answer: (method: string, params: unknown) => unknown) {
  const calls: Array<{ method: string; params?: unknown }> = [];
  const listeners = new Map<string, Set<(d: unknown) => void>>();
  const provider: Eip1193Like & { emit(e: string, d: unknown): void } = {
    async request(args) {
      calls.push(args);
      return answer(args.method, args.params);
    },
    on(e, l) {
      listeners.set(e, (listeners.get(e) ?? new Set()).add(l));
    },
    removeListener(e, l) {
      listeners.get(e)?.delete(l);
    },
    emit(e, d) {
      for (const l of listeners.get(e) ?? []) l(d);
    },
  };
  return { provider, calls };
}
const info = { uuid: 'u', name: 'SecureMed', icon: '', rdns: 'org.securemed' };

const page = (ids: string[], next?: string) => ({
  resourceType: 'Bundle', type: 'searchset', timestamp: '2026-01-01T00:00:00Z',
  link: [{ relation: 'self', url: 'securemed:search?' }, ...(next ? [{ relation: 'next', url: next }] : [])],
  entry: ids.map((id) => ({ fullUrl: `urn:uuid:${id}`, resource: { resourceType: 'Observation', id }, search: { mode: 'match' } })),
});

describe('portal SDK client', () => {
  it('has a typed call for every page method, with the method names the extension answers', async () => {
    const { provider, calls } = fakeProvider((method) => (method.endsWith('Permissions') ? { permissions: [] } : method === 'securemed_search' ? page([]) : {}));
    const c = new SecureMedClient(provider, info);
    await c.connect();
    await c.status();
    await c.requestPermissions({ grantee: '0x' + '1'.repeat(40), scopes: ['patient/Observation.rs'], purpose: 'TREAT', durationDays: 30 });
    await c.getPermissions();
    await c.revokePermissions();
    await c.revokePermissions('0x' + '2'.repeat(40));
    await c.search({ _type: 'Observation' });
    await c.submit({ resources: [{ resourceType: 'Observation', id: 'o1' }] });
    expect(calls).toEqual([
      { method: 'securemed_connect' },
      { method: 'securemed_status' },
      { method: 'securemed_requestPermissions', params: { grantee: '0x' + '1'.repeat(40), scopes: ['patient/Observation.rs'], purpose: 'TREAT', durationDays: 30 } },
      { method: 'securemed_getPermissions' },
      { method: 'securemed_revokePermissions' },
      { method: 'securemed_revokePermissions', params: { grantee: '0x' + '2'.repeat(40) } },
      { method: 'securemed_search', params: { _type: 'Observation' } },
      { method: 'securemed_submit', params: { resources: [{ resourceType: 'Observation', id: 'o1' }] } },
    ]);
    const { PageMethods } = await import('../../../shared/protocol/page');
    expect(new Set(calls.map((x) => x.method))).toEqual(new Set(PageMethods));
  });

  it('follows next links automatically, with the params the link carries', async () => {
    const { provider, calls } = fakeProvider((_m, params) => {
      const offset = (params as SearchParams)._offset ?? 0;
      if (offset === 0) return page(['a', 'b'], 'securemed:search?_type=Observation&date=ge2020&date=lt2021&_count=2&_offset=2');
      if (offset === 2) return page(['c', 'd'], 'securemed:search?_type=Observation&date=ge2020&date=lt2021&_count=2&_offset=4');
      return page(['e']);
    });
    const c = new SecureMedClient(provider, info);
    const all = await c.searchAll({ _type: 'Observation', date: ['ge2020', 'lt2021'], _count: 2 });
    expect(all.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(calls[1]!.params).toEqual({ _type: 'Observation', date: ['ge2020', 'lt2021'], _count: 2, _offset: 2 });
    expect((await c.searchAll({}, { maxResources: 3 })).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect((await c.searchAll({}, { maxPages: 1 })).map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('nextParams reads single and repeated values and numbers; none on the last page', () => {
    expect(nextParams(page([], 'securemed:search?date=ge2020&_offset=5&code=http%3A%2F%2Floinc.org%7C2345-7') as never)).toEqual({ date: 'ge2020', _offset: 5, code: 'http://loinc.org|2345-7' });
    expect(nextParams(page([]) as never)).toBeUndefined();
    expect(nextParams({ link: [{ relation: 'next', url: 'https://evil.example/?x=1' }] } as never)).toBeUndefined();
  });

  it('errors carry the code from the one table; anything odd becomes -32603', async () => {
    const c = (thrown: unknown) => new SecureMedClient(fakeProvider(() => { throw thrown; }).provider, info);
    await expect(c({ code: ProviderErrorCode.unauthorized, message: 'no' }).search()).rejects.toMatchObject({ name: 'SecureMedError', code: ErrorCodes.unauthorized, message: 'no' });
    await expect(c('boom').status()).rejects.toMatchObject({ code: ErrorCodes.internal });
    await expect(c(null).status()).rejects.toBeInstanceOf(SecureMedError);
    expect(ErrorCodes).toBe(ProviderErrorCode);
  });

  it('events are typed and can be removed', () => {
    const { provider } = fakeProvider(() => ({}));
    const c = new SecureMedClient(provider, info);
    const seen: Permission[][] = [];
    const l = (d: { permissions: Permission[] }) => seen.push(d.permissions);
    c.on('permissionsChanged', l);
    provider.emit('permissionsChanged', { permissions: [] });
    c.off('permissionsChanged', l);
    provider.emit('permissionsChanged', { permissions: [] });
    expect(seen).toHaveLength(1);
  });

  it("the SDK's own types equal the protocol's (declarations that need no zod)", () => {
    expectTypeOf<Permission>().toEqualTypeOf<PagePermission>();
    expectTypeOf<SearchParams>().toEqualTypeOf<NonNullable<z.infer<typeof SearchParamsSchema>>>();
  });
});
