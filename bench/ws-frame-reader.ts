/**
 * A minimal websocket client for the fan-out benchmark: the RFC 6455
 * opening handshake (with the Sec-WebSocket-Accept check) over a plain TCP
 * socket, then a reader of unmasked server frames that reports each
 * complete message. It does what a client must do to know a message has
 * arrived and no more: a benchmark that packs thousands of clients into one
 * process should spend its one core on receiving, not on a library's events.
 * It answers pings, as every websocket client must (RFC 6455 section 5.5.2):
 * the mock paces each client by those answers.
 *
 * Every connection reads into one shared buffer (net's `onread`), so that
 * receiving allocates nothing and the process's garbage collector stays out
 * of the figures; a payload handed to `onMessage` is valid only during the
 * call.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

/** RFC 6455 section 1.3: appended to the key before hashing it into Sec-WebSocket-Accept. */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface FrameReaderOptions {
  port: number;
  path: string;
  /** Called with each complete message's opcode and payload (a view valid during the call only). */
  onMessage: (opcode: number, payload: Buffer) => void;
  /** Runs a pong's write when the caller sees fit; by default on the next turn of the loop. */
  deferPong?: (write: () => void) => void;
}

/** Where every connection's reads land; one read is handled before the next. */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const EMPTY = Buffer.alloc(0);

/** Opens one connection; resolves once the server has accepted the upgrade. */
export function connectFrameReader(options: FrameReaderOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    let buffered: Buffer = EMPTY;
    let open = false;
    const mask = randomBytes(4);
    const defer = options.deferPong ?? setImmediate;
    const onFrame = (opcode: number, payload: Buffer): void => {
      if (opcode !== PING) {
        options.onMessage(opcode, payload);
        return;
      }
      const pong = maskedFrame(PONG, payload, mask);
      defer(() => {
        if (!socket.destroyed) socket.write(pong);
      });
    };
    const onRead = (size: number, chunk: Buffer): boolean => {
      const read = chunk.subarray(0, size);
      // A partial frame from an earlier read was copied out of the shared buffer.
      let data = buffered.length === 0 ? read : Buffer.concat([buffered, read]);
      if (!open) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) {
          buffered = Buffer.from(data);
          return true;
        }
        if (!handshakeAccepted(data.subarray(0, end).toString('latin1'), accept)) {
          socket.destroy();
          reject(
            new Error(
              `upgrade refused: ${data.subarray(0, end).toString('latin1').split('\r\n')[0]}`,
            ),
          );
          return false;
        }
        open = true;
        data = data.subarray(end + 4);
        resolve(socket);
      }
      const rest = readFrames(data, onFrame, socket);
      buffered = rest.length === 0 ? EMPTY : Buffer.from(rest);
      return true;
    };
    const socket = net.connect({
      host: '127.0.0.1',
      port: options.port,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: onRead },
    });

    socket.once('error', reject);
    socket.on('connect', () => {
      socket.write(
        `GET ${options.path} HTTP/1.1\r\nHost: 127.0.0.1:${options.port}\r\n` +
          `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\n` +
          'Sec-WebSocket-Version: 13\r\n\r\n',
      );
    });
  });
}

/** Whether the head of the server's answer is a 101 with the Sec-WebSocket-Accept for our key. */
function handshakeAccepted(head: string, accept: string): boolean {
  const lines = head.split('\r\n');
  const accepted = lines.some((line) => {
    const colon = line.indexOf(':');
    return (
      line.slice(0, colon).trim().toLowerCase() === 'sec-websocket-accept' &&
      line.slice(colon + 1).trim() === accept
    );
  });
  return lines[0].startsWith('HTTP/1.1 101') && accepted;
}

const PING = 0x9;
const PONG = 0xa;

/** A client's frame: final and masked (RFC 6455 section 5.3), for a payload under 126 bytes. */
function maskedFrame(opcode: number, payload: Buffer, mask: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(6 + payload.length);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i] ^ mask[i & 3];
  return frame;
}

/** Reports every complete frame at the start of `data`; returns the rest. */
function readFrames(
  data: Buffer,
  onMessage: FrameReaderOptions['onMessage'],
  socket: net.Socket,
): Buffer {
  let offset = 0;
  for (;;) {
    if (data.length - offset < 2) break;
    const first = data[offset];
    const second = data[offset + 1];
    if ((first & 0x80) === 0 || (second & 0x80) !== 0) {
      // This reader takes whole, unmasked messages only, which is all the mock sends.
      socket.destroy(new Error('fragmented or masked frame from the server'));
      return EMPTY;
    }
    let length = second & 0x7f;
    let header = 2;
    if (length === 126) {
      if (data.length - offset < 4) break;
      length = data.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (data.length - offset < 10) break;
      length = Number(data.readBigUInt64BE(offset + 2));
      header = 10;
    }
    if (data.length - offset < header + length) break;
    onMessage(first & 0x0f, data.subarray(offset + header, offset + header + length));
    offset += header + length;
  }
  return offset === 0 ? data : data.subarray(offset);
}
