/** The Clinics screens: the list with counts, one clinic, and its rosters. */
import {
  addClinicIdentifier,
  createClinic,
  deactivateClinic,
  listClinics,
  reactivateClinic,
  removeClinicIdentifier,
  renameClinic,
} from '../engines/clinics';
import { allClinicClinicians, describePatientSearch, listClinicPatients, providerDirectory, readClinic, searchParamsFor } from '../engines/rosters';
import { readClinicNames } from '../enrollment/clinic-names';
import { describeBulkResult, runBulkEnrollment } from '../enrollment/bulk-enrollment';
import type { SessionEngine } from '../enrollment/session-engine';
import type { JobRegistry } from '../jobs/job-registry';
import { clinicView, clinicianRow, patientRow } from '../enrollment/views';
import type { Handler } from './dispatcher';
import { AppError } from '../errors/app-error';
import type { EngineContext } from '../engines/engine-context';
import { clinicReference } from '../engines/access-list';
import { searchAll } from '../engines/all-pages';
import { clinicsOfPatient } from '../engines/patients';

/** Everyone a bulk change's "all matching" means, read over every page on the server. */
async function matchingIds(
  ctx: EngineContext,
  request: { clinicId: string; kind: 'patients' | 'clinicians'; action: 'enroll' | 'unenroll'; search: string | undefined },
): Promise<string[]> {
  const clinic = clinicReference(request.clinicId);
  if (request.kind === 'clinicians') {
    const found = request.action === 'unenroll' ? await allClinicClinicians(ctx, request.clinicId, request.search) : await providerDirectory(ctx, request.search);
    return found.filter((entry) => (request.action === 'unenroll') === entry.clinics.includes(clinic)).map((entry) => entry.practitioner.id);
  }
  const params = { ...searchParamsFor(request.search), ...(request.action === 'unenroll' ? { _compartment: clinic } : {}) };
  const patients = await searchAll(ctx.client, 'Patient', params, 'find the matching patients', ctx.pageSize);
  return patients.filter((patient) => (request.action === 'unenroll') === clinicsOfPatient(patient).includes(clinic)).map((patient) => patient.id);
}

export function createClinicHandlers(
  engine: SessionEngine,
  jobs: JobRegistry,
): {
  listClinics: Handler<'listClinics'>;
  getClinic: Handler<'getClinic'>;
  createClinic: Handler<'createClinic'>;
  renameClinic: Handler<'renameClinic'>;
  setClinicActive: Handler<'setClinicActive'>;
  addClinicIdentifier: Handler<'addClinicIdentifier'>;
  removeClinicIdentifier: Handler<'removeClinicIdentifier'>;
  listClinicPatients: Handler<'listClinicPatients'>;
  enrollInClinic: Handler<'enrollInClinic'>;
  listClinicClinicians: Handler<'listClinicClinicians'>;
} {
  return {
    listClinics: async () => {
      const summaries = await listClinics(await engine.read());
      return summaries
        .map((summary) => ({ ...clinicView(summary.clinic), clinicianCount: summary.clinicianCount, patientCount: summary.patientCount }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    getClinic: async ({ clinicId }) => clinicView(await readClinic(await engine.read(), clinicId)),
    createClinic: async ({ name, identifier }) => {
      const clinic = clinicView(await createClinic(await engine.write(), { name, ...(identifier ? { identifiers: [identifier] } : {}) }));
      return { value: clinic, summary: `${clinic.name} was created. Enroll clinicians and patients, or import a roster.` };
    },
    renameClinic: async ({ clinicId, name }) => {
      const clinic = clinicView(await renameClinic(await engine.write(), clinicId, name));
      return { value: clinic, summary: `The clinic is now called ${clinic.name}.` };
    },
    setClinicActive: async ({ clinicId, active }) => {
      const ctx = await engine.write();
      const clinic = clinicView(await (active ? reactivateClinic(ctx, clinicId) : deactivateClinic(ctx, clinicId)));
      return {
        value: clinic,
        summary: active ? `${clinic.name} is active again.` : `${clinic.name} is deactivated. Its enrollments are unchanged.`,
      };
    },
    addClinicIdentifier: async ({ clinicId, identifier }) => {
      const clinic = clinicView(await addClinicIdentifier(await engine.write(), clinicId, identifier));
      return { value: clinic, summary: `${clinic.name} now has the identifier ${identifier.value}. Nobody's access changes.` };
    },
    removeClinicIdentifier: async ({ clinicId, identifier }) => {
      const clinic = clinicView(await removeClinicIdentifier(await engine.write(), clinicId, identifier));
      return {
        value: clinic,
        summary: `The identifier ${identifier.value} was removed from ${clinic.name}. Roster files must name the clinic another way.`,
      };
    },
    listClinicPatients: async ({ clinicId, offset, count, search, sort }) => {
      const ctx = await engine.read();
      const [page, names] = await Promise.all([
        listClinicPatients(ctx.client, clinicId, { offset, count, ...(search ? { search } : {}), ...(sort ? { sort } : {}) }),
        readClinicNames(ctx),
      ]);
      const consent = await engine.consentReference();
      return {
        patients: page.patients.map((patient) => patientRow(patient, names, ctx.mrnSystem, consent)),
        total: page.total,
        offset: page.offset,
        count: page.count,
        ...(search?.trim() ? { matched: describePatientSearch(search) } : {}),
      };
    },
    enrollInClinic: async ({ clinicId, kind, action, ids, matching }) => {
      const ctx = await engine.write();
      const clinic = clinicView(await readClinic(ctx, clinicId));
      const unique = [...new Set(ids ?? (await matchingIds(ctx, { clinicId, kind, action, search: matching?.search })))];
      if (unique.length === 0) throw new AppError('invalid_argument', 'Nobody matches any more: search again.');
      const jobKind = action === 'enroll' ? `enroll-${kind}` : `unenroll-${kind}`;
      const { jobId } = jobs.start(jobKind, (job) => runBulkEnrollment(ctx, { clinicId, kind, ids: unique, action }, job), {
        describe: (result) => describeBulkResult(kind, result, clinic.name),
        ...(ctx.sessionEnded ? { cancelWhen: ctx.sessionEnded } : {}),
      });
      return { jobId };
    },
    listClinicClinicians: async ({ clinicId, search }) => {
      const ctx = await engine.read();
      const [clinicians, names] = await Promise.all([allClinicClinicians(ctx, clinicId, search), readClinicNames(ctx)]);
      return clinicians.map((clinician) => clinicianRow(clinician, names));
    },
  };
}
