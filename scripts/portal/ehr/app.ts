import { findSecureMed, type FhirResource, type SubmitResult } from '../../../shared/sdk/portal-sdk';
import { $, accessRefused, connected, connectFailed, onClick, ready, recordsRefused, show, showAccess, showRecords } from '../view';

/**
 * The demo doctor's EHR (Northside Clinic), on its own origin with its own grantee and binding file.
 * Only the portal SDK: it asks for problems, allergies and vaccinations, to coordinate care, for 7
 * days, and loads them as a chart; it also asks to send lab results (a SMART v2 write scope) and sends
 * three from "Send lab results", which the patient reviews in SecureMed. It never sees what the
 * patient portal was given, nor its events.
 */
const SCOPES = ['patient/Condition.rs', 'patient/AllergyIntolerance.rs', 'patient/Immunization.rs', 'patient/Observation.c?category=laboratory'];

const LAB = { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' };
const lab = (id: string, loinc: string, display: string, value: number, unit: string, low: number, high: number): FhirResource => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [{ coding: [LAB] }],
  code: { coding: [{ system: 'http://loinc.org', code: loinc, display }], text: display },
  effectiveDateTime: '2026-11-20T09:30:00Z',
  valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  referenceRange: [{ low: { value: low, unit }, high: { value: high, unit } }],
  performer: [{ display: 'Northside Clinic laboratory' }],
});

/** Today's results from the clinic's lab: the same three each time (a second send is recognised as already there). */
const LAB_RESULTS: FhirResource[] = [
  lab('nsc-lab-1', '2345-7', 'Glucose', 97, 'mg/dL', 70, 99),
  lab('nsc-lab-2', '718-7', 'Hemoglobin', 13.9, 'g/dL', 12, 16),
  lab('nsc-lab-3', '2093-3', 'Cholesterol, total', 221, 'mg/dL', 0, 200),
];

function sent(result: SubmitResult): void {
  const parts = [`${result.accepted.length} of ${LAB_RESULTS.length} lab results added`];
  if (result.declined.length) parts.push(`${result.declined.length} left out by the patient`);
  if (result.duplicates.length) parts.push(`${result.duplicates.length} already in the patient's records`);
  $('submit-note').textContent = `${parts.join(', ')}.`;
}

async function main(): Promise<void> {
  const found = await findSecureMed();
  if (!found.installed) return show(`${found.message}. Load the extension, then reload this page.`, 'error');
  const securemed = found.client;
  const { grantee } = await (await fetch('/.well-known/securemed.json')).json();
  securemed.on('permissionsChanged', ({ permissions }) => showAccess(permissions));
  onClick('connect', () => securemed.connect().then(connected, connectFailed));
  onClick('request', () => securemed.requestPermissions({ grantee, scopes: SCOPES, purpose: 'CAREMGT', durationDays: 7 }).then((p) => showAccess([p]), accessRefused));
  onClick('load', () => securemed.searchAll({ _type: 'Condition,AllergyIntolerance,Immunization' }).then((r) => showRecords(r, `${r.length} entries in the chart, from the patient's SecureMed vault.`), recordsRefused));
  onClick('send', () => {
    $('submit-note').textContent = 'Waiting for the patient to review the results in SecureMed…';
    return securemed.submit({ resources: LAB_RESULTS }).then(sent, (e: Error & { code?: number }) => ($('submit-note').textContent = `Not sent (${e.code}): ${e.message}`));
  });
  onClick('stop', () => securemed.revokePermissions(grantee).then(showAccess, accessRefused));
  await ready(securemed);
  $<HTMLButtonElement>('send').disabled = false;
}

void main();
