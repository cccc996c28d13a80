/**
 * Validating a generated 1,000,000-row patient roster with the import's own engine (exact physical
 * line numbers, every rule, the person tracker), against bare csv-parse reading the same file with
 * no line information and no checks, each in a child process of its own so that its peak memory
 * is its own.
 * Run: npm run bench:validate [-- rows]   (writes its figures into docs/benchmarks.md)
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { buildSync } from 'esbuild';
import { validateRoster } from '../main/import/roster/validate-roster';
import { PATIENT_HEADER, patientRow, writeGeneratedRoster } from '../tests/support/generated-roster';
import { machineLine, writeDocsSection } from './docs-section';

type Mode = 'csv-parse-bare' | 'validate';
interface Measured {
  readonly rows: number;
  readonly validRows: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
}

const CLINICS = ['North Clinic', 'South Clinic', 'East Clinic', 'West Clinic'];

async function runMode(mode: Mode, file: string): Promise<Measured> {
  let peakHeap = 0;
  const sample = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 10);
  const started = performance.now();
  let rows = 0;
  let validRows = 0;
  if (mode === 'validate') {
    const result = await validateRoster(createReadStream(file), { defaultMrnSystem: 'https://bench.example/mrn', today: '2026-12-01' });
    rows = result.rows;
    validRows = result.validRows;
  } else {
    for await (const record of createReadStream(file).pipe(parse({ skip_empty_lines: true, relax_column_count: true })) as AsyncIterable<string[]>) {
      if (record.length) rows++;
    }
    rows -= 1;
    validRows = rows;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sample);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  // maxRSS is the kernel's own high-water mark (KiB), not a sample.
  return { rows, validRows, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, peakHeapMb: peakHeap / 2 ** 20 };
}

async function main(): Promise<void> {
  const [, , first, second, third] = process.argv;
  if (first === '--child') {
    process.stdout.write(JSON.stringify(await runMode(second as Mode, third as string)));
    return;
  }
  const rows = Number(first ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'mso-validate-bench-'));
  const file = join(dir, 'patients.csv');
  await writeGeneratedRoster(file, PATIENT_HEADER, rows, (index) => patientRow(index, CLINICS, 'MRN'));
  const megabytes = statSync(file).size / 2 ** 20;
  // The children run a plain JavaScript bundle of this file, as the built command line runs: no
  // TypeScript loader in the process, so its memory is the reader's and Node's own.
  const child = join(dir, 'child.mjs');
  buildSync({ entryPoints: [fileURLToPath(import.meta.url)], bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'error', banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
  const results = new Map<Mode, Measured>();
  // Each twice, alternating, the faster run kept: the machine is shared.
  for (let round = 0; round < 2; round++) {
    for (const mode of ['csv-parse-bare', 'validate'] as const) {
      const out = execFileSync(process.execPath, [child, '--child', mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const result = JSON.parse(out) as Measured;
      console.log(mode, result);
      const best = results.get(mode);
      if (!best || result.seconds < best.seconds) results.set(mode, result);
    }
  }
  const bare = results.get('csv-parse-bare') as Measured;
  const validate = results.get('validate') as Measured;
  if (validate.validRows !== rows) throw new Error(`validation found ${validate.validRows} valid rows of ${rows}`);
  const line = (name: string, result: Measured) =>
    `| ${name} | ${Math.round(result.rows / result.seconds).toLocaleString('en-US')} | ${(bare.seconds / result.seconds).toFixed(2)} | ${result.peakRssMb.toFixed(0)} MB | ${result.peakHeapMb.toFixed(0)} MB |`;
  const ratio = bare.seconds / validate.seconds;
  writeDocsSection(
    'validate-roster',
    `## Validating a 1,000,000-row patient roster (\`bench/validate-roster.ts\`, \`npm run bench:validate\`)

${machineLine()}. ${rows.toLocaleString('en-US')} generated patient rows (${megabytes.toFixed(0)} MB; one or two of four clinics each). Each reader streams the file in a child process of its own (a plain JavaScript bundle made with esbuild, as the built \`mso-admin validate\` runs), twice, alternating, and the faster run is kept. "Validate" is the import's whole offline check (\`validateRoster\`: UTF-8 decode, papaparse with exact physical line numbers, header and columns, every rule, the person tracker for duplicates and contradictions); the baseline is bare csv-parse with no line numbers and no checks. Peak RSS is the kernel's high-water mark for the process (an empty Node process is about 45 MB); peak heap is sampled every 10 ms.

| reader | rows/s | ratio to bare csv-parse | peak RSS | peak heap |
| --- | ---: | ---: | ---: | ---: |
${line('csv-parse, bare', bare)}
${line('validateRoster (the import)', validate)}

Targets: ratio at least 1.0 — **${ratio >= 1 ? 'met' : 'missed'}** (${ratio.toFixed(2)}); peak memory under 150 MB — **${validate.peakRssMb < 150 ? 'met' : 'missed'}** (${validate.peakRssMb.toFixed(0)} MB RSS).`,
  );
}

void main();
