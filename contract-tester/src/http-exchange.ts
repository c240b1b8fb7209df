import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { TransportError } from './errors';

export interface HttpExchange {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as received, before any content coding was undone. */
  rawBody: Buffer;
  /**
   * The body with its content coding undone (RFC 9110 §8.4); equal to `rawBody` when there was
   * none.
   */
  body: Buffer;
  durationMs: number;
  /** Monotonic clock readings (performance.now) of the request's start and end. */
  startedAt: number;
  endedAt: number;
}

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
}

/** Errors Node reports before any byte was exchanged: nothing listens, or there is no such host. */
const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

/**
 * One HTTP request with no connection reuse, so that every check sees a
 * fresh connection and a test's server can close at once. Rejects with a
 * `TransportError` when the exchange fails below HTTP.
 */
export function httpExchange(url: URL, options: HttpRequestOptions): Promise<HttpExchange> {
  const client = url.protocol === 'https:' ? https : http;
  const startedAt = performance.now();

  return new Promise((resolve, reject) => {
    let connected = false;
    const req = client.request(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      agent: false,
      timeout: options.timeoutMs,
    });

    req.on('socket', (socket) => socket.once('connect', () => (connected = true)));
    req.on('timeout', () => {
      req.destroy(
        new TransportError('ETIMEDOUT', `no answer within ${options.timeoutMs} ms`, !connected),
      );
    });
    req.on('error', (err) => reject(toTransportError(err, connected)));

    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err) => reject(toTransportError(err, true)));
      res.on('end', () => {
        const endedAt = performance.now();
        const rawBody = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawBody,
          body: decodeContent(rawBody, res.headers['content-encoding']),
          durationMs: endedAt - startedAt,
          startedAt,
          endedAt,
        });
      });
    });
    req.end();
  });
}

/**
 * Undoes gzip, deflate or br so the body can be checked; an unknown coding leaves the bytes as they
 * are.
 */
export function decodeContent(raw: Buffer, encoding: string | undefined): Buffer {
  const coding = encoding?.trim().toLowerCase();
  try {
    if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(raw);
    if (coding === 'deflate') return inflateSync(raw);
    if (coding === 'br') return brotliDecompressSync(raw);
  } catch {
    return raw;
  }
  return raw;
}

export function toTransportError(err: unknown, connected: boolean): TransportError {
  if (err instanceof TransportError) return err;

  const code = (err as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
  const message = err instanceof Error ? err.message : String(err);
  const beforeConnect = !connected && CONNECT_ERRORS.has(code);
  return new TransportError(code, describeTransport(code, message), beforeConnect, { cause: err });
}

function describeTransport(code: string, message: string): string {
  switch (code) {
    case 'ECONNRESET':
      return 'the connection was reset (ECONNRESET)';
    case 'ECONNREFUSED':
      return 'the connection was refused (ECONNREFUSED)';
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_STATUS':
      return `the answer is not HTTP (${code})`;
    default:
      return message.includes(code) ? message : `${message} (${code})`;
  }
}
