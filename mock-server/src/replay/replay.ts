import { EventEmitter } from 'node:events';
import type { ReplayState, Scenario } from '../scenario/scenario';
import { nextChangeAfter, stateAt } from './replay-state';
import type { ScenarioClock } from './scenario-clock';

export interface ReplayEvents {
  state: [state: ReplayState, elapsed: number];
}

/**
 * Drives a scenario with a clock: computes the state now, and again at each
 * moment the scenario says something changes. Emits `state` every time it
 * recomputes; deciding whether the lists really changed is the snapshot
 * store's job. Knows nothing of HTTP or websockets.
 */
export class Replay extends EventEmitter<ReplayEvents> {
  private current: Scenario;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    scenario: Scenario,
    readonly clock: ScenarioClock,
  ) {
    super();
    this.current = scenario;
  }

  get scenario(): Scenario {
    return this.current;
  }

  elapsedMs(): number {
    return this.clock.elapsed();
  }

  /** The state at the clock's current time, computed afresh. */
  stateNow(): ReplayState {
    return stateAt(this.current, this.clock.elapsed(), this.clock.epoch);
  }

  start(): void {
    this.running = true;
    this.refresh();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  pause(): void {
    this.clock.pause();
    this.refresh();
  }

  resume(): void {
    this.clock.resume();
    this.refresh();
  }

  seek(elapsedMs: number): void {
    this.clock.seek(elapsedMs);
    this.refresh();
  }

  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
    this.refresh();
  }

  /** Swaps in another scenario (a switch or a reload) without touching the clock. */
  setScenario(scenario: Scenario): void {
    this.current = scenario;
    this.refresh();
  }

  /** Recomputes the state, emits it, and schedules the next change. */
  refresh(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    const elapsed = this.clock.elapsed();
    this.emit('state', stateAt(this.current, elapsed, this.clock.epoch), elapsed);

    const next = nextChangeAfter(this.current, elapsed);
    const delay = next === undefined ? undefined : this.clock.wallDelayUntil(next);
    if (delay === undefined) return;
    // Round up so the timer never fires a hair before the change it waits for.
    this.timer = setTimeout(() => this.refresh(), Math.ceil(delay) + 1);
    this.timer.unref();
  }
}
