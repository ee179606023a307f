import { vaultDb } from '../records/db';

/**
 * Which record versions the vault holds now: id → (version, stored content hash), read from the
 * records table (both are stored in clear next to the ciphertext; nothing is decrypted). Kept in worker
 * memory and read again when a record write in this worker marked it stale (Dexie hooks, start.ts), on
 * a worker start, or when the patient asks ("Check now").
 */
export interface HeldVersion {
  version: number;
  contentHash: string;
}

let held: Map<string, HeldVersion> | undefined;

export function markRecordsChanged(): void {
  held = undefined;
}

export async function heldRecords(): Promise<Map<string, HeldVersion>> {
  if (held) return held;
  const out = new Map<string, HeldVersion>();
  await vaultDb().records.each((row) => void out.set(row.id, { version: row.version, contentHash: row.contentHash.toLowerCase() }));
  held = out;
  return out;
}
