import { z } from 'zod';
import { Limits } from './limits';

/**
 * The page ↔ extension protocol: what `window.securemed.request()` sends and what comes back.
 * Parsed by the bridge (page → extension) and again by the background, which trusts nobody.
 */
export { PAGE_CHANNEL } from './channel';
import { PAGE_CHANNEL } from './channel';

export const PageMethods = ['securemed_connect', 'securemed_status'] as const;
export type PageMethod = (typeof PageMethods)[number];

const jsonSized = z.unknown().refine(
  (value) => value === undefined || JSON.stringify(value).length <= Limits.pageParamsChars,
  { message: `params larger than ${Limits.pageParamsChars} characters` },
);

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

const ErrorData = z.strictObject({ code: z.number().int(), message: z.string().max(1000) });

/** What the bridge posts back to the page: a response to one request, or an event. */
export const ExtensionToPage = z.discriminatedUnion('kind', [
  z.strictObject({
    channel: z.literal(PAGE_CHANNEL),
    direction: z.literal('to-page'),
    kind: z.literal('response'),
    id: RequestId,
    result: z.unknown().optional(),
    error: ErrorData.optional(),
  }),
  z.strictObject({
    channel: z.literal(PAGE_CHANNEL),
    direction: z.literal('to-page'),
    kind: z.literal('event'),
    event: z.enum(['connect', 'disconnect', 'permissionsChanged', 'lock']),
    data: z.unknown().optional(),
  }),
]);
export type ExtensionToPage = z.infer<typeof ExtensionToPage>;
