import { Button, Group, Modal, Pagination, Stack, Text, Title } from '@mantine/core';
import { IconFileImport, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { SessionInfo } from '../../../preload/api/schemas/connection';
import { useApi } from '../api/api-context';
import { usePagedSearch } from '../api/use-paged-search';
import { LoadError } from '../components/LoadError';
import { AdminRequiredNotice, RequireSession } from '../components/RequireSession';
import { RowCount } from '../components/RowCount';
import { PatientTable } from '../people/PatientTable';
import { TableSkeleton } from '../components/TableSkeleton';
import { EmptyState } from '../people/EmptyState';
import { NewPatientForm } from '../people/NewPatientForm';
import { SearchBox } from '../components/SearchBox';

const PAGE_SIZE = 50;
/** Main pages up to offset 10,000; past that, searching is the way in. */
const MAX_PAGES = Math.floor(10_000 / PAGE_SIZE) + 1;

export function PatientsPage() {
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Patients</Title>
        <Text c="dimmed" size="sm">
          Every patient of the project and the clinics they belong to. A patient's records are visible to the clinicians
          of those clinics.
        </Text>
      </div>
      <RequireSession what="its patients">{(session) => <PatientList session={session} />}</RequireSession>
    </Stack>
  );
}

function PatientList({ session }: { session: SessionInfo }) {
  const api = useApi();
  const navigate = useNavigate();
  const { search, setSearch: changeSearch, searched: debouncedSearch, sort, setSort, page, setPage, query } = usePagedSearch(
    (request) => api.listPatients(request),
    [api],
    PAGE_SIZE,
  );
  const [creating, setCreating] = useState(false);

  const canCreate = session.isProjectAdmin;
  const newPatientButton = canCreate && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      New patient
    </Button>
  );
  const data = query.data;
  const allPages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const pages = Math.min(allPages, MAX_PAGES);

  return (
    <Stack gap="md">
      <AdminRequiredNotice session={session} />
      <Group justify="space-between">
        <Group gap="md">
          <SearchBox label="Search patients by name or MRN" value={search} onChange={changeSearch} />
          {data && <RowCount offset={data.offset} shown={data.patients.length} total={data.total} searched={Boolean(debouncedSearch)} />}
          {data?.matched && data.patients.length > 0 && (
            <Text size="sm" c="dimmed" data-testid="search-matched">
              with {data.matched}
            </Text>
          )}
        </Group>
        {newPatientButton}
      </Group>
      <LoadError query={query} title="Could not read the patients" />
      {!data ? (
        !query.error && <TableSkeleton rows={8} />
      ) : data.total === 0 && !debouncedSearch ? (
        <EmptyState
          message="No patients yet. Create a patient or import a roster."
          actions={
            canCreate && (
              <>
                {newPatientButton}
                <Button component={Link} to="/import" variant="default" leftSection={<IconFileImport size={16} />}>
                  Import a roster
                </Button>
              </>
            )
          }
        />
      ) : data.patients.length === 0 ? (
        <EmptyState
          message={`No patient with ${data.matched ?? `“${debouncedSearch}”`}. Names match from their start; an MRN matches only whole (the server does not search part of one), so type all of it.`}
        />
      ) : (
        <PatientTable patients={data.patients} sort={sort} onSort={setSort} busy={query.loading || query.stale} testId="patients-table" />
      )}
      {data && pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm" aria-label="Pages of patients" />}
      {allPages > MAX_PAGES && (
        <Text size="sm" c="dimmed">
          Only the first {(MAX_PAGES * PAGE_SIZE).toLocaleString()} patients can be paged through. Search by name or MRN
          to find the others.
        </Text>
      )}
      <Modal opened={creating} onClose={() => setCreating(false)} title="New patient" size="lg">
        {creating && (
          <NewPatientForm
            onCancel={() => setCreating(false)}
            onCreated={(patient) => {
              setCreating(false);
              void navigate(`/patients/${patient.id}`);
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
