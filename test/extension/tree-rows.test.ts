import assert from 'node:assert/strict';
import { viewOfV2Task } from '../../extension/src/core/task-view';
import { liveModel, row } from './helpers/model';
import { v2SubTask, v2Task } from './helpers/task-fixtures';

describe('tree rows', () => {
  it('puts the full record in the task tooltip, escaped so that data is never markup', () => {
    const model = liveModel('b');
    const task = v2Task({
      pipeline_name: '[click](command:workbench.action.quit)',
      sub_tasks: [v2SubTask({ commit_message: 'fix ``` fences' })],
    });
    model.applySnapshot('b', [viewOfV2Task(task)], Date.now());
    const tooltip = row(model, model.findTask('b', 'v2:1')!).tooltip ?? '';

    assert.ok(tooltip.includes('\\[click\\]\\(command:workbench\\.action\\.quit\\)'));
    assert.ok(tooltip.includes('````json\n'), 'the fence outgrows the backticks inside');
    assert.ok(tooltip.includes('"commit_message": "fix ``` fences"'));
  });

  it('gives each status its icon and colour, spinning while running', () => {
    const model = liveModel('b');
    const statuses = ['running', 'passed', 'failed', 'timeout', 'cancelled', 'waiting'];
    model.applySnapshot(
      'b',
      statuses.map((status, i) => viewOfV2Task(v2Task({ task_id: i + 1, status }))),
      Date.now(),
    );

    const icons = statuses.map((_, i) => row(model, model.findTask('b', `v2:${i + 1}`)!).icon);
    assert.deepEqual(icons, [
      { id: 'sync~spin', color: 'charts.blue' },
      { id: 'pass', color: 'testing.iconPassed' },
      { id: 'error', color: 'testing.iconFailed' },
      { id: 'watch', color: 'testing.iconFailed' },
      { id: 'circle-slash', color: 'disabledForeground' },
      { id: 'clock', color: undefined },
    ]);
  });

  it('offers the task context menu only on task rows', () => {
    const model = liveModel('b');
    model.applySnapshot('b', [viewOfV2Task(v2Task())], Date.now());
    const task = model.findTask('b', 'v2:1')!;

    assert.equal(row(model, task).contextValue, 'task');
    assert.equal(row(model, model.children(task)[0]).contextValue, 'stage');
  });
});
