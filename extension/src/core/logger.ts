/**
 * The logging surface the core writes to. The extension backs it with a
 * `LogOutputChannel` (the user picks the level); tests back it with an array or nothing.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type LogLevel = keyof Logger;

/** A logger that drops everything. */
export const SILENT_LOGGER: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Prefixes every line with a component tag: `[feed local] connected`. */
export function tagLogger(logger: Logger, tag: string): Logger {
  const prefix = `[${tag}] `;
  return {
    trace: (m) => logger.trace(prefix + m),
    debug: (m) => logger.debug(prefix + m),
    info: (m) => logger.info(prefix + m),
    warn: (m) => logger.warn(prefix + m),
    error: (m) => logger.error(prefix + m),
  };
}

/** A logger that remembers its lines, for tests and for checking that no secret is written. */
export class MemoryLogger implements Logger {
  readonly lines: { level: LogLevel; message: string }[] = [];

  trace(message: string): void {
    this.lines.push({ level: 'trace', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }

  text(): string {
    return this.lines.map((l) => `${l.level} ${l.message}`).join('\n');
  }
}
