import type { WithId } from '@medplum/core';
import type { AccessPolicy, Organization, Patient, Practitioner, ProjectMembership } from '@medplum/fhirtypes';
import { clinicOfEntry, grantsWholeProject } from '../engines/access-list';
import { accountsOf } from '../engines/account-plan';
import { type MsoPolicyVariant } from '../engines/mso-access-policy';
import type { AuditReader } from './audit-reader';
import { Labels } from './labels';
import { variantOf } from '../engines/mso-access-policy';
import { msoPolicyOf } from './run-audit';

/** What the access views and "view as clinician" share: clinics, the MSO policy and its variant. */
export interface AccessFacts {
  readonly clinics: WithId<Organization>[];
  readonly policy: WithId<AccessPolicy> | undefined;
  readonly variant: MsoPolicyVariant | undefined;
  readonly labels: Labels;
}

export async function readAccessFacts(reader: AuditReader, people: { practitioners?: WithId<Practitioner>[]; patients?: WithId<Patient>[] } = {}): Promise<AccessFacts> {
  const [clinics, policies] = await Promise.all([
    reader.all<Organization>('Organization', {}, 'read the clinics'),
    reader.all<AccessPolicy>('AccessPolicy', {}, 'read the access policies'),
  ]);
  const policy = msoPolicyOf({ policies });
  return {
    clinics,
    policy,
    variant: policy ? variantOf(policy) : undefined,
    labels: new Labels({ clinics, policies, practitioners: people.practitioners ?? [], patients: people.patients ?? [] }),
  };
}

/** The clinics a membership reaches through MSO access entries, in order, without repeats. */
export function msoClinicsOf(m: ProjectMembership, policy: AccessPolicy & { id: string } | undefined): string[] {
  const ref = policy ? `AccessPolicy/${policy.id}` : undefined;
  return [...new Set((m.access ?? []).filter((e) => e.policy?.reference === ref).map(clinicOfEntry).filter((c): c is string => !!c))];
}

/** How a membership reaches patients: everyone (admin, or no policy at all), or these clinics. */
export function reachOf(m: ProjectMembership, policy: (AccessPolicy & { id: string }) | undefined): { all: true } | { all: false; clinics: string[] } {
  if (m.admin || grantsWholeProject(m)) return { all: true };
  return { all: false, clinics: msoClinicsOf(m, policy) };
}

/** Whether the variant lets this membership's person see a patient already inside one of its clinics. */
export function variantAdmits(variant: MsoPolicyVariant | undefined, patient: Patient, profile: string | undefined): boolean {
  const accounts = accountsOf(patient).map((a) => a.reference);
  if (variant?.kind === 'consent-gated') return accounts.includes(variant.consent.reference);
  if (variant?.kind === 'assigned-clinician') return !!profile && accounts.includes(profile);
  return true;
}

export function variantNote(variant: MsoPolicyVariant | undefined): string | null {
  if (variant?.kind === 'consent-gated') return 'Consent-gated policy: of these, only patients who gave the universal consent are visible.';
  if (variant?.kind === 'assigned-clinician') return 'Assigned-clinician policy: of these, only patients the clinician is assigned to are visible.';
  return null;
}

/** `_compartment` with several clinics OR-ed: one search (or count) for a membership's patients. */
export function compartmentQuery(clinics: readonly string[]): Record<string, string> {
  return { _compartment: clinics.join(',') };
}
