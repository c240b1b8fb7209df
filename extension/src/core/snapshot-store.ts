import { jsonEqual } from './json-equal';
import type { TaskView } from './task-view';

export interface TaskChange {
  before: TaskView;
  after: TaskView;
}

/** What one snapshot changed, by task. Unchanged tasks are not listed. */
export interface SnapshotDiff {
  added: TaskView[];
  removed: TaskView[];
  changed: TaskChange[];
}

/**
 * The current running list of one backend, keyed by task, and when each task was first
 * seen. Every message is a full snapshot (the API never sends diffs), so the diff is made
 * here: a task missing from the new list has left it.
 */
export class TaskSnapshotStore {
  private tasks = new Map<string, TaskView>();
  private readonly firstSeen = new Map<string, number>();
  private updatedAt = 0;

  get size(): number {
    return this.tasks.size;
  }

  /** When the last snapshot was applied (epoch ms), 0 before the first. */
  get lastUpdateAt(): number {
    return this.updatedAt;
  }

  get(key: string): TaskView | undefined {
    return this.tasks.get(key);
  }

  values(): IterableIterator<TaskView> {
    return this.tasks.values();
  }

  /** Epoch ms when this window first saw the task. */
  firstSeenAt(key: string): number {
    return this.firstSeen.get(key) ?? this.updatedAt;
  }

  /** Replaces the list with `tasks` and says what changed. */
  apply(tasks: readonly TaskView[], receivedAt: number = Date.now()): SnapshotDiff {
    const next = new Map<string, TaskView>();
    const diff: SnapshotDiff = { added: [], removed: [], changed: [] };

    for (const task of tasks) {
      // A key listed twice keeps its last entry, as a JSON object keeps its last duplicate key.
      next.set(task.key, task);
    }

    for (const [key, after] of next) {
      const before = this.tasks.get(key);
      if (!before) {
        diff.added.push(after);
        this.firstSeen.set(key, receivedAt);
      } else if (!jsonEqual(before.raw, after.raw)) {
        diff.changed.push({ before, after });
      }
    }

    for (const [key, before] of this.tasks) {
      if (next.has(key)) continue;
      diff.removed.push(before);
      this.firstSeen.delete(key);
    }

    this.tasks = next;
    this.updatedAt = receivedAt;
    return diff;
  }

  /** Forgets everything, as when the backend's settings change. */
  clear(): void {
    this.tasks.clear();
    this.firstSeen.clear();
    this.updatedAt = 0;
  }
}
