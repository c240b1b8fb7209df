import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { TOOLS_DIR } from './paths';
import { run, startOwned, stopOwned } from './processes';
import { isolatedEnv, type RunDirs } from './workspace';

const BIN = path.join(TOOLS_DIR, 'node_modules/.bin/code-server');

export interface CodeServer {
  url: string;
  /** The authority for vscode-remote:// URIs of files on this server. */
  authority: string;
  stop(): Promise<void>;
}

function commonArgs(dirs: RunDirs): string[] {
  return [
    '--config',
    dirs.config,
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
  ];
}

/** Installs a VSIX into the run's extensions folder, as a user would. */
export async function installVsix(dirs: RunDirs, vsix: string): Promise<void> {
  await run(BIN, [...commonArgs(dirs), '--install-extension', vsix], {
    label: 'code-server --install-extension',
    env: isolatedEnv(dirs),
  });
}

/** Starts code-server on a free loopback port; resolves once /healthz answers. */
export async function startCodeServer(
  dirs: RunDirs,
  log: (line: string) => void,
): Promise<CodeServer> {
  const child = startOwned(
    BIN,
    [...commonArgs(dirs), '--auth', 'none', '--bind-addr', '127.0.0.1:0'],
    {
      env: isolatedEnv(dirs),
      cwd: dirs.root,
    },
  );

  try {
    const url = await listeningUrl(child, log);
    await waitHealthy(url);
    return { url, authority: new URL(url).host, stop: () => stopOwned(child) };
  } catch (error) {
    await stopOwned(child);
    throw error;
  }
}

function listeningUrl(child: ChildProcess, log: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('code-server did not start within 60 s')),
      60_000,
    );
    child.once('exit', (code) =>
      reject(new Error(`code-server exited with ${code} before listening`)),
    );
    createInterface({ input: child.stderr! }).on('line', (line) => log(`code-server: ${line}`));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log(`code-server: ${line}`);
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
  });
}

async function waitHealthy(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not accepting connections yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('code-server /healthz did not answer within 10 s');
}
