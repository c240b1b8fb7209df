import { assignAt } from '../scenario/assignment-path';
import {
  API_VERSIONS,
  type ApiVersion,
  type Assignment,
  type ReplayState,
} from '../scenario/scenario';

/** The field that identifies a task in each API version. */
export const ID_FIELD: Record<ApiVersion, 'id' | 'task_id'> = { v1: 'id', v2: 'task_id' };

interface VersionOverlay {
  /** Tasks added by hand, by id, in the order they were added. */
  added: Map<number, Record<string, unknown>>;
  /** Field assignments on replay tasks, by id, applied in order. */
  patches: Map<number, Assignment[]>;
  /** Replay task ids hidden by hand. */
  removed: Set<number>;
}

/** Why a patch was left out of a published list. */
export interface OverlayRejection {
  api: ApiVersion;
  id: number;
  reason: string;
}

export interface OverlaySummary {
  added: number[];
  patched: Record<string, Record<string, unknown>>;
  removed: number[];
}

/**
 * Hand-made edits on top of the replay: tasks added, fields changed on
 * replay tasks, tasks removed. The replay state stays a pure function of
 * scenario and time; this is applied to each state as it is published.
 */
export class TaskOverlay {
  private readonly versions: Record<ApiVersion, VersionOverlay> = {
    v1: emptyVersion(),
    v2: emptyVersion(),
  };

  get isEmpty(): boolean {
    return API_VERSIONS.every((api) => {
      const v = this.versions[api];
      return v.added.size === 0 && v.patches.size === 0 && v.removed.size === 0;
    });
  }

  isAdded(api: ApiVersion, id: number): boolean {
    return this.versions[api].added.has(id);
  }

  add(api: ApiVersion, task: Record<string, unknown>): void {
    const id = task[ID_FIELD[api]] as number;
    this.versions[api].removed.delete(id);
    this.versions[api].added.set(id, structuredClone(task));
  }

  /**
   * Records a change of task `id`. An added task is replaced by `patched`
   * outright; a replay task keeps the assignments, so they follow the task
   * as the replay moves it on.
   */
  patch(
    api: ApiVersion,
    id: number,
    assignments: Assignment[],
    patched: Record<string, unknown>,
  ): void {
    const v = this.versions[api];
    if (v.added.has(id)) {
      v.added.set(id, structuredClone(patched));
      return;
    }
    v.patches.set(id, [...(v.patches.get(id) ?? []), ...assignments]);
  }

  remove(api: ApiVersion, id: number): void {
    const v = this.versions[api];
    v.patches.delete(id);
    if (!v.added.delete(id)) v.removed.add(id);
  }

  clear(): void {
    for (const api of API_VERSIONS) this.versions[api] = emptyVersion();
  }

  summary(): Record<ApiVersion, OverlaySummary> {
    const describe = (v: VersionOverlay): OverlaySummary => ({
      added: [...v.added.keys()],
      patched: Object.fromEntries(
        [...v.patches].map(([id, list]) => [
          String(id),
          Object.fromEntries(list.map((a) => [a.source, a.value])),
        ]),
      ),
      removed: [...v.removed],
    });
    return { v1: describe(this.versions.v1), v2: describe(this.versions.v2) };
  }

  /**
   * `state` with the edits applied: removed tasks left out, patches applied,
   * added tasks at the end of the list. A patch that no longer fits its task
   * (the replay moved the task on) or would break the contract is left out,
   * and said so in `rejected`. `accept` checks one task against the contract.
   */
  apply(
    state: ReplayState,
    accept: (api: ApiVersion, task: unknown) => string | undefined,
  ): { state: ReplayState; rejected: OverlayRejection[] } {
    if (this.isEmpty) return { state, rejected: [] };

    const rejected: OverlayRejection[] = [];
    const build = (api: ApiVersion, tasks: readonly unknown[]): unknown[] => {
      const v = this.versions[api];
      const out: unknown[] = [];
      for (const task of tasks as Record<string, unknown>[]) {
        const id = task[ID_FIELD[api]] as number;
        // An added task hides a replay task that later takes its id: ids stay unique.
        if (v.removed.has(id) || v.added.has(id)) continue;
        const patches = v.patches.get(id);
        if (patches === undefined) {
          out.push(task);
          continue;
        }

        const patched = structuredClone(task);
        const fits = patches.every((a) => assignAt(patched, a.segments, structuredClone(a.value)));
        const reason = fits ? accept(api, patched) : 'a patched field has no place in the task now';
        if (reason !== undefined) rejected.push({ api, id, reason });
        out.push(reason === undefined ? patched : task);
      }
      return [...out, ...v.added.values()];
    };

    const next = { v1: build('v1', state.v1), v2: build('v2', state.v2) } as ReplayState;
    return { state: next, rejected };
  }
}

function emptyVersion(): VersionOverlay {
  return { added: new Map(), patches: new Map(), removed: new Set() };
}
