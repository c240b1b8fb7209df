import type { ApiVersion } from './scenario/scenario';

/** The running-list routes, by API version, as the API page names them. */
export const HTTP_ROUTES: Record<ApiVersion, string> = {
  v1: '/api/tasks/running',
  v2: '/api/v2/tasks/running',
};

export const WS_ROUTES: Record<ApiVersion, string> = {
  v1: '/api/tasks/running/realtime',
  v2: '/api/v2/tasks/ws/running',
};

/** The operationIds of the OpenAPI document whose 200 answers are the live lists. */
export const LIVE_OPERATIONS: Record<string, ApiVersion> = {
  listRunningTasksV1: 'v1',
  listRunningTasksV2: 'v2',
};

const WS_BY_PATH = new Map(Object.entries(WS_ROUTES).map(([api, p]) => [p, api as ApiVersion]));

export function wsRouteOf(pathname: string): ApiVersion | undefined {
  return WS_BY_PATH.get(pathname);
}
