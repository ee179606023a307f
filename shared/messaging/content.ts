import { z } from 'zod';

/**
 * What one message carries: text, or typed structured content (an access request, a record share) that
 * other features (sharing, consent) put on the same end-to-end encrypted channel. One schema, parsed
 * wherever content crosses a boundary: UI → background, and network → background after decryption.
 */
export const MessagingLimits = {
  /** Characters of one text message. */
  textChars: 4000,
  /** Bytes of an encrypted record-share payload (base64 characters). */
  sharePayloadChars: 256 * 1024,
} as const;

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

export const StructuredContent = z.discriminatedUnion('kind', [
  /** A provider asks the patient for access (the consent feature answers it). */
  z.strictObject({
    kind: z.literal('access-request'),
    scopes: z.array(z.string().min(1).max(200)).min(1).max(50),
    purpose: z.string().min(1).max(200),
    note: z.string().max(1000).optional(),
  }),
  /** Records shared with the counterparty: an HPKE-sealed bundle, opaque to messaging. */
  z.strictObject({
    kind: z.literal('record-share'),
    shareId: z.string().min(1).max(128),
    title: z.string().min(1).max(200),
    recordCount: z.number().int().min(1).max(10_000),
    patient: Address.optional(),
    payload: z.string().max(MessagingLimits.sharePayloadChars),
  }),
]);
export type StructuredContent = z.infer<typeof StructuredContent>;

export const MessageContent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string().trim().min(1).max(MessagingLimits.textChars) }),
  z.strictObject({ type: z.literal('structured'), value: StructuredContent }),
]);
export type MessageContent = z.infer<typeof MessageContent>;

/** A received message whose content type this version does not understand (shown as such, never as raw data). */
export interface UnsupportedContent {
  type: 'unsupported';
  fallback?: string;
}
export type ReceivedContent = MessageContent | UnsupportedContent;

/** XMTP content type id of structured content: `securemed.app/structured:1.0`. */
export const STRUCTURED_CONTENT_TYPE = { authorityId: 'securemed.app', typeId: 'structured', versionMajor: 1, versionMinor: 0 } as const;

/** A one-line description (used as the XMTP fallback text and in conversation lists). */
export function describeContent(content: ReceivedContent): string {
  if (content.type === 'text') return content.text;
  if (content.type === 'unsupported') return 'A message this version of SecureMed cannot show';
  return content.value.kind === 'access-request' ? 'Access request' : `Shared records: ${content.value.title}`;
}
