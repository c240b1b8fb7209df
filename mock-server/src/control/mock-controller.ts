import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import type { ContractValidators } from '@running-tasks/contracts';
import type { Logger } from 'pino';
import { BadControlRequestError, ControlConflictError, ControlNotFoundError } from '../errors';
import type { FaultBook } from '../faults/fault-book';
import type { FaultRule } from '../faults/fault-rule';
import type { LatencyPolicy, LatencySettings } from '../latency/latency-policy';
import { locateInScenario, nextChangeAfter } from '../replay/replay-state';
import type { Replay } from '../replay/replay';
import { BUILTIN_SCENARIOS_DIR, loadScenario } from '../scenario/scenario-loader';
import type { Scenario } from '../scenario/scenario';
import type { SnapshotStore } from '../snapshot-store';
import type { TaskEditor } from './task-editor';
import type { OverlaySummary } from './task-overlay';

/** Where the scenario clock stands. */
export interface ClockView {
  elapsedMs: number;
  speed: number;
  paused: boolean;
  /** Unix ms of scenario time 0, and the same as an ISO time. */
  epoch: number;
  epochIso: string;
  /** Which pass of a looping scenario (0 for the first) and the time inside it. */
  pass: number;
  passElapsedMs: number;
  /** The next moment on the timeline, in scenario ms; null when nothing changes any more. */
  nextChangeMs: number | null;
}

export interface ScenarioView {
  name: string;
  description: string;
  file: string;
  durationMs: number;
  loop: boolean;
}

/** The result of the last reload, as the control API shows it. */
export interface ReloadStatus {
  watching: boolean;
  files: string[];
  last: {
    at: string;
    ok: boolean;
    ms: number;
    changed: string[];
    issues?: { file: string; line?: number; path: string; message: string }[];
  } | null;
}

export interface Reloading {
  status(): ReloadStatus;
  reloadNow(): Promise<ReloadStatus>;
}

export interface MockControllerOptions {
  replay: Replay;
  store: SnapshotStore;
  tasks: TaskEditor;
  overlaySummary: () => Record<'v1' | 'v2', OverlaySummary>;
  latency: LatencyPolicy;
  faults: FaultBook;
  validators: () => ContractValidators;
  /** How the server started, for reset. */
  startup: { speed: number; paused: boolean; epoch?: number };
  log: Logger;
}

export interface MockControllerEvents {
  /** Another scenario is being served (a switch or a reload). */
  scenario: [scenario: Scenario];
}

const MAX_SPEED = 10_000;

/**
 * Every control operation, independent of transport: the HTTP control
 * routes, the CLI (through them) and code that embeds the mock all call
 * this. Each change reaches the snapshot store, and so websocket clients,
 * before the method returns.
 */
export class MockController extends EventEmitter<MockControllerEvents> {
  private reloading: Reloading | undefined;

  constructor(private readonly options: MockControllerOptions) {
    super();
  }

  get tasks(): TaskEditor {
    return this.options.tasks;
  }

  get scenario(): Scenario {
    return this.options.replay.scenario;
  }

  clock(): ClockView {
    const { replay } = this.options;
    const elapsed = replay.elapsedMs();
    const { pass, t } = locateInScenario(replay.scenario, elapsed);
    return {
      elapsedMs: round(elapsed),
      speed: replay.clock.speed,
      paused: replay.clock.paused,
      epoch: replay.clock.epoch,
      epochIso: new Date(replay.clock.epoch).toISOString(),
      pass,
      passElapsedMs: round(t),
      nextChangeMs: nextChangeAfter(replay.scenario, elapsed) ?? null,
    };
  }

  pause(): ClockView {
    this.options.replay.pause();
    return this.clock();
  }

  resume(): ClockView {
    this.options.replay.resume();
    return this.clock();
  }

  /** Jumps to the next moment on the scenario's timeline and stays paused there. */
  step(): ClockView {
    const { replay } = this.options;
    const next = nextChangeAfter(replay.scenario, replay.elapsedMs());
    if (next === undefined)
      throw new ControlConflictError(
        'nothing changes any more: the scenario does not loop and is over',
      );
    replay.clock.pause();
    replay.clock.seek(next);
    replay.refresh();
    return this.clock();
  }

  seek(elapsedMs: number): ClockView {
    if (!Number.isFinite(elapsedMs) || elapsedMs < 0)
      throw new BadControlRequestError(
        `the time to seek to must be 0 or more ms, got ${elapsedMs}`,
      );
    try {
      this.options.replay.seek(elapsedMs);
    } catch (err) {
      if (err instanceof RangeError) throw new BadControlRequestError(err.message);
      throw err;
    }
    return this.clock();
  }

  setSpeed(speed: number): ClockView {
    if (!Number.isFinite(speed) || speed <= 0 || speed > MAX_SPEED)
      throw new BadControlRequestError(
        `speed must be above 0 and at most ${MAX_SPEED}, got ${speed}`,
      );
    this.options.replay.setSpeed(speed);
    return this.clock();
  }

  /**
   * Back to how the server started: the clock at 0 (or where the shared
   * epoch puts it), the starting speed and pause, no hand edits, no faults,
   * the starting latency. The scenario stays the one being served.
   */
  reset(): ClockView {
    const { replay, startup } = this.options;
    this.options.faults.clear();
    this.options.latency.reset();

    // Straight on the clock, then one refresh: clients see one new snapshot, not several.
    replay.clock.setSpeed(startup.speed);
    if (startup.epoch !== undefined) {
      replay.clock.seek(Math.max(0, (Date.now() - startup.epoch) * startup.speed));
      replay.clock.resume();
    } else {
      replay.clock.seek(0);
      if (startup.paused) replay.clock.pause();
      else replay.clock.resume();
    }
    this.options.tasks.clear();
    return this.clock();
  }

  scenarioView(): ScenarioView {
    const s = this.scenario;
    return {
      name: s.name,
      description: s.description,
      file: s.file,
      durationMs: s.duration,
      loop: s.loop,
    };
  }

  /** The built-in scenarios, and the one being served. */
  async scenarios(): Promise<{ current: ScenarioView; builtIn: { name: string; file: string }[] }> {
    const names = await readdir(BUILTIN_SCENARIOS_DIR).catch(() => [] as string[]);
    const builtIn: { name: string; file: string }[] = [];
    for (const name of names.sort()) {
      const file = path.join(BUILTIN_SCENARIOS_DIR, name, 'scenario.yaml');
      if ((await stat(file).catch(() => undefined))?.isFile()) builtIn.push({ name, file });
    }
    return { current: this.scenarioView(), builtIn };
  }

  /**
   * Loads and validates another scenario (a built-in name or a path on the
   * mock's machine) and serves it from its start. Hand edits are dropped:
   * their ids belong to the old scenario. Throws ScenarioError when invalid.
   */
  async switchScenario(ref: string): Promise<ScenarioView> {
    const scenario = await loadScenario(ref, this.options.validators());
    this.options.tasks.clear();
    this.options.replay.clock.seek(0);
    this.options.replay.setScenario(scenario);
    this.options.log.info({ scenario: scenario.name, file: scenario.file }, 'scenario switched');
    this.emit('scenario', scenario);
    return this.scenarioView();
  }

  /** Serves a reloaded version of the scenario, keeping the clock where it is. */
  replaceScenario(scenario: Scenario): void {
    this.options.replay.setScenario(scenario);
    this.emit('scenario', scenario);
  }

  latency(): LatencySettings {
    return this.options.latency.settings();
  }

  setLatency(settings: LatencySettings): LatencySettings {
    this.options.latency.replace(settings);
    return this.latency();
  }

  faults(): FaultRule[] {
    return this.options.faults.list();
  }

  addFault(input: unknown): FaultRule {
    return this.options.faults.add(input);
  }

  removeFault(id: string): void {
    if (!this.options.faults.remove(id)) throw new ControlNotFoundError(`no fault ${id}`);
  }

  clearFaults(): void {
    this.options.faults.clear();
  }

  attachReloading(reloading: Reloading): void {
    this.reloading = reloading;
  }

  reloadStatus(): ReloadStatus {
    return this.reloading?.status() ?? { watching: false, files: [], last: null };
  }

  /** Reloads contracts and scenario now, watching or not. */
  async reload(): Promise<ReloadStatus> {
    if (this.reloading === undefined) throw new ControlConflictError('this server cannot reload');
    return this.reloading.reloadNow();
  }

  /** One list as served now, with its version. */
  list(api: 'v1' | 'v2'): { version: number; count: number; tasks: readonly unknown[] } {
    const snapshot = this.options.store.get(api);
    return { version: snapshot.version, count: snapshot.tasks.length, tasks: snapshot.tasks };
  }

  /** Everything at once: scenario, clock, the lists as served, edits, latency, faults, reload. */
  state(): Record<string, unknown> {
    return {
      scenario: this.scenarioView(),
      clock: this.clock(),
      lists: { v1: this.list('v1'), v2: this.list('v2') },
      overlay: this.options.overlaySummary(),
      latency: this.latency(),
      faults: this.faults(),
      reload: this.reloadStatus(),
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
