import { Button, Group, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ClinicView, ClinicianRow } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { ErrorNotice } from '../components/ErrorNotice';
import { PeopleChooser } from './PeopleChooser';
import { patientsPhrase } from './phrases';
import { useBulkEnroll, useSelection } from './use-bulk-enroll';

const clinicianKey = (clinician: ClinicianRow) => clinician.practitionerId;

/** Chooses clinicians of the MSO (from the directory) and gives them this clinic. */
export function EnrollCliniciansDialog({
  clinic,
  patientCount,
  enrolled,
  onDone,
  onCancel,
}: {
  clinic: ClinicView;
  patientCount: number | null;
  enrolled: readonly string[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const directory = useApiQuery(() => api.listDirectory({}), [api]);
  const [filter, setFilter] = useState('');
  const selection = useSelection<ClinicianRow>(clinicianKey);
  const bulk = useBulkEnroll((clinician: ClinicianRow) =>
    api.setClinicianClinics({ practitionerId: clinician.practitionerId, add: [clinic.id], remove: [] }),
  );

  const candidates = useMemo(() => {
    const text = filter.trim().toLowerCase();
    return (directory.data ?? []).filter(
      (clinician) =>
        !enrolled.includes(clinician.practitionerId) &&
        (!text || clinician.name.toLowerCase().includes(text) || (clinician.npi ?? '').includes(text) || (clinician.email ?? '').toLowerCase().includes(text)),
    );
  }, [directory.data, enrolled, filter]);

  const apply = async () => {
    const allDone = await bulk.run(selection.items, {
      title: 'Clinicians enrolled',
      message: (done) => `${done} ${done === 1 ? 'clinician' : 'clinicians'} can now see ${patientsPhrase(patientCount, clinic.name)}.`,
    });
    if (allDone) onDone();
  };

  const names = selection.items.map((clinician) => clinician.name);
  return (
    <Stack gap="sm">
      <PeopleChooser
        search={filter}
        onSearch={setFilter}
        placeholder="Filter clinicians by name, NPI or email"
        searchLabel="Filter clinicians to enroll"
        people={candidates.map((clinician) => ({ key: clinician.practitionerId, name: clinician.name, identifier: clinician.npi, clinics: clinician.clinics }))}
        isChosen={(key) => selection.chosen.has(key)}
        onToggle={(key) => {
          const clinician = candidates.find((candidate) => candidate.practitionerId === key);
          if (clinician) selection.toggle(clinician);
        }}
        loading={directory.loading}
        error={directory.error}
        emptyText="No other clinician matches. Invite the clinician first (Clinicians)."
      />
      <Text size="sm" data-testid="enroll-preview">
        {names.length === 0
          ? 'Choose the clinicians to enroll in this clinic.'
          : `${names.length === 1 ? names[0] : `${names.length} clinicians`} will be able to see ${patientsPhrase(patientCount, clinic.name)}.`}
      </Text>
      {bulk.error && <ErrorNotice error={bulk.error} title="Enrollment stopped" />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} disabled={bulk.progress !== null}>
          Cancel
        </Button>
        <Button onClick={apply} disabled={selection.items.length === 0} loading={bulk.progress !== null}>
          {selection.items.length === 1 ? 'Enroll 1 clinician' : `Enroll ${selection.items.length} clinicians`}
        </Button>
      </Group>
    </Stack>
  );
}
