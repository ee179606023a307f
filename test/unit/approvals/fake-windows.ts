import { afterEach, beforeEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';

/**
 * The real approvals module over WXT's fake browser, with windows spied (the fake has no
 * windows.create): `open` holds the ids of windows on screen, `create` records each window opened.
 * Both are replaced before each test (live bindings: importers see the current ones).
 */
export let open = new Set<number>();
export let create: ReturnType<typeof vi.fn> = vi.fn();

export function useFakeApprovalWindows(): void {
  beforeEach(() => {
    fakeBrowser.reset();
    open = new Set();
    let next = 100;
    create = vi.fn(async () => {
      const id = next++;
      open.add(id);
      return { id };
    });
    Object.assign(fakeBrowser.windows, {
      create,
      get: vi.fn(async (id: number) => {
        if (!open.has(id)) throw new Error('no window');
        return { id };
      }),
      remove: vi.fn(async (id: number) => void open.delete(id)),
    });
  });
  afterEach(() => vi.restoreAllMocks());
}

/** The approvals module loaded fresh, as a woken worker does. */
export async function loadApprovals() {
  vi.resetModules();
  return import('../../../extension/approvals/approvals');
}

/** The EIP-1193 code a request was refused with (or its answer when it was not). */
export const codeOf = (p: Promise<unknown>) => p.then((v) => v, (e: { code?: number }) => e.code);
/** The approval id in the URL of the `call`-th window opened. */
export const approvalIdOf = (call: number) => String(create.mock.calls[call]![0].url).split('#')[1]!;
