import { EventEmitter } from 'node:events';
import {
  formatDiagnostics,
  type ContractValidators,
  type V1Task,
  type V2Task,
} from '@running-tasks/contracts';
import type { Logger } from 'pino';
import type { ApiVersion, ReplayState } from './scenario/scenario';

/** One API version's running list as served: the tasks, their bytes, and a counter. */
export interface Snapshot<T = unknown> {
  /** Increases by one on every change of this list. */
  version: number;
  tasks: readonly T[];
  /** The JSON the HTTP route and the websocket send, serialised once per change. */
  body: Buffer;
}

export interface SnapshotStoreEvents {
  change: [api: ApiVersion, snapshot: Snapshot];
}

/**
 * Holds the current list of each API version. Everything that depends only
 * on the list (serialising it, checking it against the contract) happens
 * here, once per change, never per request or per client.
 */
export class SnapshotStore extends EventEmitter<SnapshotStoreEvents> {
  private readonly snapshots: { v1: Snapshot<V1Task>; v2: Snapshot<V2Task> } = {
    v1: { version: 0, tasks: [], body: Buffer.from('[]') },
    v2: { version: 0, tasks: [], body: Buffer.from('[]') },
  };

  constructor(
    private readonly validators: ContractValidators,
    private readonly log: Logger,
  ) {
    super();
  }

  get(api: 'v1'): Snapshot<V1Task>;
  get(api: 'v2'): Snapshot<V2Task>;
  get(api: ApiVersion): Snapshot;
  get(api: ApiVersion): Snapshot {
    return this.snapshots[api];
  }

  /** Publishes the lists of `state` that differ from the current ones; returns which changed. */
  update(state: ReplayState): ApiVersion[] {
    const changed: ApiVersion[] = [];
    if (this.publish('v1', state.v1)) changed.push('v1');
    if (this.publish('v2', state.v2)) changed.push('v2');
    return changed;
  }

  private publish(api: ApiVersion, tasks: readonly unknown[]): boolean {
    const current = this.snapshots[api];
    const body = Buffer.from(JSON.stringify(tasks));
    if (current.version > 0 && body.equals(current.body)) return false;

    // Fixtures and every timeline step are checked at load, so a failure here
    // is a bug; the last good list keeps being served.
    const check = api === 'v1' ? this.validators.v1TaskList : this.validators.v2TaskList;
    const result = check(tasks);
    if (!result.valid) {
      this.log.error(
        { api, violations: formatDiagnostics(result.diagnostics) },
        'replay produced a list that breaks the contract; keeping the last good one (a bug)',
      );
      return false;
    }

    const next = { version: current.version + 1, tasks, body } as Snapshot<never>;
    this.snapshots[api] = next;
    this.emit('change', api, next);
    return true;
  }
}
