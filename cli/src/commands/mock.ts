import { DEFAULTS, isScenarioError, startMockServer } from '@running-tasks/mock-server';
import { EXIT, type Command } from '../command';
import { UsageError } from '../options';

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
  ],

  async run(values) {
    try {
      const server = await startMockServer({
        port: Number(values.port),
        host: String(values.host),
        scenario: String(values.scenario),
        speed: Number(values.speed),
        heartbeatMs: Number(values.heartbeat),
        token: typeof values.token === 'string' ? values.token : undefined,
        paused: values.paused === true,
      });
      await untilSignal();
      await server.close();
      return EXIT.OK;
    } catch (err) {
      if (isScenarioError(err)) throw new UsageError(err.message);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        throw new UsageError(
          `port ${String(values.port)} is already in use on ${String(values.host)}; choose another with --port`,
        );
      if (code === 'EADDRNOTAVAIL')
        throw new UsageError(`cannot bind ${String(values.host)}: no such address on this machine`);
      throw err;
    }
  },
};

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
