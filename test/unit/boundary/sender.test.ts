import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import { listenForPages } from '../../../extension/background/page-port';
import { isExtensionPage, pageOriginOf } from '../../../extension/background/sender';
import { PAGE_PORT } from '../../../shared/protocol/channel';
import { installFakePorts, pageSender } from './fake-page';

/**
 * Who may talk to the background is decided from what the browser says about the sender
 * (extension/background/sender.ts), never from the message. WXT's fake browser gives the extension id.
 */
const extensionPage = (path: string): Browser.runtime.MessageSender => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL(path as '/popup.html') });

describe('UI requests: only extension pages', () => {
  it('accepts the popup, the vault tab and the approval window', () => {
    for (const path of ['/popup.html', '/vault.html', '/approve.html#abc']) expect(isExtensionPage(extensionPage(path))).toBe(true);
  });

  it('refuses a content script (a web page tab) even though it runs inside the extension', () => {
    expect(isExtensionPage(pageSender('https://portal.example'))).toBe(false);
    // A content script claiming an extension URL is still in an http(s) tab.
    expect(isExtensionPage({ ...pageSender('https://portal.example'), url: fakeBrowser.runtime.getURL('/popup.html') })).toBe(false);
  });

  it('refuses another extension and a sender without a URL', () => {
    expect(isExtensionPage({ ...extensionPage('/popup.html'), id: 'another-extension' })).toBe(false);
    expect(isExtensionPage({ id: fakeBrowser.runtime.id })).toBe(false);
    expect(isExtensionPage(undefined)).toBe(false);
  });
});

describe('page ports: only http(s) pages, origin from the browser', () => {
  it('takes the origin of an http or https page', () => {
    expect(pageOriginOf(pageSender('https://portal.example'))).toBe('https://portal.example');
    expect(pageOriginOf(pageSender('http://127.0.0.1:5173'))).toBe('http://127.0.0.1:5173');
  });

  it.each([
    ['a file: page', 'file://'],
    ['an opaque (null) origin', 'null'],
    ['a data: URL', 'data:'],
    ['an extension page', 'chrome-extension://abc'],
    ['an over-long origin', `https://${'a'.repeat(600)}.example`],
  ])('refuses %s', (_label, origin) => {
    expect(pageOriginOf(pageSender(origin))).toBeUndefined();
  });

  it('refuses a sender with no origin, no tab, or from another extension', () => {
    const { origin: _omitted, ...noOrigin } = pageSender('https://portal.example');
    expect(pageOriginOf(noOrigin)).toBeUndefined();
    expect(pageOriginOf({ ...pageSender('https://portal.example'), tab: undefined })).toBeUndefined();
    expect(pageOriginOf({ ...pageSender('https://portal.example'), id: 'another-extension' })).toBeUndefined();
  });
});

describe('the background drops refused page ports', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  function connectAs(origin: string) {
    installFakePorts(pageSender(origin));
    listenForPages();
    const port = fakeBrowser.runtime.connect({ name: PAGE_PORT });
    const replies: unknown[] = [];
    let disconnected = false;
    port.onMessage.addListener((message) => void replies.push(message));
    port.onDisconnect.addListener(() => (disconnected = true));
    port.postMessage({ type: 'page.request', id: 'r1', request: { method: 'securemed_status' } });
    return { replies, disconnected: () => disconnected };
  }

  it.each(['file://', 'null'])('disconnects a port from origin %s without answering', async (origin) => {
    const { disconnected, replies } = connectAs(origin);
    await vi.waitFor(() => expect(disconnected()).toBe(true));
    await new Promise((done) => setTimeout(done, 20));
    expect(replies).toEqual([]);
  });

  it('keeps a port from an https page and answers it', async () => {
    const { disconnected, replies } = connectAs('https://portal.example');
    await vi.waitFor(() => expect(replies).toEqual([{ type: 'page.response', id: 'r1', result: { connected: false } }]));
    expect(disconnected()).toBe(false);
  });
});
