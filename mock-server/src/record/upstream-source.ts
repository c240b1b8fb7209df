import WebSocket from 'ws';
import { RecordError } from '../errors';
import { wait } from '../latency/wait';
import { HTTP_ROUTES, WS_ROUTES } from '../routes';
import type { ApiVersion } from '../scenario/scenario';
import { scrubText } from './scrub';

export interface UpstreamOptions {
  /** The backend's base URL (`http://host:port`), or the URL of one of its running-list routes. */
  upstream: string;
  /** Which lists to record; a route URL picks its own. */
  apis: readonly ApiVersion[];
  /** Listen to the websocket routes, or poll the HTTP routes. */
  mode: 'ws' | 'poll';
  /** Polling period. */
  intervalMs: number;
  token?: string;
  /** How the token is sent: as the real system's two header forms, or as `?token=`. */
  auth: 'bearer' | 'x-api-key' | 'query';
}

/** A list as received, with the wall time it arrived. */
export type SnapshotListener = (api: ApiVersion, tasks: unknown[], receivedAt: number) => void;

/** Something worth telling the user that did not stop the recording. */
export type ProblemListener = (message: string) => void;

const RECONNECT_MS = 500;
const REQUEST_TIMEOUT_MS = 10_000;

/** The route URL of each recorded list. A route URL given as upstream records that route only. */
export function routeUrls(
  options: Pick<UpstreamOptions, 'upstream' | 'apis' | 'mode'>,
): Map<ApiVersion, URL> {
  let base: URL;
  try {
    base = new URL(options.upstream);
  } catch {
    throw new RecordError(`--upstream "${scrubText(options.upstream)}" is not a URL`);
  }
  if (!/^(https?|wss?):$/.test(base.protocol))
    throw new RecordError(`--upstream must be an http(s) or ws(s) URL, not ${base.protocol}`);

  const routes = options.mode === 'ws' ? WS_ROUTES : HTTP_ROUTES;
  const known = [...Object.entries(HTTP_ROUTES), ...Object.entries(WS_ROUTES)] as [
    ApiVersion,
    string,
  ][];
  const own = known.find(([, route]) => base.pathname.endsWith(route));
  const prefix = own ? base.pathname.slice(0, -own[1].length) : base.pathname.replace(/\/$/, '');
  const apis = own ? [own[0]] : options.apis;

  const urls = new Map<ApiVersion, URL>();
  for (const api of apis) {
    const url = new URL(base);
    url.pathname = prefix + routes[api];
    url.protocol = schemeFor(url.protocol, options.mode);
    urls.set(api, url);
  }
  return urls;
}

/**
 * Receives the upstream's lists until `signal` aborts. A first connection
 * that fails rejects with RecordError (a wrong URL or token should stop the
 * recording at once); later failures are reported and retried.
 */
export async function watchUpstream(
  options: UpstreamOptions,
  onSnapshot: SnapshotListener,
  onProblem: ProblemListener,
  signal: AbortSignal,
): Promise<void> {
  const urls = routeUrls(options);
  const watchers = [...urls].map(([api, url]) =>
    options.mode === 'ws'
      ? listen(api, withToken(url, options), options, onSnapshot, onProblem, signal)
      : poll(api, withToken(url, options), options, onSnapshot, onProblem, signal),
  );
  await Promise.all(watchers);
}

async function listen(
  api: ApiVersion,
  url: URL,
  options: UpstreamOptions,
  onSnapshot: SnapshotListener,
  onProblem: ProblemListener,
  signal: AbortSignal,
): Promise<void> {
  let first = true;
  while (!signal.aborted) {
    const outcome = await session(api, url, options, onSnapshot, onProblem, signal);
    if (signal.aborted) return;
    if (first && outcome.error !== undefined)
      throw new RecordError(`cannot connect to ${shown(url)}: ${outcome.error}`);
    first = false;
    onProblem(`${shown(url)} ${outcome.error ?? `closed (${outcome.code ?? '?'})`}; reconnecting`);
    await wait(RECONNECT_MS, signal);
  }
}

/** One websocket connection, until it closes or the recording stops. */
function session(
  api: ApiVersion,
  url: URL,
  options: UpstreamOptions,
  onSnapshot: SnapshotListener,
  onProblem: ProblemListener,
  signal: AbortSignal,
): Promise<{ error?: string; code?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: authHeaders(options) });
    let opened = false;
    const stop = (): void => ws.close(1000, 'recording finished');
    signal.addEventListener('abort', stop, { once: true });

    ws.on('open', () => {
      opened = true;
    });
    ws.on('message', (data: Buffer, isBinary) => {
      const tasks = parseList(isBinary ? undefined : data.toString('utf8'));
      if (tasks === undefined)
        onProblem(`${shown(url)} sent a message that is not a JSON array; skipped`);
      else onSnapshot(api, tasks, Date.now());
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ error: `the handshake was answered ${res.statusCode ?? '?'}` });
      ws.terminate();
    });
    ws.on('error', (err) => {
      if (!opened) resolve({ error: err.message });
    });
    ws.on('close', (code) => {
      signal.removeEventListener('abort', stop);
      resolve({ code });
    });
  });
}

async function poll(
  api: ApiVersion,
  url: URL,
  options: UpstreamOptions,
  onSnapshot: SnapshotListener,
  onProblem: ProblemListener,
  signal: AbortSignal,
): Promise<void> {
  let first = true;
  while (!signal.aborted) {
    const error = await fetchOnce(api, url, options, onSnapshot, signal);
    if (signal.aborted) return;
    if (first && error !== undefined) throw new RecordError(`cannot read ${shown(url)}: ${error}`);
    first = false;
    if (error !== undefined) onProblem(`${shown(url)}: ${error}`);
    await wait(options.intervalMs, signal);
  }
}

async function fetchOnce(
  api: ApiVersion,
  url: URL,
  options: UpstreamOptions,
  onSnapshot: SnapshotListener,
  signal: AbortSignal,
): Promise<string | undefined> {
  try {
    const res = await fetch(url, {
      headers: { Accept: 'application/json', ...authHeaders(options) },
      signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    const text = await res.text();
    if (res.status !== 200) return `answered HTTP ${res.status}`;
    const tasks = parseList(text);
    if (tasks === undefined) return 'the answer is not a JSON array';
    onSnapshot(api, tasks, Date.now());
    return undefined;
  } catch (err) {
    if (signal.aborted) return undefined;
    return (err as Error).cause instanceof Error
      ? ((err as Error).cause as Error).message
      : (err as Error).message;
  }
}

function parseList(text: string | undefined): unknown[] | undefined {
  if (text === undefined) return undefined;
  try {
    const data: unknown = JSON.parse(text);
    return Array.isArray(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

function authHeaders(options: UpstreamOptions): Record<string, string> {
  if (options.token === undefined || options.auth === 'query') return {};
  const scheme = options.auth === 'bearer' ? 'Bearer' : 'X-API-KEY';
  return { Authorization: `${scheme} ${options.token}` };
}

function withToken(url: URL, options: UpstreamOptions): URL {
  if (options.token === undefined || options.auth !== 'query') return url;
  const copy = new URL(url);
  copy.searchParams.set('token', options.token);
  return copy;
}

function schemeFor(protocol: string, mode: 'ws' | 'poll'): string {
  const secure = protocol === 'https:' || protocol === 'wss:';
  if (mode === 'ws') return secure ? 'wss:' : 'ws:';
  return secure ? 'https:' : 'http:';
}

/** A URL fit for messages: no credentials in it. */
function shown(url: URL): string {
  return scrubText(url.toString());
}
