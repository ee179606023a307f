// The extension's Messenger port over real xmtp-js clients and the local relay (Node): identity from
// a raw account key, the key bundle handed back for sealing and reused, prepare/publish idempotency,
// listing since a time, the live stream, structured content.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Messenger, PortMessage } from '../../extension/messaging/port';
import { connectXmtp } from '../../extension/messaging/xmtp-adapter';
import { startTestRelay, waitFor, type TestRelay } from './helpers/relay';

let t: TestRelay;
let patient: Messenger;
let doctor: Messenger;
let patientKey: Uint8Array;
let patientBundle: Uint8Array | undefined;

async function connect(key: Uint8Array, bundle?: Uint8Array, keep?: (b: Uint8Array) => void): Promise<Messenger> {
  return connectXmtp({ apiUrl: t.relay.url, privateKey: key, bundle, onBundle: async (b) => keep?.(b) });
}

beforeAll(async () => {
  t = await startTestRelay();
  patientKey = new Uint8Array(randomBytes(32));
  patient = await connect(patientKey, undefined, (b) => (patientBundle = b));
  doctor = await connect(new Uint8Array(randomBytes(32)));
});

afterAll(async () => {
  await Promise.all([patient?.close(), doctor?.close()]);
  await t?.stop();
});

describe('Messenger port, XMTP adapter', () => {
  it('uses the account address as identity and hands back a bundle that reconnects without the key', async () => {
    expect(patient.address).toBe(new Wallet(`0x${Buffer.from(patientKey).toString('hex')}`).address.toLowerCase());
    expect(patientBundle?.length).toBeGreaterThan(100);
    const again = await connectXmtp({ apiUrl: t.relay.url, privateKey: new Uint8Array(32), bundle: patientBundle, onBundle: async () => expect.fail('no new bundle') });
    expect(again.address).toBe(patient.address);
    await again.close();
  });

  it('sends both ways, lists since a time, and a republished envelope is stored and listed once', async () => {
    expect(await patient.canMessage(doctor.address)).toBe(true);
    const conv = await patient.open(doctor.address);
    expect(conv.peer).toBe(doctor.address);
    const text = `hello ${randomUUID()}`;
    const prepared = await patient.prepare(conv, { type: 'text', text });
    expect(prepared.wire).not.toContain(text);
    await patient.publish(prepared.wire);
    const count = t.relay.envelopeCount();
    await patient.publish(prepared.wire); // a retry after an unclear failure
    expect(t.relay.envelopeCount()).toBe(count);

    const theirs = (await doctor.conversations()).find((c) => c.peer === patient.address)!;
    const seen: PortMessage[] = [];
    for await (const page of doctor.list(theirs, {})) seen.push(...page);
    expect(seen.map((m) => [m.id, m.sender, m.content])).toEqual([[prepared.id, patient.address, { type: 'text', text }]]);

    const reply = await doctor.send(theirs, { type: 'text', text: 'reply' });
    const since: PortMessage[] = [];
    for await (const page of patient.list(conv, { since: reply.sentAt })) since.push(...page);
    expect(since.map((m) => m.id)).toEqual([reply.id]);
  });

  it('streams new messages, structured content included', async () => {
    const received: PortMessage[] = [];
    const stop = await doctor.stream((m) => received.push(m));
    try {
      const conv = await patient.open(doctor.address);
      await waitFor(() => t.relay.subscriberCount(conv.id) >= 1, 'doctor stream');
      const value = { kind: 'access-request' as const, scopes: ['patient/Observation.rs'], purpose: 'TREAT' };
      const sent = await patient.send(conv, { type: 'structured', value });
      await waitFor(() => received.some((m) => m.id === sent.id), 'streamed message');
      expect(received.find((m) => m.id === sent.id)!.content).toEqual({ type: 'structured', value });
    } finally {
      await stop();
    }
  });

  it('keeps only ciphertext on the relay', () => {
    expect(readFileSync(t.relay.dataFile, 'utf8')).not.toContain('hello ');
  });
});
