import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOOLS_DIR } from './paths';
import { run } from './processes';

const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = '/usr/bin/chromium';
const RIPGREP = '/usr/bin/rg';

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds this tarball in its
 * cache under os.tmpdir(); Debian's rg, packed under that name, satisfies it offline.
 */
const RIPGREP_CACHE = path.join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/**
 * Checks the Debian packages the run needs: Chromium always; ripgrep and the Kerberos
 * headers only to install code-server. Throws with the apt command when one is missing.
 */
export function checkSystemPackages(): void {
  const required: [string, string][] = [[CHROMIUM, 'chromium']];
  if (!toolingInstalled()) {
    required.push([RIPGREP, 'ripgrep'], ['/usr/include/gssapi/gssapi.h', 'libkrb5-dev']);
  }

  const missing = required.filter(([file]) => !existsSync(file)).map(([, name]) => name);
  if (missing.length === 0) return;
  throw new Error(
    `missing Debian packages; install them with: apt-get install -y ${missing.join(' ')}`,
  );
}

/**
 * Installs code-server and playwright-core into tools/vscode-e2e from its own lockfile, once.
 * Idempotent: a second call with the right versions installed does nothing. Offline-safe:
 * only the npm registry is used (no prebuilt binaries, no browser download).
 */
export async function ensureTooling(log: (line: string) => void): Promise<void> {
  if (
    installedVersion('code-server') === CODE_SERVER_VERSION &&
    installedVersion('playwright-core')
  ) {
    return;
  }

  log('installing code-server and playwright-core into tools/vscode-e2e (about a minute)…');
  mkdirSync(RIPGREP_CACHE, { recursive: true });
  if (!existsSync(path.join(RIPGREP_CACHE, RIPGREP_TARBALL))) {
    await run(
      'tar',
      ['czf', path.join(RIPGREP_CACHE, RIPGREP_TARBALL), '-C', path.dirname(RIPGREP), 'rg'],
      {
        label: 'tar',
      },
    );
  }

  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    label: 'npm install (tools/vscode-e2e)',
    cwd: TOOLS_DIR,
    env: {
      ...process.env,
      // code-server's postinstall refuses to run as root otherwise.
      npm_config_unsafe_perm: 'true',
      // node-pty's postinstall runs `npx node-gyp`, which would wait at a prompt.
      npm_config_yes: 'true',
      // Node headers from the system instead of a download; native modules built from source.
      npm_config_nodedir: '/usr',
      npm_config_build_from_source: 'true',
    },
  });
  if (installedVersion('code-server') !== CODE_SERVER_VERSION) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed after npm install`);
  }
}

function toolingInstalled(): boolean {
  return (
    installedVersion('code-server') === CODE_SERVER_VERSION && !!installedVersion('playwright-core')
  );
}

function installedVersion(name: string): string | undefined {
  const file = path.join(TOOLS_DIR, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
}
