import { createRequire } from 'node:module';
import path from 'node:path';
import { EXTENSION_DIR, SUITE_DIR } from './paths';
import { suiteCounts } from './host-tests';
import type { RunDirs } from './workspace';

/** The VS Code release the extension targets; `engines.vscode` asks for no more. */
const VSCODE_VERSION = '1.100.3';

/**
 * The same in-host suite, in a desktop VS Code that @vscode/test-electron downloads: for
 * machines that can reach Microsoft's update servers (this project's CI cannot). On Linux
 * without a display, run it under `xvfb-run -a`.
 */
interface TestElectron {
  runTests(
    this: void,
    options: {
      version: string;
      extensionDevelopmentPath: string;
      extensionTestsPath: string;
      launchArgs: string[];
    },
  ): Promise<number>;
}

export async function runElectronTests(dirs: RunDirs): Promise<{ passed: number; failed: number }> {
  // A devDependency of the extension workspace, resolved from there.
  const { runTests } = createRequire(path.join(EXTENSION_DIR, 'package.json'))(
    '@vscode/test-electron',
  ) as TestElectron;

  let exitCode: number;
  try {
    exitCode = await runTests({
      version: VSCODE_VERSION,
      extensionDevelopmentPath: EXTENSION_DIR,
      extensionTestsPath: path.join(SUITE_DIR, 'index.js'),
      launchArgs: [
        dirs.hostWorkspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        `--user-data-dir=${dirs.userData}`,
        `--extensions-dir=${dirs.extensions}`,
      ],
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    exitCode = 1;
  }
  return suiteCounts(exitCode);
}
