// Tamper evidence in Chromium (issue 18): records imported through the vault page are anchored on a real
// local chain through the real relayer, with no action from the patient — also when the chain was down
// during the import; Verify says when and in which block; a record re-sealed with other content under
// the vault's own keys and an older version brought back by restoring an old backup are both reported
// as changed after they were anchored, and "Verify all" reports exactly those two; a worker stopped in
// the middle of a batch loses nothing and anchors once; a record deleted outside SecureMed is named by
// "Verify all" as anchored but no longer in the vault.
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveAnchoringAccount } from '../../shared/anchoring/account';
import { anchorLeaf } from '../../shared/anchoring/leaf';
import { ProofFile } from '../../shared/anchoring/proof-file';
import { verifyRecordProof } from '../../shared/chain/merkle';
import { fromBase64 } from '../../shared/crypto/bytes';
import { deriveIdentity, mnemonicToSeed } from '../../shared/crypto/identity';
import { wrapDek } from '../../shared/crypto/key-wrap';
import { openJson, sealedAad, sealJson } from '../../shared/crypto/sealed-json';
import { contentHash, encryptRecord } from '../../shared/crypto/record-envelope';
import type { Relayer } from '../../scripts/relayer/server';
import { startChainStack, startTestRelayer, type ChainStack } from '../integration/helpers/relayer-stack';
import { ExtensionSession } from './harness/extension';
import { createVault, restoreVault } from './flows/vault';
import { downloadText, importThroughUi, openVaultTab, writeTempFile } from './flows/records';

const observation = (i: number, value: number) => ({
  resourceType: 'Observation',
  id: `obs-${i}`,
  status: 'final',
  code: { text: `Anchor test measurement ${i}` },
  effectiveDateTime: `2024-0${(i % 9) + 1}-1${i % 9}`,
  valueQuantity: { value, unit: 'mmol/L' },
});
const bundle = (from: number, n: number) =>
  JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: Array.from({ length: n }, (_, k) => ({ resource: observation(from + k, 4 + k / 10) })) });

interface RawRow {
  id: string;
  envelope: number[];
  wrappedDek?: number[];
  dekRef?: { batch: string; index: number };
  contentHash: string;
  dedupKey: string;
  version: number;
}

describe('tamper evidence: anchors, Verify, Verify all (vault page → queue → relayer → chain)', () => {
  let stack: ChainStack;
  let relayer: Relayer;
  let patient: ExtensionSession;
  let vault: Page;
  let seed: Uint8Array;
  let account: string;
  let ids: string[] = [];
  let backupText = '';
  let words: string[] = [];

  const anchoredEvents = async () => (await stack.anchor.queryFilter(stack.anchor.filters.Anchored!(account))) as Array<{ args: unknown[]; blockNumber: number }>;
  const count = async (id: 'anchored-count' | 'waiting-count') => Number(((await vault.getByTestId(id).textContent()) ?? '').replace(/[^\d]/g, ''));

  /** Raw IndexedDB access from an extension page: what anything with the profile's storage can do. */
  const rawRecords = async (op: { put?: RawRow; del?: string }): Promise<RawRow[]> => {
    const page = await patient.openPage('popup.html');
    const rows = await page.evaluate(async ({ put, del }) => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const req = indexedDB.open('securemed-vault');
        req.onsuccess = () => res(req.result);
        req.onerror = () => rej(req.error);
      });
      const done = (req: IDBRequest) => new Promise<any>((res, rej) => ((req.onsuccess = () => res(req.result)), (req.onerror = () => rej(req.error))));
      const store = db.transaction('records', 'readwrite').objectStore('records');
      if (put) await done(store.put({ ...put, envelope: new Uint8Array(put.envelope), ...(put.wrappedDek ? { wrappedDek: new Uint8Array(put.wrappedDek) } : {}) }));
      if (del) await done(store.delete(del));
      const all = (await done(store.getAll())) as any[];
      db.close();
      return all.map((r) => ({ ...r, envelope: Array.from(r.envelope as Uint8Array), ...(r.wrappedDek ? { wrappedDek: Array.from(r.wrappedDek as Uint8Array) } : {}) }));
    }, op);
    await page.close();
    return rows as RawRow[];
  };

  /** Seal `resource` as record `id` at `version` with the vault's own keys (derived from the phrase), as malware with the unlocked vault could. */
  const sealAsVault = async (old: RawRow, version: number, resource: object): Promise<RawRow> => {
    const identity = deriveIdentity(seed);
    const { envelope, dek } = await encryptRecord({ recordId: old.id, patient: identity.messaging.address.toLowerCase(), version }, resource);
    const wrapped = await wrapDek(identity.vault.dekWrap, old.id, dek);
    const { dekRef: _dropped, ...rest } = old;
    return { ...rest, version, envelope: Array.from(envelope.ciphertext), wrappedDek: Array.from(wrapped), contentHash: envelope.contentHash };
  };

  /**
   * Point the encrypted search index's entry for `id` at `hash` (its `h`, which records.get checks), as
   * malware holding the vault's keys would after re-sealing: then the record opens without complaint.
   */
  const rewriteIndexHash = async (id: string, hash: string) => {
    const identity = deriveIdentity(seed);
    const aad = sealedAad.vaultJson('vault', identity.messaging.address.toLowerCase());
    const page = await patient.openPage('popup.html');
    const chunks = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((res) => ((indexedDB.open('securemed-vault').onsuccess = (e) => res((e.target as IDBOpenDBRequest).result))));
      const all = await new Promise<any[]>((res) => ((db.transaction('indexChunks').objectStore('indexChunks').getAll().onsuccess = (e) => res((e.target as IDBRequest).result))));
      db.close();
      return all.map((c) => ({ seq: c.seq as number, blob: Array.from(c.blob as Uint8Array) }));
    });
    const rewritten = [];
    for (const c of chunks) {
      const entries = await openJson<Array<{ id: string; h: string }>>(identity.vault.searchIndex, aad, new Uint8Array(c.blob));
      if (!entries.some((e) => e.id === id)) continue;
      const blob = await sealJson(identity.vault.searchIndex, aad, entries.map((e) => (e.id === id ? { ...e, h: hash } : e)));
      rewritten.push({ seq: c.seq, blob: Array.from(blob) });
    }
    await page.evaluate(async (rows) => {
      const db = await new Promise<IDBDatabase>((res) => ((indexedDB.open('securemed-vault').onsuccess = (e) => res((e.target as IDBOpenDBRequest).result))));
      const store = db.transaction('indexChunks', 'readwrite').objectStore('indexChunks');
      for (const r of rows) await new Promise((res) => ((store.put({ seq: r.seq, blob: new Uint8Array(r.blob) }).onsuccess = res)));
      db.close();
    }, rewritten);
    await page.close();
    expect(rewritten.length).toBe(1);
  };

  /** The third-party check (scripts/verify-record.ts, docs/verify-a-record.md), as a separate process. */
  const verifyRecordScript = (file: string) => {
    const run = spawnSync('npx', ['tsx', 'scripts/verify-record.ts', writeTempFile(`proof-${Math.random()}.json`, file), '--rpc', stack.chain.url, '--contract', stack.deployment.contracts.RecordAnchor], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  };

  /** Point a profile's settings at this test's chain and relayer (the settings form, as a person does). */
  const useTestNetwork = async (session: ExtensionSession) => {
    const settings = await session.openPage('options.html');
    await settings.getByLabel('Chain RPC URL').fill(stack.chain.url);
    await settings.getByLabel('Relayer URL').fill(relayer.url);
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByRole('button', { name: 'Yes, switch network' }).click();
    await expect.poll(() => settings.getByRole('status').last().textContent()).toContain('Settings saved');
    await settings.close();
  };

  const openDetail = async (id: string) => {
    await vault.locator(`[data-record-id="${id}"]`).click();
    await vault.getByTestId('record-verify').waitFor();
  };
  const verifyOpen = async () => {
    await vault.getByTestId('record-verify').getByRole('button', { name: 'Verify', exact: true }).click();
    const result = vault.getByTestId('verify-result');
    await result.waitFor({ timeout: 30_000 });
    return { state: await result.getAttribute('data-state'), text: (await result.textContent())! };
  };

  beforeAll(async () => {
    [stack, patient] = await Promise.all([startChainStack(), ExtensionSession.launch()]);
    relayer = await startTestRelayer(stack);
  }, 120_000);
  afterAll(async () => {
    await patient?.close();
    await relayer?.close();
    await stack?.close();
  });

  it('a new vault, pointed at the chain and relayer of this test', async () => {
    const created = await createVault(patient);
    words = created.words;
    const popup = created.popup;
    await popup.close();
    seed = await mnemonicToSeed(words.join(' '));
    account = deriveAnchoringAccount(seed).address;
    // The anchoring account is none of the patient's other accounts.
    expect(account).not.toBe(deriveIdentity(seed).messaging.address);
    await useTestNetwork(patient);
    vault = await openVaultTab(patient);
    await vault.getByTestId('anchoring-panel').waitFor();
  });

  it('chain down during an import: the records are shown waiting, and anchored with no action once it is back', { timeout: 300_000 }, async () => {
    await stack.chain.stop();
    const summary = await importThroughUi(vault, [writeTempFile('anchor-bundle.json', bundle(0, 5))]);
    expect(summary).toContain('5');
    await expect.poll(() => count('waiting-count'), { timeout: 60_000 }).toBe(5);
    await expect.poll(() => vault.getByTestId('anchoring-reason').textContent(), { timeout: 60_000 }).toMatch(/does not answer|could not be reached/);
    expect(await count('anchored-count')).toBe(0);
    await patient.screenshot(vault, 'anchoring-waiting');

    // The same chain comes back (a fresh node with the contracts at the same addresses).
    await stack.chain.start();
    await stack.redeploy();
    await expect.poll(() => count('anchored-count'), { timeout: 240_000, interval: 2_000 }).toBe(5);
    expect(await count('waiting-count')).toBe(0);
    const events = await anchoredEvents();
    expect(events).toHaveLength(1);
    expect(Number(events[0]!.args[3])).toBe(8); // padded: the chain learns "up to 8", not 5
    ids = (await rawRecords({})).map((r) => r.id);
    expect(ids).toHaveLength(5);
  });

  it('Verify: "Unchanged since <date>, anchored by your vault in block N" — the block the chain shows', async () => {
    const [event] = await anchoredEvents();
    await openDetail(ids[0]!);
    const { state, text } = await verifyOpen();
    expect(state).toBe('unchanged');
    expect(text).toContain(`anchored by your vault in block ${event!.blockNumber}`);
    expect(text).toMatch(/^Unchanged since .*\d{4}/);
    await expect.poll(() => vault.getByTestId('last-batch').textContent()).toContain(`block ${event!.blockNumber}`);
    await patient.screenshot(vault, 'anchoring-verify-unchanged');
  });

  it('Export with proof: a file whose proof and leaf check against the chain, and the third-party script agrees', async () => {
    const { text } = await downloadText(vault, () => vault.getByRole('button', { name: 'Export with proof' }).click());
    const file = ProofFile.parse(JSON.parse(text));
    const [event] = await anchoredEvents();
    expect(file.record.id).toBe(ids[0]);
    expect(file.record.dek).toBeUndefined();
    expect(contentHash(fromBase64(file.record.ciphertext))).toBe(file.record.contentHash);
    expect(anchorLeaf({ recordId: file.record.id, version: file.record.version, contentHash: file.record.contentHash })).toBe(file.leaf);
    expect(verifyRecordProof(file.root, file.leaf, file.proof)).toBe(true);
    expect(file.anchor).toMatchObject({ account, blockNumber: event!.blockNumber, chainId: stack.deployment.chainId, contract: stack.deployment.contracts.RecordAnchor });
    const [anchorer, at] = (await stack.anchor.verify(account, file.leaf, file.proof)) as [string, bigint];
    expect([anchorer, Number(at)]).toEqual([account, file.anchor.blockTime]);

    // The third party's script: passes the file as exported, refuses it with one byte of the ciphertext changed.
    const pass = verifyRecordScript(text);
    expect(pass.out).toMatch(/^VERIFIED/m);
    expect(pass.code).toBe(0);
    const bytes = fromBase64(file.record.ciphertext);
    bytes[20] ^= 1;
    const tampered = verifyRecordScript(JSON.stringify({ ...file, record: { ...file.record, ciphertext: Buffer.from(bytes).toString('base64') } }));
    expect(tampered.out).toMatch(/NOT VERIFIED/);
    expect(tampered.code).toBe(1);

    // With the content and its key: the script also decrypts and compares the readable copy.
    await vault.getByLabel("include the record's content and its key").check();
    const { text: withContent } = await downloadText(vault, () => vault.getByRole('button', { name: 'Export with proof' }).click());
    const full = ProofFile.parse(JSON.parse(withContent));
    expect(full.record.resource).toMatchObject({ resourceType: 'Observation' });
    expect(verifyRecordScript(withContent).code).toBe(0);
    await vault.getByLabel("include the record's content and its key").uncheck();
  }, 300_000);

  it('a backup is saved; then a newer version of one record is anchored in a second batch', { timeout: 180_000 }, async () => {
    ({ text: backupText } = await downloadText(vault, () => vault.getByRole('button', { name: 'Save encrypted backup' }).click()));
    const old = (await rawRecords({})).find((r) => r.id === ids[1])!;
    await rawRecords({ put: await sealAsVault(old, 2, observation(101, 9.9)) });
    await vault.getByTestId('anchor-now').click();
    await expect.poll(async () => (await anchoredEvents()).length, { timeout: 120_000, interval: 1_000 }).toBe(2);
    await expect.poll(() => count('anchored-count'), { timeout: 30_000 }).toBe(5);
  });

  it('a record re-sealed with other content under the vault\'s own keys: it still opens, Verify says it changed after it was anchored', async () => {
    const old = (await rawRecords({})).find((r) => r.id === ids[0])!;
    const resealed = await sealAsVault(old, old.version, { ...observation(0, 123), code: { text: 'Anchor test measurement 0' } });
    await rawRecords({ put: resealed });
    await rewriteIndexHash(resealed.id, resealed.contentHash);
    await vault.close();
    await patient.stopServiceWorker(); // the worker's in-memory index goes; the rewritten one is read
    vault = await openVaultTab(patient);
    await openDetail(ids[0]!);
    // Decryption and the vault's own checks have no objection: the new content is shown.
    await expect.poll(() => vault.getByTestId('fields').textContent(), { timeout: 30_000 }).toContain('123');
    const { state, text } = await verifyOpen();
    expect(state).toBe('changed');
    expect(text).toContain('Changed after it was anchored');
    await patient.screenshot(vault, 'anchoring-verify-changed');
    // A re-sealed version is never anchored again: the chain keeps the original.
    await vault.getByTestId('anchor-now').click();
    expect(await anchoredEvents()).toHaveLength(2);
  });

  it('restoring an older backup brings back version 1 of the record anchored as version 2: flagged', async () => {
    // The newer row is gone (lost with this profile's data, say); the old backup file is restored over the vault.
    await rawRecords({ del: ids[1] });
    const chooser = vault.waitForEvent('filechooser');
    await vault.getByRole('button', { name: 'Restore from backup…' }).click();
    await (await chooser).setFiles(writeTempFile('old-backup.json', backupText));
    await expect.poll(() => vault.getByTestId('backup-message').textContent(), { timeout: 60_000 }).toMatch(/Restored 1 of \d+ items/);
    expect((await rawRecords({})).find((r) => r.id === ids[1])!.version).toBe(1);
    await vault.reload();
    await openDetail(ids[1]!);
    const { state, text } = await verifyOpen();
    expect(state).toBe('rolled_back');
    expect(text).toContain('this is an older version (1)');
    await patient.screenshot(vault, 'anchoring-verify-rolled-back');
  });

  it('Verify all reports exactly those two, with progress and a summary', async () => {
    await vault.getByRole('button', { name: 'Verify all' }).click();
    const summary = vault.getByTestId('verify-summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.getByRole('status').textContent(), (await summary.textContent()) ?? '').toContain('Verified 5 records: 3 unchanged, 2 changed after they were anchored');
    const problems = vault.getByTestId('verify-problem');
    expect(await problems.count()).toBe(2);
    expect((await problems.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).sort()).toEqual(['changed', 'rolled_back']);
    expect(await vault.getByTestId('missing-batches').count()).toBe(0);
    await patient.screenshot(vault, 'anchoring-verify-all');
  });

  it('worker stopped in the middle of a batch: nothing lost, anchored once', async () => {
    await stack.provider.send('evm_setAutomine', [false]);
    await importThroughUi(vault, [writeTempFile('anchor-more.json', bundle(20, 3))]);
    // The batch is saved and its anchoring sent; the transaction waits in the mempool.
    await expect.poll(() => vault.getByTestId('anchoring-reason').textContent(), { timeout: 60_000 }).toContain('waiting for the network');
    await vault.close();
    await patient.stopServiceWorker();
    expect(await patient.workerRunning()).toBe(false);
    await stack.provider.send('evm_setAutomine', [true]);
    await stack.provider.send('evm_mine', []);
    // No page open: the alarm wakes the worker, which finds the batch and follows it to the end.
    await expect.poll(() => patient.workerRunning(), { timeout: 90_000, interval: 1_000 }).toBe(true);
    vault = await openVaultTab(patient);
    await expect.poll(() => count('anchored-count'), { timeout: 120_000, interval: 2_000 }).toBe(6); // 3 new + 3 untouched originals
    expect(await count('waiting-count')).toBe(0);
    expect(await anchoredEvents()).toHaveLength(3);
    expect((await rawRecords({})).length).toBe(8);
    await patient.screenshot(vault, 'anchoring-panel');
  }, 300_000);

  it('a record deleted outside SecureMed: Verify all names it as anchored but no longer in this vault', async () => {
    const title = (await vault.locator(`[data-record-id="${ids[2]}"]`).textContent()) ?? '';
    await rawRecords({ del: ids[2] }); // anything with the profile's storage can do this; no key needed
    await vault.getByRole('button', { name: 'Verify all' }).click();
    const summary = vault.getByTestId('verify-summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.getByRole('status').textContent()).toContain('Verified 7 records: 5 unchanged, 2 changed after they were anchored');
    const gone = summary.getByTestId('gone-records');
    expect(await gone.textContent()).toContain('A record your vault anchored is no longer in this vault');
    const items = gone.getByTestId('gone-record');
    expect(await items.count()).toBe(1);
    const goneTitle = (await items.locator('strong').textContent()) ?? '';
    expect(goneTitle.length).toBeGreaterThan(0);
    expect(title).toContain(goneTitle); // the title the list showed for it, from the local index
    expect(await items.textContent()).toMatch(/Version 1, anchored .* in block \d+/);
    await patient.screenshot(vault, 'anchoring-verify-gone');
  });

  it('a whole vault restored from the old backup in a fresh profile: the chain shows the batches it lacks', { timeout: 300_000 }, async () => {
    const second = await ExtensionSession.launch();
    try {
      const popup = await restoreVault(second, words.join(' '));
      await expect.poll(() => popup.getByTestId('lock-state').textContent(), { timeout: 30_000 }).toContain('Unlocked');
      await popup.close();
      await useTestNetwork(second);
      const tab = await openVaultTab(second);
      const chooser = tab.waitForEvent('filechooser');
      await tab.getByRole('button', { name: 'Restore from backup…' }).click();
      await (await chooser).setFiles(writeTempFile('old-backup-fresh.json', backupText));
      await expect.poll(() => tab.getByTestId('backup-message').textContent(), { timeout: 60_000 }).toMatch(/Restored (\d+) of \1 items/);
      // Batches 2 and 3 (the newer version, the later import) are on chain but not in this copy.
      const events = await anchoredEvents();
      await expect.poll(() => tab.getByTestId('missing-batches').textContent(), { timeout: 60_000 }).toContain('missing 2 batches');
      expect(await tab.getByTestId('missing-batches').textContent()).toContain(`block ${events.at(-1)!.blockNumber}`);
      await tab.getByRole('button', { name: 'Verify all' }).click();
      await tab.getByTestId('verify-summary').waitFor({ timeout: 60_000 });
      expect(await tab.getByTestId('verify-summary').getByTestId('missing-batches').count()).toBe(1);
      await second.screenshot(tab, 'anchoring-missing-batches');
      // The restored copy anchors nothing again: every record it holds is in a batch it restored.
      expect(await anchoredEvents()).toHaveLength(3);
    } finally {
      await second.close();
    }
  });
});
