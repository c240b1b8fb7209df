/** 2100-01-01, the last moment the contract's Unix times allow, in ms. */
const LAST_MOMENT_MS = 4_102_444_800_000;

/**
 * Scenario time: milliseconds since the replay started, scaled by a speed,
 * and able to pause, resume and jump. Wall time comes from `now`, so tests
 * can drive it without waiting.
 */
export class ScenarioClock {
  /** Wall-clock Unix ms of scenario time 0; `$now` values are computed from it. */
  readonly epoch: number;
  private readonly now: () => number;
  private anchorWall: number;
  private anchorElapsed: number;
  private currentSpeed: number;
  private isPaused: boolean;

  constructor(
    options: { speed?: number; paused?: boolean; epoch?: number; now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.currentSpeed = options.speed ?? 1;
    this.isPaused = options.paused ?? false;

    // A shared epoch makes every instance compute the same elapsed time, so
    // instances behind a load balancer agree without talking to each other.
    const wall = this.now();
    this.epoch = options.epoch ?? wall;
    this.anchorWall = wall;
    this.anchorElapsed =
      options.epoch === undefined ? 0 : Math.max(0, (wall - options.epoch) * this.currentSpeed);
  }

  elapsed(): number {
    if (this.isPaused) return this.anchorElapsed;
    return this.anchorElapsed + (this.now() - this.anchorWall) * this.currentSpeed;
  }

  get speed(): number {
    return this.currentSpeed;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  pause(): void {
    this.rebase();
    this.isPaused = true;
  }

  resume(): void {
    this.rebase();
    this.isPaused = false;
  }

  seek(elapsed: number): void {
    if (!Number.isFinite(elapsed))
      throw new RangeError(`cannot seek to ${elapsed}: not a number of milliseconds`);
    // Beyond this, `$now` values would pass the contract's time range (2100-01-01).
    if (this.epoch + elapsed > LAST_MOMENT_MS) {
      throw new RangeError(
        `cannot seek to ${elapsed} ms: past 2100-01-01, the end of the contract's time range`,
      );
    }
    this.anchorWall = this.now();
    this.anchorElapsed = Math.max(0, elapsed);
  }

  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed))
      throw new RangeError(`speed must be a positive number, got ${speed}`);
    this.rebase();
    this.currentSpeed = speed;
  }

  /** Wall milliseconds until scenario time reaches `target`, or undefined while paused. */
  wallDelayUntil(target: number): number | undefined {
    if (this.isPaused) return undefined;
    return Math.max(0, (target - this.elapsed()) / this.currentSpeed);
  }

  private rebase(): void {
    this.anchorElapsed = this.elapsed();
    this.anchorWall = this.now();
  }
}
