import { beginCreate, cancelCreate, finishCreate, lock, restore, unlock, vaultState, wipe } from '../../keys/vault';
import type { Procedures } from './index';

type VaultRequest =
  | 'vault.state'
  | 'vault.create.begin'
  | 'vault.create.finish'
  | 'vault.create.cancel'
  | 'vault.restore'
  | 'vault.unlock'
  | 'vault.lock'
  | 'vault.wipe';

/** Only the one-time phrase display (create.begin) returns secret material; everything else is state. */
export const vaultProcedures: Procedures<VaultRequest> = {
  'vault.state': () => vaultState(),
  'vault.create.begin': async () => ({ words: await beginCreate() }),
  'vault.create.finish': ({ passphrase, confirmations }) => finishCreate(passphrase, confirmations),
  'vault.create.cancel': async () => (await cancelCreate(), { done: true }),
  'vault.restore': ({ phrase, passphrase }) => restore(phrase, passphrase),
  'vault.unlock': ({ passphrase }) => unlock(passphrase),
  'vault.lock': () => lock(),
  'vault.wipe': ({ passphrase }) => wipe(passphrase),
};
