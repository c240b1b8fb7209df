import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import type { CodeServer } from './code-server';
import { EXTENSION_DIR, SUITE_DIR } from './paths';
import type { Browser } from './playwright';
import { openWorkbench } from './workbench';
import type { RunDirs } from './workspace';

const RESULTS = path.join(SUITE_DIR, 'results.json');

export interface HostTestResult {
  passed: number;
  failed: number;
  exitCode: number;
  output: string[];
}

/**
 * Runs the mocha suite inside the real extension host of a code-server window: the
 * extension is loaded from its folder (extensionDevelopmentPath) and the suite from its
 * bundle (extensionTestsPath). The workbench reports the suite's console output through
 * `codeAutomationLog` and its result through `codeAutomationExit`, the hooks
 * @vscode/test-web uses.
 */
export async function runHostTests(options: {
  browser: Browser;
  server: CodeServer;
  dirs: RunDirs;
  log: (line: string) => void;
  timeoutMs?: number;
}): Promise<HostTestResult> {
  const { browser, server, dirs, log } = options;
  const remote = (file: string) => `vscode-remote://${server.authority}${file}`;
  const payload = [
    ['extensionDevelopmentPath', remote(EXTENSION_DIR)],
    ['extensionTestsPath', remote(path.join(SUITE_DIR, 'index.js'))],
  ];
  const url =
    `${server.url}/?folder=${encodeURIComponent(dirs.hostWorkspace)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const output: string[] = [];
  let finish: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (finish = resolve));

  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    // The host forwards console calls with their printf-style arguments.
    const text = format(...args);
    for (const line of text.split('\n')) {
      output.push(line);
      log(`host ${type}: ${line}`);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));

  const timeoutMs = options.timeoutMs ?? 240_000;
  const timer = setTimeout(() => finish(124), timeoutMs);
  try {
    await openWorkbench(page, url);
    const exitCode = await exited;
    return { ...suiteCounts(exitCode), exitCode, output };
  } finally {
    clearTimeout(timer);
    await context.close();
  }
}

/** The suite writes its counts beside its bundle; this reads them (used by both hosts). */
export function suiteCounts(exitCode: number): { passed: number; failed: number } {
  let counts = { passed: 0, failed: 0 };
  if (existsSync(RESULTS)) counts = JSON.parse(readFileSync(RESULTS, 'utf8')) as typeof counts;

  // A suite that never reported (it did not load, or timed out) counts as one failure.
  if (exitCode !== 0 && counts.failed === 0) return { ...counts, failed: 1 };
  return counts;
}
