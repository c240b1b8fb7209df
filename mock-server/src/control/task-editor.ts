import { formatDiagnostics, type ContractValidators } from '@running-tasks/contracts';
import {
  BadControlRequestError,
  ControlConflictError,
  ControlNotFoundError,
  TaskInvalidError,
} from '../errors';
import { assignAt, assignmentPathProblem, parseAssignmentPath } from '../scenario/assignment-path';
import { NOW_TOKEN, type ApiVersion, type Assignment } from '../scenario/scenario';
import type { SnapshotStore } from '../snapshot-store';
import { ID_FIELD, type TaskOverlay } from './task-overlay';

/**
 * Adds, changes and removes tasks by hand, checking each edit against the
 * contract as the scenario loader checks fixtures. Edits land in the
 * overlay; `publish` puts the result on the wire at once.
 */
export class TaskEditor {
  constructor(
    private readonly overlay: TaskOverlay,
    private readonly store: SnapshotStore,
    private readonly validators: () => ContractValidators,
    private readonly publish: () => void,
  ) {}

  /** Adds `task` at the end of the list; its id must not be in the list now. */
  add(api: ApiVersion, task: unknown): Record<string, unknown> {
    this.check(api, task, 'the task breaks the contract');
    const record = task as Record<string, unknown>;
    const id = record[ID_FIELD[api]] as number;
    if (this.find(api, id) !== undefined)
      throw new ControlConflictError(
        `a ${api} task with ${ID_FIELD[api]} ${id} is already running`,
      );

    this.overlay.add(api, record);
    this.publish();
    return record;
  }

  /**
   * Changes fields of the running task `id`, written as a scenario's `set`:
   * `{ "build_task.status": "failed", "updated": "$now" }`. Returns the task
   * as it is now.
   */
  patch(api: ApiVersion, id: number, set: unknown): Record<string, unknown> {
    const current = this.find(api, id);
    if (current === undefined) throw new ControlNotFoundError(`no ${api} task ${id} is running`);
    const assignments = readAssignments(set, ID_FIELD[api]);

    const patched = structuredClone(current);
    for (const a of assignments) {
      if (!assignAt(patched, a.segments, structuredClone(a.value)))
        throw new BadControlRequestError(`task ${id} has no field to hold ${a.source}`);
    }
    this.check(api, patched, `the change makes task ${id} break the contract`);

    this.overlay.patch(api, id, assignments, patched);
    this.publish();
    return patched;
  }

  remove(api: ApiVersion, id: number): void {
    if (this.find(api, id) === undefined)
      throw new ControlNotFoundError(`no ${api} task ${id} is running`);
    this.overlay.remove(api, id);
    this.publish();
  }

  clear(): void {
    this.overlay.clear();
    this.publish();
  }

  /** The task with `id` in the list as served now. */
  private find(api: ApiVersion, id: number): Record<string, unknown> | undefined {
    const tasks = this.store.get(api).tasks as readonly Record<string, unknown>[];
    return tasks.find((t) => t[ID_FIELD[api]] === id);
  }

  private check(api: ApiVersion, task: unknown, message: string): void {
    const validate = api === 'v1' ? this.validators().v1Task : this.validators().v2Task;
    const result = validate(task);
    if (result.valid) return;
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    throw new TaskInvalidError(`${message}:\n${formatDiagnostics(errors)}`, errors);
  }
}

/** Reads a `set` map; `$now` is the Unix seconds of this moment. */
function readAssignments(set: unknown, idField: string): Assignment[] {
  if (
    set === null ||
    typeof set !== 'object' ||
    Array.isArray(set) ||
    Object.keys(set).length === 0
  )
    throw new BadControlRequestError(
      'the body is { "set": { "field.path": value, ... } } with at least one field',
    );

  const now = Math.floor(Date.now() / 1000);
  return Object.entries(set as Record<string, unknown>).map(([source, value]) => {
    const segments = parseAssignmentPath(source);
    if (segments === undefined)
      throw new BadControlRequestError(`"${source}" ${assignmentPathProblem(source)}`);
    if (segments.length === 1 && segments[0] === idField)
      throw new BadControlRequestError(
        `${idField} cannot be changed; remove the task and add another`,
      );
    return { source, segments, value: value === NOW_TOKEN ? now : value };
  });
}
