import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CODES } from '../../extension/src/core/errors';
import { listeningUrl, MockProcess } from '../../extension/src/core/mock-process';

const CLI = path.resolve(__dirname, '../../cli/dist/main.js');

describe('MockProcess', () => {
  it("starts the project's mock on a free port, serves from it, and stops it", async function () {
    if (!existsSync(CLI)) this.skip();

    const mock = await MockProcess.start({
      argv: [process.execPath, CLI, 'mock', '--port', '0', '--paused'],
    });
    try {
      assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${mock.url}/api/tasks/running`);
      const body = (await response.json()) as { id: number }[];
      assert.equal(body[0]?.id, 39);
    } finally {
      await mock.stop();
    }
    assert.equal(mock.running, false);
  });

  it('fails with the last lines of stderr when the process exits before listening', async () => {
    const script = "console.error('scenario busy not found'); process.exit(3)";

    await assert.rejects(
      MockProcess.start({ argv: [process.execPath, '-e', script] }),
      (error: Error) => {
        assert.equal((error as { code?: string }).code, ERROR_CODES.MOCK_START);
        assert.match(error.message, /exited before listening \(code 3\)/);
        assert.match(error.message, /scenario busy not found/);
        return true;
      },
    );
  });

  it('gives up and kills a process that never says it is listening', async () => {
    const script = 'setInterval(() => {}, 1000)';
    const started = Date.now();

    await assert.rejects(
      MockProcess.start({ argv: [process.execPath, '-e', script], startTimeoutMs: 200 }),
      /did not report listening within 200 ms/,
    );
    assert.ok(Date.now() - started < 2000);
  });

  it('kills a process that ignores SIGTERM', async () => {
    const script = [
      "process.on('SIGTERM', () => {});",
      "console.log(JSON.stringify({ msg: 'mock server listening', url: 'http://127.0.0.1:1' }));",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const mock = await MockProcess.start({
      argv: [process.execPath, '-e', script],
      stopTimeoutMs: 100,
    });

    await mock.stop();
    assert.equal(mock.running, false);
  });

  it('reads the URL only from the listening line', () => {
    const line = '{"level":30,"msg":"mock server listening","url":"http://127.0.0.1:4321"}';
    assert.equal(listeningUrl(line), 'http://127.0.0.1:4321');
    assert.equal(listeningUrl('{"msg":"mock server listening","url":"file:///x"}'), undefined);
    assert.equal(listeningUrl('mock server listening on 4321'), undefined);
  });
});
