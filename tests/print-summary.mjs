// Prints one closing line that any CI can read: "<label>: N passed, N failed" (label "Tests"
// unless given). With --not-on-real <tier.json>, it then lists by name every test file the
// real-Medplum tier does not run, with the reason, so nothing is left out silently.
//   node tests/print-summary.mjs <vitest.json> [--label "Real Medplum tier"] [--not-on-real tests/real/tier.json]
import { readFileSync } from 'node:fs';

const [reportPath, ...rest] = process.argv.slice(2);
const option = (name) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};

const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const label = option('--label') ?? 'Tests';
const skipped = report.numPendingTests + report.numTodoTests;

const tierPath = option('--not-on-real');
if (tierPath) {
  const { notOnReal } = JSON.parse(readFileSync(tierPath, 'utf8'));
  console.log(`Not run on the real Medplum tier (${notOnReal.length}; they run in npm test against the local server):`);
  for (const entry of notOnReal) {
    console.log(`  - ${entry.file}${entry.test ? ` > ${entry.test}` : ''}: ${entry.reason}`);
  }
}
// Last, on its own line, for parsers that read the final "N passed, N failed".
console.log(`${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
