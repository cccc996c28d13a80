import { Alert, Anchor, Badge, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useEffect, useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { useRouteState } from '../api/use-route-state';
import { NewClinicForm } from '../clinics/NewClinicForm';
import { duplicateNameIds } from '../clinics/duplicate-names';
import { AdminRequiredNotice, RequireSession } from '../components/RequireSession';
import { LoadError } from '../components/LoadError';
import { SearchBox } from '../components/SearchBox';
import { SortableTh, useSortedRows } from '../components/SortableTh';
import { TableSkeleton } from '../components/TableSkeleton';
import type { ClinicSummaryView } from '../../../preload/api/schemas/enrollment';

const count = new Intl.NumberFormat();

type ClinicColumn = 'name' | 'clinicians' | 'patients' | 'status';

function clinicSortValue(clinic: ClinicSummaryView, column: ClinicColumn): string | number {
  if (column === 'clinicians') return clinic.clinicianCount;
  if (column === 'patients') return clinic.patientCount;
  if (column === 'status') return clinic.active ? 0 : 1;
  return clinic.name;
}

export function ClinicsPage() {
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Clinics</Title>
        <Text c="dimmed" size="sm">
          The clinics of your MSO, with how many clinicians and patients each has.
        </Text>
      </div>
      <RequireSession what="its clinics">{(session) => <ClinicList canChange={session.isProjectAdmin} notice={<AdminRequiredNotice session={session} />} />}</RequireSession>
    </Stack>
  );
}

function ClinicList({ canChange, notice }: { canChange: boolean; notice: React.ReactNode }) {
  const api = useApi();
  const navigate = useNavigate();
  const clinics = useApiQuery(() => api.listClinics(), [api]);
  const [filter, setFilter] = useRouteState('q', '');
  const [creating, create] = useDisclosure(false);
  // "New clinic" from the menu or Ctrl/Cmd+N arrives as /clinics?new=1.
  const [params, setParams] = useSearchParams();
  useEffect(() => {
    if (params.get('new') && canChange) {
      create.open();
      setParams({}, { replace: true });
    }
  }, [params, setParams, canChange, create]);

  const filtered = useMemo(() => {
    const text = filter.trim().toLowerCase();
    return (clinics.data ?? []).filter(
      (clinic) => !text || clinic.name.toLowerCase().includes(text) || clinic.identifiers.some((identifier) => identifier.value.toLowerCase().includes(text)),
    );
  }, [clinics.data, filter]);
  const { sorted: shown, sort, toggle } = useSortedRows<ClinicSummaryView, ClinicColumn>(filtered, clinicSortValue, { key: 'name', descending: false });
  const duplicates = useMemo(() => duplicateNameIds(clinics.data ?? []), [clinics.data]);

  return (
    <Stack gap="md">
      {notice}
      <Group justify="space-between">
        <SearchBox label="Filter clinics by name or identifier" value={filter} onChange={setFilter} />
        {canChange && (
          <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
            New clinic
          </Button>
        )}
      </Group>
      <LoadError query={clinics} title="Could not read the clinics" />
      {duplicates.size > 0 && (
        <Alert color="orange" title="Clinics that share a name" data-testid="duplicate-names-notice">
          <Text size="sm">
            {duplicates.size} clinics share their name with another, so clinic pickers and roster files cannot tell them
            apart. Each is shown with its id and identifiers below: open one and rename it.
          </Text>
        </Alert>
      )}
      <Paper withBorder radius="md">
        {!clinics.data ? (
          // Skeletons while loading; nothing (the error says why) after a failed first read.
          !clinics.error && <TableSkeleton />
        ) : shown.length === 0 ? (
          <Text p="xl" ta="center" data-testid="empty-state">
            {filter ? 'No clinic matches this filter.' : 'No clinics yet. Create the first clinic, then enroll clinicians and patients.'}
          </Text>
        ) : (
          <Table highlightOnHover verticalSpacing="xs" data-testid="clinics-table" style={{ opacity: clinics.stale ? 0.55 : 1 }} aria-busy={clinics.loading}>
            <Table.Thead>
              <Table.Tr>
                <SortableTh column="name" sort={sort} onSort={toggle}>
                  Clinic
                </SortableTh>
                <Table.Th>Identifiers</Table.Th>
                <SortableTh column="clinicians" sort={sort} onSort={toggle} align="right">
                  Clinicians
                </SortableTh>
                <SortableTh column="patients" sort={sort} onSort={toggle} align="right">
                  Patients
                </SortableTh>
                <SortableTh column="status" sort={sort} onSort={toggle}>
                  Status
                </SortableTh>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((clinic) => (
                <Table.Tr key={clinic.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/clinics/${clinic.id}`} fw={500} style={{ overflowWrap: 'anywhere' }}>
                      {clinic.name}
                    </Anchor>
                    {duplicates.has(clinic.id) && (
                      <Group gap={6} mt={2} data-testid="duplicate-name">
                        <Badge color="orange" variant="light" tt="none">
                          Same name as another clinic
                        </Badge>
                        <Text size="xs" c="dimmed" ff="monospace">
                          id {clinic.id}
                        </Text>
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {clinic.identifiers.map((identifier) => identifier.value).join(', ') || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{count.format(clinic.clinicianCount)}</Table.Td>
                  <Table.Td ta="right">{count.format(clinic.patientCount)}</Table.Td>
                  <Table.Td>
                    {clinic.active ? (
                      <Badge color="teal" variant="light">
                        Active
                      </Badge>
                    ) : (
                      <Badge color="gray" variant="light">
                        Inactive
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {clinics.data && clinics.data.length > 0 && (
        <Text size="sm" c="dimmed">
          {count.format(shown.length)} of {count.format(clinics.data.length)} clinics
        </Text>
      )}
      <Modal opened={creating} onClose={create.close} title="New clinic">
        <NewClinicForm
          onCancel={create.close}
          onCreated={(clinic) => {
            create.close();
            void navigate(`/clinics/${clinic.id}`);
          }}
        />
      </Modal>
    </Stack>
  );
}
