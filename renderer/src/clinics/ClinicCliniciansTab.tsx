import { Button, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { openConfirm } from '../components/confirm';
import { IconUserPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useRouteState } from '../api/use-route-state';
import { JobProgressPanel } from '../jobs/JobProgressPanel';
import { useJob } from '../jobs/use-job';
import type { ClinicView, ClinicianDetail, ClinicianRow } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { useChange } from '../api/use-change';
import { ErrorNotice } from '../components/ErrorNotice';
import { LoadError } from '../components/LoadError';
import { SearchBox } from '../components/SearchBox';
import { TableSkeleton } from '../components/TableSkeleton';
import { useJobFinished } from '../jobs/use-job-finished';
import { ClinicianTable } from '../people/ClinicianTable';
import { EnrollCliniciansDialog } from './EnrollCliniciansDialog';
import { patientsPhrase } from './phrases';

export function ClinicCliniciansTab({
  clinic,
  patientCount,
  canChange,
  onChanged,
}: {
  clinic: ClinicView;
  patientCount: number | null;
  canChange: boolean;
  onChanged: () => void;
}) {
  const api = useApi();
  const [routeSearch, setRouteSearch] = useRouteState('q', '');
  const [search, setSearch] = useState(routeSearch);
  const [typed] = useDebouncedValue(search.trim(), 300);
  useEffect(() => {
    if (typed !== routeSearch) setRouteSearch(typed);
  }, [typed]);
  const debounced = routeSearch;
  const [enrolling, enroll] = useDisclosure(false);
  const clinicians = useApiQuery(() => api.listClinicClinicians({ clinicId: clinic.id, ...(debounced ? { search: debounced } : {}) }), [api, clinic.id, debounced]);
  // An enrollment job may have added people to this list, even if its dialog was closed.
  useJobFinished(() => {
    clinicians.reload();
    onChanged();
  });
  const change = useChange<ClinicianDetail>();
  // Clinicians chosen for removal; the list holds every clinician of the clinic that matches.
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => setSelected(new Set()), [debounced]);
  const removal = useJob();
  const [removing, setRemoving] = useState(false);
  const listed = clinicians.data ?? [];
  const selection = {
    isSelected: (id: string) => selected.has(id),
    toggle: (id: string) =>
      setSelected((previous) => {
        const next = new Set(previous);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    toggleAll: (on: boolean) => setSelected(on ? new Set(listed.map((c) => c.practitionerId)) : new Set()),
  };
  const askToRemoveMany = () =>
    openConfirm({
      title: `Remove ${selected.size} ${selected.size === 1 ? 'clinician' : 'clinicians'} from ${clinic.name}?`,
      children: (
        <Text size="sm">
          {selected.size} {selected.size === 1 ? 'clinician' : 'clinicians'} will no longer see {patientsPhrase(patientCount, clinic.name)}. Those
          in no other clinic keep their sign-in but will see no patient.
        </Text>
      ),
      labels: { confirm: `Remove ${selected.size} from ${clinic.name}`, cancel: 'Keep' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        setRemoving(true);
        await removal.start(() => api.enrollInClinic({ clinicId: clinic.id, kind: 'clinicians', action: 'unenroll', ids: [...selected] }));
      },
    });
  const closeRemoval = () => {
    setRemoving(false);
    setSelected(new Set());
    clinicians.reload();
    onChanged();
  };

  const unenroll = (clinician: ClinicianRow) =>
    openConfirm({
      title: `Remove ${clinician.name} from ${clinic.name}?`,
      children: (
        <Text size="sm">
          {clinician.name} will no longer see {patientsPhrase(patientCount, clinic.name)}.{' '}
          {clinician.clinics.length <= 1 ? 'This is their last clinic: they keep their sign-in but will see no patient.' : ''}
        </Text>
      ),
      labels: { confirm: `Remove from ${clinic.name}`, cancel: 'Keep' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        const done = await change.run(
          () => api.setClinicianClinics({ practitionerId: clinician.practitionerId, add: [], remove: [clinic.id] }),
          'Clinician removed from clinic',
        );
        if (done) {
          clinicians.reload();
          onChanged();
        }
      },
    });

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <SearchBox label="Search clinicians by name or NPI" value={search} onChange={setSearch} />
        {canChange && (
          <Button leftSection={<IconUserPlus size={16} />} onClick={enroll.open}>
            Enroll clinicians
          </Button>
        )}
      </Group>
      {canChange && selected.size > 0 && (
        <Group gap="sm" data-testid="selection-bar">
          <Text size="sm" fw={500}>
            {selected.size} selected
          </Text>
          <Button size="compact-sm" color="red" variant="light" onClick={askToRemoveMany}>
            Remove {selected.size} from {clinic.name}
          </Button>
          <Button size="compact-sm" variant="subtle" color="gray" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        </Group>
      )}
      <LoadError query={clinicians} title="Could not read the clinicians" />
      {change.error && <ErrorNotice error={change.error} title="The clinician was not removed" />}
      {!clinicians.data ? (
        !clinicians.error && (
          <Paper withBorder radius="md">
            <TableSkeleton />
          </Paper>
        )
      ) : clinicians.data.length === 0 ? (
        <Paper withBorder radius="md">
          <Text p="xl" ta="center" data-testid="empty-state">
            {debounced ? 'No clinician of this clinic matches the search.' : 'No clinicians in this clinic yet. Enroll clinicians or import a roster.'}
          </Text>
        </Paper>
      ) : (
        <ClinicianTable
          clinicians={clinicians.data}
          busy={clinicians.loading || clinicians.stale}
          testId="clinic-clinicians"
          selection={canChange ? selection : undefined}
          fromClinic={clinic.name}
          {...(canChange
            ? {
                action: (clinician: ClinicianRow) => (
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => unenroll(clinician)}>
                    Remove
                  </Button>
                ),
              }
            : {})}
        />
      )}
      {clinicians.data && clinicians.data.length > 0 && (
        <Text size="sm" c="dimmed">
          {clinicians.data.length} {clinicians.data.length === 1 ? 'clinician' : 'clinicians'}
        </Text>
      )}
      <Modal opened={removing} onClose={closeRemoval} title={`Removing clinicians from ${clinic.name}`} size="lg">
        {removal.progress && <JobProgressPanel progress={removal.progress} onCancel={removal.cancel} />}
        {removal.error && <ErrorNotice error={removal.error} title="The removal did not start" />}
        {(removal.error || (removal.progress && removal.progress.state !== 'running')) && (
          <Group justify="flex-end" mt="sm" className="dialog-actions">
            <Button onClick={closeRemoval}>Close</Button>
          </Group>
        )}
      </Modal>
      <Modal opened={enrolling} onClose={enroll.close} title={`Enroll clinicians in ${clinic.name}`} size="lg">
        <EnrollCliniciansDialog
          clinic={clinic}
          patientCount={patientCount}
          enrolled={(clinicians.data ?? []).map((clinician) => clinician.practitionerId)}
          onCancel={enroll.close}
          onDone={() => {
            enroll.close();
            clinicians.reload();
            onChanged();
          }}
        />
      </Modal>
    </Stack>
  );
}
