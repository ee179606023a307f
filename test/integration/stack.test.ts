import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Wallet, hexlify, randomBytes } from 'ethers';
import { consentDomain, grantTypedData } from '../../shared/chain/eip712';
import { relayRequest, relayerStatus, submitToRelayer } from '../../shared/chain/relayer';
import { EXTENSION_ORIGIN } from '../../shared/settings/extension-id';

const ROOT = resolve(__dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

describe('npm start (the local stack)', () => {
  let stack: ChildProcess | undefined;
  afterAll(() => {
    if (stack?.exitCode === null) process.kill(stack.pid!, 'SIGKILL');
  });

  it('brings up chain, contracts, relay, relayer and portal, prints every URL, and Ctrl-C frees every port', async () => {
    const [chain, relay, relayer, portal] = [await freePort(), await freePort(), await freePort(), await freePort()];
    stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--chain-port', `${chain}`, '--relay-port', `${relay}`, '--relayer-port', `${relayer}`, '--portal-port', `${portal}`, '--no-browser'], {
      cwd: ROOT,
      env: { ...process.env, DISPLAY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    stack.stdout!.on('data', (b) => (output += b));
    stack.stderr!.on('data', (b) => (output += b));
    await expect.poll(() => output, { timeout: 150_000, interval: 500 }).toContain('Press Ctrl-C');

    const urls = [...output.matchAll(/(chain|relay|relayer|portal)\s+(http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[2]);
    expect(urls).toEqual([`http://127.0.0.1:${chain}`, `http://127.0.0.1:${relay}`, `http://127.0.0.1:${relayer}`, `http://127.0.0.1:${portal}`]);
    const rpc = await fetch(urls[0], { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
    expect((await rpc.json()).result).toBe('0x7a69');
    const code = await fetch(urls[0], { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"jsonrpc":"2.0","id":2,"method":"eth_getCode","params":["${output.match(/ConsentRegistry (0x[0-9a-fA-F]{40})/)![1]}","latest"]}` });
    expect((await code.json()).result.length).toBeGreaterThan(100); // the consent contract is deployed
    expect((await (await fetch(`${urls[1]}/health`)).json()).ok).toBe(true);
    expect(await (await fetch(urls[3])).text()).toContain('Connect SecureMed');

    // The relayer pays for a signed action of a patient without ETH, and lets the extension's origin in.
    const consent = output.match(/ConsentRegistry (0x[0-9a-fA-F]{40})/)![1];
    const health = await (await fetch(`${urls[2]}/v1/health`)).json();
    expect(health).toMatchObject({ ok: true, chainId: 31337, contracts: { ConsentRegistry: consent } });
    const preflight = await fetch(`${urls[2]}/v1/actions`, { method: 'OPTIONS', headers: { origin: EXTENSION_ORIGIN, 'access-control-request-method': 'POST' } });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toEqual([204, EXTENSION_ORIGIN]);
    const patient = new Wallet(Wallet.createRandom().privateKey);
    const latest = await fetch(urls[0], { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":3,"method":"eth_getBlockByNumber","params":["latest",false]}' });
    const now = BigInt((await latest.json()).result.timestamp); // deadlines come from block time
    const td = grantTypedData(consentDomain(31337, consent), {
      patient: patient.address, grantee: Wallet.createRandom().address, scopes: 1, expiresAt: now + 86_400n, purpose: hexlify(randomBytes(32)), epoch: 0, nonce: 0n, deadline: now + 3600n,
    });
    const sent = await submitToRelayer(urls[2], relayRequest('grantBySig', 31337, consent, td.message, await patient.signTypedData(td.domain, td.types, td.message)));
    expect(sent.httpStatus).toBe(202);
    await expect.poll(async () => {
      const r = await relayerStatus(urls[2], sent.ok ? sent.request.id : '');
      return r.ok ? r.request.status : r.error.code;
    }, { timeout: 20_000 }).toBe('confirmed');
    expect(output).toContain('Load unpacked');

    const exited = new Promise<number | null>((done) => stack!.once('exit', (c) => done(c)));
    stack.kill('SIGINT');
    expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))])).toBe(0);
    for (const port of [chain, relay, relayer, portal]) expect(await portOpen(port)).toBe(false);
  }, 200_000);
});
