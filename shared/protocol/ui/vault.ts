import { z } from 'zod';

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
  z.strictObject({ type: z.literal('vault.wipe'), confirm: z.literal('ERASE') }),
] as const;
