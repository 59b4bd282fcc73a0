/**
 * The collection's one deadline: an AbortSignal every live client watches (requests, back-off
 * sleeps, token requests, the lazily read sign-in pages), so a stalled endpoint cannot hold a
 * nightly run for longer than the deadline. What it cuts ends `failed`, with the span covered.
 */

/** A nightly job well inside GitHub's 6-hour job limit. */
export const DEFAULT_DEADLINE_MINUTES = 120;

/** A day: longer than any GitHub-hosted job may run (6 hours), so a larger value is a typo. */
export const MAX_DEADLINE_MINUTES = 24 * 60;

/** Thrown by whatever the deadline stopped. */
export class DeadlinePassed extends Error {
  override readonly name = 'DeadlinePassed';
}

/** The deadline's signal, `ms` from now: aborted with a DeadlinePassed naming the limit. */
export function collectionDeadline(ms: number): AbortSignal {
  const controller = new AbortController();
  const limit = ms % 60_000 === 0 ? `${ms / 60_000} minute(s)` : `${ms / 1000} s`;
  const timer = setTimeout(
    () =>
      controller.abort(
        new DeadlinePassed(
          `the collection deadline of ${limit} passed (--deadline MINUTES, or the Action's deadline-minutes input)`,
        ),
      ),
    ms,
  );
  // The deadline never keeps the process alive by itself.
  timer.unref();
  return controller.signal;
}

/** The error a stopped operation throws. */
export function deadlineError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DeadlinePassed('the collection deadline passed');
}

/** A sleep that ends early, rejecting, when the deadline passes. */
export function sleepUntilDeadline(
  sleep: (ms: number) => Promise<void>,
  signal: AbortSignal | undefined,
): (ms: number) => Promise<void> {
  if (signal === undefined) return sleep;
  return (ms) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(deadlineError(signal));
        return;
      }
      const onAbort = () => reject(deadlineError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      sleep(ms).then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
}

/** Races a promise against the deadline (for calls that take no signal). */
export function beforeDeadline<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(deadlineError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(deadlineError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
