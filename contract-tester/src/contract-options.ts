import type { ApiVersion } from './contract-model';
import type { FailOn } from './check-result';
import { InvalidOptionError } from './errors';

/**
 * How the token travels. The contract documents all three: the two
 * `Authorization` forms of the OpenAPI security schemes, and the `token`
 * query parameter of the AsyncAPI `queryToken` scheme (for browsers, which
 * cannot set headers on a websocket handshake).
 */
export type AuthScheme = 'bearer' | 'x-api-key' | 'query';

export interface ContractRunOptions {
  baseUrl: string;
  token?: string;
  authScheme: AuthScheme;
  api: ApiVersion | 'all';
  /** How long each stream is watched. */
  wsDurationMs: number;
  /** The bound on the first message after the handshake. */
  firstMessageTimeoutMs: number;
  /** Per HTTP request and per websocket handshake. */
  requestTimeoutMs: number;
  /**
   * How long a ping may wait for its pong, and the close handshake for the server's close frame.
   */
  pingTimeoutMs: number;
  closeTimeoutMs: number;
  /** A snapshot must equal the list of a GET answered within this many ms of it. */
  consistencyWindowMs: number;
  /** Sent as `Origin` on the handshake and on the CORS checks; enables the CORS checks. */
  origin?: string;
  /** Websocket sub-protocols to offer (RFC 6455 §1.9). */
  wsProtocols: string[];
  failOn: FailOn;
}

export const DEFAULT_CONTRACT_OPTIONS: Omit<ContractRunOptions, 'baseUrl'> = {
  authScheme: 'bearer',
  api: 'all',
  wsDurationMs: 3000,
  firstMessageTimeoutMs: 2000,
  requestTimeoutMs: 5000,
  pingTimeoutMs: 2000,
  closeTimeoutMs: 2000,
  consistencyWindowMs: 2000,
  wsProtocols: [],
  failOn: 'error',
};

/** Fills defaults and refuses values the run cannot use, naming the option as the CLI spells it. */
export function resolveContractOptions(
  input: Partial<ContractRunOptions> & { baseUrl: string },
): ContractRunOptions {
  const options: ContractRunOptions = {
    ...DEFAULT_CONTRACT_OPTIONS,
    ...dropUndefined(input),
    baseUrl: input.baseUrl,
  };

  parseBaseUrl(options.baseUrl);
  if (options.origin !== undefined) parseOrigin(options.origin);
  oneOf('--api', options.api, ['v1', 'v2', 'all']);
  oneOf('--auth-scheme', options.authScheme, ['bearer', 'x-api-key', 'query']);
  oneOf('--fail-on', options.failOn, ['error', 'warning']);

  positive('--ws-duration', options.wsDurationMs);
  positive('--first-message-timeout', options.firstMessageTimeoutMs);
  positive('--request-timeout', options.requestTimeoutMs);
  positive('--ping-timeout', options.pingTimeoutMs);
  positive('--close-timeout', options.closeTimeoutMs);
  nonNegative('--consistency-window', options.consistencyWindowMs);

  if (options.token === '') throw new InvalidOptionError('--token', 'is empty');
  return options;
}

/** The base URL, without a trailing slash; http or https only. */
export function parseBaseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidOptionError('--base-url', `${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionError('--base-url', `must be http:// or https://, is ${url.protocol}//`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new InvalidOptionError('--base-url', 'must not have a query or a fragment');
  }
  return url;
}

function parseOrigin(value: string): void {
  // An Origin is a serialised origin (RFC 6454 §6.2): scheme, host, port, no path.
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidOptionError('--origin', `${JSON.stringify(value)} is not an origin`);
  }
  if (url.origin !== value) {
    throw new InvalidOptionError('--origin', `must be an origin like ${url.origin}, is ${value}`);
  }
}

function oneOf(option: string, value: string, allowed: readonly string[]): void {
  if (allowed.includes(value)) return;
  throw new InvalidOptionError(
    option,
    `must be one of ${allowed.join(', ')}, is ${JSON.stringify(value)}`,
  );
}

function positive(option: string, value: number): void {
  if (Number.isFinite(value) && value > 0) return;
  throw new InvalidOptionError(option, `must be a positive number of milliseconds, is ${value}`);
}

function nonNegative(option: string, value: number): void {
  if (Number.isFinite(value) && value >= 0) return;
  throw new InvalidOptionError(option, `must be zero or more milliseconds, is ${value}`);
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
