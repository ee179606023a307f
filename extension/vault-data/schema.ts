import type { Dexie } from 'dexie';
import type { AnyVaultDataKind, DatabaseName } from './kind';

/**
 * The IndexedDB databases and the tables in them that are not vault data (small, non-clinical facts).
 * Every other table comes from a registry entry.
 */
export const DATABASES: Record<DatabaseName, { name: string; internal: Record<string, Readonly<Record<number, string>>> }> = {
  vault: {
    name: 'securemed-vault',
    // meta: when the last backup was made (not clinical, readable before unlock), a pending restore's manifests.
    internal: { meta: { 1: 'key' } },
  },
  messaging: { name: 'securemed-messaging', internal: {} },
};

/**
 * Declares `database`'s Dexie schema history from the registry: for every version any entry names, the
 * tables it introduced or changed, plus the upgrades to run. Dexie runs every upgrade between the stored
 * version and the newest, in order, in one versionchange transaction; tables not named in a version
 * keep their previous spec.
 */
export function applyStores(db: Dexie, database: DatabaseName, kinds: readonly AnyVaultDataKind[]): void {
  const versions = new Map<number, { stores: Record<string, string>; upgrades: AnyVaultDataKind['upgrades'][] }>();
  const at = (v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`schema version ${v} is not a positive integer`);
    let entry = versions.get(v);
    if (!entry) versions.set(v, (entry = { stores: {}, upgrades: [] }));
    return entry;
  };
  const seen = new Set<string>();
  const declare = (table: string, stores: Readonly<Record<number, string>>) => {
    if (seen.has(table)) throw new Error(`table ${database}.${table} is declared twice`);
    seen.add(table);
    for (const [v, spec] of Object.entries(stores)) at(Number(v)).stores[table] = spec;
  };
  for (const [table, stores] of Object.entries(DATABASES[database].internal)) declare(table, stores);
  for (const kind of kinds) {
    if (kind.database !== database) continue;
    declare(kind.table, kind.stores);
    for (const v of Object.keys(kind.upgrades ?? {})) at(Number(v)).upgrades.push(kind.upgrades);
  }
  for (const v of [...versions.keys()].sort((a, b) => a - b)) {
    const { stores, upgrades } = versions.get(v)!;
    const version = db.version(v).stores(stores);
    if (upgrades.length) version.upgrade(async (tx) => {
      for (const u of upgrades) await u![v]!(tx);
    });
  }
}
