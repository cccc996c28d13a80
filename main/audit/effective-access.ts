import type { WithId } from '@medplum/core';
import type { Bundle, Patient, Practitioner, ProjectMembership } from '@medplum/fhirtypes';
import type { ClinicAccessView, ClinicianAccessView, MembershipAccess, PatientAccessView } from '../../preload/api/schemas/audit';
import { clinicOfEntry, grantsWholeProject, labelOf } from '../engines/access-list';
import { accountsOf } from '../engines/account-plan';
import { clinicsOfPatient } from '../engines/patients';
import { AppError } from '../errors/app-error';
import type { AuditReader } from './audit-reader';
import { compartmentQuery, msoClinicsOf, reachOf, readAccessFacts, variantAdmits, variantNote } from './access-facts';
import { clinicMap } from './membership-findings';

async function readOne<T>(reader: AuditReader, reference: string, what: string): Promise<T> {
  const [found] = await reader.batch([reference], `read the ${what}`);
  if (!found?.resource || found.status >= 300) throw new AppError('not_found', `This ${what} no longer exists on the server. Refresh the list and try again.`);
  return found.resource as T;
}

function membershipsOf(reader: AuditReader, profile: string): Promise<WithId<ProjectMembership>[]> {
  return reader.all<ProjectMembership>('ProjectMembership', { profile }, 'read the clinician’s memberships').then((all) => all.filter((m) => m.profile?.reference === profile));
}

/** A clinician: the clinics each membership reaches (with labels) and the patients, with counts. */
export async function clinicianAccess(reader: AuditReader, practitionerId: string, isolation: 'shared' | 'strict'): Promise<ClinicianAccessView> {
  const profile = `Practitioner/${practitionerId}`;
  const [practitioner, memberships] = await Promise.all([readOne<WithId<Practitioner>>(reader, profile, 'clinician'), membershipsOf(reader, profile)]);
  const facts = await readAccessFacts(reader, { practitioners: [practitioner] });
  const clinics = clinicMap(facts.clinics);
  const allClinics = [...new Set(memberships.flatMap((m) => (m.access ?? []).map(clinicOfEntry).filter((c): c is string => !!c)))];
  const reaches = memberships.map((m) => reachOf(m, facts.policy));
  const anyAll = reaches.some((r) => r.all);
  const reachable = [...new Set(reaches.flatMap((r) => (r.all ? [] : r.clinics)))];
  // One batch of counts: per clinic, per membership (distinct over its clinics), and overall.
  const urls = [
    ...allClinics.map((c) => `Patient?_compartment=${c}&_summary=count`),
    ...reaches.map((r) => (r.all ? 'Patient?_summary=count' : r.clinics.length ? `Patient?${new URLSearchParams({ ...compartmentQuery(r.clinics), _summary: 'count' })}` : '')),
    anyAll ? 'Patient?_summary=count' : reachable.length ? `Patient?${new URLSearchParams({ ...compartmentQuery(reachable), _summary: 'count' })}` : '',
  ];
  const wanted = urls.filter((u) => u);
  const totals = wanted.length ? await reader.counts(wanted, 'count the clinician’s patients') : [];
  const countOf = new Map(wanted.map((u, i) => [u, totals[i] ?? 0]));
  const count = (u: string) => (u ? (countOf.get(u) ?? 0) : 0);
  const views: MembershipAccess[] = memberships.map((m, i) => {
    const mso = new Set(msoClinicsOf(m, facts.policy));
    return {
      membershipId: m.id,
      label: labelOf(m) ?? null,
      admin: !!m.admin,
      active: m.active !== false,
      basePolicy: m.accessPolicy?.reference ? facts.labels.ref(m.accessPolicy.reference) : null,
      basePolicyIsMso: !!facts.policy && m.accessPolicy?.reference === `AccessPolicy/${facts.policy.id}`,
      grantsWholeProject: grantsWholeProject(m),
      clinics: [...new Set((m.access ?? []).map(clinicOfEntry).filter((c): c is string => !!c))].map((c) => ({
        clinic: facts.labels.ref(c),
        active: clinics.get(c)?.active !== false && clinics.has(c),
        msoPolicy: mso.has(c),
        patientCount: count(urls[allClinics.indexOf(c)] ?? ''),
      })),
      patientCount: count(urls[allClinics.length + i] ?? ''),
    };
  });
  return {
    practitioner: facts.labels.ref(profile),
    isolation: memberships.length > 1 || isolation === 'strict' ? 'strict' : 'shared',
    memberships: views,
    patientCount: count(urls[urls.length - 1] ?? ''),
    variantNote: variantNote(facts.variant),
  };
}

/** A patient: their clinics and the clinicians whose memberships reach one of them. */
export async function patientAccess(reader: AuditReader, patientId: string): Promise<PatientAccessView> {
  const patient = await readOne<WithId<Patient>>(reader, `Patient/${patientId}`, 'patient');
  const [memberships, facts] = await Promise.all([
    reader.all<ProjectMembership>('ProjectMembership', {}, 'read the project memberships'),
    readAccessFacts(reader, { patients: [patient] }),
  ]);
  const practitioners = await practitionersOf(reader, memberships);
  facts.labels.addPeople(practitioners);
  const clinics = clinicMap(facts.clinics);
  const own = clinicsOfPatient(patient);
  const seenBy = memberships.flatMap((m) => {
    const profile = m.profile?.reference;
    if (!profile?.startsWith('Practitioner/') || m.admin) return [];
    const through = grantsWholeProject(m) ? [{ reference: `ProjectMembership/${m.id}`, label: 'Whole project: no access policy' }] : msoClinicsOf(m, facts.policy).filter((c) => own.includes(c)).map((c) => facts.labels.ref(c));
    if (!through.length || (!grantsWholeProject(m) && !variantAdmits(facts.variant, patient, profile))) return [];
    return [{ practitioner: facts.labels.ref(profile), membershipId: m.id, label: labelOf(m) ?? null, through }];
  });
  return {
    patient: facts.labels.ref(`Patient/${patientId}`),
    clinics: own.map((c) => ({ clinic: facts.labels.ref(c), active: clinics.has(c) && clinics.get(c)?.active !== false })),
    clinicians: seenBy,
    variantNote: variantNote(facts.variant),
    otherAccounts: accountsOf(patient).map((a) => a.reference ?? '').filter((r) => r && !r.startsWith('Organization/')).map((r) => facts.labels.ref(r)),
  };
}

/** A clinic: its clinicians (memberships with an entry for it) and its patients, with the count. */
export async function clinicAccess(reader: AuditReader, clinicId: string): Promise<ClinicAccessView> {
  const ref = `Organization/${clinicId}`;
  const [memberships, facts, pages] = await Promise.all([
    reader.all<ProjectMembership>('ProjectMembership', {}, 'read the project memberships'),
    readAccessFacts(reader),
    reader.batch([`Patient?_compartment=${ref}&_count=200&_sort=-_lastUpdated&_total=accurate&_elements=name`], 'read the clinic’s patients'),
  ]);
  const clinic = facts.clinics.find((c) => c.id === clinicId);
  if (!clinic) throw new AppError('not_found', 'This clinic no longer exists on the server. Refresh the list and try again.');
  const enrolled = memberships.filter((m) => (m.access ?? []).some((e) => clinicOfEntry(e) === ref));
  const page = pages[0]?.resource as Bundle<WithId<Patient>> | undefined;
  const patients = (page?.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  const names = facts.labels.addPeople(await practitionersOf(reader, enrolled), patients);
  return {
    clinic: names.ref(ref),
    active: clinic.active !== false,
    clinicians: enrolled.filter((m) => m.profile?.reference).map((m) => ({ practitioner: names.ref(m.profile?.reference ?? ''), membershipId: m.id, label: labelOf(m) ?? null })),
    patientCount: page?.total ?? patients.length,
    patients: patients.map((p) => names.ref(`Patient/${p.id}`)),
  };
}

/** The Practitioners of these memberships, in one search per 100 ids. */
export async function practitionersOf(reader: AuditReader, memberships: readonly ProjectMembership[]): Promise<WithId<Practitioner>[]> {
  const ids = [...new Set(memberships.map((m) => m.profile?.reference ?? '').filter((r) => r.startsWith('Practitioner/')).map((r) => r.slice('Practitioner/'.length)))];
  const found: WithId<Practitioner>[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    found.push(...(await reader.all<Practitioner>('Practitioner', { _id: ids.slice(i, i + 100).join(','), _elements: 'name' }, 'read the clinicians')));
  }
  return found;
}

