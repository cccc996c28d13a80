/**
 * The access audit on a real Medplum (a fresh project of the server at MEDPLUM_BASE_URL, as the
 * real test tier makes one): 2,000 patients with 4,000 records and 50 clinicians, built over HTTP,
 * then the audit, "view as clinician" and one clinician's effective access, with their requests.
 * Run: MEDPLUM_BASE_URL=… MEDPLUM_ADMIN_EMAIL=… MEDPLUM_ADMIN_PASSWORD=… npx tsx bench/audit-real-server.ts
 */
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { MedplumClient } from '@medplum/core';
import type { Bundle, BundleEntry, Organization, Patient } from '@medplum/fhirtypes';
import { AuditReader } from '../main/audit/audit-reader';
import { clinicianAccess } from '../main/audit/effective-access';
import { auditRequestBound } from '../main/audit/project-snapshot';
import { runAudit } from '../main/audit/run-audit';
import { viewAsClinician } from '../main/audit/view-as-clinician';
import { createRealProject, realServerEnv, setProjectFhirQuota } from '../tests/support/real-backend';
import { createClinician, signInAsAdmin } from '../tests/support/local-server';
import { writeBenchmarkSection } from './bench-support';

const PATIENTS = 2_000;
const CLINICS = 5;
const CLINICIANS = 50;

async function main(): Promise<void> {
  const project = await createRealProject(realServerEnv(), 'audit-bench');
  const backend = { ...project, seed: { msoPolicyId: project.msoPolicyId } };
  await setProjectFhirQuota(await project.superAdmin(), project.projectId, 5_000_000);
  const admin = await signInAsAdmin(backend);
  const buildStart = performance.now();
  const clinics: Organization[] = [];
  for (let c = 0; c < CLINICS; c++) clinics.push(await admin.createResource<Organization>({ resourceType: 'Organization', name: `Bench clinic ${c + 1}`, active: true }));
  const patientIds = await createInBatches(admin, Array.from({ length: PATIENTS }, (_, i) => {
    const accounts = [{ reference: `Organization/${clinics[i % CLINICS]?.id}` }];
    return { resourceType: 'Patient', meta: { accounts, account: accounts[0] }, name: [{ given: ['Bench'], family: `Patient${i}` }] } as Patient;
  }));
  await createInBatches(admin, patientIds.flatMap((id) => [
    { resourceType: 'Observation', status: 'final', code: { text: 'bp' }, subject: { reference: `Patient/${id}` } },
    { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${id}` } },
  ]));
  const clinicians = [];
  for (let i = 0; i < CLINICIANS; i++) clinicians.push(await createClinician(backend, admin, [clinics[i % CLINICS] as Organization & { id: string }]));
  const buildSeconds = (performance.now() - buildStart) / 1000;
  console.log(`built ${PATIENTS} patients, ${PATIENTS * 2} records, ${CLINICIANS} clinicians in ${buildSeconds.toFixed(0)} s`);

  const reader = new AuditReader(admin);
  const start = performance.now();
  const run = await runAudit({ reader, projectId: backend.projectId, projectName: 'bench' });
  const auditMs = performance.now() - start;
  const bound = auditRequestBound(run.report.scanned, run.snapshot);
  console.log(`audit: ${auditMs.toFixed(0)} ms, ${reader.requests} requests (bound ${bound}); ${run.report.findings.map((f) => f.kind).join(', ')}`);

  const doctor = (clinicians[0]?.practitioner.reference ?? '').split('/')[1] ?? '';
  const viewReader = new AuditReader(admin);
  const viewStart = performance.now();
  const view = await viewAsClinician(viewReader, doctor);
  const viewMs = performance.now() - viewStart;
  const m = view.memberships[0];
  if (m?.observed.status !== 'verified' || m.difference?.onlyComputed.length || m.difference?.onlyObserved.length) throw new Error('view as clinician disagrees');
  const accessReader = new AuditReader(admin);
  const accessStart = performance.now();
  const access = await clinicianAccess(accessReader, doctor, 'shared');
  const accessMs = performance.now() - accessStart;
  console.log(`view as: ${viewMs.toFixed(0)} ms, ${viewReader.requests} requests; access: ${accessMs.toFixed(0)} ms, ${accessReader.requests} requests, ${access.patientCount} patients`);

  const cpu = cpus();
  writeBenchmarkSection('audit-real-server', [
    '## Access audit on a real Medplum 5.0.10 (`bench/audit-real-server.ts`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
      `the console's engine and Medplum 5.0.10 (with its Postgres and Redis) on the same machine, shared with other work. A fresh project of ${CLINICS} clinics, ` +
      `${PATIENTS.toLocaleString('en-US')} patients, ${(PATIENTS * 2).toLocaleString('en-US')} records and ${CLINICIANS} clinicians, built over HTTP in ${buildSeconds.toFixed(0)} s. One run each.`,
    '',
    '| operation | time | requests | bound (docs/audit.md) | result |',
    '| --- | ---: | ---: | ---: | --- |',
    `| Whole audit | ${(auditMs / 1000).toFixed(1)} s | ${reader.requests} | ${bound} | ${run.report.findings.map((f) => f.kind).join(', ') || 'no findings'} |`,
    `| View as one clinician (computed + on behalf of) | ${viewMs.toFixed(0)} ms | ${viewReader.requests} | | ${m.computed.count} patients, lists agree |`,
    `| One clinician’s effective access (counts) | ${accessMs.toFixed(0)} ms | ${accessReader.requests} | | ${access.patientCount} patients |`,
    '',
    'The findings are the standard MSO policy’s cross-clinic-writes exposure and the new project’s default ClientApplication, whose membership has no policy.',
  ]);
}

/** Plain creates in batches of 100; the ids in order. */
async function createInBatches(admin: MedplumClient, resources: readonly object[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < resources.length; i += 100) {
    const bundle: Bundle = await admin.executeBatch({
      resourceType: 'Bundle',
      type: 'batch',
      entry: resources.slice(i, i + 100).map((resource): BundleEntry => ({ resource: resource as BundleEntry['resource'], request: { method: 'POST', url: (resource as { resourceType: string }).resourceType } })),
    });
    for (const entry of bundle.entry ?? []) {
      if (!entry.response?.status?.startsWith('201') || !entry.resource?.id) throw new Error(`create failed: ${entry.response?.status}`);
      ids.push(entry.resource.id);
    }
  }
  return ids;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
