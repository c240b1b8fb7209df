import { SettingError } from '../errors';

/** No delay is longer than this: a mock that hangs for minutes only looks broken. */
export const MAX_DELAY_MS = 60_000;

/**
 * How long to hold an answer. `long-tail` is log-normal: most delays sit
 * near the median and about one in a hundred reaches `p99Ms` or more, the
 * shape real network and backend latency tends to have.
 */
export type DelaySpec =
  | { distribution: 'fixed'; ms: number }
  | { distribution: 'uniform'; minMs: number; maxMs: number }
  | { distribution: 'long-tail'; medianMs: number; p99Ms: number };

// The standard normal quantile at 0.99: p99 = median * exp(Z_99 * sigma).
const Z_99 = 2.326_347_874;

/** One delay drawn from `spec`, in ms, never above MAX_DELAY_MS. */
export function sampleDelay(spec: DelaySpec, random: () => number = Math.random): number {
  switch (spec.distribution) {
    case 'fixed':
      return spec.ms;
    case 'uniform':
      return spec.minMs + random() * (spec.maxMs - spec.minMs);
    case 'long-tail': {
      if (spec.medianMs === 0) return 0;
      const sigma = Math.log(spec.p99Ms / spec.medianMs) / Z_99;
      return Math.min(MAX_DELAY_MS, spec.medianMs * Math.exp(sigma * standardNormal(random)));
    }
  }
}

/**
 * Reads a delay written as text:
 * `250` or `250ms` or `1.5s` (fixed), `100ms-400ms` or `uniform:100-400`
 * (uniform), `longtail:80ms-2s` (long tail: median 80 ms, p99 2 s). A bare
 * number is milliseconds, as in Prism's `Prefer: delay`.
 */
export function parseDelaySpec(text: string): DelaySpec {
  const trimmed = text.trim();
  const match = /^(?:(fixed|uniform|long-?tail):)?\s*([^-\s]+)(?:\s*-\s*(\S+))?$/i.exec(trimmed);
  if (!match) throw new SettingError(`cannot read the delay "${text}" (${DELAY_SYNTAX})`);

  const kind = match[1]?.toLowerCase().replace('longtail', 'long-tail');
  const first = parseMs(match[2] ?? '', text);
  const second = match[3] === undefined ? undefined : parseMs(match[3], text);

  if (second === undefined) {
    if (kind !== undefined && kind !== 'fixed')
      throw new SettingError(`the delay "${text}" needs two values (${DELAY_SYNTAX})`);
    return checkDelaySpec({ distribution: 'fixed', ms: first });
  }
  if (kind === 'fixed') throw new SettingError(`a fixed delay takes one value, got "${text}"`);
  if (kind === 'long-tail')
    return checkDelaySpec({ distribution: 'long-tail', medianMs: first, p99Ms: second });
  return checkDelaySpec({ distribution: 'uniform', minMs: first, maxMs: second });
}

const DELAY_SYNTAX = 'write 250ms, 100ms-400ms, or longtail:80ms-2s';

/**
 * A delay from a control request: a number (ms), text as parseDelaySpec
 * reads it, or an object `{ distribution, ... }`.
 */
export function delaySpecFrom(value: unknown): DelaySpec {
  if (typeof value === 'number') return checkDelaySpec({ distribution: 'fixed', ms: value });
  if (typeof value === 'string') return parseDelaySpec(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new SettingError('a delay is a number of ms, a text like "100ms-400ms", or an object');

  const v = value as Record<string, unknown>;
  const known: Record<string, string[]> = {
    fixed: ['ms'],
    uniform: ['minMs', 'maxMs'],
    'long-tail': ['medianMs', 'p99Ms'],
  };
  const fields = known[String(v.distribution)];
  if (fields === undefined)
    throw new SettingError('distribution must be one of fixed, uniform, long-tail');
  for (const key of Object.keys(v)) {
    if (key !== 'distribution' && !fields.includes(key))
      throw new SettingError(`a ${String(v.distribution)} delay has no field "${key}"`);
  }
  for (const key of fields) {
    if (typeof v[key] !== 'number')
      throw new SettingError(`a ${String(v.distribution)} delay needs ${key} (a number of ms)`);
  }
  return checkDelaySpec(v as unknown as DelaySpec);
}

/** The text form of a delay, as parseDelaySpec reads it back. */
export function formatDelaySpec(spec: DelaySpec): string {
  switch (spec.distribution) {
    case 'fixed':
      return `${spec.ms}ms`;
    case 'uniform':
      return `${spec.minMs}ms-${spec.maxMs}ms`;
    case 'long-tail':
      return `longtail:${spec.medianMs}ms-${spec.p99Ms}ms`;
  }
}

/** How messages name each field of a delay. */
const DELAY_PART: Record<string, string> = {
  ms: 'a delay',
  minMs: "a delay range's minimum",
  maxMs: "a delay range's maximum",
  medianMs: "a long-tail delay's median",
  p99Ms: "a long-tail delay's p99",
};

function checkDelaySpec(spec: DelaySpec): DelaySpec {
  const values = Object.entries(spec).filter(([k]) => k !== 'distribution');
  for (const [key, ms] of values as [string, number][]) {
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_DELAY_MS)
      throw new SettingError(
        `${DELAY_PART[key] ?? 'a delay'} must be from 0 to ${MAX_DELAY_MS / 1000} s, ` +
          `got ${ms / 1000} s`,
      );
  }
  if (spec.distribution === 'uniform' && spec.minMs > spec.maxMs)
    throw new SettingError(`a uniform delay's minimum (${spec.minMs}) is above its maximum`);
  if (spec.distribution === 'long-tail' && spec.p99Ms < spec.medianMs)
    throw new SettingError(`a long-tail delay's p99 (${spec.p99Ms}) is below its median`);
  return spec;
}

function parseMs(text: string, whole: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/i.exec(text);
  if (!match) throw new SettingError(`cannot read the delay "${whole}" (${DELAY_SYNTAX})`);
  const n = Number(match[1]);
  return match[2]?.toLowerCase() === 's' ? n * 1000 : n;
}

/** A standard normal draw (Box-Muller); `1 - random()` keeps the logarithm finite. */
function standardNormal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
