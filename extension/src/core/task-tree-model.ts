import type { BackendConfig } from './backend';
import { formatElapsed, taskStart } from './elapsed';
import { ERROR_CODES, type RunningTasksError } from './errors';
import { TaskSnapshotStore, type SnapshotDiff } from './snapshot-store';
import { statusStyle } from './status-style';
import type { FeedState } from './task-feed-client';
import type { TaskView } from './task-view';
import type {
  BackendEntry,
  BackendNode,
  MessageKind,
  MessageNode,
  PipelineNode,
  StageNode,
  TaskNode,
  TreeNode,
} from './tree-node';

/** What the welcome view should say instead of an empty tree, if anything. */
export type WelcomeState = 'unconfigured' | 'unreachable' | undefined;

interface PipelineSection {
  node: PipelineNode;
  taskKeys: Set<string>;
  /** Sorted children, rebuilt on the next read after the membership changes. */
  sorted: TaskNode[] | undefined;
}

interface BackendSection {
  node: BackendNode;
  label: string;
  config: BackendConfig | undefined;
  configError: RunningTasksError | undefined;
  store: TaskSnapshotStore;
  state: FeedState;
  problem: RunningTasksError | undefined;
  pipelines: Map<string, PipelineSection>;
  tasks: Map<string, TaskNode>;
  messages: MessageNode[];
}

/** The result of applying one snapshot: nodes to refresh, and the diff for notifications. */
export interface AppliedSnapshot {
  changed: TreeNode[];
  diff: SnapshotDiff;
}

/**
 * The tree of every backend's running tasks, free of `vscode`. Each mutation returns the
 * nodes whose rows or children changed, already reduced so that no node is listed together
 * with one of its ancestors: the adapter fires exactly those, and VS Code refreshes nothing
 * else. Whether the whole tree gives way to the welcome view is `welcomeState()`'s to say;
 * the caller compares it around each mutation.
 */
export class TaskTreeModel {
  private sections = new Map<string, BackendSection>();

  /** Replaces the set of backends; every old snapshot is dropped. */
  setBackends(entries: readonly BackendEntry[]): void {
    this.sections = new Map();
    for (const entry of entries) {
      const id = entry.config ? entry.config.id : entry.id;
      const section: BackendSection = {
        node: { kind: 'backend', id: `backend/${id}`, backendId: id },
        label: entry.config ? entry.config.label : entry.label,
        config: entry.config,
        configError: entry.error,
        store: new TaskSnapshotStore(),
        state: { kind: entry.config ? 'connecting' : 'stopped' },
        problem: undefined,
        pipelines: new Map(),
        tasks: new Map(),
        messages: [],
      };
      section.messages = messagesOf(section);
      this.sections.set(id, section);
    }
  }

  backendIds(): string[] {
    return [...this.sections.keys()];
  }

  backendConfig(backendId: string): BackendConfig | undefined {
    return this.sections.get(backendId)?.config;
  }

  backendLabel(backendId: string): string {
    return this.sections.get(backendId)?.label ?? backendId;
  }

  feedState(backendId: string): FeedState {
    return this.sections.get(backendId)?.state ?? { kind: 'stopped' };
  }

  lastUpdateAt(backendId: string): number {
    return this.sections.get(backendId)?.store.lastUpdateAt ?? 0;
  }

  /** True when the backend's list may be out of date: failing, or its last payload was bad. */
  isStale(backendId: string): boolean {
    const section = this.sections.get(backendId);
    if (!section || section.store.lastUpdateAt === 0) return false;
    return section.state.kind === 'failing' || section.problem !== undefined;
  }

  backendTaskCount(backendId: string): number {
    return this.sections.get(backendId)?.store.size ?? 0;
  }

  /** The number of tasks in every running list. */
  taskCount(): number {
    let count = 0;
    for (const section of this.sections.values()) count += section.store.size;
    return count;
  }

  /** Tasks in the lists whose own status is `running`. */
  runningCount(): number {
    let count = 0;
    for (const section of this.sections.values()) {
      for (const task of section.store.values()) if (task.status === 'running') count += 1;
    }
    return count;
  }

  welcomeState(): WelcomeState {
    if (this.sections.size === 0) return 'unconfigured';

    for (const section of this.sections.values()) {
      const unreachable =
        section.state.kind === 'failing' &&
        section.state.error.code === ERROR_CODES.UNREACHABLE &&
        section.store.lastUpdateAt === 0;
      if (!unreachable) return undefined;
    }
    return 'unreachable';
  }

  // Reading ---------------------------------------------------------------------------

  roots(): TreeNode[] {
    // An empty tree is what makes VS Code show the welcome view.
    if (this.welcomeState()) return [];
    return [...this.sections.values()].map((s) => s.node);
  }

  children(node: TreeNode | undefined): TreeNode[] {
    if (!node) return this.roots();

    const section = this.sections.get(node.backendId);
    if (!section) return [];
    switch (node.kind) {
      case 'backend':
        return [...section.messages, ...this.sortedPipelines(section)];
      case 'pipeline':
        return this.sortedTasks(section, node.name);
      case 'task':
        return this.stagesOf(node);
      case 'stage':
        return node.details;
      default:
        return [];
    }
  }

  parent(node: TreeNode): TreeNode | undefined {
    const section = this.sections.get(node.backendId);
    if (!section) return undefined;

    switch (node.kind) {
      case 'backend':
        return undefined;
      case 'message':
      case 'pipeline':
        return section.node;
      case 'task':
        return section.pipelines.get(node.task.pipeline)?.node;
      case 'stage':
      case 'detail':
        return node.parent;
    }
  }

  findTask(backendId: string, key: string): TaskNode | undefined {
    return this.sections.get(backendId)?.tasks.get(key);
  }

  messagesOf(backendId: string): readonly MessageNode[] {
    return this.sections.get(backendId)?.messages ?? [];
  }

  // Changing --------------------------------------------------------------------------

  /** Applies a full snapshot of one backend. */
  applySnapshot(
    backendId: string,
    tasks: readonly TaskView[],
    receivedAt: number,
  ): AppliedSnapshot {
    const section = this.sections.get(backendId);
    const empty: SnapshotDiff = { added: [], removed: [], changed: [] };
    if (!section) return { changed: [], diff: empty };

    const diff = section.store.apply(tasks, receivedAt);
    const hadProblem = section.problem !== undefined;
    section.problem = undefined;

    const touched = new Set<PipelineSection>();
    let pipelinesChanged = false;
    const changedTasks: TaskNode[] = [];

    for (const task of diff.removed) {
      section.tasks.delete(task.key);
      pipelinesChanged = this.leave(section, task, touched) || pipelinesChanged;
    }
    for (const task of diff.added) {
      const node = this.taskNode(section, task, receivedAt);
      section.tasks.set(task.key, node);
      pipelinesChanged = this.join(section, node, touched) || pipelinesChanged;
    }
    for (const { before, after } of diff.changed) {
      const node = section.tasks.get(after.key);
      if (!node) continue;
      this.updateTaskNode(section, node, after, receivedAt);
      if (before.pipeline === after.pipeline) {
        changedTasks.push(node);
        continue;
      }
      pipelinesChanged = this.leave(section, before, touched) || pipelinesChanged;
      pipelinesChanged = this.join(section, node, touched) || pipelinesChanged;
    }

    const messagesChanged = this.refreshMessages(section) || hadProblem;
    if (pipelinesChanged || messagesChanged) return { changed: [section.node], diff };

    // A task whose pipeline is refreshed anyway is refreshed with it.
    const changed: TreeNode[] = [...touched].map((p) => p.node);
    for (const node of changedTasks) {
      const pipeline = section.pipelines.get(node.task.pipeline);
      if (!pipeline || !touched.has(pipeline)) changed.push(node);
    }
    return { changed, diff };
  }

  /** Records the feed's state; the backend row (and its messages) change with it. */
  setFeedState(backendId: string, state: FeedState): TreeNode[] {
    const section = this.sections.get(backendId);
    if (!section) return [];

    const before = section.state;
    section.state = state;
    const messagesChanged = this.refreshMessages(section);
    if (messagesChanged) return [section.node];

    const same =
      before.kind === state.kind &&
      (before.kind !== 'live' || state.kind !== 'live' || before.transport === state.transport) &&
      (before.kind !== 'failing' ||
        state.kind !== 'failing' ||
        before.error.code === state.error.code);
    return same ? [] : [section.node];
  }

  /** Records a payload that broke the contract; the last good list stays, marked stale. */
  setProblem(backendId: string, problem: RunningTasksError): TreeNode[] {
    const section = this.sections.get(backendId);
    if (!section) return [];

    section.problem = problem;
    this.refreshMessages(section);
    return [section.node];
  }

  /** Re-computes elapsed times; returns the tasks whose shown text changed. */
  tick(now: number): TreeNode[] {
    const changed: TreeNode[] = [];
    for (const section of this.sections.values()) {
      for (const node of section.tasks.values()) {
        if (statusStyle(node.task.status).terminal) continue;
        const before = node.elapsed;
        this.updateElapsed(section, node, now);
        if (node.elapsed !== before) changed.push(node);
      }
    }
    return changed;
  }

  // Internals -------------------------------------------------------------------------

  private taskNode(section: BackendSection, task: TaskView, now: number): TaskNode {
    const node: TaskNode = {
      kind: 'task',
      id: `${section.node.id}/task/${task.key}`,
      backendId: section.node.backendId,
      task,
      elapsed: '',
      elapsedFromBackend: true,
      stages: undefined,
    };
    this.updateElapsed(section, node, now);
    return node;
  }

  private updateTaskNode(section: BackendSection, node: TaskNode, task: TaskView, now: number) {
    node.task = task;
    node.stages = undefined;
    this.updateElapsed(section, node, now);
  }

  private updateElapsed(section: BackendSection, node: TaskNode, now: number): void {
    const start = taskStart(node.task.startedAt, section.store.firstSeenAt(node.task.key), now);
    node.elapsed = formatElapsed(now - start.startMs);
    node.elapsedFromBackend = start.fromBackend;
  }

  /** Adds a task to its pipeline; true when the pipeline is new. */
  private join(section: BackendSection, node: TaskNode, touched: Set<PipelineSection>): boolean {
    const name = node.task.pipeline;
    let pipeline = section.pipelines.get(name);
    const created = !pipeline;
    if (!pipeline) {
      pipeline = {
        node: {
          kind: 'pipeline',
          id: `${section.node.id}/pipeline/${encodeURIComponent(name)}`,
          backendId: section.node.backendId,
          name,
        },
        taskKeys: new Set(),
        sorted: undefined,
      };
      section.pipelines.set(name, pipeline);
    }

    pipeline.taskKeys.add(node.task.key);
    pipeline.sorted = undefined;
    touched.add(pipeline);
    return created;
  }

  /** Removes a task from its pipeline; true when the pipeline is now gone. */
  private leave(section: BackendSection, task: TaskView, touched: Set<PipelineSection>): boolean {
    const pipeline = section.pipelines.get(task.pipeline);
    if (!pipeline) return false;

    pipeline.taskKeys.delete(task.key);
    pipeline.sorted = undefined;
    if (pipeline.taskKeys.size > 0) {
      touched.add(pipeline);
      return false;
    }
    section.pipelines.delete(task.pipeline);
    touched.delete(pipeline);
    return true;
  }

  private sortedPipelines(section: BackendSection): PipelineNode[] {
    return [...section.pipelines.values()]
      .map((p) => p.node)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Newest task first: a higher id is a later task in both API versions. */
  private sortedTasks(section: BackendSection, pipelineName: string): TaskNode[] {
    const pipeline = section.pipelines.get(pipelineName);
    if (!pipeline) return [];

    pipeline.sorted ??= [...pipeline.taskKeys]
      .map((key) => section.tasks.get(key))
      .filter((n): n is TaskNode => n !== undefined)
      .sort((a, b) => b.task.id - a.task.id);
    return pipeline.sorted;
  }

  private stagesOf(node: TaskNode): StageNode[] {
    node.stages ??= node.task.stages.map((stage) => {
      const stageNode: StageNode = {
        kind: 'stage',
        id: `${node.id}/stage/${stage.key}`,
        backendId: node.backendId,
        parent: node,
        task: node.task,
        stage,
        details: [],
      };
      stageNode.details = stage.details.map((detail) => ({
        kind: 'detail',
        id: `${stageNode.id}/${detail.field}`,
        backendId: node.backendId,
        parent: stageNode,
        detail,
      }));
      return stageNode;
    });
    return node.stages;
  }

  /** Recomputes the backend's message rows; true when their kinds changed. */
  private refreshMessages(section: BackendSection): boolean {
    const before = section.messages.map((m) => m.message).join();
    const after = messagesOf(section);
    const changed = before !== after.map((m) => m.message).join();

    // Same kinds keep their node objects, so a refresh of the backend row finds them again.
    section.messages = after.map((m) => {
      const old = section.messages.find((o) => o.id === m.id);
      return old ? Object.assign(old, m) : m;
    });
    return changed;
  }
}

/** The message rows a backend shows above its pipelines, most urgent first. */
function messagesOf(section: BackendSection): MessageNode[] {
  const backendId = section.node.backendId;
  const lastUpdateAt = section.store.lastUpdateAt;
  const hasData = lastUpdateAt > 0;
  const make = (message: MessageKind, error?: RunningTasksError): MessageNode => ({
    kind: 'message',
    id: `${section.node.id}/message/${message}`,
    backendId,
    message,
    error,
    lastUpdateAt,
  });

  if (section.configError) return [make('config', section.configError)];

  const messages: MessageNode[] = [];
  if (section.problem) messages.push(make('payload', section.problem));

  const state = section.state;
  if (state.kind === 'failing') {
    messages.push(make(hasData ? 'stale' : messageKindOf(state.error), state.error));
  } else if (state.kind === 'connecting' && !hasData) {
    messages.push(make('connecting'));
  } else if (state.kind === 'live' && hasData && section.store.size === 0 && !section.problem) {
    messages.push(make('empty'));
  }
  return messages;
}

function messageKindOf(error: RunningTasksError): MessageKind {
  switch (error.code) {
    case ERROR_CODES.UNREACHABLE:
      return 'unreachable';
    case ERROR_CODES.AUTH_FAILED:
      return 'auth';
    case ERROR_CODES.API_ERROR:
      return 'api';
    case ERROR_CODES.HTTP_STATUS:
    case ERROR_CODES.WEBSOCKET_REFUSED:
      return 'http';
    case ERROR_CODES.BAD_PAYLOAD:
      return 'payload';
    case ERROR_CODES.CONFIG:
      return 'config';
    default:
      return 'internal';
  }
}
