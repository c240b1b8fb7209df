/** A backend clock may run a few minutes ahead of ours without the start looking wrong. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** A "running" task older than this is taken as carrying a stale or placeholder start time. */
const PLAUSIBLE_AGE_MS = 30 * 24 * 3600_000;

export interface TaskStart {
  startMs: number;
  /** False when the backend's start time was unusable and the first sighting stands in. */
  fromBackend: boolean;
}

/**
 * When a task started, for its elapsed time. The backend's Unix seconds are used when they
 * are plausible; otherwise (0, in the future, or implausibly old, as in the API page's 2017
 * examples) the moment this window first saw the task stands in, and the tree says so.
 */
export function taskStart(startedAtSeconds: number, firstSeenMs: number, nowMs: number): TaskStart {
  const startMs = startedAtSeconds * 1000;
  const plausible =
    startedAtSeconds > 0 && startMs <= nowMs + CLOCK_SKEW_MS && nowMs - startMs <= PLAUSIBLE_AGE_MS;
  return plausible ? { startMs, fromBackend: true } : { startMs: firstSeenMs, fromBackend: false };
}

/**
 * `42s`, `2m 05s`, `1h 07m`, `3d 4h`. Precision falls with age, so an hour-old task's label
 * changes once a minute, not once a second, and the tree is refreshed that much less.
 */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;

  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
