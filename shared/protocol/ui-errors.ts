/**
 * How the background refuses a request from an extension page: a code from a small closed set that
 * pages switch on, and a message written for the patient that pages show as it is. No zod here: the
 * popup imports this (UiError) and must stay small.
 */
export const UI_ERROR_CODES = [
  /** The request or a value in it is not acceptable (a malformed request, a form field, a wrong word). */
  'invalid',
  /** The vault is locked; unlock and ask again. */
  'locked',
  /** The background did not answer: the service worker is (re)starting. Asking again usually works. */
  'restarting',
  /** What the request names is not there (any more): a record, a conversation, a pending approval. */
  'not_found',
  /** The request clashes with the current state (a vault already exists, the contact is blocked). */
  'conflict',
  /** Something outside the extension does not answer or cannot do it (the messaging node, a peer). */
  'unavailable',
  /** The request would do something consequential: ask the patient, then send it again confirmed. */
  'needs_confirmation',
  /** Anything else. Unknown errors become this, with a generic message (never a stack or detail). */
  'internal',
] as const;
export type UiErrorCode = (typeof UI_ERROR_CODES)[number];

/** What a page sees for an internal error it has no specific message for. */
export const GENERIC_UI_ERROR = 'Something went wrong in SecureMed. Please try again.';

/**
 * A refusal with a code. The background's procedures (and the domain code they call) throw it; the
 * page's ask() throws it again from the reply, so `error.code` works the same on both sides.
 */
export class UiError extends Error {
  constructor(
    readonly code: UiErrorCode,
    message: string,
    /** Field path → message, when a form was at fault. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'UiError';
  }
}

/** Thrown by a background procedure to point at specific form fields (field path → message). */
export class FieldErrors extends UiError {
  constructor(message: string, fields: Record<string, string>) {
    super('invalid', message, fields);
    this.name = 'FieldErrors';
  }
}

/** The refusal as it crosses to the page: plain data. */
export interface UiErrorReply {
  ok: false;
  code: UiErrorCode;
  /** Human-readable, for display. */
  error: string;
  fields?: Record<string, string>;
}

/** Turn anything a procedure threw into a reply: a UiError keeps its code and message, anything else is internal. */
export function toUiErrorReply(error: unknown): UiErrorReply {
  if (error instanceof UiError) {
    return { ok: false, code: error.code, error: error.message, ...(Object.keys(error.fields).length ? { fields: { ...error.fields } } : {}) };
  }
  // An unknown error's message can carry internal detail (paths, ids, library text): it stays in the worker.
  return { ok: false, code: 'internal', error: GENERIC_UI_ERROR };
}
