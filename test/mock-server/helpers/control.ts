import {
  startMockServer,
  type MockServer,
  type MockServerOptions,
} from '@running-tasks/mock-server';

export interface ControlAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the control API of `server`; bodies go out as JSON, answers come back parsed. */
export async function control<T = Record<string, unknown>>(
  server: MockServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ControlAnswer<T>> {
  const res = await fetch(`${server.url}/__mock${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text === '' ? undefined : JSON.parse(text)) as T,
    headers: res.headers,
  };
}

/** The list of one API version as the HTTP route serves it now. */
export async function list<T = Record<string, unknown>>(
  server: MockServer,
  api: 'v1' | 'v2',
): Promise<T[]> {
  const route = api === 'v1' ? '/api/tasks/running' : '/api/v2/tasks/running';
  return (await (await fetch(server.url + route)).json()) as T[];
}

/** Resolves after `ms`: short pauses only, for letting timers fire. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Gives a suite one paused mock (no heartbeat, no log), reset through the
 * control API before each test and closed after the last. `use` receives it
 * once it has started.
 */
export function usePausedMock(
  use: (server: MockServer) => void,
  options: MockServerOptions = {},
): void {
  let server: MockServer | undefined;
  before(async () => {
    server = await startMockServer({
      port: 0,
      paused: true,
      heartbeatMs: 0,
      logger: false,
      ...options,
    });
    use(server);
  });
  after(() => server?.close());
  beforeEach(async () => {
    await control(server!, 'POST', '/reset');
  });
}
