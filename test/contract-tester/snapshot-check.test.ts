import assert from 'node:assert/strict';
import { loadSchemaSet } from '@running-tasks/contracts';
import { loadContractModel, type WsRouteModel } from '@running-tasks/contract-tester';
import { judgeSnapshots } from '../../contract-tester/src/checks/snapshot-check';
import type { ListSample } from '../../contract-tester/src/snapshot-sampler';
import type { StreamRecord } from '../../contract-tester/src/ws-watch';

/** A watched stream whose messages list these task ids, arriving at the given clock readings. */
function stream(messages: [at: number, ids: number[]][]): StreamRecord {
  return {
    handshake: { ok: true, protocol: '', extensions: '', durationMs: 1 },
    frames: messages.map(([at, ids], index) => ({
      index,
      at,
      atMs: at,
      isBinary: false,
      data: Buffer.from(JSON.stringify(ids.map((id) => ({ task_id: id })))),
    })),
    watchedMs: 1000,
  };
}

function get(startedAt: number, ids: number[]): ListSample {
  return { startedAt, endedAt: startedAt + 5, ids: new Set(ids) };
}

describe('snapshot consistency', () => {
  let route: WsRouteModel;

  before(async () => {
    const model = await loadContractModel(await loadSchemaSet());
    const v2 = model.ws.find((r) => r.api === 'v2');
    if (!v2) throw new Error('no V2 channel');
    route = v2;
  });

  it('accepts a message that matches the GET before it when the list changed just after', () => {
    // Message at 100 lists [1, 2]; the list then changes, so the GET right after lists [2].
    const outcome = judgeSnapshots(
      route,
      stream([[100, [1, 2]]]),
      [get(50, [1, 2]), get(101, [2])],
      200,
    );
    assert.deepEqual(outcome.diagnostics, []);
    assert.deepEqual(outcome.notes, ['1 message compared with 2 GETs (window ±200 ms)']);
  });

  it('refuses the same message when the matching GET is outside the window', () => {
    const outcome = judgeSnapshots(
      route,
      stream([[100, [1, 2]]]),
      [get(50, [1, 2]), get(101, [2])],
      10,
    );
    assert.deepEqual(
      outcome.diagnostics.map((d) => [d.keyword, d.location, d.expected, d.actual]),
      [['snapshot', 'message #0', [2], [1, 2]]],
    );
    assert.match(outcome.diagnostics[0]?.message ?? '', /has 1 that the GET does not/);
  });

  it('names the tasks a diff leaves out', () => {
    const outcome = judgeSnapshots(
      route,
      stream([
        [0, [1, 2, 3]],
        [100, [3]],
      ]),
      [get(1, [1, 2, 3]), get(101, [1, 2, 3])],
      50,
    );
    assert.equal(outcome.diagnostics.length, 1);
    assert.match(
      outcome.diagnostics[0]?.message ?? '',
      /^not the full list: lacks 1, 2 \(task_ids/,
    );
  });

  it('ignores the order of the tasks', () => {
    const outcome = judgeSnapshots(route, stream([[0, [2, 1]]]), [get(1, [1, 2])], 50);
    assert.deepEqual(outcome.diagnostics, []);
  });

  it('skips, saying why, when no GET could be taken', () => {
    const failed: ListSample = { startedAt: 1, endedAt: 2, error: 'GET answered 500' };
    const outcome = judgeSnapshots(route, stream([[0, [1]]]), [failed], 50);
    assert.equal(
      outcome.skipReason,
      'no GET of GET /api/v2/tasks/running to compare with (GET answered 500)',
    );
  });
});
