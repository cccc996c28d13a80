import { Anchor, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { SessionInfo } from '../../../preload/api/schemas/connection';
import type { ClinicTag, ClinicianDetail } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { useChange } from '../api/use-change';
import { ClinicianAccessSection } from '../access/ClinicianAccessSection';
import { LoadError } from '../components/LoadError';
import { AdminRequiredNotice, RequireSession } from '../components/RequireSession';
import { TableSkeleton } from '../components/TableSkeleton';
import { AccessHistory } from '../history/AccessHistory';
import { ClinicsEditor } from '../people/ClinicsEditor';
import { PersonHeader } from '../people/PersonHeader';
import { patientsOfClinics, possessive } from '../people/sentences';
import { InvitationNotSent, MissingBasePolicyWarning, SignInStatus } from '../people/SignInStatus';
import { useClinicSummaries } from '../people/use-clinic-summaries';

export function ClinicianPage() {
  const { practitionerId = '' } = useParams();
  return (
    <Stack gap="lg" maw={1000}>
      <RequireSession what="this clinician">
        {/* Keyed, so nothing of one clinician lingers on the next one's page. */}
        {(session) => <ClinicianDetailView key={practitionerId} practitionerId={practitionerId} session={session} />}
      </RequireSession>
    </Stack>
  );
}

function ClinicianDetailView({ practitionerId, session }: { practitionerId: string; session: SessionInfo }) {
  const api = useApi();
  const query = useApiQuery(() => api.getClinician({ practitionerId }), [api, practitionerId]);
  // What main answered to the last change, newer than what was loaded.
  const [updated, setUpdated] = useState<ClinicianDetail | null>(null);
  const clinicsChange = useChange<ClinicianDetail>();
  const { summaryOf, reload: reloadClinics } = useClinicSummaries();
  const clinician = updated ?? query.data;

  if (query.error && !clinician) {
    return (
      <Stack gap="sm">
        <LoadError query={query} title="Could not open this clinician" />
        <Anchor component={Link} to="/clinicians" size="sm">
          Back to Clinicians
        </Anchor>
      </Stack>
    );
  }
  if (!clinician) return <TableSkeleton rows={6} />;

  const changeClinics = async (add: string[], remove: string[], title: string) => {
    const result = await clinicsChange.run(() => api.setClinicianClinics({ practitionerId, add, remove }), title);
    if (!result) return false;
    setUpdated(result);
    reloadClinics();
    return true;
  };

  const confirmRemoval = (clinic: ClinicTag, isLast: boolean) => ({
    title: `Remove ${clinician.name} from ${clinic.name}?`,
    confirmLabel: `Remove from ${clinic.name}`,
    body: (
      <Stack gap="xs">
        <Text size="sm">
          {clinician.name} will no longer see {patientsOfClinics([summaryOf(clinic)])}.
        </Text>
        {isLast && (
          <Text size="sm" fw={500}>
            They keep their sign-in but will see no patient.
          </Text>
        )}
      </Stack>
    ),
  });

  return (
    <Stack gap="lg">
      <PersonHeader
        listPath="/clinicians"
        listLabel="Clinicians"
        name={clinician.name}
        facts={[
          { label: 'NPI', value: clinician.npi ?? 'None recorded' },
          { label: 'Email', value: clinician.email ?? 'None recorded' },
          { label: 'Sign-in', value: <SignInStatus signIn={clinician.signIn} /> },
        ]}
      />
      <InvitationNotSent clinician={clinician} canSend={session.isProjectAdmin} onSent={setUpdated} />
      <MissingBasePolicyWarning signIn={clinician.signIn} />
      <AdminRequiredNotice session={session} />
      <LoadError query={query} title="Could not read this clinician again" />
      <ClinicsEditor
        clinics={clinician.clinics}
        canEdit={session.isProjectAdmin}
        running={clinicsChange.running}
        error={clinicsChange.error}
        emptyText={`${clinician.name} is in no clinic, so they see no patient. Add a clinic below.`}
        describeAdding={(ids) => `${clinician.name} will be able to see ${patientsOfClinics(ids.map((id) => summaryOf(id)))}.`}
        confirmRemoval={confirmRemoval}
        onAdd={(ids) => changeClinics(ids, [], 'Clinician enrolled')}
        onRemove={async (clinic) => {
          await changeClinics([], [clinic.id], 'Clinician removed from clinic');
        }}
      />
      {session.isProjectAdmin && <ClinicianAccessSection practitionerId={practitionerId} name={clinician.name} reloadKey={updated} />}
      <AccessHistory
        record={`Practitioner/${practitionerId}`}
        canUndo={session.isProjectAdmin}
        changed={updated}
        emptyText={`No change of ${possessive(clinician.name)} clinics, access policy or sign-in is recorded yet.`}
        onUndone={() => {
          // Read again into `updated`, which the page shows over what was loaded first.
          void api.getClinician({ practitionerId }).then((result) => result.ok && setUpdated(result.value));
          reloadClinics();
        }}
      />
    </Stack>
  );
}
