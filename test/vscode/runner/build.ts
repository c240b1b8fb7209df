import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { EXTENSION_DIR, REPO, SUITE_DIR } from './paths';
import { run } from './processes';

/** The development bundle of the extension, loaded with extensionDevelopmentPath. */
export async function bundleExtension(): Promise<void> {
  await run(process.execPath, [path.join(EXTENSION_DIR, 'scripts/bundle.mjs')], {
    label: 'bundle extension',
  });
}

/** The VSIX, packaged offline exactly as `npm run package:extension` does. */
export async function packageExtension(): Promise<void> {
  await run('npm', ['run', 'package', '--silent', '-w', 'extension'], {
    label: 'package extension',
    cwd: REPO,
  });
}

/** The in-host suite as one CommonJS file; `vscode` and mocha come from the host and the repo. */
export async function bundleSuite(): Promise<void> {
  // Counts left by an earlier run must never be read as this run's.
  rmSync(path.join(SUITE_DIR, 'results.json'), { force: true });
  await build({
    entryPoints: [path.join(REPO, 'test/vscode/suite/index.ts')],
    outfile: path.join(SUITE_DIR, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}
