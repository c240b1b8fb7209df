import type { Event } from '../../../extension/src/core/emitter';

/**
 * Resolves with the first value of `event` that satisfies `accept`, or rejects after
 * `timeoutMs`. Tests wait on events, never on fixed sleeps.
 */
export function nextEvent<T>(
  event: Event<T>,
  accept: (value: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no matching event within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = event((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

/** Polls `check` every `stepMs` until it returns true, at most `timeoutMs`. */
export async function waitUntil(
  check: () => boolean,
  timeoutMs = 5000,
  stepMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
