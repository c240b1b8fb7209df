import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { E2eConfig } from '../suite/e2e-config';
import { E2E_TOKEN, type Mocks } from './mocks';
import { CLI, E2E_DIR, SUITE_DIR } from './paths';

/** The folders of one run: VS Code's state, and the workspaces the windows open. */
export interface RunDirs {
  root: string;
  userData: string;
  extensions: string;
  home: string;
  tmp: string;
  config: string;
  /** Backends at the mocks: the populated tree, the timeline and the token checks. */
  mainWorkspace: string;
  /** No backend, the local mock command set: the welcome view and "Start Local Mock". */
  emptyWorkspace: string;
  /** The same backends for the suite inside the extension host. */
  hostWorkspace: string;
  /** What the suite inside the extension host is told about the run. */
  suiteConfig: E2eConfig;
}

/** A fresh run folder under .artifacts/vscode-e2e, with settings for each window. */
export function prepareRun(mocks: Mocks): RunDirs {
  const root = path.join(E2E_DIR, `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const dirs: Omit<RunDirs, 'suiteConfig'> = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    home: path.join(root, 'home'),
    // Short: the extension host's IPC socket lives here, and socket paths are capped at 107 bytes.
    tmp: mkdtempSync(path.join(tmpdir(), 'rt-e2e-')),
    config: path.join(root, 'code-server.yaml'),
    mainWorkspace: path.join(root, 'workspaces/main'),
    emptyWorkspace: path.join(root, 'workspaces/empty'),
    hostWorkspace: path.join(root, 'workspaces/host'),
  };
  for (const dir of [dirs.userData, dirs.extensions, dirs.home, dirs.tmp, SUITE_DIR]) {
    mkdirSync(dir, { recursive: true });
  }

  writeJson(path.join(dirs.userData, 'User/settings.json'), {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'git.openRepositoryInParentFolders': 'never',
    'workbench.tree.indent': 12,
  });
  writeFileSync(dirs.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');

  const backends = {
    'runningTasks.backendUrl': mocks.main.url,
    'runningTasks.backendName': 'Mock V2',
    'runningTasks.apiVersion': 'v2',
    'runningTasks.additionalBackends': [
      { name: 'Mock V1', url: mocks.main.url, apiVersion: 'v1' },
      { name: 'Secured', url: mocks.secured.url },
    ],
  };
  writeJson(path.join(dirs.mainWorkspace, '.vscode/settings.json'), backends);
  writeJson(path.join(dirs.hostWorkspace, '.vscode/settings.json'), backends);
  writeJson(path.join(dirs.emptyWorkspace, '.vscode/settings.json'), {
    'runningTasks.backendUrl': '',
    'runningTasks.localMock.command': CLI,
  });

  const suiteConfig: E2eConfig = {
    mockUrl: mocks.main.url,
    securedUrl: mocks.secured.url,
    token: E2E_TOKEN,
    controlUrl: mocks.controlUrl,
    cliPath: CLI,
    settingsFiles: [
      path.join(dirs.userData, 'User/settings.json'),
      path.join(dirs.mainWorkspace, '.vscode/settings.json'),
      path.join(dirs.hostWorkspace, '.vscode/settings.json'),
    ],
  };
  return { ...dirs, suiteConfig };
}

/** Writes the suite's config beside its bundle. */
export function writeSuiteConfig(config: E2eConfig): void {
  writeJson(path.join(SUITE_DIR, 'e2e-config.json'), config);
}

/** The environment of code-server and VS Code: every state folder inside the run. */
export function isolatedEnv(dirs: RunDirs): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local/share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    // No marketplace: the workbench would otherwise try to reach one.
    EXTENSIONS_GALLERY: '{}',
  };
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
