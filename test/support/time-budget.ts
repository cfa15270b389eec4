import { cpus, loadavg } from 'node:os';

/** The slowest the budgets assume a machine to be; past it a test that has not finished is stuck, not slow. */
const MAX_SLOWDOWN = 6;

/**
 * How much slower than an idle machine the suite should expect this one to be now: the runnable
 * tasks per core over the last minute (`loadavg / cores`, counting `expectedOwnLoad` more for
 * what the suite is about to add), at least 1 and at most 6. `TOLLGATE_TEST_SLOWDOWN` sets it
 * outright (a CI whose load average does not describe its CPU share).
 *
 * Why: a fixed 30 s deadline on work that takes 10 s on an idle machine fails when five other
 * processes share its two cores, although nothing is wrong. Deadlines are for stuck tests; they
 * must grow with the load, while assertions about speed stay in benchmarks, as ratios.
 *
 * @example
 * slowdown(); // 1 on an idle machine, 3 with six busy processes on two cores
 */
export function slowdown(expectedOwnLoad = 0): number {
  const forced = Number(process.env.TOLLGATE_TEST_SLOWDOWN);
  if (Number.isFinite(forced) && forced >= 1) return forced;
  const perCore = (loadavg()[0]! + expectedOwnLoad) / Math.max(1, cpus().length);
  return Math.min(MAX_SLOWDOWN, Math.max(1, perCore));
}

/**
 * A deadline for work that takes about `ms` on an idle machine, scaled by {@link slowdown}: for
 * `{ timeout }` options, waitFor and polling helpers. It bounds a wait on a condition; it is never
 * a sleep.
 *
 * @example
 * it('moves 1,200 accounts', { timeout: budget(120_000) }, async () => { ... });
 */
export function budget(ms: number, expectedOwnLoad = 0): number {
  return Math.ceil(ms * slowdown(expectedOwnLoad));
}
