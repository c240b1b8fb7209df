import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { AUTH_FAILED_BODY, hasToken, redactUrl } from '../auth';
import { isSettingError } from '../errors';
import { requestedWsFault, type FaultBook } from '../faults/fault-book';
import type { WsFaultRule } from '../faults/fault-rule';
import { ConnectionFault } from '../faults/ws-faults';
import { websocketCorsHeaders, type CorsPolicy } from '../http/cors';
import { endSocketWith } from '../http/problem';
import { snapshotFrames, snapshotSeqOf, type SnapshotFrames } from './text-frame';
import type { LatencyPolicy } from '../latency/latency-policy';
import { wait } from '../latency/wait';
import { WS_ROUTES, wsRouteOf } from '../routes';
import type { ApiVersion } from '../scenario/scenario';
import type { SnapshotStore } from '../snapshot-store';
import { mockPreferences } from '../control/request-preferences';
import { parseDelaySpec, type DelaySpec } from '../latency/delay-spec';

export interface WsEmitterOptions {
  store: SnapshotStore;
  log: Logger;
  /** Period of the heartbeat snapshot; 0 turns it off. */
  heartbeatMs: number;
  /** Period of the ping/pong liveness check; a peer that misses one pong is dropped. */
  keepaliveMs: number;
  token?: string;
  cors?: CorsPolicy;
  /** Delays the handshake and each message by the route's latency. */
  latency?: LatencyPolicy;
  faults?: FaultBook;
}

interface Client {
  id: number;
  ws: WebSocket;
  /** The TCP socket under `ws`, for faults that break the framing. */
  socket: Duplex;
  api: ApiVersion;
  alive: boolean;
  /** A frame is held by latency or waits in user space to be written. */
  busy: boolean;
  /** The newest snapshot that could not be sent yet; older ones are dropped. */
  pending: SnapshotFrames | undefined;
  /** Frames written to this client. */
  sent: number;
  /** Frames the client has acknowledged reading, by answering a snapshot ping. */
  acked: number;
  /** Unanswered snapshot pings: their sequence number, and `sent` at their frame. */
  pings: Map<number, number>;
  connectedAt: number;
  /** Faults on this connection: waiting to fire, or fired (a stall keeps it silent). */
  faults: ConnectionFault[];
  /** The latency timer of the message being held, cleared on close. */
  delay: NodeJS.Timeout | undefined;
}

/**
 * Serves the websocket routes on the HTTP server's upgrade event. Every
 * client of a route gets the same bytes: the store's snapshot, on connect,
 * on every change and on every heartbeat. A slow client is never sent a
 * backlog: while one send is in flight, only the newest snapshot is kept.
 */
export class WsEmitter {
  // No permessage-deflate: frames are built once per snapshot and written to
  // each socket as they are (see text-frame.ts), which compression would forbid.
  private readonly wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // Clients send nothing in this protocol; ws would otherwise buffer up to 100 MiB per message.
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
  });
  private readonly clients = new Set<Client>();
  private readonly timers: NodeJS.Timeout[] = [];
  private nextId = 0;
  /** Handshakes being held by latency: a shutdown must not wait for them. */
  private readonly holding = new Set<Duplex>();

  constructor(private readonly options: WsEmitterOptions) {
    options.store.on('change', (api, snapshot) => this.broadcast(api, snapshot.body));
    options.faults?.on('ws-rule', (rule) => this.injectIntoOpen(rule));
    this.wss.on('headers', (headers, req) => {
      headers.push(...(websocketCorsHeaders(this.cors, req.headers.origin) ?? []));
    });

    if (options.heartbeatMs > 0) {
      this.every(options.heartbeatMs, () => {
        for (const api of Object.keys(WS_ROUTES) as ApiVersion[]) {
          this.broadcast(api, options.store.get(api).body);
        }
      });
    }
    if (options.keepaliveMs > 0) this.every(options.keepaliveMs, () => this.checkAlive());
  }

  get connectionCount(): number {
    return this.clients.size;
  }

  private get cors(): CorsPolicy {
    return this.options.cors ?? { mode: 'reflect' };
  }

  /** The HTTP server's `upgrade` listener. */
  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    this.upgrade(req, socket, head).catch((err: unknown) => {
      this.options.log.error({ err }, 'websocket handshake failed (a bug in the mock server)');
      socket.destroy();
    });
  };

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    const api = wsRouteOf(url.pathname);
    if (api === undefined) {
      this.refuse(req, socket, 404, 'Not Found', `No websocket route at ${url.pathname}.`);
      return;
    }
    const malformed = handshakeFault(req);
    if (malformed !== undefined) {
      const [status, title, detail] = malformed;
      // RFC 6455 section 4.4: a version the server does not speak gets the one it does.
      const extra = status === 426 ? ['Sec-WebSocket-Version: 13'] : [];
      this.refuse(req, socket, status, title, detail, undefined, extra);
      return;
    }
    if (websocketCorsHeaders(this.cors, req.headers.origin) === undefined) {
      // RFC 6455 section 10.2: browsers let any page open a websocket anywhere.
      const origin = req.headers.origin ?? '';
      this.refuse(req, socket, 403, 'Forbidden', `The origin ${origin} may not connect.`);
      return;
    }
    if (
      this.options.token !== undefined &&
      !hasToken(this.options.token, req.headers, url.searchParams)
    ) {
      // The API's own 401 envelope, as the HTTP routes answer.
      const given = req.headers.authorization !== undefined || url.searchParams.has('token');
      this.refuse(req, socket, 401, 'Unauthorized', given ? 'wrong token' : 'no token');
      return;
    }

    let requested: WsFaultRule | undefined;
    let ownDelay: DelaySpec | undefined;
    try {
      requested = requestedWsFault(url.searchParams);
      // A handshake's own delay, as for HTTP: `Prefer: delay=…` or `?__delay=…`.
      const text = mockPreferences(req.headers, url.searchParams).delay;
      ownDelay = text === undefined ? undefined : parseDelaySpec(text);
    } catch (err) {
      if (!isSettingError(err)) throw err;
      this.refuse(req, socket, 400, 'Bad Request', err.message, err.code);
      return;
    }

    // Latency holds the handshake itself: the client waits for its 101.
    const ms = this.options.latency?.delayFor(url.pathname, ownDelay) ?? 0;
    if (ms > 0 && !(await this.hold(socket, ms))) return;

    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, api, req, socket, requested));
  }

  /**
   * Refuses a handshake and logs why. A 401 gets the API's own body, as on
   * HTTP; the mock's own refusals are problem+json, as HTTP's are.
   */
  private refuse(
    req: IncomingMessage,
    socket: Duplex,
    status: number,
    title: string,
    detail: string,
    code?: string,
    extraHeaders: readonly string[] = [],
  ): void {
    this.options.log.info(
      {
        url: redactUrl(req.url ?? '/'),
        status,
        remote: req.socket.remoteAddress,
        ...(req.headers.origin === undefined ? {} : { origin: req.headers.origin }),
        reason: detail,
      },
      'websocket refused',
    );
    const answer =
      status === 401
        ? AUTH_FAILED_BODY.toString()
        : { type: 'about:blank', title, detail, ...(code === undefined ? {} : { code }) };
    endSocketWith(socket, status, title, answer, extraHeaders);
  }

  private async hold(socket: Duplex, ms: number): Promise<boolean> {
    const gone = new AbortController();
    const onClose = (): void => gone.abort();
    socket.once('close', onClose);
    this.holding.add(socket);
    const waited = await wait(ms, gone.signal);
    this.holding.delete(socket);
    socket.off('close', onClose);
    return waited && !socket.destroyed;
  }

  /**
   * Closes every connection with 1001 (going away, RFC 6455 section 7.4.1) and stops the timers.
   */
  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    for (const socket of this.holding) socket.destroy();
    for (const client of this.clients) {
      clearTimeout(client.delay);
      client.ws.close(1001, 'server shutting down');
    }
    const deadline = setTimeout(() => {
      for (const client of this.clients) client.ws.terminate();
    }, 500);
    deadline.unref();
    this.wss.close();
  }

  private accept(
    ws: WebSocket,
    api: ApiVersion,
    req: IncomingMessage,
    socket: Duplex,
    requested: WsFaultRule | undefined,
  ): void {
    const rule = requested ?? this.options.faults?.takeWs(WS_ROUTES[api]);
    const client: Client = {
      id: ++this.nextId,
      ws,
      socket,
      api,
      alive: true,
      busy: false,
      pending: undefined,
      sent: 0,
      acked: 0,
      pings: new Map(),
      connectedAt: Date.now(),
      faults: rule === undefined ? [] : [new ConnectionFault(rule, ws, socket)],
      delay: undefined,
    };
    this.clients.add(client);
    const log = this.options.log.child({ connId: client.id, route: WS_ROUTES[api] });
    log.info(
      { remote: req.socket.remoteAddress, ...(rule ? { fault: rule.kind } : {}) },
      'websocket connected',
    );

    ws.on('pong', (data) => {
      client.alive = true;
      this.acknowledge(client, data);
    });
    // On a protocol error (a message over MAX_CLIENT_MESSAGE_BYTES, say) ws sends
    // the client a close frame with the matching code (1009) and drops the
    // socket, so the close it reports here is 1006: the error line says why.
    let error: string | undefined;
    ws.on('error', (err: Error & { code?: string }) => {
      error = err.code;
      log.warn({ err: err.message, code: err.code }, 'websocket error');
    });
    ws.on('close', (code) => {
      clearTimeout(client.delay);
      this.clients.delete(client);
      log.info(
        {
          code,
          ...(error === undefined ? {} : { error }),
          messages: client.sent,
          ms: Date.now() - client.connectedAt,
        },
        'websocket closed',
      );
    });
    // Clients send nothing in this protocol; messages are ignored, not echoed.

    // A fault due before any message (afterMessages 0) fires instead of the first snapshot.
    if (fire(client, 0) && !isLive(client)) return;
    this.send(client, snapshotFrames(this.options.store.get(api).body));
  }

  /** A rule that also hits open connections: each one it picks gets it, beside any it has. */
  private injectIntoOpen(rule: WsFaultRule): void {
    for (const client of this.clients) {
      if (!this.options.faults?.picks(rule, WS_ROUTES[client.api])) continue;
      client.faults.push(new ConnectionFault(rule, client.ws, client.socket));
      fire(client, client.sent);
    }
  }

  private broadcast(api: ApiVersion, body: Buffer): void {
    const frames = snapshotFrames(body);
    for (const client of this.clients) {
      if (client.api === api) this.send(client, frames);
    }
  }

  /**
   * Sends a snapshot to `client`, or keeps it as the newest pending one: while
   * a frame waits in user space or behind latency, and while the client has
   * WINDOW frames it has not acknowledged (the kernel's buffers, megabytes on
   * a fast link, would otherwise hold a backlog of stale snapshots).
   */
  private send(client: Client, frame: SnapshotFrames): void {
    if (!isLive(client)) return;
    if (client.busy || client.sent - client.acked >= WINDOW) {
      client.pending = frame;
      return;
    }

    // Latency holds each message on a timer; what arrives meanwhile is
    // conflated like any backlog, so a slow link never builds a queue.
    client.busy = true;
    const ms = this.options.latency?.delayFor(WS_ROUTES[client.api]) ?? 0;
    if (ms <= 0) {
      this.transmit(client, frame);
      return;
    }
    client.delay = setTimeout(() => {
      client.delay = undefined;
      this.transmit(client, frame);
    }, ms);
  }

  private transmit(client: Client, frames: SnapshotFrames): void {
    if (!isLive(client)) {
      client.busy = false;
      return;
    }
    // The frame goes straight to the socket: a write is atomic on the stream,
    // so it cannot interleave with a ping or close frame that ws writes.
    const socket = client.socket;
    // One frame in PING_EVERY carries a ping, so any WINDOW frames unread
    // include pings whose pongs will open the window again. Each client's
    // turn is offset by its id: a change asks only some clients for a pong,
    // rather than all of them at once every PING_EVERY changes.
    const ping = (client.sent + 1 + client.id) % PING_EVERY === 0;
    socket.write(ping ? frames.pinged : frames.plain);
    client.sent++;
    if (ping) client.pings.set(frames.seq, client.sent);
    if (socket.writableLength === 0 && client.faults.length === 0) {
      // The kernel took the whole frame and no fault counts messages: nothing
      // is in flight, so no callback (no closure, no tick) per client.
      client.busy = false;
      return;
    }
    // Part of it waits in user space, or a fault waits for it to leave: stay
    // busy until it is through, so later snapshots are conflated, not queued.
    // An empty write's callback runs once everything before it is written.
    socket.write(FLUSH_MARK, () => this.written(client));
  }

  /** The frame in flight on `client` is through: fire due faults, then send what is pending. */
  private written(client: Client): void {
    client.busy = false;
    if (fire(client, client.sent) && !isLive(client)) return;
    this.sendPending(client);
  }

  /** A pong that answers a snapshot ping: the client has read every frame up to it. */
  private acknowledge(client: Client, pong: Buffer): void {
    const seq = snapshotSeqOf(pong);
    const at = seq === undefined ? undefined : client.pings.get(seq);
    if (seq === undefined || at === undefined) return;
    if (at > client.acked) client.acked = at;
    // Sequence numbers rise with each snapshot, and pongs come in order.
    for (const [s, sentAt] of client.pings) if (sentAt <= at) client.pings.delete(s);
    this.sendPending(client);
  }

  /** Offers the pending snapshot again; `send` keeps it pending if the client is still held. */
  private sendPending(client: Client): void {
    const next = client.pending;
    if (next === undefined) return;
    client.pending = undefined;
    this.send(client, next);
  }

  private checkAlive(): void {
    for (const client of this.clients) {
      // A stalled connection is silent on purpose: no pings either, and it is not dropped.
      if (client.faults.some((f) => f.silent)) continue;
      if (!client.alive) {
        this.options.log.info({ connId: client.id }, 'websocket peer missed a pong; dropping it');
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    this.timers.push(timer);
  }
}

/** Open and not stalled: a connection snapshots may go to. */
function isLive(client: Client): boolean {
  if (client.ws.readyState !== client.ws.OPEN) return false;
  return client.faults.length === 0 || !client.faults.some((f) => f.silent);
}

/** Fires the faults of `client` that are due after `sent` messages; true when one fired. */
function fire(client: Client, sent: number): boolean {
  let fired = false;
  for (const fault of client.faults) fired = fault.check(sent) || fired;
  return fired;
}

/**
 * Frames a client may have unread before snapshots for it are conflated:
 * small enough that a client that stops reading never finds more than a
 * few stale snapshots when it reads again, large enough that a client a
 * long round trip away, which answers its pings late, still gets every one.
 */
const WINDOW = 32;
/** How often a frame carries a ping: less often than WINDOW, so a full window has some. */
const PING_EVERY = 16;

/**
 * The largest message a client may send, in bytes. The routes read nothing but
 * pongs and close frames (at most 125 bytes); anything longer than this closes
 * the connection with 1009 (message too big) instead of being buffered.
 */
export const MAX_CLIENT_MESSAGE_BYTES = 4096;

/** Written after a frame the kernel could not take at once; its callback marks the flush. */
const FLUSH_MARK = Buffer.alloc(0);

/**
 * What makes a request on a websocket route no websocket handshake (RFC 6455
 * section 4.2.1), checked here so that the answer is problem+json like every
 * other refusal: status, title and detail; undefined when it is one.
 */
function handshakeFault(req: IncomingMessage): [number, string, string] | undefined {
  const bad = (detail: string): [number, string, string] => [400, 'Bad Request', detail];
  if (req.method !== 'GET')
    return bad(`A websocket handshake is a GET, not a ${req.method ?? ''}.`);
  if (req.headers.upgrade?.toLowerCase() !== 'websocket')
    return bad('A websocket handshake needs "Upgrade: websocket".');
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !/^[+/0-9A-Za-z]{22}==$/.test(key.trim()))
    return bad('A websocket handshake needs a Sec-WebSocket-Key of 16 bytes in base64.');
  if (req.headers['sec-websocket-version'] !== '13')
    return [426, 'Upgrade Required', 'This server speaks websocket version 13 only (RFC 6455).'];
  return undefined;
}
