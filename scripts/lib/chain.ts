import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { portFree, waitForRpc } from './net';

/**
 * A Hardhat node on 127.0.0.1 in its own process group, which tests and the bench can stop and start
 * again on the same port (a fresh chain each time: the same deterministic addresses after a redeploy).
 */
export interface LocalChain {
  url: string;
  port: number;
  running(): boolean;
  stop(): Promise<void>;
  /** Starts a fresh chain on the same port (after stop()). */
  start(): Promise<void>;
}

const ROOT = resolve(__dirname, '..', '..');

export async function startLocalChain(port: number): Promise<LocalChain> {
  let child: ChildProcess | undefined;
  const url = `http://127.0.0.1:${port}`;
  const chain: LocalChain = {
    url,
    port,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      for (let i = 0; i < 40 && !(await portFree(port)); i++) await new Promise((r) => setTimeout(r, 250));
      child = spawn(process.execPath, [require.resolve('hardhat/internal/cli/cli.js'), 'node', '--hostname', '127.0.0.1', '--port', String(port)], {
        cwd: ROOT,
        stdio: 'ignore',
        detached: true,
      });
      await waitForRpc(url, 60_000);
    },
    stop() {
      const c = child;
      return new Promise<void>((done) => {
        if (!c || c.exitCode !== null || c.signalCode !== null) return done();
        c.once('exit', () => done());
        try {
          process.kill(-c.pid!, 'SIGKILL'); // the whole group: nothing left holding the port
        } catch {
          done();
        }
      });
    },
  };
  await chain.start();
  return chain;
}
