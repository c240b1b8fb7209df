import { EventEmitter } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { ContractDiagnostic } from '../contract-diagnostic';
import { ReportWriteError } from '../errors';

/**
 * One response or frame that broke the contract, as the report file holds it (one JSON line each).
 */
export interface ViolationRecord {
  time: string;
  kind: 'http' | 'ws';
  /** `GET /api/tasks/running` or `WS /api/tasks/running/realtime`. */
  route: string;
  /** The request target, with any token replaced. */
  target: string;
  /** The upstream's HTTP status (http). */
  status?: number;
  /** The relayed connection and the message's index on it (ws). */
  connection?: number;
  message?: number;
  /** Whether the client got a problem+json answer instead of the upstream's (`--errors`). */
  replaced?: boolean;
  diagnostics: ContractDiagnostic[];
}

export interface ViolationLogEvents {
  violation: [ViolationRecord];
}

/**
 * Collects violations: emits each one, counts them, and appends it to the
 * report file as one JSON line (NDJSON), so a report of a long session can
 * be read while it grows and survives a crash of the proxy.
 */
export class ViolationLog extends EventEmitter<ViolationLogEvents> {
  private stream: WriteStream | undefined;
  private count = 0;

  constructor(readonly file?: string) {
    super();
    if (file === undefined) return;

    try {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    } catch (cause) {
      throw new ReportWriteError(file, { cause });
    }
    this.stream = createWriteStream(file, { flags: 'w' });
    // A write error (disk full) must not crash a proxy that is otherwise serving.
    this.stream.on('error', () => (this.stream = undefined));
  }

  record(violation: ViolationRecord): void {
    this.count++;
    this.stream?.write(`${JSON.stringify(violation)}\n`);
    this.emit('violation', violation);
  }

  get total(): number {
    return this.count;
  }

  /** Flushes and closes the report file. */
  close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (!stream) return Promise.resolve();
    return new Promise((resolve) => stream.end(resolve));
  }
}
