import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, isAllowedEndpoint, Settings, settingsErrors } from '../../../shared/settings/schema';

/** Issue 14: chain, messaging and relayer URLs must be https unless the host is loopback. */
describe('endpoint URLs in settings', () => {
  it.each([
    'https://rpc.example.org',
    'https://node.example.org:8443/path',
    'http://127.0.0.1:8545',
    'http://127.5.6.7:8545',
    'http://localhost:5555',
    'http://[::1]:8546',
  ])('accepts %s', (url) => {
    expect(isAllowedEndpoint(url)).toBe(true);
    expect(Settings.safeParse({ ...DEFAULT_SETTINGS, rpcUrl: url }).success).toBe(true);
  });

  it.each([
    'http://rpc.example.org',
    'http://192.168.1.10:8545',
    'http://10.0.0.1',
    'http://127.0.0.1.example.org',
    'http://localhost.example.org',
    'https://user:secret@rpc.example.org',
    'ftp://127.0.0.1',
    'javascript:alert(1)',
  ])('refuses %s with a message that says why', (url) => {
    expect(isAllowedEndpoint(url)).toBe(false);
    for (const field of ['rpcUrl', 'messagingUrl', 'relayerUrl'] as const) {
      const parsed = Settings.safeParse({ ...DEFAULT_SETTINGS, [field]: url });
      expect(parsed.success).toBe(false);
      expect(settingsErrors(parsed.error!)[field]).toMatch(/https:\/\//);
    }
  });

  it('the defaults (the local stack) pass', () => {
    expect(Settings.safeParse(DEFAULT_SETTINGS).success).toBe(true);
  });
});
