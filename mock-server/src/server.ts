import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileValidators, loadSchemaSet, OPENAPI_FILE } from '@running-tasks/contracts';
import type { Logger } from 'pino';
import { createHttpAdapter } from './http/http-adapter';
import { createPrismEngine } from './http/prism-engine';
import { createMockLogger, silentLogger } from './logger';
import { Replay } from './replay/replay';
import { ScenarioClock } from './replay/scenario-clock';
import { DEFAULT_SCENARIO, loadScenario } from './scenario/scenario-loader';
import type { ApiVersion } from './scenario/scenario';
import { SnapshotStore, type Snapshot } from './snapshot-store';
import { WsEmitter } from './ws/ws-emitter';

export interface MockServerOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  /** Default 127.0.0.1: the mock is for this machine unless told otherwise. */
  host?: string;
  /** A built-in scenario's name, or the path of a scenario.yaml or its folder. Default `default`. */
  scenario?: string;
  /** Scenario seconds per wall second. Default 1. */
  speed?: number;
  /** Heartbeat snapshot period on the websocket routes, in ms; 0 turns it off. Default 1000. */
  heartbeatMs?: number;
  /** Ping period for dropping dead websocket peers, in ms; 0 turns it off. Default 30000. */
  keepaliveMs?: number;
  /** When set, requests and websocket handshakes without this token get 401. */
  token?: string;
  /** Start with the scenario clock paused at time 0. */
  paused?: boolean;
  /** Scenario time 0 as Unix ms; instances given the same epoch serve the same state. */
  epoch?: number;
  /** A pino logger, or false for none. Default: JSON lines on stdout (pretty on a TTY). */
  logger?: Logger | false;
}

export interface MockServer {
  /** `http://HOST:PORT` */
  url: string;
  port: number;
  host: string;
  replay: Replay;
  store: SnapshotStore;
  /** The list of one API version as served right now. */
  snapshot(api: ApiVersion): Snapshot;
  close(): Promise<void>;
  /** The underlying server, for attaching to. */
  server: Server;
}

export const DEFAULTS = {
  port: 4010,
  host: '127.0.0.1',
  scenario: DEFAULT_SCENARIO,
  speed: 1,
  heartbeatMs: 1000,
  keepaliveMs: 30_000,
} as const;

/**
 * Loads the contracts and the scenario, then serves the mock: HTTP through
 * Prism and the websocket routes on the same port. Rejects (and listens on
 * nothing) if the scenario is invalid or the port is taken.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const log = options.logger === false ? silentLogger : (options.logger ?? createMockLogger());
  const validators = compileValidators(await loadSchemaSet());
  const scenario = await loadScenario(options.scenario ?? DEFAULTS.scenario, validators);
  const engine = await createPrismEngine(OPENAPI_FILE);

  const clock = new ScenarioClock({
    speed: options.speed ?? DEFAULTS.speed,
    paused: options.paused,
    epoch: options.epoch,
  });
  const replay = new Replay(scenario, clock);
  const store = new SnapshotStore(validators, log.child({ component: 'replay' }));
  replay.on('state', (state, elapsed) => {
    const changed = store.update(state);
    if (changed.length > 0)
      log.debug(
        { component: 'replay', elapsed: Math.round(elapsed), changed },
        'running lists changed',
      );
  });

  const ws = new WsEmitter({
    store,
    log: log.child({ component: 'ws' }),
    heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
    keepaliveMs: options.keepaliveMs ?? DEFAULTS.keepaliveMs,
    token: options.token,
  });
  const server = createServer(
    createHttpAdapter({
      engine,
      store,
      log: log.child({ component: 'http' }),
      token: options.token,
    }),
  );
  server.on('upgrade', ws.handleUpgrade);

  replay.start();
  const host = options.host ?? DEFAULTS.host;
  await listen(server, options.port ?? DEFAULTS.port, host).catch((err: unknown) => {
    replay.stop();
    ws.close();
    throw err;
  });

  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ component: 'server', url, scenario: scenario.name }, 'mock server listening');

  return {
    url,
    port,
    host,
    replay,
    store,
    server,
    snapshot: (api) => store.get(api),
    close: async () => {
      replay.stop();
      ws.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
