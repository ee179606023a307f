/// <reference types="@nomicfoundation/hardhat-ethers" />
// Types only (hre.ethers); hardhat.config.ts loads the plugin at runtime.
// Shared helpers for the contract tests: deployment, snapshots, time, events and custom errors.
// (No chai matchers plugin here: vitest's expect plus ethers' ABI decoding are enough.)
import hre from 'hardhat';
import { expect } from 'vitest';
import type { Addressable, ContractRunner, ContractTransactionReceipt, ContractTransactionResponse, Interface } from 'ethers';

export const ethers = hre.ethers;
export type Signer = Awaited<ReturnType<typeof hre.ethers.getSigners>>[number];

export const ADMIN_DELAY = 2 * 24 * 3600;

/**
 * A deployed contract whose ABI methods are called dynamically (ethers' Contract), and whose
 * connect() keeps that shape (ethers types it as BaseContract, which has no ABI methods).
 */
export interface Deployed {
  [method: string]: any;
  target: string | Addressable;
  interface: Interface;
  connect(runner: ContractRunner | null): Deployed;
  getAddress(): Promise<string>;
}

export async function deploy(name: string, args: unknown[] = []): Promise<Deployed> {
  return (await ethers.deployContract(name, args)) as unknown as Deployed;
}

export async function deployStack() {
  const signers = await ethers.getSigners();
  const [admin, verifier] = signers;
  const directory = await deploy('ProviderDirectory', [ADMIN_DELAY, admin.address]);
  const consent = await deploy('ConsentRegistry', [await directory.getAddress()]);
  const anchor = await deploy('RecordAnchor', [await consent.getAddress()]);
  await (await directory.grantRole(await directory.VERIFIER_ROLE(), verifier.address)).wait();
  const chainId = (await ethers.provider.getNetwork()).chainId;
  return { signers, admin, verifier, directory, consent, anchor, chainId };
}

export async function snapshot(): Promise<string> {
  return (await hre.network.provider.send('evm_snapshot', [])) as string;
}

export async function revertTo(id: string): Promise<void> {
  const ok = (await hre.network.provider.send('evm_revert', [id])) as boolean;
  if (!ok) throw new Error(`evm_revert(${id}) failed`);
}

export async function now(): Promise<bigint> {
  return BigInt((await ethers.provider.getBlock('latest'))!.timestamp);
}

/** Mines a block `seconds` later than the latest one. */
export async function travel(seconds: number | bigint): Promise<void> {
  await hre.network.provider.send('evm_increaseTime', [Number(seconds)]);
  await hre.network.provider.send('evm_mine', []);
}

/** Sets the timestamp of the next mined transaction (exact expiry boundaries). */
export async function setNextTimestamp(ts: bigint): Promise<void> {
  await hre.network.provider.send('evm_setNextBlockTimestamp', [Number(ts)]);
}

export async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  return (await (await tx).wait())!;
}

/** Asserts the receipt holds exactly one `name` event of `contract`, with these arguments. */
export function expectEvent(
  receipt: ContractTransactionReceipt,
  contract: Pick<Deployed, 'target' | 'interface'>,
  name: string,
  args: unknown[],
): void {
  const address = (contract.target as string).toLowerCase();
  const found = receipt.logs
    .filter((l) => l.address.toLowerCase() === address)
    .map((l) => contract.interface.parseLog(l))
    .filter((e) => e?.name === name);
  expect(found, `${name} events`).toHaveLength(1);
  expect(normalize([...found[0]!.args])).toEqual(normalize(args));
}

/** Asserts the receipt holds no event of `contract` at all (or none named `name`). */
export function expectNoEvent(receipt: ContractTransactionReceipt, contract: Pick<Deployed, 'target' | 'interface'>, name?: string): void {
  const address = (contract.target as string).toLowerCase();
  const names = receipt.logs
    .filter((l) => l.address.toLowerCase() === address)
    .map((l) => contract.interface.parseLog(l)?.name);
  expect(name ? names.filter((n) => n === name) : names).toEqual([]);
}

function normalize(values: unknown[]): unknown[] {
  return values.map((v) => {
    if (typeof v === 'number') return BigInt(v);
    if (typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)) return v.toLowerCase();
    if (typeof v === 'string') return v.toLowerCase();
    if (Array.isArray(v)) return normalize(v);
    return v;
  });
}

/** Asserts the call reverts with custom error `name` (decoded with `contract`'s ABI) and these args. */
export async function expectRevert(
  call: Promise<unknown>,
  contract: Pick<Deployed, 'target' | 'interface'>,
  name: string,
  args?: unknown[],
): Promise<void> {
  let error: unknown;
  try {
    await call;
  } catch (err) {
    error = err;
  }
  expect(error, `expected revert ${name}`).toBeDefined();
  const data = findRevertData(error);
  expect(data, `revert data for ${name} in ${String(error)}`).toBeDefined();
  const parsed = contract.interface.parseError(data!);
  expect(parsed?.name).toBe(name);
  if (args) expect(normalize([...parsed!.args])).toEqual(normalize(args));
}

function findRevertData(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as Record<string, unknown>;
  if (typeof e.data === 'string' && e.data.startsWith('0x') && e.data.length >= 10) return e.data;
  for (const key of ['error', 'info', 'cause', 'data']) {
    const found = findRevertData(e[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

export const randomHash = () => ethers.hexlify(ethers.randomBytes(32));
