import type { Page } from 'playwright-core';
import { attestGrantee } from '../../../scripts/portal/grantee';
import type { Relayer } from '../../../scripts/relayer/server';
import { startChainStack, startTestRelayer, type ChainStack } from '../../integration/helpers/relayer-stack';
import { answerApproval } from '../harness/approval';
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
  const stack: ConsentStack = {
    chain,
    relayer,
    async close() {
      await stack.relayer.close().catch(() => undefined);
      await chain.close().catch(() => undefined);
    },
  };
  return stack;
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
  // No vitest here: the bench (scripts/bench/) runs this flow outside a test.
  if (!saved.ok) throw new Error(`settings were not saved: ${JSON.stringify(saved)}`);
}

/** Click the portal's request button (a real click: the user gesture the bridge checks). */
export async function clickRequest(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Share lab results and medicines' }).click();
}

/** A demo site (portal or EHR) open in the patient's browser, once its SDK has found SecureMed. */
export async function openDemoSite(session: ExtensionSession, url: string): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(url);
  await page.getByRole('status').filter({ hasText: 'SecureMed found' }).waitFor({ timeout: 15_000 });
  return page;
}

/** Connect as the patient does: the site's button, then Allow in the approval window. */
export async function connectSite(session: ExtensionSession, page: Page): Promise<void> {
  const approval = session.waitForApprovalWindow();
  await page.getByRole('button', { name: 'Connect SecureMed' }).click();
  await answerApproval(await approval, 'Allow');
  await page.getByRole('status').filter({ hasText: 'Connected to SecureMed' }).waitFor({ timeout: 15_000 });
}

/**
 * The site asks for a permission (`ask`, a real click), the window shows the grantee's directory status,
 * the patient allows. Returns the approval window (closed by then).
 */
export async function allowPermissionRequest(session: ExtensionSession, ask: () => Promise<void>): Promise<Page> {
  const approval = session.waitForApprovalWindow();
  await ask();
  const win = await approval;
  await win.getByTestId('grantee-status').waitFor({ timeout: 15_000 });
  await answerApproval(win, 'Allow');
  return win;
}

export const accessText = (page: Page) => page.getByTestId('access').textContent();
export const eventsText = (page: Page) => page.getByTestId('events').textContent();

/** The relayer goes away (its port closes); `back()` starts it again on the same port, as an operator would. */
export async function stopRelayer(stack: ConsentStack): Promise<{ back(): Promise<void> }> {
  const port = Number(new URL(stack.relayer.url).port);
  await stack.relayer.close();
  return {
    async back() {
      stack.relayer = await startTestRelayer(stack.chain, { port });
    },
  };
}

/** Chain time travel (Hardhat): block time moves on by `seconds`, and a block is mined at the new time. */
export async function advanceChainTime(stack: ConsentStack, seconds: number): Promise<void> {
  await stack.chain.provider.send('evm_increaseTime', [seconds]);
  await stack.chain.provider.send('evm_mine', []);
}

/**
 * A hosted portal: one origin, several providers. Serves a bare page (window.call) and a binding file
 * with one binding per grantee, each signed by that grantee's key (with CORS, as the background fetches it).
 */
export async function startHostedPortal(granteeKeys: string[]): Promise<{ url: string; grantees: string[]; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const { Wallet } = await import('ethers');
  const { BINDING_PATH, signBinding } = await import('../../../shared/chain/binding');
  const { DEMO_PAGE } = await import('../harness/demo-page');
  const files: Record<string, { type: string; body: string }> = { '/': { type: 'text/html; charset=utf-8', body: DEMO_PAGE } };
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store', 'access-control-allow-origin': '*' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const expiresAt = Math.floor(Date.now() / 1000) + 365 * 86_400;
  const bindings = await Promise.all(granteeKeys.map((k) => signBinding(k, [url], expiresAt)));
  files[BINDING_PATH] = { type: 'application/json', body: JSON.stringify({ bindings }) };
  return {
    url,
    grantees: granteeKeys.map((k) => new Wallet(k).address),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
