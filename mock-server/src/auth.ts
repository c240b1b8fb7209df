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

/** A URL fit for logs: the token query parameter, if any, is masked. */
export function redactUrl(url: string): string {
  if (!/token=/i.test(url)) return url;
  return url.replace(/([?&]token=)[^&#]*/gi, '$1***');
}
