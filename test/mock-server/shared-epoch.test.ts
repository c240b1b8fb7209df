import assert from 'node:assert/strict';
import { nextChangeAfter, startMockServer, type MockServer } from '@running-tasks/mock-server';
import { RecordingClient, wsUrl } from '../helpers/ws-client';
import { control } from './helpers/control';

/**
 * An epoch that puts the default scenario (at speed 1) at least `margin` ms
 * away from its next change, so two servers asked a few ms apart are on the
 * same step of the timeline.
 */
async function quietEpoch(margin: number): Promise<number> {
  const probe = await startMockServer({ port: 0, paused: true, logger: false });
  try {
    for (let t = 20_000; t < 230_000; t += 500) {
      const next = nextChangeAfter(probe.replay.scenario, t) ?? Infinity;
      if (next - t >= margin) return Date.now() - t;
    }
  } finally {
    await probe.close();
  }
  throw new Error('no quiet stretch in the default scenario');
}

describe('instances sharing an epoch', () => {
  let a: MockServer;
  let b: MockServer;
  let epoch: number;
  before(async () => {
    epoch = await quietEpoch(8000);
    [a, b] = await Promise.all([
      startMockServer({ port: 0, epoch, heartbeatMs: 0, logger: false }),
      startMockServer({ port: 0, epoch, heartbeatMs: 0, logger: false }),
    ]);
  });
  after(() => Promise.all([a.close(), b.close()]));

  it('answer byte for byte the same at the same moment, over HTTP', async () => {
    for (const route of ['/api/tasks/running', '/api/v2/tasks/running']) {
      const [fromA, fromB] = await Promise.all([
        fetch(a.url + route).then((r) => r.text()),
        fetch(b.url + route).then((r) => r.text()),
      ]);
      assert.equal(fromA, fromB, route);
      assert.notEqual(fromA, '[]');
    }
  });

  it('send the same snapshot to websocket clients', async () => {
    const [fromA, fromB] = await Promise.all([
      RecordingClient.connect(wsUrl(a.url, '/api/v2/tasks/ws/running')),
      RecordingClient.connect(wsUrl(b.url, '/api/v2/tasks/ws/running')),
    ]);
    try {
      assert.equal(await fromA.message(0), await fromB.message(0));
    } finally {
      await Promise.all([fromA.close(), fromB.close()]);
    }
  });

  it('report the same scenario time, derived from the epoch, within a few ms', async () => {
    const [clockA, clockB] = await Promise.all([
      control<{ elapsedMs: number; epoch: number }>(a, 'GET', '/clock'),
      control<{ elapsedMs: number; epoch: number }>(b, 'GET', '/clock'),
    ]);
    assert.equal(clockA.body.epoch, epoch);
    assert.equal(clockB.body.epoch, epoch);
    assert.ok(Math.abs(clockA.body.elapsedMs - clockB.body.elapsedMs) < 200);
    assert.ok(Math.abs(clockA.body.elapsedMs - (Date.now() - epoch)) < 1000);
  });

  it('differ from an instance with another epoch', async () => {
    const other = await startMockServer({
      port: 0,
      epoch: epoch + 60_000,
      heartbeatMs: 0,
      logger: false,
    });
    try {
      const [fromA, fromOther] = await Promise.all([
        fetch(`${a.url}/api/tasks/running`).then((r) => r.text()),
        fetch(`${other.url}/api/tasks/running`).then((r) => r.text()),
      ]);
      assert.notEqual(fromA, fromOther);
    } finally {
      await other.close();
    }
  });

  it('go back to the epoch on reset', async () => {
    await control(a, 'POST', '/clock/seek', { to: 1000 });
    const reset = await control<{ elapsedMs: number; paused: boolean }>(a, 'POST', '/reset');
    assert.equal(reset.body.paused, false);
    assert.ok(Math.abs(reset.body.elapsedMs - (Date.now() - epoch)) < 1000);
    const [fromA, fromB] = await Promise.all([
      fetch(`${a.url}/api/tasks/running`).then((r) => r.text()),
      fetch(`${b.url}/api/tasks/running`).then((r) => r.text()),
    ]);
    assert.equal(fromA, fromB);
  });
});
