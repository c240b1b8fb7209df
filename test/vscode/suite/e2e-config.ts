import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the runner set up for this run, written beside the bundled suite: the extension host
 * is started by VS Code, not by the runner, so a file is the one channel both can reach.
 */
export interface E2eConfig {
  /** The mock with the default scenario, paused at 0 (the API page's examples). */
  mockUrl: string;
  /** A second mock that requires `token`. */
  securedUrl: string;
  token: string;
  /** The runner's control server: POST /seek?ms=N moves the default mock's timeline. */
  controlUrl: string;
  /** The repository's CLI, for the local mock command. */
  cliPath: string;
  /** Settings files to search for the token. */
  settingsFiles: string[];
}

export function e2eConfig(): E2eConfig {
  return JSON.parse(readFileSync(path.join(__dirname, 'e2e-config.json'), 'utf8')) as E2eConfig;
}
