import { z } from 'zod';
import type { Done } from './core';

const Passphrase = z.string().max(1024);

/** The vault's life cycle (extension/keys/, procedures/vault.ts). */
export const vaultRequests = [
  z.strictObject({ type: z.literal('vault.state') }),
  z.strictObject({ type: z.literal('vault.create.begin') }),
  z.strictObject({
    type: z.literal('vault.create.finish'),
    passphrase: Passphrase,
    confirmations: z.array(z.strictObject({ index: z.number().int().min(0).max(23), word: z.string().max(32) })).min(1).max(24),
  }),
  z.strictObject({ type: z.literal('vault.create.cancel') }),
  z.strictObject({ type: z.literal('vault.restore'), phrase: z.string().max(600), passphrase: Passphrase }),
  z.strictObject({ type: z.literal('vault.unlock'), passphrase: Passphrase }),
  z.strictObject({ type: z.literal('vault.lock') }),
  /** Erasing needs the vault unlocked, or the passphrase when it is locked. */
  z.strictObject({ type: z.literal('vault.wipe'), confirm: z.literal('ERASE'), passphrase: Passphrase.optional() }),
] as const;

export type VaultStatus = 'none' | 'locked' | 'unlocked';

/** The vault's state as pages see it: whether there is one, whether it is open, and whose it is. */
export interface VaultState {
  status: VaultStatus;
  /** The main messaging account's address, while unlocked only (never kept in clear). */
  address?: string;
}

/** What each request above answers. Only create.begin carries secret material (the phrase, shown once). */
export interface VaultReplies {
  'vault.state': VaultState;
  'vault.create.begin': { words: string[] };
  'vault.create.finish': VaultState;
  'vault.create.cancel': Done;
  'vault.restore': VaultState;
  'vault.unlock': VaultState;
  'vault.lock': VaultState;
  'vault.wipe': VaultState;
}
