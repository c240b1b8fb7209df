const frames = new WeakMap<Buffer, Buffer>();

/** FIN set, opcode 0x1 (text): a whole message in one frame. */
const FIN_TEXT = 0x81;

/**
 * The complete websocket frame for a snapshot's bytes, built once per
 * snapshot: one final text frame, unmasked as a server's frames are, with
 * the payload length in 7, 7+16 or 7+64 bits (RFC 6455 section 5.2).
 * Fanning out then costs one socket write per client instead of a frame
 * built and written per client. The store hands out the same Buffer for a
 * snapshot until it changes, so the cache is keyed on it.
 */
export function textFrame(body: Buffer): Buffer {
  const cached = frames.get(body);
  if (cached !== undefined) return cached;

  const length = body.length;
  const headerLength = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = FIN_TEXT;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  body.copy(frame, headerLength);

  frames.set(body, frame);
  return frame;
}

/** The frames of one snapshot: its text frame alone, and followed by a ping asking for a pong. */
export interface SnapshotFrames {
  /** Identifies the snapshot in the ping's payload, and so in the pong that answers it. */
  seq: number;
  plain: Buffer;
  pinged: Buffer;
}

const snapshots = new WeakMap<Buffer, SnapshotFrames>();
let nextSeq = 0;

/** The first byte of a snapshot ping's payload ('s'); a 32-bit sequence number follows. */
const SNAPSHOT_PING_TAG = 0x73;

/**
 * The frames for a snapshot's bytes, built once: the text frame, and the
 * same followed by a ping (opcode 0x9, RFC 6455 section 5.5.2) carrying the
 * snapshot's sequence number. A client's websocket answers a ping with a
 * pong of the same payload once it has read that far, which tells the
 * server how many snapshots the client has really taken, whatever the
 * kernel's buffers hold.
 */
export function snapshotFrames(body: Buffer): SnapshotFrames {
  const cached = snapshots.get(body);
  if (cached !== undefined) return cached;

  const seq = (nextSeq = (nextSeq + 1) >>> 0);
  const plain = textFrame(body);
  const ping = Buffer.allocUnsafe(2 + 5);
  ping[0] = 0x89; // FIN, opcode 0x9 (ping)
  ping[1] = 5;
  ping[2] = SNAPSHOT_PING_TAG;
  ping.writeUInt32BE(seq, 3);
  const frames = { seq, plain, pinged: Buffer.concat([plain, ping]) };
  snapshots.set(body, frames);
  return frames;
}

/** The sequence number in a pong that answers a snapshot ping; undefined for any other pong. */
export function snapshotSeqOf(pong: Buffer): number | undefined {
  return pong.length === 5 && pong[0] === SNAPSHOT_PING_TAG ? pong.readUInt32BE(1) : undefined;
}
