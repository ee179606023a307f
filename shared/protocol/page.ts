import { z } from 'zod';
import { Limits } from './limits';
import { PAGE_CHANNEL, jsonChars } from './channel';

/**
 * The page channel's schemas: what `window.securemed.request()` sends, as the bridge relays it and the
 * background parses it (the background trusts nobody, the bridge included). The content scripts use
 * the schema-free twin in channel.ts; test/unit/boundary proves the two agree.
 */
export { PAGE_CHANNEL, PAGE_PORT } from './channel';

export const PageMethods = ['securemed_connect', 'securemed_status'] as const;
export type PageMethod = (typeof PageMethods)[number];

const jsonSized = z.unknown().refine((value) => jsonChars(value) <= Limits.pageParamsChars, {
  message: `params larger than ${Limits.pageParamsChars} characters`,
});

/** One EIP-1193 request as a page sends it. The method is checked later so an unknown one gets 4200. */
export const PageRequest = z.strictObject({
  method: z.string().min(1).max(Limits.methodChars),
  params: jsonSized.optional(),
});
export type PageRequest = z.infer<typeof PageRequest>;

const RequestId = z.string().min(1).max(Limits.requestIdChars);

/** What the MAIN-world provider posts with window.postMessage and the bridge accepts. */
export const PageToExtension = z.strictObject({
  channel: z.literal(PAGE_CHANNEL),
  direction: z.literal('to-extension'),
  id: RequestId,
  request: PageRequest,
});
export type PageToExtension = z.infer<typeof PageToExtension>;

/** bridge → background over the page port (`PAGE_PORT`); parsed by background/page-port.ts. */
export const BridgeToBackground = z.strictObject({
  type: z.literal('page.request'),
  id: RequestId,
  request: PageRequest,
});
export type BridgeToBackground = z.infer<typeof BridgeToBackground>;
