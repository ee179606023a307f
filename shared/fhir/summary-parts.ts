// Readers behind summarize(): values, ranges, interpretation and dosage in plain words. Split out of
// summary.ts only to keep files small; not part of the public API.
import { anyCode, asArray, conceptText, codings, formatQuantity, isObject, referenceDisplay, str, SYSTEMS } from './codes.js';
import type { Category, SensitiveFlag } from './categorize.js';

export interface Detail {
  label: string;
  value: string;
}

export interface Summary {
  resourceType: string;
  title: string;
  category: Category;
  sensitive: SensitiveFlag[];
  /** ISO 8601 as recorded (may be partial, e.g. "2019-05"). */
  date?: string;
  value?: string;
  referenceRange?: string;
  interpretation?: string;
  status?: string;
  performer?: string;
  details: Detail[];
}

export type R = Record<string, unknown>;
const MAX = 500; // long free text belongs in the record viewer, not in a list row
export const clip = (s: string | undefined) => (s && s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s);
export const get = (o: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (Array.isArray(v) ? v[k as number] : isObject(v) ? v[k as string] : undefined), o);
export const first = (...vals: unknown[]) => vals.map(str).find(Boolean);

const INTERPRETATION: Record<string, string> = {
  H: 'High', L: 'Low', N: 'Normal', A: 'Abnormal', HH: 'Critically high', LL: 'Critically low',
  AA: 'Critically abnormal', POS: 'Positive', NEG: 'Negative', DET: 'Detected', ND: 'Not detected',
};

export function valueOf(r: R): string | undefined {
  const q = formatQuantity(r.valueQuantity);
  if (q) return q;
  if (typeof r.valueBoolean === 'boolean') return r.valueBoolean ? 'Yes' : 'No';
  if (typeof r.valueInteger === 'number') return String(r.valueInteger);
  if (isObject(r.valueRange)) return range(r.valueRange);
  if (isObject(r.valueRatio)) {
    const n = formatQuantity(r.valueRatio.numerator);
    const d = formatQuantity(r.valueRatio.denominator);
    if (n && d) return `${n} / ${d}`;
  }
  return first(r.valueString, conceptText(r.valueCodeableConcept), r.valueDateTime, r.valueTime);
}

export function range(rr: R): string | undefined {
  const low = get(rr, 'low', 'value');
  const high = get(rr, 'high', 'value');
  const unit = first(get(rr, 'high', 'unit'), get(rr, 'low', 'unit'), get(rr, 'high', 'code'), get(rr, 'low', 'code'));
  const u = unit && unit !== '1' ? ` ${unit}` : '';
  if (typeof low === 'number' && typeof high === 'number') return `${low}–${high}${u}`;
  if (typeof low === 'number') return `≥ ${low}${u}`;
  if (typeof high === 'number') return `≤ ${high}${u}`;
  return str(rr.text);
}

export function interpretationOf(cc: unknown): string | undefined {
  const coded = codings(cc).map((c) => (c.code ? INTERPRETATION[c.code] : undefined)).find(Boolean);
  return first(get(cc, 'text'), coded, conceptText(cc));
}

const isLoinc = (cc: unknown, code: string) => anyCode(cc, [SYSTEMS.loinc], (c) => c === code);

export function observation(r: R, s: Summary): void {
  s.value = valueOf(r);
  const comps = asArray(r.component).filter(isObject);
  const sys = comps.find((c) => isLoinc(c.code, '8480-6'));
  const dia = comps.find((c) => isLoinc(c.code, '8462-4'));
  const sv = get(sys, 'valueQuantity', 'value');
  const dv = get(dia, 'valueQuantity', 'value');
  if (typeof sv === 'number' && typeof dv === 'number') {
    // Blood pressure reads as one value, "120/80 mmHg", the way patients know it.
    s.value ??= `${sv}/${dv} ${first(get(sys, 'valueQuantity', 'unit'), get(sys, 'valueQuantity', 'code')) ?? 'mmHg'}`;
  } else {
    for (const c of comps) {
      const label = conceptText(c.code);
      const v = valueOf(c);
      if (label && v) s.details.push({ label, value: v });
    }
  }
  if (!s.value && isObject(r.dataAbsentReason)) s.value = `Not available (${conceptText(r.dataAbsentReason) ?? 'no reason given'})`;
  s.referenceRange = isObject(get(r, 'referenceRange', 0)) ? range(get(r, 'referenceRange', 0) as R) : undefined;
  s.interpretation = interpretationOf(get(r, 'interpretation', 0));
  s.performer = referenceDisplay(get(r, 'performer', 0));
  detail(s, 'Body site', conceptText(r.bodySite));
  detail(s, 'Method', conceptText(r.method));
}

export function medication(r: R, s: Summary): void {
  s.title = first(conceptText(r.medicationCodeableConcept), referenceDisplay(r.medicationReference)) ?? s.title;
  const dosage = get(r, 'dosage', 0) ?? get(r, 'dosageInstruction', 0) ?? r.dosage;
  const dose = formatQuantity(get(dosage, 'doseAndRate', 0, 'doseQuantity')) ?? formatQuantity(get(dosage, 'dose'));
  const freq = get(dosage, 'timing', 'repeat', 'frequency');
  const per = get(dosage, 'timing', 'repeat', 'period');
  const unit = str(get(dosage, 'timing', 'repeat', 'periodUnit'));
  const UNITS: Record<string, string> = { h: 'hour', d: 'day', wk: 'week', mo: 'month' };
  const timing = typeof freq === 'number' && typeof per === 'number' && unit && UNITS[unit]
    ? `${freq === 1 ? 'once' : freq === 2 ? 'twice' : `${freq} times`} ${per === 1 ? `a ${UNITS[unit]}` : `every ${per} ${UNITS[unit]}s`}`
    : undefined;
  s.value = first(get(dosage, 'text'), [dose, timing].filter(Boolean).join(', '));
  s.performer = first(referenceDisplay(r.requester), referenceDisplay(r.informationSource), referenceDisplay(get(r, 'performer', 0, 'actor')));
  detail(s, 'Route', conceptText(get(dosage, 'route')));
  detail(s, 'Reason', conceptText(get(r, 'reasonCode', 0)));
  const repeats = get(r, 'dispenseRequest', 'numberOfRepeatsAllowed');
  if (typeof repeats === 'number') detail(s, 'Refills', String(repeats));
}

export function detail(s: Summary, label: string, value: unknown): void {
  const v = clip(typeof value === 'number' ? String(value) : str(value));
  if (v) s.details.push({ label, value: v });
}
