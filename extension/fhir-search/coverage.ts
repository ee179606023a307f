import type { Category, SensitiveFlag } from '../../shared/fhir/categorize';
import { categoryOfResource, parseScope, Scope, type ParsedScope } from '../../shared/chain/scopes';

/**
 * What one permission lets a site read, and whether a record falls inside it. Pure.
 *
 * A permit is the intersection of the local permission (SMART scopes, finer than the chain's category
 * bits, enforced here) and the grant on chain (the upper bound): `mask` = local mask AND chain mask.
 * A record is covered when one read scope names its type (or `*`) and its category bit, that bit is in
 * the mask, and every sensitivity flag the record carries is in the mask too (sensitive records only
 * when the grant includes them, even when the record is not labelled and only our heuristic flags it).
 */
export interface Permit {
  grantee: string;
  mask: number;
  scopes: ParsedScope[];
}

export function permitOf(grantee: string, localMask: number, chainMask: number, scopes: readonly string[]): Permit {
  const parsed: ParsedScope[] = [];
  for (const s of scopes) {
    try {
      const p = parseScope(s);
      if (p.read) parsed.push(p);
    } catch {
      // A stored scope we no longer understand grants nothing (never more than it said).
    }
  }
  return { grantee, mask: (localMask & chainMask & 0x7fff_ffff) >>> 0, scopes: parsed };
}

/** The vault index's display category as a chain bit ('other' Observations are LABS on chain: the fallback). */
const CATEGORY_BIT: Record<Category, number> = {
  labs: Scope.LABS,
  vitals: Scope.VITALS,
  medications: Scope.MEDICATIONS,
  conditions: Scope.CONDITIONS,
  allergies: Scope.ALLERGIES,
  immunizations: Scope.IMMUNIZATIONS,
  procedures: Scope.PROCEDURES,
  documents: Scope.DOCUMENTS,
  notes: Scope.NOTES,
  encounters: Scope.ENCOUNTERS,
  imaging: Scope.IMAGING,
  demographics: Scope.DEMOGRAPHICS,
  other: Scope.LABS,
};

const FLAG_BIT: Record<SensitiveFlag, number> = {
  'mental-health': Scope.MENTAL_HEALTH,
  reproductive: Scope.REPRODUCTIVE,
  'substance-use': Scope.SUBSTANCE_USE,
};

export function flagBits(flags: readonly SensitiveFlag[]): number {
  // A plain loop: every search runs this for each of the vault's index entries (most carry no flag).
  let bits = 0;
  for (let i = 0; i < flags.length; i++) bits |= FLAG_BIT[flags[i]!];
  return bits >>> 0;
}

function covers(permit: Permit, resourceType: string, bit: number, flags: number): boolean {
  if ((flags & ~permit.mask) !== 0 || (bit & permit.mask) === 0) return false;
  return permit.scopes.some((s) => (s.resourceType === '*' || s.resourceType === resourceType) && (s.mask & bit) !== 0);
}

/** From the index alone (before decrypting): type, display category, sensitivity flags. */
export function entryCovered(permits: readonly Permit[], e: { resourceType: string; category: Category; sensitive: readonly SensitiveFlag[] }): boolean {
  const bit = CATEGORY_BIT[e.category];
  const flags = flagBits(e.sensitive);
  return permits.some((p) => covers(p, e.resourceType, bit, flags));
}

/**
 * The decrypted resource, by the chain's own classification (categoryOfResource: security labels,
 * then type and category codes). Both this and entryCovered must hold, so a record the two classify
 * differently is returned only when both categories are granted.
 */
export function resourceCovered(permits: readonly Permit[], resource: unknown, flags: readonly SensitiveFlag[]): boolean {
  const r = resource as { resourceType?: unknown };
  if (!r || typeof r.resourceType !== 'string') return false;
  let bit: number;
  try {
    bit = categoryOfResource(resource as Parameters<typeof categoryOfResource>[0]);
  } catch {
    return false; // a type the consent categories do not know is never shared
  }
  const f = flagBits(flags);
  return permits.some((p) => covers(p, r.resourceType as string, bit, f));
}

/** Category codes a portal may search by, as the chain bit they name. */
const CATEGORY_CODE_BIT: Record<string, number> = {
  laboratory: Scope.LABS, 'vital-signs': Scope.VITALS, imaging: Scope.IMAGING, LAB: Scope.LABS, RAD: Scope.IMAGING,
  'clinical-note': Scope.NOTES, 'problem-list-item': Scope.CONDITIONS, 'encounter-diagnosis': Scope.CONDITIONS, 'health-concern': Scope.CONDITIONS,
};

/** Bits a read of `type` can ever touch (parseScope's own table, so the two never disagree). */
function typeBits(type: string): number {
  try {
    return parseScope(`patient/${type}.rs`).mask;
  } catch {
    return 0;
  }
}

/**
 * A portal that asks explicitly for something none of its permits covers (`_type=Condition` with a
 * labs grant, `category=vital-signs`) is refused (4100), not answered with an empty Bundle, so a
 * developer sees "not permitted" rather than "the patient has none".
 */
export function askedOutside(permits: readonly Permit[], q: { types?: ReadonlySet<string>; categories?: ReadonlyArray<{ code: string }> }): string | undefined {
  const readable = (type: string, bits: number) =>
    permits.some((p) => p.scopes.some((s) => (s.resourceType === '*' || s.resourceType === type) && (s.mask & p.mask & bits) !== 0));
  if (q.types && ![...q.types].some((t) => readable(t, typeBits(t)))) return `This site may not read ${[...q.types].join(', ')}`;
  if (q.categories) {
    const bits = q.categories.map((c) => CATEGORY_CODE_BIT[c.code]);
    const types = q.types ? [...q.types] : ['*'];
    if (bits.every((b) => b !== undefined) && !bits.some((b) => types.some((t) => permits.some((p) => p.scopes.some((s) => (t === '*' || s.resourceType === '*' || s.resourceType === t) && (s.mask & p.mask & b!) !== 0))))) {
      return `This site may not read records of category ${q.categories.map((c) => c.code).join(', ')}`;
    }
  }
  return undefined;
}
