import { Button, Group, Modal, Pagination, Paper, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { JobProgressPanel } from '../jobs/JobProgressPanel';
import { useJob } from '../jobs/use-job';
import { cliniciansOf, formatCount } from '../people/sentences';
import { useClinicSummaries } from '../people/use-clinic-summaries';
import { openConfirm } from '../components/confirm';
import { IconUserPlus } from '@tabler/icons-react';
import type { ClinicView, PatientRow } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { usePagedSearch } from '../api/use-paged-search';
import { useChange } from '../api/use-change';
import { ErrorNotice } from '../components/ErrorNotice';
import { LoadError } from '../components/LoadError';
import { RowCount } from '../components/RowCount';
import { SearchBox } from '../components/SearchBox';
import { TableSkeleton } from '../components/TableSkeleton';
import { useJobFinished } from '../jobs/use-job-finished';
import { PatientTable } from '../people/PatientTable';
import { EnrollPatientsDialog } from './EnrollPatientsDialog';

const PAGE_SIZE = 50;

export function ClinicPatientsTab({ clinic, canChange, onChanged }: { clinic: ClinicView; canChange: boolean; onChanged: () => void }) {
  const api = useApi();
  const [enrolling, enroll] = useDisclosure(false);
  const {
    search,
    setSearch,
    searched: debounced,
    sort,
    setSort,
    page,
    setPage,
    offset,
    query: patients,
  } = usePagedSearch((request) => api.listClinicPatients({ clinicId: clinic.id, ...request }), [api, clinic.id], PAGE_SIZE);
  // An enrollment job may have added people to this list, even if its dialog was closed.
  useJobFinished(() => {
    patients.reload();
    onChanged();
  });
  const change = useChange<PatientRow>();
  const { summaryOf } = useClinicSummaries();
  // Rows chosen for removal, kept across pages; or every patient matching the search.
  const [selected, setSelected] = useState<Map<string, PatientRow>>(new Map());
  const [allMatching, setAllMatching] = useState(false);
  useEffect(() => {
    setSelected(new Map());
    setAllMatching(false);
  }, [debounced]);
  const removal = useJob();
  const [removing, setRemoving] = useState(false);
  const selection = {
    isSelected: (id: string) => allMatching || selected.has(id),
    toggle: (patient: PatientRow) => {
      setAllMatching(false);
      setSelected((previous) => {
        const next = new Map(previous);
        if (next.has(patient.id)) next.delete(patient.id);
        else next.set(patient.id, patient);
        return next;
      });
    },
    togglePage: (on: boolean) => {
      setAllMatching(false);
      setSelected((previous) => {
        const next = new Map(previous);
        for (const patient of patients.data?.patients ?? []) {
          if (on) next.set(patient.id, patient);
          else next.delete(patient.id);
        }
        return next;
      });
    },
  };
  const chosenCount = allMatching ? (patients.data?.total ?? 0) : selected.size;
  const askToRemoveMany = () =>
    openConfirm({
      title: `Remove ${formatCount(chosenCount)} ${chosenCount === 1 ? 'patient' : 'patients'} from ${clinic.name}?`,
      children: (
        <Text size="sm">
          {cliniciansOf(summaryOf(clinic.id).clinicianCount, clinic.name)} will no longer see the records of {formatCount(chosenCount)}{' '}
          {chosenCount === 1 ? 'patient' : 'patients'}, including their observations and encounters. A patient in no other
          clinic will then be seen by no clinician.
        </Text>
      ),
      labels: { confirm: `Remove ${formatCount(chosenCount)} from ${clinic.name}`, cancel: 'Keep' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        setRemoving(true);
        await removal.start(() =>
          api.enrollInClinic(
            allMatching
              ? { clinicId: clinic.id, kind: 'patients', action: 'unenroll', matching: debounced ? { search: debounced } : {} }
              : { clinicId: clinic.id, kind: 'patients', action: 'unenroll', ids: [...selected.keys()] },
          ),
        );
      },
    });
  const closeRemoval = () => {
    setRemoving(false);
    setSelected(new Map());
    setAllMatching(false);
    patients.reload();
    onChanged();
  };

  const unenroll = (patient: PatientRow) =>
    openConfirm({
      title: `Remove ${patient.name} from ${clinic.name}?`,
      children: (
        <Text size="sm">
          {cliniciansOf(summaryOf(clinic.id).clinicianCount, clinic.name)} will no longer see {patient.name}'s records,
          including their observations and encounters.{' '}
          {patient.clinics.length <= 1 ? 'This is their only clinic: no clinician will see them.' : ''}
        </Text>
      ),
      labels: { confirm: `Remove from ${clinic.name}`, cancel: 'Keep' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        const done = await change.run(() => api.setPatientClinics({ patientId: patient.id, add: [], remove: [clinic.id] }), 'Patient removed from clinic');
        if (done) {
          patients.reload();
          onChanged();
        }
      },
    });

  const total = patients.data?.total ?? 0;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <SearchBox label="Search patients by name or MRN" value={search} onChange={setSearch} />
        {canChange && (
          <Button leftSection={<IconUserPlus size={16} />} onClick={enroll.open}>
            Enroll patients
          </Button>
        )}
      </Group>
      {canChange && chosenCount > 0 && (
        <Group gap="sm" data-testid="selection-bar">
          <Text size="sm" fw={500}>
            {formatCount(chosenCount)} selected
          </Text>
          {!allMatching && total > selected.size && (
            <Button size="compact-sm" variant="subtle" onClick={() => setAllMatching(true)}>
              Select all {formatCount(total)} {debounced ? 'matching' : 'in this clinic'}
            </Button>
          )}
          <Button size="compact-sm" color="red" variant="light" onClick={askToRemoveMany}>
            Remove {formatCount(chosenCount)} from {clinic.name}
          </Button>
          <Button size="compact-sm" variant="subtle" color="gray" onClick={() => (setSelected(new Map()), setAllMatching(false))}>
            Clear selection
          </Button>
        </Group>
      )}
      <LoadError query={patients} title="Could not read the patients" />
      {change.error && <ErrorNotice error={change.error} title="The patient was not removed" />}
      {!patients.data ? (
        !patients.error && (
          <Paper withBorder radius="md">
            <TableSkeleton />
          </Paper>
        )
      ) : patients.data.patients.length === 0 ? (
        <Paper withBorder radius="md">
          <Text p="xl" ta="center" data-testid="empty-state">
            {debounced
              ? `No patient of this clinic with ${patients.data.matched ?? `“${debounced}”`}. An MRN matches only whole: type all of it.`
              : 'No patients in this clinic yet. Enroll patients or import a roster.'}
          </Text>
        </Paper>
      ) : (
        <PatientTable
          patients={patients.data.patients}
          sort={sort}
          onSort={setSort}
          busy={patients.loading || patients.stale}
          testId="clinic-patients"
          fromClinic={clinic.name}
          selection={canChange ? selection : undefined}
          action={
            canChange
              ? (patient) => (
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => unenroll(patient)}>
                    Remove
                  </Button>
                )
              : undefined
          }
        />
      )}
      <Group justify="space-between">
        <RowCount offset={offset} shown={patients.data?.patients.length ?? 0} total={total} searched={Boolean(debounced)} />
        {total > PAGE_SIZE && <Pagination size="sm" total={Math.ceil(Math.min(total, 10_000) / PAGE_SIZE)} value={page} onChange={setPage} />}
      </Group>
      <Modal opened={removing} onClose={closeRemoval} title={`Removing patients from ${clinic.name}`} size="lg">
        {removal.progress && <JobProgressPanel progress={removal.progress} onCancel={removal.cancel} />}
        {removal.error && <ErrorNotice error={removal.error} title="The removal did not start" />}
        {(removal.error || (removal.progress && removal.progress.state !== 'running')) && (
          <Group justify="flex-end" className="dialog-actions" mt="sm">
            <Button onClick={closeRemoval}>Close</Button>
          </Group>
        )}
      </Modal>
      <Modal opened={enrolling} onClose={enroll.close} title={`Enroll patients in ${clinic.name}`} size="lg">
        <EnrollPatientsDialog
          clinic={clinic}
          onCancel={enroll.close}
          onDone={() => {
            enroll.close();
            patients.reload();
            onChanged();
          }}
        />
      </Modal>
    </Stack>
  );
}
