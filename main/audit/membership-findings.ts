import type { WithId } from '@medplum/core';
import type { Organization, ProjectMembership, ProjectMembershipAccess } from '@medplum/fhirtypes';
import type { AuditFinding } from '../../preload/api/schemas/audit';
import { clinicNameKey } from '../../preload/api/roster/rules';
import { clinicOfEntry, clinicsOf, grantsWholeProject, labelOf } from '../engines/access-list';
import { finding, manualFix, repairFix } from './finding';
import type { Labels } from './labels';

export interface MembershipFacts {
  readonly memberships: readonly WithId<ProjectMembership>[];
  readonly clinics: readonly WithId<Organization>[];
  /** "AccessPolicy/<id>" of the installed MSO policy, if any. */
  readonly msoPolicy: string | undefined;
}

/** Why an access entry is stale: its clinic is gone or switched off (undefined: the entry is fine). */
export function staleReason(entry: ProjectMembershipAccess, clinics: ReadonlyMap<string, Organization>): 'deleted' | 'inactive' | undefined {
  const clinic = clinicOfEntry(entry);
  if (!clinic) return undefined;
  const found = clinics.get(clinic);
  if (!found) return 'deleted';
  return found.active === false ? 'inactive' : undefined;
}

export function clinicMap(clinics: readonly WithId<Organization>[]): Map<string, WithId<Organization>> {
  return new Map(clinics.map((c) => [`Organization/${c.id}`, c]));
}

function isPerson(m: ProjectMembership): boolean {
  return m.profile?.reference?.startsWith('Practitioner/') ?? false;
}

/** Findings about memberships, one per membership and kind, and about clinic names and labels. */
export function membershipFindings(facts: MembershipFacts, labels: Labels): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const clinics = clinicMap(facts.clinics);
  for (const m of facts.memberships) {
    const who = labels.membership(m);
    const key = `ProjectMembership/${m.id}`;
    if (grantsWholeProject(m)) {
      findings.push(
        finding('whole-project-membership', key, 'critical', 'A membership that sees the whole project',
          `${who.label} has neither clinics nor a base policy. Medplum then applies no access policy at all: this sign-in can read and write every patient and record of every clinic.`,
          [who],
          isPerson(m) && facts.msoPolicy
            ? repairFix('set-base-policy', 'Give the MSO base policy', 'Sets the MSO policy as the membership’s base policy: with no clinic it then sees no patient.')
            : manualFix('Give it a policy', 'This sign-in is not a clinician (an app or a bot): decide what it needs.', ['Open the membership in the Medplum app and give it an access policy that lists only what it needs.'])),
      );
    } else if (!m.admin && isPerson(m) && facts.msoPolicy && m.accessPolicy?.reference !== facts.msoPolicy) {
      findings.push(
        finding('base-policy-not-mso', key, m.accessPolicy ? 'warning' : 'critical', 'A clinician whose base policy is not the MSO one',
          m.accessPolicy
            ? `${who.label}’s base policy is ${labels.ref(m.accessPolicy.reference ?? '').label}, not the MSO policy: what it grants outside the clinics is not what the console shows.`
            : `${who.label} has clinics but no base policy: once the last clinic is removed, Medplum applies no policy at all and the sign-in sees the whole project.`,
          [who], repairFix('set-base-policy', 'Give the MSO base policy', 'Sets the MSO policy as the membership’s base policy; its clinics stay.')),
      );
    }
    if (m.admin && clinicsOf(m).length) {
      findings.push(
        finding('admin-is-clinician', key, 'warning', 'A project administrator who is also a clinician',
          `${who.label} is a project administrator with clinics. Administrators see every patient of every clinic whatever their clinics say, so the clinic list of this sign-in restricts nothing.`,
          [who, ...clinicsOf(m).map((c) => labels.ref(c))],
          manualFix('Separate the two roles', 'A person decides which role this sign-in keeps.', [
            'If they work as a clinician, ask a project administrator to remove the administrator flag in the Medplum app.',
            'If they administer, invite their clinical work under another email as a clinician.',
          ])),
      );
    }
    const entries = m.access ?? [];
    const stale = entries.filter((e) => e.policy?.reference === facts.msoPolicy && staleReason(e, clinics));
    if (stale.length) {
      findings.push(
        finding('stale-access-entry', key, 'warning', 'Access to clinics that are deleted or inactive',
          `${who.label} keeps access to ${stale.map((e) => `${labels.ref(clinicOfEntry(e) ?? '').label} (${staleReason(e, clinics)})`).join(', ')}. A clinic switched back on, or a new resource filed under the old reference, would open again to this sign-in without anyone deciding it.`,
          [who, ...stale.map((e) => labels.ref(clinicOfEntry(e) ?? ''))],
          repairFix('remove-access-entries', 'Remove the stale access', 'Removes those access entries; the base policy stays.')),
      );
    }
    const foreign = entries.filter((e) => e.policy?.reference !== facts.msoPolicy);
    if (foreign.length && facts.msoPolicy) {
      findings.push(
        finding('foreign-policy-access-entry', key, 'critical', 'Access through a policy other than the MSO one',
          `${who.label} has ${foreign.length} access entr${foreign.length === 1 ? 'y' : 'ies'} using ${[...new Set(foreign.map((e) => labels.ref(e.policy?.reference ?? 'no policy').label))].join(', ')}: what they grant is not what the clinic lists show.`,
          [who, ...foreign.map((e) => labels.ref(e.policy?.reference ?? 'no policy'))],
          repairFix('remove-access-entries', 'Use the MSO policy', 'Each such entry that names a clinic gets the MSO policy for that clinic; entries that name none are removed.')),
      );
    }
    if (m.active === false && clinicsOf(m).length) {
      findings.push(
        finding('inactive-sign-in-holds-clinics', key, 'warning', 'An inactive sign-in that still holds clinics',
          `${who.label} is switched off but still lists ${clinicsOf(m).length} clinic${clinicsOf(m).length === 1 ? '' : 's'}. Switching it back on (or a tool reading the clinic lists) would give that access again without a decision.`,
          [who, ...clinicsOf(m).map((c) => labels.ref(c))],
          repairFix('remove-clinics', 'Remove its clinics', 'Removes every clinic from the membership; the base policy stays, so it sees nothing if switched on again.')),
      );
    }
  }
  findings.push(...unlabelledFindings(facts.memberships, labels), ...duplicateNameFindings(facts.clinics, labels));
  return findings;
}

function unlabelledFindings(memberships: readonly WithId<ProjectMembership>[], labels: Labels): AuditFinding[] {
  const byUser = new Map<string, WithId<ProjectMembership>[]>();
  for (const m of memberships) {
    const user = m.user?.reference;
    if (user) byUser.set(user, [...(byUser.get(user) ?? []), m]);
  }
  const findings: AuditFinding[] = [];
  for (const [user, group] of byUser) {
    const unlabelled = group.filter((m) => !labelOf(m));
    if (group.length > 1 && unlabelled.length) {
      findings.push(
        finding('unlabelled-memberships', user, 'notice', 'Several sign-ins of one person without labels',
          `${labels.membership(group[0] as WithId<ProjectMembership>).label} has ${group.length} memberships and ${unlabelled.length} of them have no label: Medplum’s sign-in then asks them to choose between entries that look the same, and they may work in the wrong clinic.`,
          unlabelled.map((m) => labels.membership(m)),
          repairFix('label-memberships', 'Label the memberships', 'Labels each with the name of its clinic (or “No clinic”), as strict isolation does.')),
      );
    }
  }
  return findings;
}

function duplicateNameFindings(clinics: readonly WithId<Organization>[], labels: Labels): AuditFinding[] {
  const byName = new Map<string, WithId<Organization>[]>();
  for (const c of clinics) {
    const key = clinicNameKey(c.name ?? '');
    byName.set(key, [...(byName.get(key) ?? []), c]);
  }
  return [...byName.values()]
    .filter((group) => group.length > 1)
    .map((group) =>
      finding('duplicate-clinic-names', group.map((c) => c.id).sort().join(','), 'warning', 'Clinics with the same name',
        `${group.length} clinics are called “${group[0]?.name ?? ''}”. Clinic pickers and roster files name clinics by name, so a clinician or patient can be put in the wrong one.`,
        group.map((c) => labels.ref(`Organization/${c.id}`)),
        manualFix('Rename all but one', 'A person decides which name each clinic should have.', ['Open each clinic from Clinics and give it a name that tells it apart.'])),
    );
}
