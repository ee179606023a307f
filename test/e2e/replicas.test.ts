import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBundle, markersIn } from '../../shared/fhir/synthetic';
import { mnemonicToSeed } from '../../shared/crypto/identity';
import { deriveReplicaKeys } from '../../shared/crypto/replica-keys';
import { ipnsName } from '../../extension/replicas/cid';
import { NodeSet } from '../../extension/replicas/fetch';
import { openManifest, openPack } from '../../extension/replicas/format';
import { verifyIpnsRecord } from '../../extension/replicas/ipns';
import { getIpnsRecord, localRefs } from '../../extension/replicas/node-client';
import type { ReplicasStatus } from '../../shared/protocol/ui/replicas';
import { startStorageNode, type StorageNode } from '../../storage-nodes/launch';
import type { Relayer } from '../../scripts/relayer/server';
import { startChainStack, startTestRelayer, type ChainStack } from '../integration/helpers/relayer-stack';
import { ExtensionSession } from './harness/extension';
import { createVault, restoreVault } from './flows/vault';
import { importThroughUi, listCount, openVaultTab, writeTempFile } from './flows/records';

/**
 * Encrypted replicas on three real storage nodes, as a patient lives it: records imported → every node
 * holds the head and the manifest → the profile is gone, and one node now serves damaged blocks → a
 * fresh profile restores from the phrase alone (on the nodes the patient enters, which become its
 * settings), bypassing that node, and the same records open and verify against their anchors on a
 * real local chain (anchored through the relayer before the profile was lost). Then health: the damaged node is repaired;
 * one node stopped, another wiped → the vault page shows both, the wiped one is refilled and the stopped
 * one catches up when it is back. Finally no node's disk holds
 * the corpus's clinical strings or the patient's address.
 */
describe('replicas on storage nodes (patient, in Chromium)', () => {
  const { bundle, expected } = generateBundle(40, { seed: 17 });
  const valid = expected.filter((e) => e.ok).length;
  const markers = markersIn(((bundle.entry as Array<{ resource?: unknown }>) ?? []).map((e) => e.resource).filter(Boolean));
  let root: string;
  let nodes: StorageNode[];
  let first: ExtensionSession;
  let fresh: ExtensionSession | undefined;
  let words: string[];
  let address: string;
  let stack: ChainStack;
  let relayer: Relayer;

  const nodeList = () => nodes.map((n) => ({ url: n.url }));
  /** This test's chain and relayer (so records are anchored), and — unless kept as they are — its storage nodes. */
  async function useLocalStack(session: ExtensionSession, opts: { keepNodes?: boolean } = {}): Promise<void> {
    const current = await session.askBackground<{ settings: Record<string, unknown> }>({ type: 'settings.get' });
    const settings = { ...current.result!.settings, rpcUrl: stack.chain.url, relayerUrl: relayer.url, ...(opts.keepNodes ? {} : { storageNodes: nodeList() }) };
    const saved = await session.askBackground({ type: 'settings.save', settings, confirmNetworkChange: true });
    expect(saved.ok, JSON.stringify(saved)).toBe(true);
  }
  async function sync(session: ExtensionSession): Promise<ReplicasStatus> {
    const reply = await session.askBackground<ReplicasStatus>({ type: 'replicas.sync' });
    expect(reply.ok).toBe(true);
    return reply.result!;
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'securemed-e2e-nodes-'));
    nodes = await Promise.all([1, 2, 3].map((i) => startStorageNode({ dir: join(root, `node-${i}`) })));
    [first, stack] = await Promise.all([ExtensionSession.launch(), startChainStack()]);
    relayer = await startTestRelayer(stack);
  }, 120_000);
  afterAll(async () => {
    await first?.close();
    await fresh?.close();
    await Promise.all((nodes ?? []).map((n) => n.stop()));
    await relayer?.close();
    await stack?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('replicates imported records to all three nodes: each holds the signed head and its manifest', async () => {
    ({ words, address } = await createVault(first));
    await useLocalStack(first);
    const vault = await openVaultTab(first);
    expect(await importThroughUi(vault, [writeTempFile('replica-export.json', JSON.stringify(bundle))])).toContain(`${valid} records added`);
    // Anchored on the chain before the copy is taken, so the batch rows travel with the records.
    const anchored = async () => Number(((await vault.getByTestId('anchored-count').textContent()) ?? '').replace(/[^\d]/g, ''));
    await expect.poll(anchored, { timeout: 120_000, interval: 2_000 }).toBe(valid);

    const status = await sync(first);
    expect(status).toMatchObject({ current: 3, total: 3 });
    const keys = deriveReplicaKeys(await mnemonicToSeed(words.join(' ')));
    for (const node of nodes) {
      const head = verifyIpnsRecord((await getIpnsRecord(node, ipnsName(keys.ipnsPublic)))!, keys.ipnsPublic);
      expect(head?.value).toMatch(/^\/ipfs\/b/);
      expect((await localRefs(node)).has(head!.value.slice('/ipfs/'.length))).toBe(true);
    }

    await vault.reload();
    const panel = vault.getByTestId('replicas-panel');
    await expect.poll(() => panel.getByTestId('replicas-count').textContent()).toBe('3 of 3 copies current');
    await panel.scrollIntoViewIfNeeded();
    await first.screenshot(vault, 'replicas-vault-panel');
    const popup = await first.openPopup();
    await expect.poll(() => popup.getByTestId('copies-summary').textContent()).toContain('3 of 3 copies current');
  });

  it('restores in a fresh profile from the phrase alone, bypassing a node that serves damaged blocks: the same records open and verify', async () => {
    await first.close();
    // One node now serves damaged data (every block it holds has a changed byte): the restore must notice
    // (each block is hash-checked on arrival), take those blocks from the other nodes, and say so.
    for (const file of filesUnder(join(nodes[0]!.dir, 'blocks'))) {
      const bytes = readFileSync(file);
      bytes[bytes.length - 1]! ^= 0xff;
      writeFileSync(file, bytes);
    }
    fresh = await ExtensionSession.launch();
    const popup = await restoreVault(fresh, words.join(' '), undefined, { network: true });
    const screen = popup.getByTestId('network-restore');
    await screen.waitFor({ timeout: 30_000 });
    // This profile has the default node list: the patient enters their own nodes first.
    await screen.getByLabel('I use my own storage nodes').check();
    await screen.getByLabel('Storage node addresses').fill(nodes.map((n) => n.url).join('\n'));
    await fresh.screenshot(popup, 'replicas-restore-from-network');
    await screen.getByRole('button', { name: 'Restore from the network' }).click();
    const done = popup.getByTestId('network-restore-done');
    // Every replicated row comes back: the records and what else the vault keeps (e.g. anchor batches).
    await expect.poll(() => done.textContent(), { timeout: 60_000 }).toMatch(/\d+ items? (is|are) back/);
    expect(Number(/(\d+) items? (is|are) back/.exec((await done.textContent())!)![1])).toBeGreaterThanOrEqual(valid);
    expect(await done.textContent()).toContain('1 storage node served damaged data and was skipped');
    await expect.poll(() => popup.getByTestId('network-restore-nodes-saved').count()).toBe(1);
    await fresh.screenshot(popup, 'replicas-restore-done');
    // The nodes the patient entered are now the vault's storage nodes (new records are copied to them).
    const settings = await fresh.askBackground<{ settings: { storageNodes: unknown } }>({ type: 'settings.get' });
    expect(settings.result!.settings.storageNodes).toEqual(nodeList());
    await popup.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => popup.getByTestId('address').textContent()).toBe(address);

    await useLocalStack(fresh, { keepNodes: true }); // the chain the records were anchored on
    const vault = await openVaultTab(fresh);
    await expect.poll(() => listCount(vault)).toBe(valid);
    await vault.locator('.record-row').first().click();
    await expect.poll(() => vault.getByTestId('record-detail').getByRole('heading', { level: 2 }).count()).toBe(1);
    // …and verifies: the restored bytes are the ones anchored before the profile was lost.
    await vault.getByTestId('record-verify').getByRole('button', { name: 'Verify', exact: true }).click();
    const result = vault.getByTestId('verify-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-state'), (await result.textContent()) ?? '').toBe('unchanged');
    expect(await result.textContent()).toMatch(/Unchanged since .*block \d+/);
  }, 180_000);

  it('health: the damaged node is repaired; a stopped node and a wiped node show on the vault page; the wiped one is refilled, the stopped one catches up', async () => {
    const session = fresh!; // its node list is the one entered for the restore (no settings change here)
    // The node that served damaged blocks during the restore is checked block by block and repaired (by
    // this pass or the background's own): alone, it then serves the whole current copy intact.
    // (Polled: in one of five runs the first pass left one node not current; what it showed is in the message.)
    await expect
      .poll(async () => {
        const status = await sync(session);
        if (status.current !== 3) console.log('replicas e2e: not every node current yet', JSON.stringify(status.nodes));
        return status.current;
      }, { timeout: 90_000 })
      .toBe(3);
    const keys = deriveReplicaKeys(await mnemonicToSeed(words.join(' ')));
    const alone = new NodeSet([nodes[0]!]);
    const head = await alone.head(keys);
    const manifest = await openManifest(keys, await alone.block(head!.value.slice('/ipfs/'.length)));
    expect(manifest.v).toBe(2);
    let restoredRows = 0;
    for (const pack of manifest.v === 2 ? manifest.packs : []) restoredRows += (await openPack(keys, pack, await Promise.all(pack.parts.map((cid) => alone.block(cid))))).length;
    expect(restoredRows).toBeGreaterThanOrEqual(valid);
    expect(alone.damaged.size).toBe(0);

    await nodes[2]!.stop();
    for (const file of filesUnder(join(nodes[1]!.dir, 'blocks'))) rmSync(file);
    const status = await sync(session);
    const [, wiped, stopped] = status.nodes;
    expect(stopped).toMatchObject({ state: 'unreachable' });
    expect(stopped!.unreachableSince).toBeTruthy();
    expect(wiped!.state).toBe('current');
    // 'current' is read from what the node holds on its own disk (refs/local): the wiped node has every
    // block again. The refill may already have been done by the background's own pass (it runs after
    // every change and on an alarm), so this pass's refill count is not asserted.
    expect(status.current).toBe(2);

    const vault = await openVaultTab(session);
    const panel = vault.getByTestId('replicas-panel');
    await expect.poll(() => panel.getByTestId('replicas-count').textContent()).toBe('2 of 3 copies current');
    expect(await panel.locator('[data-state="unreachable"]').textContent()).toContain('Unreachable since');
    expect(await panel.locator('[data-testid="replica-node"]').nth(1).textContent()).toMatch(/Holds the latest version since/);
    await panel.scrollIntoViewIfNeeded();
    await session.screenshot(vault, 'replicas-health');

    nodes[2] = await startStorageNode({ dir: nodes[2]!.dir, port: nodes[2]!.port });
    expect(await sync(session)).toMatchObject({ current: 3, total: 3 });
  });

  it('a profile that skipped the network restore does not replace the copy on the nodes with its empty vault', async () => {
    const keys = deriveReplicaKeys(await mnemonicToSeed(words.join(' ')));
    const headOn = async (node: StorageNode) => verifyIpnsRecord((await getIpnsRecord(node, ipnsName(keys.ipnsPublic)))!, keys.ipnsPublic);
    const before = await headOn(nodes[0]!);
    const skipper = await ExtensionSession.launch();
    try {
      await restoreVault(skipper, words.join(' ')); // "Skip" on the network screen
      await useLocalStack(skipper);
      const status = await sync(skipper);
      expect(status.note).toMatch(/newer copy/);
      // The copy is unchanged: same manifest, same sequence. (The first profile's own health check may
      // republish that same head meanwhile with a later validity, which is expected.)
      for (const node of nodes) expect(await headOn(node)).toMatchObject({ value: before!.value, sequence: before!.sequence });
    } finally {
      await skipper.close();
    }
  });

  it("no node's disk holds the corpus's clinical strings or the patient's address", async () => {
    expect(markers.length).toBeGreaterThan(3);
    const needles = [...markers, address, address.toLowerCase(), address.slice(2).toLowerCase()];
    let files = 0;
    for (const node of nodes) {
      for (const file of filesUnder(node.dir)) {
        const text = readFileSync(file).toString('latin1');
        files++;
        for (const needle of needles) expect(text.includes(needle), `${needle} on ${node.url}`).toBe(false);
      }
    }
    expect(files).toBeGreaterThan(nodes.length * 3); // on each node: blocks, pins and the IPNS record
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
