import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveMockCommand } from '../../extension/src/core/mock-command';

describe('resolveMockCommand', () => {
  const base = { execPath: '/opt/node', scenario: '' };

  it("finds the repository's CLI in a workspace folder and runs it with the host's Node", () => {
    const repo = path.resolve('/ws/repo');
    const main = path.join(repo, 'cli/dist/main.js');
    const command = resolveMockCommand({
      ...base,
      configured: '',
      workspaceFolders: ['/ws/other', repo],
      exists: (file) => file === main,
    });

    assert.deepEqual(command, {
      argv: ['/opt/node', main, 'mock', '--port', '0'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  });

  it('runs a configured program as it is, with the scenario', () => {
    const command = resolveMockCommand({
      ...base,
      configured: 'running-tasks',
      scenario: 'busy',
      workspaceFolders: [],
      exists: () => false,
    });

    assert.deepEqual(command?.argv, ['running-tasks', 'mock', '--port', '0', '--scenario', 'busy']);
    assert.deepEqual(command?.env, {});
  });

  it('finds nothing in a workspace without the CLI', () => {
    assert.equal(
      resolveMockCommand({
        ...base,
        configured: '',
        workspaceFolders: ['/x'],
        exists: () => false,
      }),
      undefined,
    );
  });
});
