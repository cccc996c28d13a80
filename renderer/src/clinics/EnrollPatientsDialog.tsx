import { Button, Checkbox, Group, ScrollArea, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import type { IpcError } from '../../../preload/api/contract';
import type { ClinicView, PatientRow } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { ClinicBadges } from '../components/ClinicBadges';
import { ErrorNotice } from '../components/ErrorNotice';

/** Finds patients of the project by name or MRN and adds the chosen ones to the clinic. */
export function EnrollPatientsDialog({ clinic, onDone, onCancel }: { clinic: ClinicView; onDone: () => void; onCancel: () => void }) {
  const api = useApi();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [chosen, setChosen] = useState<Map<string, PatientRow>>(new Map());
  const [running, setRunning] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const found = useApiQuery(() => api.listPatients({ offset: 0, count: 20, ...(debounced ? { search: debounced } : {}) }), [api, debounced]);
  const candidates = (found.data?.patients ?? []).filter((patient) => !patient.clinics.some((c) => c.id === clinic.id));

  const toggle = (patient: PatientRow) =>
    setChosen((previous) => {
      const next = new Map(previous);
      if (next.has(patient.id)) next.delete(patient.id);
      else next.set(patient.id, patient);
      return next;
    });

  const apply = async () => {
    const patients = [...chosen.values()];
    setRunning({ done: 0, total: patients.length });
    setError(null);
    let done = 0;
    for (const patient of patients) {
      const result = await api.setPatientClinics({ patientId: patient.id, add: [clinic.id], remove: [] });
      if (!result.ok) {
        setError(result.error);
        break;
      }
      done++;
      setRunning({ done, total: patients.length });
    }
    setRunning(null);
    if (done > 0) {
      notifications.show({
        color: 'teal',
        title: 'Patients enrolled',
        message: `${done} ${done === 1 ? 'patient is' : 'patients are'} now visible to the clinicians of ${clinic.name}. It is listed in Activity.`,
      });
    }
    if (done === patients.length) onDone();
  };

  const names = [...chosen.values()].map((patient) => patient.name);
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
                <Table.Tr key={patient.id} onClick={() => toggle(patient)} style={{ cursor: 'pointer' }}>
                  <Table.Td w={32}>
                    <Checkbox checked={chosen.has(patient.id)} onChange={() => toggle(patient)}
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
                    <Text size="sm" ff="monospace">
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
      {error && <ErrorNotice error={error} title="Enrollment stopped" />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} disabled={running !== null}>
          Cancel
        </Button>
        <Button onClick={apply} disabled={chosen.size === 0} loading={running !== null}>
          {running ? `Enrolling ${running.done + 1} of ${running.total}…` : `Enroll ${chosen.size || ''} ${chosen.size === 1 ? 'patient' : 'patients'}`.replace('  ', ' ')}
        </Button>
      </Group>
    </Stack>
  );
}
