import { Button, Group, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { ClinicView, PatientRow } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { ErrorNotice } from '../components/ErrorNotice';
import { PeopleChooser } from './PeopleChooser';
import { useBulkEnroll, useSelection } from './use-bulk-enroll';

const patientKey = (patient: PatientRow) => patient.id;

/** Finds patients of the project by name or MRN and adds the chosen ones to the clinic. */
export function EnrollPatientsDialog({ clinic, onDone, onCancel }: { clinic: ClinicView; onDone: () => void; onCancel: () => void }) {
  const api = useApi();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const selection = useSelection<PatientRow>(patientKey);
  const bulk = useBulkEnroll((patient: PatientRow) => api.setPatientClinics({ patientId: patient.id, add: [clinic.id], remove: [] }));
  const found = useApiQuery(() => api.listPatients({ offset: 0, count: 20, ...(debounced ? { search: debounced } : {}) }), [api, debounced]);
  const candidates = (found.data?.patients ?? []).filter((patient) => !patient.clinics.some((c) => c.id === clinic.id));

  const apply = async () => {
    const allDone = await bulk.run(selection.items, {
      title: 'Patients enrolled',
      message: (done) => `${done} ${done === 1 ? 'patient is' : 'patients are'} now visible to the clinicians of ${clinic.name}.`,
    });
    if (allDone) onDone();
  };

  const names = selection.items.map((patient) => patient.name);
  return (
    <Stack gap="sm">
      <PeopleChooser
        search={search}
        onSearch={setSearch}
        placeholder="Search patients by name or MRN"
        searchLabel="Search patients to enroll"
        people={candidates.map((patient) => ({ key: patient.id, name: patient.name, identifier: patient.mrn, clinics: patient.clinics }))}
        isChosen={(key) => selection.chosen.has(key)}
        onToggle={(key) => {
          const patient = candidates.find((candidate) => candidate.id === key);
          if (patient) selection.toggle(patient);
        }}
        loading={found.loading}
        error={found.error}
        emptyText="No patient outside this clinic matches. Create the patient first, or import a roster."
      />
      <Text size="sm" data-testid="enroll-preview">
        {names.length === 0
          ? 'Choose the patients to add to this clinic.'
          : `${names.length === 1 ? names[0] : `${names.length} patients`} will be visible to the clinicians of ${clinic.name}, with their observations and encounters.`}
      </Text>
      {bulk.error && <ErrorNotice error={bulk.error} title="Enrollment stopped" />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} disabled={bulk.progress !== null}>
          Cancel
        </Button>
        <Button onClick={apply} disabled={selection.items.length === 0} loading={bulk.progress !== null}>
          {selection.items.length === 1 ? 'Enroll 1 patient' : `Enroll ${selection.items.length} patients`}
        </Button>
      </Group>
    </Stack>
  );
}
