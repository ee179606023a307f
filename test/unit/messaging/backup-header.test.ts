// Nothing in clear names the patient's messaging identity: the encrypted backup's header carries a keyed
// owner tag instead of the main messaging address; files made before it (which named the address) still
// restore into their own vault, and another vault's file is refused either way.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deriveIdentity, deriveRelationshipMessagingAccount, mnemonicToSeed } from '../../../shared/crypto/identity';
import { recordsRequests, type BackupHeader } from '../../../shared/protocol/ui/records';

const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current }));

const { closeVault } = await import('../../../extension/records/open-vault');
const { vaultDb } = await import('../../../extension/records/db');
const { backupPage, beginRestore } = await import('../../../extension/vault-data/backup');

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
const other = await mnemonicToSeed('legal winner thank year wave sausage worth useful legal winner thank yellow');
const use = (s: Uint8Array) => {
  state.current = { seed: s, identity: deriveIdentity(s) };
  closeVault();
};
const parseHeader = (header: unknown) =>
  (recordsRequests.find((r) => r.shape.type.value === 'records.restore.begin')!.parse({ type: 'records.restore.begin', header }) as { header: BackupHeader }).header;

beforeEach(async () => {
  use(seed);
  await Promise.all(vaultDb().tables.map((t) => t.clear()));
});

describe('backup header', () => {
  it('names no messaging address, main or relationship, and still opens in its own vault', async () => {
    const { header } = await backupPage(0, 1);
    const text = JSON.stringify(header).toLowerCase();
    const identity = deriveIdentity(seed);
    expect(text).not.toContain(identity.messaging.address.toLowerCase().slice(2));
    for (const i of [0, 1, 2]) expect(text).not.toContain(deriveRelationshipMessagingAccount(seed, i).address.toLowerCase().slice(2));
    expect(header).not.toHaveProperty('patient');
    expect(header).toMatchObject({ v: 2, owner: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await beginRestore(parseHeader(header))).toEqual({ count: 0 });
    use(other);
    await expect(beginRestore(parseHeader(header))).rejects.toThrow(/different vault/);
  });

  it('still reads a v2 header from before the owner tag (it named the main address)', async () => {
    const { header } = await backupPage(0, 1);
    const { owner: _owner, ...rest } = header as Extract<BackupHeader, { v: 2 }>;
    const older = parseHeader({ ...rest, patient: deriveIdentity(seed).messaging.address.toLowerCase() });
    expect(await beginRestore(older)).toEqual({ count: 0 });
    use(other);
    await expect(beginRestore(older)).rejects.toThrow(/different vault/);
    // Neither an owner nor a patient: whose it is cannot be told, so it is refused.
    await expect(beginRestore(parseHeader(rest))).rejects.toThrow(/different vault/);
  });
});
