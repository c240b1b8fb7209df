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
