import { findSecureMed } from '../../shared/sdk/portal-sdk';
import { accessRefused, connected, connectFailed, onClick, ready, recordsRefused, show, showAccess, showRecords } from './view';

/**
 * The demo patient portal (Riverside Health). It uses only the portal SDK, as a third-party portal
 * would: find SecureMed, connect, ask for lab results and medicines for treatment for 30 days, show
 * the records SecureMed returns in a table, show the permission with a way to give it up. This file is
 * the README's "Integrate your portal"; view.ts is the page's own display.
 */
const SCOPES = ['patient/Observation.rs?category=laboratory', 'patient/MedicationRequest.rs'];

async function main(): Promise<void> {
  const found = await findSecureMed();
  if (!found.installed) return show(`${found.message}. Load the extension, then reload this page.`, 'error');
  const securemed = found.client;
  const { grantee } = await (await fetch('/.well-known/securemed.json')).json();
  securemed.on('permissionsChanged', ({ permissions }) => showAccess(permissions));
  onClick('connect', () => securemed.connect().then(connected, connectFailed));
  onClick('request', () => securemed.requestPermissions({ grantee, scopes: SCOPES, purpose: 'TREAT', durationDays: 30 }).then((p) => showAccess([p]), accessRefused));
  onClick('load', () => securemed.searchAll({ _type: 'Observation,MedicationRequest', date: 'ge2020' }).then((r) => showRecords(r, `${r.length} records from your SecureMed vault: lab results and medicines since 2020.`), recordsRefused));
  onClick('stop', () => securemed.revokePermissions(grantee).then(showAccess, accessRefused));
  await ready(securemed);
}

void main();
