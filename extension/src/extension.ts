import * as vscode from 'vscode';
import { backendEntries } from './core/backend-settings';
import { VIEW_ID } from './core/command-ids';
import { TaskBoard, type BoardSummary } from './core/task-board';
import type { TreeNode } from './core/tree-node';
import { registerConfigureBackend } from './vscode/commands/configure-backend';
import { registerCopyTaskId } from './vscode/commands/copy-task-id';
import { registerStartLocalMock, registerStopLocalMock } from './vscode/commands/local-mock';
import { registerOpenInBrowser } from './vscode/commands/open-in-browser';
import { registerRefresh, registerRetryBackend } from './vscode/commands/refresh';
import { registerClearToken, registerSetToken } from './vscode/commands/set-token';
import { registerShowLog } from './vscode/commands/show-log';
import { createApi, type RunningTasksApi } from './vscode/extension-api';
import { LocalMock } from './vscode/local-mock';
import { LogChannel } from './vscode/log-channel';
import { configuredBackends, type Services } from './vscode/services';
import { BACKEND_SETTINGS, readSettings } from './vscode/settings';
import { TaskStatusBar } from './vscode/status-bar';
import { TaskNotifier } from './vscode/task-notifier';
import { TaskTreeProvider } from './vscode/task-tree-provider';
import { TokenStore } from './vscode/token-store';

/** How often elapsed times are recomputed while the view is visible. */
const TICK_MS = 1000;

export async function activate(context: vscode.ExtensionContext): Promise<RunningTasksApi> {
  const log = new LogChannel(vscode.l10n.t('Pipeline Tasks'));
  const board = new TaskBoard({ logger: log });
  const provider = new TaskTreeProvider(board);
  const view = vscode.window.createTreeView<TreeNode>(VIEW_ID, {
    treeDataProvider: provider,
    showCollapseAll: true,
  });
  const services = createServices(context, log, board, view);
  context.subscriptions.push(log, provider, view, services.mock, {
    dispose: () => board.dispose(),
  });

  registerCommands(context, services);
  initSummary(context, services);
  initActivity(context, services);
  initNotifications(context, services);
  initReloads(context, services);

  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    board.onDidChangeTree(() => changed.fire()),
  );
  await services.reload();
  log.info(`activated in ${vscode.env.appName} ${vscode.version}`);
  return createApi(services, changed.event);
}

export function deactivate(): void {
  // Everything, the mock process included, is stopped through context.subscriptions.
}

function createServices(
  context: vscode.ExtensionContext,
  log: LogChannel,
  board: TaskBoard,
  view: vscode.TreeView<TreeNode>,
): Services {
  const tokens = new TokenStore(context.secrets, log);
  const mock = new LocalMock(log);
  let generation = 0;

  const reload = async () => {
    // Reloads can overlap (a settings change while tokens are read); the last one wins.
    const mine = ++generation;
    const settings = readSettings();
    const entries = backendEntries(settings, mock.url ? { url: mock.url } : undefined);
    const configs = entries.flatMap((e) => (e.config ? [e.config] : []));
    const tokenMap = await tokens.all(configs);
    if (mine !== generation) return;

    board.setBackends(entries, tokenMap, {
      transport: settings.transport,
      timing: { pollIntervalMs: settings.pollIntervalSeconds * 1000 },
    });
    const described = configs.map((c) => `${c.id}=${c.baseUrl} ${c.apiVersion}`).join(', ');
    log.info(`backends: ${described || 'none'}`);
  };
  return { board, log, tokens, mock, view, reload };
}

function registerCommands(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(
    registerRefresh(services),
    registerRetryBackend(services),
    registerOpenInBrowser(services),
    registerCopyTaskId(services),
    registerStartLocalMock(services),
    registerStopLocalMock(services),
    registerShowLog(services),
    registerSetToken(services),
    registerClearToken(services),
    registerConfigureBackend(services),
  );
}

/** The badge, the status bar item, the tree message and the welcome view's context key. */
function initSummary(context: vscode.ExtensionContext, { board, view }: Services): void {
  const statusBar = new TaskStatusBar();
  context.subscriptions.push(statusBar);

  const show = (summary: BoardSummary) => {
    statusBar.update(summary);
    view.badge = summary.runningCount
      ? {
          value: summary.runningCount,
          tooltip: vscode.l10n.t('{0} running tasks', summary.runningCount),
        }
      : undefined;
    view.message = summary.staleBackends.length
      ? vscode.l10n.t(
          'Not up to date: {0}',
          summary.staleBackends.map((id) => board.model.backendLabel(id)).join(', '),
        )
      : undefined;
    void vscode.commands.executeCommand(
      'setContext',
      'runningTasks.welcome',
      summary.welcome ?? 'none',
    );
  };
  context.subscriptions.push(board.onDidChangeSummary(show));
  show(board.summary);
}

/**
 * Polling slows down while the view is hidden or the window unfocused; elapsed times tick
 * only while the view is visible, since nobody sees them otherwise.
 */
function initActivity(context: vscode.ExtensionContext, { board, view }: Services): void {
  let ticker: NodeJS.Timeout | undefined;

  const update = () => {
    board.setActive(view.visible && vscode.window.state.focused);
    if (view.visible && !ticker) {
      board.tick();
      ticker = setInterval(() => board.tick(), TICK_MS);
    } else if (!view.visible && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };

  context.subscriptions.push(
    view.onDidChangeVisibility(update),
    vscode.window.onDidChangeWindowState(update),
    { dispose: () => clearInterval(ticker) },
  );
  update();
}

function initNotifications(context: vscode.ExtensionContext, { board }: Services): void {
  context.subscriptions.push(new TaskNotifier(board, () => readSettings().notifications));
}

/** Settings, tokens and the local mock all change which backends the tree shows, or how. */
function initReloads(context: vscode.ExtensionContext, services: Services): void {
  const { board, tokens, mock, log } = services;
  const reload = () =>
    void services.reload().catch((e: unknown) => log.error(`reload failed: ${String(e)}`));

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (BACKEND_SETTINGS.some((key) => e.affectsConfiguration(key))) reload();
    }),
    mock.onDidChange(reload),
    tokens.onDidChange(async (event) => {
      for (const backend of configuredBackends(services)) {
        if (tokens.concerns(event, backend)) board.setToken(backend.id, await tokens.get(backend));
      }
    }),
  );
}
