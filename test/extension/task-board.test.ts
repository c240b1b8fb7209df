import assert from 'node:assert/strict';
import { startMockServer, type MockServer } from '@running-tasks/mock-server';
import {
  TaskBoard,
  tickPeriodMs,
  type BoardSummary,
  type TaskTransition,
} from '../../extension/src/core/task-board';
import type { TreeNode } from '../../extension/src/core/tree-node';
import { viewOfV2Task } from '../../extension/src/core/task-view';
import { backendAt, FAST_TIMING } from './helpers/feed';
import { v2Task } from './helpers/task-fixtures';
import { outline } from './helpers/model';
import { nextEvent } from './helpers/wait';

describe('TaskBoard against the mock', () => {
  let server: MockServer;
  let board: TaskBoard;

  beforeEach(async () => {
    server = await startMockServer({ port: 0, logger: false, paused: true });
    board = new TaskBoard({ timing: FAST_TIMING });
  });
  afterEach(async () => {
    board.dispose();
    await server.close();
  });

  function show(...versions: ('v1' | 'v2')[]) {
    board.setBackends(
      versions.map((v) => ({ config: { ...backendAt(server.url, v), id: v, label: `mock ${v}` } })),
      new Map(),
    );
  }

  it("shows the mock's page examples as the first tree", async () => {
    const populated = nextEvent(board.onDidChangeSummary, (s) => s.taskCount === 2);
    show('v1', 'v2');
    await populated;

    const lines = outline(board.model, 2).map((l) => l.replace(/ · ≥ \d+s$/, ''));
    assert.deepEqual(lines, [
      'mock v1 | V1 · live',
      '  demo-pipeline | 1 task',
      '    #39 | running · yaoshipu',
      'mock v2 | V2 · live',
      '  test-pipeline | 1 task',
      '    #1 | running · yaoshipu',
    ]);
  });

  it('changes the tree as the mock timeline moves, refreshing only what changed', async () => {
    const populated = nextEvent(board.onDidChangeSummary, (s) => s.taskCount === 1);
    show('v2');
    await populated;

    // At 3 s the example's build sub-task starts: one task row changes, nothing else.
    const changed = nextEvent(board.onDidChangeTree, (nodes) => nodes !== undefined);
    server.replay.seek(3500);
    const nodes = (await changed) as TreeNode[];
    assert.deepEqual(
      nodes.map((n) => n.id),
      ['backend/v2/task/v2:1'],
    );

    // At 5 s a second pipeline enters: the backend's children change.
    const entered = nextEvent(board.onDidChangeSummary, (s) => s.taskCount === 2);
    server.replay.seek(5500);
    await entered;
    assert.deepEqual(outline(board.model, 1).slice(1), [
      '  deploy-pipeline | 1 task',
      '  test-pipeline | 1 task',
    ]);
  });

  it('reports a task that reaches a terminal state', async () => {
    const populated = nextEvent(board.onDidChangeSummary, (s) => s.taskCount >= 1);
    show('v2');
    await populated;

    const finished = nextEvent<TaskTransition[]>(board.onTaskTransitions);
    server.replay.seek(24_500);
    assert.deepEqual(
      (await finished).map((t) => [t.kind, t.task.id, t.task.status]),
      [['finished', 1, 'passed']],
    );
  });

  it('marks the tree stale, not empty, when the mock goes away after data was shown', async () => {
    const populated = nextEvent(board.onDidChangeSummary, (s) => s.taskCount === 1);
    show('v2');
    await populated;

    const stale = nextEvent<BoardSummary>(
      board.onDidChangeSummary,
      (s) => s.staleBackends.length > 0,
    );
    await server.close();
    const summary = await stale;

    assert.deepEqual(summary.staleBackends, ['v2']);
    assert.equal(summary.welcome, undefined);
    assert.equal(summary.taskCount, 1);
  });

  it('shows the welcome view when the only backend was never reachable', async () => {
    const url = server.url;
    await server.close();

    const welcome = nextEvent(board.onDidChangeSummary, (s) => s.welcome === 'unreachable');
    const refreshAll = nextEvent(board.onDidChangeTree, (nodes) => nodes === undefined);
    board.setBackends([{ config: backendAt(url, 'v2') }], new Map());
    await welcome;
    await refreshAll;

    assert.deepEqual(board.model.roots(), []);
  });
});

describe('TaskBoard transitions', () => {
  it('reports a task that leaves the list while running, not one that had finished', () => {
    const board = new TaskBoard();
    // The model alone, no feeds: snapshots are applied by hand.
    board.model.setBackends([{ config: backendAt('http://127.0.0.1:1', 'v2') }]);
    const seen: TaskTransition[][] = [];
    board.onTaskTransitions((t) => seen.push(t));

    const running = viewOfV2Task(v2Task({ task_id: 1 }));
    const passed = viewOfV2Task(v2Task({ task_id: 2, status: 'passed' }));
    board.applySnapshot('test', [running, passed], 1);
    board.applySnapshot('test', [], 2);

    assert.deepEqual(
      seen.flat().map((t) => [t.kind, t.task.id]),
      [['left', 1]],
    );
    board.dispose();
  });
});

describe('TaskBoard elapsed-time ticks', () => {
  it('ticks every second for a small tree and more slowly for a large one', () => {
    assert.deepEqual([1, 100, 101, 500, 1000].map(tickPeriodMs), [1000, 1000, 5000, 5000, 15_000]);
  });

  it('skips a tick that is not yet due', () => {
    const board = new TaskBoard();
    board.model.setBackends([{ config: backendAt('http://127.0.0.1:1', 'v2') }]);
    const start = Math.floor(Date.now() / 1000) * 1000;
    // 101 tasks: a tick is due every 5 s, though the labels change every second.
    const tasks = Array.from({ length: 101 }, (_, i) =>
      viewOfV2Task(v2Task({ task_id: i + 1, start_time: start / 1000 - 10 })),
    );
    board.applySnapshot('test', tasks, start);
    let refreshes = 0;
    board.onDidChangeTree(() => (refreshes += 1));

    board.tick(start + 1000);
    board.tick(start + 3000);
    assert.equal(refreshes, 1);

    board.tick(start + 6000);
    assert.equal(refreshes, 2);
    board.dispose();
  });
});
