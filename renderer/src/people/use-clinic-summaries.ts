import type { ClinicSummaryView, ClinicTag } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';

export interface ClinicSummaries {
  /** The clinic with its counts; a clinic missing from the list keeps its name and counts 0. */
  summaryOf: (clinic: ClinicTag | string) => ClinicSummaryView;
  loading: boolean;
  reload: () => void;
}

/** The project's clinics with patient and clinician counts, for the before-a-change sentences. */
export function useClinicSummaries(): ClinicSummaries {
  const api = useApi();
  const query = useApiQuery(() => api.listClinics(), [api]);
  const byId = new Map((query.data ?? []).map((clinic) => [clinic.id, clinic]));
  const summaryOf = (clinic: ClinicTag | string): ClinicSummaryView => {
    const id = typeof clinic === 'string' ? clinic : clinic.id;
    const found = byId.get(id);
    if (found) return found;
    const name = typeof clinic === 'string' ? `Clinic ${clinic}` : clinic.name;
    return { id, name, active: true, identifiers: [], patientCount: 0, clinicianCount: 0 };
  };
  return { summaryOf, loading: query.loading, reload: query.reload };
}
