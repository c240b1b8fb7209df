import pino, { type Logger } from 'pino';

/**
 * The proxy's logger: JSON lines, or pretty output when stdout is a
 * terminal. Components take a child (`http`, `ws`) and tag each line with
 * a request or connection id. Tokens never reach it: targets are redacted
 * and headers are not logged.
 */
export function createProxyLogger(level = process.env.RUNNING_TASKS_LOG_LEVEL ?? 'info'): Logger {
  if (process.stdout.isTTY) {
    return pino({
      name: 'proxy',
      level,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' },
      },
    });
  }
  return pino({ name: 'proxy', level, base: undefined });
}

export const silentLogger: Logger = pino({ level: 'silent' });
