/** Something that can be undone: a listener, a timer, a connection. */
export interface Disposable {
  dispose(): void;
}

/** Subscribes a listener; the returned Disposable unsubscribes it. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/**
 * A minimal typed event emitter shaped like `vscode.EventEmitter`, so that the core stays
 * free of the `vscode` module and the adapters can pass its events straight through.
 */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    // A copy, so that a listener that unsubscribes itself does not skip its neighbour.
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
