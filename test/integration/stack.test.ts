import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

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

  it('brings up chain, contracts, relay and portal, prints every URL, and Ctrl-C frees every port', async () => {
    const [chain, relay, portal] = [await freePort(), await freePort(), await freePort()];
    stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--chain-port', `${chain}`, '--relay-port', `${relay}`, '--portal-port', `${portal}`, '--no-browser'], {
      cwd: ROOT,
      env: { ...process.env, DISPLAY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    stack.stdout!.on('data', (b) => (output += b));
    stack.stderr!.on('data', (b) => (output += b));
    await expect.poll(() => output, { timeout: 150_000, interval: 500 }).toContain('Press Ctrl-C');

    const urls = [...output.matchAll(/(chain|relay|portal)\s+(http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[2]);
    expect(urls).toEqual([`http://127.0.0.1:${chain}`, `http://127.0.0.1:${relay}`, `http://127.0.0.1:${portal}`]);
    const rpc = await fetch(urls[0], { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
    expect((await rpc.json()).result).toBe('0x7a69');
    const code = await fetch(urls[0], { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"jsonrpc":"2.0","id":2,"method":"eth_getCode","params":["${output.match(/ConsentRegistry (0x[0-9a-fA-F]{40})/)![1]}","latest"]}` });
    expect((await code.json()).result.length).toBeGreaterThan(100); // the consent contract is deployed
    expect((await (await fetch(`${urls[1]}/health`)).json()).ok).toBe(true);
    expect(await (await fetch(urls[2])).text()).toContain('Connect SecureMed');
    expect(output).toContain('Load unpacked');

    const exited = new Promise<number | null>((done) => stack!.once('exit', (c) => done(c)));
    stack.kill('SIGINT');
    expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))])).toBe(0);
    for (const port of [chain, relay, portal]) expect(await portOpen(port)).toBe(false);
  }, 200_000);
});
