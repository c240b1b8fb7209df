import { rmSync } from 'node:fs';
import { bundleExtension, bundleSuite, packageExtension } from './build';
import { installVsix, startCodeServer, type CodeServer } from './code-server';
import { runDomChecks, type CheckResult } from './dom-checks';
import { runElectronTests } from './electron';
import { runHostTests, type HostTestResult } from './host-tests';
import { startMocks, type Mocks } from './mocks';
import { SCREENSHOT, VSIX } from './paths';
import { launchChromium, type Browser } from './playwright';
import { checkSystemPackages, ensureTooling } from './tooling';
import { prepareRun, writeSuiteConfig, type RunDirs } from './workspace';

/**
 * `npm run test:vscode`: the extension in a real VS Code (code-server 4.100.3, VS Code
 * 1.100.3) driven through Debian's Chromium. Installs its tooling on demand, then checks what
 * a user sees in the DOM, runs the mocha suite inside the extension host, saves a screenshot
 * of the populated tree, and ends with "N passed, N failed". Everything it starts (mocks,
 * code-server, Chromium) is stopped before it exits, on success and on failure.
 */
const verbose = process.argv.includes('--verbose');
const electron = process.argv.includes('--electron');
const started = Date.now();
const log = (line: string) => {
  if (verbose) console.log(`  ${line}`);
};
const step = (line: string) =>
  console.log(`[vscode-e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

async function main(): Promise<number> {
  if (electron) return mainElectron();

  checkSystemPackages();
  await ensureTooling(step);

  step('building the extension bundle, the VSIX and the in-host suite');
  await bundleExtension();
  await packageExtension();
  await bundleSuite();

  let mocks: Mocks | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let dirs: RunDirs | undefined;
  const checks: CheckResult[] = [];
  let host: HostTestResult | undefined;

  try {
    mocks = await startMocks();
    dirs = prepareRun(mocks);
    writeSuiteConfig(dirs.suiteConfig);
    step(`mocks at ${mocks.main.url} and ${mocks.secured.url}; run folder ${dirs.root}`);

    await installVsix(dirs, VSIX);
    server = await startCodeServer(dirs, log);
    browser = await launchChromium();
    step(`code-server at ${server.url}; Chromium launched`);

    checks.push(...(await runDomChecks({ browser, server, dirs, mocks, log })));
    for (const c of checks) {
      const why = c.error ? `\n    ${c.error.message}` : '';
      step(`${c.error ? '✗' : '✓'} ${c.name} (${c.ms} ms)${why}`);
    }

    mocks.main.replay.seek(0);
    step('running the mocha suite inside the extension host');
    host = await runHostTests({ browser, server, dirs, log });
    printHostOutput(host);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await mocks?.close();
    if (dirs) rmSync(dirs.tmp, { recursive: true, force: true });
  }

  const passed = checks.filter((c) => !c.error).length + (host?.passed ?? 0);
  const failed = checks.filter((c) => c.error).length + (host?.failed ?? 1);
  if (failed === 0 && dirs) rmSync(dirs.root, { recursive: true, force: true });
  step(`screenshot: ${SCREENSHOT}`);
  step(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** `--electron`: the in-host suite only, in a desktop VS Code from @vscode/test-electron. */
async function mainElectron(): Promise<number> {
  step('building the extension bundle and the in-host suite');
  await bundleExtension();
  await bundleSuite();

  const mocks = await startMocks();
  let counts = { passed: 0, failed: 1 };
  try {
    const dirs = prepareRun(mocks);
    writeSuiteConfig(dirs.suiteConfig);
    step(
      `running the suite in VS Code (downloaded by @vscode/test-electron); run folder ${dirs.root}`,
    );
    counts = await runElectronTests(dirs);
    rmSync(dirs.tmp, { recursive: true, force: true });
  } finally {
    await mocks.close();
  }

  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return counts.failed === 0 ? 0 : 1;
}

function printHostOutput(host: HostTestResult): void {
  // The spec reporter's lines, without the workbench's own noise as the window closes.
  const start = host.output.findIndex((l) => /Pipeline Tasks in a real VS Code/.test(l));
  const lines = start >= 0 ? host.output.slice(start) : host.output.slice(-40);
  const end = lines.findIndex((l) => /^\s*\d+ passing/.test(l));
  const failing = lines.some((l) => /^\s*\d+ failing/.test(l));
  const shown = failing || end < 0 ? lines : lines.slice(0, end + 1);
  for (const line of shown) {
    if (line.trim() && !/^\s*at .*(workbench\.js|https?:)/.test(line)) console.log(`  ${line}`);
  }
  if (host.exitCode === 124) console.log('  the suite did not finish in time');
}

// A watchdog, so that a hung browser or server cannot hold CI for its whole budget.
const watchdog = setTimeout(() => {
  console.error('vscode-e2e: gave up after 10 minutes');
  console.log('0 passed, 1 failed');
  process.exit(1);
}, 10 * 60_000);

main()
  .then((code) => {
    clearTimeout(watchdog);
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    clearTimeout(watchdog);
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  });
