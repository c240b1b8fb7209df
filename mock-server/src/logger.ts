import pino, { type Logger } from 'pino';

/**
 * The mock's logger: JSON lines, or pretty output when stdout is a terminal.
 * Each component takes a child with its name (`http`, `ws`, `replay`).
 */
export function createMockLogger(level = process.env.RUNNING_TASKS_LOG_LEVEL ?? 'info'): Logger {
  if (process.stdout.isTTY) {
    return pino({
      level,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' },
      },
    });
  }
  return pino({ level, base: undefined });
}

export const silentLogger: Logger = pino({ level: 'silent' });
