import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { VAULT_DATA } from '../../../extension/vault-data/registry';
import { applyStores, DATABASES } from '../../../extension/vault-data/schema';

describe('vault data registry', () => {
  it('declares every table of both databases once, with a stable unique name, and says why a kind stays out of the backup', () => {
    expect(new Set(VAULT_DATA.map((k) => k.name)).size).toBe(VAULT_DATA.length);
    for (const kind of VAULT_DATA) {
      expect(kind.sealing.length, kind.name).toBeGreaterThan(20);
      if (!kind.backup.include) expect(kind.backup.why.length, kind.name).toBeGreaterThan(10);
      else expect(kind.database, `${kind.name}: only vault kinds can be backed up`).toBe('vault');
    }
    expect(VAULT_DATA.filter((k) => k.backup.include).map((k) => k.name)).toEqual(['records', 'consentSites', 'anchorBatches', 'auditEvents', 'recordProvenance']);
  });

  it('builds exactly the schemas the databases had before the registry', () => {
    const built = (name: 'vault' | 'messaging') => {
      const db = new Dexie(`schema-${name}`);
      applyStores(db, name, VAULT_DATA);
      return Object.fromEntries(db.tables.map((t) => [t.name, [t.schema.primKey.src, ...t.schema.indexes.map((i) => i.src)].join(', ')]));
    };
    expect(built('vault')).toEqual({ records: 'id, &dedupKey', indexChunks: '++seq', meta: 'key', journal: 'key', keyBatches: 'id', txQueue: 'id', consentSites: 'id', anchorBatches: 'id', auditEvents: 'id', recordProvenance: 'id' });
    expect(built('messaging')).toEqual({ threads: 'id', messages: 'id, [thread+sentAt], pending', state: 'key', identities: 'id' });
    expect(DATABASES.vault.name).toBe('securemed-vault');
    expect(DATABASES.messaging.name).toBe('securemed-messaging');
  });

  it('refuses a table declared twice', () => {
    const twice = [...VAULT_DATA, { ...VAULT_DATA[0]!, name: 'copy' }];
    expect(() => applyStores(new Dexie('schema-twice'), 'vault', twice)).toThrow(/declared twice/);
  });
});
