import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchRecorder } from '../../../server/src/shadow/batch-recorder.js';

/** A write the test settles by hand, to hold a batch "in the database" for as long as it likes. */
function heldWrites() {
  const calls: { rows: number[]; resolve: () => void; reject: (error: Error) => void }[] = [];
  const write = (rows: number[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ rows: [...rows], resolve, reject });
    });
  return { calls, write };
}

/** Lets every settled promise run its continuations. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('the shadow recorder', () => {
  it('writes nothing until the interval has passed, then the waiting rows in one batch', async () => {
    vi.useFakeTimers();
    const written: number[][] = [];
    const recorder = new BatchRecorder<number>(async (rows) => void written.push([...rows]), { flushIntervalMs: 100 });
    await Promise.all([recorder.record(1), recorder.record(2), recorder.record(3)]);
    await vi.advanceTimersByTimeAsync(99);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual([[1, 2, 3]]);
    expect(recorder.waiting).toBe(0);
  });

  it('writes a full batch at once, without waiting for the timer', async () => {
    const written: number[][] = [];
    const recorder = new BatchRecorder<number>(async (rows) => void written.push([...rows]), { flushIntervalMs: 3_600_000, batchRows: 4 });
    for (const row of [1, 2, 3, 4, 5]) await recorder.record(row);
    await settle();
    expect(written).toEqual([[1, 2, 3, 4]]);
    expect(recorder.waiting).toBe(1);
    await recorder.close();
  });

  it('holds at most maxPending rows: the next record waits until a write has made room', async () => {
    const { calls, write } = heldWrites();
    const recorder = new BatchRecorder<number>(write, { flushIntervalMs: 3_600_000, batchRows: 100, maxPending: 3 });
    for (const row of [1, 2, 3]) await recorder.record(row);
    let fourthRecorded = false;
    const fourth = recorder.record(4).then(() => (fourthRecorded = true));
    await settle();
    expect(fourthRecorded).toBe(false);
    expect(recorder.waiting).toBe(3);
    expect(calls.map((call) => call.rows)).toEqual([[1, 2, 3]]);
    calls[0]!.resolve();
    await fourth;
    expect(recorder.waiting).toBe(1);
    const last = recorder.flush();
    await settle();
    expect(calls.map((call) => call.rows)).toEqual([[1, 2, 3], [4]]);
    calls[1]!.resolve();
    await last;
    expect(recorder.waiting).toBe(0);
  });

  it('fails the waiting record when the full buffer cannot be written, and keeps every row', async () => {
    const recorder = new BatchRecorder<number>(async () => {
      throw new Error('database down');
    }, { flushIntervalMs: 3_600_000, batchRows: 100, maxPending: 3 });
    for (const row of [1, 2, 3]) await recorder.record(row);
    await expect(recorder.record(4)).rejects.toThrow('database down');
    expect(recorder.waiting).toBe(3);
  });

  it('keeps the bound under 100 concurrent records and writes each row once, in order', async () => {
    const written: number[] = [];
    let most = 0;
    const recorder = new BatchRecorder<number>(
      async (rows) => {
        most = Math.max(most, recorder.waiting);
        await settle();
        written.push(...rows);
      },
      { flushIntervalMs: 3_600_000, batchRows: 4, maxPending: 10 },
    );
    await Promise.all(Array.from({ length: 100 }, (_, row) => recorder.record(row)));
    await recorder.flush();
    expect(written).toEqual(Array.from({ length: 100 }, (_, row) => row));
    expect(most).toBeLessThanOrEqual(10);
  });

  it('retries a failed background write with the same rows, and says so each time', async () => {
    vi.useFakeTimers();
    let failing = true;
    const attempts: number[][] = [];
    const failures: number[] = [];
    const recorder = new BatchRecorder<number>(
      async (rows) => {
        attempts.push([...rows]);
        if (failing) throw new Error('database down');
      },
      { flushIntervalMs: 100, maxRetryDelayMs: 1_000 },
      (_error, waiting) => failures.push(waiting),
    );
    await recorder.record(1);
    await recorder.record(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts).toEqual([[1, 2]]);
    expect(failures).toEqual([2]);
    // The pause doubles after each failure: 200 ms after the first.
    await vi.advanceTimersByTimeAsync(199);
    expect(attempts).toHaveLength(1);
    failing = false;
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual([[1, 2], [1, 2]]);
    expect(recorder.waiting).toBe(0);
  });

  it('flushes every row recorded before the call, even while another write is in progress', async () => {
    const { calls, write } = heldWrites();
    const recorder = new BatchRecorder<number>(write, { flushIntervalMs: 3_600_000, batchRows: 2 });
    await recorder.record(1);
    await recorder.record(2); // a full batch: written in the background
    await recorder.record(3);
    let flushed = false;
    const flushing = recorder.flush().then(() => (flushed = true));
    await settle();
    expect(calls.map((call) => call.rows)).toEqual([[1, 2]]);
    calls[0]!.resolve();
    await settle();
    expect(flushed).toBe(false);
    expect(calls.map((call) => call.rows)).toEqual([[1, 2], [3]]);
    calls[1]!.resolve();
    await flushing;
    expect(recorder.waiting).toBe(0);
  });

  it('writes what waits on close, and refuses rows after it', async () => {
    const written: number[] = [];
    const recorder = new BatchRecorder<number>(async (rows) => void written.push(...rows), { flushIntervalMs: 3_600_000 });
    await recorder.record(1);
    await recorder.record(2);
    await recorder.close();
    expect(written).toEqual([1, 2]);
    await expect(recorder.record(3)).rejects.toThrow(/closed/);
  });
});
