import { z } from 'zod';
import type { ProvenanceView } from '../../shared/protocol/ui/submit';
import { vaultDb } from '../records/db';
import { recordKeys, type RecordKeys } from '../records/vault-keys';
import { openVaultData, sealVaultData, type SealedRow } from '../vault-data/sealed-kind';

/**
 * Where a record a site added came from: a FHIR R4 `Provenance` per stored record, kept as vault data
 * (registry kind `recordProvenance`, one sealed row per record, row id = the vault's record id), so it is
 * encrypted like the record, travels in the backup and the replicas, and never shows up as a record of
 * its own in lists or in a site's search.
 *
 *   target    the record (its FHIR type/id as stored)
 *   recorded  when the patient accepted it
 *   agent     enterer = the site (its origin), author = the provider it wrote for (grantee address)
 *   activity  CREATE (v3-DataOperation)
 *   entity    source = what the site sent, as the site named it
 */
export const PROVENANCE_KIND = 'recordProvenance';
const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
const PARTICIPANT = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';
const URI = 'urn:ietf:rfc:3986';
const ETH_ADDRESS = 'https://eips.ethereum.org/EIPS/eip-55';

const Stored = z.strictObject({
  v: z.literal(1),
  origin: z.string().min(1).max(512),
  grantee: z.string().regex(/^0x[0-9a-fA-F]{40}$/).optional(),
  at: z.number(),
  provenance: z.record(z.string(), z.unknown()),
});
type Stored = z.infer<typeof Stored>;

export interface ProvenanceInput {
  origin: string;
  grantee: string;
  /** When the patient accepted (ms). */
  at: number;
  /** The stored resource (validated: has resourceType and id). */
  resource: { resourceType: string; id?: string };
}

export function provenanceOf({ origin, grantee, at, resource }: ProvenanceInput): Record<string, unknown> {
  const target = `${resource.resourceType}/${resource.id ?? 'unknown'}`;
  return {
    resourceType: 'Provenance',
    id: crypto.randomUUID(),
    target: [{ reference: target }],
    recorded: new Date(at).toISOString(),
    activity: { coding: [{ system: DATA_OPERATION, code: 'CREATE', display: 'create' }], text: 'Sent by the site; the patient reviewed it and added it to their vault' },
    agent: [
      {
        type: { coding: [{ system: PARTICIPANT, code: 'enterer', display: 'Enterer' }] },
        who: { identifier: { system: URI, value: origin }, display: origin },
        onBehalfOf: { identifier: { system: ETH_ADDRESS, value: grantee }, display: `grantee ${grantee}` },
      },
      {
        type: { coding: [{ system: PARTICIPANT, code: 'author', display: 'Author' }] },
        who: { identifier: { system: ETH_ADDRESS, value: grantee }, display: `grantee ${grantee}` },
      },
    ],
    entity: [{ role: 'source', what: { display: `${target} as sent by ${origin}` } }],
  };
}

/** The sealed row of one record's Provenance (written in the same transaction as the record: store.ts). */
export async function provenanceRow(keys: RecordKeys, recordId: string, input: ProvenanceInput): Promise<SealedRow> {
  const value: Stored = { v: 1, origin: input.origin, grantee: input.grantee, at: input.at, provenance: provenanceOf(input) };
  return { id: recordId, sealed: await sealVaultData(keys, PROVENANCE_KIND, recordId, Stored.parse(value)) };
}

export const provenanceTable = () => vaultDb().table<SealedRow, string>(PROVENANCE_KIND);

/** A record's "Added by" (undefined for records the patient imported, or a row that does not open). */
export async function provenanceOfRecord(recordId: string): Promise<ProvenanceView | undefined> {
  const keys = await recordKeys();
  const row = await provenanceTable().get(recordId);
  if (!row) return undefined;
  const parsed = Stored.safeParse(await openVaultData<unknown>(keys, PROVENANCE_KIND, recordId, row.sealed).catch(() => undefined));
  if (!parsed.success) return undefined;
  const { origin, grantee, at, provenance } = parsed.data;
  return { origin, ...(grantee ? { grantee } : {}), at, provenance };
}
