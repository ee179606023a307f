import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { approvalIdOf, codeOf, create, loadApprovals, open, useFakeApprovalWindows } from './fake-windows';
import { ProviderErrorCode } from '../../../shared/protocol/errors';

/**
 * The approval queue's hardening, with the real approvals module over WXT's fake browser (windows are
 * spied: the fake has no windows.create). Each test loads the module fresh, as a woken worker does.
 */
const A = 'https://a.example';
const B = 'https://b.example';

useFakeApprovalWindows();
const load = loadApprovals;

describe('approvals', () => {
  it('20 requests from one site in one tick: one window, 19 × -32002, and the first settles with the decision', async () => {
    const approvals = await load();
    const answers = Array.from({ length: 20 }, (_, i) => codeOf(approvals.requestApproval(A, `r${i}`, 'connect', {})));
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    const settled: unknown[] = [];
    answers.forEach((a) => void a.then((v) => settled.push(v)));
    await vi.waitFor(() => expect(settled).toHaveLength(19));
    expect(settled.every((v) => v === ProviderErrorCode.requestPending)).toBe(true);
    await approvals.decide(approvalIdOf(0), 'approved');
    expect(await answers[0]).toEqual({ decision: 'approved' });
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('one window at a time for the whole browser: a second site waits, then gets its window', async () => {
    const approvals = await load();
    const first = approvals.requestApproval(A, 'a1', 'connect', {});
    const second = approvals.requestApproval(B, 'b1', 'connect', {});
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(create).toHaveBeenCalledTimes(1);
    await approvals.decide(approvalIdOf(0), 'approved');
    await first;
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(2));
    expect(String(create.mock.calls[1]![0].url)).toContain(approvalIdOf(1));
    await approvals.decide(approvalIdOf(1), 'rejected');
    expect(await second).toEqual({ decision: 'rejected' });
  });

  it('after a decline the site is refused (4001) without a window until the cooldown ends', async () => {
    const approvals = await load();
    const first = approvals.requestApproval(A, 'a1', 'connect', {});
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    await approvals.decide(approvalIdOf(0), 'rejected');
    await first;
    expect(await codeOf(approvals.requestApproval(A, 'a2', 'connect', {}))).toBe(ProviderErrorCode.userRejected);
    expect(create).toHaveBeenCalledTimes(1);
    // Another site is not affected.
    void approvals.requestApproval(B, 'b1', 'connect', {});
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(2));
  });

  it('the requesting tab going away cancels its approval and closes the window (no cooldown)', async () => {
    const approvals = await load();
    const pending = approvals.requestApproval(A, 'a1', 'connect', {});
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    await approvals.cancelApprovals(A, ['a1']);
    expect(await pending).toMatchObject({ decision: 'rejected', cancelled: expect.any(String) });
    expect(open.size).toBe(0);
    void approvals.requestApproval(A, 'a2', 'connect', {});
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(2));
  });

  it('a re-sent request (same id, after a worker restart) re-attaches instead of opening a second window', async () => {
    let approvals = await load();
    void approvals.requestApproval(A, 'a1', 'connect', {});
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    approvals = await load(); // a fresh worker: module state is gone, storage.session is not
    const again = approvals.requestApproval(A, 'a1', 'connect', {});
    await approvals.decide(approvalIdOf(0), 'approved');
    expect(await again).toEqual({ decision: 'approved' });
    expect(create).toHaveBeenCalledTimes(1);
  });
});

describe('toolbar badge', () => {
  const badge = async () => (await import('../../../extension/background/badge')).badgeTotal();

  it('counts requests waiting for the patient, beside what messaging reports, and drops each one once answered', async () => {
    const { setBadgeCount } = await import('../../../extension/background/badge');
    await setBadgeCount('messages', 2);
    const approvals = await load();
    const first = approvals.requestApproval(A, 'a1', 'connect', {});
    const second = approvals.requestApproval(B, 'b1', 'connect', {}); // waits for the window: still counted
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    await vi.waitFor(async () => expect(await badge()).toBe(4));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('4');
    await approvals.decide(approvalIdOf(0), 'approved');
    await first;
    await vi.waitFor(async () => expect(await badge()).toBe(3));
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(2));
    await approvals.decide(approvalIdOf(1), 'rejected');
    await second;
    await vi.waitFor(async () => expect(await badge()).toBe(2));
    await setBadgeCount('messages', 0);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });
});
