// The paying side: simulate, send from the relayer's key, follow the transaction to its receipt.
// - Sends are serial (one at a time, nonce from the node's pending count), so a restarted chain or a
//   dropped transaction never leaves a nonce gap behind; receipts are followed concurrently.
// - A send is simulated again right before it goes out when the acceptance simulation is more than 2 s
//   old (a retry, a long queue): state may have changed since (another signature landed), and a call
//   that would now revert is not paid for. Within 2 s a revert on chain is possible only if another
//   transaction touching the same state lands in between; it costs the relayer that one transaction.
// - A chain that does not answer is retried with backoff (status stays pending, the reason says so);
//   after `attempts` tries the request fails as retryable. A transaction the chain forgot (a restarted
//   local chain) is re-simulated and re-sent.
import type { JsonRpcProvider, Wallet } from 'ethers';
import type { Sponsorship } from './policy';
import { explainRevert, isRevert, revertData, transportMessage } from './reasons';
import type { RelayRecord, RequestStore } from './store';

export interface RetryConfig {
  /** Tries (sends or re-sends) before a request fails as retryable. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How often a sent transaction's receipt is polled. */
  pollMs: number;
  /** Polls that find neither receipt nor transaction (the chain answering) before re-sending. */
  lostAfterPolls: number;
}

export const DEFAULT_RETRY: RetryConfig = { attempts: 8, baseDelayMs: 500, maxDelayMs: 15_000, pollMs: 250, lostAfterPolls: 8 };

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas?: bigint;
}

export type Simulation = { ok: true; gas: bigint } | { ok: false; error: string; reason: string };

/** The chain did not answer (or the contract is missing there): worth trying again later. */
export class ChainUnavailable extends Error {}

/** A simulation this recent is reused for the first send instead of simulating again. */
const FRESH_SIMULATION_MS = 2_000;

export class Submitter {
  private readonly queue: string[] = [];
  /** Gas from the acceptance simulation, per request, while it is fresh. */
  private readonly accepted = new Map<string, { gas: bigint; fees: Fees; at: number }>();
  private running = false;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly provider: JsonRpcProvider,
    private readonly wallet: Wallet,
    private readonly store: RequestStore,
    private readonly sponsorship: Sponsorship,
    private readonly retry: RetryConfig,
    private readonly log: (line: string) => void,
  ) {}

  /** eth_estimateGas from the relayer's account. Throws ChainUnavailable when the chain does not answer. */
  async simulate(to: string, data: string): Promise<Simulation> {
    try {
      // An address without code "succeeds" every call: after a chain restart the contracts may be gone.
      if ((await this.provider.getCode(to)) === '0x') {
        throw new ChainUnavailable(`No contract at ${to} on this chain (was the chain restarted without redeploying?).`);
      }
      return { ok: true, gas: await this.provider.estimateGas({ from: this.wallet.address, to, data }) };
    } catch (e) {
      if (e instanceof ChainUnavailable) throw e;
      if (isRevert(e)) return { ok: false, ...explainRevert(revertData(e)) };
      throw new ChainUnavailable(`The chain did not answer (${transportMessage(e)}).`);
    }
  }

  /** The fees the relayer would pay now: maxFee reserves budget; both go into a fresh first send. */
  async fees(): Promise<Fees> {
    try {
      const fee = await this.provider.getFeeData();
      if (fee.maxFeePerGas !== null && fee.maxPriorityFeePerGas !== null) {
        return { maxFeePerGas: fee.maxFeePerGas, maxPriorityFeePerGas: fee.maxPriorityFeePerGas };
      }
      return { maxFeePerGas: fee.gasPrice ?? 0n }; // a chain without EIP-1559
    } catch (e) {
      throw new ChainUnavailable(`The chain did not answer (${transportMessage(e)}).`);
    }
  }

  /** `accepted`: the acceptance simulation and fees, reused if the request goes out within 2 s. */
  enqueue(id: string, accepted?: { gas: bigint; fees: Fees }): void {
    if (accepted) this.accepted.set(id, { ...accepted, at: Date.now() });
    this.queue.push(id);
    void this.drain();
  }

  /** After a restart with a data file: queued requests go back in line, sent ones are followed. */
  resume(): void {
    for (const r of this.store.pending()) {
      if (r.stage === 'sent' && r.txHash) void this.follow(r.id, r.txHash);
      else this.enqueue(r.id);
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closed && this.queue.length > 0) await this.send(this.queue.shift()!);
    } finally {
      this.running = false;
    }
  }

  private async send(id: string): Promise<void> {
    const r = this.store.get(id);
    if (!r || r.status !== 'pending') return;
    const attempt = r.attempts + 1;
    this.store.update(id, { attempts: attempt, stage: 'queued' });
    const accepted = this.accepted.get(id);
    this.accepted.delete(id);
    const fresh = accepted && Date.now() - accepted.at < FRESH_SIMULATION_MS ? accepted : undefined;
    try {
      // Re-simulated (and fees asked again) unless the acceptance ones are only moments old.
      const sim = fresh ? ({ ok: true, gas: fresh.gas } as const) : await this.simulate(r.contract, r.data);
      if (!sim.ok) return this.fail(r, sim.reason, false, sim.error);
      const fees = fresh?.fees.maxPriorityFeePerGas !== undefined ? fresh.fees : {};
      const tx = await this.wallet.sendTransaction({ to: r.contract, data: r.data, gasLimit: (sim.gas * 12n) / 10n + 10_000n, ...fees });
      this.store.update(id, { stage: 'sent', txHash: tx.hash, reason: undefined });
      this.log(`relayer: ${r.function} ${id} sent as ${tx.hash}`);
      void this.follow(id, tx.hash);
    } catch (e) {
      const why = e instanceof ChainUnavailable ? e.message : isRevert(e) ? explainRevert(revertData(e)).reason : `Sending failed (${transportMessage(e)}).`;
      this.retryLater(r, why);
    }
  }

  private retryLater(r: RelayRecord, why: string): void {
    if (r.attempts >= this.retry.attempts) {
      return this.fail(r, `${why} Gave up after ${r.attempts} attempts: submit it again later.`, true);
    }
    const delay = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (r.attempts - 1));
    this.store.update(r.id, { stage: 'queued', reason: `${why} Retrying in ${Math.ceil(delay / 1000)} s (attempt ${r.attempts} of ${this.retry.attempts}).` });
    this.later(delay, () => this.enqueue(r.id));
  }

  /** Polls the receipt until the transaction is mined, or the chain shows it has lost it. */
  private async follow(id: string, hash: string): Promise<void> {
    let missing = 0;
    while (!this.closed) {
      const r = this.store.get(id);
      if (!r || r.status !== 'pending' || r.txHash !== hash) return;
      try {
        const receipt = await this.provider.getTransactionReceipt(hash);
        if (receipt) {
          const paid = receipt.gasUsed * receipt.gasPrice;
          this.settle(r, paid);
          if (receipt.status === 1) {
            this.store.update(id, { status: 'confirmed', stage: 'done', blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString(), paidWei: paid.toString(), reason: undefined });
          } else {
            this.store.update(id, { status: 'failed', stage: 'done', retryable: false, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString(), paidWei: paid.toString(), reason: 'The transaction was mined but reverted (the state changed between the simulation and the block).' });
          }
          return;
        }
        missing = (await this.provider.getTransaction(hash)) ? 0 : missing + 1;
        if (missing >= this.retry.lostAfterPolls) {
          this.log(`relayer: ${hash} is unknown to the chain; re-sending ${id}`);
          this.store.update(id, { txHash: undefined, stage: 'queued' });
          return this.retryLater(this.store.get(id)!, 'The chain lost the transaction (was it restarted?).');
        }
        if (r.reason) this.store.update(id, { reason: undefined });
      } catch (e) {
        if (r.reason === undefined) this.store.update(id, { reason: `Sent; waiting for the chain to answer (${transportMessage(e)}).` });
      }
      await new Promise<void>((done) => this.later(this.retry.pollMs, done));
    }
  }

  private fail(r: RelayRecord, reason: string, retryable: boolean, error?: string): void {
    this.settle(r, 0n);
    this.store.update(r.id, { status: 'failed', stage: 'done', reason, retryable, error });
    this.log(`relayer: ${r.function} ${r.id} failed: ${reason}`);
  }

  private settle(r: RelayRecord, paidWei: bigint): void {
    this.sponsorship.settle(BigInt(r.reservedWei), paidWei);
    this.store.update(r.id, { reservedWei: '0' });
    this.store.spentWei = this.sponsorship.budget().spentWei;
    this.store.save();
  }
}
