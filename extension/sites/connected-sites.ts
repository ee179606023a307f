import { browser } from 'wxt/browser';

/**
 * Which sites the patient let connect. Held in storage.session for now: the list reveals
 * relationships, so at rest it belongs inside the encrypted vault (added with the vault itself).
 */
const KEY = 'connectedSites';

export async function connectedSites(): Promise<string[]> {
  const stored = await browser.storage.session.get(KEY);
  return (stored[KEY] as string[] | undefined) ?? [];
}

export async function isConnected(origin: string): Promise<boolean> {
  return (await connectedSites()).includes(origin);
}

export async function addConnectedSite(origin: string): Promise<void> {
  const sites = await connectedSites();
  if (!sites.includes(origin)) await browser.storage.session.set({ [KEY]: [...sites, origin] });
}
