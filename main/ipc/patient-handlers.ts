/** The Patients screens: the project's patients, one patient, clinics and consent. */
import type { WithId } from '@medplum/core';
import type { Patient } from '@medplum/fhirtypes';
import type { PatientRow } from '../../preload/api/schemas/enrollment';
import { ensureUniversalConsent } from '../engines/consent';
import { fresh, type EngineContext } from '../engines/engine-context';
import { changePatientClinics, createPatient, grantConsent, revokeConsent } from '../engines/patients';
import { toAppError } from '../engines/server-errors';
import { readClinicNames } from '../enrollment/clinic-names';
import { listProjectPatients } from '../enrollment/project-patients';
import { describeClinicList } from '../enrollment/sentences';
import type { SessionEngine } from '../enrollment/session-engine';
import { type ClinicNames, patientRow } from '../enrollment/views';
import type { Handler } from './dispatcher';
import { describePatientSearch } from '../engines/rosters';

async function readPatientRow(
  ctx: EngineContext,
  engine: SessionEngine,
  patientId: string,
  names?: ClinicNames,
): Promise<PatientRow> {
  let patient: WithId<Patient>;
  try {
    patient = await ctx.client.readResource('Patient', patientId, fresh());
  } catch (error) {
    throw toAppError(error, 'read the patient');
  }
  return patientRow(patient, names ?? (await readClinicNames(ctx)), ctx.mrnSystem, await engine.consentReference());
}

export function createPatientHandlers(engine: SessionEngine): {
  listPatients: Handler<'listPatients'>;
  getPatient: Handler<'getPatient'>;
  createPatient: Handler<'createPatient'>;
  setPatientClinics: Handler<'setPatientClinics'>;
  setPatientConsent: Handler<'setPatientConsent'>;
} {
  return {
    listPatients: async ({ offset, count, search, sort }) => {
      const ctx = await engine.read();
      const [page, names] = await Promise.all([listProjectPatients(ctx, { offset, count, search, sort }), readClinicNames(ctx)]);
      const consent = await engine.consentReference();
      return {
        patients: page.patients.map((patient) => patientRow(patient, names, ctx.mrnSystem, consent)),
        total: page.total,
        offset,
        count,
        ...(search?.trim() ? { matched: describePatientSearch(search) } : {}),
      };
    },
    getPatient: async ({ patientId }) => readPatientRow(await engine.read(), engine, patientId),
    createPatient: async (request) => {
      const ctx = await engine.write();
      const patient = await createPatient(ctx, {
        given: request.givenName,
        family: request.familyName,
        birthDate: request.birthDate,
        // "Not recorded" stays unrecorded: no gender is written unless one was chosen.
        ...(request.gender ? { gender: request.gender } : {}),
        mrn: request.mrn,
        clinicIds: request.clinicIds,
      });
      const row = await readPatientRow(ctx, engine, patient.id);
      const where = row.clinics.length
        ? `belongs to ${describeClinicList(row.clinics)}; their clinicians can see this record`
        : 'belongs to no clinic yet, so no clinician can see this record';
      return { value: row, summary: `${row.name} was created and ${where}.` };
    },
    setPatientClinics: async ({ patientId, add, remove }) => {
      const ctx = await engine.write();
      await changePatientClinics(ctx, patientId, { enroll: add, unenroll: remove });
      // One read of the clinic names serves the row and the sentence.
      const names = await readClinicNames(ctx);
      const row = await readPatientRow(ctx, engine, patientId, names);
      const tag = (ids: readonly string[]) => ids.map((id) => ({ id, name: names.get(id) ?? `Clinic ${id}` }));
      const parts = [
        add.length ? `clinicians of ${describeClinicList(tag(add))} can now see ${row.name}'s records` : '',
        remove.length ? `clinicians of ${describeClinicList(tag(remove))} no longer can` : '',
      ].filter(Boolean);
      const text = parts.join(', and ') || `${row.name} keeps the same clinics`;
      return { value: row, summary: `${text.charAt(0).toUpperCase()}${text.slice(1)}.` };
    },
    setPatientConsent: async ({ patientId, granted }) => {
      const ctx = await engine.write();
      let consent = await engine.consentReference();
      if (!consent) {
        consent = `Consent/${(await ensureUniversalConsent(ctx)).id}`;
        engine.consentChanged();
      }
      await (granted ? grantConsent : revokeConsent)(ctx, patientId, { reference: consent });
      const row = patientRow(
        await ctx.client.readResource('Patient', patientId, fresh()),
        await readClinicNames(ctx),
        ctx.mrnSystem,
        consent,
      );
      return {
        value: row,
        summary: granted
          ? `${row.name}'s consent is recorded: under consent-gated access, clinicians of their clinics can see the records.`
          : `${row.name}'s consent is withdrawn: under consent-gated access, no clinician can see the records.`,
      };
    },
  };
}
