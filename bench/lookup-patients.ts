/**
 * Looking up 10,000 MRNs on the local server, in the benchmark's own process (as the app's
 * embedded sandbox runs): the import's look-up (`findPatientsByMrn`, 500 MRNs to a form-encoded
 * `POST Patient/_search`) against the same MRNs in URL-sized searches of 100 (what it did before),
 * in a project holding 5,000 other patients. Wall time and this process's CPU (client and server
 * together); each the better of BENCH_REPEATS runs (3), the two taking turns.
 * Run: npx tsx bench/lookup-patients.ts   (writes its figures into docs/benchmarks.md)
 */
import { performance } from 'node:perf_hooks';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { searchAll } from '../main/engines/all-pages';
import { identifierListQuery } from '../main/engines/identifier-query';
import { MRN_SYSTEM } from '../main/local-server/seed';
import { startLocalServer } from '../main/local-server/server';
import { LOOKUP_CHUNK, PATIENT_LOOKUP_CHUNK, chunks, findPatientsByMrn } from '../main/import/plan/find-existing';
import { signIn } from '../tests/support/local-server';
import { machineLine, writeDocsSection } from './docs-section';

const MRNS = 10_000;
const STORED = 5_000;

interface Run {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly requests: number;
}

async function timed(work: () => Promise<number>): Promise<Run> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const requests = await work();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, requests };
}

async function main(): Promise<void> {
  const local = await startLocalServer({ seed: 'empty', quota: { pointsPerWindow: 100_000_000 } });
  try {
    const client = await signIn(local, local.admin.email, local.admin.password, local.projectId);
    const ctx = { client, projectId: local.projectId, msoPolicy: { reference: `AccessPolicy/${local.seed?.msoPolicyId}` }, mrnSystem: MRN_SYSTEM };
    for (let start = 0; start < STORED; start += 100) {
      const entry = Array.from({ length: 100 }, (_, offset) => ({
        resource: { resourceType: 'Patient', identifier: [{ system: MRN_SYSTEM, value: `STORED-${start + offset}` }], name: [{ family: 'Stored' }] } as Patient,
        request: { method: 'POST' as const, url: 'Patient' },
      }));
      await client.executeBatch({ resourceType: 'Bundle', type: 'batch', entry } as Bundle);
    }
    // Half of the MRNs exist, so the answers carry patients.
    const mrns = Array.from({ length: MRNS }, (_, index) => ({ system: MRN_SYSTEM, value: index % 2 ? `STORED-${index % STORED}` : `NEW-${index}` }));
    const byForm = () =>
      timed(async () => {
        for (const chunk of chunks(mrns, PATIENT_LOOKUP_CHUNK)) await findPatientsByMrn(ctx, chunk);
        return Math.ceil(MRNS / PATIENT_LOOKUP_CHUNK);
      });
    const byUrl = () =>
      timed(async () => {
        for (const chunk of chunks(mrns, LOOKUP_CHUNK)) await searchAll(client, 'Patient', Object.fromEntries(new URLSearchParams(identifierListQuery(chunk))), 'look up');
        return Math.ceil(MRNS / LOOKUP_CHUNK);
      });
    let form: Run | undefined;
    let url: Run | undefined;
    for (let repeat = 0; repeat < Number(process.env.BENCH_REPEATS ?? 3); repeat++) {
      const a = await byForm();
      if (!form || a.seconds < form.seconds) form = a;
      const b = await byUrl();
      if (!url || b.seconds < url.seconds) url = b;
      console.log({ form: a, url: b });
    }
    if (!form || !url) throw new Error('BENCH_REPEATS must be at least 1');
    const line = (name: string, run: Run) => `| ${name} | ${run.requests} | ${(run.seconds * 1000).toFixed(0)} ms | ${(run.cpuSeconds * 1000).toFixed(0)} ms |`;
    writeDocsSection(
      'lookup-patients',
      `## Looking up 10,000 MRNs on the local server (\`bench/lookup-patients.ts\`)

${machineLine()}. The local server in the benchmark's own process (as the app's embedded sandbox runs), a project holding ${STORED.toLocaleString('en-US')} patients; ${MRNS.toLocaleString('en-US')} MRNs, half of them existing, one search at a time; each figure the better of ${process.env.BENCH_REPEATS ?? 3} runs, the two ways taking turns. CPU is this process's (client and server together).

| look-up | requests | time | CPU |
| --- | ---: | ---: | ---: |
${line(`the import's: ${PATIENT_LOOKUP_CHUNK} MRNs to a form-encoded POST Patient/_search`, form)}
${line(`URL-sized searches of ${LOOKUP_CHUNK} (before)`, url)}`,
    );
  } finally {
    await local.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
