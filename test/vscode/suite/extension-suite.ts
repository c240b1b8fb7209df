// Runs inside the VS Code extension host only (it imports `vscode`); named so that the root
// mocha run, which picks up test/**/*.test.ts, leaves it alone.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ApiRow, RunningTasksApi } from '../../../extension/src/vscode/extension-api';
import { e2eConfig } from './e2e-config';
import { waitFor } from './wait';

const EXTENSION_ID = 'running-tasks.running-tasks-vscode';
const config = e2eConfig();

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('runningTasks');
}

async function configure(values: Record<string, unknown>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    await settings().update(key, value, vscode.ConfigurationTarget.Workspace);
  }
}

function labels(rows: ApiRow[], depth?: number): string[] {
  return rows.filter((r) => depth === undefined || r.depth === depth).map((r) => r.label);
}

/** The rows under the root labelled `root`, until the next root. */
function under(rows: ApiRow[], root: string): ApiRow[] {
  const start = rows.findIndex((r) => r.depth === 0 && r.label === root);
  if (start < 0) return [];
  const end = rows.findIndex((r, i) => i > start && r.depth === 0);
  return rows.slice(start + 1, end < 0 ? undefined : end);
}

describe('Pipeline Tasks in a real VS Code', () => {
  let api: RunningTasksApi;
  const initial = {
    backendUrl: config.mockUrl,
    backendName: 'Mock V2',
    apiVersion: 'v2',
    additionalBackends: [
      { name: 'Mock V1', url: config.mockUrl, apiVersion: 'v1' },
      { name: 'Secured', url: config.securedUrl },
    ],
  };

  before(async () => {
    const extension = vscode.extensions.getExtension<RunningTasksApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    await configure(initial);
    // A token left by an earlier window of the same profile would skip the 401 this suite checks.
    await vscode.commands.executeCommand('runningTasks.clearToken', 'extra-secured');
  });

  after(async () => {
    await vscode.commands.executeCommand('runningTasks.clearToken', 'extra-secured');
  });

  it('activates and registers every command', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'refresh',
      'openInBrowser',
      'copyTaskId',
      'startLocalMock',
      'stopLocalMock',
      'showLog',
      'setToken',
    ]) {
      assert.ok(commands.includes(`runningTasks.${id}`), id);
    }
  });

  it("shows the mock's tasks with the right labels", async () => {
    const rows = await waitFor('both mock roots to be populated', () => {
      const all = api.rows(2);
      return (
        labels(under(all, 'Mock V1')).includes('#39') &&
        labels(under(all, 'Mock V2')).includes('#1') &&
        all
      );
    });

    assert.deepEqual(labels(rows, 0), ['Mock V2', 'Mock V1', 'Secured']);
    const v1 = under(rows, 'Mock V1');
    assert.deepEqual(labels(v1), ['demo-pipeline', '#39']);
    assert.match(v1[1]?.description ?? '', /^running · yaoshipu · /);
    assert.deepEqual(labels(under(rows, 'Mock V2')), ['test-pipeline', '#1']);
  });

  it('changes the tree when the mock timeline moves', async () => {
    const response = await fetch(`${config.controlUrl}/seek?ms=6500`, { method: 'POST' });
    assert.equal(response.status, 204);

    const rows = await waitFor('the tasks that enter at 4 s and 5 s', () => {
      const all = api.rows(2);
      const v1 = labels(under(all, 'Mock V1'));
      const v2 = labels(under(all, 'Mock V2'));
      return v1.includes('web-frontend') && v2.includes('deploy-pipeline') && all;
    });
    assert.deepEqual(labels(under(rows, 'Mock V2'), 1), ['deploy-pipeline', 'test-pipeline']);

    const stages = await waitFor('the build stage of #39 to pass', () => {
      const all = api.rows(4);
      const task = all.find((r) => r.id.endsWith('/task/v1:39'));
      const build = all.find((r) => r.id === `${task?.id}/stage/build`);
      return build?.description.startsWith('passed') && all;
    });
    assert.ok(
      stages.some(
        (r) => r.id.endsWith('/task/v1:39/stage/test') && r.description.startsWith('running'),
      ),
    );
  });

  it('stores the token in secret storage and never in settings', async () => {
    const secured = under(api.rows(1), 'Secured');
    assert.deepEqual(labels(secured), ['This backend needs an API token']);

    const stored = await vscode.commands.executeCommand<boolean>('runningTasks.setToken', {
      backendId: 'extra-secured',
      token: config.token,
    });
    assert.equal(stored, true);
    assert.equal(await api.hasToken('extra-secured'), true);

    await waitFor('the secured backend to list tasks with the token', () =>
      labels(under(api.rows(2), 'Secured')).includes('#1'),
    );

    const inspected = JSON.stringify(settings());
    assert.ok(!inspected.includes(config.token), 'not in any setting value');
    for (const file of config.settingsFiles.filter((f) => existsSync(f))) {
      assert.ok(!readFileSync(file, 'utf8').includes(config.token), `not in ${file}`);
    }
  });

  it('copies a task id to the clipboard', async () => {
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('runningTasks.copyTaskId', {
      backendId: 'extra-mock-v1',
      task: { id: 39 },
    });

    assert.equal(await vscode.env.clipboard.readText(), '39');
  });

  it('shows an error row for an unreachable backend', async () => {
    await configure({
      additionalBackends: [
        ...initial.additionalBackends,
        { name: 'Gone', url: 'http://127.0.0.1:9' },
      ],
    });

    // "Connecting…" comes first; the error row replaces it once the connection fails.
    const gone = await waitFor('the unreachable row', () => {
      const rows = under(api.rows(1), 'Gone');
      return rows[0]?.label === 'Cannot reach the backend' && rows;
    });
    assert.equal(gone.length, 1);
    await configure({ additionalBackends: initial.additionalBackends });
  });

  it('asks for the welcome view when no backend is configured', async () => {
    await configure({ backendUrl: '', additionalBackends: [] });
    await waitFor('the welcome state', () => api.summary().welcome === 'unconfigured');
    assert.deepEqual(api.rows(), []);

    await configure(initial);
    await waitFor('the tree to come back', () => api.rows(0).length === 3);
  });

  it('starts the local mock on a free port, points the tree at it, and stops it', async () => {
    await configure({
      backendUrl: '',
      additionalBackends: [],
      'localMock.command': config.cliPath,
    });
    await waitFor('the welcome state', () => api.summary().welcome === 'unconfigured');

    const url = await vscode.commands.executeCommand<string | undefined>(
      'runningTasks.startLocalMock',
    );
    assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(api.mockUrl(), url);
    await waitFor('the local mock root with the V2 example', () => {
      const rows = api.rows(2);
      return (
        labels(rows, 0).join() === 'Local mock' && labels(under(rows, 'Local mock')).includes('#1')
      );
    });

    await vscode.commands.executeCommand('runningTasks.stopLocalMock');
    assert.equal(api.mockUrl(), undefined);
    await assert.rejects(fetch(`${url}/api/v2/tasks/running`), 'the mock process is gone');
    await waitFor('the welcome state again', () => api.summary().welcome === 'unconfigured');

    await configure({ ...initial, 'localMock.command': undefined });
  });
});
