import type { IncomingMessage, ServerResponse } from 'node:http';
import { SettingError } from '../errors';

/**
 * Which browser origins may read the mock's answers: every origin (the
 * caller's reflected), none (no CORS headers at all), or a fixed list.
 */
export type CorsPolicy =
  { mode: 'reflect' } | { mode: 'off' } | { mode: 'list'; origins: ReadonlySet<string> };

/** Response headers a script may read besides the CORS-safelisted ones (Fetch standard). */
const EXPOSED_HEADERS = 'WWW-Authenticate, Upgrade';

/** `true` or absent: reflect every origin; `false`: off; a list: only those origins. */
export function corsPolicyFrom(option: boolean | readonly string[] | undefined): CorsPolicy {
  if (option === false) return { mode: 'off' };
  if (option === undefined || option === true) return { mode: 'reflect' };

  const origins = new Set<string>();
  for (const origin of option) {
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined)
      throw new SettingError(`"${origin}" is not an origin like http://localhost:5173`);
    origins.add(normalized);
  }
  return { mode: 'list', origins };
}

/**
 * The value for Access-Control-Allow-Origin, or undefined when the origin
 * may not read the answer. Always the origin itself, never `*`: with
 * credentials allowed the Fetch standard refuses a wildcard, so reflecting
 * is what lets a page send cookies or an Authorization header.
 */
export function allowedOrigin(policy: CorsPolicy, origin: string | undefined): string | undefined {
  if (origin === undefined || policy.mode === 'off') return undefined;
  if (policy.mode === 'reflect') return origin;
  return policy.origins.has(origin.toLowerCase()) ? origin : undefined;
}

const VARY_ORIGIN: readonly string[] = ['Vary', 'Origin'];
const NO_HEADERS: readonly string[] = [];

/** The CORS headers (name, value, name, value) of an answer to a request from `origin`. */
export function corsHeaders(policy: CorsPolicy, origin: string | undefined): readonly string[] {
  if (policy.mode === 'off') return NO_HEADERS;
  // The answer depends on Origin even when it carries none of the others,
  // so caches must key on it.
  const allowed = allowedOrigin(policy, origin);
  if (allowed === undefined) return VARY_ORIGIN;
  return [
    'Vary',
    'Origin',
    'Access-Control-Allow-Origin',
    allowed,
    'Access-Control-Allow-Credentials',
    'true',
    'Access-Control-Expose-Headers',
    EXPOSED_HEADERS,
  ];
}

/** Whether a request is a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. */
export function isPreflight(req: IncomingMessage): boolean {
  return (
    req.method === 'OPTIONS' &&
    req.headers.origin !== undefined &&
    req.headers['access-control-request-method'] !== undefined
  );
}

/**
 * Answers a preflight from an allowed origin with 204, on a response that
 * already carries `corsHeaders`. The allowed headers are the requested ones,
 * named, never `*` (a wildcard means a literal `*` when credentials are
 * allowed). Returns false for a refused origin, so the caller can say why.
 */
export function answerPreflight(
  policy: CorsPolicy,
  req: IncomingMessage,
  res: ServerResponse,
  methods: string,
): boolean {
  if (allowedOrigin(policy, req.headers.origin) === undefined) return false;

  res.setHeader('Access-Control-Allow-Methods', methods);
  const requested = req.headers['access-control-request-headers'];
  if (requested !== undefined) res.setHeader('Access-Control-Allow-Headers', requested);
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204, { 'Content-Length': '0' });
  res.end();
  return true;
}

/**
 * The CORS headers for a websocket handshake's 101 answer, or undefined
 * when the origin is refused. Browsers do not apply CORS to websockets: the
 * server must check Origin itself (RFC 6455 section 10.2), which is what a
 * list of origins does here.
 */
export function websocketCorsHeaders(
  policy: CorsPolicy,
  origin: string | undefined,
): string[] | undefined {
  if (policy.mode === 'off' || origin === undefined) return [];
  const allowed = allowedOrigin(policy, origin);
  if (allowed === undefined) return undefined;
  return [
    `Access-Control-Allow-Origin: ${allowed}`,
    'Access-Control-Allow-Credentials: true',
    'Vary: Origin',
  ];
}

/** `scheme://host[:port]` in lower case, or undefined when `text` is not an origin. */
function normalizeOrigin(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (url.origin === 'null' || url.pathname.length > 1 || url.search || url.hash)
      return undefined;
    return url.origin.toLowerCase();
  } catch {
    return undefined;
  }
}
