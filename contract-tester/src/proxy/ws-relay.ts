import http, { type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ContractValidators } from '@running-tasks/contracts';
import type { Logger } from 'pino';
import WebSocket, { WebSocketServer } from 'ws';
import { checkMessage } from '../checks/message-check';
import type { WsRouteModel } from '../contract-model';
import { redactTarget } from '../credentials';
import { ERROR_CODES } from '../errors';
import { endToEnd } from './hop-by-hop';
import { PROBLEM_TYPES } from './problem';
import { VIA } from './raw-forwarder';
import type { ViolationLog } from './violation-log';

export const PROXY_WS_CHECK = 'proxy.ws';

export interface WsRelayOptions {
  upstream: URL;
  routes: readonly WsRouteModel[];
  validators: ContractValidators;
  violations: ViolationLog;
  logger: Logger;
  handshakeTimeoutMs: number;
}

/**
 * Relays websocket connections to the upstream. The upstream handshake is
 * made first, so the client gets the upstream's own answer: its refusal
 * (401, 404) as is, or a 101 with the sub-protocol the upstream chose
 * (RFC 6455 §4.2.2). Then every frame is relayed as it came, text as text
 * and binary as binary, and every frame from the upstream on a contract
 * channel is checked after it has been passed on, so checking adds no
 * latency. Close codes are relayed both ways; a connection that dies on one
 * side is cut on the other. Pings are not relayed: each side's pings are
 * answered by the relay (RFC 6455 §5.5.2 makes them per-connection).
 */
export class WsRelay {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly upstreams = new Set<WebSocket>();
  private connections = 0;

  constructor(private readonly options: WsRelayOptions) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const id = ++this.connections;
    const log = this.options.logger.child({ conn: id });
    const target = req.url ?? '/';
    const route = this.options.routes.find(
      (r) => r.address === new URL(target, 'http://x').pathname,
    );

    const upstreamUrl = new URL(this.options.upstream);
    const parsed = new URL(target, 'http://x');
    upstreamUrl.protocol = upstreamUrl.protocol === 'https:' ? 'wss:' : 'ws:';
    upstreamUrl.pathname = `${upstreamUrl.pathname.replace(/\/+$/, '')}${parsed.pathname}`;
    upstreamUrl.search = parsed.search;

    const protocols = (req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const headers = Object.fromEntries(
      endToEnd(req.rawHeaders, { dropHost: true, dropWebSocket: true }),
    );

    const upstream = new WebSocket(upstreamUrl, protocols, {
      headers: { ...headers, via: VIA },
      handshakeTimeout: this.options.handshakeTimeoutMs,
      followRedirects: false,
    });
    let client: WebSocket | undefined;
    this.upstreams.add(upstream);
    upstream.on('close', () => this.upstreams.delete(upstream));

    // A client that leaves during the upstream handshake takes it down too.
    socket.on('error', () => upstream.terminate());
    socket.once('close', () => {
      if (!client) upstream.terminate();
    });

    // Frames that arrive between the upstream's open and the client's: none are lost.
    const early: { data: Buffer; isBinary: boolean }[] = [];
    let index = 0;

    upstream.on('message', (data: Buffer, isBinary: boolean) => {
      if (client) client.send(data, { binary: isBinary });
      else early.push({ data, isBinary });
      if (route) this.check(route, id, index, target, data, isBinary, log);
      index++;
    });

    let refused = false;
    upstream.on('unexpected-response', (_req, res: IncomingMessage) => {
      refused = true;
      log.info(
        { target: redactTarget(target), status: res.statusCode },
        'upstream refused the handshake',
      );
      // Read the refusal's body before the upstream request is torn down.
      relayRefusal(res, socket, () => upstream.terminate());
    });

    upstream.on('error', (err: Error & { code?: string }) => {
      if (client || refused) return;
      log.warn({ err: err.message, code: err.code }, 'upstream handshake failed');
      refuse(socket, 502, 'the upstream websocket could not be reached');
    });

    upstream.on('open', () => {
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        client = ws;
        for (const frame of early.splice(0)) ws.send(frame.data, { binary: frame.isBinary });
        log.info(
          { route: route?.label ?? null, protocol: upstream.protocol || null },
          'relaying websocket',
        );
        pipe(ws, upstream, log);
      });
    });
  }

  private check(
    route: WsRouteModel,
    connection: number,
    message: number,
    target: string,
    data: Buffer,
    isBinary: boolean,
    log: Logger,
  ): void {
    const { diagnostics } = checkMessage(
      route,
      { index: message, isBinary, data },
      this.options.validators,
      PROXY_WS_CHECK,
    );
    if (diagnostics.length === 0) return;

    const record = {
      time: new Date().toISOString(),
      kind: 'ws' as const,
      route: route.label,
      target: redactTarget(target),
      connection,
      message,
      diagnostics,
    };
    this.options.violations.record(record);
    log.warn(
      {
        route: route.label,
        message,
        violations: diagnostics.length,
        first: `${diagnostics[0]?.path} ${diagnostics[0]?.keyword}`,
      },
      'frame violates the contract',
    );
  }

  /** Ends every relayed connection; both sides see 1001 Going Away (RFC 6455 §7.4.1). */
  close(): void {
    for (const client of this.wss.clients) client.close(1001, 'proxy stopping');
    for (const upstream of this.upstreams) upstream.close(1001, 'proxy stopping');
    this.wss.close();
  }
}

/** Relays frames and the end of the connection between the two sides. */
function pipe(client: WebSocket, upstream: WebSocket, log: Logger): void {
  client.on('message', (data: Buffer, isBinary: boolean) => {
    if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
  });

  client.on('close', (code: number, reason: Buffer) => endLike(upstream, code, reason));
  upstream.on('close', (code: number, reason: Buffer) => {
    log.info({ code }, 'websocket closed');
    endLike(client, code, reason);
  });
  client.on('error', () => upstream.terminate());
  upstream.on('error', () => client.terminate());
}

/**
 * Ends one side as the other ended. 1005 means the close frame had no code
 * and 1006 that there was no close frame at all (RFC 6455 §7.1.5); neither
 * may be sent, so the first becomes a close without a code and the second
 * a cut connection, which is what the other side saw.
 */
function endLike(ws: WebSocket, code: number, reason: Buffer): void {
  if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
  if (code === 1006 || code === 1015) return ws.terminate();
  if (code === 1005) return ws.close();
  ws.close(code, reason);
}

/** Writes the upstream's refusal of the handshake back to the client as it came. */
function relayRefusal(res: IncomingMessage, socket: Duplex, done: () => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => {
    const body = Buffer.concat(chunks);
    const status = res.statusCode ?? 502;
    const headers = endToEnd(res.rawHeaders).filter(
      ([name]) => name.toLowerCase() !== 'content-length',
    );
    const head = [
      `HTTP/1.1 ${status} ${res.statusMessage ?? http.STATUS_CODES[status] ?? ''}`,
      ...headers.map(([name, value]) => `${name}: ${value}`),
      `Content-Length: ${body.length}`,
      'Connection: close',
      '',
      '',
    ].join('\r\n');
    socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    done();
  });
  res.on('error', done);
}

function refuse(socket: Duplex, status: number, detail: string): void {
  const body = JSON.stringify({
    type: PROBLEM_TYPES.UPSTREAM_UNREACHABLE,
    title: http.STATUS_CODES[status],
    status,
    detail,
    code: ERROR_CODES.UPSTREAM_UNREACHABLE,
  });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
