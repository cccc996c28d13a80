import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import { Link } from 'react-router';
import { LoadError } from '../components/LoadError';
import { RequireSession } from '../components/RequireSession';
import { TableSkeleton } from '../components/TableSkeleton';
import { ClinicianTable } from '../people/ClinicianTable';
import { EmptyState } from '../people/EmptyState';
import { SearchBox } from '../components/SearchBox';
import { countClinicians, useDirectory } from '../people/use-directory';

export function DirectoryPage() {
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Directory</Title>
        <Text c="dimmed" size="sm">
          Every clinician across the MSO with the clinics whose patients they may see. Open a clinician to change their
          clinics.
        </Text>
      </div>
      <RequireSession what="the provider directory">{() => <DirectoryList />}</RequireSession>
    </Stack>
  );
}

function DirectoryList() {
  const directory = useDirectory();
  const clinicians = directory.data;
  return (
    <Stack gap="md">
      <Group gap="md">
        <SearchBox label="Search clinicians by name" value={directory.search} onChange={directory.setSearch} />
        {clinicians && (
          <Text size="sm" c="dimmed" data-testid="clinician-count">
            {directory.searched ? `${countClinicians(clinicians.length)} match “${directory.searched}”` : countClinicians(clinicians.length)}
          </Text>
        )}
      </Group>
      <LoadError query={directory} title="Could not read the directory" />
      {!clinicians ? (
        !directory.error && <TableSkeleton rows={10} />
      ) : clinicians.length === 0 && !directory.searched ? (
        <EmptyState
          message="No clinicians yet. Invite clinicians or import a roster."
          actions={
            <>
              <Button component={Link} to="/clinicians" variant="light">
                Go to Clinicians
              </Button>
              <Button component={Link} to="/import" variant="default" leftSection={<IconFileImport size={16} />}>
                Import a roster
              </Button>
            </>
          }
        />
      ) : clinicians.length === 0 ? (
        <EmptyState message={`No clinician matches “${directory.searched}”. Check the spelling.`} />
      ) : (
        <ClinicianTable clinicians={clinicians} dense busy={directory.loading || directory.stale} />
      )}
    </Stack>
  );
}
