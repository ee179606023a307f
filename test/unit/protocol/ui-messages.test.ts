import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import { GENERIC_UI_ERROR, UiError } from '../../../shared/protocol/ui-errors';
import { handleUiMessage } from '../../../extension/background/ui-messages';
import { flushLog, readLog } from '../../../extension/logging/log';

/**
 * The background's answer to extension pages (extension/background/ui-messages.ts): a malformed request
 * is refused with code `invalid`, a procedure's UiError keeps its code and message, and anything else
 * becomes `internal` with a generic message, so no internal detail reaches a page.
 */
describe('handleUiMessage', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  describe('malformed requests → invalid', () => {
    it('refuses an unknown request type', async () => {
      const reply = await handleUiMessage({ type: 'ui.no-such-thing' });
      expect(reply).toMatchObject({ ok: false, code: 'invalid', error: 'Malformed request' });
    });

    it('refuses unknown fields and non-objects', async () => {
      for (const raw of [{ type: 'vault.state', extra: 1 }, 'vault.state', null, undefined, 42]) {
        expect(await handleUiMessage(raw)).toMatchObject({ ok: false, code: 'invalid' });
      }
    });

    it("returns the schema's own message per field, so a page can show it", async () => {
      const reply = await handleUiMessage({ type: 'messaging.start', peer: '0x1234' });
      expect(reply).toMatchObject({ ok: false, code: 'invalid', fields: { peer: 'Enter an address: 0x followed by 40 hexadecimal characters.' } });
    });
  });

  describe('typed errors keep their code and message', () => {
    it('locked: the record vault refuses while locked', async () => {
      expect(await handleUiMessage({ type: 'records.summary' })).toEqual({ ok: false, code: 'locked', error: 'Unlock your vault first.' });
    });

    it('not_found: unlocking with no vault', async () => {
      expect(await handleUiMessage({ type: 'vault.unlock', passphrase: 'correct horse battery' })).toEqual({
        ok: false,
        code: 'not_found',
        error: 'There is no vault in this browser yet.',
      });
    });

    it('invalid with fields: FieldErrors from settings.save', async () => {
      const reply = await handleUiMessage({ type: 'settings.save', settings: { chainId: 'abc' }, confirmNetworkChange: false });
      expect(reply).toMatchObject({ ok: false, code: 'invalid', error: 'Some settings are not valid. Nothing was saved.' });
      expect(reply.ok === false && reply.fields?.chainId).toBeTruthy();
    });
  });

  it('maps an unknown error to internal with a generic message, and logs only its kind', async () => {
    const secret = 'ENOENT /home/patient/records/hiv-test.json';
    vi.spyOn(browser.runtime, 'getManifest').mockImplementation(() => {
      throw new TypeError(secret);
    });
    const reply = await handleUiMessage({ type: 'ui.status' });
    expect(reply).toEqual({ ok: false, code: 'internal', error: GENERIC_UI_ERROR });
    expect(JSON.stringify(reply)).not.toContain('hiv');

    await flushLog();
    const log = await readLog();
    expect(log).toEqual([expect.objectContaining({ area: 'ui', what: 'ui.status failed', kind: 'TypeError' })]);
    expect(JSON.stringify(log)).not.toContain('hiv');
  });

  it('answers a valid request with its result', async () => {
    expect(await handleUiMessage({ type: 'vault.state' })).toEqual({ ok: true, result: { status: 'none' } });
  });

  it('keeps the code of a UiError thrown anywhere below a procedure', async () => {
    vi.spyOn(browser.runtime, 'getManifest').mockImplementation(() => {
      throw new UiError('unavailable', 'The messaging node does not answer.');
    });
    expect(await handleUiMessage({ type: 'ui.status' })).toEqual({ ok: false, code: 'unavailable', error: 'The messaging node does not answer.' });
  });
});
