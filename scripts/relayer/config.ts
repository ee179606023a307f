// Where the relayer's paying key comes from. On the local Hardhat chain (31337) it is a dev account of
// the well-known test mnemonic, chosen so no test or script that uses low accounts spends its nonces;
// on any other chain it must come from the environment, and the dev keys are refused (they are public,
// and anything sent to them is taken at once).
import { HDNodeWallet, Mnemonic } from 'ethers';
import { EXTENSION_ORIGIN } from '../../shared/settings/extension-id';

const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';
/** Hardhat account #19 (the last of the node's 20 funded accounts). */
export const LOCAL_RELAYER_ACCOUNT_INDEX = 19;
export const LOCAL_CHAIN_ID = 31337;
/** The origins a browser may call the relayer from by default: the extension's fixed origin. */
export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = [EXTENSION_ORIGIN];

export function hardhatDevKey(index: number): string {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(HARDHAT_MNEMONIC), `m/44'/60'/0'/0/${index}`).privateKey;
}

/** The relayer's key: SECUREMED_RELAYER_KEY, or the local dev account on the local chain only. */
export function relayerKey(chainId: number, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SECUREMED_RELAYER_KEY?.trim();
  if (fromEnv) {
    if (chainId !== LOCAL_CHAIN_ID && isDevKey(fromEnv)) throw new Error('SECUREMED_RELAYER_KEY is a public Hardhat test key: never use it on a real network.');
    return fromEnv;
  }
  if (chainId === LOCAL_CHAIN_ID) return hardhatDevKey(LOCAL_RELAYER_ACCOUNT_INDEX);
  throw new Error(`chain ${chainId} is not the local chain: set SECUREMED_RELAYER_KEY to the relayer's funded private key.`);
}

function isDevKey(key: string): boolean {
  const k = key.toLowerCase().replace(/^0x/, '');
  return Array.from({ length: 20 }, (_, i) => hardhatDevKey(i).slice(2)).includes(k);
}

/** SECUREMED_RELAYER_ORIGINS (comma-separated) replaces the default list when set. */
export function allowedOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.SECUREMED_RELAYER_ORIGINS;
  if (raw === undefined) return [...DEFAULT_ALLOWED_ORIGINS];
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}
