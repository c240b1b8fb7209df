import * as vscode from 'vscode';
import type { TaskBoard } from '../core/task-board';
import { rowOf, type RowContext, type TreeRow } from '../core/tree-rows';
import type { TreeNode } from '../core/tree-node';

/**
 * A thin adapter from the core's tree model to VS Code. Change events carry exactly the
 * nodes the model reports, so a snapshot that changes two tasks refreshes two rows.
 */
export class TaskTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: { dispose(): void };
  private readonly context: RowContext;

  constructor(private readonly board: TaskBoard) {
    this.context = {
      model: board.model,
      t: vscode.l10n.t,
      formatTime: (ms) => new Date(ms).toLocaleTimeString(vscode.env.language),
    };
    this.subscription = board.onDidChangeTree((nodes) =>
      this.emitter.fire(nodes ? [...nodes] : undefined),
    );
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return treeItemOf(rowOf(node, this.context));
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return this.board.model.children(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.board.model.parent(node);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

const COLLAPSIBLE: Record<TreeRow['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

function treeItemOf(row: TreeRow): vscode.TreeItem {
  const item = new vscode.TreeItem(row.label, COLLAPSIBLE[row.collapsible]);
  item.id = row.id;
  item.description = row.description;
  item.contextValue = row.contextValue;
  item.command = row.command;

  if (row.icon) {
    const color = row.icon.color ? new vscode.ThemeColor(row.icon.color) : undefined;
    item.iconPath = new vscode.ThemeIcon(row.icon.id, color);
  }
  if (row.tooltip) {
    // Untrusted on purpose: the text comes from the backend, so no command links, no HTML.
    item.tooltip = new vscode.MarkdownString(row.tooltip, false);
  }
  return item;
}
