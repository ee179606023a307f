import { discoverSecureMed, ErrorCodes, SecureMedError } from '../../shared/sdk/portal-sdk';

/**
 * The demo patient portal. It uses only the portal SDK, as a third-party portal would.
 */
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function show(message: string, tone: 'info' | 'error' | 'ok' = 'info'): void {
  const box = $('status');
  box.textContent = message;
  box.dataset.tone = tone;
}

async function main(): Promise<void> {
  const securemed = await discoverSecureMed();
  const connectButton = $<HTMLButtonElement>('connect');
  if (!securemed) {
    show('SecureMed is not installed in this browser. Load the extension, then reload this page.', 'error');
    return;
  }
  const { connected } = await securemed.status();
  show(connected ? 'Connected to SecureMed.' : 'SecureMed found. Connect to ask the patient for access.', connected ? 'ok' : 'info');
  connectButton.disabled = connected;
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
}

void main();
