// The relayer's requests by id (and by EIP-712 digest, so a resubmitted signature finds its request).
// With a data file the requests and the spent budget survive a restart: written whole (tmp + rename)
// after each change, coalesced; pending requests resume on load. Without one (the local stack, whose
// chain is itself in memory) everything lives in memory.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FunctionName } from './actions';

export type Status = 'pending' | 'confirmed' | 'failed';

export interface RelayRecord {
  id: string;
  function: FunctionName;
  contract: string;
  signer: string;
  digest: string;
  /** Call data: kept so the request can be re-sent after the chain lost it. */
  data: string;
  status: Status;
  /** pending: queued (not sent yet) or sent (tx hash known); final states: done. */
  stage: 'queued' | 'sent' | 'done';
  txHash?: string;
  blockNumber?: number;
  gasUsed?: string;
  paidWei?: string;
  reservedWei: string;
  /** Words for the patient: why it failed, or what a pending request is waiting for. */
  reason?: string;
  /** The contract's custom error name when it refused the call. */
  error?: string;
  /** Failed but worth submitting again later (the chain was unreachable), or not (the call is refused). */
  retryable?: boolean;
  attempts: number;
  createdAt: number;
  updatedAt: number;
}

/** What GET /v1/actions/:id shows (no call data, no internal bookkeeping). */
export function publicView(r: RelayRecord) {
  const { data: _data, reservedWei: _reserved, digest: _digest, ...rest } = r;
  return rest;
}

const MAX_RECORDS = 10_000;

export class RequestStore {
  private readonly byId = new Map<string, RelayRecord>();
  private readonly byDigest = new Map<string, string>();
  private writeScheduled = false;
  spentWei = 0n;

  constructor(private readonly file?: string) {
    if (!file) return;
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { spentWei: string; records: RelayRecord[] };
      this.spentWei = BigInt(saved.spentWei);
      for (const r of saved.records) this.put(r);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`relayer: cannot read ${file}: ${(e as Error).message}`, { cause: e });
    }
  }

  create(fields: Omit<RelayRecord, 'id' | 'status' | 'stage' | 'attempts' | 'createdAt' | 'updatedAt'>): RelayRecord {
    const now = Date.now();
    const r: RelayRecord = { ...fields, id: `ra_${randomBytes(12).toString('hex')}`, status: 'pending', stage: 'queued', attempts: 0, createdAt: now, updatedAt: now };
    this.put(r);
    this.evict();
    this.save();
    return r;
  }

  get(id: string): RelayRecord | undefined {
    return this.byId.get(id);
  }

  /** The live (pending or confirmed) request for this signed action, if any. */
  liveByDigest(digest: string): RelayRecord | undefined {
    const r = this.byDigest.has(digest) ? this.byId.get(this.byDigest.get(digest)!) : undefined;
    return r && r.status !== 'failed' ? r : undefined;
  }

  update(id: string, patch: Partial<RelayRecord>): RelayRecord {
    const r = this.byId.get(id);
    if (!r) throw new Error(`relayer: no request ${id}`);
    Object.assign(r, patch, { updatedAt: Date.now() });
    this.save();
    return r;
  }

  pending(): RelayRecord[] {
    return [...this.byId.values()].filter((r) => r.status === 'pending');
  }

  private put(r: RelayRecord): void {
    this.byId.set(r.id, r);
    this.byDigest.set(r.digest, r.id);
  }

  /** Oldest finished requests go first once there are too many. */
  private evict(): void {
    if (this.byId.size <= MAX_RECORDS) return;
    for (const [id, r] of this.byId) {
      if (this.byId.size <= MAX_RECORDS) break;
      if (r.status === 'pending') continue;
      this.byId.delete(id);
      if (this.byDigest.get(r.digest) === id) this.byDigest.delete(r.digest);
    }
  }

  /** Coalesced: one write per tick, whatever the number of changes. */
  save(): void {
    if (!this.file || this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => {
      this.writeScheduled = false;
      this.flush();
    });
  }

  flush(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ spentWei: this.spentWei.toString(), records: [...this.byId.values()] }), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
