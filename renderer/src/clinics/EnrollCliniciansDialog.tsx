import { useMemo, useState } from 'react';
import type { ClinicView } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { EnrollDialog } from './EnrollDialog';
import { patientsPhrase } from './phrases';

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
  const people = useMemo(() => {
    const text = filter.trim().toLowerCase();
    return (directory.data ?? [])
      .filter(
        (clinician) =>
          !enrolled.includes(clinician.practitionerId) &&
          (!text || clinician.name.toLowerCase().includes(text) || (clinician.npi ?? '').includes(text) || (clinician.email ?? '').toLowerCase().includes(text)),
      )
      .map((clinician) => ({ key: clinician.practitionerId, name: clinician.name, identifier: clinician.npi, detail: clinician.email, clinics: clinician.clinics }));
  }, [directory.data, enrolled, filter]);
  return (
    <EnrollDialog
      clinic={clinic}
      kind="clinicians"
      people={people}
      search={filter}
      onSearch={setFilter}
      searchLabel="Filter clinicians to enroll"
      placeholder="Filter clinicians by name, NPI or email"
      loading={directory.loading}
      error={directory.error}
      emptyText="No other clinician matches. Invite the clinician first (Clinicians)."
      preview={(names) =>
        names.length === 0
          ? 'Choose the clinicians to enroll in this clinic.'
          : `${names.length === 1 ? names[0] : `${names.length} clinicians`} will be able to see ${patientsPhrase(patientCount, clinic.name)}.`
      }
      onDone={onDone}
      onCancel={onCancel}
      total={directory.data ? people.length : null}
    />
  );
}
