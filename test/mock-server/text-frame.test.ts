import assert from 'node:assert/strict';
import * as ws from 'ws';
import { textFrame } from '../../mock-server/src/ws/text-frame';

interface FrameReceiver {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  write(chunk: Buffer): void;
}

// ws exports its frame parser at run time; its type declarations leave it out.
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => FrameReceiver;
};

/** Parses frames with ws's own receiver, as a client would. */
function receive(frame: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) reject(new Error('a binary message'));
      else resolve(data.toString('utf8'));
    });
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

describe('text frames', () => {
  for (const size of [0, 125, 126, 65_535, 65_536, 300_000]) {
    it(`frames a ${size}-byte payload so a client reads it back whole`, async () => {
      const body = Buffer.from('x'.repeat(size));
      assert.equal(await receive(textFrame(body)), body.toString());
    });
  }

  it('builds the frame once per snapshot buffer', () => {
    const body = Buffer.from('[]');
    assert.equal(textFrame(body), textFrame(body));
    assert.notEqual(textFrame(Buffer.from('[]')), textFrame(body));
  });
});
