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
import { allClinicClinicians, listClinicPatients, readClinic } from '../engines/rosters';
import { readClinicNames } from '../enrollment/clinic-names';
import { describeBulkResult, runBulkEnrollment } from '../enrollment/bulk-enrollment';
import type { SessionEngine } from '../enrollment/session-engine';
import type { JobRegistry } from '../jobs/job-registry';
import { clinicView, clinicianRow, patientRow } from '../enrollment/views';
import type { Handler } from './dispatcher';

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
      };
    },
    enrollInClinic: async ({ clinicId, kind, ids }) => {
      const ctx = await engine.write();
      const clinic = clinicView(await readClinic(ctx, clinicId));
      const unique = [...new Set(ids)];
      const { jobId } = jobs.start(`enroll-${kind}`, (job) => runBulkEnrollment(ctx, { clinicId, kind, ids: unique }, job), {
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
