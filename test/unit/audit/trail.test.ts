import { validateResource } from '@medplum/core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadR4Definitions } from '../../support/r4-validator';
import { deriveIdentity, mnemonicToSeed } from '../../../shared/crypto/identity';

// The audit trail against the real sealed store (fake-indexeddb), the real vault keys and the real
// storage.session buffer (WXT's fake browser); the export checked by an independent R4 validator.
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../extension/keys/unlocked')>()),
  unlocked: async () => state.current,
}));

const { appendNotes, loadEntries, countRows, MAX_ENTRIES, COALESCE_WINDOW_MS } = await import('../../../extension/audit/store');
const { auditCall, auditSettled, drainAudit, AUDIT_BUFFER_KEY, MAX_BUFFERED_BYTES } = await import('../../../extension/audit/record');
const { noteOfCall } = await import('../../../extension/audit/note');
const { auditEventOf, auditBundleOf, COUNT_EXTENSION } = await import('../../../extension/audit/event');
const { vaultDb } = await import('../../../extension/records/db');
const { browser } = await import('wxt/browser');

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
const unlock = () => (state.current = { seed, identity: deriveIdentity(seed) });
unlock();

const PORTAL = 'http://patient-portal.localhost:8081';
const GRANTEE = '0x1111111111111111111111111111111111111111';
const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);
const bundle = (ids: string[]) => ({ resourceType: 'Bundle', type: 'searchset', entry: ids.map((id) => ({ fullUrl: `urn:uuid:${id}`, resource: {} })) });
const clear = () => vaultDb().table('auditEvents').clear();

beforeAll(() => {
  loadR4Definitions();
}, 120_000); // several MB of definitions on a shared machine

describe('the AuditEvent of a page call', () => {
  it('names the method, the site and its grantee, the outcome and every record read, in R4 shape', () => {
    const note = noteOfCall({ method: 'securemed_search', origin: PORTAL, params: { grantee: GRANTEE, _type: 'Observation' }, result: bundle(['a', 'b']), at: T0 });
    expect(note).toMatchObject({ outcome: 'allowed', grantee: GRANTEE, resources: 2, reads: ['urn:uuid:a', 'urn:uuid:b'] });
    const event = auditEventOf({ v: 1, id: 'x.1', ...note, scopes: ['patient/Observation.rs'], first: T0, last: T0, count: 1 });
    expect(event).toMatchObject({
      resourceType: 'AuditEvent',
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
      subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'search-type' }, { code: 'securemed_search' }],
      action: 'E',
      recorded: new Date(T0).toISOString(),
      outcome: '0',
      agent: [{ who: { identifier: { value: PORTAL } }, requestor: true }, { who: { identifier: { value: GRANTEE } }, requestor: false }],
    });
    expect((event.entity as Array<{ what: { reference?: string } }>).map((e) => e.what.reference).filter(Boolean)).toEqual(['urn:uuid:a', 'urn:uuid:b']);
    expect(() => validateResource(event as never)).not.toThrow();
  });

  it('words refusals and declines by their error code', () => {
    expect(noteOfCall({ method: 'securemed_search', origin: PORTAL, params: {}, errorCode: 4100 })).toMatchObject({ outcome: 'refused', code: 4100, resources: 0 });
    expect(noteOfCall({ method: 'securemed_requestPermissions', origin: PORTAL, params: { grantee: GRANTEE, scopes: ['patient/Observation.rs'] }, errorCode: 4001 })).toMatchObject({ outcome: 'declined', grantee: GRANTEE, scopes: ['patient/Observation.rs'] });
    expect(noteOfCall({ method: 'securemed_connect', origin: PORTAL, params: undefined, errorCode: -32603 }).outcome).toBe('failed');
    const refused = auditEventOf({ v: 1, id: 'r', method: 'securemed_search', origin: PORTAL, scopes: [], outcome: 'refused', code: 4100, resources: 0, reads: [], first: T0, last: T0, count: 1 });
    expect(refused).toMatchObject({ outcome: '4', outcomeDesc: 'refused (error 4100)' });
  });
});

describe('retention', () => {
  it('500 identical reads from one site leave a bounded number of entries with the right count', async () => {
    await clear();
    const notes = Array.from({ length: 500 }, (_, i) => noteOfCall({ method: 'securemed_search', origin: PORTAL, params: { grantee: GRANTEE }, result: bundle(['a', 'b']), at: T0 + i * 2000 }));
    for (let i = 0; i < notes.length; i += 50) await appendNotes(notes.slice(i, i + 50)); // as the worker would, batch by batch
    const entries = await loadEntries();
    // 500 calls 2 s apart span 1,000 s: two 10-minute windows at most.
    expect(entries.length).toBeLessThanOrEqual(Math.ceil((500 * 2000) / COALESCE_WINDOW_MS) + 1);
    expect(entries.reduce((n, e) => n + e.count, 0)).toBe(500);
    expect(Math.min(...entries.map((e) => e.first))).toBe(T0);
    expect(Math.max(...entries.map((e) => e.last))).toBe(T0 + 499 * 2000);
    // A different answer (another record read) is its own entry, not folded into the count.
    await appendNotes([noteOfCall({ method: 'securemed_search', origin: PORTAL, params: { grantee: GRANTEE }, result: bundle(['c']), at: T0 + 1000 })]);
    expect((await loadEntries()).length).toBe(entries.length + 1);
  });

  it('keeps at most MAX_ENTRIES entries, dropping the oldest', async () => {
    await clear();
    const extra = 30;
    const distinct = (i: number) => noteOfCall({ method: 'securemed_status', origin: `https://site${i}.example`, params: undefined, result: {}, at: T0 + i * COALESCE_WINDOW_MS });
    const all = Array.from({ length: MAX_ENTRIES + extra }, (_, i) => distinct(i));
    for (let i = 0; i < all.length; i += 2000) await appendNotes(all.slice(i, i + 2000));
    expect(await countRows()).toBe(MAX_ENTRIES);
    const origins = new Set((await loadEntries()).map((e) => e.origin));
    expect(origins.has('https://site0.example')).toBe(false);
    expect(origins.has(`https://site${extra}.example`)).toBe(true);
    expect(origins.has(`https://site${MAX_ENTRIES + extra - 1}.example`)).toBe(true);
  }, 240_000);
});

describe('the write path', () => {
  it('keeps calls made while locked in the session buffer and writes them on unlock; nothing is lost', async () => {
    await clear();
    state.current = undefined;
    for (let i = 0; i < 3; i++) auditCall({ method: 'securemed_search', origin: PORTAL, params: {}, errorCode: 4900 });
    auditCall({ method: 'securemed_connect', origin: PORTAL, params: undefined, result: { address: GRANTEE } });
    await auditSettled();
    const buffered = (await browser.storage.session.get(AUDIT_BUFFER_KEY))[AUDIT_BUFFER_KEY] as unknown[];
    expect(buffered).toHaveLength(2); // the three identical refusals coalesced
    expect(await countRows()).toBe(0);
    unlock();
    await drainAudit();
    const entries = await loadEntries();
    expect(entries.map((e) => [e.method, e.outcome, e.count]).sort()).toEqual([['securemed_connect', 'allowed', 1], ['securemed_search', 'refused', 3]]);
    expect((await browser.storage.session.get(AUDIT_BUFFER_KEY))[AUDIT_BUFFER_KEY]).toBeUndefined();
  });

  it('keeps the buffer under its byte bound, newest notes first, when large reads cannot be written', async () => {
    state.current = undefined; // searches answered just before a lock: each note lists 200 records
    const ids = (n: number) => Array.from({ length: 200 }, (_, i) => `${n.toString().padStart(8, '0')}-0000-4000-8000-${i.toString().padStart(12, '0')}`);
    for (let n = 0; n < 500; n++) auditCall({ method: 'securemed_search', origin: PORTAL, params: {}, result: bundle(ids(n)), at: T0 + n });
    await auditSettled();
    const buffered = (await browser.storage.session.get(AUDIT_BUFFER_KEY))[AUDIT_BUFFER_KEY] as { reads: string[] }[];
    expect(JSON.stringify(buffered).length).toBeLessThanOrEqual(MAX_BUFFERED_BYTES);
    expect(buffered.length).toBeLessThan(500);
    expect(buffered.at(-1)?.reads[0]).toBe(`urn:uuid:${ids(499)[0]}`);
    await browser.storage.session.remove(AUDIT_BUFFER_KEY); // the trail the next tests read stays as it was
    unlock();
  });

  it('a page call with odd params never throws from the hook', async () => {
    expect(() => auditCall({ method: 'x'.repeat(5000), origin: PORTAL, params: { grantee: 12, scopes: [{}, 'y'.repeat(999)] }, errorCode: 4200 })).not.toThrow();
    await auditSettled();
    expect((await loadEntries()).some((e) => e.code === 4200 && e.method.length === 64)).toBe(true);
  });
});

describe('the export', () => {
  it('is a FHIR R4 Bundle of AuditEvents that validates, with the coalesced count', async () => {
    const entries = await loadEntries();
    const exported = auditBundleOf(entries);
    expect(() => validateResource(exported as never)).not.toThrow();
    const resources = (exported.entry as Array<{ resource: Record<string, unknown> }>).map((e) => e.resource);
    expect(resources.every((r) => r.resourceType === 'AuditEvent')).toBe(true);
    const search = resources.find((r) => (r.outcomeDesc as string).startsWith('refused (error 4900)'))!;
    expect(() => validateResource({ ...search, type: undefined, agent: [{ who: { display: 'no requestor' } }] } as never)).toThrow(); // the validator does check (type and agent.requestor are required)
    expect(search.extension).toEqual([{ url: COUNT_EXTENSION, valueInteger: 3 }]);
  });
});

describe('opening the trail again', () => {
  const note = (at: number) => noteOfCall({ method: 'securemed_search', origin: PORTAL, params: {}, result: bundle(['a']), at });

  it('reuses rows opened before, reopens a row sealed again since (a coalesced call), drops rows that are gone', async () => {
    await clear();
    await appendNotes([note(T0), note(T0 + 2 * COALESCE_WINDOW_MS)]);
    const [newer, older] = await loadEntries();
    const again = await loadEntries();
    expect(again[0]).toBe(newer); // the same objects: not decrypted again
    expect(again[1]).toBe(older);
    await appendNotes([note(T0 + 2 * COALESCE_WINDOW_MS + 1)]); // coalesces into the newer row, sealed again
    const third = await loadEntries();
    expect(third[0]).not.toBe(newer);
    expect(third.map((e) => e.count)).toEqual([2, 1]);
    expect(third[1]).toBe(older);
    await vaultDb().table('auditEvents').delete(older!.id);
    expect((await loadEntries()).map((e) => e.id)).toEqual([newer!.id]);
  });
});
