import Dexie from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import { canonicalJsonBytes } from '../../../shared/crypto/canonical-json';
import { deriveIdentity, deriveMessagingStorageKeys, mnemonicToSeed } from '../../../shared/crypto/identity';
import { wrapDek } from '../../../shared/crypto/key-wrap';
import { encryptRecord } from '../../../shared/crypto/record-envelope';
import { generateBundle } from '../../../shared/fhir/synthetic';
import { recordsRequests } from '../../../shared/protocol/ui/records';

// Databases written by the code before the vault data registry (vault schema v2, messaging schema v1,
// messaging AAD `${kind}:${id}`) open with today's code: every row still reads, nothing is rewritten.
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current }));

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
state.current = { seed, identity: deriveIdentity(seed) };
const resources = (generateBundle(5, { seed: 31 }).bundle.entry as Array<{ resource: Record<string, unknown> }>).map((e) => e.resource);

/** The vault database exactly as the previous db.ts declared it (version 1, then 2). */
function previousVaultDb() {
  const db = new Dexie('securemed-vault');
  db.version(1).stores({ records: 'id, &dedupKey', indexChunks: '++seq', meta: 'key', journal: 'key' });
  db.version(2).stores({ keyBatches: 'id' });
  return db;
}

/** AES-256-GCM by hand with the AAD messaging used before the length-prefixed one. */
async function legacySeal(key: Uint8Array, kind: string, id: string, plaintext: Uint8Array): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const k = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt']);
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(`${kind}:${id}`) }, k, plaintext as Uint8Array<ArrayBuffer>);
  return new Uint8Array([...iv, ...new Uint8Array(ct)]);
}

describe('migration from the current database versions', () => {
  it('a vault database of schema v2 (batched rows, a v1 row, index, journal, a backup note) opens and reads', async () => {
    // Rows made with the same functions the previous code sealed with (their bytes are pinned by the
    // format vectors), written through the previous schema before the new code ever opens the database.
    const { recordKeys } = await import('../../../extension/records/vault-keys');
    const { sealRecords } = await import('../../../extension/records/seal');
    const { sealEntries, sealJson } = await import('../../../extension/records/index-store');
    const { dedupKeyOf, describe: describeResource } = await import('../../../extension/records/fhir-adapter');
    const keys = await recordKeys();
    const batched = resources.slice(0, 4).map((resource) => ({ id: crypto.randomUUID(), resource, dedupKey: dedupKeyOf(keys.dedup, resource) }));
    const { rows, batch } = await sealRecords(keys, batched);
    const legacyId = crypto.randomUUID();
    const legacy = await encryptRecord({ recordId: legacyId, patient: keys.patient, version: 1 }, resources[4]);
    const legacyRow = {
      id: legacyId,
      envelope: legacy.envelope.ciphertext,
      wrappedDek: await wrapDek(keys.dekWrap, legacyId, legacy.dek),
      contentHash: legacy.envelope.contentHash,
      dedupKey: dedupKeyOf(keys.dedup, resources[4]!),
      version: 1,
    };
    const all = [...rows, legacyRow];
    const entries = all.map((r, i) => ({ ...describeResource(resources[i]!), id: r.id, h: r.contentHash }));
    const old = previousVaultDb();
    await old.table('keyBatches').add(batch);
    await old.table('records').bulkAdd(all);
    await old.table('indexChunks').add({ blob: await sealEntries(keys, entries) });
    await old.table('journal').put({ key: 'imp:0000000', blob: await sealJson(keys, [{ source: 'x', status: 'imported' }], 'import journal') });
    await old.table('meta').put({ key: 'lastBackup', value: { at: 1, count: 3 } });
    expect(old.verno).toBe(2);
    old.close();

    const { vaultDb } = await import('../../../extension/records/db');
    const { getRecord, list, summary } = await import('../../../extension/records/browse');
    const { importChunk } = await import('../../../extension/records/import');
    const listed = await list({ offset: 0, limit: 100 });
    expect(listed.total).toBe(5);
    for (const [i, r] of all.entries()) expect(await getRecord(r.id)).toMatchObject({ resource: resources[i] });
    const { VAULT_DATA } = await import('../../../extension/vault-data/registry');
    const newest = Math.max(...VAULT_DATA.filter((k) => k.database === 'vault').flatMap((k) => Object.keys(k.stores).map(Number)));
    expect(vaultDb().verno).toBe(newest); // upgraded from v2 to the registry's newest schema
    expect((await summary()).backup).toEqual({ lastAt: 1, due: true });
    // The journal of an import that was in flight still answers its re-sent chunk.
    expect(await importChunk('imp', 0, [])).toEqual({ outcomes: [{ source: 'x', status: 'imported' }] });
  });

  it('a backup file of format v1 still passes the boundary and restores', async () => {
    const { closeVault } = await import('../../../extension/records/open-vault');
    const { vaultDb } = await import('../../../extension/records/db');
    const { list } = await import('../../../extension/records/browse');
    const { backupPage, beginRestore, finishRestore, restoreChunk } = await import('../../../extension/vault-data/backup');
    const v2 = await backupPage(0, 1000);
    const { recordKeys } = await import('../../../extension/records/vault-keys');
    // What the previous code wrote: the same record rows and sealed index, in the v1 layout (v1 named the
    // vault by its main messaging address).
    const header = { format: 'securemed-backup', v: 1, createdAt: v2.header!.createdAt, patient: (await recordKeys()).patient, count: 5, index: (v2.header as { manifests: Record<string, string> }).manifests.records };
    const rows = v2.rows.map((r) => r.data);
    const begin = recordsRequests.find((s) => s.shape.type.value === 'records.restore.begin')!.parse({ type: 'records.restore.begin', header });
    const chunk = recordsRequests.find((s) => s.shape.type.value === 'records.restore.chunk')!.parse({ type: 'records.restore.chunk', rows });
    closeVault();
    const db = vaultDb();
    await Promise.all(db.tables.map((t) => t.clear()));
    expect(await beginRestore((begin as { header: Parameters<typeof beginRestore>[0] }).header)).toEqual({ count: 5 });
    expect(await restoreChunk((chunk as { rows: Parameters<typeof restoreChunk>[0] }).rows)).toEqual({ restored: 5, skipped: 0, rejected: 0 });
    await finishRestore();
    expect((await list({ offset: 0, limit: 100 })).total).toBe(5);
  });

  it('message history sealed with the old AAD opens; what is written now uses the length-prefixed one', async () => {
    const { atRest } = deriveMessagingStorageKeys(seed);
    const thread = { id: 't1', peer: '0x' + '12'.repeat(20), conversationId: 'c1', consent: 'allowed', unread: 1, seen: {}, lastMessageAt: 5, createdAt: 1 };
    const message = { id: 'm1', threadId: 't1', sender: thread.peer, sentAt: 5, content: { type: 'text', text: 'hello' }, delivery: 'received' };
    const bundle = new Uint8Array([1, 2, 3, 4]);
    const old = new Dexie('securemed-messaging');
    old.version(1).stores({ threads: 'id', messages: 'id, [thread+sentAt], pending', state: 'key' });
    await old.table('threads').add({ id: 't1', sealed: await legacySeal(atRest, 'thread', 't1', canonicalJsonBytes(thread)) });
    await old.table('messages').add({ id: 'm1', thread: 't1', sentAt: 5, pending: 0, sealed: await legacySeal(atRest, 'message', 'm1', canonicalJsonBytes(message)) });
    await old.table('state').put({ key: `bundle:${thread.peer}`, sealed: await legacySeal(atRest, 'xmtp-bundle', thread.peer, bundle) });
    old.close();

    const { deriveMessagingKeys } = await import('../../../extension/messaging/keys');
    const history = await import('../../../extension/messaging/history');
    const keys = await deriveMessagingKeys(seed);
    expect(await history.readThread(keys, 't1')).toEqual(thread);
    expect(await history.pageMessages(keys, 't1', 10)).toEqual([message]);
    expect(await history.readBundle(keys, thread.peer)).toEqual(bundle);

    await history.writeThread(keys, { ...thread, unread: 0 } as never);
    expect(await history.readThread(keys, 't1')).toMatchObject({ unread: 0 });
    const reopened = new Dexie('securemed-messaging');
    await reopened.open();
    const stored = (await reopened.table('threads').get('t1')).sealed as Uint8Array;
    reopened.close();
    const { openBytes, sealedAad } = await import('../../../shared/crypto/sealed-json');
    await expect(openBytes(atRest, sealedAad.legacyMessaging('thread', 't1'), stored)).rejects.toMatchObject({ code: 'integrity' });
    expect(await openBytes(atRest, sealedAad.messaging('thread', 't1'), stored)).toBeInstanceOf(Uint8Array);
  });
});
