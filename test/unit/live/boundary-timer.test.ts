import { describe, expect, it } from 'vitest';
import { fireAt, MAX_TIMER_DELAY_MS } from '../../../server/src/live/boundary-timer.js';
import { fakeTime } from './fake-timers.js';

const START = new Date('2026-03-15T12:00:00.000Z');

describe('fireAt', () => {
  it('fires at the instant, not before', async () => {
    const time = fakeTime(START);
    const fired: number[] = [];
    fireAt(new Date(START.getTime() + 300), time.clock, time.timers, () => fired.push(time.clock().getTime()));
    await time.advance(299);
    expect(fired).toEqual([]);
    await time.advance(1);
    expect(fired).toEqual([START.getTime() + 300]);
  });

  it('waits past setTimeout\'s cap in steps, never arming a longer delay', async () => {
    const time = fakeTime(START);
    const at = new Date(START.getTime() + 60 * 86_400_000);
    let fired = false;
    fireAt(at, time.clock, time.timers, () => (fired = true));
    await time.advance(MAX_TIMER_DELAY_MS);
    expect(fired).toBe(false);
    await time.advance(at.getTime() - START.getTime() - MAX_TIMER_DELAY_MS);
    expect(fired).toBe(true);
    expect(Math.max(...time.delays)).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
    expect(time.delays.length).toBe(3);
  });

  it('waits the rest when the timer wakes before the clock reaches the instant', async () => {
    const time = fakeTime(START);
    let firedAt: number | null = null;
    fireAt(new Date(START.getTime() + 1000), time.clock, time.timers, () => (firedAt = time.clock().getTime()));
    time.jumpClock(-200); // the wall clock stepped back: the timer wakes 200 ms early by it
    await time.advance(1000);
    expect(firedAt).toBeNull();
    await time.advance(200);
    expect(firedAt).toBe(START.getTime() + 1000);
  });

  it('fires promptly for an instant already past, and never after being cancelled', async () => {
    const time = fakeTime(START);
    let fired = 0;
    fireAt(new Date(START.getTime() - 5), time.clock, time.timers, () => fired++);
    const cancel = fireAt(new Date(START.getTime() + 50), time.clock, time.timers, () => fired++);
    await time.advance(0);
    expect(fired).toBe(1);
    cancel();
    await time.advance(100);
    expect(fired).toBe(1);
    expect(time.pendingTimers()).toBe(0);
  });
});
