/**
 * Nothing is left out of the real-Medplum tier silently: every integration and end-to-end test
 * file is either run by it (tests/real/tier.json "run") or listed with a reason ("notOnReal"),
 * never both, and docs/testing.md names every file that is not run.
 */
import { globSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';

const tierSchema = z.object({
  run: z.array(z.string().min(1)).min(1),
  notOnReal: z.array(z.object({ file: z.string().min(1), test: z.string().optional(), reason: z.string().min(20) }).strict()),
});
const tier = tierSchema.parse(JSON.parse(readFileSync('tests/real/tier.json', 'utf8')));
const expand = (patterns: readonly string[]): Set<string> => new Set(patterns.flatMap((pattern) => globSync(pattern)));

describe('the real tier list', () => {
  const run = expand(tier.run);
  const notRun = expand(tier.notOnReal.filter((entry) => !entry.test).map((entry) => entry.file));

  test('every integration and end-to-end test file is run on the real tier or listed with a reason, not both', () => {
    const all = globSync(['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts']).sort();
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((file) => !run.has(file) && !notRun.has(file))).toEqual([]);
    expect([...run].filter((file) => notRun.has(file))).toEqual([]);
  });

  test('each entry names files that exist (a single test only inside a file the tier runs)', () => {
    for (const entry of tier.notOnReal) {
      const files = expand([entry.file]);
      expect(files.size, entry.file).toBeGreaterThan(0);
      if (entry.test) {
        expect(run.has(entry.file), entry.file).toBe(true);
      }
    }
  });

  test('docs/testing.md names every file and test the real tier does not run', () => {
    const docs = readFileSync('docs/testing.md', 'utf8');
    for (const entry of tier.notOnReal) {
      expect(docs, entry.file).toContain(entry.file);
      if (entry.test) {
        expect(docs, entry.test).toContain(entry.test);
      }
    }
  });
});
