import assert from 'node:assert/strict';
import { ERROR_CODES, type BadPayloadError } from '../../extension/src/core/errors';
import { decodeTaskList } from '../../extension/src/core/payload-decoder';
import { v1Task, v2Task } from './helpers/task-fixtures';

describe('decodeTaskList', () => {
  it('decodes both versions into task views', () => {
    assert.equal(decodeTaskList('v1', JSON.stringify([v1Task()]), 'HTTP').tasks[0]?.key, 'v1:39');
    assert.equal(decodeTaskList('v2', JSON.stringify([v2Task()]), 'HTTP').tasks[0]?.key, 'v2:1');
    assert.deepEqual(decodeTaskList('v2', '[]', 'HTTP').tasks, []);
  });

  it('tolerates fields it does not know', () => {
    const task = { ...v2Task(), agent_host: 'runner-3' };
    assert.equal(decodeTaskList('v2', JSON.stringify([task]), 'HTTP').tasks.length, 1);
  });

  it('refuses a V1 list on the V2 route with the JSON path of the first problem', () => {
    assert.throws(
      () => decodeTaskList('v2', JSON.stringify([v1Task()]), 'websocket'),
      (error: BadPayloadError) => {
        assert.equal(error.code, ERROR_CODES.BAD_PAYLOAD);
        assert.match(error.message, /^bad payload from websocket: \$\[0\]/);
        return true;
      },
    );
  });

  it('refuses an object where the list should be', () => {
    assert.throws(() => decodeTaskList('v2', '{"message":"auth failed"}', 'HTTP'), {
      code: ERROR_CODES.BAD_PAYLOAD,
    });
  });
});
