import { ErrorCodes, type FhirResource, type Permission, type SecureMedClient, type SecureMedError } from '../../shared/sdk/portal-sdk';

/**
 * What both demo sites show: records in a table, a permission in words, events as they come. Plain
 * DOM with textContent only (records are data from elsewhere: never markup).
 */
export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const concept = (cc: unknown): string | undefined => {
  const c = cc as { text?: unknown; coding?: Array<{ display?: unknown; code?: unknown }> } | undefined;
  return text(c?.text) ?? text(c?.coding?.[0]?.display) ?? text(c?.coding?.[0]?.code);
};

/** The columns a clinician scans first: when, what kind, what, the value. */
export function recordRow(r: FhirResource): [string, string, string, string] {
  const x = r as Record<string, unknown>;
  const when = text(x.effectiveDateTime) ?? text(x.authoredOn) ?? text(x.recordedDate) ?? text(x.onsetDateTime) ?? text(x.occurrenceDateTime) ?? text(x.issued) ?? '';
  const what = concept(x.code) ?? concept(x.medicationCodeableConcept) ?? concept(x.vaccineCode) ?? r.resourceType;
  const q = x.valueQuantity as { value?: number; unit?: string } | undefined;
  const value = q?.value !== undefined ? `${q.value} ${q.unit ?? ''}`.trim() : text(x.valueString) ?? concept(x.valueCodeableConcept) ?? text(x.status) ?? concept(x.clinicalStatus) ?? '';
  return [when.slice(0, 10), r.resourceType, what, value];
}

export function showRecords(resources: FhirResource[], note: string): void {
  const body = $('records').querySelector('tbody')!;
  body.replaceChildren(
    ...resources.map((r) => {
      const tr = document.createElement('tr');
      for (const cell of recordRow(r)) tr.append(Object.assign(document.createElement('td'), { textContent: cell }));
      return tr;
    }),
  );
  $('records-note').textContent = note;
}

const day = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 10);

/** One line per permission: status, what, why, until when. */
export function showPermissions(permissions: Permission[]): void {
  const list = $('permission');
  list.replaceChildren(
    ...permissions.map((p) => {
      const li = document.createElement('li');
      li.textContent = `${p.status}: ${p.scopes.join(', ')} · purpose ${p.purpose} · until ${day(p.expiresAt)}${p.reason ? ` · ${p.reason}` : ''}`;
      return li;
    }),
  );
  if (!permissions.length) list.append(Object.assign(document.createElement('li'), { textContent: 'No permission.' }));
}

export function logEvent(line: string): void {
  $('events').append(Object.assign(document.createElement('li'), { textContent: line }));
}

/** Busy text per button, shown at the click (before SecureMed answers). */
const BUSY: Record<string, () => void> = {
  connect: () => {
    $<HTMLButtonElement>('connect').disabled = true;
    show('Waiting for the patient to approve in SecureMed…');
  },
  request: () => ($('access').textContent = 'Waiting for the patient to decide in SecureMed…'),
  load: () => ($('records-note').textContent = 'Loading…'),
};

export function onClick(id: string, action: () => Promise<unknown>): void {
  $(id).addEventListener('click', () => {
    BUSY[id]?.();
    void action();
  });
}

export function show(message: string, tone: 'info' | 'error' | 'ok' = 'info'): void {
  const box = $('status');
  box.textContent = message;
  box.dataset.tone = tone;
}

export function showAccess(permissions: Permission[]): void {
  const p = permissions.find((x) => x.status !== 'revoked') ?? permissions[0];
  $('access').textContent = p ? `Access ${p.status}${p.txHash ? ` (tx ${p.txHash})` : ''}${p.reason ? `: ${p.reason}` : ''}` : 'Not shared yet.';
  showPermissions(permissions);
}

const refused = (error: unknown) => `Refused (${(error as SecureMedError).code}): ${(error as Error).message}`;
export const accessRefused = (error: unknown) => ($('access').textContent = refused(error));
export const recordsRefused = (error: unknown) => ($('records-note').textContent = refused(error));
export const connected = ({ address }: { address: string }) => show(`Connected to SecureMed. This portal knows you as ${address}.`, 'ok');

export function connectFailed(error: unknown): void {
  const messages: Record<number, string> = {
    [ErrorCodes.userRejected]: 'The patient declined the connection.',
    [ErrorCodes.requestPending]: 'A request is already waiting in SecureMed.',
    [ErrorCodes.disconnected]: 'SecureMed is not set up yet. Create your vault in the SecureMed popup, then try again.',
  };
  show(messages[(error as SecureMedError).code] ?? (error as Error).message, 'error');
  $<HTMLButtonElement>('connect').disabled = false;
}

/** After the integration is wired: log events, say whether the site is connected, enable the buttons. */
export async function ready(securemed: SecureMedClient): Promise<void> {
  for (const event of ['connect', 'disconnect', 'lock'] as const) securemed.on(event, () => logEvent(event));
  securemed.on('permissionsChanged', ({ permissions }) => logEvent(`permissionsChanged: ${permissions.map((p) => p.status).join(', ') || 'none'}`));
  const { connected: isConnected } = await securemed.status();
  show(isConnected ? 'Connected to SecureMed.' : 'SecureMed found. Connect to ask the patient for access.', isConnected ? 'ok' : 'info');
  $<HTMLButtonElement>('connect').disabled = isConnected;
  for (const id of ['request', 'stop', 'load']) $<HTMLButtonElement>(id).disabled = false;
  if (isConnected) securemed.getPermissions().then(showAccess, () => undefined);
}
