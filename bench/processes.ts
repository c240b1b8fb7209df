import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A child process the benchmark owns: killed when the benchmark is done with it or exits. */
export interface OwnedProcess {
  child: ChildProcess;
  url: string;
  rssBytes(): number;
  stop(): Promise<void>;
}

const owned = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of owned) child.kill('SIGKILL');
});

/**
 * Starts a server process whose output goes nowhere (as it would to a log
 * collector), then waits until `url + probePath` answers, for at most `timeoutMs`.
 */
export async function startServerProcess(
  command: string,
  args: string[],
  url: string,
  probePath: string,
  timeoutMs = 20_000,
): Promise<OwnedProcess> {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  owned.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${args.join(' ')} exited ${child.exitCode}: ${stderr}`);
    const up = await fetch(url + probePath).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${args.join(' ')} did not answer on ${url} within ${timeoutMs} ms: ${stderr}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    child,
    url,
    rssBytes: () => rssOf(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }).finally(() => owned.delete(child)),
  };
}

/** Resident memory of a process and its descendants, from /proc. */
export function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return kb * 1024 + children.reduce((sum, c) => sum + rssOf(Number(c)), 0);
  } catch {
    return 0;
  }
}

/** Runs a TypeScript file under tsx in a new process and resolves with its stdout. */
export function runScript(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, file), ...args],
      { cwd: ROOT },
    );
    owned.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      owned.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`${file} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}
