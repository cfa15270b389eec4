import { describe, expect, it } from 'vitest';
import { LatestOnlyIterator } from '../../../server/src/live/latest-only-iterator.js';

describe('a latest-only iterator', () => {
  it('keeps only the newest unread value, so a slow reader holds one message and reads the latest', async () => {
    const iterator = new LatestOnlyIterator<number>(() => {});
    for (let value = 1; value <= 1000; value++) iterator.put(value);
    expect(await iterator.next()).toEqual({ value: 1000, done: false });
  });

  it('hands a value straight to a waiting reader, in order', async () => {
    const iterator = new LatestOnlyIterator<number>(() => {});
    const first = iterator.next();
    iterator.put(1);
    iterator.put(2);
    expect(await first).toEqual({ value: 1, done: false });
    expect(await iterator.next()).toEqual({ value: 2, done: false });
  });

  it('ends once, on return or end, and then reads done', async () => {
    let ended = 0;
    const iterator = new LatestOnlyIterator<number>(() => ended++);
    const waiting = iterator.next();
    await iterator.return();
    iterator.end();
    iterator.put(3);
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(ended).toBe(1);
  });
});
