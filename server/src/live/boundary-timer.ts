import type { Clock } from '../clock.js';

/**
 * How live updates wait: injected beside the clock, so a test can run the boundary scheduler
 * on fake timers, and the server on real ones.
 */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  /** Monotonic milliseconds, for pacing (never for decisions: those take the clock). */
  now(): number;
}

/** Node's timers, unref'd: a pending boundary never keeps a stopping process alive. */
export const nodeTimers: Timers = {
  set(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clear(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
  now: () => performance.now(),
};

/** setTimeout's longest delay; a longer one fires at once (Node warns and uses 1 ms). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Calls `fire` once `clock()` has reached `at`, never before: a wait longer than setTimeout's
 * cap (about 24.8 days: a yearly reset, an override ending next quarter) is taken in steps, and
 * a timer that wakes early by the clock's reckoning waits the rest. Returns a function that
 * cancels it.
 *
 * @example
 * const cancel = fireAt(override.endsAt, clock, nodeTimers, () => push(accountId));
 */
export function fireAt(at: Date, clock: Clock, timers: Timers, fire: () => void): () => void {
  let handle: unknown = null;
  let cancelled = false;
  const wait = (): void => {
    handle = null;
    if (cancelled) return;
    const delay = at.getTime() - clock().getTime();
    if (delay <= 0) {
      cancelled = true;
      fire();
      return;
    }
    handle = timers.set(wait, Math.min(delay, MAX_TIMER_DELAY_MS));
  };
  handle = timers.set(wait, Math.max(0, Math.min(at.getTime() - clock().getTime(), MAX_TIMER_DELAY_MS)));
  return () => {
    cancelled = true;
    if (handle !== null) timers.clear(handle);
    handle = null;
  };
}
