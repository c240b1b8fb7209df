import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  CONTRACTS_ROOT,
  OPENAPI_FILE,
  SCHEMAS_DIR,
  type ContractValidators,
} from '@running-tasks/contracts';
import type { Logger } from 'pino';
import { createControlRoutes } from './control/control-routes';
import { MockController } from './control/mock-controller';
import { TaskEditor } from './control/task-editor';
import { TaskOverlay } from './control/task-overlay';
import { FaultBook } from './faults/fault-book';
import { corsPolicyFrom } from './http/cors';
import { createClientErrorHandler, createHttpAdapter } from './http/http-adapter';
import { ConfigError } from './errors';
import { FastPath } from './http/fast-path';
import { HTTP_ROUTES } from './routes';
import type { PrismEngine } from './http/prism-engine';
import { delaySpecFrom, type DelaySpec } from './latency/delay-spec';
import { LatencyPolicy } from './latency/latency-policy';
import { createMockLogger, silentLogger } from './logger';
import { loadEngine, loadValidators } from './reload/contract-loader';
import { Reloader } from './reload/reloader';
import { Replay } from './replay/replay';
import { ScenarioClock } from './replay/scenario-clock';
import { loadScenario } from './scenario/scenario-loader';
import { DEFAULTS } from './defaults';
import type { ApiVersion } from './scenario/scenario';
import { SnapshotStore, type Snapshot } from './snapshot-store';
import { WsEmitter } from './ws/ws-emitter';

export interface MockServerOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  /** Default 127.0.0.1: the mock is for this machine unless told otherwise. */
  host?: string;
  /**
   * A built-in scenario's name, or the path of a scenario.yaml or its folder. Default `default`.
   */
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
  /**
   * Reload when the contracts, the scenario or its fixtures change. Default
   * false here, so code that embeds the mock watches nothing it did not ask
   * for; the `mock` command turns it on unless given --no-watch.
   */
  watch?: boolean;
  /**
   * When set, the control API (/__mock) answers anyone who sends
   * `Authorization: Bearer <controlToken>`, and no one else. Unset, it
   * answers loopback callers only.
   */
  controlToken?: string;
  /**
   * CORS: true (default) reflects every origin, false turns it off, a list allows only those
   * origins.
   */
  cors?: boolean | readonly string[];
  /** A delay for every route: ms, text like `100ms-400ms`, or a DelaySpec. */
  latency?: DelaySpec | string | number;
  /** Delays per route path, overriding `latency`. */
  routeLatency?: Record<string, DelaySpec | string | number>;
  /**
   * Answer running-list requests of a shape Prism has answered before from
   * the store's bytes, skipping Prism. Default true; false sends every
   * request through Prism (the differential test compares the two).
   */
  fastPath?: boolean;
  /** Other contract files than the repository's (the reload tests use copies). */
  contracts?: { openapiFile?: string; schemasDir?: string };
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
  /** Every control operation (what /__mock serves over HTTP). */
  control: MockController;
  /** The list of one API version as served right now. */
  snapshot(api: ApiVersion): Snapshot;
  /** Counters: requests the fast path answered without Prism. */
  stats(): { fastPathHits: number };
  close(): Promise<void>;
  /** The underlying server, for attaching to. */
  server: Server;
}

/** The control API's own OpenAPI document. */
export const CONTROL_OPENAPI_FILE = path.join(CONTRACTS_ROOT, 'openapi', 'mock-control.yaml');

/**
 * Loads the contracts and the scenario, then serves the mock: HTTP through
 * Prism, the websocket routes and the control API on the same port. Rejects
 * (and listens on nothing) if the scenario is invalid or the port is taken.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  checkOptions(options);
  const log = options.logger === false ? silentLogger : (options.logger ?? createMockLogger());
  const contracts = {
    openapiFile: path.resolve(options.contracts?.openapiFile ?? OPENAPI_FILE),
    schemasDir: path.resolve(options.contracts?.schemasDir ?? SCHEMAS_DIR),
  };
  const cors = corsPolicyFrom(options.cors);
  const latency = new LatencyPolicy(initialLatency(options));

  // A reload swaps these two; everything reads them through `live`.
  const live: { validators: ContractValidators; engine: PrismEngine } = {
    validators: await loadValidators(contracts.schemasDir),
    engine: await loadEngine(contracts.openapiFile, log),
  };
  const scenario = await loadScenario(options.scenario ?? DEFAULTS.scenario, live.validators);

  const clock = new ScenarioClock({
    speed: options.speed ?? DEFAULTS.speed,
    paused: options.paused,
    epoch: options.epoch,
  });
  const replay = new Replay(scenario, clock);
  const store = new SnapshotStore(
    forwarding(() => live.validators),
    log.child({ component: 'replay' }),
  );
  const overlay = new TaskOverlay();
  publishWithOverlay(replay, store, overlay, () => live.validators, log);

  const faults = new FaultBook();
  const controller = new MockController({
    replay,
    store,
    tasks: new TaskEditor(
      overlay,
      store,
      () => live.validators,
      () => replay.refresh(),
    ),
    overlaySummary: () => overlay.summary(),
    latency,
    faults,
    validators: () => live.validators,
    startup: {
      speed: options.speed ?? DEFAULTS.speed,
      paused: options.paused === true,
      epoch: options.epoch,
    },
    log: log.child({ component: 'control' }),
  });

  const fastPath =
    options.fastPath === false ? undefined : new FastPath(new Set(Object.values(HTTP_ROUTES)));
  const reloader = new Reloader({
    contracts,
    watch: options.watch === true,
    log: log.child({ component: 'reload' }),
    target: {
      validators: () => live.validators,
      scenario: () => replay.scenario,
      apply: (next) => {
        if (next.validators) live.validators = next.validators;
        if (next.engine) {
          live.engine = next.engine;
          fastPath?.clear();
        }
        controller.replaceScenario(next.scenario);
      },
    },
  });
  controller.attachReloading(reloader);
  controller.on('scenario', () => void reloader.rewatch());

  const ws = new WsEmitter({
    store,
    log: log.child({ component: 'ws' }),
    heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
    keepaliveMs: options.keepaliveMs ?? DEFAULTS.keepaliveMs,
    token: options.token,
    cors,
    latency,
    faults,
  });
  const server = createServer(
    createHttpAdapter({
      engine: () => live.engine,
      store,
      log: log.child({ component: 'http' }),
      token: options.token,
      cors,
      latency,
      faults,
      fastPath,
      control: createControlRoutes({
        controller,
        access: { controlToken: options.controlToken, cors },
        documentFile: CONTROL_OPENAPI_FILE,
        log: log.child({ component: 'control' }),
      }),
    }),
  );
  server.on('upgrade', ws.handleUpgrade);
  server.on('clientError', createClientErrorHandler(log.child({ component: 'http' })));

  replay.start();
  const host = options.host ?? DEFAULTS.host;
  try {
    await reloader.start();
    await listen(server, options.port ?? DEFAULTS.port, host);
  } catch (err) {
    replay.stop();
    reloader.close();
    ws.close();
    throw err;
  }

  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info(
    {
      component: 'server',
      url,
      scenario: scenario.name,
      epoch: new Date(clock.epoch).toISOString(),
    },
    'mock server listening',
  );

  return {
    url,
    port,
    host,
    replay,
    store,
    control: controller,
    server,
    snapshot: (api) => store.get(api),
    stats: () => ({ fastPathHits: fastPath?.hits ?? 0 }),
    close: async () => {
      replay.stop();
      reloader.close();
      ws.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Publishes every replay state to the store with the hand edits applied on top. */
function publishWithOverlay(
  replay: Replay,
  store: SnapshotStore,
  overlay: TaskOverlay,
  validators: () => ContractValidators,
  log: Logger,
): void {
  const accept = (api: ApiVersion, task: unknown): string | undefined => {
    const result = (api === 'v1' ? validators().v1Task : validators().v2Task)(task);
    return result.valid ? undefined : 'the patched task breaks the contract';
  };

  replay.on('state', (raw, elapsed) => {
    const { state, rejected } = overlay.apply(raw, accept);
    for (const r of rejected)
      log.warn(
        { component: 'control', ...r },
        'a hand edit no longer fits its task; serving the task without it',
      );
    const changed = store.update(state);
    if (changed.length > 0)
      log.debug(
        { component: 'replay', elapsed: Math.round(elapsed), changed },
        'running lists changed',
      );
  });
}

/** Validators that always call the current ones, so a reload reaches the snapshot store too. */
function forwarding(current: () => ContractValidators): ContractValidators {
  const names = Object.keys(current()) as (keyof ContractValidators)[];
  return Object.fromEntries(
    names.map((name) => [name, (data: unknown) => current()[name](data)]),
  ) as unknown as ContractValidators;
}

function initialLatency(
  options: MockServerOptions,
): ConstructorParameters<typeof LatencyPolicy>[0] {
  const routes = Object.fromEntries(
    Object.entries(options.routeLatency ?? {}).map(([route, spec]) => [route, toSpec(spec)]),
  );
  return { default: options.latency === undefined ? null : toSpec(options.latency), routes };
}

function toSpec(value: DelaySpec | string | number): DelaySpec {
  return delaySpecFrom(value);
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

/**
 * Refuses options that would otherwise fail late or oddly (a port of 'x' is a Unix socket path to
 * Node).
 */
function checkOptions(options: MockServerOptions): void {
  const { port, speed, heartbeatMs, keepaliveMs, token } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new ConfigError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  if (speed !== undefined && !(Number.isFinite(speed) && speed > 0)) {
    throw new ConfigError(`speed must be a positive number, got ${String(speed)}`);
  }
  for (const [name, value] of [
    ['heartbeatMs', heartbeatMs],
    ['keepaliveMs', keepaliveMs],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new ConfigError(`${name} must be 0 or more milliseconds, got ${String(value)}`);
    }
  }
  if (token === '') throw new ConfigError('token must not be empty: leave it out for no token');
}
