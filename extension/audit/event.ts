import type { AuditEntry } from './entry';

/**
 * The FHIR R4 AuditEvent of one audit entry. Codes come from the standard audit code systems:
 * type (DICOM DCM / audit-event-type), subtype (DICOM DCM / restful-interaction), action (C R U D E),
 * outcome (0 success, 4 minor failure: refused or declined, 8 serious failure: our own error),
 * agent (the site, requestor, and the grantee it acts for), source (the patient's browser), entity
 * (each record the site read, by the fullUrl it was given, and the permission scopes in force).
 */
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
/** Our own code system for the page method (the exact call), beside the standard subtype. */
export const PAGE_METHOD_SYSTEM = 'https://securemed.example/fhir/CodeSystem/page-method';
/** How many identical calls this entry stands for (retention coalesces them). */
export const COUNT_EXTENSION = 'https://securemed.example/fhir/StructureDefinition/audit-count';
const ETH_ADDRESS = 'https://eips.ethereum.org/EIPS/eip-55';

type Coding = { system: string; code: string; display: string };

interface MethodCodes {
  type: Coding;
  subtype: Coding;
  action: 'C' | 'R' | 'U' | 'D' | 'E';
}

const rest: Coding = { system: EVENT_TYPE, code: 'rest', display: 'RESTful Operation' };
const METHOD_CODES: Record<string, MethodCodes> = {
  securemed_connect: { type: { system: DCM, code: '110114', display: 'User Authentication' }, subtype: { system: DCM, code: '110122', display: 'Login' }, action: 'E' },
  securemed_search: { type: rest, subtype: { system: RESTFUL, code: 'search-type', display: 'search type' }, action: 'E' },
  securemed_requestPermissions: { type: { system: DCM, code: '110113', display: 'Security Alert' }, subtype: { system: DCM, code: '110136', display: 'Security Roles Changed' }, action: 'C' },
  securemed_revokePermissions: { type: { system: DCM, code: '110113', display: 'Security Alert' }, subtype: { system: DCM, code: '110136', display: 'Security Roles Changed' }, action: 'D' },
  securemed_getPermissions: { type: rest, subtype: { system: RESTFUL, code: 'read', display: 'read' }, action: 'R' },
  securemed_status: { type: rest, subtype: { system: RESTFUL, code: 'capabilities', display: 'capabilities' }, action: 'R' },
  securemed_submit: { type: rest, subtype: { system: RESTFUL, code: 'create', display: 'create' }, action: 'C' },
};
const OTHER: MethodCodes = { type: rest, subtype: { system: RESTFUL, code: 'operation', display: 'operation' }, action: 'E' };

const OUTCOME_CODE: Record<AuditEntry['outcome'], '0' | '4' | '8'> = { allowed: '0', refused: '4', declined: '4', failed: '8' };

export type AuditEvent = Record<string, unknown> & { resourceType: 'AuditEvent'; id: string };

export function auditEventOf(entry: AuditEntry): AuditEvent {
  const codes = METHOD_CODES[entry.method] ?? OTHER;
  const host = safeHost(entry.origin);
  const agents: unknown[] = [
    {
      type: { coding: [{ system: PARTICIPATION, code: 'IRCP', display: 'information recipient' }] },
      who: { identifier: { system: 'urn:ietf:rfc:3986', value: entry.origin }, display: entry.origin },
      requestor: true,
      network: { address: host, type: '1' }, // 1 = machine name (the site's host)
    },
  ];
  if (entry.grantee) {
    agents.push({
      type: { coding: [{ system: PARTICIPATION, code: 'RESP', display: 'responsible party' }] },
      who: { identifier: { system: ETH_ADDRESS, value: entry.grantee }, display: `grantee ${entry.grantee}` },
      requestor: false,
    });
  }
  const entities: unknown[] = entry.reads.map((url) => ({
    what: { reference: url },
    type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
    role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
  }));
  if (entry.scopes.length > 0) {
    entities.push({
      what: { display: `permission of ${entry.origin}` },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '13', display: 'Security Resource' },
      detail: [{ type: 'scopes', valueString: entry.scopes.join(' ') }],
    });
  }
  return {
    resourceType: 'AuditEvent',
    id: entry.id.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64),
    ...(entry.count > 1 ? { extension: [{ url: COUNT_EXTENSION, valueInteger: entry.count }] } : {}),
    type: codes.type,
    subtype: [codes.subtype, { system: PAGE_METHOD_SYSTEM, code: entry.method, display: entry.method }],
    action: codes.action,
    period: { start: iso(entry.first), end: iso(entry.last) },
    recorded: iso(entry.last),
    outcome: OUTCOME_CODE[entry.outcome],
    outcomeDesc: outcomeDesc(entry),
    agent: agents,
    source: {
      observer: { display: "SecureMed (the patient's browser)" },
      type: [{ system: SOURCE_TYPE, code: '1', display: 'User Device' }],
    },
    ...(entities.length > 0 ? { entity: entities } : {}),
  };
}

/** A FHIR R4 Bundle (collection) of the entries' AuditEvents: the Activity export. */
export function auditBundleOf(entries: readonly AuditEntry[], now = Date.now()): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: iso(now),
    entry: entries.map((e) => {
      const resource = auditEventOf(e);
      return { fullUrl: `urn:securemed:audit:${resource.id}`, resource };
    }),
  };
}

function outcomeDesc(entry: AuditEntry): string {
  const calls = entry.count > 1 ? ` (${entry.count} identical calls)` : '';
  const code = entry.code !== undefined ? ` (error ${entry.code})` : '';
  return `${entry.outcome}${code}${calls}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function safeHost(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin.slice(0, 200);
  }
}
