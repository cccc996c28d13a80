import { Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { IconFileImport, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { SessionInfo } from '../../../preload/api/schemas/connection';
import { LoadError } from '../components/LoadError';
import { AdminRequiredNotice, RequireSession } from '../components/RequireSession';
import { TableSkeleton } from '../components/TableSkeleton';
import { ClinicianTable } from '../people/ClinicianTable';
import { EmptyState } from '../people/EmptyState';
import { InviteClinicianForm } from '../people/InviteClinicianForm';
import { SearchBox } from '../components/SearchBox';
import { countClinicians, useDirectory } from '../people/use-directory';

export function CliniciansPage() {
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Clinicians</Title>
        <Text c="dimmed" size="sm">
          Clinicians, their sign-ins and the clinics whose patients they may see.
        </Text>
      </div>
      <RequireSession what="and enroll its clinicians">{(session) => <ClinicianList session={session} />}</RequireSession>
    </Stack>
  );
}

function ClinicianList({ session }: { session: SessionInfo }) {
  const navigate = useNavigate();
  const directory = useDirectory();
  const [inviting, setInviting] = useState(false);
  const clinicians = directory.data;
  const inviteButton = session.isProjectAdmin && (
    <Button leftSection={<IconUserPlus size={16} />} onClick={() => setInviting(true)}>
      Invite clinician
    </Button>
  );

  return (
    <Stack gap="md">
      <AdminRequiredNotice session={session} />
      <Group justify="space-between">
        <Group gap="md">
          <SearchBox label="Search clinicians by name" value={directory.search} onChange={directory.setSearch} />
          {clinicians && (
            <Text size="sm" c="dimmed" data-testid="clinician-count">
              {countClinicians(clinicians.length)}
            </Text>
          )}
        </Group>
        {inviteButton}
      </Group>
      <LoadError query={directory} title="Could not read the clinicians" />
      {!clinicians ? (
        !directory.error && <TableSkeleton rows={8} />
      ) : clinicians.length === 0 && !directory.searched ? (
        <EmptyState
          message="No clinicians yet. Invite clinicians or import a roster."
          actions={
            session.isProjectAdmin && (
              <>
                {inviteButton}
                <Button component={Link} to="/import" variant="default" leftSection={<IconFileImport size={16} />}>
                  Import a roster
                </Button>
              </>
            )
          }
        />
      ) : clinicians.length === 0 ? (
        <EmptyState message={`No clinician matches “${directory.searched}”. Check the spelling.`} />
      ) : (
        <ClinicianTable clinicians={clinicians} busy={directory.loading || directory.stale} />
      )}
      <Modal opened={inviting} onClose={() => setInviting(false)} title="Invite a clinician" size="lg">
        {inviting && (
          <InviteClinicianForm
            onCancel={() => setInviting(false)}
            onInvited={(clinician) => {
              setInviting(false);
              void navigate(`/clinicians/${clinician.practitionerId}`);
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
