import type { Timers } from '../../../server/src/live/boundary-timer.js';

/**
 * Timers and a clock that move only when the test says so: `advance(ms)` runs every timer due
 * by then, in order, with the clock at each one's instant.
 */
export function fakeTime(start: Date) {
  let now = start.getTime();
  let monotonic = 0;
  let sequence = 0;
  const pending = new Map<number, { due: number; callback: () => void; order: number }>();
  const delays: number[] = [];
  const timers: Timers = {
    set(callback, ms) {
      delays.push(ms);
      const id = ++sequence;
      pending.set(id, { due: monotonic + ms, callback, order: id });
      return id;
    },
    clear(handle) {
      pending.delete(handle as number);
    },
    now: () => monotonic,
  };
  return {
    timers,
    clock: () => new Date(now),
    /** Every delay a timer was armed with, in order. */
    delays,
    pendingTimers: () => pending.size,
    /** Moves the wall clock alone (as NTP or a wrong assumption about timers would). */
    jumpClock(ms: number) {
      now += ms;
    },
    async advance(ms: number) {
      const until = monotonic + ms;
      for (;;) {
        const next = [...pending.entries()].filter(([, timer]) => timer.due <= until).sort(([, a], [, b]) => a.due - b.due || a.order - b.order)[0];
        if (!next) break;
        const [id, timer] = next;
        pending.delete(id);
        now += timer.due - monotonic;
        monotonic = timer.due;
        timer.callback();
        // Let promise continuations the callback started run before the next timer.
        await new Promise((resolve) => setImmediate(resolve));
      }
      now += until - monotonic;
      monotonic = until;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
