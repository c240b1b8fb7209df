import assert from 'node:assert/strict';
import { Backoff } from '../../extension/src/core/backoff';

describe('Backoff', () => {
  const options = { initialMs: 100, maxMs: 1000, factor: 2 };

  it('doubles up to the maximum, half fixed and half jitter', () => {
    const low = new Backoff(options, () => 0);
    const high = new Backoff(options, () => 1);

    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => low.next()),
      [50, 100, 200, 400, 500],
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => high.next()),
      [100, 200, 400, 800, 1000],
    );
  });

  it('starts over after a reset', () => {
    const backoff = new Backoff(options, () => 1);
    backoff.next();
    backoff.next();
    assert.equal(backoff.failures, 2);

    backoff.reset();
    assert.equal(backoff.next(), 100);
  });

  it('stays within bounds for any random value', () => {
    const backoff = new Backoff(options);
    for (let i = 0; i < 50; i++) {
      const delay = backoff.next();
      assert.ok(delay >= 50 && delay <= 1000, `${delay}`);
    }
  });
});
