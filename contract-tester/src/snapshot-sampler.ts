import { performance } from 'node:perf_hooks';

/** One GET of the running list taken while a stream was watched. */
export interface ListSample {
  /** Monotonic clock readings (performance.now) of the request's start and end. */
  startedAt: number;
  endedAt: number;
  /** The task ids the GET listed; absent when the GET failed or its body was not a list. */
  ids?: Set<unknown>;
  error?: string;
}

/** Bounds the GETs of one watch, whatever the stream's rate. */
export const MAX_SAMPLES = 200;

/**
 * Takes GETs of the running list as stream messages arrive, so every
 * message has a GET right after it to be compared with. At most one GET is
 * in flight: messages that arrive meanwhile are served by the next one,
 * which starts as soon as the current one ends.
 */
export class SnapshotSampler {
  readonly samples: ListSample[] = [];
  private inFlight: Promise<void> | undefined;
  private again = false;

  constructor(private readonly fetchIds: () => Promise<Set<unknown>>) {}

  /** Asks for a GET after the message that just arrived. */
  request(): void {
    if (this.samples.length >= MAX_SAMPLES) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = this.run();
  }

  /** Takes one GET before the stream opens, for the first message to be compared with. */
  async prime(): Promise<void> {
    await this.take();
  }

  /** Waits for the GET in flight (and the one queued behind it), then takes one more. */
  async finish(): Promise<void> {
    await this.inFlight;
    await this.take();
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      await this.take();
    } while (this.again && this.samples.length < MAX_SAMPLES);
    this.inFlight = undefined;
  }

  private async take(): Promise<void> {
    const startedAt = performance.now();
    try {
      const ids = await this.fetchIds();
      this.samples.push({ startedAt, endedAt: performance.now(), ids });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.samples.push({ startedAt, endedAt: performance.now(), error });
    }
  }
}

/** The ids of a running list, or undefined when the value is not a list of objects with that id. */
export function idsOf(list: unknown, idProperty: string): Set<unknown> | undefined {
  if (!Array.isArray(list)) return undefined;

  const ids = new Set<unknown>();
  for (const item of list) {
    if (item === null || typeof item !== 'object' || !(idProperty in item)) return undefined;
    ids.add((item as Record<string, unknown>)[idProperty]);
  }
  return ids;
}

export function sameIds(a: Set<unknown>, b: Set<unknown>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}
