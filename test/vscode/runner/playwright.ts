import { createRequire } from 'node:module';
import path from 'node:path';
import { TOOLS_DIR } from './paths';
import { CHROMIUM } from './tooling';

/**
 * The part of playwright-core this runner uses. playwright-core lives in tools/vscode-e2e,
 * installed on demand, so the repository's type check and lint cannot depend on its types.
 */
export interface Locator {
  click(options?: { timeout?: number }): Promise<void>;
  count(): Promise<number>;
  first(): Locator;
  allInnerTexts(): Promise<string[]>;
  waitFor(options?: { state?: 'visible' | 'attached'; timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  inputValue(options?: { timeout?: number }): Promise<string>;
  press(key: string, options?: { timeout?: number }): Promise<void>;
}

export interface Page {
  goto(
    url: string,
    options?: { waitUntil?: 'load' | 'domcontentloaded'; timeout?: number },
  ): Promise<unknown>;
  exposeFunction(name: string, callback: (...args: never[]) => unknown): Promise<void>;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  waitForFunction<A>(
    fn: (arg: A) => boolean,
    arg: A,
    options?: { timeout?: number; polling?: number },
  ): Promise<unknown>;
  screenshot(options: { path: string }): Promise<unknown>;
  mouse: { move(x: number, y: number): Promise<void> };
  keyboard: {
    press(key: string): Promise<void>;
    type(text: string, options?: { delay?: number }): Promise<void>;
  };
  close(): Promise<void>;
}

export interface BrowserContext {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface Browser {
  newContext(options: { viewport: { width: number; height: number } }): Promise<BrowserContext>;
  close(): Promise<void>;
}

interface PlaywrightCore {
  chromium: {
    launch(options: {
      executablePath: string;
      headless: boolean;
      args: string[];
      timeout?: number;
    }): Promise<Browser>;
  };
}

/** Debian's Chromium, headless, kept off every network but loopback. */
export async function launchChromium(): Promise<Browser> {
  const require = createRequire(path.join(TOOLS_DIR, 'package.json'));
  const { chromium } = require('playwright-core') as PlaywrightCore;
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-crash-reporter',
      '--disable-breakpad',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
}
