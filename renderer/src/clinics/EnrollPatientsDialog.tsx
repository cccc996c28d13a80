import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import type { ClinicView } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { EnrollDialog } from './EnrollDialog';

/** Finds patients of the project by name or MRN and adds the chosen ones to the clinic. */
export function EnrollPatientsDialog({ clinic, onDone, onCancel }: { clinic: ClinicView; onDone: () => void; onCancel: () => void }) {
  const api = useApi();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  // The whole project is searched on the server; more rows load on demand (up to main's page limit).
  const [count, setCount] = useState(50);
  useEffect(() => setCount(50), [debounced]);
  const found = useApiQuery(() => api.listPatients({ offset: 0, count, ...(debounced ? { search: debounced } : {}) }), [api, debounced, count]);
  const people = (found.data?.patients ?? [])
    .filter((patient) => !patient.clinics.some((c) => c.id === clinic.id))
    // The birth date tells three "Arjun Abbott"s apart.
    .map((patient) => ({ key: patient.id, name: patient.name, identifier: patient.mrn, detail: patient.birthDate, clinics: patient.clinics }));
  return (
    <EnrollDialog
      clinic={clinic}
      kind="patients"
      people={people}
      search={search}
      onSearch={setSearch}
      searchLabel="Search patients to enroll"
      placeholder="Search patients by name or MRN"
      loading={found.loading}
      error={found.error}
      emptyText="No patient outside this clinic matches. Create the patient first, or import a roster."
      preview={(names) =>
        names.length === 0
          ? 'Choose the patients to add to this clinic.'
          : `${names.length === 1 ? names[0] : `${names.length} patients`} will be visible to the clinicians of ${clinic.name}, with their observations and encounters.`
      }
      onDone={onDone}
      onCancel={onCancel}
      total={found.data?.total ?? null}
      onShowMore={count < 200 ? () => setCount((value) => Math.min(200, value + 50)) : undefined}
    />
  );
}
