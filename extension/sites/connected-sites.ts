import { browser } from 'wxt/browser';

/**
 * Which sites the patient let connect, and the pairwise account each one sees. Held in
 * storage.session for now: the list reveals relationships, so at rest it belongs inside the encrypted
 * vault (with the permissions it will carry).
 */
const KEY = 'connectedSites';

export interface ConnectedSite {
  origin: string;
  /** The site's own pairwise account (docs/architecture.md: sites cannot link a patient across each other). */
  address: string;
  connectedAt: number;
}

export async function connectedSites(): Promise<ConnectedSite[]> {
  const stored = await browser.storage.session.get(KEY);
  return (stored[KEY] as ConnectedSite[] | undefined) ?? [];
}

export async function connectedSite(origin: string): Promise<ConnectedSite | undefined> {
  return (await connectedSites()).find((site) => site.origin === origin);
}

export async function addConnectedSite(site: ConnectedSite): Promise<void> {
  const sites = (await connectedSites()).filter((s) => s.origin !== site.origin);
  await browser.storage.session.set({ [KEY]: [...sites, site] });
}
