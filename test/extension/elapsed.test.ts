import assert from 'node:assert/strict';
import { formatElapsed, taskStart } from '../../extension/src/core/elapsed';

describe('elapsed time', () => {
  const now = Date.UTC(2026, 11, 4, 12, 0, 0);

  it('formats with falling precision', () => {
    assert.equal(formatElapsed(42_000), '42s');
    assert.equal(formatElapsed(125_000), '2m 05s');
    assert.equal(formatElapsed(3_600_000 + 7 * 60_000 + 59_000), '1h 07m');
    assert.equal(formatElapsed(3 * 86_400_000 + 4 * 3_600_000), '3d 4h');
    assert.equal(formatElapsed(-5), '0s');
  });

  it("counts from the backend's start time when it is plausible", () => {
    const start = taskStart(now / 1000 - 90, now - 1000, now);
    assert.deepEqual(start, { startMs: now - 90_000, fromBackend: true });
  });

  it('counts from the first sighting when the start time is 0, in the future or years old', () => {
    const firstSeen = now - 5000;
    for (const seconds of [0, now / 1000 + 3600, 1499742178]) {
      assert.deepEqual(taskStart(seconds, firstSeen, now), {
        startMs: firstSeen,
        fromBackend: false,
      });
    }
  });
});
