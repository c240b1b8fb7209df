import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { AUTH_FAILED_BODY, hasToken, redactUrl } from '../auth';
import { WS_ROUTES, wsRouteOf } from '../routes';
import type { ApiVersion } from '../scenario/scenario';
import type { SnapshotStore } from '../snapshot-store';

export interface WsEmitterOptions {
  store: SnapshotStore;
  log: Logger;
  /** Period of the heartbeat snapshot; 0 turns it off. */
  heartbeatMs: number;
  /** Period of the ping/pong liveness check; a peer that misses one pong is dropped. */
  keepaliveMs: number;
  token?: string;
}

interface Client {
  id: number;
  ws: WebSocket;
  api: ApiVersion;
  alive: boolean;
  /** A send is between `ws.send` and its callback. */
  busy: boolean;
  /** The newest snapshot that arrived while busy; older ones are dropped. */
  pending: Buffer | undefined;
  sent: number;
  connectedAt: number;
}

/**
 * Serves the websocket routes on the HTTP server's upgrade event. Every
 * client of a route gets the same bytes: the store's snapshot, on connect,
 * on every change and on every heartbeat. A slow client is never sent a
 * backlog: while one send is in flight, only the newest snapshot is kept.
 */
export class WsEmitter {
  private readonly wss = new WebSocketServer({ noServer: true, clientTracking: false });
  private readonly clients = new Set<Client>();
  private readonly timers: NodeJS.Timeout[] = [];
  private nextId = 0;

  constructor(private readonly options: WsEmitterOptions) {
    options.store.on('change', (api, snapshot) => this.broadcast(api, snapshot.body));

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

  /** The HTTP server's `upgrade` listener. */
  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    const api = wsRouteOf(url.pathname);
    if (api === undefined) {
      refuse(
        socket,
        404,
        'Not Found',
        JSON.stringify({ message: `no websocket route at ${url.pathname}` }),
      );
      return;
    }
    if (
      this.options.token !== undefined &&
      !hasToken(this.options.token, req.headers, url.searchParams)
    ) {
      refuse(socket, 401, 'Unauthorized', AUTH_FAILED_BODY.toString());
      this.options.log.info({ url: redactUrl(req.url ?? '') }, 'websocket refused: auth failed');
      return;
    }

    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, api, req));
  };

  /** Closes every connection with 1001 (going away, RFC 6455 section 7.4.1) and stops the timers. */
  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    for (const client of this.clients) client.ws.close(1001, 'server shutting down');
    const deadline = setTimeout(() => {
      for (const client of this.clients) client.ws.terminate();
    }, 500);
    deadline.unref();
    this.wss.close();
  }

  private accept(ws: WebSocket, api: ApiVersion, req: IncomingMessage): void {
    const client: Client = {
      id: ++this.nextId,
      ws,
      api,
      alive: true,
      busy: false,
      pending: undefined,
      sent: 0,
      connectedAt: Date.now(),
    };
    this.clients.add(client);
    const log = this.options.log.child({ connId: client.id, route: WS_ROUTES[api] });
    log.info({ remote: req.socket.remoteAddress }, 'websocket connected');

    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('error', (err) => log.warn({ err: err.message }, 'websocket error'));
    ws.on('close', (code) => {
      this.clients.delete(client);
      log.info(
        { code, messages: client.sent, ms: Date.now() - client.connectedAt },
        'websocket closed',
      );
    });
    // Clients send nothing in this protocol; messages are ignored, not echoed.

    this.send(client, this.options.store.get(api).body);
  }

  private broadcast(api: ApiVersion, body: Buffer): void {
    for (const client of this.clients) {
      if (client.api === api) this.send(client, body);
    }
  }

  private send(client: Client, body: Buffer): void {
    if (client.ws.readyState !== client.ws.OPEN) return;
    if (client.busy) {
      client.pending = body;
      return;
    }

    client.busy = true;
    client.ws.send(body, { binary: false }, () => {
      client.busy = false;
      client.sent++;
      const next = client.pending;
      client.pending = undefined;
      if (next !== undefined) this.send(client, next);
    });
  }

  private checkAlive(): void {
    for (const client of this.clients) {
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

function refuse(socket: Duplex, status: number, reason: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
