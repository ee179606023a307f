import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { approvalIdOf, codeOf, create, loadApprovals, open, useFakeApprovalWindows } from '../approvals/fake-windows';
import { ProviderErrorCode } from '../../../shared/protocol/errors';

/**
 * The review window follows the approval hardening (the real approvals module over WXT's fake browser;
 * windows are spied). What is specific to submissions: the page picks request ids, so a request re-sent
 * with the same id (as the bridge does after a worker restart) re-attaches only when it carries the same
 * records; otherwise the patient's "Add" could be applied to records they never saw.
 */
const EHR = 'https://ehr.example';
useFakeApprovalWindows();
const load = loadApprovals;

describe('submit review window: approval hardening', () => {
  it('two submits from one site at once: one window; the second gets -32002 at once', async () => {
    const approvals = await load();
    const first = approvals.requestApproval(EHR, 's1', 'submit', { review: {} }, { fingerprint: 'aa' });
    const second = codeOf(approvals.requestApproval(EHR, 's2', 'submit', { review: {} }, { fingerprint: 'bb' }));
    expect(await second).toBe(ProviderErrorCode.requestPending);
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    await approvals.decide(approvalIdOf(0), 'approved', undefined, [2, 0, 2]);
    expect(await first).toEqual({ decision: 'approved', keep: [0, 2] });
  });

  it('re-sent with the same id and the same records (worker restart): re-attaches to the open window, keeps the choice', async () => {
    let approvals = await load();
    void approvals.requestApproval(EHR, 's1', 'submit', { review: {} }, { fingerprint: 'aa' });
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    approvals = await load(); // a fresh worker
    const again = approvals.requestApproval(EHR, 's1', 'submit', { review: {} }, { fingerprint: 'aa' });
    await approvals.decide(approvalIdOf(0), 'approved', undefined, [1]);
    expect(await again).toEqual({ decision: 'approved', keep: [1] });
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('the same id with other records (another tab of the site) does not re-attach: -32002, and the window still answers the first', async () => {
    const approvals = await load();
    const first = approvals.requestApproval(EHR, 's1', 'submit', { review: {} }, { fingerprint: 'aa' });
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    expect(await codeOf(approvals.requestApproval(EHR, 's1', 'submit', { review: {} }, { fingerprint: 'other records' }))).toBe(ProviderErrorCode.requestPending);
    expect(await codeOf(approvals.requestApproval(EHR, 's1', 'connect', {}))).toBe(ProviderErrorCode.requestPending);
    await approvals.decide(approvalIdOf(0), 'approved', undefined, [0]);
    expect(await first).toEqual({ decision: 'approved', keep: [0] });
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('closing the review window is a rejection (4001 for the page), and the site waits before asking again', async () => {
    const approvals = await load();
    let onRemoved: ((id: number) => void) | undefined;
    vi.spyOn(fakeBrowser.windows.onRemoved, 'addListener').mockImplementation((l: (id: number) => void) => void (onRemoved = l));
    approvals.watchApprovalWindows();
    const first = approvals.requestApproval(EHR, 's1', 'submit', { review: {} }, { fingerprint: 'aa' });
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    open.delete(100);
    onRemoved!(100);
    expect(await first).toEqual({ decision: 'rejected' });
    expect(await codeOf(approvals.requestApproval(EHR, 's2', 'submit', { review: {} }, { fingerprint: 'bb' }))).toBe(ProviderErrorCode.userRejected);
  });
});
