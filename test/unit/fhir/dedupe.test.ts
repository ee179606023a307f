import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, DEDUP_DOMAIN, dedupeKey, withoutVolatile } from '../../../shared/fhir/index.js';
import { fixtureJson, labObservation } from './helpers.js';

const key = new Uint8Array(32).map((_, i) => i + 1);
const otherKey = new Uint8Array(32).map((_, i) => 200 - i);

/** Same object with its keys in reverse order, recursively. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
  return v;
}

describe('dedupeKey (HMAC-SHA256 under the vault dedup key)', () => {
  const bp = fixtureJson('observation-blood-pressure.json');

  it('same resource → same key, whatever the key order', () => {
    const k = dedupeKey(key, bp);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(dedupeKey(key, structuredClone(bp))).toBe(k);
    expect(dedupeKey(key, reversed(bp) as Record<string, unknown>)).toBe(k);
  });

  it('ignores volatile fields: id, meta.versionId, meta.lastUpdated, meta.source', () => {
    const k = dedupeKey(key, bp);
    const reExported = { ...bp, id: 'server-42', meta: { ...(bp.meta as object), versionId: '9', lastUpdated: '2025-01-01T00:00:00Z', source: '#abc' } };
    expect(dedupeKey(key, reExported)).toBe(k);
    // A meta that only held volatile fields counts as no meta at all.
    const plain = labObservation();
    expect(dedupeKey(key, { ...plain, meta: { lastUpdated: '2020-01-01T00:00:00Z' } })).toBe(dedupeKey(key, plain));
  });

  it('content changes change the key, including security labels', () => {
    const k = dedupeKey(key, labObservation());
    expect(dedupeKey(key, labObservation({ valueQuantity: { value: 105, unit: 'mg/dL' } }))).not.toBe(k);
    expect(dedupeKey(key, labObservation({ effectiveDateTime: '2022-04-06T08:00:00Z' }))).not.toBe(k);
    expect(dedupeKey(key, labObservation({ meta: { security: [{ code: 'PSY' }] } }))).not.toBe(k);
  });

  it('is keyed: another vault key gives an unrelated value, and it is not a plain hash', () => {
    const obs = labObservation();
    expect(dedupeKey(otherKey, obs)).not.toBe(dedupeKey(key, obs));
    const canonical = canonicalJson(withoutVolatile(obs));
    expect(dedupeKey(key, obs)).not.toBe(createHash('sha256').update(canonical).digest('hex'));
    // Independent implementation (node:crypto) of the documented construction.
    expect(dedupeKey(key, obs)).toBe(createHmac('sha256', key).update(DEDUP_DOMAIN + canonical).digest('hex'));
  });

  it('accepts another canonical form and another list of ignored fields', () => {
    const obs = labObservation();
    const seen: unknown[] = [];
    dedupeKey(key, obs, { canonicalize: (v) => (seen.push(v), JSON.stringify(v)) });
    expect(seen[0]).not.toHaveProperty('id');
    expect(dedupeKey(key, obs, { ignore: [] })).not.toBe(dedupeKey(key, { ...obs, id: 'other' }, { ignore: [] }));
  });

  it('never modifies the resource and refuses short keys', () => {
    const snapshot = JSON.stringify(bp);
    withoutVolatile(bp);
    dedupeKey(key, bp);
    expect(JSON.stringify(bp)).toBe(snapshot);
    expect(() => dedupeKey(new Uint8Array(8), bp)).toThrow(/16 bytes/);
  });
});
