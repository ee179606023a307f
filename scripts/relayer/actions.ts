// The only calls the relayer pays for: the signed (…BySig) functions of our three contracts. One zod
// schema per function checks the whole request (contract, function, every typed-data field, the
// signature); the spec then says which contract may receive it, how to rebuild the EIP-712 typed data
// the patient signed, and how to turn it into call arguments.
import { Interface, type TypedDataDomain, type TypedDataField } from 'ethers';
import { z } from 'zod';
import { ConsentRegistryAbi, ProviderDirectoryAbi, RecordAnchorAbi } from '../../shared/chain/abis';
import {
  ANCHOR_TYPES, CANCEL_NONCES_TYPES, EMERGENCY_DELEGATE_TYPES, ENCRYPTION_KEY_TYPES, GRANT_TYPES, REVOKE_TYPES, anchorDomain,
  consentDomain, directoryDomain,
} from '../../shared/chain/eip712';
import type { RelayFunction } from '../../shared/chain/relayer';

export type ContractName = 'ConsentRegistry' | 'RecordAnchor' | 'ProviderDirectory';

export const INTERFACES: Record<ContractName, Interface> = {
  ConsentRegistry: new Interface(ConsentRegistryAbi),
  RecordAnchor: new Interface(RecordAnchorAbi),
  ProviderDirectory: new Interface(ProviderDirectoryAbi),
};

export const DOMAIN_OF: Record<ContractName, (chainId: number, address: string) => TypedDataDomain> = {
  ConsentRegistry: consentDomain,
  RecordAnchor: anchorDomain,
  ProviderDirectory: directoryDomain,
};

// ------------------------------------------------------------------ field schemas

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address');
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex value');
/** uintN as a decimal string (JSON numbers lose precision past 2^53). */
const uint = (bits: number) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a decimal string without sign or leading zeros')
    .transform((s) => BigInt(s))
    .refine((v) => v < 1n << BigInt(bits), `must fit in uint${bits}`);
/** uint32 fields (scopes, epoch) as JSON numbers. */
const uint32 = z.number().int('must be a whole number').min(0).max(2 ** 32 - 1);
const signature = z
  .string()
  .regex(/^0x([0-9a-fA-F]{128}|[0-9a-fA-F]{130})$/, 'must be a 64-byte (EIP-2098) or 65-byte hex signature');

function request<F extends string, M extends z.ZodRawShape>(fn: F, message: M) {
  return z.strictObject({
    chainId: z.number().int().positive().max(2 ** 53 - 1),
    contract: address,
    function: z.literal(fn),
    message: z.strictObject(message),
    signature,
  });
}

// ------------------------------------------------------------------ the catalogue

export interface ActionSpec {
  /** Contracts that have this function (cancelNoncesBySig exists on two). */
  contracts: readonly ContractName[];
  schema: z.ZodType<{ chainId: number; contract: string; function: string; message: Record<string, unknown>; signature: string }>;
  primaryType: string;
  types: Record<string, TypedDataField[]>;
  /** The message field holding the account that must have signed. */
  signerField: 'patient' | 'account';
  /** Call arguments in ABI order, the compact signature last. */
  args(m: Record<string, unknown>, r: string, vs: string): unknown[];
}

export const ACTIONS = {
  grantBySig: {
    contracts: ['ConsentRegistry'],
    schema: request('grantBySig', {
      patient: address, grantee: address, scopes: uint32, expiresAt: uint(64), purpose: bytes32, epoch: uint32, nonce: uint(256), deadline: uint(256),
    }),
    primaryType: 'Grant',
    types: GRANT_TYPES,
    signerField: 'patient',
    args: (m, r, vs) => [m.patient, m.grantee, m.scopes, m.expiresAt, m.purpose, m.epoch, m.nonce, m.deadline, r, vs],
  },
  revokeBySig: {
    contracts: ['ConsentRegistry'],
    schema: request('revokeBySig', { patient: address, grantee: address, epoch: uint32, nonce: uint(256), deadline: uint(256) }),
    primaryType: 'Revoke',
    types: REVOKE_TYPES,
    signerField: 'patient',
    args: (m, r, vs) => [m.patient, m.grantee, m.epoch, m.nonce, m.deadline, r, vs],
  },
  setEmergencyDelegateBySig: {
    contracts: ['ConsentRegistry'],
    schema: request('setEmergencyDelegateBySig', {
      patient: address, delegate: address, allowed: z.boolean(), epoch: uint32, nonce: uint(256), deadline: uint(256),
    }),
    primaryType: 'EmergencyDelegate',
    types: EMERGENCY_DELEGATE_TYPES,
    signerField: 'patient',
    args: (m, r, vs) => [m.patient, m.delegate, m.allowed, m.epoch, m.nonce, m.deadline, r, vs],
  },
  cancelNoncesBySig: {
    contracts: ['ConsentRegistry', 'ProviderDirectory'],
    schema: request('cancelNoncesBySig', { patient: address, wordPos: uint(256), mask: uint(256), deadline: uint(256) }),
    primaryType: 'CancelNonces',
    types: CANCEL_NONCES_TYPES,
    signerField: 'patient',
    args: (m, r, vs) => [m.patient, m.wordPos, m.mask, m.deadline, r, vs],
  },
  anchorBySig: {
    contracts: ['RecordAnchor'],
    schema: request('anchorBySig', { patient: address, root: bytes32, count: uint(256), deadline: uint(256) }),
    primaryType: 'Anchor',
    types: ANCHOR_TYPES,
    signerField: 'patient',
    args: (m, r, vs) => [m.patient, m.root, m.count, m.deadline, r, vs],
  },
  setEncryptionKeyBySig: {
    contracts: ['ProviderDirectory'],
    schema: request('setEncryptionKeyBySig', { account: address, key: bytes32, previousKey: bytes32, nonce: uint(256), deadline: uint(256) }),
    primaryType: 'EncryptionKey',
    types: ENCRYPTION_KEY_TYPES,
    signerField: 'account',
    args: (m, r, vs) => [m.account, m.key, m.previousKey, m.nonce, m.deadline, r, vs],
  },
} as const satisfies Record<RelayFunction, ActionSpec>; // exactly the functions the shared client names

export type FunctionName = keyof typeof ACTIONS;
export const FUNCTION_NAMES = Object.keys(ACTIONS) as FunctionName[];

export function isFunctionName(v: unknown): v is FunctionName {
  return typeof v === 'string' && Object.hasOwn(ACTIONS, v);
}

/** The request envelope before the per-function schema: enough to pick the schema and name errors. */
export const Envelope = z.object({ function: z.unknown() }).loose();
