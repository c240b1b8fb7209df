import pino, { type Logger } from 'pino';
import { LineSink } from './line-sink';

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
  // Lines are gathered per turn of the event loop and written together, off
  // the main thread (see line-sink.ts): at thousands of requests a second
  // the request log would otherwise cost a write per line.
  return pino({ level, base: undefined }, new LineSink(1));
}

export const silentLogger: Logger = pino({ level: 'silent' });
