// Builders for the clinical records of the synthetic corpus (one function per kind), each returning a
// US Core-shaped R4 resource with realistic codes, units, reference ranges and interpretation.
import {
  encounterRef, envelope, iso, loinc, OBS_CAT, organization, practitionerRef, round, SNOMED, snomed, UCUM, when, type Ctx, type R,
} from './context.js';
import * as V from './vocabulary.js';

export function lab(ctx: Ctx): R {
  const def = ctx.rng.pick(V.LABS);
  const t = when(ctx);
  const value = Math.max(0, round(ctx.rng.normal(def.mean, def.sd), def.decimals));
  const flag = def.high !== undefined && value > def.high ? 'H' : def.low !== undefined && value < def.low ? 'L' : 'N';
  const flagText = { H: 'High', L: 'Low', N: 'Normal' }[flag];
  const range: Record<string, unknown> = { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/referencerange-meaning', code: 'normal', display: 'Normal Range' }] } };
  if (def.low !== undefined) range.low = { value: def.low, unit: def.unit, system: UCUM, code: def.ucum };
  if (def.high !== undefined) range.high = { value: def.high, unit: def.unit, system: UCUM, code: def.ucum };
  const r = envelope(ctx, 'Observation', 'lab', 'us-core-observation-lab', t, `${def.short}: ${value} ${def.unit} (${flagText})`);
  ctx.recentLabs.push(r.id!);
  if (ctx.recentLabs.length > 8) ctx.recentLabs.shift();
  return {
    ...r,
    status: 'final',
    category: [{ coding: [{ system: OBS_CAT, code: 'laboratory', display: 'Laboratory' }], text: 'Laboratory' }],
    code: loinc(def.loinc, def.display, def.short),
    subject: ctx.patient,
    encounter: encounterRef(ctx),
    effectiveDateTime: iso(t),
    issued: iso(t + 6 * 3_600_000),
    performer: [practitionerRef(ctx), { display: organization(ctx) }],
    valueQuantity: { value, unit: def.unit, system: UCUM, code: def.ucum },
    interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: flag, display: flagText }], text: flagText }],
    referenceRange: [range],
    specimen: { display: def.loinc === '718-7' || def.loinc === '6690-2' || def.loinc === '777-3' ? 'Whole blood (EDTA)' : 'Serum' },
  };
}

function vitalCategory() {
  return [{ coding: [{ system: OBS_CAT, code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' }];
}

export function vital(ctx: Ctx): R {
  const def = ctx.rng.pick(V.VITALS);
  const t = when(ctx);
  const value = round(ctx.rng.normal(def.mean, def.sd), def.decimals);
  const r = envelope(ctx, 'Observation', 'vs', 'us-core-vital-signs', t, `${def.display}: ${value} ${def.unit}`);
  return {
    ...r, status: 'final', category: vitalCategory(), code: loinc(def.loinc, def.display), subject: ctx.patient,
    encounter: encounterRef(ctx), effectiveDateTime: iso(t), performer: [practitionerRef(ctx)],
    valueQuantity: { value, unit: def.unit, system: UCUM, code: def.ucum },
  };
}

export function bloodPressure(ctx: Ctx): R {
  const t = when(ctx);
  const sys = Math.round(ctx.rng.normal(V.BP.systolic.mean, V.BP.systolic.sd));
  const dia = Math.round(ctx.rng.normal(V.BP.diastolic.mean, V.BP.diastolic.sd));
  const q = (value: number) => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
  const r = envelope(ctx, 'Observation', 'bp', 'us-core-blood-pressure', t, `Blood pressure ${sys}/${dia} mmHg`);
  return {
    ...r, status: 'final', category: vitalCategory(), code: loinc(V.BP.panel.loinc, V.BP.panel.display, 'Blood pressure'), subject: ctx.patient,
    encounter: encounterRef(ctx), effectiveDateTime: iso(t), performer: [practitionerRef(ctx)],
    component: [
      { code: loinc(V.BP.systolic.loinc, V.BP.systolic.display), valueQuantity: q(sys) },
      { code: loinc(V.BP.diastolic.loinc, V.BP.diastolic.display), valueQuantity: q(dia) },
    ],
  };
}

export function medication(ctx: Ctx): R {
  const def = ctx.rng.pick(V.MEDICATIONS);
  const t = when(ctx);
  const med = { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: def.rxnorm, display: def.display }], text: def.display };
  const dosage = { sequence: 1, text: def.dose, timing: { repeat: { frequency: def.freq, period: 1, periodUnit: 'd' } }, route: snomed('26643006', 'Oral route'), doseAndRate: [{ doseQuantity: { value: def.dose.includes('2 tablets') ? 2 : 1, unit: 'tablet', system: UCUM, code: '{tbl}' } }] };
  if (ctx.rng.chance(0.6)) {
    const r = envelope(ctx, 'MedicationRequest', 'medrx', 'us-core-medicationrequest', t, `${def.display}: ${def.dose}`);
    return {
      ...r, status: ctx.rng.pick(['active', 'active', 'completed', 'stopped']), intent: 'order', medicationCodeableConcept: med, subject: ctx.patient,
      encounter: encounterRef(ctx), authoredOn: iso(t), requester: practitionerRef(ctx), dosageInstruction: [dosage],
      dispenseRequest: { numberOfRepeatsAllowed: ctx.rng.int(0, 5), quantity: { value: 30 * def.freq, unit: 'tablet', system: UCUM, code: '{tbl}' }, expectedSupplyDuration: { value: 30, unit: 'days', system: UCUM, code: 'd' } },
    };
  }
  const r = envelope(ctx, 'MedicationStatement', 'medst', 'us-core-medicationstatement', t, `${def.display}: ${def.dose}`);
  return {
    ...r, status: ctx.rng.pick(['active', 'completed']), medicationCodeableConcept: med, subject: ctx.patient, effectivePeriod: { start: iso(t) },
    dateAsserted: iso(t), informationSource: practitionerRef(ctx), dosage: [dosage],
  };
}

export function condition(ctx: Ctx): R {
  // Round robin, so every condition display (a marker) appears once a corpus has a few dozen conditions.
  const def = V.CONDITIONS[ctx.conditions++ % V.CONDITIONS.length]!;
  const t = when(ctx);
  const resolved = def.snomed === '72892002' || ctx.rng.chance(0.2);
  const r = envelope(ctx, 'Condition', 'cond', 'us-core-condition-problems-health-concerns', t, `${def.display} (${def.icd10})`);
  return {
    ...r,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: resolved ? 'resolved' : 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item', display: 'Problem List Item' }] }],
    code: { coding: [{ system: SNOMED, code: def.snomed, display: def.display }, { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: def.icd10, display: def.icd10Display }], text: def.display },
    subject: ctx.patient, onsetDateTime: iso(t), recordedDate: iso(t + 86_400_000),
    ...(resolved ? { abatementDateTime: iso(t + ctx.rng.int(30, 270) * 86_400_000) } : {}),
    recorder: practitionerRef(ctx), asserter: practitionerRef(ctx),
  };
}

export function allergy(ctx: Ctx): R {
  const def = ctx.rng.pick(V.ALLERGIES);
  const t = when(ctx);
  const r = envelope(ctx, 'AllergyIntolerance', 'alg', 'us-core-allergyintolerance', t, `${def.display}: ${def.reaction.display}`);
  return {
    ...r,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
    type: 'allergy', category: [def.category], criticality: def.criticality, code: snomed(def.snomed, def.display),
    patient: ctx.patient, recordedDate: iso(t), recorder: practitionerRef(ctx),
    reaction: [{ manifestation: [snomed(def.reaction.snomed, def.reaction.display)], severity: def.severity }],
  };
}

export function immunization(ctx: Ctx): R {
  const def = ctx.rng.pick(V.VACCINES);
  const t = when(ctx);
  const r = envelope(ctx, 'Immunization', 'imm', 'us-core-immunization', t, `${def.display} given`);
  return {
    ...r, status: 'completed',
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: def.cvx, display: def.display }], text: def.display },
    patient: ctx.patient, encounter: encounterRef(ctx), occurrenceDateTime: iso(t), primarySource: true,
    lotNumber: `${ctx.rng.hex(2).toUpperCase()}${ctx.rng.int(1000, 9999)}`, site: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActSite', code: 'LA', display: 'left arm' }], text: 'left arm' },
    performer: [{ actor: practitionerRef(ctx) }], protocolApplied: [{ doseNumberPositiveInt: ctx.rng.int(1, 3) }],
  };
}

export function procedure(ctx: Ctx): R {
  const def = ctx.rng.pick(V.PROCEDURES);
  const t = when(ctx);
  const r = envelope(ctx, 'Procedure', 'proc', 'us-core-procedure', t, `${def.display} performed`);
  return {
    ...r, status: 'completed', code: snomed(def.snomed, def.display), subject: ctx.patient, encounter: encounterRef(ctx),
    performedPeriod: { start: iso(t), end: iso(t + ctx.rng.int(15, 120) * 60_000) },
    performer: [{ actor: practitionerRef(ctx) }], location: { display: organization(ctx) },
    outcome: snomed('385669000', 'Successful'),
  };
}

export function report(ctx: Ctx): R {
  const def = ctx.rng.pick(V.REPORTS);
  const t = when(ctx);
  const r = envelope(ctx, 'DiagnosticReport', 'dr', def.section === 'LAB' ? 'us-core-diagnosticreport-lab' : 'us-core-diagnosticreport-note', t, `${def.display}: ${def.conclusion}`);
  return {
    ...r, status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: def.section, display: def.section === 'LAB' ? 'Laboratory' : 'Radiology' }] }],
    code: loinc(def.loinc, def.display), subject: ctx.patient, encounter: encounterRef(ctx), effectiveDateTime: iso(t), issued: iso(t + 86_400_000),
    performer: [practitionerRef(ctx)], resultsInterpreter: [practitionerRef(ctx)],
    result: def.section === 'LAB' ? ctx.recentLabs.slice(-4).map((id) => ({ reference: `Observation/${id}` })) : [],
    conclusion: def.conclusion,
  };
}

export function encounter(ctx: Ctx): R {
  const def = ctx.rng.pick(V.ENCOUNTERS);
  const reason = ctx.rng.pick(V.CONDITIONS);
  const t = when(ctx);
  const r = envelope(ctx, 'Encounter', 'enc', 'us-core-encounter', t, `${def.display} at ${organization(ctx)}`);
  return {
    ...r, status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: def.cls },
    type: [snomed(def.snomed, def.display)], subject: ctx.patient,
    participant: [{ individual: practitionerRef(ctx) }], period: { start: iso(t), end: iso(t + ctx.rng.int(20, 90) * 60_000) },
    reasonCode: [snomed(reason.snomed, reason.display)],
    location: [{ location: { display: organization(ctx) } }], serviceProvider: { display: organization(ctx) },
  };
}
