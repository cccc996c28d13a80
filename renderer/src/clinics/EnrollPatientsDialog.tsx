import { Button, Checkbox, Group, ScrollArea, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import type { ClinicView, PatientRow } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { ClinicBadges } from '../components/ClinicBadges';
import { ErrorNotice } from '../components/ErrorNotice';
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
      <TextInput
        placeholder="Search patients by name or MRN"
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        data-autofocus
        aria-label="Search patients to enroll"
      />
      <ScrollArea h={260} type="auto">
        {found.error ? (
          <ErrorNotice error={found.error} />
        ) : candidates.length === 0 ? (
          <Text size="sm" c="dimmed" p="sm">
            {found.loading ? 'Searching…' : 'No patient outside this clinic matches. Create the patient first, or import a roster.'}
          </Text>
        ) : (
          <Table verticalSpacing={4}>
            <Table.Tbody>
              {candidates.map((patient) => (
                <Table.Tr key={patient.id} onClick={() => selection.toggle(patient)} style={{ cursor: 'pointer' }}>
                  <Table.Td w={32}>
                    <Checkbox checked={selection.isChosen(patient)} onChange={() => selection.toggle(patient)}
                      // The row toggles too: keep a click on the box from counting twice.
                      onClick={(event) => event.stopPropagation()}
                      aria-label={`Choose ${patient.name}`} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {patient.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                      {patient.mrn ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <ClinicBadges clinics={patient.clinics} max={2} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ScrollArea>
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
