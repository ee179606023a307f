import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Child processes of the local stack. Each runs in its own process group so stopping the stack
 * also stops what a child started (npx → node → hardhat), and nothing is left holding a port.
 */
const children = new Set<ChildProcess>();

export function startProcess(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  const prefix = (line: string) => `[${name}] ${line}`;
  child.stdout?.on('data', (b: Buffer) => process.env.SECUREMED_VERBOSE && process.stdout.write(b.toString().split('\n').filter(Boolean).map(prefix).join('\n') + '\n'));
  child.stderr?.on('data', (b: Buffer) => process.stderr.write(b.toString().split('\n').filter(Boolean).map(prefix).join('\n') + '\n'));
  child.on('exit', () => children.delete(child));
  return child;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stopProcessGroup));
}

/**
 * Stop a child started in its own process group (`detached`), with everything it started: SIGTERM to
 * the group, SIGKILL 3 s later if it is still there. Resolves when the child has exited.
 */
export function stopProcessGroup(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve();
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 3000).unref();
  });
}
