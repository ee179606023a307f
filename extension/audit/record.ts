import { browser } from 'wxt/browser';
import { logged } from '../logging/log';
import { LockedError } from '../records/vault-keys';
import type { AccessNote } from './entry';
import { noteOfCall } from './note';
import { loadSite } from '../consent/store';
import { appendNotes, COALESCE_WINDOW_MS } from './store';

/**
 * The audit hook's write path. `recordAccess` is synchronous and cheap: it only queues the note, and
 * the page already has its answer. A serial task then
 *   1. puts the note into a buffer in storage.session (memory-only, survives a stopped worker, gone
 *      when the browser closes — where the unlocked seed lives too), so a worker stopped before the
 *      sealed write loses nothing: the next start drains the buffer;
 *   2. seals the buffered notes into the trail (store.ts) and empties the buffer.
 * While the vault is locked the notes stay in the buffer (calls then are mostly "locked" refusals);
 * the buffer coalesces identical notes of one window, so it stays bounded too, and unlock drains it.
 * An auditing failure is logged, never thrown at the page.
 */
export const AUDIT_BUFFER_KEY = 'auditPending';
/** Distinct notes the buffer keeps while locked; beyond it the oldest go (and the log says so). */
const MAX_BUFFERED = 2000;
/**
 * And the bytes it may take: storage.session has one 10 MB quota shared with the sealed session seed
 * and the approval windows, and a search note lists every record it returned (up to 200 fullUrls, ≈12 kB),
 * so a count alone would not keep a buffer that cannot drain (e.g. a failing trail write) under it.
 */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

type BufferedNote = AccessNote & { count?: number };

let queued: AccessNote[] = [];
let chain: Promise<void> = Promise.resolve();

/** The dispatch point's one line: audit a call after its answer went out. Never throws. */
export function auditCall(call: Parameters<typeof noteOfCall>[0]): void {
  try {
    recordAccess(noteOfCall(call));
  } catch (error) {
    logged('audit', 'note a page call')(error);
  }
}

export function recordAccess(note: AccessNote): void {
  queued.push(note);
  if (queued.length === 1) chain = chain.then(flush).catch(logged('audit', 'append to the audit trail'));
}

/** Drain the buffer (worker start, unlock). Resolves when the trail has everything it can take now. */
export function drainAudit(): Promise<void> {
  chain = chain.then(flush).catch(logged('audit', 'drain the audit buffer'));
  return chain;
}

/** Resolves once every note recorded so far has been handled (tests, bench). */
export function auditSettled(): Promise<void> {
  return chain;
}

/**
 * Each sealed write is a User Timing measure (DevTools shows it; `npm run bench -- --only audit` reads
 * it in the worker). At most MAX_MEASURES are kept, so a polling portal cannot grow the timeline.
 */
export const APPEND_MEASURE = 'securemed.audit.append';
const MAX_MEASURES = 200;

function measureAppend(start: number, notes: number): void {
  if (performance.getEntriesByName(APPEND_MEASURE).length >= MAX_MEASURES) performance.clearMeasures(APPEND_MEASURE);
  performance.measure(APPEND_MEASURE, { start, detail: { notes } });
}

async function flush(): Promise<void> {
  const start = performance.now();
  const fresh = queued;
  queued = [];
  const stored = ((await browser.storage.session.get(AUDIT_BUFFER_KEY))[AUDIT_BUFFER_KEY] as BufferedNote[] | undefined) ?? [];
  const buffer = coalesce([...stored, ...fresh]);
  if (fresh.length > 0) await browser.storage.session.set({ [AUDIT_BUFFER_KEY]: buffer });
  if (buffer.length === 0) return;
  try {
    await appendNotes(await withPermissions(buffer));
  } catch (error) {
    if (error instanceof LockedError) return; // kept in the buffer until unlock
    throw error;
  }
  await browser.storage.session.remove(AUDIT_BUFFER_KEY);
  measureAppend(start, buffer.length);
}

/** Identical notes of one window become one with a count (the trail would coalesce them anyway). */
function coalesce(notes: BufferedNote[]): BufferedNote[] {
  const byKey = new Map<string, BufferedNote>();
  for (const note of notes) {
    const { at, count, ...rest } = note;
    const key = JSON.stringify([Math.floor(at / COALESCE_WINDOW_MS), rest]);
    const seen = byKey.get(key);
    if (seen) byKey.set(key, { ...seen, at: Math.max(seen.at, at), count: (seen.count ?? 1) + (count ?? 1) });
    else byKey.set(key, note);
  }
  return newestWithinBounds([...byKey.values()]);
}

/** The newest notes that fit both bounds (count and bytes); the log says how many older ones went. */
function newestWithinBounds(notes: BufferedNote[]): BufferedNote[] {
  let bytes = 0;
  let keep = 0;
  for (let i = notes.length - 1; i >= 0 && keep < MAX_BUFFERED; i--, keep++) {
    bytes += JSON.stringify(notes[i]).length;
    if (bytes > MAX_BUFFERED_BYTES) break;
  }
  if (keep < notes.length) logged('audit', `audit buffer full: ${notes.length - keep} oldest notes dropped`)(undefined);
  return notes.slice(notes.length - keep);
}

/**
 * A call that named no grantee (e.g. a search over all of a site's permissions) is audited with the
 * site's permissions in force when it is written: their grantee when there is one, and their scopes.
 */
async function withPermissions(notes: BufferedNote[]): Promise<BufferedNote[]> {
  const sites = new Map<string, Awaited<ReturnType<typeof loadSite>>>();
  const out: BufferedNote[] = [];
  for (const note of notes) {
    if (note.scopes && note.grantee) {
      out.push(note);
      continue;
    }
    if (!sites.has(note.origin)) sites.set(note.origin, await loadSite(note.origin).catch(() => undefined));
    const live = (sites.get(note.origin)?.permissions ?? []).filter((p) => (note.grantee ? p.grantee.toLowerCase() === note.grantee.toLowerCase() : true) && (p.status === 'active' || p.status === 'pending'));
    const grantees = [...new Set(live.map((p) => p.grantee))];
    const scopes = note.scopes ?? [...new Set(live.flatMap((p) => p.scopes))].slice(0, 32);
    out.push({ ...note, ...(!note.grantee && grantees.length === 1 ? { grantee: grantees[0] } : {}), ...(scopes.length > 0 ? { scopes } : {}) });
  }
  return out;
}
