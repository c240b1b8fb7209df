import type { Diagnostic } from '@running-tasks/contracts';
import type { BackendConfig } from './backend';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { Emitter } from './emitter';
import {
  BadPayloadError,
  ERROR_CODES,
  toRunningTasksError,
  type RunningTasksError,
} from './errors';
import { fetchTaskListText } from './http-task-list';
import { SILENT_LOGGER, type Logger } from './logger';
import { decodeTaskList } from './payload-decoder';
import type { TaskView } from './task-view';
import { WebsocketConnection, type WebsocketTiming } from './websocket-connection';

export type FeedTransport = 'websocket' | 'polling';

/** Where the feed stands; the tree shows it on the backend's root. */
export type FeedState =
  | { kind: 'connecting' }
  | { kind: 'live'; transport: FeedTransport }
  /** `retryAt` is the epoch ms of the next automatic attempt. */
  | { kind: 'failing'; error: RunningTasksError; retryAt: number }
  | { kind: 'stopped' };

/** A running list that passed the contract. */
export interface FeedSnapshot {
  tasks: TaskView[];
  warnings: Diagnostic[];
  transport: FeedTransport;
  receivedAt: number;
}

export interface FeedTiming {
  requestTimeoutMs: number;
  /** Polling period while the view is visible and the window focused. */
  pollIntervalMs: number;
  /** Polling period otherwise: the slow rate. */
  idlePollIntervalMs: number;
  /** While polling, how often to try the websocket again. */
  websocketRetryMs: number;
  /** After a 401, how long to wait before asking again with the same token. */
  authRetryMs: number;
  /** A websocket that is open but has sent no snapshot after this long is given up. */
  firstMessageTimeoutMs: number;
  backoff: BackoffOptions;
  websocket: WebsocketTiming;
}

export const DEFAULT_FEED_TIMING: FeedTiming = {
  requestTimeoutMs: 10_000,
  pollIntervalMs: 5_000,
  idlePollIntervalMs: 60_000,
  websocketRetryMs: 60_000,
  authRetryMs: 60_000,
  firstMessageTimeoutMs: 15_000,
  backoff: DEFAULT_BACKOFF,
  websocket: { handshakeTimeoutMs: 10_000, pingIntervalMs: 10_000, silenceTimeoutMs: 25_000 },
};

export interface FeedOptions {
  backend: BackendConfig;
  token?: string;
  logger?: Logger;
  timing?: Partial<FeedTiming>;
  /** `polling` never tries the websocket; `auto` (default) prefers it. */
  transport?: 'auto' | 'polling';
}

/**
 * Keeps one backend's running list current. Prefers the websocket route, which pushes a full
 * snapshot on connect and on every change; falls back to polling the HTTP route when the
 * upgrade is refused or the websocket cannot get through while HTTP can, and keeps trying the
 * websocket now and then. Reconnects with exponential backoff and jitter. Polls at a slow rate
 * while the user is not looking.
 */
export class TaskFeedClient {
  private readonly snapshotEmitter = new Emitter<FeedSnapshot>();
  private readonly stateEmitter = new Emitter<FeedState>();
  private readonly problemEmitter = new Emitter<RunningTasksError>();

  /** A snapshot that passed the contract; repeats of the same bytes are not fired. */
  readonly onSnapshot = this.snapshotEmitter.event;
  readonly onState = this.stateEmitter.event;
  /** A message arrived that breaks the contract; the previous snapshot still stands. */
  readonly onProblem = this.problemEmitter.event;

  private readonly backend: BackendConfig;
  private readonly timing: FeedTiming;
  private readonly logger: Logger;
  private readonly backoff: Backoff;
  private token: string | undefined;

  private current: FeedState = { kind: 'stopped' };
  private mode: FeedTransport;
  private socket: WebsocketConnection | undefined;
  private lastText: string | undefined;
  private lastPollAt = 0;
  private active = true;
  private pollGeneration = 0;
  private lastLoggedCode: string | undefined;

  private retryTimer: NodeJS.Timeout | undefined;
  private websocketRetryTimer: NodeJS.Timeout | undefined;
  private firstMessageTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FeedOptions) {
    this.backend = options.backend;
    this.token = options.token;
    this.logger = options.logger ?? SILENT_LOGGER;
    this.timing = { ...DEFAULT_FEED_TIMING, ...options.timing };
    this.backoff = new Backoff(this.timing.backoff);
    this.mode = this.preferredMode();
  }

  get state(): FeedState {
    return this.current;
  }

  /** The transport in use, or being tried. */
  get transport(): FeedTransport {
    return this.mode;
  }

  start(): void {
    if (this.current.kind !== 'stopped') return;

    this.mode = this.preferredMode();
    this.setState({ kind: 'connecting' });
    this.connect();
  }

  /** Drops every timer and connection. The client can be started again. */
  stop(): void {
    this.clearTimers();
    this.pollGeneration += 1;
    this.closeSocket();
    this.setState({ kind: 'stopped' });
  }

  /** Asks again now, forgetting the backoff: the user pressed refresh or retry. */
  refresh(): void {
    if (this.current.kind === 'stopped') return;

    this.clearTimers();
    this.backoff.reset();
    this.mode = this.preferredMode();
    this.closeSocket();
    if (this.current.kind !== 'live') this.setState({ kind: 'connecting' });
    this.connect();
  }

  /** A new token (or none) reconnects with it; the last snapshot stays until a new one arrives. */
  setToken(token: string | undefined): void {
    if (token === this.token) return;

    this.token = token;
    this.lastLoggedCode = undefined;
    if (this.current.kind !== 'stopped') this.refresh();
  }

  /**
   * Whether the user can see the tree: the view is visible and the window focused. Only
   * polling cares; a websocket costs nothing while idle, so it stays open.
   */
  setActive(active: boolean): void {
    if (active === this.active) return;

    this.active = active;
    if (this.mode !== 'polling' || this.current.kind !== 'live') return;
    this.schedulePoll(Math.max(0, this.lastPollAt + this.pollInterval() - Date.now()));
  }

  dispose(): void {
    this.stop();
    this.snapshotEmitter.dispose();
    this.stateEmitter.dispose();
    this.problemEmitter.dispose();
  }

  private preferredMode(): FeedTransport {
    return this.options.transport === 'polling' ? 'polling' : 'websocket';
  }

  private connect(): void {
    if (this.mode === 'websocket') this.openSocket();
    else void this.poll();
  }

  // Websocket ---------------------------------------------------------------------------

  private openSocket(): void {
    this.closeSocket();

    const socket: WebsocketConnection = new WebsocketConnection(
      this.backend,
      this.token,
      this.timing.websocket,
      {
        message: (text) => this.onSocketMessage(socket, text),
        ended: (error, opened) => this.onSocketEnded(socket, error, opened),
      },
    );
    this.socket = socket;
    this.firstMessageTimer = setTimeout(() => {
      this.logger.warn(`websocket sent no snapshot in ${this.timing.firstMessageTimeoutMs} ms`);
      if (this.mode === 'websocket') {
        this.switchToPolling();
        return;
      }
      this.closeSocket();
      this.scheduleWebsocketRetry();
    }, this.timing.firstMessageTimeoutMs);
  }

  private onSocketMessage(socket: WebsocketConnection, text: string): void {
    if (socket !== this.socket) return;
    clearTimeout(this.firstMessageTimer);

    if (this.mode === 'polling') {
      this.logger.info('websocket works again; polling stops');
      this.mode = 'websocket';
      clearTimeout(this.retryTimer);
      clearTimeout(this.websocketRetryTimer);
      this.pollGeneration += 1;
    }
    this.backoff.reset();
    this.accept(text, 'websocket');
  }

  private onSocketEnded(
    socket: WebsocketConnection,
    error: RunningTasksError | undefined,
    opened: boolean,
  ): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    clearTimeout(this.firstMessageTimer);
    if (!error || this.current.kind === 'stopped') return;

    if (this.mode === 'polling') {
      this.logger.debug(`websocket still unusable: ${error.message}`);
      this.scheduleWebsocketRetry();
      return;
    }
    if (error.code === ERROR_CODES.AUTH_FAILED) {
      this.fail(error, this.timing.authRetryMs, () => this.openSocket());
      return;
    }
    if (error.code === ERROR_CODES.WEBSOCKET_REFUSED) {
      this.logger.info(`${error.message}; polling the HTTP route instead`);
      this.switchToPolling();
      return;
    }
    if (opened) {
      this.logger.info(`websocket dropped: ${error.message}`);
      this.fail(error, this.backoff.next(), () => this.openSocket());
      return;
    }
    void this.probeHttp(error);
  }

  /**
   * The websocket never opened. If plain HTTP gets through, something between us and the
   * server (a proxy, a gateway) drops upgrades, and polling is the way; if HTTP fails too,
   * the server is down and the websocket is retried with backoff.
   */
  private async probeHttp(socketError: RunningTasksError): Promise<void> {
    const generation = ++this.pollGeneration;
    try {
      const text = await fetchTaskListText(this.backend, this.token, this.timing.requestTimeoutMs);
      if (generation !== this.pollGeneration) return;

      this.logger.info(`${socketError.message}; HTTP works, so polling it instead`);
      this.mode = 'polling';
      this.scheduleWebsocketRetry();
      this.afterPoll(text);
    } catch (thrown) {
      if (generation !== this.pollGeneration) return;

      const error = toRunningTasksError(thrown);
      const retryMs =
        error.code === ERROR_CODES.AUTH_FAILED ? this.timing.authRetryMs : this.backoff.next();
      this.fail(error, retryMs, () => this.openSocket());
    }
  }

  private switchToPolling(): void {
    this.mode = 'polling';
    this.closeSocket();
    this.scheduleWebsocketRetry();
    void this.poll();
  }

  private scheduleWebsocketRetry(): void {
    if (this.options.transport === 'polling') return;

    clearTimeout(this.websocketRetryTimer);
    this.websocketRetryTimer = setTimeout(() => {
      if (this.mode === 'polling' && !this.socket) this.openSocket();
    }, this.timing.websocketRetryMs);
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    clearTimeout(this.firstMessageTimer);
    socket?.close();
  }

  // Polling -----------------------------------------------------------------------------

  private async poll(): Promise<void> {
    clearTimeout(this.retryTimer);
    const generation = ++this.pollGeneration;
    this.lastPollAt = Date.now();

    try {
      const text = await fetchTaskListText(this.backend, this.token, this.timing.requestTimeoutMs);
      if (generation !== this.pollGeneration) return;
      this.afterPoll(text);
    } catch (thrown) {
      if (generation !== this.pollGeneration) return;

      const error = toRunningTasksError(thrown);
      const retryMs =
        error.code === ERROR_CODES.AUTH_FAILED ? this.timing.authRetryMs : this.backoff.next();
      this.fail(error, Math.max(retryMs, this.active ? 0 : this.timing.idlePollIntervalMs), () =>
        this.poll(),
      );
    }
  }

  private afterPoll(text: string): void {
    this.lastPollAt = Date.now();
    this.backoff.reset();
    this.accept(text, 'polling');
    this.schedulePoll(this.pollInterval());
  }

  private schedulePoll(delayMs: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.poll(), delayMs);
  }

  private pollInterval(): number {
    return this.active ? this.timing.pollIntervalMs : this.timing.idlePollIntervalMs;
  }

  // Shared ------------------------------------------------------------------------------

  private accept(text: string, transport: FeedTransport): void {
    this.lastLoggedCode = undefined;
    if (this.current.kind !== 'live' || this.current.transport !== transport) {
      this.logger.info(`live over ${transport}`);
      this.setState({ kind: 'live', transport });
    }

    // Heartbeats repeat the same bytes; nothing changed, so nothing is decoded.
    if (text === this.lastText) return;
    this.lastText = text;

    const source = transport === 'websocket' ? 'websocket' : 'HTTP';
    try {
      const { tasks, warnings } = decodeTaskList(this.backend.apiVersion, text, source);
      for (const w of warnings) this.logger.debug(`contract warning at ${w.path}: ${w.message}`);
      this.snapshotEmitter.fire({ tasks, warnings, transport, receivedAt: Date.now() });
    } catch (thrown) {
      const error = toRunningTasksError(thrown);
      if (!(error instanceof BadPayloadError)) throw thrown;

      this.logger.error(error.message);
      this.problemEmitter.fire(error);
    }
  }

  private fail(error: RunningTasksError, retryMs: number, retry: () => unknown): void {
    // One warning per kind of failure, not one per attempt: the log stays readable.
    if (error.code !== this.lastLoggedCode) this.logger.warn(error.message);
    else this.logger.debug(error.message);
    this.lastLoggedCode = error.code;

    this.setState({ kind: 'failing', error, retryAt: Date.now() + retryMs });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void retry(), retryMs);
  }

  private clearTimers(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.websocketRetryTimer);
    clearTimeout(this.firstMessageTimer);
  }

  private setState(state: FeedState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }
}
