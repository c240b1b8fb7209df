import type * as vscode from 'vscode';
import type { BackendConfig } from '../core/backend';
import type { TaskBoard } from '../core/task-board';
import type { TreeNode } from '../core/tree-node';
import type { LocalMock } from './local-mock';
import type { LogChannel } from './log-channel';
import type { TokenStore } from './token-store';

/** What the commands work with; built once in `activate`. */
export interface Services {
  board: TaskBoard;
  log: LogChannel;
  tokens: TokenStore;
  mock: LocalMock;
  view: vscode.TreeView<TreeNode>;
  /** Re-reads settings and tokens and restarts the feeds. */
  reload(): Promise<void>;
}

/** The usable backends, in tree order. */
export function configuredBackends(services: Services): BackendConfig[] {
  const model = services.board.model;
  return model
    .backendIds()
    .map((id) => model.backendConfig(id))
    .filter((c): c is BackendConfig => c !== undefined);
}

/**
 * The backend id a command was invoked for: a tree node (context menu), a bare id (a
 * message row's click), or an object with `backendId` (the API and tests).
 */
export function backendIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && 'backendId' in arg) {
    const id = arg.backendId;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}
