import type * as vscode from 'vscode';
import type { BoardSummary } from '../core/task-board';
import { englishOnly } from '../core/translate';
import { rowOf } from '../core/tree-rows';
import type { TreeNode } from '../core/tree-node';
import type { Services } from './services';
import { configuredBackends } from './services';

/** A row as the API reports it: what the user reads, and how deep it sits. */
export interface ApiRow {
  id: string;
  label: string;
  description: string;
  depth: number;
}

/**
 * What `activate` returns: read-only views of the tree for scripts and the extension's own
 * tests in a real VS Code, in English whatever the display language. It never hands out a
 * token, only whether one is set.
 */
export interface RunningTasksApi {
  rows(maxDepth?: number): ApiRow[];
  summary(): BoardSummary;
  /** Fires after any change of the tree. */
  onDidChangeTree: vscode.Event<void>;
  hasToken(backendId: string): Promise<boolean>;
  mockUrl(): string | undefined;
}

export function createApi(
  services: Services,
  onDidChangeTree: vscode.Event<void>,
): RunningTasksApi {
  const model = services.board.model;

  return {
    rows(maxDepth = 3) {
      const rows: ApiRow[] = [];
      const visit = (node: TreeNode, depth: number) => {
        const row = rowOf(node, {
          model,
          t: englishOnly,
          formatTime: (ms) => new Date(ms).toISOString(),
        });
        rows.push({ id: row.id, label: row.label, description: row.description ?? '', depth });
        if (depth < maxDepth) for (const child of model.children(node)) visit(child, depth + 1);
      };
      for (const root of model.roots()) visit(root, 0);
      return rows;
    },
    summary: () => services.board.summary,
    onDidChangeTree,
    async hasToken(backendId) {
      const backend = configuredBackends(services).find((b) => b.id === backendId);
      return backend ? (await services.tokens.get(backend)) !== undefined : false;
    },
    mockUrl: () => services.mock.url,
  };
}
