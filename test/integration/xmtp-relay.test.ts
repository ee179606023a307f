// Two real xmtp-js (V2) clients talking through the local relay: send/receive both ways, list, paging
// past one page, streaming, relay restart, idempotent republish, and ciphertext-only storage.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, type Conversation } from '@xmtp/xmtp-js';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, waitFor, type TestRelay } from './helpers/relay';

let t: TestRelay;
let patient: Client;
let doctor: Client;
const sentTexts: string[] = [];

// A unique marker in every text so the "no plaintext on disk" check cannot pass by accident.
function text(label: string): string {
  const s = `${label} ${randomUUID()}`;
  sentTexts.push(s);
  return s;
}

async function newClient(): Promise<Client> {
  // apiUrl overrides env; the in-memory persistence is the Node default, so nothing needs disabling.
  return Client.create(Wallet.createRandom(), { env: 'local', apiUrl: t.relay.url });
}

// Opens a conversation on both sides with its own conversationId, so message counts are per test.
async function pair(id: string): Promise<[Conversation, Conversation]> {
  const context = { conversationId: `securemed.test/${id}`, metadata: {} };
  const mine = await patient.conversations.newConversation(doctor.address, context);
  const theirs = (await doctor.conversations.list()).find((c) => c.context?.conversationId === context.conversationId);
  if (!theirs) throw new Error(`doctor did not see conversation ${id}`);
  return [mine, theirs];
}

async function nextMessage(stream: AsyncIterator<{ content?: unknown }>, timeoutMs = 15_000): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no message on the stream')), timeoutMs);
  });
  try {
    const r = await Promise.race([stream.next(), timeout]);
    return r.value?.content;
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  t = await startTestRelay();
  [patient, doctor] = await Promise.all([newClient(), newClient()]);
});

afterAll(async () => {
  await Promise.all([patient?.close(), doctor?.close()]);
  await t?.stop();
});

describe('xmtp-js V2 clients through the relay', () => {
  it('finds each other and exchanges messages in both directions', async () => {
    expect(await patient.canMessage(doctor.address)).toBe(true);
    expect(await doctor.canMessage(patient.address)).toBe(true);
    expect(await patient.canMessage(Wallet.createRandom().address)).toBe(false);

    const [toDoctor, toPatient] = await pair('both-ways');
    const q = text('patient asks');
    await toDoctor.send(q);
    const doctorView = await toPatient.messages();
    expect(doctorView.map((m) => m.content)).toEqual([q]);
    expect(doctorView[0].senderAddress).toBe(patient.address);

    const a = text('doctor answers');
    await toPatient.send(a);
    const patientView = await toDoctor.messages();
    expect(patientView.map((m) => m.content)).toEqual([q, a]);
    expect(patientView[1].senderAddress).toBe(doctor.address);
  });

  it('lists 150 messages (more than one 100-envelope page) complete and in order', async () => {
    const [toDoctor, toPatient] = await pair('paging');
    const texts = Array.from({ length: 150 }, (_, i) => text(`message #${i}`));
    for (const s of texts) await toDoctor.send(s);
    expect((await toPatient.messages()).map((m) => m.content)).toEqual(texts);
    expect((await toDoctor.messages()).map((m) => m.content)).toEqual(texts);
  });

  it('streams new messages to the other side, both directions', async () => {
    const [toDoctor, toPatient] = await pair('stream');
    const doctorStream = await toPatient.streamMessages();
    const patientStream = await toDoctor.streamMessages();
    // The client subscribes without awaiting the request: publish only once the relay holds the streams.
    await waitFor(() => t.relay.subscriberCount(toDoctor.topic) >= 2, 'both stream subscriptions');
    try {
      const q = text('streamed question');
      await toDoctor.send(q);
      expect(await nextMessage(doctorStream)).toBe(q);
      expect(await nextMessage(patientStream)).toBe(q); // the sender's own stream sees it too
      const a = text('streamed answer');
      await toPatient.send(a);
      expect(await nextMessage(patientStream)).toBe(a);
      expect(await nextMessage(doctorStream)).toBe(a);
    } finally {
      await doctorStream.return();
      await patientStream.return();
    }
    await waitFor(() => t.relay.subscriberCount(toDoctor.topic) === 0, 'streams to be closed');
  });

  it('keeps every message across a relay restart and delivers messages sent after it', async () => {
    const [toDoctor, toPatient] = await pair('restart');
    const before = [text('before restart 1'), text('before restart 2')];
    for (const s of before) await toDoctor.send(s);
    const stream = await toPatient.streamMessages();
    await waitFor(() => t.relay.subscriberCount(toDoctor.topic) === 1, 'stream subscription');
    const countBefore = t.relay.envelopeCount();

    await t.restart();
    expect(t.relay.envelopeCount()).toBe(countBefore);
    expect((await toPatient.messages()).map((m) => m.content)).toEqual(before);

    try {
      // The client notices the dropped stream and resubscribes to the restarted relay on its own.
      await waitFor(() => t.relay.subscriberCount(toDoctor.topic) === 1, 'stream to resubscribe after restart');
      const after = text('after restart');
      await toDoctor.send(after);
      expect(await nextMessage(stream)).toBe(after);
      expect((await toPatient.messages()).map((m) => m.content)).toEqual([...before, after]);
    } finally {
      await stream.return();
    }
  });

  it('stores a republished identical envelope once', async () => {
    const [toDoctor, toPatient] = await pair('republish');
    const s = text('sent twice on the wire');
    await toDoctor.send(s);
    const [env] = await patient.apiClient.query({ contentTopic: toDoctor.topic }, {});
    const count = t.relay.envelopeCount();
    await patient.publishEnvelopes([
      { contentTopic: env.contentTopic!, message: env.message!, timestamp: new Date(Number(BigInt(env.timestampNs!) / 1_000_000n)) },
    ]);
    // Same topic, timestamp (ms precision from the client equals what it sent) and bytes: no new envelope.
    expect(t.relay.envelopeCount()).toBe(count);
    expect((await toPatient.messages()).map((m) => m.content)).toEqual([s]);
  });

  it('writes only ciphertext to its data file', () => {
    expect(sentTexts.length).toBeGreaterThan(150);
    const lines = readFileSync(t.relay.dataFile, 'utf8').trim().split('\n');
    expect(lines.length).toBe(t.relay.envelopeCount());
    const decoded = Buffer.concat(lines.map((l) => Buffer.from((JSON.parse(l) as { m: string }).m, 'base64')));
    const raw = readFileSync(t.relay.dataFile);
    for (const s of sentTexts) {
      // Neither the file as written nor the decoded envelope bytes contain any text or its marker.
      const marker = s.split(' ').pop()!;
      expect(raw.includes(marker)).toBe(false);
      expect(decoded.includes(Buffer.from(marker))).toBe(false);
    }
  });
});
