import { ConfigError } from './errors';

export type ApiVersion = 'v1' | 'v2';

/**
 * How the token travels. The real system accepted `X-API-KEY <token>` in its early versions
 * and `Bearer <token>` later, both in the `Authorization` header.
 */
export type AuthHeaderStyle = 'bearer' | 'x-api-key';

/** One backend the tree shows as a root. */
export interface BackendConfig {
  /** Stable within the settings; part of every tree item id under this root. */
  id: string;
  label: string;
  /** Origin plus an optional path prefix: `http://127.0.0.1:4010`, `https://ci.example/aslan`. */
  baseUrl: string;
  apiVersion: ApiVersion;
  authHeader: AuthHeaderStyle;
  /** `{id}`, `{pipeline}`, `{version}` and `{baseUrl}` are filled in; empty: not configured. */
  browserUrlTemplate: string;
}

const ROUTES: Record<ApiVersion, { http: string; websocket: string }> = {
  v1: { http: '/api/tasks/running', websocket: '/api/tasks/running/realtime' },
  v2: { http: '/api/v2/tasks/running', websocket: '/api/v2/tasks/ws/running' },
};

/** Checks a user-written base URL and returns it without a trailing slash. */
export function normalizeBaseUrl(raw: string, setting = 'runningTasks.backendUrl'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch (cause) {
    throw new ConfigError(setting, `"${raw}" is not a URL`, { cause });
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(setting, `"${raw}" must start with http:// or https://`);
  }
  if (url.search || url.hash) {
    throw new ConfigError(setting, `"${raw}" must not carry a query or a fragment`);
  }
  return url.href.replace(/\/+$/, '');
}

/** The HTTP route of the running list. */
export function taskListUrl(backend: BackendConfig): string {
  return backend.baseUrl + ROUTES[backend.apiVersion].http;
}

/** The websocket route of the running list: the same origin with ws:// or wss://. */
export function taskStreamUrl(backend: BackendConfig): string {
  return (backend.baseUrl + ROUTES[backend.apiVersion].websocket).replace(/^http/, 'ws');
}

/** The value of the `Authorization` header; the token itself never goes anywhere else. */
export function authorizationHeader(style: AuthHeaderStyle, token: string): string {
  return style === 'bearer' ? `Bearer ${token}` : `X-API-KEY ${token}`;
}

/** Headers for a request, with the token when one is set. */
export function requestHeaders(backend: BackendConfig, token: string | undefined) {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = authorizationHeader(backend.authHeader, token);
  return headers;
}
