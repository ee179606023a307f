import { findSecureMed } from '../../../shared/sdk/portal-sdk';
import { accessRefused, connected, connectFailed, onClick, ready, recordsRefused, show, showAccess, showRecords } from '../view';

/**
 * The demo doctor's EHR (Northside Clinic), on its own origin with its own grantee and binding file.
 * Only the portal SDK: it asks for problems, allergies and vaccinations, to coordinate care, for 7
 * days, and loads them as a chart. It never sees what the patient portal was given, nor its events.
 */
const SCOPES = ['patient/Condition.rs', 'patient/AllergyIntolerance.rs', 'patient/Immunization.rs'];

async function main(): Promise<void> {
  const found = await findSecureMed();
  if (!found.installed) return show(`${found.message}. Load the extension, then reload this page.`, 'error');
  const securemed = found.client;
  const { grantee } = await (await fetch('/.well-known/securemed.json')).json();
  securemed.on('permissionsChanged', ({ permissions }) => showAccess(permissions));
  onClick('connect', () => securemed.connect().then(connected, connectFailed));
  onClick('request', () => securemed.requestPermissions({ grantee, scopes: SCOPES, purpose: 'CAREMGT', durationDays: 7 }).then((p) => showAccess([p]), accessRefused));
  onClick('load', () => securemed.searchAll({ _type: 'Condition,AllergyIntolerance,Immunization' }).then((r) => showRecords(r, `${r.length} entries in the chart, from the patient's SecureMed vault.`), recordsRefused));
  onClick('stop', () => securemed.revokePermissions(grantee).then(showAccess, accessRefused));
  await ready(securemed);
}

void main();
