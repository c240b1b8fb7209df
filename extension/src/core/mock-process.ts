import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Emitter } from './emitter';
import { MockStartError } from './errors';
import { SILENT_LOGGER, type Logger } from './logger';

export interface MockProcessOptions {
  /** The program and its arguments, e.g. `[node, cli/dist/main.js, mock, --port, 0]`. */
  argv: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the "listening" line. */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
  logger?: Logger;
}

/** The line the mock writes (one JSON object) once its port is open. */
const LISTENING_MESSAGE = 'mock server listening';
const STDERR_KEPT = 20;

/**
 * The project's own mock server as a child process this window owns. It is started with
 * `--port 0`, so the port is read from its first log line, and it is stopped (TERM, then
 * KILL) by `stop()`; the extension calls that on the stop command and on deactivation.
 */
export class MockProcess {
  private readonly exitEmitter = new Emitter<number | null>();
  /** The process ended, whoever ended it; the argument is its exit code. */
  readonly onExit = this.exitEmitter.event;

  private exited = false;
  private exitCode: number | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly stopTimeoutMs: number,
  ) {
    child.once('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
      this.exitEmitter.fire(code);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Starts the mock and resolves once it is listening; rejects with MockStartError. */
  static start(options: MockProcessOptions): Promise<MockProcess> {
    const [program, ...args] = options.argv;
    if (!program) return Promise.reject(new MockStartError('no command to start the mock with'));

    const logger = options.logger ?? SILENT_LOGGER;
    const startTimeoutMs = options.startTimeoutMs ?? 20_000;
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    logger.info(`starting the mock: ${[program, ...args].join(' ')}`);

    return new Promise<MockProcess>((resolve, reject) => {
      const stderr: string[] = [];
      let settled = false;
      const timer = setTimeout(() => {
        fail(`the mock did not report listening within ${startTimeoutMs} ms`);
        child.kill('SIGKILL');
      }, startTimeoutMs);

      const fail = (message: string, cause?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const tail = stderr.length ? `\n${stderr.join('\n')}` : '';
        reject(new MockStartError(`${message}${tail}`, { cause }));
      };

      child.once('error', (cause) => fail(`cannot start ${program}`, cause));
      child.once('exit', (code, signal) =>
        fail(`the mock exited before listening (${signal ?? `code ${code}`})`),
      );

      createInterface({ input: child.stderr }).on('line', (line) => {
        stderr.push(line);
        if (stderr.length > STDERR_KEPT) stderr.shift();
        logger.warn(`mock: ${line}`);
      });
      createInterface({ input: child.stdout }).on('line', (line) => {
        logger.debug(`mock: ${line}`);
        const url = listeningUrl(line);
        if (!url || settled) return;

        settled = true;
        clearTimeout(timer);
        resolve(new MockProcess(child, url, options.stopTimeoutMs ?? 3000));
      });
    });
  }

  /** Stops the process: TERM, then KILL if it lingers. Resolves once it has exited. */
  async stop(): Promise<void> {
    if (this.exited) return;

    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), this.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** The exit code once ended, null while running or when ended by a signal. */
  get code(): number | null {
    return this.exitCode;
  }
}

/** The URL of the "listening" log line, or undefined for any other line. */
export function listeningUrl(line: string): string | undefined {
  if (!line.includes(LISTENING_MESSAGE)) return undefined;

  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  const { msg, url } = (record ?? {}) as { msg?: unknown; url?: unknown };
  if (msg !== LISTENING_MESSAGE || typeof url !== 'string') return undefined;
  return /^https?:\/\//.test(url) ? url : undefined;
}
