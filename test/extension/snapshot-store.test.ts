import assert from 'node:assert/strict';
import { jsonEqual } from '../../extension/src/core/json-equal';
import { TaskSnapshotStore } from '../../extension/src/core/snapshot-store';
import { viewOfV2Task } from '../../extension/src/core/task-view';
import { v2SubTask, v2Task } from './helpers/task-fixtures';

describe('TaskSnapshotStore', () => {
  it('lists every task of the first snapshot as added', () => {
    const store = new TaskSnapshotStore();
    const diff = store.apply(
      [viewOfV2Task(v2Task({ task_id: 1 })), viewOfV2Task(v2Task({ task_id: 2 }))],
      1000,
    );

    assert.deepEqual(
      diff.added.map((t) => t.key),
      ['v2:1', 'v2:2'],
    );
    assert.equal(diff.removed.length + diff.changed.length, 0);
    assert.equal(store.size, 2);
    assert.equal(store.lastUpdateAt, 1000);
  });

  it('reports added, removed and changed tasks and nothing for unchanged ones', () => {
    const store = new TaskSnapshotStore();
    store.apply(
      [1, 2, 3].map((id) => viewOfV2Task(v2Task({ task_id: id }))),
      1000,
    );

    const diff = store.apply(
      [
        viewOfV2Task(v2Task({ task_id: 1 })),
        viewOfV2Task(v2Task({ task_id: 2, sub_tasks: [v2SubTask({ status: 'passed' })] })),
        viewOfV2Task(v2Task({ task_id: 4 })),
      ],
      2000,
    );

    assert.deepEqual(
      diff.added.map((t) => t.key),
      ['v2:4'],
    );
    assert.deepEqual(
      diff.removed.map((t) => t.key),
      ['v2:3'],
    );
    assert.deepEqual(
      diff.changed.map((c) => [c.before.stages[0]?.status, c.after.stages[0]?.status]),
      [[undefined, 'passed']],
    );
  });

  it('remembers when each task was first seen, across snapshots', () => {
    const store = new TaskSnapshotStore();
    store.apply([viewOfV2Task(v2Task({ task_id: 1 }))], 1000);
    store.apply(
      [1, 2].map((id) => viewOfV2Task(v2Task({ task_id: id }))),
      5000,
    );

    assert.equal(store.firstSeenAt('v2:1'), 1000);
    assert.equal(store.firstSeenAt('v2:2'), 5000);
  });

  it('keeps the last entry when a snapshot lists a task twice', () => {
    const store = new TaskSnapshotStore();
    store.apply(
      [viewOfV2Task(v2Task({ status: 'running' })), viewOfV2Task(v2Task({ status: 'passed' }))],
      1,
    );

    assert.equal(store.size, 1);
    assert.equal(store.get('v2:1')?.status, 'passed');
  });
});

describe('jsonEqual', () => {
  it('compares nested objects and arrays by value', () => {
    assert.ok(jsonEqual({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] }));
    assert.ok(!jsonEqual({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] }));
    assert.ok(!jsonEqual({ a: 1 }, { a: 1, b: undefined }));
    assert.ok(!jsonEqual([1], { 0: 1 }));
    assert.ok(!jsonEqual(null, {}));
  });
});
