import type {
  ApiVersion,
  AuthHeaderStyle,
  BackendConfig,
} from '../../../extension/src/core/backend';
import type { FeedTiming } from '../../../extension/src/core/task-feed-client';

/** A backend config for a test server. */
export function backendAt(
  baseUrl: string,
  apiVersion: ApiVersion = 'v2',
  authHeader: AuthHeaderStyle = 'bearer',
): BackendConfig {
  return { id: 'test', label: 'test', baseUrl, apiVersion, authHeader, browserUrlTemplate: '' };
}

/** Timing scaled down so that reconnects and polls happen within a test's budget. */
export const FAST_TIMING: Partial<FeedTiming> = {
  requestTimeoutMs: 2000,
  pollIntervalMs: 50,
  idlePollIntervalMs: 60_000,
  websocketRetryMs: 60_000,
  authRetryMs: 60_000,
  firstMessageTimeoutMs: 2000,
  backoff: { initialMs: 20, maxMs: 200, factor: 2 },
  websocket: { handshakeTimeoutMs: 2000, pingIntervalMs: 100, silenceTimeoutMs: 1000 },
};
