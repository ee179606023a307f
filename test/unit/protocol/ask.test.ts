import { afterEach, describe, expect, expectTypeOf, it, vi, type MockInstance } from 'vitest';
import { browser } from 'wxt/browser';
import type { Procedures } from '../../../extension/background/procedures';
import { ask, UiError } from '../../../extension/ui/messenger';
import type { UiReply } from '../../../shared/protocol/runtime';
import type { ListPage, RecordView } from '../../../shared/protocol/ui/records';
import type { ThreadPage } from '../../../shared/protocol/ui/messaging';
import type { VaultState } from '../../../shared/protocol/ui/vault';

/** The page side of the UI protocol (extension/ui/messenger.ts): typed replies, coded errors. */
describe('ask() types (checked by tsc: `npx tsc --noEmit -p .`)', () => {
  it('infers the reply from the request type, with no type argument', () => {
    // Functions, not calls: the types are what is under test here.
    const listPage = () => ask({ type: 'records.list', offset: 0, limit: 50 });
    const record = () => ask({ type: 'records.get', id: crypto.randomUUID() });
    const thread = () => ask({ type: 'messaging.thread', threadId: 'a'.repeat(40) });
    const lock = () => ask({ type: 'vault.lock' });
    expectTypeOf(listPage).returns.resolves.toEqualTypeOf<ListPage>();
    expectTypeOf(record).returns.resolves.toEqualTypeOf<RecordView>();
    expectTypeOf(thread).returns.resolves.toEqualTypeOf<ThreadPage>();
    expectTypeOf(lock).returns.resolves.toEqualTypeOf<VaultState>();
    expectTypeOf<UiReply<'records.list'>>().toEqualTypeOf<ListPage>();
  });

  it('checks the request against its schema', () => {
    const wrong = () => [
      // @ts-expect-error a field the schema does not have
      ask({ type: 'records.list', offset: 0, limit: 50, sort: 'date' }),
      // @ts-expect-error a missing required field
      ask({ type: 'records.get' }),
      // @ts-expect-error no such request
      ask({ type: 'records.delete', id: 'x' }),
    ];
    expect(typeof wrong).toBe('function');
  });

  it('makes every procedure return exactly its declared reply', () => {
    const wrong: Procedures<'vault.state'> = {
      // @ts-expect-error 'open' is not a VaultStatus
      'vault.state': async () => ({ status: 'open' }),
    };
    expect(wrong).toBeDefined();
  });
});

describe('ask() errors', () => {
  afterEach(() => vi.restoreAllMocks());
  // sendMessage's declared type says nothing about replies: the spy answers what the background would.
  const send = () => vi.spyOn(browser.runtime, 'sendMessage') as unknown as MockInstance<(message: unknown) => Promise<unknown>>;

  it('returns the result of an ok reply', async () => {
    send().mockResolvedValue({ ok: true, result: { status: 'locked', address: '0xabc' } });
    expect(await ask({ type: 'vault.state' })).toEqual({ status: 'locked', address: '0xabc' });
  });

  it('throws a UiError with the code, the message and the fields of a refusal', async () => {
    send().mockResolvedValue({ ok: false, code: 'invalid', error: 'Nothing was saved.', fields: { rpcUrl: 'must be a web address' } });
    const error = await ask({ type: 'settings.save', settings: {}, confirmNetworkChange: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UiError);
    expect(error).toMatchObject({ code: 'invalid', message: 'Nothing was saved.', fields: { rpcUrl: 'must be a web address' } });
  });

  it("says `restarting` when the worker does not answer (no reply, or Chrome's closed-port errors)", async () => {
    const failures: Array<() => Promise<unknown>> = [
      () => Promise.resolve(undefined),
      () => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')),
      () => Promise.reject(new Error('The message port closed before a response was received.')),
    ];
    for (const failure of failures) {
      send().mockImplementationOnce(failure);
      await expect(ask({ type: 'vault.state' })).rejects.toMatchObject({ code: 'restarting', message: 'SecureMed is starting up. Please try again.' });
    }
  });

  it('says `internal` for any other transport failure', async () => {
    send().mockRejectedValue(new Error('Message length exceeded maximum allowed length.'));
    await expect(ask({ type: 'vault.state' })).rejects.toMatchObject({ code: 'internal' });
  });
});
