/** Size bounds for everything that crosses a trust boundary. Kept together so they are easy to audit. */
export const Limits = {
  /** Longest request id a page may choose. */
  requestIdChars: 64,
  /** Longest method name. */
  methodChars: 64,
  /**
   * Serialized params of one page request (JSON characters). Record submissions (securemed_submit) live
   * within it too: the provider and the bridge check this one bound before anything else.
   */
  pageParamsChars: 64 * 1024,
  /** Resources (or Bundle entries) one securemed_submit may carry: the patient reviews each one. */
  submitEntries: 50,
  /** Deepest nesting of arrays/objects in one page request's params (deeper structures overflow stacks downstream). */
  pageParamsDepth: 32,
  /** Longest origin string we accept from the browser. */
  originChars: 512,
} as const;
