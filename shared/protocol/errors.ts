/**
 * EIP-1193 error codes used by the page API (docs/architecture.md, "Page API").
 * One table so the provider, the bridge, the background and the portal SDK agree.
 */
export const ProviderErrorCode = {
  userRejected: 4001,
  unauthorized: 4100,
  unsupportedMethod: 4200,
  disconnected: 4900,
  invalidParams: -32602,
  requestPending: -32002,
  internal: -32603,
} as const;

export type ProviderErrorCodeValue = (typeof ProviderErrorCode)[keyof typeof ProviderErrorCode];

/** The error shape that crosses boundaries: plain data, no stack, a message fit for a developer. */
export interface ProviderErrorData {
  code: ProviderErrorCodeValue;
  message: string;
  /** Plain data a developer can act on (securemed_submit: `[{index, reasons}]` per invalid entry). */
  data?: unknown;
}

export class ProviderRpcError extends Error implements ProviderErrorData {
  constructor(
    readonly code: ProviderErrorCodeValue,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'ProviderRpcError';
  }

  toJSON(): ProviderErrorData {
    return { code: this.code, message: this.message, ...(this.data !== undefined ? { data: this.data } : {}) };
  }
}

/** Turn anything thrown inside the background into data that is safe to send to a page. */
export function toProviderErrorData(error: unknown): ProviderErrorData {
  if (error instanceof ProviderRpcError) return error.toJSON();
  // Never leak internal messages or stacks to a page: they can carry private details.
  return { code: ProviderErrorCode.internal, message: 'Internal error in SecureMed' };
}
