import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { assertAccessible } from './axe';
import { chromiumArgs, chromiumPath } from './chromium';

export const EXTENSION_DIR = resolve(__dirname, '../../..', process.env.SECUREMED_OUT_DIR ?? '.output', 'chrome-mv3');
export const SCREENSHOT_DIR = resolve(__dirname, '../../../docs/screenshots');

/**
 * One browser profile with the built extension loaded: the patient's, or the doctor's.
 * Several can run at once; each has its own temporary profile directory.
 */
export class ExtensionSession {
  private constructor(
    public context: BrowserContext,
    public extensionId: string,
    private readonly profileDir: string,
  ) {}

  static async launch(): Promise<ExtensionSession> {
    const profileDir = mkdtempSync(join(tmpdir(), 'securemed-profile-'));
    const { context, extensionId } = await ExtensionSession.open(profileDir);
    return new ExtensionSession(context, extensionId, profileDir);
  }

  /**
   * Close the whole browser and start it again on the same profile, as a patient quitting Chromium
   * does: storage.local and IndexedDB stay, storage.session and worker memory are gone.
   */
  async restartBrowser(): Promise<void> {
    await this.context.close();
    ({ context: this.context, extensionId: this.extensionId } = await ExtensionSession.open(this.profileDir));
  }

  private static async open(profileDir: string): Promise<{ context: BrowserContext; extensionId: string }> {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath(),
      headless: true,
      args: chromiumArgs(EXTENSION_DIR),
      viewport: { width: 1100, height: 800 },
    });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
    return { context, extensionId: new URL(worker.url()).host };
  }

  url(path: string): string {
    return `chrome-extension://${this.extensionId}/${path.replace(/^\//, '')}`;
  }

  /** Open an extension page (popup.html, vault.html, …) in a normal tab, as tests do. */
  async openPage(path: string, size?: { width: number; height: number }): Promise<Page> {
    const page = await this.context.newPage();
    if (size) await page.setViewportSize(size);
    await page.goto(this.url(path));
    return page;
  }

  /** The popup at its real toolbar size. */
  openPopup(): Promise<Page> {
    return this.openPage('popup.html', { width: 360, height: 560 });
  }

  /** The running service worker, waiting for one if the browser stopped it. */
  async serviceWorker(): Promise<Worker> {
    const live = this.context.serviceWorkers().find((w) => w.url().includes(this.extensionId));
    return live ?? this.context.waitForEvent('serviceworker', { timeout: 20_000 });
  }

  /**
   * Stop the service worker the way Chrome does when it is idle: through the DevTools protocol
   * (ServiceWorker.stopAllWorkers), not by reloading the extension. Storage.session survives;
   * worker memory does not. The next event (a message, an alarm) starts a fresh worker.
   */
  async stopServiceWorker(): Promise<void> {
    const page = await this.context.newPage(); // about:blank: must not wake the worker itself
    const cdp = await this.context.newCDPSession(page);
    const stopped = new Promise<void>((resolveStopped) => {
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        if (versions.some((v: { runningStatus: string }) => v.runningStatus === 'stopped')) resolveStopped();
      });
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await Promise.race([stopped, new Promise((r) => setTimeout(r, 5_000))]);
    await cdp.detach();
    await page.close();
  }

  /** Is a worker for this extension running right now, according to the browser? */
  async workerRunning(): Promise<boolean> {
    const page = await this.context.newPage();
    const cdp = await this.context.newCDPSession(page);
    const statuses: string[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const v of versions as Array<{ scriptURL: string; runningStatus: string }>) {
        if (v.scriptURL.includes(this.extensionId)) statuses.push(v.runningStatus);
      }
    });
    await cdp.send('ServiceWorker.enable');
    await new Promise((r) => setTimeout(r, 300));
    await cdp.detach();
    await page.close();
    return statuses.at(-1) === 'running';
  }

  /**
   * Send one UI request to the background from a trusted extension page, exactly as the popup does,
   * and return its response ({ok, result} or {ok:false, error}).
   */
  async askBackground<T = unknown>(request: Record<string, unknown>): Promise<{ ok: boolean; result?: T; error?: string }> {
    const page = await this.openPage('popup.html');
    const response = await page.evaluate((r) => (globalThis as any).chrome.runtime.sendMessage(r), request);
    await page.close();
    return response;
  }

  /** Everything in chrome.storage.<area>, read from a trusted extension page. */
  async readStorage(area: 'local' | 'session' | 'sync'): Promise<Record<string, unknown>> {
    const page = await this.openPage('popup.html');
    const all = await page.evaluate((a) => (globalThis as any).chrome.storage[a].get(null), area);
    await page.close();
    return all;
  }

  /** Every IndexedDB database of the extension, every store, every value, serialised to JSON text. */
  async dumpIndexedDb(): Promise<Record<string, Record<string, string[]>>> {
    const page = await this.openPage('popup.html');
    const dump = await page.evaluate(dumpAllIndexedDb);
    await page.close();
    return dump;
  }

  /** Resolve with the approval window the background opens next (a popup-type window). */
  async waitForApprovalWindow(): Promise<Page> {
    const page = await this.context.waitForEvent('page', { predicate: (p) => p.url().includes('/approve.html'), timeout: 20_000 });
    // Headless windows take the context's viewport; give it the size the background asked for.
    await page.setViewportSize({ width: 420, height: 620 });
    return page;
  }

  /**
   * Saves docs/screenshots/<name>.png and checks the page with axe-core: every page a person is shown
   * in the e2e run must be free of serious or critical WCAG 2.2 A/AA findings (harness/axe.ts).
   */
  async screenshot(page: Page, name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    await assertAccessible(page, name);
    return path;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}

// Runs inside the browser page: kept free of outer-scope references.
async function dumpAllIndexedDb(): Promise<Record<string, Record<string, string[]>>> {
  const out: Record<string, Record<string, string[]>> = {};
  const open = (name: string) =>
    new Promise<IDBDatabase>((res, rej) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => res(req.result);
      req.onerror = () => rej(req.error);
    });
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await open(info.name);
    out[info.name] = {};
    for (const store of Array.from(db.objectStoreNames)) {
      const values = await new Promise<unknown[]>((res, rej) => {
        const req = db.transaction(store, 'readonly').objectStore(store).getAll();
        req.onsuccess = () => res(req.result);
        req.onerror = () => rej(req.error);
      });
      out[info.name][store] = values.map((v) =>
        JSON.stringify(v, (_k, x) => (x instanceof ArrayBuffer || ArrayBuffer.isView(x) ? Array.from(new Uint8Array(x as ArrayBuffer)) : x)),
      );
    }
    db.close();
  }
  return out;
}
