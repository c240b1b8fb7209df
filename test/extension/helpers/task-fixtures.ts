import type { V1Task, V2SubTask, V2Task } from '@running-tasks/contracts';
import { pageExamples } from '../../helpers/page-examples';

const EXAMPLES = pageExamples();

/** The API page's V1 example (task 39), with fields overridden. */
export function v1Task(overrides: Partial<V1Task> = {}): V1Task {
  return { ...(structuredClone(EXAMPLES.v1[0]) as V1Task), ...overrides };
}

/** The sub-task of the page's V2 example, with fields overridden. */
export function v2SubTask(overrides: Partial<V2SubTask> = {}): V2SubTask {
  const example = structuredClone(EXAMPLES.v2[0]) as V2Task;
  return { ...example.sub_tasks[0], ...overrides };
}

/** The API page's V2 example (task 1), with fields overridden. */
export function v2Task(overrides: Partial<V2Task> = {}): V2Task {
  return { ...(structuredClone(EXAMPLES.v2[0]) as V2Task), ...overrides };
}

/** `count` V2 tasks over `pipelines` pipelines, ids from 1, started `ageSeconds` before now. */
export function manyV2Tasks(count: number, pipelines = 10, ageSeconds = 60): V2Task[] {
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) =>
    v2Task({
      task_id: i + 1,
      pipeline_name: `pipeline-${i % pipelines}`,
      create_time: now - ageSeconds,
      start_time: now - ageSeconds,
      end_time: now - ageSeconds,
      sub_tasks: [
        v2SubTask({ status: 'running' }),
        v2SubTask({ type: 'deploy', status: 'created' }),
      ],
    }),
  );
}
