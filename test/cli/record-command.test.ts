import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenario, startMockServer, type MockServer } from '@running-tasks/mock-server';
import { compileValidators, loadSchemaSet } from '@running-tasks/contracts';
import { runCli as run } from '../helpers/cli';

describe('running-tasks record', () => {
  let upstream: MockServer;
  let out: string;
  before(async () => {
    upstream = await startMockServer({ port: 0, speed: 30, heartbeatMs: 100, logger: false });
    out = await mkdtemp(path.join(tmpdir(), 'rt-record-cli-'));
  });
  after(async () => {
    await upstream.close();
    await rm(out, { recursive: true, force: true });
  });

  it('records for the given duration, writes a valid scenario and says how to serve it', async () => {
    const result = await run([
      'record',
      '--upstream',
      upstream.url,
      '--out',
      out,
      '--duration',
      '700ms',
    ]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /^wrote .*scenario\.yaml: \d+ V1 and \d+ V2 lists/m);
    assert.match(result.stdout, /serve it with: running-tasks mock --scenario /);
    assert.match(result.stderr, /v1 list changed at \d+\.\d{3} s: \d+ tasks?$/m);

    const scenario = await loadScenario(out, compileValidators(await loadSchemaSet()));
    assert.ok(scenario.v1.length >= 1);
    assert.ok(scenario.duration >= 600);
  });

  it('exits 2 without --upstream, and 1 when the upstream cannot be reached', async () => {
    const missing = await run(['record', '--out', out]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--upstream is required/);

    const unreachable = await run([
      'record',
      '--upstream',
      'http://127.0.0.1:1',
      '--out',
      path.join(out, 'x'),
      '--duration',
      '1s',
    ]);
    assert.equal(unreachable.code, 1);
    assert.match(
      unreachable.stderr,
      /cannot connect to ws:\/\/127\.0\.0\.1:1\/api\/tasks\/running\/realtime/,
    );
  });
});
