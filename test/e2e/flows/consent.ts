import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { attestGrantee } from '../../../scripts/portal/grantee';
import type { Relayer } from '../../../scripts/relayer/server';
import { startChainStack, startTestRelayer, type ChainStack } from '../../integration/helpers/relayer-stack';
import type { ExtensionSession } from '../harness/extension';

/**
 * The real local stack for consent tests: a Hardhat node with our contracts, the demo grantee attested
 * by the verifier, and the relayer; the extension's settings pointed at them (as a patient would on the
 * settings page, here through the same UI request).
 */
export interface ConsentStack {
  chain: ChainStack;
  relayer: Relayer;
  close(): Promise<void>;
}

export async function startConsentStack(): Promise<ConsentStack> {
  const chain = await startChainStack();
  await attestGrantee(chain.chain.url, chain.deployment);
  const relayer = await startTestRelayer(chain);
  return {
    chain,
    relayer,
    async close() {
      await relayer.close().catch(() => undefined);
      await chain.close().catch(() => undefined);
    },
  };
}

export async function pointExtensionAt(session: ExtensionSession, stack: ConsentStack): Promise<void> {
  const current = await session.askBackground<{ settings: Record<string, unknown> }>({ type: 'settings.get' });
  const settings = {
    ...current.result!.settings,
    chainId: stack.chain.deployment.chainId,
    rpcUrl: stack.chain.chain.url,
    relayerUrl: stack.relayer.url,
    contracts: stack.chain.deployment.contracts,
  };
  const saved = await session.askBackground({ type: 'settings.save', settings, confirmNetworkChange: true });
  expect(saved.ok, JSON.stringify(saved)).toBe(true);
}

/** Click the portal's request button (a real click: the user gesture the bridge checks). */
export async function clickRequest(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Share lab results and medicines' }).click();
}

export const accessText = (page: Page) => page.getByTestId('access').textContent();
export const eventsText = (page: Page) => page.getByTestId('events').textContent();
