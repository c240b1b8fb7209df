import { watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

/** Polling period when the system cannot watch (no inotify slots left, a network drive). */
const POLL_MS = 300;

/**
 * Watches a set of files and reports changes in batches, `debounceMs` after
 * the last event. It watches the folders, not the files: editors often save
 * by writing a new file and renaming it over the old one, which ends a
 * watch on the file itself but shows in its folder as an event under the
 * same name. Where the system cannot watch a folder, it polls the files.
 */
export class FileWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly polled = new Set<string>();
  private files = new Set<string>();
  private patterns = new Map<string, RegExp>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly onChange: (files: string[]) => void,
    private readonly log: Logger,
    private readonly debounceMs = 100,
  ) {}

  /** The files watched now. */
  get watched(): string[] {
    return [...this.files];
  }

  /**
   * Replaces what is watched: `files` by name, and in each folder of
   * `patterns` every file whose name matches (to notice new schema files).
   */
  watch(files: readonly string[], patterns: ReadonlyMap<string, RegExp> = new Map()): void {
    if (this.closed) return;
    this.files = new Set(files.map((f) => path.resolve(f)));
    this.patterns = new Map([...patterns].map(([dir, re]) => [path.resolve(dir), re]));

    const dirs = new Set([...this.files].map((f) => path.dirname(f)));
    for (const dir of this.patterns.keys()) dirs.add(dir);

    for (const [dir, watcher] of this.watchers) {
      if (dirs.has(dir)) continue;
      watcher.close();
      this.watchers.delete(dir);
    }
    for (const dir of dirs) {
      if (!this.watchers.has(dir)) this.watchDir(dir);
    }
    this.syncPolling();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    for (const file of this.polled) unwatchFile(file);
    this.polled.clear();
  }

  private watchDir(dir: string): void {
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null) {
          // Some platforms do not name the file: count every watched file of the folder.
          for (const file of this.files) if (path.dirname(file) === dir) this.noticed(file);
          return;
        }
        const file = path.join(dir, name.toString());
        if (this.files.has(file) || this.patterns.get(dir)?.test(name.toString()))
          this.noticed(file);
      });
      watcher.on('error', (err) => {
        this.log.warn(
          { dir, err: err.message },
          'cannot watch a folder any more; polling its files',
        );
        watcher.close();
        this.watchers.delete(dir);
        this.syncPolling();
      });
      this.watchers.set(dir, watcher);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT')
        this.log.warn({ dir, code }, 'cannot watch a folder; polling its files instead');
    }
  }

  /** Polls the watched files whose folder has no watcher (it could not be watched, or is gone). */
  private syncPolling(): void {
    const wanted = new Set([...this.files].filter((f) => !this.watchers.has(path.dirname(f))));
    for (const file of this.polled) {
      if (wanted.has(file)) continue;
      unwatchFile(file);
      this.polled.delete(file);
    }
    for (const file of wanted) {
      if (this.polled.has(file)) continue;
      watchFile(file, { persistent: false, interval: POLL_MS }, (now, before) => {
        if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) this.noticed(file);
      });
      this.polled.add(file);
    }
  }

  private noticed(file: string): void {
    if (this.closed) return;
    this.pending.add(file);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const batch = [...this.pending];
      this.pending.clear();
      this.onChange(batch);
    }, this.debounceMs);
    this.timer.unref();
  }
}
