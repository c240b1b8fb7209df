import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProblemJsonError, type IHttpRequest, type IHttpResponse } from '@stoplight/prism-http';
import * as E from 'fp-ts/Either';
import type { Logger } from 'pino';
import { AUTH_FAILED_BODY, hasToken, redactUrl } from '../auth';
import { wsRouteOf } from '../routes';
import type { SnapshotStore } from '../snapshot-store';
import { answerPreflight, applyCors } from './cors';
import { LiveBody, type PrismEngine } from './prism-engine';
import { sendProblem } from './problem';

const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpAdapterOptions {
  engine: PrismEngine;
  store: SnapshotStore;
  log: Logger;
  /** When set, every request must carry it (see auth.ts). */
  token?: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The request listener of the mock's HTTP server: everything but websocket upgrades. */
export function createHttpAdapter(options: HttpAdapterOptions): Handler {
  let nextId = 0;

  return (req, res) => {
    const id = ++nextId;
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      options.log.info(
        {
          reqId: id,
          method: req.method,
          url: redactUrl(req.url ?? ''),
          status: res.statusCode,
          ms: Math.round(ms * 100) / 100,
        },
        'request',
      );
    });

    handle(req, res, options).catch((err: unknown) => {
      options.log.error({ reqId: id, err }, 'request failed (a bug in the mock server)');
      if (res.headersSent) res.destroy();
      else
        sendProblem(res, 500, {
          type: 'about:blank',
          title: 'Internal Server Error',
          detail: 'The mock server failed to answer; see its log.',
        });
    });
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: HttpAdapterOptions,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://mock.invalid');
  if (answerPreflight(req, res)) return;
  applyCors(req, res);

  const wsRoute = wsRouteOf(url.pathname);
  if (wsRoute !== undefined) {
    sendProblem(
      res,
      426,
      {
        type: 'about:blank',
        title: 'Upgrade Required',
        detail: `${url.pathname} is a websocket route: connect to it with a websocket client (ws://HOST${url.pathname}).`,
      },
      { Upgrade: 'websocket', Connection: 'Upgrade' },
    );
    return;
  }

  if (options.token !== undefined && !hasToken(options.token, req.headers, url.searchParams)) {
    res.writeHead(401, {
      'Content-Type': 'application/json',
      'Content-Length': AUTH_FAILED_BODY.length,
      'WWW-Authenticate': 'Bearer realm="running-tasks"',
    });
    res.end(AUTH_FAILED_BODY);
    return;
  }

  const body = await readBody(req);
  if (body === TOO_LARGE) {
    sendProblem(res, 413, {
      type: 'about:blank',
      title: 'Payload Too Large',
      detail: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
    });
    return;
  }

  const input: IHttpRequest = {
    method: (req.method ?? 'GET').toLowerCase() as IHttpRequest['method'],
    url: { path: url.pathname, query: queryOf(url.searchParams) },
    headers: req.headers as Record<string, string>,
    body,
  };
  const result = await options.engine.request(input);
  if (E.isLeft(result)) {
    sendPrismError(res, result.left);
    return;
  }
  sendOutput(res, result.right, options.store);
}

function sendOutput(res: ServerResponse, output: IHttpResponse, store: SnapshotStore): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(output.headers ?? {})) headers[name] = String(value);

  let payload: Buffer | string;
  if (output.body instanceof LiveBody) {
    const snapshot = store.get(output.body.api);
    payload = snapshot.body;
    headers['Cache-Control'] = 'no-store';
  } else if (output.body === undefined || output.body === null) {
    payload = '';
  } else if (typeof output.body === 'string') {
    payload = output.body;
  } else {
    payload = JSON.stringify(output.body);
  }

  res.writeHead(output.statusCode, { ...headers, 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Prism's own failures (no route, bad request, 406, ...) exactly as Prism's server sends them. */
function sendPrismError(res: ServerResponse, error: Error): void {
  const e = error as Error & { status?: number; additional?: { headers?: Record<string, string> } };
  const body = JSON.stringify(ProblemJsonError.toProblemJson(e));
  res.writeHead(e.status ?? 500, {
    ...(e.additional?.headers ?? {}),
    'Content-Type': 'application/problem+json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

const TOO_LARGE = Symbol('too large');

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return TOO_LARGE;
    chunks.push(chunk);
  }
  if (size === 0) return undefined;

  const text = Buffer.concat(chunks).toString('utf8');
  if (!/json/i.test(req.headers['content-type'] ?? '')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return query;
}
