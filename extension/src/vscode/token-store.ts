import * as vscode from 'vscode';
import type { BackendConfig } from '../core/backend';
import type { LogChannel } from './log-channel';

const KEY_PREFIX = 'runningTasks.token:';

/**
 * API tokens in SecretStorage (the OS keychain on desktop), keyed by the backend's base URL:
 * a token follows the server it was issued by, so re-pointing a backend never sends an old
 * token to a new host. Nothing here writes settings or logs a token.
 */
export class TokenStore {
  readonly onDidChange: vscode.Event<vscode.SecretStorageChangeEvent>;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: LogChannel,
  ) {
    this.onDidChange = secrets.onDidChange;
  }

  async get(backend: BackendConfig): Promise<string | undefined> {
    const token = await this.secrets.get(keyOf(backend));
    if (token) this.log.addSecret(token);
    return token || undefined;
  }

  async set(backend: BackendConfig, token: string): Promise<void> {
    this.log.addSecret(token);
    await this.secrets.store(keyOf(backend), token);
  }

  async delete(backend: BackendConfig): Promise<void> {
    await this.secrets.delete(keyOf(backend));
  }

  /** Whether a SecretStorage change event concerns this backend. */
  concerns(event: vscode.SecretStorageChangeEvent, backend: BackendConfig): boolean {
    return event.key === keyOf(backend);
  }

  /** The tokens of every backend, by backend id; missing means none. */
  async all(backends: readonly BackendConfig[]): Promise<Map<string, string>> {
    const tokens = new Map<string, string>();
    for (const backend of backends) {
      const token = await this.get(backend);
      if (token) tokens.set(backend.id, token);
    }
    return tokens;
  }
}

function keyOf(backend: BackendConfig): string {
  return KEY_PREFIX + backend.baseUrl;
}
