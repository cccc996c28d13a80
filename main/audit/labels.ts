import { formatHumanName } from '@medplum/core';
import type { HumanName, Patient, Practitioner, ProjectMembership } from '@medplum/fhirtypes';
import type { RecordRef } from '../../preload/api/schemas/audit';
import { labelOf } from '../engines/access-list';
import type { ProjectSnapshot } from './project-snapshot';

function nameOf(names: readonly HumanName[] | undefined): string | undefined {
  const first = names?.[0];
  return (first && formatHumanName(first)) || undefined;
}

/** What to call each record on screen, from the snapshot; unknown records keep their reference. */
export class Labels {
  private readonly names = new Map<string, string>();

  constructor(snapshot: Pick<ProjectSnapshot, 'clinics' | 'practitioners' | 'patients' | 'policies'>) {
    for (const c of snapshot.clinics) this.names.set(`Organization/${c.id}`, c.name ?? 'Unnamed clinic');
    for (const p of snapshot.practitioners) this.names.set(`Practitioner/${p.id}`, nameOf(p.name) ?? 'Unnamed clinician');
    for (const p of snapshot.patients) this.names.set(`Patient/${p.id}`, nameOf(p.name) ?? 'Unnamed patient');
    for (const p of snapshot.policies) this.names.set(`AccessPolicy/${p.id}`, p.name ?? 'Unnamed access policy');
  }

  set(reference: string, label: string): void {
    this.names.set(reference, label);
  }

  /** Adds people read after the labels were made. */
  addPeople(practitioners: readonly (Practitioner & { id: string })[], patients: readonly (Patient & { id: string })[] = []): this {
    for (const p of practitioners) this.names.set(`Practitioner/${p.id}`, nameOf(p.name) ?? 'Unnamed clinician');
    for (const p of patients) this.names.set(`Patient/${p.id}`, nameOf(p.name) ?? 'Unnamed patient');
    return this;
  }

  ref(reference: string): RecordRef {
    return { reference, label: this.names.get(reference) ?? reference };
  }

  /** A membership by its person, and its label when it has one ("Jane Smith (Clinic A)"). */
  membership(m: ProjectMembership & { id: string }): RecordRef {
    const who = m.profile?.reference ? (this.names.get(m.profile.reference) ?? m.profile.display ?? m.profile.reference) : 'No profile';
    const label = labelOf(m);
    return { reference: `ProjectMembership/${m.id}`, label: label ? `${who} (${label})` : who };
  }
}
