import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface WatchOptions {
  url: URL;
  headers: Record<string, string>;
  origin?: string;
  protocols: string[];
  durationMs: number;
  firstMessageTimeoutMs: number;
  handshakeTimeoutMs: number;
  pingTimeoutMs: number;
  closeTimeoutMs: number;
  /** Called as each message arrives, before the watch goes on. */
  onMessage?: (frame: StreamFrame) => void;
}

/** One received message (a complete, reassembled data frame sequence, RFC 6455 §5.4). */
export interface StreamFrame {
  index: number;
  /** Milliseconds since the handshake completed. */
  atMs: number;
  /** Monotonic clock reading (performance.now) of its arrival. */
  at: number;
  isBinary: boolean;
  data: Buffer;
}

export type HandshakeRecord =
  | { ok: true; protocol: string; extensions: string; durationMs: number }
  | {
      ok: false;
      durationMs: number;
      /** The HTTP status when the server answered without upgrading. */
      status?: number;
      body?: string;
      /** The failure below HTTP or in the handshake's validation (ws error codes, Node codes). */
      error?: { code: string; message: string };
    };

export interface PingRecord {
  payload: Buffer;
  rttMs?: number;
  /** Whether the pong echoed the ping's application data (RFC 6455 §5.5.3). */
  echoed?: boolean;
}

export interface CloseRecord {
  /** Who started the closing handshake; `none` when the connection died without one. */
  initiator: 'client' | 'server' | 'none';
  /** The close code ws reports; 1006 means no close frame arrived (RFC 6455 §7.1.5). */
  code: number;
  reason: string;
  atMs: number;
  /**
   * A failure of the connection or of the framing (`ECONNRESET`, `WS_ERR_INVALID_CLOSE_CODE`, …).
   */
  error?: { code: string; message: string };
  /** The client's close frame got no answer within the bound. */
  timedOut: boolean;
}

export interface StreamRecord {
  handshake: HandshakeRecord;
  frames: StreamFrame[];
  ping?: PingRecord;
  close?: CloseRecord;
  /** Milliseconds the stream was watched, from the handshake to the start of the close. */
  watchedMs: number;
}

const MAX_REJECTION_BODY = 4096;

/**
 * Opens one websocket, records every message for `durationMs`, pings once,
 * then closes with 1000 and records how the server ended the connection.
 * Never rejects: everything that happens, failures included, is in the
 * record, and a hard deadline bounds the whole watch.
 */
export function watchStream(options: WatchOptions): Promise<StreamRecord> {
  return new Promise((resolve) => {
    const started = performance.now();
    const record: StreamRecord = {
      handshake: { ok: false, durationMs: 0 },
      frames: [],
      watchedMs: 0,
    };

    let openedAt = 0;
    let clientClosing = false;
    let lastError: { code: string; message: string } | undefined;
    const timers: NodeJS.Timeout[] = [];
    const flags = { duration: false, firstMessage: false, ping: false };

    const ws = new WebSocket(options.url, options.protocols, {
      headers: options.headers,
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
      followRedirects: false,
    });

    // Once resolved, the record is the caller's: late events must not change it.
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      resolve(record);
    };
    const after = (ms: number, fn: () => void) => timers.push(setTimeout(fn, ms));

    const hardDeadline =
      options.handshakeTimeoutMs +
      Math.max(options.durationMs, options.firstMessageTimeoutMs, options.pingTimeoutMs) +
      options.closeTimeoutMs +
      1000;
    after(hardDeadline, () => {
      ws.terminate();
      finish();
    });

    // Our own handshake bound rather than ws's, whose timeout error carries no code.
    after(options.handshakeTimeoutMs, () => {
      if (openedAt !== 0 || done) return;
      const message = `no handshake answer within ${options.handshakeTimeoutMs} ms`;
      record.handshake = {
        ok: false,
        durationMs: performance.now() - started,
        error: { code: 'ETIMEDOUT', message },
      };
      ws.terminate();
      finish();
    });

    // A server that answers the handshake with a plain HTTP response (401, 404, 426).
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      readSome(res, (body) => {
        if (done) return;
        record.handshake = {
          ok: false,
          durationMs: performance.now() - started,
          status: res.statusCode,
          body,
        };
        ws.terminate();
        finish();
      });
    });

    ws.on('error', (err: Error & { code?: string }) => {
      if (done) return;
      lastError = { code: err.code ?? 'EUNKNOWN', message: err.message };
      if (openedAt !== 0) return;

      record.handshake = { ok: false, durationMs: performance.now() - started, error: lastError };
      finish();
    });

    ws.on('open', () => {
      openedAt = performance.now();
      record.handshake = {
        ok: true,
        protocol: ws.protocol,
        extensions: ws.extensions,
        durationMs: openedAt - started,
      };

      record.ping = { payload: randomBytes(8) };
      ws.ping(record.ping.payload);

      after(options.durationMs, () => mark('duration'));
      after(options.firstMessageTimeoutMs, () => mark('firstMessage'));
      after(options.pingTimeoutMs, () => mark('ping'));
    });

    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (done) return;
      const at = performance.now();
      const frame = { index: record.frames.length, atMs: at - openedAt, at, isBinary, data };
      record.frames.push(frame);
      options.onMessage?.(frame);
      if (frame.index === 0) mark('firstMessage');
    });

    ws.on('pong', (data: Buffer) => {
      const ping = record.ping;
      if (!ping || ping.rttMs !== undefined) return;

      ping.rttMs = performance.now() - openedAt;
      ping.echoed = data.equals(ping.payload);
      mark('ping');
    });

    ws.on('close', (code: number, reason: Buffer) => {
      if (done || openedAt === 0) return;

      const atMs = performance.now() - openedAt;
      if (!clientClosing) record.watchedMs = atMs;
      const initiator = clientClosing ? 'client' : code === 1006 ? 'none' : 'server';
      record.close = {
        initiator,
        code,
        reason: reason.toString('utf8'),
        atMs,
        timedOut: false,
        ...(lastError ? { error: lastError } : {}),
      };
      finish();
    });

    function mark(flag: keyof typeof flags): void {
      flags[flag] = true;
      if (!flags.duration || !flags.firstMessage || !flags.ping || clientClosing) return;
      if (ws.readyState !== WebSocket.OPEN) return;

      // RFC 6455 §7.1.2: the client starts the closing handshake and waits
      // for the server's close frame before the TCP connection ends.
      clientClosing = true;
      record.watchedMs = performance.now() - openedAt;
      ws.close(1000, 'contract check done');
      after(options.closeTimeoutMs, () => {
        if (done) return;
        record.close = {
          initiator: 'client',
          code: 1006,
          reason: '',
          atMs: performance.now() - openedAt,
          timedOut: true,
        };
        ws.terminate();
        finish();
      });
    }
  });
}

function readSome(res: IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let called = false;
  const end = () => {
    if (called) return;
    called = true;
    done(Buffer.concat(chunks).toString('utf8').slice(0, MAX_REJECTION_BODY));
  };

  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_REJECTION_BODY) chunks.push(chunk);
  });
  res.on('end', end);
  res.on('error', end);
  res.on('close', end);
}

/**
 * The answer to a bare handshake: `101` when the server upgraded, else its HTTP status or failure.
 */
export interface HandshakeProbe {
  upgraded: boolean;
  status?: number;
  body?: string;
  error?: { code: string; message: string };
}

/** Tries one handshake and closes at once; for the "refused without a token" check. */
export function tryHandshake(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<HandshakeProbe> {
  return new Promise((resolve) => {
    let done = false;
    const settle = (probe: HandshakeProbe) => {
      if (done) return;
      done = true;
      resolve(probe);
    };

    const ws = new WebSocket(url, { headers, followRedirects: false });
    const timer = setTimeout(() => {
      settle({
        upgraded: false,
        error: { code: 'ETIMEDOUT', message: `no answer within ${timeoutMs} ms` },
      });
      ws.terminate();
    }, timeoutMs);
    ws.on('close', () => clearTimeout(timer));
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      readSome(res, (body) => {
        settle({ upgraded: false, status: res.statusCode, body });
        ws.terminate();
      });
    });
    // Resolve once the connection is gone, so the caller leaves nothing open.
    ws.on('open', () => {
      clearTimeout(timer);
      ws.close(1000, 'contract check done');
      setTimeout(() => ws.terminate(), timeoutMs).unref();
    });
    ws.on('close', () => settle({ upgraded: true, status: 101 }));
    ws.on('error', (err: Error & { code?: string }) => {
      settle({ upgraded: false, error: { code: err.code ?? 'EUNKNOWN', message: err.message } });
    });
  });
}
