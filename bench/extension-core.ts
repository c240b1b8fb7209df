import { performance } from 'node:perf_hooks';
import type { V2SubTask, V2Task } from '@running-tasks/contracts';
import { decodeTaskList } from '../extension/src/core/payload-decoder';
import { TaskBoard } from '../extension/src/core/task-board';
import { viewOfV2Task, type TaskView } from '../extension/src/core/task-view';
import type { TreeNode } from '../extension/src/core/tree-node';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

const TASKS = 1000;
const CHANGED_PER_SNAPSHOT = 5;

/**
 * Applies 1,000-task snapshots, each with a few tasks changed, to the extension's store and
 * tree model (diff plus change events), as a websocket frame would. Reports the median and
 * p95 apply time, the tree nodes refreshed per snapshot, and, separately, the cost of
 * parsing and validating such a frame, which happens before the apply.
 */
export async function benchExtensionCore(
  options: { iterations?: number } = {},
): Promise<BenchResult[]> {
  const iterations = Math.min(Math.max(options.iterations ?? 200, 5), 1000);
  const tasks = makeTasks();
  const board = new TaskBoard();
  board.model.setBackends([
    {
      config: {
        id: 'bench',
        label: 'bench',
        baseUrl: 'http://127.0.0.1:4010',
        apiVersion: 'v2',
        authHeader: 'bearer',
        browserUrlTemplate: '',
      },
    },
  ]);
  board.model.setFeedState('bench', { kind: 'live', transport: 'websocket' });

  let refreshed = 0;
  board.onDidChangeTree((nodes: readonly TreeNode[] | undefined) => {
    refreshed += nodes ? nodes.length : TASKS;
  });
  board.applySnapshot('bench', tasks.map(viewOfV2Task), Date.now());

  // Let the first apply's garbage and any pending I/O settle before timing.
  await new Promise((resolve) => setImmediate(resolve));
  const applyMs: number[] = [];
  refreshed = 0;
  for (let i = 0; i < iterations; i++) {
    const views = nextSnapshot(tasks, i);
    const start = performance.now();
    board.applySnapshot('bench', views, Date.now());
    applyMs.push(performance.now() - start);
  }
  const refreshedPerSnapshot = refreshed / iterations;

  const frame = JSON.stringify(tasks);
  const decodeMs: number[] = [];
  for (let i = 0; i < Math.min(iterations, 30); i++) {
    const start = performance.now();
    decodeTaskList('v2', frame, 'bench');
    decodeMs.push(performance.now() - start);
  }
  // A whole update as the client makes it: the frame's text in, the tree refreshed.
  const updateMs: number[] = [];
  for (let i = 0; i < Math.min(iterations, 100); i++) {
    const text = JSON.stringify(nextTasks(tasks, iterations + i));
    const start = performance.now();
    board.applySnapshot('bench', decodeTaskList('v2', text, 'bench').tasks, Date.now());
    updateMs.push(performance.now() - start);
  }
  board.dispose();

  return [
    {
      name: 'extension: apply 1,000-task snapshot, median',
      value: round(percentile(applyMs, 50)),
      unit: 'ms',
    },
    {
      name: 'extension: apply 1,000-task snapshot, p95',
      value: round(percentile(applyMs, 95)),
      unit: 'ms',
    },
    {
      name: 'extension: tree nodes refreshed per snapshot',
      value: refreshedPerSnapshot,
      unit: 'nodes',
    },
    {
      name: 'extension: parse and validate 1,000-task frame, median',
      value: round(percentile(decodeMs, 50)),
      unit: 'ms',
    },
    {
      name: 'extension: whole update (parse, validate, map, apply), median',
      value: round(percentile(updateMs, 50)),
      unit: 'ms',
    },
    {
      name: 'extension: whole update (parse, validate, map, apply), p95',
      value: round(percentile(updateMs, 95)),
      unit: 'ms',
    },
  ];
}

function makeTasks(): V2Task[] {
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: TASKS }, (_, i) => ({
    task_id: i + 1,
    pipeline_name: `pipeline-${i % 25}`,
    status: 'running',
    task_creator: `user-${i % 40}`,
    create_time: now - 600,
    start_time: now - 590,
    end_time: now - 600,
    sub_tasks: [subTask('build', 'running', i), subTask('deploy', 'created', i)],
  }));
}

function subTask(type: string, status: string, i: number): V2SubTask {
  return {
    type,
    status,
    branch: `feature/${i}`,
    commit_id: (i * 7919).toString(16).padStart(40, '0'),
    commit_message: `change ${i}`,
    image: `registry.example.com/app:${i}`,
    package_file: `app-${i}.tar.gz`,
    pull_request_id: i,
    repo_name: 'app',
    repo_owner: 'team',
    timeout: 3600,
  };
}

/** A fresh snapshot (new objects, as after JSON.parse) with a few tasks' statuses changed. */
function nextTasks(tasks: readonly V2Task[], round: number): V2Task[] {
  const changed = new Set(
    Array.from({ length: CHANGED_PER_SNAPSHOT }, (_, k) => (round * 97 + k * 131) % tasks.length),
  );
  return tasks.map((task, i) => {
    const copy = structuredClone(task);
    if (changed.has(i)) copy.sub_tasks[0].status = round % 2 ? 'running' : 'passed';
    return copy;
  });
}

function nextSnapshot(tasks: readonly V2Task[], round: number): TaskView[] {
  return nextTasks(tasks, round).map(viewOfV2Task);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
