import { MultiSelect, type MultiSelectProps } from '@mantine/core';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';

/** A searchable multi-select of the project's clinics by name; the value is clinic ids. */
export function ClinicMultiSelect({
  value,
  onChange,
  exclude = [],
  ...props
}: { value: string[]; onChange: (ids: string[]) => void; exclude?: readonly string[] } & Omit<MultiSelectProps, 'data' | 'value' | 'onChange'>) {
  const api = useApi();
  const clinics = useApiQuery(() => api.listClinics(), [api]);
  const data = (clinics.data ?? [])
    .filter((clinic) => !exclude.includes(clinic.id))
    .map((clinic) => ({ value: clinic.id, label: clinic.active ? clinic.name : `${clinic.name} (inactive)` }));
  return (
    <MultiSelect
      searchable
      clearable
      hidePickedOptions
      nothingFoundMessage={clinics.loading ? 'Loading clinics…' : 'No clinic with that name'}
      placeholder={value.length ? undefined : 'Search clinics by name'}
      {...props}
      data={data}
      value={value}
      onChange={onChange}
    />
  );
}
