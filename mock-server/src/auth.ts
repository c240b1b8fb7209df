import type { IncomingHttpHeaders } from 'node:http';

/** The API's own 401 body (not problem+json: clients of the real system expect this shape). */
export const AUTH_FAILED_BODY = Buffer.from(JSON.stringify({ message: 'auth failed' }));

/**
 * Whether a request carries the token, in any form the real system accepted:
 * `Authorization: Bearer T`, the older `Authorization: X-API-KEY T`, or a
 * `token` query parameter (browsers cannot set headers on a websocket).
 */
export function hasToken(
  token: string,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): boolean {
  const header = headers.authorization;
  if (header !== undefined) {
    const match = /^(Bearer|X-API-KEY)\s+(.+)$/i.exec(header.trim());
    if (match?.[2] === token) return true;
  }
  return query.get('token') === token;
}

/**
 * A URL fit for logs: the value of every query parameter that may hold a
 * secret is masked: `token` however its name is written (`%74oken`, since
 * the query is decoded before the token is looked up), and any name with
 * `token`, `secret`, `password` or `api_key` in it (`access_token`, or
 * `?token` from a URL joined with one `?` too many), whether or not the
 * mock would have accepted it.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const hash = url.indexOf('#', start);
  const end = hash < 0 ? url.length : hash;
  const query = url.slice(start + 1, end);
  // Most URLs: no parameter can be the token, and nothing is allocated.
  if (!/token|secret|password|key|%/i.test(query)) return url;
  // Split on `;` as well as `&`: some clients still separate parameters so.
  const masked = query
    .split(/([&;])/)
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = pair.slice(0, eq);
      return SECRET_NAME.test(decodedName(name)) ? `${name}=***` : pair;
    })
    .join('');
  return url.slice(0, start + 1) + masked + url.slice(end);
}

const SECRET_NAME = /token|secret|password|api[-_]?key/i;

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
