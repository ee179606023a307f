import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { ExtensionSession } from '../harness/extension';

/**
 * Onboarding as a person does it, reusable by every feature's e2e test that needs a vault.
 * `shots` names screenshots of each step (saved to docs/screenshots/) when given.
 */
export const PASSPHRASE = 'correct horse battery staple';

export async function createVault(session: ExtensionSession, opts: { shots?: boolean } = {}): Promise<{ words: string[]; address: string; popup: Page }> {
  const popup = await session.openPopup();
  const shot = async (name: string) => opts.shots && (await session.screenshot(popup, name));
  await popup.getByRole('button', { name: 'Create a new vault' }).waitFor();
  await shot('onboarding-1-welcome');
  await popup.getByRole('button', { name: 'Create a new vault' }).click();
  await popup.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await popup.getByLabel('Type it again').fill(PASSPHRASE);
  await shot('onboarding-2-passphrase');
  await popup.getByRole('button', { name: 'Continue' }).click();
  await popup.getByRole('button', { name: 'Show my recovery phrase' }).click();
  const items = await popup.getByTestId('phrase').locator('li').allTextContents();
  const words = items.map((t) => t.replace(/^\d+\./, '').trim());
  expect(words).toHaveLength(12);
  await shot('onboarding-3-phrase');
  await popup.getByLabel('I have written down all 12 words').check();
  await popup.getByRole('button', { name: 'Continue' }).click();
  for (const input of await popup.getByLabel(/^Word #\d+$/).all()) {
    const id = await input.getAttribute('id');
    const label = await popup.locator(`label[for="${id}"]`).textContent();
    await input.fill(words[Number(label!.replace('Word #', '')) - 1]);
  }
  await shot('onboarding-4-confirm');
  await popup.getByRole('button', { name: 'Create my vault' }).click();
  await expect.poll(() => popup.getByTestId('lock-state').textContent(), { timeout: 30_000 }).toContain('Unlocked');
  const address = (await popup.getByTestId('address').textContent())!;
  await shot('onboarding-5-unlocked');
  return { words, address, popup };
}

/**
 * Restore from the phrase. The popup then offers "Restore from the network" (replicas); unless
 * `network` is set, the flow skips it and lands on the unlocked home, as before replicas existed.
 */
export async function restoreVault(session: ExtensionSession, phrase: string, passphrase = PASSPHRASE, opts: { network?: boolean } = {}): Promise<Page> {
  const popup = await session.openPopup();
  await popup.getByRole('button', { name: 'Restore from a recovery phrase' }).click();
  await popup.getByLabel('Recovery phrase').fill(phrase);
  await popup.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await popup.getByLabel('Type it again').fill(passphrase);
  await popup.getByRole('button', { name: 'Restore' }).click();
  if (!opts.network) {
    const screen = popup.getByTestId('network-restore');
    await screen.waitFor({ timeout: 30_000 });
    await screen.getByRole('button', { name: 'Skip' }).click();
  }
  return popup;
}

export async function lockState(session: ExtensionSession): Promise<string> {
  const popup = await session.openPopup();
  await popup.getByTestId('lock-state').waitFor();
  const text = (await popup.getByTestId('lock-state').textContent())!.trim();
  await popup.close();
  return text;
}
