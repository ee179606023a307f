import { discoverSecureMed, ErrorCodes, SecureMedError, type Permission } from '../../shared/sdk/portal-sdk';

/**
 * The demo patient portal. It uses only the portal SDK, as a third-party portal would.
 */
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const SCOPES = ['patient/Observation.rs?category=laboratory', 'patient/MedicationRequest.rs'];

function show(message: string, tone: 'info' | 'error' | 'ok' = 'info'): void {
  const box = $('status');
  box.textContent = message;
  box.dataset.tone = tone;
}

function showAccess(permissions: Permission[]): void {
  const p = permissions.find((x) => x.status !== 'revoked') ?? permissions[0];
  $('access').textContent = p ? `Access ${p.status}${p.txHash ? ` (tx ${p.txHash})` : ''}${p.reason ? `: ${p.reason}` : ''}` : 'Not shared yet.';
}

async function ownGrantee(): Promise<string> {
  const binding = (await (await fetch('/.well-known/securemed.json')).json()) as { grantee: string };
  return binding.grantee;
}

async function main(): Promise<void> {
  const securemed = await discoverSecureMed();
  const connectButton = $<HTMLButtonElement>('connect');
  const requestButton = $<HTMLButtonElement>('request');
  const stopButton = $<HTMLButtonElement>('stop');
  if (!securemed) {
    show('SecureMed is not installed in this browser. Load the extension, then reload this page.', 'error');
    return;
  }
  const grantee = await ownGrantee();
  securemed.on('permissionsChanged', (data) => {
    const permissions = (data as { permissions: Permission[] }).permissions;
    const li = document.createElement('li');
    li.textContent = `permissionsChanged: ${permissions.map((p) => p.status).join(', ') || 'none'}`;
    $('events').append(li);
    showAccess(permissions);
  });
  for (const event of ['connect', 'disconnect', 'lock'] as const) {
    securemed.on(event, () => {
      const li = document.createElement('li');
      li.textContent = event;
      $('events').append(li);
    });
  }
  const { connected } = await securemed.status();
  show(connected ? 'Connected to SecureMed.' : 'SecureMed found. Connect to ask the patient for access.', connected ? 'ok' : 'info');
  connectButton.disabled = connected;
  requestButton.disabled = false;
  stopButton.disabled = false;
  connectButton.addEventListener('click', async () => {
    connectButton.disabled = true;
    show('Waiting for the patient to approve in SecureMed…');
    try {
      const { address } = await securemed.connect();
      show(`Connected to SecureMed. This portal knows you as ${address}.`, 'ok');
    } catch (error) {
      const code = (error as SecureMedError).code;
      const messages: Record<number, string> = {
        [ErrorCodes.userRejected]: 'The patient declined the connection.',
        [ErrorCodes.requestPending]: 'A request is already waiting in SecureMed.',
        [ErrorCodes.disconnected]: 'SecureMed is not set up yet. Create your vault in the SecureMed popup, then try again.',
      };
      show(messages[code] ?? (error as Error).message, 'error');
      connectButton.disabled = false;
    }
  });
  requestButton.addEventListener('click', async () => {
    $('access').textContent = 'Waiting for the patient to decide in SecureMed…';
    try {
      const permission = await securemed.requestPermissions({ grantee, scopes: SCOPES, purpose: 'TREAT', durationDays: 30 });
      showAccess([permission]);
    } catch (error) {
      $('access').textContent = `Refused (${(error as SecureMedError).code}): ${(error as Error).message}`;
    }
  });
  stopButton.addEventListener('click', async () => {
    try {
      showAccess(await securemed.revokePermissions(grantee));
    } catch (error) {
      $('access').textContent = `Refused (${(error as SecureMedError).code}): ${(error as Error).message}`;
    }
  });
}

void main();
