import { formatDiagnostics } from '@running-tasks/contracts';
import { COMMANDS } from './command-ids';
import { ERROR_CODES, type ApiError, type AuthFailedError, type BadPayloadError } from './errors';
import { codeBlock, escapeMarkdown, table } from './markdown';
import { statusLabel, statusStyle } from './status-style';
import type { TaskTreeModel } from './task-tree-model';
import type { DetailField, TaskView } from './task-view';
import type { Translate } from './translate';
import type {
  BackendNode,
  DetailNode,
  MessageNode,
  PipelineNode,
  StageNode,
  TaskNode,
  TreeNode,
} from './tree-node';

/** A tree row as plain data; the adapter copies it onto a `vscode.TreeItem`. */
export interface TreeRow {
  id: string;
  label: string;
  description?: string;
  /** Markdown, untrusted: no command links, no HTML. */
  tooltip?: string;
  icon?: { id: string; color?: string };
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** `viewItem` in package.json menus. */
  contextValue: string;
  command?: { command: string; title: string; arguments: unknown[] };
}

export interface RowContext {
  model: TaskTreeModel;
  t: Translate;
  /** Formats an epoch ms as a local time of day, for "last update at". */
  formatTime: (ms: number) => string;
}

/** The row of any node. */
export function rowOf(node: TreeNode, ctx: RowContext): TreeRow {
  switch (node.kind) {
    case 'backend':
      return backendRow(node, ctx);
    case 'message':
      return messageRow(node, ctx);
    case 'pipeline':
      return pipelineRow(node, ctx);
    case 'task':
      return taskRow(node, ctx);
    case 'stage':
      return stageRow(node, ctx);
    case 'detail':
      return detailRow(node, ctx);
  }
}

function backendRow(node: BackendNode, { model, t }: RowContext): TreeRow {
  const config = model.backendConfig(node.backendId);
  const state = model.feedState(node.backendId);
  const stale = model.isStale(node.backendId);

  let description: string;
  let icon: TreeRow['icon'];
  if (!config) {
    description = t('invalid settings');
    icon = { id: 'error', color: 'list.errorForeground' };
  } else if (stale) {
    description = t('stale');
    icon = { id: 'warning', color: 'list.warningForeground' };
  } else if (state.kind === 'live') {
    description = state.transport === 'websocket' ? t('live') : t('polling');
    icon = { id: state.transport === 'websocket' ? 'broadcast' : 'sync' };
  } else if (state.kind === 'failing') {
    description = t('offline');
    icon = { id: 'debug-disconnect', color: 'list.errorForeground' };
  } else {
    description = t('connecting…');
    icon = { id: 'loading~spin' };
  }

  const tooltip = config
    ? table([
        [t('Backend'), config.baseUrl],
        [t('API version'), config.apiVersion.toUpperCase()],
        [t('Tasks'), String(model.backendTaskCount(node.backendId))],
      ])
    : undefined;
  return {
    id: node.id,
    label: model.backendLabel(node.backendId),
    description: config ? `${config.apiVersion.toUpperCase()} · ${description}` : description,
    tooltip,
    icon,
    collapsible: 'expanded',
    contextValue: 'backend',
  };
}

function messageRow(node: MessageNode, { model, t, formatTime }: RowContext): TreeRow {
  const base = {
    id: node.id,
    collapsible: 'none' as const,
    contextValue: `message:${node.message}`,
  };
  const retry = {
    command: COMMANDS.retryBackend,
    title: t('Retry'),
    arguments: [node.backendId],
  };
  const detail = node.error ? escapeMarkdown(node.error.message) : undefined;

  switch (node.message) {
    case 'connecting':
      return { ...base, label: t('Connecting…'), icon: { id: 'loading~spin' } };
    case 'empty':
      return { ...base, label: t('No running tasks'), icon: { id: 'check' } };
    case 'unreachable':
      return {
        ...base,
        label: t('Cannot reach the backend'),
        description: model.backendConfig(node.backendId)?.baseUrl,
        tooltip: `${detail}\n\n${t('Retrying automatically. Click to retry now.')}`,
        icon: { id: 'debug-disconnect', color: 'list.errorForeground' },
        command: retry,
      };
    case 'auth': {
      const hadToken = (node.error as AuthFailedError | undefined)?.hadToken ?? false;
      return {
        ...base,
        label: hadToken ? t('The API token was rejected') : t('This backend needs an API token'),
        description: t('HTTP 401'),
        tooltip: t('Click to set the API token.'),
        icon: { id: 'key', color: 'list.errorForeground' },
        command: {
          command: COMMANDS.setToken,
          title: t('Set API Token'),
          arguments: [node.backendId],
        },
      };
    }
    case 'api': {
      const error = node.error as ApiError;
      return {
        ...base,
        label: t('The backend reported error {0}', error.apiCode),
        description: error.apiMessage,
        tooltip: [detail, escapeMarkdown(error.description)].filter(Boolean).join('\n\n'),
        icon: { id: 'error', color: 'list.errorForeground' },
        command: retry,
      };
    }
    case 'http':
      return {
        ...base,
        label: t('The backend answered with an error'),
        description: httpStatusText(node),
        tooltip: detail,
        icon: { id: 'error', color: 'list.errorForeground' },
        command: retry,
      };
    case 'payload': {
      const error = node.error as BadPayloadError;
      const first = error.diagnostics[0];
      const firstDiagnostics = error.diagnostics.slice(0, 20);
      const kept = node.lastUpdateAt
        ? t('Showing the last good list, from {0}.', formatTime(node.lastUpdateAt))
        : t('No good list has arrived yet.');
      return {
        ...base,
        label: t('Rejected a payload that breaks the contract'),
        description: first ? `${first.path}: ${first.message}` : undefined,
        tooltip: `${kept}\n\n${codeBlock('text', formatDiagnostics(firstDiagnostics))}`,
        icon: { id: 'error', color: 'list.errorForeground' },
        command: { command: COMMANDS.showLog, title: t('Show Log'), arguments: [] },
      };
    }
    case 'config':
      return {
        ...base,
        label: t('The backend settings cannot be used'),
        description: node.error?.message,
        tooltip: detail,
        icon: { id: 'gear', color: 'list.errorForeground' },
        command: {
          command: COMMANDS.configureBackend,
          title: t('Configure Backend'),
          arguments: [],
        },
      };
    case 'stale':
      return {
        ...base,
        label: t('Stale: last update at {0}', formatTime(node.lastUpdateAt)),
        description: staleReason(node, t),
        tooltip: `${detail}\n\n${t('Retrying automatically. Click to retry now.')}`,
        icon: { id: 'warning', color: 'list.warningForeground' },
        command: retry,
      };
    case 'internal':
      return {
        ...base,
        label: t('Unexpected error; see the log'),
        tooltip: detail,
        icon: { id: 'bug', color: 'list.errorForeground' },
        command: { command: COMMANDS.showLog, title: t('Show Log'), arguments: [] },
      };
  }
}

function pipelineRow(node: PipelineNode, { model, t }: RowContext): TreeRow {
  const count = model.children(node).length;
  return {
    id: node.id,
    label: node.name,
    description: count === 1 ? t('1 task') : t('{0} tasks', count),
    icon: { id: 'layers' },
    collapsible: 'expanded',
    contextValue: 'pipeline',
  };
}

function taskRow(node: TaskNode, { t }: RowContext): TreeRow {
  const task = node.task;
  const style = statusStyle(task.status);
  // "≥": the backend's start time was unusable, so this counts from the first sighting.
  const elapsed = node.elapsedFromBackend ? node.elapsed : `≥ ${node.elapsed}`;

  return {
    id: node.id,
    label: `#${task.id}`,
    description: [statusLabel(task.status, t), task.creator, elapsed].filter(Boolean).join(' · '),
    tooltip: taskTooltip(task, node, t),
    icon: { id: style.icon, color: style.color },
    collapsible: task.stages.length ? 'collapsed' : 'none',
    contextValue: 'task',
  };
}

function stageRow(node: StageNode, { t }: RowContext): TreeRow {
  const { stage } = node;
  const style = statusStyle(stage.status);
  const summary = SUMMARY_FIELDS.map((f) => stage.details.find((d) => d.field === f)).find(
    Boolean,
  )?.value;

  return {
    id: node.id,
    label: stage.name,
    description: [stage.status === undefined ? '' : statusLabel(stage.status, t), summary]
      .filter(Boolean)
      .join(' · '),
    tooltip: codeBlock('json', JSON.stringify(stage.raw, null, 2)),
    icon: { id: style.icon, color: style.color },
    collapsible: stage.details.length ? 'collapsed' : 'none',
    contextValue: 'stage',
  };
}

/** The one detail a stage row shows beside its status: what was built, or from where. */
const SUMMARY_FIELDS: readonly DetailField[] = ['branch', 'tag', 'image', 'package'];

function detailRow(node: DetailNode, { t }: RowContext): TreeRow {
  const { field, value } = node.detail;
  return {
    id: node.id,
    label: detailLabel(field, t),
    description: value,
    tooltip: escapeMarkdown(value),
    icon: { id: DETAIL_ICONS[field] },
    collapsible: 'none',
    contextValue: `detail:${field}`,
  };
}

const DETAIL_ICONS: Record<DetailField, string> = {
  repo: 'repo',
  branch: 'git-branch',
  commit: 'git-commit',
  pullRequest: 'git-pull-request',
  image: 'package',
  tag: 'tag',
  package: 'archive',
  timeout: 'watch',
  service: 'server',
  jobs: 'list-unordered',
  error: 'error',
};

function detailLabel(field: DetailField, t: Translate): string {
  switch (field) {
    case 'repo':
      return t('repository');
    case 'branch':
      return t('branch');
    case 'commit':
      return t('commit');
    case 'pullRequest':
      return t('pull request');
    case 'image':
      return t('image');
    case 'tag':
      return t('tag');
    case 'package':
      return t('package');
    case 'timeout':
      return t('timeout');
    case 'service':
      return t('service');
    case 'jobs':
      return t('jobs');
    case 'error':
      return t('error');
  }
}

function taskTooltip(task: TaskView, node: TaskNode, t: Translate): string {
  const started = task.startedAt ? new Date(task.startedAt * 1000).toISOString() : '—';
  const rows: [string, string][] = [
    [t('Status'), statusLabel(task.status, t)],
    [t('Created by'), task.creator || '—'],
    [t('Started'), started],
    [t('Elapsed'), node.elapsedFromBackend ? node.elapsed : t('at least {0}', node.elapsed)],
  ];

  const version = task.version.toUpperCase();
  const heading = `**${escapeMarkdown(task.pipeline)} #${task.id}** (${version})`;
  const record = codeBlock('json', JSON.stringify(task.raw, null, 2));
  return `${heading}\n\n${table(rows)}\n\n${record}`;
}

function httpStatusText(node: MessageNode): string | undefined {
  const status = (node.error as { httpStatus?: number } | undefined)?.httpStatus;
  return status ? `HTTP ${status}` : undefined;
}

function staleReason(node: MessageNode, t: Translate): string | undefined {
  const error = node.error;
  if (!error) return undefined;
  if (error.code === ERROR_CODES.UNREACHABLE) return t('cannot reach the backend');
  if (error.code === ERROR_CODES.AUTH_FAILED) return t('authentication failed');
  return error.message;
}
