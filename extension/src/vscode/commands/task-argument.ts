import type { TaskView } from '../../core/task-view';

/** A task a command was invoked on: a task row, or a notification's `{ backendId, task }`. */
export interface TaskArgument {
  backendId: string;
  task: TaskView;
}

export function taskArgumentOf(arg: unknown): TaskArgument | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;

  const { backendId, task } = arg as Partial<TaskArgument>;
  if (typeof backendId !== 'string' || typeof task !== 'object' || task === null) return undefined;
  return { backendId, task };
}
