import assert from 'node:assert/strict';
import {
  AuthFailedError,
  BadPayloadError,
  UnreachableError,
} from '../../extension/src/core/errors';
import { viewOfV1Task, viewOfV2Task } from '../../extension/src/core/task-view';
import { TaskTreeModel } from '../../extension/src/core/task-tree-model';
import type { TaskNode } from '../../extension/src/core/tree-node';
import { backendConfig, liveModel, outline, row } from './helpers/model';
import { v1Task, v2Task } from './helpers/task-fixtures';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const recent = (secondsAgo: number) => Math.floor(NOW / 1000) - secondsAgo;

describe('TaskTreeModel', () => {
  it('groups tasks by pipeline, newest first, with status, creator and elapsed time', () => {
    const model = liveModel('b');
    model.applySnapshot(
      'b',
      [
        viewOfV2Task(v2Task({ task_id: 1, pipeline_name: 'web', start_time: recent(65) })),
        viewOfV2Task(
          v2Task({ task_id: 2, pipeline_name: 'api', status: 'passed', start_time: recent(5) }),
        ),
        viewOfV2Task(v2Task({ task_id: 3, pipeline_name: 'web', start_time: recent(30) })),
      ],
      NOW,
    );

    assert.deepEqual(outline(model), [
      'b | V2 · live',
      '  api | 1 task',
      '    #2 | passed · yaoshipu · 5s',
      '  web | 2 tasks',
      '    #3 | running · yaoshipu · 30s',
      '    #1 | running · yaoshipu · 1m 05s',
    ]);
  });

  it('shows stages and their details under a task', () => {
    const model = liveModel('b');
    model.applySnapshot('b', [viewOfV1Task(v1Task({ created: recent(10) }))], NOW);
    const task = model.findTask('b', 'v1:39');
    assert.ok(task);

    const stages = model.children(task).map((n) => row(model, n));
    assert.deepEqual(
      stages.map((r) => `${r.label} | ${r.description} | ${r.icon?.id}`),
      [
        'build | running · master | sync~spin',
        'test | created | circle-outline',
        'deploy | created · 20170711-v39-master | circle-outline',
        'distribute | created · 20170711-v39-master | circle-outline',
      ],
    );
    const build = model.children(task)[0];
    assert.ok(build);
    assert.deepEqual(
      model.children(build).map((n) => `${row(model, n).label}: ${row(model, n).description}`),
      [
        'repository: yaoshipu/sample-helloworld',
        'branch: master',
        'commit: 0c4f215 Test',
        'pull request: #1',
        'tag: 20170711-v39-master',
      ],
    );
  });

  it('shows an unknown status as its raw text with a question mark', () => {
    const model = liveModel('b');
    model.applySnapshot(
      'b',
      [viewOfV2Task(v2Task({ status: 'levitating', start_time: recent(1) }))],
      NOW,
    );
    const r = row(model, model.findTask('b', 'v2:1')!);

    assert.equal(r.description, 'levitating · yaoshipu · 1s');
    assert.equal(r.icon?.id, 'question');
  });

  it('keeps node ids and node objects across snapshots', () => {
    const model = liveModel('b');
    model.applySnapshot('b', [viewOfV2Task(v2Task())], NOW);
    const before = model.findTask('b', 'v2:1');

    model.applySnapshot('b', [viewOfV2Task(v2Task({ status: 'passed' }))], NOW + 1000);
    const after = model.findTask('b', 'v2:1');

    assert.equal(after, before);
    assert.equal(after?.id, 'backend/b/task/v2:1');
    assert.equal(after?.task.status, 'passed');
  });

  it('reports only the changed task when a task changes in place', () => {
    const model = liveModel('b');
    const tasks = [1, 2, 3].map((id) => v2Task({ task_id: id }));
    model.applySnapshot('b', tasks.map(viewOfV2Task), NOW);

    const { changed } = model.applySnapshot(
      'b',
      [tasks[0], { ...tasks[1], status: 'failed' }, tasks[2]].map(viewOfV2Task),
      NOW,
    );

    assert.deepEqual(
      changed.map((n) => n.id),
      ['backend/b/task/v2:2'],
    );
  });

  it('reports a pipeline whose tasks change, and the backend when pipelines come or go', () => {
    const model = liveModel('b');
    model.applySnapshot('b', [viewOfV2Task(v2Task({ task_id: 1 }))], NOW);

    const joined = model.applySnapshot(
      'b',
      [1, 2].map((id) => viewOfV2Task(v2Task({ task_id: id }))),
      NOW,
    );
    assert.deepEqual(
      joined.changed.map((n) => n.id),
      ['backend/b/pipeline/test-pipeline'],
    );

    const other = model.applySnapshot(
      'b',
      [
        viewOfV2Task(v2Task({ task_id: 1 })),
        viewOfV2Task(v2Task({ task_id: 2, pipeline_name: 'x' })),
      ],
      NOW,
    );
    assert.deepEqual(
      other.changed.map((n) => n.id),
      ['backend/b'],
    );
  });

  it('reports nothing for a snapshot that changes nothing', () => {
    const model = liveModel('b');
    model.applySnapshot('b', [viewOfV2Task(v2Task())], NOW);

    assert.deepEqual(model.applySnapshot('b', [viewOfV2Task(v2Task())], NOW).changed, []);
  });

  it('ticks only running tasks whose elapsed text changed', () => {
    const model = liveModel('b');
    model.applySnapshot(
      'b',
      [
        viewOfV2Task(v2Task({ task_id: 1, start_time: recent(10) })),
        viewOfV2Task(v2Task({ task_id: 2, start_time: recent(7200) })),
        viewOfV2Task(v2Task({ task_id: 3, status: 'passed', start_time: recent(10) })),
      ],
      NOW,
    );

    const changed = model.tick(NOW + 1000) as TaskNode[];
    assert.deepEqual(
      changed.map((n) => n.task.id),
      [1],
    );
    assert.equal(changed[0]?.elapsed, '11s');
  });

  it('marks an elapsed time that counts from the first sighting', () => {
    const model = liveModel('b');
    model.applySnapshot('b', [viewOfV1Task(v1Task())], NOW - 3000);
    model.tick(NOW);

    assert.equal(
      row(model, model.findTask('b', 'v1:39')!).description,
      'running · yaoshipu · ≥ 3s',
    );
  });

  it('shows an error row with a retry while the backend is unreachable', () => {
    const model = new TaskTreeModel();
    model.setBackends([{ config: backendConfig('a') }, { config: backendConfig('b') }]);
    model.setFeedState('a', {
      kind: 'failing',
      error: new UnreachableError('http://x', {}),
      retryAt: NOW,
    });

    const [message] = model.messagesOf('a');
    assert.ok(message);
    assert.equal(row(model, message).label, 'Cannot reach the backend');
    assert.equal(row(model, message).command?.command, 'runningTasks.retryBackend');
    assert.deepEqual(row(model, message).command?.arguments, ['a']);
  });

  it('offers to set the token on 401', () => {
    const model = liveModel('b');
    model.setFeedState('b', {
      kind: 'failing',
      error: new AuthFailedError('http://x', false),
      retryAt: NOW,
    });
    const [message] = model.messagesOf('b');

    assert.equal(row(model, message).label, 'This backend needs an API token');
    assert.equal(row(model, message).command?.command, 'runningTasks.setToken');
    assert.equal(row(model, message).contextValue, 'message:auth');
  });

  it('keeps the last good tree after a bad payload and marks it stale', () => {
    const model = liveModel('b');
    model.applySnapshot('b', [viewOfV2Task(v2Task())], NOW);
    const problem = new BadPayloadError('websocket', [
      {
        severity: 'error',
        path: '$[0].task_id',
        keyword: 'type',
        message: 'must be integer, is string',
        schemaPath: '',
      },
    ]);

    const changed = model.setProblem('b', problem);

    assert.deepEqual(
      changed.map((n) => n.id),
      ['backend/b'],
    );
    assert.ok(model.isStale('b'));
    assert.deepEqual(outline(model, 1), [
      'b | V2 · stale',
      '  Rejected a payload that breaks the contract | $[0].task_id: must be integer, is string',
      '  test-pipeline | 1 task',
    ]);

    model.applySnapshot('b', [viewOfV2Task(v2Task())], NOW + 1);
    assert.ok(!model.isStale('b'));
    assert.equal(model.messagesOf('b').length, 0);
  });

  it('marks a tree stale, with its last update time, while the feed fails', () => {
    const model = liveModel('b');
    model.applySnapshot('b', [viewOfV2Task(v2Task())], NOW);
    model.setFeedState('b', {
      kind: 'failing',
      error: new UnreachableError('http://x'),
      retryAt: NOW,
    });

    assert.deepEqual(outline(model, 1).slice(0, 2), [
      'b | V2 · stale',
      `  Stale: last update at ${new Date(NOW).toISOString()} | cannot reach the backend`,
    ]);
  });

  it('asks for the welcome view when nothing is configured or every backend is unreachable', () => {
    const model = new TaskTreeModel();
    model.setBackends([]);
    assert.equal(model.welcomeState(), 'unconfigured');
    assert.deepEqual(model.roots(), []);

    model.setBackends([{ config: backendConfig('a') }]);
    assert.equal(model.welcomeState(), undefined);
    model.setFeedState('a', {
      kind: 'failing',
      error: new UnreachableError('http://x'),
      retryAt: NOW,
    });
    assert.equal(model.welcomeState(), 'unreachable');
    assert.deepEqual(model.roots(), []);
  });

  it('says "No running tasks" for an empty list', () => {
    const model = liveModel('b');
    model.applySnapshot('b', [], NOW);

    assert.deepEqual(outline(model), ['b | V2 · live', '  No running tasks']);
  });

  it('finds the parent of every node, for reveal', () => {
    const model = liveModel('b');
    model.applySnapshot('b', [viewOfV2Task(v2Task())], NOW);
    const task = model.findTask('b', 'v2:1')!;
    const stage = model.children(task)[0];
    const detail = model.children(stage)[0];

    assert.equal(model.parent(detail), stage);
    assert.equal(model.parent(stage), task);
    assert.equal(model.parent(task)?.id, 'backend/b/pipeline/test-pipeline');
    assert.equal(model.parent(model.parent(task)!)?.id, 'backend/b');
  });
});
