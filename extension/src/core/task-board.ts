import type { BackendConfig } from './backend';
import { Emitter } from './emitter';
import { SILENT_LOGGER, tagLogger, type Logger } from './logger';
import type { SnapshotDiff } from './snapshot-store';
import { statusStyle } from './status-style';
import { TaskFeedClient, type FeedOptions, type FeedTiming } from './task-feed-client';
import { TaskTreeModel, type WelcomeState } from './task-tree-model';
import type { TaskView } from './task-view';
import type { BackendEntry, TreeNode } from './tree-node';

/** A task that finished, or left the running list while still going. */
export interface TaskTransition {
  backendId: string;
  task: TaskView;
  kind: 'finished' | 'left';
}

/** What the badge, the status bar and the welcome view show. */
export interface BoardSummary {
  taskCount: number;
  runningCount: number;
  welcome: WelcomeState;
  staleBackends: string[];
}

export interface BoardOptions {
  logger?: Logger;
  timing?: Partial<FeedTiming>;
  transport?: FeedOptions['transport'];
  /** Replaces the feed client, for tests. */
  createClient?: (options: FeedOptions) => TaskFeedClient;
}

/**
 * Every configured backend's feed, wired into one tree model. Feeds push snapshots and
 * states in; tree changes, a summary and task transitions come out. No `vscode` here: the
 * adapters subscribe to the events and render.
 */
export class TaskBoard {
  readonly model = new TaskTreeModel();

  private readonly treeEmitter = new Emitter<readonly TreeNode[] | undefined>();
  private readonly summaryEmitter = new Emitter<BoardSummary>();
  private readonly transitionEmitter = new Emitter<TaskTransition[]>();

  /** Nodes to refresh; undefined means the whole tree (roots appeared or vanished). */
  readonly onDidChangeTree = this.treeEmitter.event;
  readonly onDidChangeSummary = this.summaryEmitter.event;
  readonly onTaskTransitions = this.transitionEmitter.event;

  private clients = new Map<string, TaskFeedClient>();
  private feed: Pick<BoardOptions, 'timing' | 'transport'>;
  private active = true;
  private lastSummary: BoardSummary | undefined;
  private lastTickAt = 0;
  private readonly logger: Logger;

  constructor(private readonly options: BoardOptions = {}) {
    this.logger = options.logger ?? SILENT_LOGGER;
    this.feed = { timing: options.timing, transport: options.transport };
  }

  get summary(): BoardSummary {
    return {
      taskCount: this.model.taskCount(),
      runningCount: this.model.runningCount(),
      welcome: this.model.welcomeState(),
      staleBackends: this.model.backendIds().filter((id) => this.model.isStale(id)),
    };
  }

  /**
   * Replaces the backends and restarts their feeds; tokens are by backend id. `feed`
   * overrides the board's own feed options (the polling period and transport settings).
   */
  setBackends(
    entries: readonly BackendEntry[],
    tokens: ReadonlyMap<string, string>,
    feed?: Pick<BoardOptions, 'timing' | 'transport'>,
  ): void {
    this.stopClients();
    if (feed) this.feed = { ...this.feed, ...feed };
    this.model.setBackends(entries);

    for (const entry of entries) {
      if (entry.config) this.startClient(entry.config, tokens.get(entry.config.id));
    }
    this.treeEmitter.fire(undefined);
    this.publishSummary();
  }

  /** A new or removed token for one backend; its feed reconnects with it. */
  setToken(backendId: string, token: string | undefined): void {
    this.clients.get(backendId)?.setToken(token);
  }

  /** Whether the user can see the tree; polling slows down when not. */
  setActive(active: boolean): void {
    this.active = active;
    for (const client of this.clients.values()) client.setActive(active);
  }

  /** Asks one backend (or all) again now. */
  refresh(backendId?: string): void {
    for (const [id, client] of this.clients) if (!backendId || id === backendId) client.refresh();
  }

  /**
   * Advances elapsed times, if one is due; refreshes only tasks whose text changed. Call it
   * every second: a large tree is re-labelled less often (see `tickPeriodMs`).
   */
  tick(now: number = Date.now()): void {
    if (now - this.lastTickAt < tickPeriodMs(this.model.taskCount())) return;
    this.lastTickAt = now;

    const changed = this.model.tick(now);
    if (changed.length) this.treeEmitter.fire(changed);
  }

  /** Applies a snapshot as a feed would; public for the benchmark and tests. */
  applySnapshot(backendId: string, tasks: readonly TaskView[], receivedAt: number): SnapshotDiff {
    const { diff } = this.mutate(() => this.model.applySnapshot(backendId, tasks, receivedAt));

    const transitions = transitionsOf(backendId, diff);
    if (transitions.length) this.transitionEmitter.fire(transitions);
    return diff;
  }

  dispose(): void {
    this.stopClients();
    this.treeEmitter.dispose();
    this.summaryEmitter.dispose();
    this.transitionEmitter.dispose();
  }

  private startClient(config: BackendConfig, token: string | undefined): void {
    const options: FeedOptions = {
      backend: config,
      token,
      logger: tagLogger(this.logger, `feed ${config.id}`),
      timing: { ...this.options.timing, ...this.feed.timing },
      transport: this.feed.transport,
    };
    const client = this.options.createClient?.(options) ?? new TaskFeedClient(options);

    client.onSnapshot((s) => this.applySnapshot(config.id, s.tasks, s.receivedAt));
    client.onState((state) => this.mutate(() => this.model.setFeedState(config.id, state)));
    client.onProblem((error) => this.mutate(() => this.model.setProblem(config.id, error)));
    client.setActive(this.active);
    this.clients.set(config.id, client);
    client.start();
  }

  private stopClients(): void {
    for (const client of this.clients.values()) client.dispose();
    this.clients.clear();
  }

  /**
   * Runs a model mutation and fires what it changed. When the tree switches to or from
   * the welcome view, the roots themselves come or go, so the whole tree is refreshed.
   */
  private mutate<T extends TreeNode[] | { changed: TreeNode[] }>(change: () => T): T {
    const welcomeBefore = this.model.welcomeState();
    const result = change();
    const nodes = Array.isArray(result) ? result : result.changed;

    if (welcomeBefore !== this.model.welcomeState()) this.treeEmitter.fire(undefined);
    else if (nodes.length) this.treeEmitter.fire(nodes);
    this.publishSummary();
    return result;
  }

  private publishSummary(): void {
    const next = this.summary;
    const last = this.lastSummary;
    const same =
      last !== undefined &&
      last.taskCount === next.taskCount &&
      last.runningCount === next.runningCount &&
      last.welcome === next.welcome &&
      last.staleBackends.join() === next.staleBackends.join();
    if (same) return;

    this.lastSummary = next;
    this.summaryEmitter.fire(next);
  }
}

/**
 * How often elapsed times are re-labelled. Every running task under an hour old changes its
 * label each second, so a second is right for a small tree but would mean a thousand row
 * refreshes a second for a thousand tasks; larger trees tick more slowly.
 */
export function tickPeriodMs(taskCount: number): number {
  if (taskCount <= 100) return 1000;
  if (taskCount <= 500) return 5000;
  return 15_000;
}

function transitionsOf(backendId: string, diff: SnapshotDiff): TaskTransition[] {
  const transitions: TaskTransition[] = [];
  for (const { before, after } of diff.changed) {
    if (!statusStyle(before.status).terminal && statusStyle(after.status).terminal) {
      transitions.push({ backendId, task: after, kind: 'finished' });
    }
  }
  for (const task of diff.removed) {
    if (!statusStyle(task.status).terminal) transitions.push({ backendId, task, kind: 'left' });
  }
  return transitions;
}
