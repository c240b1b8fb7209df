import type { OptionSpec, OptionValues } from './options';

/** Exit codes shared by every subcommand. */
export const EXIT = {
  OK: 0,
  /** The command ran and found a failure (a check failed, the server stopped on an error). */
  FAILURE: 1,
  /** Bad flags or bad input files: nothing was attempted. */
  USAGE: 2,
  /** The backend under test could not be reached at all. */
  UNREACHABLE: 3,
  /** A bug in running-tasks itself. */
  BUG: 4,
} as const;

/** A `running-tasks <name>` subcommand. */
export interface Command {
  name: string;
  summary: string;
  /** Paragraphs printed under the usage line of `--help`. */
  description?: string;
  options: readonly OptionSpec[];
  /** Resolves to the process exit code. Long-running commands resolve when they stop. */
  run(values: OptionValues): Promise<number>;
}
