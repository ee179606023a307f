import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { deriveIdentity, deriveSiteGranteeAccount, mnemonicToSeed } from '../../../shared/crypto/identity';

// The expiry reminder in node: the real consent store (fake IndexedDB, sealed rows), WXT's fake browser
// (storage.local survives a "worker restart" = fresh modules), a stubbed notifications.create, and the
// chain's clock stubbed (consent expiry is counted on the latest block's time).
const state: { current?: { seed: Uint8Array; identity: ReturnType<typeof deriveIdentity> } } = {};
vi.mock('../../../extension/keys/unlocked', () => ({ unlocked: async () => state.current, UNLOCKED_SEED_KEY: 'unlockedSeed' }));
const chain = vi.hoisted(() => ({ time: 1_900_000_000 }));
vi.mock('../../../extension/chain/reads', () => ({
  latestBlockTime: async () => BigInt(chain.time),
  encryptionKeyOf: async () => undefined,
  findKeyPublication: async () => undefined,
  receiptOf: async () => undefined,
  forgetChainReads: () => undefined,
}));
vi.mock('../../../extension/chain/rpc', () => ({
  readContract: async () => ({ scopes: 0n, expiresAt: 0n, epoch: 0n }),
  chainContext: async () => ({}),
  readChain: async () => undefined,
}));

const seed = await mnemonicToSeed('test test test test test test test test test test test junk');
const identity = deriveIdentity(seed);
const DAY = 86_400;
const T0 = chain.time;
const ORIGIN = 'https://portal.clinic.example';
const OTHER = 'https://labs.example';
const G1 = '0x1111111111111111111111111111111111111111';
const G2 = '0x2222222222222222222222222222222222222222';

type Notified = { id: string; message: string };
let notified: Notified[] = [];
let notificationsOff = false;

async function modules() {
  return {
    reminder: await import('../../../extension/consent/expiry-reminder'),
    store: await import('../../../extension/consent/store'),
    permissions: await import('../../../extension/consent/permissions'),
    log: await import('../../../extension/logging/log'),
  };
}

function permission(grantee: string, origin: string, expiresAt: number, status: 'active' | 'pending' | 'revoked' = 'active') {
  return {
    grantee, patient: deriveSiteGranteeAccount(seed, origin, grantee).address, scopes: ['patient/Observation.rs', 'patient/MedicationRequest.rs'],
    mask: 0b101, purpose: 'TREAT' as const, purposeSalt: `0x${'00'.repeat(32)}`, expiresAt, status,
    chain: status === 'active' ? ('granted' as const) : status === 'pending' ? ('granting' as const) : ('revoked' as const),
    grantedAt: 1, updatedAt: 1,
  };
}

async function seedSites() {
  const { store, permissions } = await modules();
  // Due: active on chain, ends in 2 days. Not due: ends in 10 days; still on its way; revoked; ended.
  await store.saveSite({ ...(await permissions.newSite(ORIGIN)), permissions: [permission(G1, ORIGIN, T0 + 2 * DAY), permission(G2, ORIGIN, T0 + 10 * DAY)] });
  await store.saveSite({
    ...(await permissions.newSite(OTHER)),
    permissions: [permission(G1, OTHER, T0 + 1 * DAY, 'pending'), permission(G2, OTHER, T0 - DAY)],
  });
}

beforeEach(async () => {
  fakeBrowser.reset();
  state.current = { seed, identity };
  chain.time = T0;
  notified = [];
  notificationsOff = false;
  fakeBrowser.notifications.create = (async (id: string, options: { message: string }) => {
    if (notificationsOff) throw new Error('Notifications are turned off');
    notified.push({ id, message: options.message });
    return id;
  }) as unknown as typeof fakeBrowser.notifications.create;
  // The computer's clock agrees with the chain (consentNow takes the later of the two).
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0 * 1000);
  const { store } = await modules();
  for (const s of await store.loadSites()) await store.deleteSite(s.origin);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('expiry reminder', () => {
  it('one notification per permission ending within 3 days, none for the others, no health data', async () => {
    await seedSites();
    const { reminder } = await modules();
    expect(await reminder.checkExpiryReminders()).toBe(1);
    expect(notified).toHaveLength(1);
    const date = new Date((T0 + 2 * DAY) * 1000).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
    expect(notified[0]!.message).toBe(`Your permission for clinic.example ends on ${date}`);
    expect(notified[0]!.message).not.toMatch(/lab|medication|observation|0x/i);

    // Checked again (the daily alarm, an unlock): nothing twice.
    expect(await reminder.checkExpiryReminders()).toBe(0);
    expect(notified).toHaveLength(1);
  });

  it('not twice after a worker restart; a later window brings the next permission once', async () => {
    await seedSites();
    expect(await (await modules()).reminder.checkExpiryReminders()).toBe(1);

    vi.resetModules(); // a new worker: nothing in memory; storage.local and IndexedDB stay
    const again = await modules();
    expect(await again.reminder.checkExpiryReminders()).toBe(0);
    expect(notified).toHaveLength(1);

    // 8 days later on the chain: the 10-day grant is now within 3 days (the first has ended).
    chain.time = T0 + 8 * DAY;
    expect(await again.reminder.checkExpiryReminders()).toBe(1);
    expect(notified).toHaveLength(2);
    expect(notified[1]!.id).not.toBe(notified[0]!.id);
  });

  it('uses the chain clock: a chain ahead of this computer brings the reminder', async () => {
    const { store, permissions, reminder } = await modules();
    await store.saveSite({ ...(await permissions.newSite(ORIGIN)), permissions: [permission(G1, ORIGIN, T0 + 5 * DAY)] });
    expect(await reminder.checkExpiryReminders()).toBe(0);
    chain.time = T0 + 3 * DAY; // the computer's clock still says T0
    expect(await reminder.checkExpiryReminders()).toBe(1);
  });

  it('notifications off: fails quietly (logged), never throws, not retried every day', async () => {
    await seedSites();
    notificationsOff = true;
    const { reminder, log } = await modules();
    await expect(reminder.checkExpiryReminders()).resolves.toBe(1);
    await log.flushLog();
    expect((await log.readLog()).some((e) => e.area === 'consent' && /expiry reminder/.test(e.what))).toBe(true);
    notificationsOff = false;
    expect(await reminder.checkExpiryReminders()).toBe(0);
    expect(notified).toHaveLength(0);
  });

  it('nothing while locked, and nothing about the sites is stored in the clear', async () => {
    await seedSites();
    state.current = undefined;
    const { reminder } = await modules();
    expect(await reminder.checkExpiryReminders()).toBe(0);
    state.current = { seed, identity };
    expect(await reminder.checkExpiryReminders()).toBe(1);
    const stored = JSON.stringify(await fakeBrowser.storage.local.get(reminder.REMINDERS_SHOWN_KEY));
    expect(stored).not.toContain('clinic');
    expect(stored).not.toContain(G1.slice(2, 10));
  });

  it('renew and narrow queue a new grant for the same grantee and purpose with a later expiry', async () => {
    await seedSites();
    const { store } = await modules();
    const { renewPermission } = await import('../../../extension/consent/renew');
    const { queuedActions } = await import('../../../extension/tx-queue/queue');
    const current = (await store.loadSite(ORIGIN))!.permissions.find((p) => p.grantee === G1)!;

    await expect(renewPermission(ORIGIN, current, ['MENTAL_HEALTH'])).rejects.toThrow(/only keep categories/);
    const narrowed = await renewPermission(ORIGIN, current, ['LABS']);
    expect(narrowed).toMatchObject({ grantee: G1, purpose: 'TREAT', mask: 0b1, scopes: ['patient/Observation.rs'], status: 'pending', chain: 'granting', expiresAt: T0 + 30 * DAY });
    const row = (await store.loadSite(ORIGIN))!.permissions.filter((p) => p.grantee === G1);
    expect(row).toHaveLength(1);
    expect(row[0]).toMatchObject({ mask: 0b1, expiresAt: T0 + 30 * DAY, actionId: narrowed.actionId });
    const action = (await queuedActions()).find((a) => a.id === narrowed.actionId)!;
    expect(action.kind).toBe('grant');
    expect(action.intent).toMatchObject({ grantee: G1, mask: 1, expiresAt: T0 + 30 * DAY });
  });
});
