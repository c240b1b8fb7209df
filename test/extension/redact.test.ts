import assert from 'node:assert/strict';
import { redact } from '../../extension/src/core/redact';

describe('redact', () => {
  it('blanks known tokens, token query parameters and Authorization values', () => {
    assert.equal(redact('sent s3cr3t-value to x', ['s3cr3t-value']), 'sent *** to x');
    assert.equal(redact('ws://h/api?token=abc&x=1'), 'ws://h/api?token=***&x=1');
    assert.equal(redact('Authorization: Bearer abc.def'), 'Authorization: Bearer ***');
    assert.equal(redact('{"authorization":"X-API-KEY k"}'), '{"authorization":"X-API-KEY ***"}');
  });

  it('leaves ordinary lines alone', () => {
    assert.equal(redact('live over websocket', ['ab']), 'live over websocket');
  });
});
