import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The import boundaries in eslint.config.mjs, proven to fire: each case lints a one-line snippet with
 * the repository's own config, at a virtual path inside the folder the rule guards.
 */
const ROOT = resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });

async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: resolve(ROOT, path) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// The first lint loads the config and the TypeScript parser: seconds on a busy machine, so once, here.
beforeAll(() => eslint.lintText('', { filePath: resolve(ROOT, 'extension/bridge/warm-up.ts') }), 60_000);

const refused = async (path: string, code: string, why: RegExp) => {
  const errors = await boundaryErrors(path, code);
  expect(errors, `${path}: ${code}`).toHaveLength(1);
  expect(errors[0]).toMatch(why);
};
const allowed = async (path: string, code: string) => expect(await boundaryErrors(path, code), `${path}: ${code}`).toEqual([]);

const CONTENT = /Content scripts .* run in every web page/;
const HEAVY_LIBS = /never import ethers, XMTP or Dexie/;
const BACKGROUND = /never import background-side code/;
const OTHER_PAGE = /do not import other pages/;

describe('content scripts import only the page channel', () => {
  it.each([
    ['extension/bridge/probe.ts', "import { unlocked } from '../keys/unlocked';"],
    ['extension/bridge/probe.ts', "import { sealRecord } from '../../shared/crypto/record-envelope';"],
    ['extension/bridge/probe.ts', "import { vaultDb } from '../records/db';"],
    ['extension/bridge/probe.ts', "import { startMessaging } from '../messaging/start';"],
    ['extension/bridge/probe.ts', "import { ConsentRegistryAbi } from '../../shared/chain/abis';"],
    ['extension/bridge/probe.ts', "import { UiRequest } from '../../shared/protocol/runtime';"],
    ['extension/bridge/probe.ts', "import { PageToExtension } from '../../shared/protocol/page';"],
    ['extension/bridge/probe.ts', "import { z } from 'zod';"],
    ['extension/bridge/probe.ts', "import * as z from 'zod/mini';"],
    ['extension/page-world/probe.ts', "import type { PageRequest } from '../../shared/protocol/page';"],
    ['extension/page-world/probe.ts', "import { Wallet } from 'ethers';"],
    ['extension/page-world/probe.ts', "export { handlePageCall } from '../page-api';"],
    ['extension/entrypoints/probe.content.ts', "import { lock } from '../keys/vault';"],
    ['extension/entrypoints/probe.content.ts', "import Dexie from 'dexie';"],
    ['extension/entrypoints/probe.content.ts', "import { Client } from '@xmtp/xmtp-js';"],
    ['extension/entrypoints/probe.content.ts', "import background from './background';"],
    ['extension/entrypoints/probe.content.ts', "import { Popup } from './popup/Popup';"],
  ])('%s: %s is refused', (path, code) => refused(path, code, CONTENT));

  it.each([
    ['extension/bridge/probe.ts', "import { browser } from 'wxt/browser';"],
    ['extension/bridge/probe.ts', "import { PAGE_PORT, isPageToExtension } from '../../shared/protocol/channel';"],
    ['extension/bridge/probe.ts', "import { ProviderErrorCode } from '../../shared/protocol/errors';"],
    ['extension/bridge/probe.ts', "import { Limits } from '../../shared/protocol/limits';"],
    ['extension/bridge/probe.ts', "import { startBridge } from './bridge';"],
    ['extension/entrypoints/probe.content.ts', "import { defineContentScript } from 'wxt/utils/define-content-script';"],
    ['extension/entrypoints/probe.content.ts', "import { createProvider } from '../page-world/provider';"],
  ])('%s: %s is allowed', (path, code) => allowed(path, code));

  it('the real content scripts pass', async () => {
    const results = await eslint.lintFiles(['extension/bridge', 'extension/page-world', 'extension/entrypoints/*.content.ts']);
    expect(results.length).toBeGreaterThanOrEqual(4);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  });
});

describe('UI pages never import background libraries or background code', () => {
  it.each([
    ['extension/entrypoints/popup/Probe.tsx', "import { Wallet } from 'ethers';"],
    ['extension/entrypoints/vault/Probe.tsx', "import Dexie from 'dexie';"],
    ['extension/entrypoints/messages/Probe.tsx', "import { Client } from '@xmtp/xmtp-js';"],
    ['extension/entrypoints/options/Probe.tsx', "import type { Signer } from 'ethers';"],
    ['extension/ui/Probe.tsx', "import Dexie from 'dexie';"],
  ])('%s: %s is refused', (path, code) => refused(path, code, HEAVY_LIBS));

  it.each([
    ['extension/entrypoints/popup/Probe.tsx', "import { unlock } from '../../keys/vault';"],
    ['extension/entrypoints/vault/Probe.tsx', "import { list } from '../../records/browse';"],
    ['extension/entrypoints/vault/deep/Probe.tsx', "import { vaultDb } from '../../../records/db';"],
    ['extension/entrypoints/messages/Probe.tsx', "import { sendMessage } from '../../messaging/outbox';"],
    ['extension/entrypoints/options/Probe.tsx', "import { readSettings } from '../../settings/store';"],
    ['extension/entrypoints/options/Probe.tsx', "import { publishEncryptionKey } from '../../tx-queue/publish-key';"],
    ['extension/ui/Probe.tsx', "import { encryptionKeyOf } from '../chain/reads';"],
    ['extension/entrypoints/approve/Probe.tsx', "import { decide } from '../../approvals/approvals';"],
    ['extension/ui/Probe.tsx', "import { unlocked } from '../keys/unlocked';"],
    ['extension/entrypoints/vault/Probe.tsx', "import type { ListEntry } from '../../records/browse';"],
  ])('%s: %s is refused', (path, code) => refused(path, code, BACKGROUND));

  it.each([
    ['extension/entrypoints/vault/Probe.tsx', "import type { ListPage } from '../../../shared/protocol/ui/records';"],
    ['extension/entrypoints/vault/Probe.tsx', "import { ask } from '../../ui/messenger';"],
    ['extension/entrypoints/options/Probe.tsx', "import { Settings } from '../../../shared/settings/schema';"],
    ['extension/entrypoints/vault/Probe.tsx', "import { RecordsRequests } from '../../../shared/protocol/ui/records';"],
  ])('%s: %s is allowed', (path, code) => allowed(path, code));
});

describe('pages do not import other pages', () => {
  it.each([
    ['extension/entrypoints/vault/Probe.tsx', "import { Unlock } from '../popup/Unlock';"],
    ['extension/entrypoints/approve/Probe.tsx', "import type { VaultState } from '../popup/Popup';"],
    ['extension/entrypoints/popup/Probe.tsx', "import { RecordBrowser } from '../vault/RecordBrowser';"],
  ])('%s: %s is refused', (path, code) => refused(path, code, OTHER_PAGE));

  it('the background entrypoint never imports a page', () =>
    refused('extension/entrypoints/background.ts', "import { Popup } from './popup/Popup';", /background never imports an extension page/));

  it('extension/ui/ never imports a page', () => refused('extension/ui/Probe.tsx', "import { Popup } from '../entrypoints/popup/Popup';", /never imports a page/));

  it('a page may import its own folder and extension/ui/', async () => {
    await allowed('extension/entrypoints/vault/Probe.tsx', "import { VaultPage } from './VaultPage';");
    await allowed('extension/entrypoints/popup/Probe.tsx', "import { Logo } from '../../ui/Logo';");
  });
});
