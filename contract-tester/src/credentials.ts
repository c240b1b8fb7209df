import type { AuthScheme } from './contract-options';

export interface Credentials {
  token: string;
  scheme: AuthScheme;
}

/** A request target with the credentials applied: a header, or the `token` query parameter. */
export function applyCredentials(
  url: URL,
  credentials: Credentials | undefined,
): { url: URL; headers: Record<string, string> } {
  const target = new URL(url);
  if (credentials === undefined) return { url: target, headers: {} };

  switch (credentials.scheme) {
    case 'bearer':
      return { url: target, headers: { authorization: `Bearer ${credentials.token}` } };
    case 'x-api-key':
      return { url: target, headers: { authorization: `X-API-KEY ${credentials.token}` } };
    case 'query':
      target.searchParams.set('token', credentials.token);
      return { url: target, headers: {} };
  }
}

/** The same credentials with a token the backend cannot know, for the "wrong token" probe. */
export function wrongCredentials(credentials: Credentials): Credentials {
  return { ...credentials, token: `${credentials.token}-not-the-token` };
}

/**
 * A URL as it may appear in a log or a report: the `token` query parameter
 * replaced. Headers never reach a report, so this is the only place a
 * token could leak from.
 */
export function redactUrl(url: URL | string): string {
  const copy = new URL(url);
  if (copy.searchParams.has('token')) copy.searchParams.set('token', 'REDACTED');
  if (copy.password !== '') copy.password = 'REDACTED';
  return copy.toString();
}

/** A request target (`/path?query`) for a log line or a report: the `token` parameter replaced. */
export function redactTarget(target: string): string {
  return redactUrl(new URL(target, 'http://proxy')).replace(/^http:\/\/proxy/, '');
}
