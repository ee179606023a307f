import { validateResource } from '@medplum/core';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadR4Definitions } from '../../support/r4-validator';
import { deriveIdentity, mnemonicToSeed } from '../../../shared/crypto/identity';

// Storing accepted records: the real vault (fake-indexeddb), the real keys, the real records path.
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../extension/keys/unlocked')>()),
  unlocked: async () => state.current,
}));

const { vaultDb } = await import('../../../extension/records/db');
const { closeVault } = await import('../../../extension/records/open-vault');
const { getRecord, list } = await import('../../../extension/records/browse');
const { importChunk } = await import('../../../extension/records/import');
const { recordKeys } = await import('../../../extension/records/vault-keys');
const { markDuplicates, reviewItem, dateWords } = await import('../../../extension/submit/review');
const { storeAccepted } = await import('../../../extension/submit/store');
const { provenanceOf, provenanceOfRecord, PROVENANCE_KIND } = await import('../../../extension/submit/provenance');
const { backupPage, beginRestore, restoreChunk, finishRestore } = await import('../../../extension/vault-data/backup');
const { noteOfCall } = await import('../../../extension/audit/note');
const { exportBundlePage } = await import('../../../extension/records/export');

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
state.current = { seed, identity: deriveIdentity(seed) };

const SITE = 'https://ehr.example';
const GRANTEE = '0x2222222222222222222222222222222222222222';
const lab = (id: string, text: string, value: number) => ({
  resourceType: 'Observation', id, status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
  code: { text }, effectiveDateTime: '2026-11-20T09:30:00Z', valueQuantity: { value, unit: 'mg/dL' },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div>' },
});
const valid = (...resources: Array<ReturnType<typeof lab>>) => resources.map((resource, index) => ({ index, resource: resource as Record<string, unknown> }));

beforeAll(() => {
  loadR4Definitions();
}, 120_000);

beforeEach(async () => {
  closeVault();
  const db = vaultDb();
  await Promise.all(db.tables.map((t) => t.clear()));
});

describe('the review: readable summaries and duplicates', () => {
  it('summarises each entry in words, without narrative or JSON, and marks records already in the vault (same content, any id)', async () => {
    await importChunk(crypto.randomUUID(), 0, [{ kind: 'resource', source: 'mine', resource: { ...lab('mine-1', 'Glucose', 97), id: 'another-id', meta: { lastUpdated: '2026-01-01T00:00:00Z' } } }]);
    const keys = await recordKeys();
    const reviewed = await markDuplicates(keys, valid(lab('a', 'Glucose', 97), lab('b', 'Hemoglobin', 14), lab('c', 'Hemoglobin', 14)));
    expect(reviewed.map((r) => r.duplicate)).toEqual([true, false, true]); // the vault's copy; the second of two equal ones
    const item = reviewItem(reviewed[1]!);
    expect(item).toMatchObject({ index: 1, title: 'Hemoglobin', category: 'Lab result', date: '20 November 2026, 09:30', duplicate: false, sensitive: [] });
    expect(item.fields).toEqual(expect.arrayContaining([{ label: 'Result', value: '14 mg/dL' }]));
    expect(JSON.stringify(item)).not.toMatch(/script|div|resourceType/);
    expect(dateWords('2024-03')).toBe('March 2024');
    expect(dateWords('not a date')).toBeUndefined();
  });
});

describe('storing accepted records with their Provenance', () => {
  it('stores them encrypted through the records path, each with a FHIR R4 Provenance naming the site and grantee, in the backup', async () => {
    const keys = await recordKeys();
    const reviewed = await markDuplicates(keys, valid(lab('a', 'Glucose', 97), lab('b', 'Cholesterol', 221)));
    const at = Date.UTC(2026, 10, 26, 18, 0);
    const { stored, duplicates } = await storeAccepted({ origin: SITE, grantee: GRANTEE }, reviewed, at);
    expect(duplicates).toEqual([]);
    expect(stored.map((s) => s.index)).toEqual([0, 1]);

    // Listed and readable like any record; nothing clinical in clear on disk.
    expect((await list({ offset: 0, limit: 10 })).entries.map((e) => e.title).sort()).toEqual(['Cholesterol', 'Glucose']);
    const record = await getRecord(stored[0]!.id);
    expect(record).toMatchObject({ resource: { id: 'a', code: { text: 'Glucose' } } });
    const raw = JSON.stringify(await vaultDb().table(PROVENANCE_KIND).toArray(), (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v));
    expect(raw).not.toContain('ehr.example');

    const added = (await provenanceOfRecord(stored[0]!.id))!;
    expect(added).toMatchObject({ origin: SITE, grantee: GRANTEE, at });
    const p = added.provenance as any;
    validateResource(p); // independent R4 validator
    expect(p).toMatchObject({ resourceType: 'Provenance', target: [{ reference: 'Observation/a' }], recorded: new Date(at).toISOString() });
    expect(p.agent.map((a: any) => [a.type.coding[0].code, a.who.identifier.value])).toEqual([['enterer', SITE], ['author', GRANTEE]]);
    expect(await provenanceOfRecord(crypto.randomUUID())).toBeUndefined(); // the patient's own imports have none

    // The backup carries the provenance rows; a restore brings them back and they still open.
    const page = await backupPage(0, 1000);
    expect((page.header as { kinds: Record<string, number> }).kinds).toMatchObject({ records: 2, recordProvenance: 2 });
    closeVault();
    await Promise.all(vaultDb().tables.map((t) => t.clear()));
    await beginRestore(page.header!);
    expect(await restoreChunk(page.rows)).toMatchObject({ restored: 4, rejected: 0 });
    await finishRestore();
    expect((await provenanceOfRecord(stored[1]!.id))?.origin).toBe(SITE);

    // The FHIR export keeps who sent each record: its Provenance follows it.
    const exported = await exportBundlePage(0, 100);
    const kinds = exported.resources.map((r) => (r as { resourceType: string }).resourceType);
    expect(kinds.filter((k) => k === 'Provenance')).toHaveLength(2);
    expect(exported.resources.filter((r) => (r as { resourceType: string }).resourceType === 'Provenance').map((r) => (r as any).target[0].reference).sort()).toEqual(['Observation/a', 'Observation/b']);
  });

  it('a record that arrived meanwhile is not stored twice (reported as a duplicate), nor is a second submission of the same', async () => {
    const keys = await recordKeys();
    const first = await markDuplicates(keys, valid(lab('a', 'Glucose', 97)));
    const second = await markDuplicates(keys, valid(lab('a2', 'Glucose', 97)));
    const [one, two] = await Promise.all([storeAccepted({ origin: SITE, grantee: GRANTEE }, first), storeAccepted({ origin: 'https://other.example', grantee: GRANTEE }, second)]);
    expect(one.stored).toHaveLength(1);
    expect(two).toEqual({ stored: [], duplicates: [0] });
    expect(await vaultDb().records.count()).toBe(1);
    expect(await vaultDb().table(PROVENANCE_KIND).count()).toBe(1);
  });

  it('the Provenance alone validates as R4 for any stored type', () => {
    validateResource(provenanceOf({ origin: SITE, grantee: GRANTEE, at: Date.now(), resource: { resourceType: 'Condition', id: 'c1' } }) as any);
  });
});

describe('the audit note of a submit', () => {
  it('counts the records written and lists the references the site got for them', () => {
    const result = { accepted: [0, 2], declined: [1], duplicates: [], stored: [{ index: 0, fullUrl: 'urn:uuid:a' }, { index: 2, fullUrl: 'urn:uuid:c' }] };
    const note = noteOfCall({ method: 'securemed_submit', origin: SITE, params: { resources: [] }, result });
    expect(note).toMatchObject({ outcome: 'allowed', resources: 2, reads: ['urn:uuid:a', 'urn:uuid:c'] });
    expect(noteOfCall({ method: 'securemed_submit', origin: SITE, params: {}, errorCode: -32602 })).toMatchObject({ outcome: 'refused', resources: 0, reads: [] });
  });
});
