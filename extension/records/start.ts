import { onLock } from '../keys/vault';
import { closeVault } from './open-vault';

/** Start the record vault's background services (called once per worker start from background.ts). */
export function startRecords(): void {
  // Plaintext index entries live only in worker memory while unlocked.
  onLock(closeVault);
}
