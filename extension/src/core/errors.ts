import type { Diagnostic } from '@running-tasks/contracts';

/**
 * Stable codes for every failure the extension can meet. The tree, the log and the
 * tests decide by code, never by message text; a code is never reused for something else.
 */
export const ERROR_CODES = {
  UNREACHABLE: 'RT_ERR_UNREACHABLE',
  AUTH_FAILED: 'RT_ERR_AUTH_FAILED',
  API_ERROR: 'RT_ERR_API_ERROR',
  HTTP_STATUS: 'RT_ERR_HTTP_STATUS',
  BAD_PAYLOAD: 'RT_ERR_BAD_PAYLOAD',
  WEBSOCKET_REFUSED: 'RT_ERR_WEBSOCKET_REFUSED',
  CONFIG: 'RT_ERR_CONFIG',
  MOCK_START: 'RT_ERR_MOCK_START',
  INTERNAL: 'RT_ERR_INTERNAL',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Base of every error the extension raises on purpose. */
export abstract class RunningTasksError extends Error {
  abstract readonly code: ErrorCode;
}

/** The backend could not be reached at all: refused, reset, DNS, timeout. */
export class UnreachableError extends RunningTasksError {
  override readonly name = 'UnreachableError';
  readonly code = ERROR_CODES.UNREACHABLE;

  constructor(
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach ${url}: ${describeCause(options?.cause)}`, options);
  }
}

/** HTTP 401 (the API answers `{"message": "auth failed"}`), on GET or on the websocket upgrade. */
export class AuthFailedError extends RunningTasksError {
  override readonly name = 'AuthFailedError';
  readonly code = ERROR_CODES.AUTH_FAILED;

  constructor(
    readonly url: string,
    readonly hadToken: boolean,
  ) {
    super(`authentication failed at ${url} (${hadToken ? 'token rejected' : 'no token set'})`);
  }
}

/** The API's own error envelope (`{"message", "code": "6808", "description"}`), often HTTP 400. */
export class ApiError extends RunningTasksError {
  override readonly name = 'ApiError';
  readonly code = ERROR_CODES.API_ERROR;

  constructor(
    readonly url: string,
    readonly httpStatus: number,
    readonly apiCode: string,
    readonly apiMessage: string,
    readonly description: string,
  ) {
    super(`${url} answered ${httpStatus} with API error ${apiCode}: ${apiMessage}`);
  }
}

/** Any other HTTP status that is not a success. */
export class HttpStatusError extends RunningTasksError {
  override readonly name = 'HttpStatusError';
  readonly code = ERROR_CODES.HTTP_STATUS;

  constructor(
    readonly url: string,
    readonly httpStatus: number,
  ) {
    super(`${url} answered HTTP ${httpStatus}`);
  }
}

/** A payload that is not JSON or breaks the contract. `diagnostics` say where. */
export class BadPayloadError extends RunningTasksError {
  override readonly name = 'BadPayloadError';
  readonly code = ERROR_CODES.BAD_PAYLOAD;

  constructor(
    readonly source: string,
    readonly diagnostics: readonly Diagnostic[],
    options?: { cause?: unknown },
  ) {
    const first = diagnostics[0];
    const where = first ? `${first.path}: ${first.message}` : describeCause(options?.cause);
    super(`bad payload from ${source}: ${where}`, options);
  }
}

/** The server answered the websocket upgrade with something other than 101 (and not 401). */
export class WebsocketRefusedError extends RunningTasksError {
  override readonly name = 'WebsocketRefusedError';
  readonly code = ERROR_CODES.WEBSOCKET_REFUSED;

  constructor(
    readonly url: string,
    readonly httpStatus: number,
  ) {
    super(`${url} refused the websocket upgrade with HTTP ${httpStatus}`);
  }
}

/** A setting the user wrote cannot be used as it is. */
export class ConfigError extends RunningTasksError {
  override readonly name = 'ConfigError';
  readonly code = ERROR_CODES.CONFIG;

  constructor(
    readonly setting: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${setting}: ${message}`, options);
  }
}

/** The local mock process exited, or never said it was listening. */
export class MockStartError extends RunningTasksError {
  override readonly name = 'MockStartError';
  readonly code = ERROR_CODES.MOCK_START;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Should not happen: a bug in the extension, not a condition a user can cause. */
export class InternalError extends RunningTasksError {
  override readonly name = 'InternalError';
  readonly code = ERROR_CODES.INTERNAL;
}

/** True for the errors above; anything else reaching the UI is a bug. */
export function isRunningTasksError(value: unknown): value is RunningTasksError {
  return value instanceof RunningTasksError;
}

/** Wraps anything thrown into a typed error, keeping the original as `cause`. */
export function toRunningTasksError(value: unknown): RunningTasksError {
  if (isRunningTasksError(value)) return value;
  return new InternalError(`unexpected failure: ${describeCause(value)}`, { cause: value });
}

/** The most specific short text of a thrown value, following `cause` chains of fetch and ws. */
export function describeCause(cause: unknown): string {
  if (cause === undefined) return 'unknown reason';
  if (!(cause instanceof Error)) return typeof cause === 'string' ? cause : JSON.stringify(cause);

  const code = (cause as { code?: unknown }).code;
  const inner = cause.cause instanceof Error ? `: ${describeCause(cause.cause)}` : '';
  if (typeof code === 'string' && !cause.message.includes(code)) {
    return `${code} ${cause.message}${inner}`;
  }
  return `${cause.message}${inner}`;
}
