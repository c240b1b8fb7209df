import assert from 'node:assert/strict';
import { benchExtensionCore } from '../../bench/extension-core';

describe('applying large snapshots', () => {
  it('applies 1,000 tasks in well under 20 ms, refreshing only changed tasks', async () => {
    const results = await benchExtensionCore({ iterations: 40 });
    const value = (prefix: string) => results.find((r) => r.name.includes(prefix))?.value ?? NaN;

    assert.ok(value('snapshot, median') < 20, `median ${value('snapshot, median')} ms`);
    assert.equal(value('refreshed per snapshot'), 5);
  });
});
