import WebSocket from 'ws';
import { requestHeaders, taskStreamUrl, type BackendConfig } from './backend';
import {
  AuthFailedError,
  UnreachableError,
  WebsocketRefusedError,
  type RunningTasksError,
} from './errors';

export interface WebsocketHandlers {
  /** One text frame: a full snapshot of the running list. */
  message(text: string): void;
  /**
   * The connection is over, for good: `error` says why, undefined after `close()`.
   * `opened` tells a dropped connection from one that never got through.
   */
  ended(error: RunningTasksError | undefined, opened: boolean): void;
}

export interface WebsocketTiming {
  handshakeTimeoutMs: number;
  /** How often to ping; the server's pong (RFC 6455 §5.5.3) or any message proves it alive. */
  pingIntervalMs: number;
  /** Silence after which the connection is taken for dead and ended. */
  silenceTimeoutMs: number;
}

/**
 * One websocket connection to the running-list stream. It calls `ended` exactly once. A
 * connection that goes quiet is ended too: a half-open TCP connection sends no close frame,
 * and without the ping the tree would stay silently old.
 */
export class WebsocketConnection {
  private readonly socket: WebSocket;
  private readonly url: string;
  private opened = false;
  private done = false;
  private lastHeardAt = Date.now();
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(
    backend: BackendConfig,
    token: string | undefined,
    private readonly timing: WebsocketTiming,
    private readonly handlers: WebsocketHandlers,
  ) {
    const url = taskStreamUrl(backend);
    this.url = url;
    this.socket = new WebSocket(url, {
      headers: requestHeaders(backend, token),
      handshakeTimeout: timing.handshakeTimeoutMs,
      perMessageDeflate: false,
    });

    this.socket.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      const error =
        status === 401
          ? new AuthFailedError(url, Boolean(token))
          : new WebsocketRefusedError(url, status);
      this.finish(error);
    });
    this.socket.on('open', () => this.onOpen());
    this.socket.on('message', (data) => this.onMessage(data));
    this.socket.on('pong', () => {
      this.lastHeardAt = Date.now();
    });
    this.socket.on('error', (cause) => this.finish(new UnreachableError(url, { cause })));
    this.socket.on('close', (code, reason) => {
      const cause = new Error(`closed with ${code}${reason.length ? ` ${reason.toString()}` : ''}`);
      this.finish(new UnreachableError(url, { cause }));
    });
  }

  /** Ends the connection on purpose; `ended` receives no error. */
  close(): void {
    this.finish(undefined);
  }

  private onOpen(): void {
    this.opened = true;
    this.lastHeardAt = Date.now();
    this.pingTimer = setInterval(() => this.checkAlive(), this.timing.pingIntervalMs);
  }

  private onMessage(data: WebSocket.RawData): void {
    this.lastHeardAt = Date.now();
    if (this.done) return;

    this.handlers.message(rawDataText(data));
  }

  private checkAlive(): void {
    if (Date.now() - this.lastHeardAt > this.timing.silenceTimeoutMs) {
      const cause = new Error(`no frame or pong for ${this.timing.silenceTimeoutMs} ms`);
      this.finish(new UnreachableError(this.url, { cause }));
      return;
    }
    this.socket.ping();
  }

  private finish(error: RunningTasksError | undefined): void {
    if (this.done) return;
    this.done = true;
    clearInterval(this.pingTimer);

    // terminate() rather than close(): no closing handshake to wait for on a dead peer.
    this.socket.removeAllListeners('message');
    this.socket.on('error', () => undefined);
    this.socket.terminate();
    this.handlers.ended(error, this.opened);
  }
}

/** The contract sends JSON text frames; a binary frame is read as UTF-8 all the same. */
function rawDataText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}
