import { MultiSelect, type MultiSelectProps } from '@mantine/core';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { distinctClinicLabel, duplicateNameIds } from '../clinics/duplicate-names';

/** A searchable multi-select of the project's clinics by name; the value is clinic ids. */
export function ClinicMultiSelect({
  value,
  onChange,
  exclude = [],
  ...props
}: { value: string[]; onChange: (ids: string[]) => void; exclude?: readonly string[] } & Omit<MultiSelectProps, 'data' | 'value' | 'onChange'>) {
  const api = useApi();
  const clinics = useApiQuery(() => api.listClinics(), [api]);
  // Two clinics of one name (made before names were checked) are told apart by an identifier.
  const duplicates = duplicateNameIds(clinics.data ?? []);
  const data = (clinics.data ?? [])
    .filter((clinic) => !exclude.includes(clinic.id))
    .map((clinic) => {
      const name = duplicates.has(clinic.id) ? distinctClinicLabel(clinic) : clinic.name;
      return { value: clinic.id, label: clinic.active ? name : `${name} (inactive)` };
    });
  return (
    <MultiSelect
      searchable
      clearable
      hidePickedOptions
      nothingFoundMessage={clinics.loading ? 'Loading clinics…' : 'No clinic with that name'}
      placeholder={value.length ? undefined : 'Search clinics by name'}
      // Opens upwards where there is room, so it does not cover a dialog's buttons below it.
      comboboxProps={{ position: 'top', middlewares: { flip: true, shift: true } }}
      maxDropdownHeight={220}
      {...props}
      data={data}
      value={value}
      onChange={onChange}
    />
  );
}
