import assert from 'node:assert/strict';
import {
  commitText,
  formatSeconds,
  pullRequestOfRef,
  viewOfV1Task,
  viewOfV2Task,
} from '../../extension/src/core/task-view';
import { v1Task, v2SubTask, v2Task } from './helpers/task-fixtures';

describe('task views', () => {
  it('turns the four V1 stage objects into stages with their details', () => {
    const view = viewOfV1Task(v1Task());

    assert.equal(view.key, 'v1:39');
    assert.deepEqual(
      view.stages.map((s) => [s.name, s.status]),
      [
        ['build', 'running'],
        ['test', 'created'],
        ['deploy', 'created'],
        ['distribute', 'created'],
      ],
    );
    assert.deepEqual(view.stages[0]?.details, [
      { field: 'repo', value: 'yaoshipu/sample-helloworld' },
      { field: 'branch', value: 'master' },
      { field: 'commit', value: '0c4f215 Test' },
      { field: 'pullRequest', value: '#1' },
      { field: 'tag', value: '20170711-v39-master' },
    ]);
  });

  it('turns V2 sub-tasks into stages with branch, commit, pull request, image and timeout', () => {
    const view = viewOfV2Task(v2Task());

    assert.equal(view.key, 'v2:1');
    assert.equal(view.startedAt, 1507107939);
    assert.deepEqual(
      Object.fromEntries(view.stages[0]?.details.map((d) => [d.field, d.value]) ?? []),
      {
        repo: 'yaoshipu/sample-helloworld',
        branch: 'master',
        commit: 'e96fb0b test drone yml update',
        pullRequest: '#6',
        image: 'image full name',
        package: 'build service kodo package file',
        timeout: '1h',
      },
    );
  });

  it('starts a V2 task at its creation time while start_time is still 0', () => {
    assert.equal(
      viewOfV2Task(v2Task({ start_time: 0, create_time: 1700000000 })).startedAt,
      1700000000,
    );
  });

  it('keeps two sub-tasks of one type apart', () => {
    const view = viewOfV2Task(v2Task({ sub_tasks: [v2SubTask(), v2SubTask()] }));
    assert.deepEqual(
      view.stages.map((s) => s.key),
      ['0', '1'],
    );
  });

  it('shortens commits and reads pull requests from refs', () => {
    assert.equal(commitText('abcdef0123', 'first line\nsecond'), 'abcdef0 first line');
    assert.equal(commitText('', ''), '');
    assert.equal(pullRequestOfRef('refs/pull/12/head'), '#12');
    assert.equal(pullRequestOfRef('refs/heads/main'), '');
    assert.equal(formatSeconds(5400), '1h 30m');
    assert.equal(formatSeconds(0), '0s');
  });
});
