import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ProblemJsonError, type IHttpRequest, type IHttpResponse } from '@stoplight/prism-http';
import { parse as parseContentType } from 'content-type';
import * as E from 'fp-ts/Either';
import type { Logger } from 'pino';
import { AUTH_FAILED_BODY, hasToken } from '../auth';
import { isControlPath } from '../control/control-access';
import { mockPreferences, type MockPreferences } from '../control/request-preferences';
import { isSettingError } from '../errors';
import { requestedHttpFault, type FaultBook } from '../faults/fault-book';
import type { HttpFaultKind } from '../faults/fault-rule';
import { isStatusFault, mangleBody, sendStatusFault } from '../faults/http-faults';
import { parseDelaySpec } from '../latency/delay-spec';
import type { LatencyPolicy } from '../latency/latency-policy';
import { wait } from '../latency/wait';
import { wsRouteOf } from '../routes';
import type { SnapshotStore } from '../snapshot-store';
import { answerPreflight, corsHeaders, isPreflight, type CorsPolicy } from './cors';
import { Exchange } from './exchange';
import { liveHeaders, type FastPath } from './fast-path';
import { LiveBody, type PrismEngine } from './prism-engine';
import { endSocketWith, sendProblem } from './problem';
import { createRequestLog } from './request-log';

const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpAdapterOptions {
  /** The engine to answer with; a reload swaps it, so it is read per request. */
  engine: () => PrismEngine;
  store: SnapshotStore;
  log: Logger;
  /** When set, every API request must carry it (see auth.ts). */
  token?: string;
  cors: CorsPolicy;
  latency: LatencyPolicy;
  faults: FaultBook;
  /** Answers the control routes under /__mock. */
  control?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
  /**
   * Replays Prism's decisions for request shapes it has seen; absent, every request goes to Prism.
   */
  fastPath?: FastPath;
}

/**
 * The server's `clientError` listener: a request Node's parser refuses (a
 * malformed request line or header, headers over the size limit, a timeout)
 * gets a problem+json answer and a log line, where Node alone answers with
 * a bare status and logs nothing.
 */
export function createClientErrorHandler(
  log: Logger,
): (err: Error & { code?: string }, socket: Duplex) => void {
  return (err, socket) => {
    // A response already under way on this connection cannot be followed by another.
    const underWay = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || underWay?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, title] = PARSER_REFUSALS[err.code ?? ''] ?? [400, 'Bad Request'];
    const remote = (socket as { remoteAddress?: string }).remoteAddress;
    log.info({ status, code: err.code, remote }, 'request refused: Node could not parse it');
    endSocketWith(socket, status, title, {
      type: 'about:blank',
      title,
      detail: `The request could not be read as HTTP/1.1 (${err.code ?? err.message}).`,
    });
  };
}

const PARSER_REFUSALS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

/** A step of the pipeline; resolves true when it answered the request. */
type Stage = (x: Exchange, options: HttpAdapterOptions) => boolean | Promise<boolean>;

/**
 * The request pipeline, in order. Each stage either answers (and the rest
 * are skipped) or hands on. The fast path sits just before `prism`, so it
 * inherits CORS, auth, faults and latency, and writes through `x.send`.
 */
const PIPELINE: readonly Stage[] = [
  cors,
  control,
  upgradeRequired,
  auth,
  faults,
  latency,
  statusFault,
  fastPath,
  prism,
];

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The request listener of the mock's HTTP server: everything but websocket upgrades. */
export function createHttpAdapter(options: HttpAdapterOptions): Handler {
  let nextId = 0;
  const logRequest = createRequestLog(options.log);

  return (req, res) => {
    const x = new Exchange(++nextId, req, res);
    let pending: Promise<void> | undefined;
    try {
      pending = run(x, options);
    } catch (err) {
      fail(x, options.log, err);
    }
    // Answered already (the fast path, most errors): logged now, with no
    // listener to add. Otherwise logged once the answer is out.
    if (pending === undefined && x.ended) {
      logRequest(x);
      return;
    }
    res.on('finish', () => logRequest(x));
    pending?.catch((err: unknown) => fail(x, options.log, err));
  };
}

/** A stage threw: a bug. Logged, and answered with a 500 unless the answer had begun. */
function fail(x: Exchange, log: Logger, err: unknown): void {
  log.error({ reqId: x.id, err }, 'request failed (a bug in the mock server)');
  const res = x.response;
  if (res.headersSent) res.destroy();
  else
    sendProblem(res, 500, {
      type: 'about:blank',
      title: 'Internal Server Error',
      detail: 'The mock server failed to answer; see its log.',
    });
}

/**
 * Runs the stages from `start`. Stages that answer synchronously run without
 * a microtask between them, and a request answered that way returns no
 * promise at all: on the fast path no stage awaits anything.
 */
function run(x: Exchange, options: HttpAdapterOptions, start = 0): Promise<void> | undefined {
  for (let i = start; i < PIPELINE.length; i++) {
    const answered = PIPELINE[i](x, options);
    if (answered === true) return undefined;
    if (answered !== false)
      return answered.then((done) => (done ? undefined : run(x, options, i + 1)));
  }
  return undefined;
}

/**
 * CORS: answers preflights, adds the headers to everything else (Fetch standard, CORS protocol).
 */
function cors(x: Exchange, { cors: policy }: HttpAdapterOptions): boolean {
  x.carry(corsHeaders(policy, x.req.headers.origin));
  if (policy.mode === 'off' || !isPreflight(x.req)) return false;

  const methods = isControlPath(x.pathname)
    ? 'GET, POST, PUT, PATCH, DELETE, OPTIONS'
    : 'GET, OPTIONS';
  if (answerPreflight(policy, x.req, x.response, methods)) return true;
  sendProblem(x.response, 403, {
    type: 'about:blank',
    title: 'Forbidden',
    detail: `the origin ${x.req.headers.origin ?? ''} is not among the allowed CORS origins`,
    code: 'RT_CORS_ORIGIN_REFUSED',
  });
  return true;
}

/** The control API under /__mock: before auth, faults and latency, which it is there to set. */
function control(x: Exchange, options: HttpAdapterOptions): boolean | Promise<boolean> {
  if (options.control === undefined || !isControlPath(x.pathname)) return false;
  return options.control(x.req, x.response, x.url).then(() => true);
}

/** A plain GET on a websocket route: 426 with a hint (RFC 9110 section 15.5.22). */
function upgradeRequired(x: Exchange): boolean {
  if (wsRouteOf(x.pathname) === undefined) return false;
  sendProblem(
    x.response,
    426,
    {
      type: 'about:blank',
      title: 'Upgrade Required',
      detail: `${x.pathname} is a websocket route: connect to it with a websocket client (ws://HOST${x.pathname}).`,
    },
    { Upgrade: 'websocket', Connection: 'Upgrade' },
  );
  return true;
}

/** The API's token, when one is configured; the answer is the API's own 401 body. */
function auth(x: Exchange, options: HttpAdapterOptions): boolean {
  if (options.token === undefined || hasToken(options.token, x.req.headers, x.url.searchParams))
    return false;
  x.response.writeHead(401, {
    'Content-Type': 'application/json',
    'Content-Length': AUTH_FAILED_BODY.length,
    'WWW-Authenticate': 'Bearer realm="running-tasks"',
  });
  x.response.end(AUTH_FAILED_BODY);
  return true;
}

/**
 * Picks this request's fault: its own (`Prefer: fault=…`, `?__fault=…`),
 * else one from the rules. A body fault wraps `x.send`; a status fault is
 * answered after the delay, so a slow network stays slow for errors too.
 */
function faults(x: Exchange, options: HttpAdapterOptions): boolean {
  let kind: HttpFaultKind | undefined;
  try {
    kind = requestedHttpFault(preferencesOf(x).fault);
  } catch (err) {
    return refuseSetting(x, err);
  }
  kind ??= options.faults.takeHttp(x.pathname)?.kind;
  if (kind === undefined) return false;

  x.fault = kind;
  if (!isStatusFault(kind)) {
    const send = x.send.bind(x);
    x.send = (status, headers, body) => send(status, headers, mangleBody(kind, Buffer.from(body)));
  }
  return false;
}

/** Holds the request on a timer: its own delay, else its route's, else the server's. */
function latency(x: Exchange, options: HttpAdapterOptions): boolean | Promise<boolean> {
  let ms: number;
  try {
    const text = preferencesOf(x).delay;
    ms = options.latency.delayFor(
      x.pathname,
      text === undefined ? undefined : parseDelaySpec(text),
    );
  } catch (err) {
    return refuseSetting(x, err);
  }
  if (ms <= 0) return false;

  x.delayMs = ms;
  // The client left while waiting: there is no one to answer.
  return wait(ms, x.signal).then((waited) => !waited);
}

/** Answers a status fault (6808, 401, 500) chosen by the faults stage. */
function statusFault(x: Exchange): boolean {
  if (x.fault === undefined || !isStatusFault(x.fault)) return false;
  sendStatusFault(x.response, x.fault);
  return true;
}

/**
 * A running-list request of a shape Prism has already answered with the
 * live list: the same status and headers, the store's bytes, no Prism.
 */
function fastPath(x: Exchange, { fastPath: path, store }: HttpAdapterOptions): boolean {
  if (path === undefined) return false;
  x.shape = path.keyOf(x.req, x.pathname);
  if (x.shape === undefined) return false;

  const decision = path.lookup(x.shape);
  if (decision?.kind !== 'live') return false;
  path.hits++;
  x.send(decision.statusCode, decision.headers, store.get(decision.api).body);
  return true;
}

/** Prism: routing, request validation, negotiation, `Prefer`; the live lists swapped in. */
async function prism(x: Exchange, options: HttpAdapterOptions): Promise<boolean> {
  const body = await readBody(x.req);
  if (body === TOO_LARGE) {
    sendProblem(x.response, 413, {
      type: 'about:blank',
      title: 'Payload Too Large',
      detail: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
    });
    return true;
  }

  const input: IHttpRequest = {
    method: (x.req.method ?? 'GET').toLowerCase() as IHttpRequest['method'],
    url: { path: x.pathname, query: queryOf(x.url.searchParams) },
    headers: x.req.headers as Record<string, string>,
    body,
  };
  let result: Awaited<ReturnType<PrismEngine['request']>>;
  try {
    result = await options.engine().request(input);
  } catch (err) {
    if (!isMediaTypeError(err)) throw err;
    // Prism parses Accept and Content-Type as it goes and throws on what it cannot read.
    const contentType = x.req.headers['content-type'];
    const [header, value] = readsAsMediaType(contentType)
      ? ['Accept', x.req.headers.accept ?? '']
      : ['Content-Type', contentType ?? ''];
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    sendProblem(x.response, 400, {
      type: 'about:blank',
      title: 'Bad Request',
      detail:
        `The ${header} header ${JSON.stringify(shown)} cannot be read as media types: ` +
        'each entry must be type/subtype, with optional name=value parameters.',
    });
    return true;
  }
  if (E.isLeft(result)) {
    sendPrismError(x, result.left);
    return true;
  }
  const { output, violations } = result.right;
  if (violations.length > 0) {
    // Examples are checked when the document loads; this catches the rest
    // (a made-up body, or no media type left once Accept refuses them all).
    options.log.warn(
      {
        reqId: x.id,
        status: output.statusCode,
        violations: violations.map((v) => `${v.path?.join('.') ?? ''} ${v.message}`.trim()),
      },
      'the answer breaks the contract',
    );
  }
  // An answer that breaks the contract is not replayed: each one goes through
  // Prism again, and is reported again.
  if (x.shape !== undefined && violations.length === 0) options.fastPath?.learn(x.shape, output);
  sendOutput(x, output, options.store);
  return true;
}

/**
 * The errors Prism lets out for a header it cannot parse: `content-type`'s
 * (for Accept) and `whatwg-mimetype`'s (for a body's Content-Type).
 */
const CONTENT_TYPE_ERRORS =
  /^(invalid (media type|parameter \w+|type)|argument string is required( to be a string)?)$/;

function isMediaTypeError(err: unknown): err is Error {
  if (!(err instanceof Error)) return false;
  return (
    (err instanceof TypeError && CONTENT_TYPE_ERRORS.test(err.message)) ||
    err.message.startsWith('Could not parse MIME type string')
  );
}

function readsAsMediaType(value: string | undefined): boolean {
  if (value === undefined) return true;
  try {
    parseContentType(value);
    return true;
  } catch {
    return false;
  }
}

/** The request's own `delay` and `fault` preferences, read once. */
function preferencesOf(x: Exchange): MockPreferences {
  // Most requests ask for nothing: skip parsing when there is nothing to parse.
  if (x.req.headers.prefer === undefined && !x.search.includes('__')) return NO_PREFERENCES;
  x.preferences ??= mockPreferences(x.req.headers, x.url.searchParams);
  return x.preferences;
}

const NO_PREFERENCES: MockPreferences = Object.freeze({});

function refuseSetting(x: Exchange, err: unknown): true {
  if (!isSettingError(err)) throw err;
  sendProblem(x.response, 400, {
    type: 'about:blank',
    title: 'Bad Request',
    detail: err.message,
    code: err.code,
  });
  return true;
}

function sendOutput(x: Exchange, output: IHttpResponse, store: SnapshotStore): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(output.headers ?? {})) headers[name] = String(value);

  if (output.body instanceof LiveBody) {
    x.send(output.statusCode, liveHeaders(headers), store.get(output.body.api).body);
    return;
  }

  let payload: Buffer | string;
  if (output.body === undefined || output.body === null) {
    payload = '';
  } else if (typeof output.body === 'string') {
    payload = output.body;
  } else {
    payload = JSON.stringify(output.body);
  }
  x.send(output.statusCode, headers, payload);
}

/** Prism's own failures (no route, bad request, 406, ...) exactly as Prism's server sends them. */
function sendPrismError(x: Exchange, error: Error): void {
  const e = error as Error & { status?: number; additional?: { headers?: Record<string, string> } };
  const body = JSON.stringify(ProblemJsonError.toProblemJson(e));
  x.send(
    e.status ?? 500,
    { ...(e.additional?.headers ?? {}), 'Content-Type': 'application/problem+json' },
    body,
  );
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
