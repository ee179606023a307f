// The binding file a portal serves at /.well-known/securemed.json: the grantee key says, once and
// offline, which web origins speak for it (DESIGN.md "Page API"). No hot key on the web server: the
// file is static, its signature is EIP-712 under its own domain (no chain id, no contract: a binding
// is about the web, not one network).
import { TypedDataEncoder, verifyTypedData, Wallet, type TypedDataDomain, type TypedDataField } from 'ethers';
import { z } from 'zod';

export const BINDING_PATH = '/.well-known/securemed.json';
export const BINDING_DOMAIN: TypedDataDomain = { name: 'SecureMed Binding', version: '1' };
export const BINDING_TYPES: Record<string, TypedDataField[]> = {
  Binding: [
    { name: 'grantee', type: 'address' },
    { name: 'origins', type: 'string[]' },
    { name: 'expiresAt', type: 'uint64' },
  ],
};

/** The file as served. `expiresAt` is unix seconds. Bounded so a hostile server cannot make us parse much. */
export const BindingFile = z.strictObject({
  grantee: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  origins: z.array(z.string().min(1).max(512)).min(1).max(32),
  expiresAt: z.number().int().positive(),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
});
export type BindingFile = z.infer<typeof BindingFile>;

/** Sign a binding with the grantee key (`grantee` other than the key's own address only in negative tests). */
export async function signBinding(privateKey: string, origins: string[], expiresAt: number, grantee?: string): Promise<BindingFile> {
  const wallet = new Wallet(privateKey);
  const message = { grantee: grantee ?? wallet.address, origins, expiresAt };
  const signature = await wallet.signTypedData(BINDING_DOMAIN, BINDING_TYPES, message);
  return { ...message, signature };
}

export function bindingDigest(file: Omit<BindingFile, 'signature'>): string {
  return TypedDataEncoder.hash(BINDING_DOMAIN, BINDING_TYPES, { grantee: file.grantee, origins: file.origins, expiresAt: file.expiresAt });
}

export type BindingCheck = { ok: true; grantee: string } | { ok: false; reason: string };

/**
 * Does this file bind `grantee` to `origin` now? Reasons are sentences for a portal developer (they
 * reach the page with code 4100).
 */
export function checkBinding(raw: unknown, origin: string, grantee: string, nowSeconds: number): BindingCheck {
  const parsed = BindingFile.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `${BINDING_PATH} is not a valid SecureMed binding file` };
  const file = parsed.data;
  let signer: string;
  try {
    signer = verifyTypedData(BINDING_DOMAIN, BINDING_TYPES, { grantee: file.grantee, origins: file.origins, expiresAt: file.expiresAt }, file.signature);
  } catch {
    return { ok: false, reason: 'the binding file signature does not verify' };
  }
  if (signer.toLowerCase() !== file.grantee.toLowerCase()) return { ok: false, reason: 'the binding file is not signed by its grantee key' };
  if (!file.origins.includes(origin)) return { ok: false, reason: `the binding file does not list this origin (${origin})` };
  if (file.expiresAt <= nowSeconds) return { ok: false, reason: 'the binding file has expired' };
  if (file.grantee.toLowerCase() !== grantee.toLowerCase()) {
    return { ok: false, reason: `grantee ${grantee} is not the one this origin is bound to (${file.grantee})` };
  }
  return { ok: true, grantee: file.grantee };
}
