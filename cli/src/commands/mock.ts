import { DEFAULTS } from '@running-tasks/mock-server/defaults';
import { EXIT, type Command } from '../command';
import { UsageError } from '../options';
import { untilSignal } from '../signals';

export const mockCommand: Command = {
  name: 'mock',
  summary: 'Serve the running-tasks API from a scenario, over HTTP and websocket on one port.',
  description:
    'HTTP goes through Prism (request validation, Prefer: code=400, content negotiation);\n' +
    "the running lists and their websocket streams replay the scenario's timeline.\n" +
    'Stop with Ctrl-C.',
  options: [
    {
      name: 'port',
      type: 'integer',
      default: DEFAULTS.port,
      env: 'RUNNING_TASKS_PORT',
      placeholder: 'n',
      min: 0,
      max: 65535,
      help: 'Port to listen on; 0 picks a free one.',
    },
    {
      name: 'host',
      type: 'string',
      default: DEFAULTS.host,
      env: 'RUNNING_TASKS_HOST',
      placeholder: 'addr',
      help: 'Address to bind. Other machines can reach the mock only if this is not loopback.',
    },
    {
      name: 'scenario',
      type: 'string',
      default: DEFAULTS.scenario,
      env: 'RUNNING_TASKS_SCENARIO',
      placeholder: 'name|path',
      help: 'A built-in scenario, or a scenario.yaml (or its folder).',
    },
    {
      name: 'speed',
      type: 'number',
      default: DEFAULTS.speed,
      env: 'RUNNING_TASKS_SPEED',
      placeholder: 'x',
      min: 0.001,
      max: 10_000,
      help: 'Scenario seconds per real second.',
    },
    {
      name: 'heartbeat',
      type: 'duration',
      default: '1s',
      env: 'RUNNING_TASKS_HEARTBEAT',
      placeholder: 'time',
      min: 0,
      help: 'Websocket heartbeat snapshot period (500ms, 2s); 0 turns it off.',
    },
    {
      name: 'token',
      type: 'string',
      env: 'RUNNING_TASKS_TOKEN',
      placeholder: 'token',
      help: 'Require this token (Bearer, X-API-KEY or ?token=); others get 401.',
    },
    {
      name: 'paused',
      type: 'boolean',
      default: false,
      env: 'RUNNING_TASKS_PAUSED',
      help: "Start with the scenario clock stopped at 0 (the page's examples).",
    },
    {
      name: 'epoch',
      type: 'string',
      env: 'RUNNING_TASKS_EPOCH',
      placeholder: 'time',
      help: 'Scenario time 0 as an ISO time or Unix ms; instances given the same epoch serve the same lists.',
    },
    {
      name: 'watch',
      type: 'boolean',
      default: true,
      env: 'RUNNING_TASKS_WATCH',
      help: 'Reload when the contracts, the scenario or its fixtures change (--no-watch: never).',
    },
    {
      name: 'control-token',
      type: 'string',
      env: 'RUNNING_TASKS_CONTROL_TOKEN',
      placeholder: 'token',
      help: 'Open the control API (/__mock) to anyone sending Bearer <token>; without it, loopback only.',
    },
    {
      name: 'cors',
      type: 'boolean',
      default: true,
      env: 'RUNNING_TASKS_CORS',
      help: "CORS: reflect the caller's Origin with credentials allowed (--no-cors: no CORS headers).",
    },
    {
      name: 'cors-origins',
      type: 'string',
      env: 'RUNNING_TASKS_CORS_ORIGINS',
      placeholder: 'list',
      help: 'Allow only these origins (comma-separated, like http://localhost:5173).',
    },
    {
      name: 'latency',
      type: 'string',
      env: 'RUNNING_TASKS_LATENCY',
      placeholder: 'delay',
      help: 'Delay every answer and websocket message: 200ms, 100ms-400ms, longtail:80ms-2s.',
    },
    {
      name: 'route-latency',
      type: 'string',
      env: 'RUNNING_TASKS_ROUTE_LATENCY',
      placeholder: 'route=delay,...',
      help: 'Delays per route, like /api/tasks/running=1s; overrides --latency.',
    },
  ],

  async run(values) {
    // Loaded here, not at the top: `--help` and the other commands start without Prism.
    const mock = await import('@running-tasks/mock-server');
    const settings = readSettings(values, mock);
    try {
      const server = await mock.startMockServer({
        ...settings,
        port: Number(values.port),
        host: String(values.host),
        scenario: String(values.scenario),
        speed: Number(values.speed),
        heartbeatMs: Number(values.heartbeat),
        token: tokenOf(values.token),
        paused: values.paused === true,
        watch: values.watch === true,
        controlToken: optionalString(values['control-token']),
      });
      await untilSignal();
      await server.close();
      return EXIT.OK;
    } catch (err) {
      const isConfigError = err instanceof Error && err.name === 'ConfigError';
      if (
        mock.isScenarioError(err) ||
        mock.isContractLoadError(err) ||
        mock.isSettingError(err) ||
        isConfigError
      )
        throw new UsageError(err.message);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        throw new UsageError(
          `port ${String(values.port)} is already in use on ${String(values.host)}; choose another with --port`,
        );
      if (code === 'EADDRNOTAVAIL')
        throw new UsageError(`cannot bind ${String(values.host)}: no such address on this machine`);
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        throw new UsageError(`--host: cannot resolve "${String(values.host)}" to an address`);
      throw err;
    }
  },
};

type MockServerModule = typeof import('@running-tasks/mock-server');

/** The options that need more reading than the option registry does; UsageError names the flag. */
function readSettings(
  values: Record<string, unknown>,
  mock: MockServerModule,
): {
  epoch?: number;
  cors: boolean | string[];
  latency?: string;
  routeLatency?: ReturnType<MockServerModule['parseRouteDelays']>;
} {
  const epochText = optionalString(values.epoch);
  const epoch = epochText === undefined ? undefined : parseEpoch(epochText);
  if (epoch !== undefined && values.paused === true)
    throw new UsageError(
      '--paused and --epoch contradict each other: a shared epoch is for instances that run',
    );

  const origins = optionalString(values['cors-origins'])
    ?.split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  const cors = values.cors === false ? false : (origins ?? true);

  const latency = optionalString(values.latency);
  if (latency !== undefined) flagged(mock, '--latency', () => mock.parseDelaySpec(latency));
  const routes = optionalString(values['route-latency']);
  const routeLatency =
    routes === undefined
      ? undefined
      : flagged(mock, '--route-latency', () => mock.parseRouteDelays(routes));
  return { epoch, cors, latency, routeLatency };
}

/** Runs a settings parser, turning its SettingError into a UsageError that names the flag. */
function flagged<T>(mock: MockServerModule, flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (mock.isSettingError(err)) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
}

/**
 * An epoch as an ISO time or Unix milliseconds. Seconds are refused rather
 * than guessed at (10 digits would be a moment in January 1970), and so is
 * a future epoch: an instance started before it would run from 0 at once
 * and disagree with the others.
 */
export function parseEpoch(text: string, now = Date.now()): number {
  const trimmed = text.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
  if (!Number.isFinite(ms))
    throw new UsageError(`--epoch: expected an ISO time or Unix milliseconds, got "${text}"`);
  if (/^\d+$/.test(trimmed) && ms < 100_000_000_000)
    throw new UsageError(
      `--epoch: ${text} looks like Unix seconds; give milliseconds (${trimmed}000)`,
    );
  if (ms > now + 1000)
    throw new UsageError(
      `--epoch: ${new Date(ms).toISOString()} is in the future; give a past moment`,
    );
  return ms;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An empty --token would lock out every header form; refuse it rather than guess. */
function tokenOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value === '') throw new UsageError('--token: expected a token, got an empty string');
  return value;
}
