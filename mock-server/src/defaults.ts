/**
 * The mock's defaults, in a module that imports nothing: the command line
 * shows them in its help without loading the server (Prism among it).
 */

/** The built-in scenario served when none is named. */
export const DEFAULT_SCENARIO = 'default';

export const DEFAULTS = {
  port: 4010,
  host: '127.0.0.1',
  scenario: DEFAULT_SCENARIO,
  speed: 1,
  heartbeatMs: 1000,
  keepaliveMs: 30_000,
} as const;
