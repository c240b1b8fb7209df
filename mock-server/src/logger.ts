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
  // Asynchronous writes: under load, lines that pile up during one write go
  // out together in the next instead of costing a syscall each. Idle, a line
  // is written at once (minLength 0), so a reader waiting for "listening"
  // sees it without delay.
  return pino({ level, base: undefined }, pino.destination({ dest: 1, sync: false, minLength: 0 }));
}

export const silentLogger: Logger = pino({ level: 'silent' });
