import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopProcessGroup } from '../scripts/lib/processes';
import { EXTENSION_ORIGIN } from '../shared/settings/extension-id';

/**
 * Starts and stops local storage nodes (node.mjs) as child processes of the Node 22 binary this package
 * installs (storage-nodes/node_modules/.bin/node), so Helia's Node ≥ 22 requirement never moves Hardhat,
 * vitest or WXT off the system Node. Used by scripts/start.ts, the tests and the bench.
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const NODE22 = join(HERE, 'node_modules', '.bin', 'node');

export interface StorageNode {
  url: string;
  dir: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Data folder: blocks/ (the file blockstore) and data/ (pins, IPNS records). Kept across restarts. */
  dir: string;
  /** 0 = any free port. Restart on the same port to bring a stopped node back at the same URL. */
  port?: number;
  credential?: string;
  origins?: string[];
}

export function storageNodesInstalled(): boolean {
  return existsSync(NODE22) && existsSync(join(HERE, 'node_modules', 'helia'));
}

export async function startStorageNode(options: StartOptions): Promise<StorageNode> {
  if (!storageNodesInstalled()) throw new Error('storage-nodes is not installed: run `npm ci --prefix storage-nodes`');
  mkdirSync(options.dir, { recursive: true });
  const args = [join(HERE, 'node.mjs'), '--port', String(options.port ?? 0), '--dir', options.dir];
  for (const origin of options.origins ?? [EXTENSION_ORIGIN]) args.push('--origin', origin);
  if (options.credential) args.push('--credential', options.credential);
  const child = spawn(NODE22, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
    if (process.env.SECUREMED_VERBOSE) process.stderr.write(`[storage ${options.dir}] ${b.toString()}`);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`storage node did not start in 30 s: ${stderr.slice(-2000)}`)), 30_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`storage node exited with ${code}: ${stderr.slice(-2000)}`));
    });
  });
  const stop = () => stopProcessGroup(child);
  return { url, dir: options.dir, port: Number(new URL(url).port), process: child, stop };
}

/** Three nodes (the default settings' count) under `root`/node-1…3, on the given ports or free ones. */
export async function startStorageNodes(root: string, ports: number[] = [0, 0, 0], extra: Omit<StartOptions, 'dir' | 'port'> = {}): Promise<StorageNode[]> {
  return Promise.all(ports.map((port, i) => startStorageNode({ ...extra, dir: join(root, `node-${i + 1}`), port })));
}
