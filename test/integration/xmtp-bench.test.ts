// The bench helper itself: a short run must deliver every message and report consistent figures.
import { describe, expect, it } from 'vitest';
import { measureRoundTrip } from '../../scripts/relay/bench';
import { startTestRelay } from './helpers/relay';

describe('measureRoundTrip', () => {
  it('round-trips n messages between two real clients through the relay', async () => {
    const t = await startTestRelay();
    try {
      const r = await measureRoundTrip(t.relay.url, 20);
      expect(r.n).toBe(20);
      expect(r.p50).toBeGreaterThan(0);
      expect(r.p95).toBeGreaterThanOrEqual(r.p50);
      expect(r.sendPerS).toBeGreaterThan(0);
      // 20 sequential + 20 burst messages, plus the two contact bundles, private key bundles and invites.
      expect(t.relay.envelopeCount()).toBeGreaterThanOrEqual(40);
    } finally {
      await t.stop();
    }
  });
});
