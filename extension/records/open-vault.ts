import { loadIndex } from './index-store';
import { forgetKeyBatches } from './key-batches';
import { MemoryIndex } from './memory-index';
import { forgetRecordKeys, recordKeys, type RecordKeys } from './vault-keys';

/**
 * The unlocked record vault of this worker: keys + the decrypted index. Loaded on the first request
 * after unlock or after a worker restart (the seed survives in storage.session, the index does not),
 * shared by concurrent requests, dropped on lock.
 */
export interface OpenVault {
  keys: RecordKeys;
  index: MemoryIndex;
}

let opening: { keys: RecordKeys; vault: Promise<OpenVault> } | undefined;

export async function openVault(): Promise<OpenVault> {
  const keys = await recordKeys(); // throws 'Unlock your vault first.' when locked
  if (opening?.keys !== keys) {
    const vault = loadIndex(keys).then(({ entries, damagedChunks }) => ({ keys, index: new MemoryIndex(entries, damagedChunks) }));
    opening = { keys, vault };
    vault.catch(() => {
      if (opening?.vault === vault) opening = undefined; // let the next request try again
    });
  }
  return opening.vault;
}

/** On lock: forget keys, unwrapped key batches (zeroed) and plaintext index entries; nothing is written. */
export function closeVault(): void {
  opening = undefined;
  forgetKeyBatches();
  forgetRecordKeys();
}
