import path from 'node:path';

/** How to start the mock: the program, its arguments, and whether it needs Node. */
export interface MockCommand {
  argv: string[];
  /** The environment additions; `ELECTRON_RUN_AS_NODE` when Node is VS Code's own runtime. */
  env: Record<string, string>;
}

/** Where the project's CLI lives inside a workspace: the repository itself, or an install. */
const CANDIDATES = [
  'cli/dist/main.js',
  'node_modules/running-tasks/dist/main.js',
  'node_modules/.bin/running-tasks',
];

/**
 * Works out the command that starts the mock. `configured` is the
 * `runningTasks.localMock.command` setting: a `.js` file runs under the runtime the
 * extension host runs on (`execPath`; in desktop VS Code that is Electron, told to behave as
 * Node), anything else is run as a program. Empty means: look for the CLI in the workspace
 * folders. Returns undefined when nothing is found.
 */
export function resolveMockCommand(options: {
  configured: string;
  workspaceFolders: readonly string[];
  execPath: string;
  exists: (file: string) => boolean;
  scenario?: string;
}): MockCommand | undefined {
  const { configured, workspaceFolders, execPath, exists } = options;

  let program = configured.trim();
  if (!program) {
    const found = workspaceFolders
      .flatMap((folder) => CANDIDATES.map((c) => path.join(folder, c)))
      .find((file) => exists(file));
    if (!found) return undefined;
    program = found;
  }

  const args = ['mock', '--port', '0'];
  if (options.scenario?.trim()) args.push('--scenario', options.scenario.trim());

  // A `.bin` link or a plain `.js` file is a script: run it with Node, not as a program.
  const isScript = /\.[cm]?js$/.test(program) || program.includes(`${path.sep}.bin${path.sep}`);
  if (!isScript) return { argv: [program, ...args], env: {} };
  return { argv: [execPath, program, ...args], env: { ELECTRON_RUN_AS_NODE: '1' } };
}
