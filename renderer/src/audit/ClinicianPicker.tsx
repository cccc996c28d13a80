import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import type { ClinicianRow } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';

function optionLabel(clinician: ClinicianRow): string {
  return clinician.npi ? `${clinician.name} · NPI ${clinician.npi}` : clinician.name;
}

/** A clinician chosen by name, searched on the server as the administrator types. */
export function ClinicianPicker({ value, onChange }: { value: string | null; onChange: (practitionerId: string | null) => void }) {
  const api = useApi();
  const [typed, setTyped] = useState('');
  const [chosenLabel, setChosenLabel] = useState<string | null>(null);
  // Once a clinician is chosen the box shows their label: that is not a new search.
  const [search] = useDebouncedValue(typed === chosenLabel ? '' : typed.trim(), 300);
  const found = useApiQuery(() => api.listDirectory(search ? { search } : {}), [api, search]);
  const data = useMemo(() => (found.data ?? []).map((clinician) => ({ value: clinician.practitionerId, label: optionLabel(clinician) })), [found.data]);
  return (
    <Select
      label="Clinician"
      placeholder="Search clinicians by name"
      searchable
      clearable
      data={data}
      value={value}
      // The server filtered already; every option it sent is shown.
      filter={({ options }) => options}
      searchValue={typed}
      onSearchChange={setTyped}
      nothingFoundMessage={found.loading ? 'Searching…' : 'No clinician matches'}
      onChange={(id, option) => {
        setChosenLabel(option?.label ?? null);
        onChange(id);
      }}
      maw={420}
      w="100%"
      data-testid="clinician-picker"
    />
  );
}
