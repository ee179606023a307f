import { UiError } from '../../shared/protocol/ui-errors';
import { importAesGcmKey } from '../../shared/crypto/aead';
import { unlocked } from '../keys/unlocked';

/**
 * The record vault's view of the unlocked identity: the patient spelling bound into every record's AAD,
 * the DEK-wrap and index keys imported once as non-extractable CryptoKeys (re-importing per record would
 * cost more than the encryption), and the raw de-dup HMAC key. Dropped on lock.
 */
export interface RecordKeys {
  /** Lowercase 0x messaging address: the AAD's `patient` must always be spelled the same way. */
  patient: string;
  dekWrap: CryptoKey;
  searchIndex: CryptoKey;
  dedup: Uint8Array;
}

export class LockedError extends UiError {
  constructor() {
    super('locked', 'Unlock your vault first.');
    this.name = 'LockedError';
  }
}

let cached: { seedRef: Uint8Array; keys: Promise<RecordKeys> } | undefined;

/** The keys, or LockedError with the message the UI shows as is. */
export async function recordKeys(): Promise<RecordKeys> {
  const state = await unlocked();
  if (!state) {
    cached = undefined;
    throw new LockedError();
  }
  // A different seed (erase + restore in the same worker) must not reuse the previous vault's keys.
  if (cached?.seedRef !== state.seed) {
    const { vault, messaging } = state.identity;
    cached = {
      seedRef: state.seed,
      keys: (async () => ({
        patient: messaging.address.toLowerCase(),
        dekWrap: await importAesGcmKey(vault.dekWrap),
        searchIndex: await importAesGcmKey(vault.searchIndex),
        dedup: vault.dedup,
      }))(),
    };
  }
  return cached.keys;
}

export function forgetRecordKeys(): void {
  cached = undefined;
}
