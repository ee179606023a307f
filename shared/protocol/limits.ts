/** Size bounds for everything that crosses a trust boundary. Kept together so they are easy to audit. */
export const Limits = {
  /** Longest request id a page may choose. */
  requestIdChars: 64,
  /** Longest method name. */
  methodChars: 64,
  /** Serialized params of one page request (JSON characters). Record submissions have their own limit. */
  pageParamsChars: 64 * 1024,
  /** Deepest nesting of arrays/objects in one page request's params (deeper structures overflow stacks downstream). */
  pageParamsDepth: 32,
  /** Longest origin string we accept from the browser. */
  originChars: 512,
} as const;
