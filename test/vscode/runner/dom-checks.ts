import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CodeServer } from './code-server';
import type { Mocks } from './mocks';
import { SCREENSHOT } from './paths';
import type { Browser, Page } from './playwright';
import type { RunDirs } from './workspace';
import {
  clickRow,
  clickWelcomeButton,
  waitForContainerTitle,
  openContainer,
  openWorkbench,
  runCommand,
  waitForLabelGone,
  waitForLabels,
  pickQuickPickRow,
  waitForWelcome,
} from './workbench';

/**
 * The page functions below run in Chromium and use its `document`; the runner itself runs in
 * Node without the DOM types, so the little they use is declared here.
 */
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
};

export interface CheckResult {
  name: string;
  error?: Error;
  ms: number;
}

interface Check {
  name: string;
  run(): Promise<void>;
}

/**
 * What a user sees, read from the workbench's DOM in Chromium: the installed VSIX (not the
 * development folder) is what runs here. Each check is reported like a test.
 */
export async function runDomChecks(options: {
  browser: Browser;
  server: CodeServer;
  dirs: RunDirs;
  mocks: Mocks;
  log: (line: string) => void;
}): Promise<CheckResult[]> {
  const { browser, server, dirs, mocks } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const folderUrl = (folder: string) => `${server.url}/?folder=${encodeURIComponent(folder)}`;
  const token = dirs.suiteConfig.token;
  let page: Page = await context.newPage();

  const checks: Check[] = [
    {
      name: 'the activity-bar container opens the Running view',
      run: async () => {
        await openWorkbench(page, folderUrl(dirs.mainWorkspace));
        await openContainer(page);
        await waitForContainerTitle(page);
      },
    },
    {
      name: "the tree shows the mock's tasks with the right labels",
      run: async () => {
        await waitForLabels(page, {
          'Mock V2': 1,
          'Mock V1': 1,
          Secured: 1,
          'demo-pipeline': 1,
          '#39': 1,
          'test-pipeline': 1,
          '#1': 1,
          'This backend needs an API token': 1,
        });
      },
    },
    {
      name: "the tree changes when the mock's timeline moves (screenshot saved)",
      run: async () => {
        mocks.main.replay.seek(6500);
        await waitForLabels(page, { 'web-frontend': 1, 'deploy-pipeline': 1, '#40': 1, '#2': 1 });

        await clickRow(page, '#39');
        await waitForLabels(page, { build: 1, test: 1, deploy: 1, distribute: 1 });
        // Away from the activity bar, whose hover would cover the tree.
        await page.mouse.move(800, 400);
        await page.waitForFunction(
          () => !document.querySelector('.monaco-hover:not(.hidden)'),
          undefined,
          {
            timeout: 5000,
          },
        );
        await page.screenshot({ path: SCREENSHOT });
      },
    },
    {
      name: 'the token command stores a secret the backend accepts, and no settings file holds it',
      run: async () => {
        await runCommand(page, 'Pipeline Tasks: Set API Token');
        await pickQuickPickRow(page, 'Secured');
        // Filled and submitted on the input itself: typed keys go wherever the
        // focus is, and on a busy machine the box can show before it has it.
        const input = page.locator('.quick-input-widget input[type=password]').first();
        await input.waitFor({ state: 'visible', timeout: 20_000 });
        await input.fill(token, { timeout: 10_000 });
        if ((await input.inputValue()) !== token) throw new Error('the token box did not take it');
        await input.press('Enter', { timeout: 10_000 });

        await waitForLabelGone(page, 'This backend needs an API token');
        await waitForLabels(page, { 'test-pipeline': 2 });
        for (const file of dirs.suiteConfig.settingsFiles) {
          if (readFileSync(file, 'utf8').includes(token))
            throw new Error(`the token is in ${file}`);
        }
        // Nor in any other file of the profile: logs, state databases, caches.
        const leaks = filesContaining(dirs.userData, token);
        if (leaks.length) throw new Error(`the token is in ${leaks.join(', ')}`);
      },
    },
    {
      name: 'the welcome view appears with no backend, with its three actions',
      run: async () => {
        await page.close();
        page = await context.newPage();
        await openWorkbench(page, folderUrl(dirs.emptyWorkspace));
        await openContainer(page);

        const buttons = await waitForWelcome(page, 'No backend is configured');
        for (const wanted of ['Start Local Mock', 'Configure Backend', 'Set API Token']) {
          if (!buttons.includes(wanted))
            throw new Error(`welcome buttons ${JSON.stringify(buttons)} lack ${wanted}`);
        }
      },
    },
    {
      name: 'Start Local Mock points the tree at a new mock; Stop brings the welcome back',
      run: async () => {
        await clickWelcomeButton(page, 'Start Local Mock');
        await waitForLabels(page, { 'Local mock': 1, 'test-pipeline': 1, '#1': 1 }, 30_000);

        await runCommand(page, 'Pipeline Tasks: Stop Local Mock');
        await waitForWelcome(page, 'No backend is configured');
      },
    },
  ];

  const results: CheckResult[] = [];
  for (const check of checks) {
    const started = Date.now();
    try {
      await check.run();
      results.push({ name: check.name, ms: Date.now() - started });
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      results.push({ name: check.name, error, ms: Date.now() - started });
    }
  }

  await context.close();
  return results;
}

/** Files under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (readFileSync(file).includes(needle)) found.push(file);
  }
  return found;
}
