import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { DEFAULT_CLOSE_CODE, type WsFaultRule } from './fault-rule';

/**
 * A frame with opcode 0x3, which RFC 6455 section 5.2 reserves: a client
 * that receives it must fail the connection (section 7.1.7). It sends 1002
 * (protocol error) and, reading nothing more, reports 1006 to its own code
 * along with an error. FIN set, no mask (server frames are never masked),
 * empty payload.
 */
export const MALFORMED_FRAME = Buffer.from([0x83, 0x00]);

/** What a `non-json` fault sends: a text message no JSON parser accepts. */
export const NON_JSON_MESSAGE = 'running-tasks mock: injected fault, this message is not JSON';

/**
 * One fault waiting on one websocket connection. It fires once the
 * connection has been sent `afterMessages` messages; a stall then keeps the
 * connection silent (no snapshots, no pings) until it closes.
 */
export class ConnectionFault {
  private fired = false;
  private stalled = false;

  constructor(
    readonly rule: WsFaultRule,
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
  ) {}

  get silent(): boolean {
    return this.stalled;
  }

  /** Fires the fault if `sent` messages reached its threshold; true when it fired now. */
  check(sent: number): boolean {
    if (this.fired || sent < this.rule.afterMessages) return false;
    this.fired = true;
    this.fire();
    return true;
  }

  private fire(): void {
    switch (this.rule.kind) {
      case 'close':
        this.ws.close(this.rule.code ?? DEFAULT_CLOSE_CODE, this.rule.reason);
        return;
      case 'drop':
        // terminate() destroys the TCP socket without a close frame: the
        // client sees 1006 (abnormal closure, RFC 6455 section 7.1.5).
        this.ws.terminate();
        return;
      case 'stall':
        this.stalled = true;
        return;
      case 'malformed':
        // Written beside ws's own frames: ws writes each frame in one
        // synchronous burst, so this lands between frames, never inside one.
        this.socket.write(MALFORMED_FRAME);
        return;
      case 'non-json':
        this.ws.send(NON_JSON_MESSAGE);
        return;
    }
  }
}
