// A collection Bundle with deliberately invalid entries mixed in, plus the outcome the importer must
// report for each entry. Used by the import tests, the e2e import flow and the demo stack.
import { DEFAULT_LIMITS } from '../limits.js';
import type { FhirResource } from '../types.js';
import type { RejectCode } from '../validate.js';
import { generateCorpus, type CorpusOptions } from './corpus.js';
import { mulberry32 } from './prng.js';

/** Kinds of broken entries, cycled in this order. */
export const INVALID_KINDS = [
  'missing-resource-type', 'unknown-resource-type', 'missing-code', 'bad-date', 'too-large', 'missing-status', 'no-resource',
] as const;
export type InvalidKind = (typeof INVALID_KINDS)[number];

export type ExpectedOutcome = { index: number; ok: true } | { index: number; ok: false; kind: InvalidKind; code: RejectCode };

export interface BundleOptions extends CorpusOptions {
  /** How many of the n entries are broken (default 0). */
  invalid?: number;
  /** Which kinds to use (default all, cycled). */
  kinds?: readonly InvalidKind[];
  /** Bundle type; transaction / batch entries get a `request` (POST), searchset entries a `search`. */
  type?: 'collection' | 'transaction' | 'batch' | 'searchset';
  /** Serialized size of the oversized entry (default: 64 KiB over the per-resource limit). */
  oversizeBytes?: number;
}

const CODE: Record<InvalidKind, RejectCode> = {
  'missing-resource-type': 'missing-resource-type', 'unknown-resource-type': 'unknown-resource-type',
  'missing-code': 'missing-code', 'bad-date': 'bad-date', 'too-large': 'too-large', 'missing-status': 'missing-status',
  'no-resource': 'no-resource',
};

function breakEntry(kind: InvalidKind, i: number, opts: BundleOptions): { resource?: unknown } {
  const obs = (extra: Record<string, unknown>) => ({
    resourceType: 'Observation', id: `broken-${i}`, status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' }] },
    effectiveDateTime: '2021-06-01T08:30:00Z', valueQuantity: { value: 95, unit: 'mg/dL' }, ...extra,
  });
  switch (kind) {
    case 'missing-resource-type': {
      const { resourceType: _drop, ...rest } = obs({});
      return { resource: rest };
    }
    case 'unknown-resource-type':
      return { resource: { ...obs({}), resourceType: 'LabResultz' } };
    case 'missing-code': {
      const { code: _drop, ...rest } = obs({});
      return { resource: rest };
    }
    case 'bad-date':
      return { resource: obs({ effectiveDateTime: '2021-02-30T08:30:00Z' }) };
    case 'too-large':
      return { resource: obs({ valueString: 'x'.repeat(opts.oversizeBytes ?? DEFAULT_LIMITS.maxResourceBytes + 65_536), valueQuantity: undefined }) };
    case 'missing-status': {
      const { status: _drop, ...rest } = obs({});
      return { resource: rest };
    }
    case 'no-resource':
      return {};
  }
}

export function generateBundle(n: number, opts: BundleOptions = {}): { bundle: FhirResource; expected: ExpectedOutcome[] } {
  const k = Math.min(Math.max(0, opts.invalid ?? 0), n);
  const kinds = opts.kinds ?? INVALID_KINDS;
  const valid = generateCorpus(n - k, { ...opts, includePatient: opts.includePatient ?? false });
  // Positions of the broken entries: a seeded shuffle, so they are spread through the bundle.
  const rng = mulberry32(((opts.seed ?? 1) ^ 0x9e3779b9) >>> 0);
  const positions = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [positions[i], positions[j]] = [positions[j]!, positions[i]!];
  }
  const broken = new Map(positions.slice(0, k).sort((a, b) => a - b).map((p, j) => [p, kinds[j % kinds.length]!]));
  const entry: unknown[] = [];
  const expected: ExpectedOutcome[] = [];
  const type = opts.type ?? 'collection';
  let v = 0;
  for (let i = 0; i < n; i++) {
    const kind = broken.get(i);
    // JSON round trip drops the `undefined` used to remove valueQuantity from the oversized entry.
    const e: Record<string, unknown> = kind ? JSON.parse(JSON.stringify(breakEntry(kind, i, opts))) : { resource: valid[v++] };
    const rt = (e.resource as { resourceType?: unknown } | undefined)?.resourceType;
    const extra: Record<string, unknown> =
      type === 'transaction' || type === 'batch' ? { request: { method: 'POST', url: typeof rt === 'string' ? rt : 'Observation' } }
        : type === 'searchset' ? { search: { mode: 'match' } } : {};
    entry.push({ fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, ...e, ...extra });
    expected.push(kind ? { index: i, ok: false, kind, code: CODE[kind] } : { index: i, ok: true });
  }
  return { bundle: { resourceType: 'Bundle', type, ...(type === 'searchset' ? { total: n } : {}), entry }, expected };
}
