import { parseArgs } from 'node:util';

/**
 * One definition per option: the parser, `--help` and validation all read
 * it. Values come from the flag, else the environment variable, else the
 * default.
 */
export interface OptionSpec {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'duration';
  help: string;
  default?: string | number | boolean;
  env?: string;
  /** Shown in help after the flag: `--port <n>`. */
  placeholder?: string;
  /** Allowed values, for string options. */
  choices?: readonly string[];
  min?: number;
  max?: number;
}

export type OptionValues = Record<string, string | number | boolean | undefined>;

export class UsageError extends Error {
  override name = 'UsageError' as const;
  readonly code = 'RT_USAGE';
}

export const HELP_OPTION: OptionSpec = {
  name: 'help',
  type: 'boolean',
  help: 'Show this help and exit.',
};

/** Parses `argv` against `specs`; throws UsageError naming the option at fault. */
export function parseOptions(
  specs: readonly OptionSpec[],
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): OptionValues {
  const all = [...specs, HELP_OPTION];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: Object.fromEntries(
        all.map((s) => [
          s.name,
          { type: s.type === 'boolean' ? ('boolean' as const) : ('string' as const) },
        ]),
      ),
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  const values: OptionValues = {};
  for (const spec of all) {
    const flag = parsed.values[spec.name] as string | boolean | undefined;
    const fromEnv = spec.env === undefined ? undefined : env[spec.env];
    const source = flag !== undefined ? `--${spec.name}` : `$${spec.env}`;
    const raw = flag ?? (fromEnv === '' ? undefined : fromEnv);
    if (raw !== undefined) values[spec.name] = convert(spec, raw, source);
    else if (typeof spec.default === 'string')
      values[spec.name] = convert(spec, spec.default, 'default');
    else values[spec.name] = spec.default;
  }
  return values;
}

function convert(
  spec: OptionSpec,
  raw: string | boolean,
  source: string,
): string | number | boolean {
  if (spec.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new UsageError(`${source}: expected true or false, got "${raw}"`);
  }
  const text = String(raw);

  if (spec.type === 'string') {
    if (spec.choices && !spec.choices.includes(text)) {
      throw new UsageError(`${source}: expected one of ${spec.choices.join(', ')}, got "${text}"`);
    }
    return text;
  }

  const value = spec.type === 'duration' ? parseDuration(text) : Number(text);
  const kind =
    spec.type === 'duration'
      ? 'a duration like 500ms or 2s'
      : spec.type === 'integer'
        ? 'an integer'
        : 'a number';
  const wrongKind =
    text.trim() === '' ||
    !Number.isFinite(value) ||
    (spec.type === 'integer' && !Number.isInteger(value));
  const tooSmall = spec.min !== undefined && value < spec.min;
  const tooBig = spec.max !== undefined && value > spec.max;
  if (wrongKind || tooSmall || tooBig) {
    const unit = spec.type === 'duration' ? 'ms' : '';
    const range =
      spec.min !== undefined && spec.max !== undefined
        ? ` from ${spec.min}${unit} to ${spec.max}${unit}`
        : spec.min !== undefined
          ? ` of at least ${spec.min}${unit}`
          : spec.max !== undefined
            ? ` of at most ${spec.max}${unit}`
            : '';
    throw new UsageError(`${source}: expected ${kind}${range}, got "${text}"`);
  }
  return value;
}

/** `250ms`, `2s`, `1.5s`, `1m`; a bare number is milliseconds. NaN when unreadable. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!match) return Number.NaN;
  const n = Number(match[1]);
  const unit = match[2] ?? 'ms';
  return unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000;
}

/** The options part of a command's help, one aligned line per option. */
export function formatOptionsHelp(specs: readonly OptionSpec[]): string {
  const all = [...specs, HELP_OPTION];
  const heads = all.map(
    (s) => `--${s.name}${s.type === 'boolean' ? '' : ` <${s.placeholder ?? s.type}>`}`,
  );
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return all
    .map((spec, i) => {
      const extras = [
        spec.default !== undefined && spec.default !== ''
          ? `default: ${String(spec.default)}`
          : undefined,
        spec.env ? `env: ${spec.env}` : undefined,
      ].filter(Boolean);
      const tail = extras.length > 0 ? ` (${extras.join('; ')})` : '';
      return `  ${(heads[i] ?? '').padEnd(width)}${spec.help}${tail}`;
    })
    .join('\n');
}
