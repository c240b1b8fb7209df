import type { BackendConfig } from '../../../extension/src/core/backend';
import { TaskTreeModel } from '../../../extension/src/core/task-tree-model';
import { rowOf, type TreeRow } from '../../../extension/src/core/tree-rows';
import type { TreeNode } from '../../../extension/src/core/tree-node';
import { englishOnly } from '../../../extension/src/core/translate';

export function backendConfig(id = 'b', overrides: Partial<BackendConfig> = {}): BackendConfig {
  return {
    id,
    label: id,
    baseUrl: `http://127.0.0.1:4010`,
    apiVersion: 'v2',
    authHeader: 'bearer',
    browserUrlTemplate: '',
    ...overrides,
  };
}

/** A model with one live backend per id. */
export function liveModel(...ids: string[]): TaskTreeModel {
  const model = new TaskTreeModel();
  model.setBackends(ids.map((id) => ({ config: backendConfig(id) })));
  for (const id of ids) model.setFeedState(id, { kind: 'live', transport: 'websocket' });
  return model;
}

export function row(model: TaskTreeModel, node: TreeNode): TreeRow {
  return rowOf(node, { model, t: englishOnly, formatTime: (ms) => new Date(ms).toISOString() });
}

/** Every row, depth first, as `label | description` indented by depth. */
export function outline(model: TaskTreeModel, maxDepth = 2): string[] {
  const lines: string[] = [];
  const visit = (node: TreeNode, depth: number) => {
    const r = row(model, node);
    lines.push(`${'  '.repeat(depth)}${r.label}${r.description ? ` | ${r.description}` : ''}`);
    if (depth < maxDepth) for (const child of model.children(node)) visit(child, depth + 1);
  };
  for (const root of model.roots()) visit(root, 0);
  return lines;
}
