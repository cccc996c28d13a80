/** The hand-over from the look-ups to the creates: full batches, the end, a failure, a cancel. */
import { describe, expect, it } from 'vitest';
import { PeopleQueue } from '../../../main/import/apply/people-queue';

const settledSoon = <T>(promise: Promise<T>) => Promise.race([promise.then((value) => ({ value })), new Promise((resolve) => setTimeout(() => resolve('waiting'), 20))]);

describe('PeopleQueue', () => {
  it('hands out full batches, waits while a batch is short and more may come, and gives the rest at the end', async () => {
    const queue = new PeopleQueue<number>();
    queue.push([1, 2, 3]);
    const waiting = queue.take(5);
    expect(await settledSoon(waiting)).toBe('waiting');
    queue.push([4, 5, 6]);
    expect(await waiting).toEqual([1, 2, 3, 4, 5]);
    const rest = queue.take(5);
    expect(await settledSoon(rest)).toBe('waiting');
    queue.end();
    expect(await rest).toEqual([6]);
    expect(await queue.take(5)).toEqual([]);
  });

  it('gives people put back first, and a queue made from a list needs no end', async () => {
    const queue = PeopleQueue.of([1, 2, 3, 4]);
    const taken = await queue.take(3);
    queue.putBack(taken.splice(1));
    expect(taken).toEqual([1]);
    expect(await queue.take(10)).toEqual([2, 3, 4]);
  });

  it('fails its takers when the look-ups fail, and wakes them on a cancel', async () => {
    const failing = new PeopleQueue<number>();
    const taker = failing.take(2);
    failing.push([1]);
    failing.fail(new Error('look-up failed'));
    await expect(taker).rejects.toThrow('look-up failed');

    const cancel = new AbortController();
    const waiting = new PeopleQueue<number>().take(2, cancel.signal);
    cancel.abort();
    await expect(waiting).rejects.toThrow();
  });
});
