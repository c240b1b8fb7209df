import assert from 'node:assert/strict';
import { taskBrowserUrl } from '../../extension/src/core/browser-url';
import { ERROR_CODES } from '../../extension/src/core/errors';
import { viewOfV2Task } from '../../extension/src/core/task-view';
import { backendConfig } from './helpers/model';
import { v2Task } from './helpers/task-fixtures';

describe('taskBrowserUrl', () => {
  const task = viewOfV2Task(v2Task({ task_id: 12, pipeline_name: 'web app/main' }));

  it('fills the placeholders, encoding the pipeline name', () => {
    const backend = backendConfig('b', {
      baseUrl: 'https://ci.example.com',
      browserUrlTemplate: '{baseUrl}/pipelines/{pipeline}/tasks/{id}?v={version}&x={unknown}',
    });
    assert.equal(
      taskBrowserUrl(backend, task),
      'https://ci.example.com/pipelines/web%20app%2Fmain/tasks/12?v=v2&x={unknown}',
    );
  });

  it('returns nothing when no template is set', () => {
    assert.equal(taskBrowserUrl(backendConfig('b'), task), undefined);
  });

  it('refuses a template that does not make an http(s) URL', () => {
    const backend = backendConfig('b', {
      browserUrlTemplate: 'command:workbench.action.quit?{id}',
    });
    assert.throws(() => taskBrowserUrl(backend, task), { code: ERROR_CODES.CONFIG });
  });
});
