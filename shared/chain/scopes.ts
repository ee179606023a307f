// SMART App Launch v2 scopes and FHIR resources -> the consent bitmask of contracts/Scopes.sol.
// Strict: anything not understood is an error, never silently dropped, because a dropped scope would
// make the patient approve something different from what the portal asked for.
// The bitmask is coarse (categories); the full SMART scope strings stay in the off-chain permission.

/** Bit values; keep in step with contracts/Scopes.sol. Combine with scopeMask() (unsigned). */
export const Scope = {
  LABS: 1 << 0,
  VITALS: 1 << 1,
  MEDICATIONS: 1 << 2,
  CONDITIONS: 1 << 3,
  ALLERGIES: 1 << 4,
  IMMUNIZATIONS: 1 << 5,
  PROCEDURES: 1 << 6,
  DOCUMENTS: 1 << 7,
  NOTES: 1 << 8,
  ENCOUNTERS: 1 << 9,
  IMAGING: 1 << 10,
  DEMOGRAPHICS: 1 << 11,
  MENTAL_HEALTH: 1 << 16,
  REPRODUCTIVE: 1 << 17,
  SUBSTANCE_USE: 1 << 18,
  // 2^31 written out: `1 << 31` is negative in JavaScript's int32 bit operations.
  WRITE: 0x8000_0000,
} as const;
export type ScopeName = keyof typeof Scope;

/** OR of bits as an unsigned 32-bit number (JS bit operators are signed). */
export function scopeMask(...bits: number[]): number {
  return bits.reduce((acc, b) => (acc | b) >>> 0, 0);
}

export const STANDARD_SCOPES = 0x0fff;
export const SENSITIVE_SCOPES = scopeMask(Scope.MENTAL_HEALTH, Scope.REPRODUCTIVE, Scope.SUBSTANCE_USE);
export const ALL_SCOPES = scopeMask(STANDARD_SCOPES, SENSITIVE_SCOPES, Scope.WRITE);

export class ScopeError extends Error {
  constructor(
    readonly scope: string,
    reason: string,
  ) {
    super(`invalid scope "${scope}": ${reason}`);
    this.name = 'ScopeError';
  }
}

interface ResourceRule {
  /** Bits when the scope or resource names no category. */
  all: number;
  /** category code -> bit (codes as in US Core / FHIR category value sets). */
  categories?: Record<string, number>;
  /** Bit for a stored resource whose category is absent or unknown. */
  fallback?: number;
}

const S = Scope;
const RESOURCES: Record<string, ResourceRule> = {
  Observation: {
    all: scopeMask(S.LABS, S.VITALS, S.IMAGING),
    categories: { laboratory: S.LABS, 'vital-signs': S.VITALS, imaging: S.IMAGING },
    fallback: S.LABS,
  },
  DiagnosticReport: {
    all: scopeMask(S.LABS, S.IMAGING),
    categories: { LAB: S.LABS, RAD: S.IMAGING },
    fallback: S.LABS,
  },
  ImagingStudy: { all: S.IMAGING },
  Medication: { all: S.MEDICATIONS },
  MedicationRequest: { all: S.MEDICATIONS },
  MedicationStatement: { all: S.MEDICATIONS },
  MedicationAdministration: { all: S.MEDICATIONS },
  MedicationDispense: { all: S.MEDICATIONS },
  Condition: {
    all: S.CONDITIONS,
    categories: { 'problem-list-item': S.CONDITIONS, 'encounter-diagnosis': S.CONDITIONS, 'health-concern': S.CONDITIONS },
    fallback: S.CONDITIONS,
  },
  AllergyIntolerance: { all: S.ALLERGIES },
  Immunization: { all: S.IMMUNIZATIONS },
  Procedure: { all: S.PROCEDURES },
  DocumentReference: {
    all: scopeMask(S.DOCUMENTS, S.NOTES),
    categories: { 'clinical-note': S.NOTES },
    fallback: S.DOCUMENTS,
  },
  Binary: { all: S.DOCUMENTS },
  Composition: { all: S.NOTES },
  ClinicalImpression: { all: S.NOTES },
  Encounter: { all: S.ENCOUNTERS },
  Patient: { all: S.DEMOGRAPHICS },
};

export const SUPPORTED_RESOURCE_TYPES: readonly string[] = Object.keys(RESOURCES);

/** HL7 v3 ActCode sensitivity labels (meta.security / `_security`) that map to sensitive bits. */
const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const SECURITY_LABELS: Record<string, number> = {
  PSY: S.MENTAL_HEALTH,
  PSYTHPN: S.MENTAL_HEALTH,
  ETH: S.SUBSTANCE_USE,
  SEX: S.REPRODUCTIVE,
};

/** SMART scopes that carry no record access; reported back in `ignored`, not dropped silently. */
const NON_DATA_SCOPES = new Set([
  'openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'launch/encounter', 'offline_access', 'online_access',
]);

export interface ParsedScope {
  scope: string;
  resourceType: string; // '*' or a FHIR type
  read: boolean;
  write: boolean;
  mask: number;
}

export interface ParsedScopes {
  mask: number;
  scopes: ParsedScope[];
  ignored: string[];
}

const SCOPE_RE = /^([a-z]+)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)(?:\?(.+))?$/;

/** Parses one SMART v2 resource scope such as `patient/Observation.rs?category=laboratory`. */
export function parseScope(scope: string): ParsedScope {
  const m = SCOPE_RE.exec(scope);
  if (!m) throw new ScopeError(scope, 'not a SMART v2 resource scope');
  const [, context, resourceType, perms, query] = m;
  if (context !== 'patient') throw new ScopeError(scope, `context "${context}" is not supported (only patient/)`);
  if (perms === 'read' || perms === 'write' || perms === '*') {
    throw new ScopeError(scope, 'SMART v1 permission syntax; use v2 (e.g. .rs, .cu)');
  }
  if (!/^c?r?u?d?s?$/.test(perms) || perms.length === 0) {
    throw new ScopeError(scope, 'permissions must be a subset of "cruds" in that order');
  }
  if (perms.includes('d')) throw new ScopeError(scope, 'delete (d) is not grantable: records belong to the patient');
  const rule = resourceType === '*' ? undefined : RESOURCES[resourceType];
  if (resourceType !== '*' && !rule) throw new ScopeError(scope, `unsupported resource type ${resourceType}`);
  const read = perms.includes('r') || perms.includes('s');
  const write = perms.includes('c') || perms.includes('u');

  let categories = rule ? rule.all : STANDARD_SCOPES;
  let sensitive = 0;
  if (query !== undefined) {
    const seen = new Set<string>();
    for (const part of query.split('&')) {
      const eq = part.indexOf('=');
      const key = eq > 0 ? part.slice(0, eq) : '';
      const value = eq > 0 ? decodeURIComponent(part.slice(eq + 1)) : '';
      if (!key || !value) throw new ScopeError(scope, `malformed query parameter "${part}"`);
      if (seen.has(key)) throw new ScopeError(scope, `repeated query parameter ${key}`);
      seen.add(key);
      if (key === 'category') {
        if (!rule?.categories) throw new ScopeError(scope, `${resourceType} scopes take no category`);
        categories = codes(value).reduce((acc, code) => {
          const bit = rule.categories![code];
          if (bit === undefined) throw new ScopeError(scope, `unknown ${resourceType} category ${code}`);
          return scopeMask(acc, bit);
        }, 0);
      } else if (key === '_security') {
        sensitive = codes(value, ACT_CODE_SYSTEM).reduce((acc, code) => {
          const bit = SECURITY_LABELS[code];
          if (bit === undefined) throw new ScopeError(scope, `unknown security label ${code}`);
          return scopeMask(acc, bit);
        }, 0);
      } else {
        throw new ScopeError(scope, `unsupported query parameter ${key}`);
      }
    }
  }
  // `_security` narrows the scope to that sensitive category; without it no sensitive bit is ever
  // implied, not even by patient/*.rs.
  const readBits = sensitive !== 0 ? sensitive : categories;
  const mask = scopeMask(read ? readBits : 0, write ? Scope.WRITE : 0);
  return { scope, resourceType, read, write, mask };
}

/** `system|code,system|code` -> codes; a system, when given, must be `expectedSystem` (if set). */
function codes(value: string, expectedSystem?: string): string[] {
  return value.split(',').map((token) => {
    const bar = token.lastIndexOf('|');
    const system = bar >= 0 ? token.slice(0, bar) : undefined;
    const code = bar >= 0 ? token.slice(bar + 1) : token;
    if (!code || (expectedSystem && system !== undefined && system !== expectedSystem)) {
      throw new Error(`bad token ${token}`);
    }
    return code;
  });
}

/** Parses a space-separated scope string or a list; the mask is the union of all data scopes. */
export function parseScopes(input: string | readonly string[]): ParsedScopes {
  const list = typeof input === 'string' ? input.split(/\s+/).filter(Boolean) : [...input];
  const scopes: ParsedScope[] = [];
  const ignored: string[] = [];
  for (const s of list) {
    if (NON_DATA_SCOPES.has(s)) {
      ignored.push(s);
      continue;
    }
    try {
      scopes.push(parseScope(s));
    } catch (err) {
      if (err instanceof ScopeError) throw err;
      throw new ScopeError(s, (err as Error).message);
    }
  }
  if (scopes.length === 0) throw new ScopeError(list.join(' '), 'no record scope requested');
  return { mask: scopeMask(...scopes.map((s) => s.mask)), scopes, ignored };
}

/** Names of the bits set in `mask` (for approval screens); throws on bits the contract rejects. */
export function describeMask(mask: number): ScopeName[] {
  if (((mask >>> 0) & ~ALL_SCOPES) !== 0) throw new Error(`unknown scope bits in 0x${(mask >>> 0).toString(16)}`);
  return (Object.keys(Scope) as ScopeName[]).filter((name) => ((mask >>> 0) & Scope[name]) !== 0);
}

interface FhirLike {
  resourceType: string;
  category?: Array<{ coding?: Array<{ code?: string }> }> | { coding?: Array<{ code?: string }> };
  meta?: { security?: Array<{ system?: string; code?: string }> };
}

/**
 * The single category bit a stored record belongs to. A sensitivity label wins over the resource
 * type, so a labelled record is only readable by grants that name the sensitive category.
 */
export function categoryOfResource(resource: FhirLike): number {
  for (const label of resource.meta?.security ?? []) {
    if (label.system && label.system !== ACT_CODE_SYSTEM) continue;
    const bit = label.code ? SECURITY_LABELS[label.code] : undefined;
    if (bit !== undefined) return bit;
  }
  const rule = RESOURCES[resource.resourceType];
  if (!rule) throw new Error(`unsupported resource type ${resource.resourceType}`);
  if (!rule.categories) return rule.all;
  const cats = Array.isArray(resource.category) ? resource.category : resource.category ? [resource.category] : [];
  for (const cat of cats) {
    for (const coding of cat.coding ?? []) {
      const bit = coding.code ? rule.categories[coding.code] : undefined;
      if (bit !== undefined) return bit;
    }
  }
  return rule.fallback ?? rule.all;
}
