import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

/**
 * The entry VS Code calls with `extensionTestsPath`: runs the suite inside the real
 * extension host and rejects when a test fails, which sets the host's exit code.
 */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });

  // The suite is one esbuild bundle: define describe/it first, then evaluate the tests.
  mocha.suite.emit('pre-require', globalThis, 'extension-suite', mocha);
  await import('./extension-suite.js');

  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The counts for the runner, whichever host ran the suite (code-server or Electron).
      const { passes, failures: failed } = runner.stats ?? { passes: 0, failures: failures };
      writeFileSync(
        path.join(__dirname, 'results.json'),
        JSON.stringify({ passed: passes, failed }),
      );

      if (failures > 0) reject(new Error(`${failures} extension host test(s) failed`));
      else resolve();
    });
  });
}
