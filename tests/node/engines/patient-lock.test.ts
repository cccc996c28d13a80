import { describe, expect, test } from 'vitest';
import { lockedPatientCount, withPatientLock } from '../../../main/engines/patient-lock';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('per-patient lock', () => {
  test('changes of one patient on one connection run one after another, in call order', async () => {
    const owner = {};
    const log: string[] = [];
    const first = deferred();
    const a = withPatientLock(owner, 'p', async () => {
      log.push('a start');
      await first.promise;
      log.push('a end');
    });
    const b = withPatientLock(owner, 'p', async () => {
      log.push('b');
    });
    await tick();
    expect(log).toEqual(['a start']);
    first.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(['a start', 'a end', 'b']);
    expect(lockedPatientCount(owner)).toBe(0);
  });

  test('other patients and other connections are not held up', async () => {
    const owner = {};
    const held = deferred();
    const log: string[] = [];
    const blocked = withPatientLock(owner, 'p', () => held.promise);
    await withPatientLock(owner, 'q', async () => log.push('other patient'));
    await withPatientLock({}, 'p', async () => log.push('other connection'));
    expect(log).toEqual(['other patient', 'other connection']);
    held.resolve();
    await blocked;
  });

  test('a failed change passes its error to its caller and does not block the next one', async () => {
    const owner = {};
    const failing = deferred();
    const a = withPatientLock(owner, 'p', () => failing.promise);
    const b = withPatientLock(owner, 'p', async () => 'ran');
    failing.reject(new Error('boom'));
    await expect(a).rejects.toThrow('boom');
    await expect(b).resolves.toBe('ran');
    expect(lockedPatientCount(owner)).toBe(0);
  });
});
