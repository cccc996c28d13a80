import { Anchor, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { SessionInfo } from '../../../preload/api/schemas/connection';
import type { ClinicTag, PatientRow } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { useChange } from '../api/use-change';
import { PatientAccessSection } from '../access/PatientAccessSection';
import { LoadError } from '../components/LoadError';
import { AdminRequiredNotice, RequireSession } from '../components/RequireSession';
import { TableSkeleton } from '../components/TableSkeleton';
import { AccessHistory } from '../history/AccessHistory';
import { ClinicsEditor } from '../people/ClinicsEditor';
import { ConsentSection } from '../people/ConsentSection';
import { PersonHeader } from '../people/PersonHeader';
import { cliniciansOf, listNames, possessive } from '../people/sentences';
import { useClinicSummaries } from '../people/use-clinic-summaries';

const sexLabels: Record<string, string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' };

export function PatientPage() {
  const { patientId = '' } = useParams();
  return (
    <Stack gap="lg" maw={1000}>
      <RequireSession what="this patient">
        {/* Keyed, so nothing of one patient lingers on the next one's page. */}
        {(session) => <PatientDetail key={patientId} patientId={patientId} session={session} />}
      </RequireSession>
    </Stack>
  );
}

function PatientDetail({ patientId, session }: { patientId: string; session: SessionInfo }) {
  const api = useApi();
  const query = useApiQuery(() => api.getPatient({ patientId }), [api, patientId]);
  // What main answered to the last change, newer than what was loaded.
  const [updated, setUpdated] = useState<PatientRow | null>(null);
  const clinicsChange = useChange<PatientRow>();
  const { summaryOf, reload: reloadClinics } = useClinicSummaries();
  const patient = updated ?? query.data;

  if (query.error && !patient) {
    return (
      <Stack gap="sm">
        <LoadError query={query} title="Could not open this patient" />
        <Anchor component={Link} to="/patients" size="sm">
          Back to Patients
        </Anchor>
      </Stack>
    );
  }
  if (!patient) return <TableSkeleton rows={6} />;

  const changeClinics = async (add: string[], remove: string[], title: string) => {
    const result = await clinicsChange.run(() => api.setPatientClinics({ patientId, add, remove }), title);
    if (!result) return false;
    setUpdated(result);
    reloadClinics();
    return true;
  };

  const confirmRemoval = (clinic: ClinicTag, isLast: boolean) => ({
    title: `Remove ${patient.name} from ${clinic.name}?`,
    confirmLabel: `Remove from ${clinic.name}`,
    body: (
      <Stack gap="xs">
        <Text size="sm">
          {cliniciansOf(summaryOf(clinic).clinicianCount, clinic.name)} will no longer see {possessive(patient.name)} records,
          including their observations and encounters.
        </Text>
        {isLast && (
          <Text size="sm" fw={500}>
            {patient.name} will then belong to no clinic, so no clinician will see the records.
          </Text>
        )}
      </Stack>
    ),
  });

  return (
    <Stack gap="lg">
      <PersonHeader
        listPath="/patients"
        listLabel="Patients"
        name={patient.name}
        facts={[
          { label: 'MRN', value: patient.mrn ?? 'None recorded' },
          { label: 'Birth date', value: patient.birthDate ?? 'Not recorded' },
          { label: 'Sex', value: patient.gender ? (sexLabels[patient.gender] ?? patient.gender) : 'Not recorded' },
        ]}
      />
      <AdminRequiredNotice session={session} />
      <LoadError query={query} title="Could not read this patient again" />
      <ClinicsEditor
        clinics={patient.clinics}
        canEdit={session.isProjectAdmin}
        running={clinicsChange.running}
        error={clinicsChange.error}
        emptyText={`${patient.name} belongs to no clinic, so no clinician can see the records. Add a clinic below.`}
        describeAdding={(ids) =>
          `Clinicians of ${listNames(ids.map((id) => summaryOf(id).name))} will be able to see ${possessive(patient.name)} records.`
        }
        confirmRemoval={confirmRemoval}
        onAdd={(ids) => changeClinics(ids, [], 'Patient added to clinics')}
        onRemove={async (clinic) => {
          await changeClinics([], [clinic.id], 'Patient removed from clinic');
        }}
      />
      <ConsentSection patient={patient} canEdit={session.isProjectAdmin} onChanged={setUpdated} />
      {session.isProjectAdmin && <PatientAccessSection patientId={patientId} name={patient.name} reloadKey={updated} />}
      <AccessHistory
        record={`Patient/${patientId}`}
        canUndo={session.isProjectAdmin}
        changed={updated}
        emptyText={`No change of ${possessive(patient.name)} clinics, consent or assigned clinicians is recorded yet.`}
        onUndone={() => {
          // Read again into `updated`, which the page shows over what was loaded first.
          void api.getPatient({ patientId }).then((result) => result.ok && setUpdated(result.value));
          reloadClinics();
        }}
      />
    </Stack>
  );
}
