// Publishing the patient's encryption key from Settings: a signed action from the extension UI, through
// the transaction queue and the relayer, to a confirmed transaction on a real local chain — with the
// state on screen, and a service-worker stop in the middle that loses nothing.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../shared/crypto/bytes';
import { deriveIdentity, mnemonicToSeed } from '../../shared/crypto/identity';
import type { Relayer } from '../../scripts/relayer/server';
import { startChainStack, startTestRelayer, type ChainStack } from '../integration/helpers/relayer-stack';
import { ExtensionSession } from './harness/extension';
import { createVault } from './flows/vault';

describe('publish my encryption key (Settings → queue → relayer → chain)', () => {
  let stack: ChainStack;
  let relayer: Relayer;
  /** A relayer for another chain: it refuses our action (wrong_chain), which is not worth retrying. */
  let otherChainRelayer: Relayer;
  let patient: ExtensionSession;
  let account: string;
  let publicKey: string;
  let settings: Page;
  const keyStatus = () => settings.getByTestId('key-status').textContent();

  beforeAll(async () => {
    // The relayer lets in the extension's fixed origin (shared/settings/extension-id.ts) by default.
    [stack, patient] = await Promise.all([startChainStack(), ExtensionSession.launch()]);
    [relayer, otherChainRelayer] = await Promise.all([startTestRelayer(stack), startTestRelayer(stack, { deployment: { ...stack.deployment, chainId: 99 } })]);
  }, 120_000);
  afterAll(async () => {
    await patient?.close();
    await relayer?.close();
    await otherChainRelayer?.close();
    await stack?.close();
  });

  it('a new vault, pointed at the chain and relayer this test started (through the settings form)', async () => {
    const { words, address, popup } = await createVault(patient);
    await popup.close();
    const identity = deriveIdentity(await mnemonicToSeed(words.join(' ')));
    account = identity.messaging.address;
    publicKey = `0x${toHex(identity.encryption.pk)}`;
    expect(account).toBe(address);

    settings = await patient.openPage('options.html');
    await settings.getByLabel('Chain RPC URL').fill(stack.chain.url);
    await settings.getByLabel('Relayer URL').fill(otherChainRelayer.url);
    // The contracts are at the local stack's deterministic addresses (the defaults) on a fresh chain.
    expect(await settings.getByLabel('Directory contract address').inputValue()).toBe(stack.deployment.contracts.ProviderDirectory);
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByRole('button', { name: 'Yes, switch network' }).click();
    await expect.poll(() => settings.getByRole('status').last().textContent()).toContain('Settings saved');
    await expect.poll(keyStatus, { timeout: 20_000 }).toContain('Not published yet');
    expect(await settings.getByText('costs you nothing').count()).toBe(1);
  });

  it('a relayer that refuses: "Not published" with its reason in words, and a Retry button', async () => {
    await settings.getByRole('button', { name: 'Publish my encryption key' }).click();
    await expect.poll(keyStatus, { timeout: 20_000 }).toContain('Not published. This relayer submits on chain 99, not 31337.');
    await settings.getByRole('button', { name: 'Retry' }).waitFor();
    await patient.screenshot(settings, 'settings-key-failed');
    // The patient points Settings at a relayer for this chain.
    await settings.getByLabel('Relayer URL').fill(relayer.url);
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByRole('button', { name: 'Yes, switch network' }).click();
    await expect.poll(() => settings.getByRole('status').last().textContent()).toContain('Settings saved');
  });

  it('Retry shows progress on screen; the worker is stopped mid-way; the action still confirms and the chain has the key', async () => {
    // Hold the block: the relayer's transaction waits in the mempool, so "in the middle" is a real state.
    await stack.provider.send('evm_setAutomine', [false]);
    await settings.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(keyStatus, { timeout: 20_000 }).toContain('waiting for the network to confirm it');
    expect(await settings.getByRole('button', { name: 'Publish my encryption key' }).isDisabled()).toBe(true);
    await patient.screenshot(settings, 'settings-key-publishing');
    await settings.close();

    // Stop the worker with the action submitted and unconfirmed, then let the block be mined.
    await patient.stopServiceWorker();
    expect(await patient.workerRunning()).toBe(false);
    await stack.provider.send('evm_setAutomine', [true]);
    await stack.provider.send('evm_mine', []);
    expect(((await stack.directory.encryptionKeyOf(account)) as string).toLowerCase()).toBe(publicKey);

    // No page is open: an alarm wakes the worker, which picks the queue up where the last one stopped.
    await expect.poll(() => patient.workerRunning(), { timeout: 60_000, interval: 1_000 }).toBe(true);
    const queue = async () => (await patient.askBackground<{ actions: Array<{ state: string; txHash?: string; blockNumber?: number; kind: string }> }>({ type: 'chain.queue' })).result?.actions;
    await expect.poll(async () => (await queue())?.[0]?.state, { timeout: 30_000 }).toBe('confirmed');
    const [action] = (await queue())!;
    expect(action).toMatchObject({ kind: 'publishKey', txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    const receipt = await stack.provider.getTransactionReceipt(action!.txHash!);
    expect([receipt?.status, receipt?.blockNumber, receipt?.to]).toEqual([1, action!.blockNumber, stack.deployment.contracts.ProviderDirectory]);

    settings = await patient.openPage('options.html');
    await expect.poll(keyStatus, { timeout: 20_000 }).toContain('Published.');
    const shown = settings.getByTestId('key-tx');
    expect(await shown.getAttribute('title')).toBe(action!.txHash);
    expect(await shown.textContent()).toBe(`${action!.txHash!.slice(0, 6)}…${action!.txHash!.slice(-4)}`);
    expect(await keyStatus()).toContain(`in block ${action!.blockNumber}`);
    expect(await settings.getByRole('button', { name: 'Publish my encryption key' }).count()).toBe(0);
    expect(await settings.locator('body').textContent()).not.toMatch(/[{}]|"state"|ra_[0-9a-f]/); // words, no raw JSON or ids
    await patient.screenshot(settings, 'settings-key-published');
  });

  it('locked: the section says to unlock, and offers nothing to click', async () => {
    const popup = await patient.openPopup();
    await popup.getByRole('button', { name: 'Lock now' }).click();
    await popup.close();
    await settings.reload();
    await expect.poll(keyStatus, { timeout: 10_000 }).toContain('Unlock your vault to see your encryption key on the network');
    expect(await settings.getByRole('button', { name: 'Publish my encryption key' }).count()).toBe(0);
    await settings.close();
  });
});
