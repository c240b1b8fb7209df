import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ContractValidators } from '@running-tasks/contracts';
import type { Logger } from 'pino';
import type { ReloadStatus, Reloading } from '../control/mock-controller';
import {
  ContractLoadError,
  isContractLoadError,
  isScenarioError,
  type ScenarioIssue,
} from '../errors';
import type { PrismEngine } from '../http/prism-engine';
import { loadScenario } from '../scenario/scenario-loader';
import type { Scenario } from '../scenario/scenario';
import { loadEngine, loadValidators, schemaFiles, type ContractFiles } from './contract-loader';
import { FileWatcher } from './file-watcher';

/** What the mock serves from now, and how to swap in a reloaded version. */
export interface ReloadTarget {
  validators(): ContractValidators;
  scenario(): Scenario;
  /** Swaps everything in at once; only called when every part loaded. */
  apply(next: { validators?: ContractValidators; engine?: PrismEngine; scenario: Scenario }): void;
}

export interface ReloaderOptions {
  contracts: ContractFiles;
  target: ReloadTarget;
  /** Watch the files and reload on change; without it, reload only on request. */
  watch: boolean;
  log: Logger;
  debounceMs?: number;
}

/**
 * Reloads the contracts and the scenario when one of their files changes,
 * or on request. A reload is all or nothing: a broken edit is reported with
 * its file, line and JSON path, and the last good contracts and scenario go
 * on serving; the next good edit is picked up. Open connections are left
 * alone: requests in flight finish on the engine they started with.
 */
export class Reloader implements Reloading {
  private readonly watcher: FileWatcher | undefined;
  private last: ReloadStatus['last'] = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Files named by the last failure, watched too so that fixing them triggers a reload. */
  private extraFiles: string[] = [];

  constructor(private readonly options: ReloaderOptions) {
    this.watcher = options.watch
      ? new FileWatcher(
          (files) => void this.reloadNow(files),
          options.log,
          options.debounceMs ?? 100,
        )
      : undefined;
  }

  /**
   * Starts watching (when on): the OpenAPI document, every schema, the scenario and its fixtures.
   */
  async start(): Promise<void> {
    await this.rewatch();
  }

  close(): void {
    this.watcher?.close();
  }

  status(): ReloadStatus {
    return {
      watching: this.watcher !== undefined,
      files: this.watcher?.watched ?? [],
      last: this.last,
    };
  }

  /**
   * Reloads now. `changed` says which files moved (undefined: all of them);
   * the OpenAPI engine and the validators are rebuilt only when a contract
   * file is among them. Reloads run one after another, never overlapping.
   */
  reloadNow(changed?: string[]): Promise<ReloadStatus> {
    const run = this.queue.then(() => this.reload(changed));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Watches the scenario's current files again (after a switch). */
  async rewatch(): Promise<void> {
    if (this.watcher === undefined) return;
    const { openapiFile, schemasDir } = this.options.contracts;
    const schemaDirs = new Set([
      schemasDir,
      ...(await schemaFiles(schemasDir)).map((f) => path.dirname(f)),
    ]);
    const files = [
      openapiFile,
      ...(await schemaFiles(schemasDir)),
      ...this.options.target.scenario().files,
      ...this.extraFiles,
    ];
    this.watcher.watch(files, new Map([...schemaDirs].map((d) => [d, /\.ya?ml$/])));
  }

  private async reload(changed: string[] | undefined): Promise<ReloadStatus> {
    const started = performance.now();
    const { target, contracts, log } = this.options;
    const contractsChanged =
      changed === undefined ||
      changed.some(
        (f) => f === path.resolve(contracts.openapiFile) || isInside(f, contracts.schemasDir),
      );

    try {
      const validators = contractsChanged ? await loadValidators(contracts.schemasDir) : undefined;
      // Both are checked even when one fails, so one edit's every consequence
      // is reported at once (a schema change can break an example and a fixture).
      const [engineResult, scenarioResult] = await Promise.allSettled([
        contractsChanged ? loadEngine(contracts.openapiFile, log) : Promise.resolve(undefined),
        loadScenario(target.scenario().file, validators ?? target.validators()),
      ]);
      if (engineResult.status === 'rejected' && scenarioResult.status === 'rejected') {
        throw new ContractLoadError([
          ...issuesOf(engineResult.reason),
          ...issuesOf(scenarioResult.reason),
        ]);
      }
      if (engineResult.status === 'rejected') throw engineResult.reason;
      if (scenarioResult.status === 'rejected') throw scenarioResult.reason;
      const engine = engineResult.value;
      const scenario = scenarioResult.value;

      target.apply({ validators, engine, scenario });
      this.extraFiles = [];
      this.last = this.record(true, started, changed);
      log.info({ changed: this.last.changed, ms: this.last.ms }, 'reloaded');
    } catch (err) {
      const issues = issuesOf(err);
      // Watch the files at fault too, a missing one included, to see them fixed.
      this.extraFiles = await plainFiles(issues.flatMap((i) => [i.file, i.subject ?? i.file]));
      this.last = { ...this.record(false, started, changed), issues };
      log.error({ issues }, 'reload refused; the last good contracts and scenario keep serving');
    }
    await this.rewatch();
    return this.status();
  }

  private record(
    ok: boolean,
    started: number,
    changed: string[] | undefined,
  ): NonNullable<ReloadStatus['last']> {
    return {
      at: new Date().toISOString(),
      ok,
      ms: Math.round(performance.now() - started),
      changed: changed ?? ['(all)'],
    };
  }
}

function issuesOf(err: unknown): ScenarioIssue[] {
  if (isScenarioError(err) || isContractLoadError(err)) return err.issues;
  const message = err instanceof Error ? err.message : String(err);
  return [{ file: '(mock server)', path: '$', message: `unexpected failure (a bug): ${message}` }];
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The paths that are not folders: a file that is missing now is watched for its creation. */
async function plainFiles(files: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of new Set(files)) {
    if (!path.isAbsolute(file)) continue;
    if ((await stat(file).catch(() => undefined))?.isDirectory() !== true) found.push(file);
  }
  return found;
}
