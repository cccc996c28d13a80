import type { WithId } from '@medplum/core';
import type { Patient, Practitioner, ProjectMembership } from '@medplum/fhirtypes';
import type { AuditFinding, MembershipView, ObservedAnswer, RecordRef, ViewAsClinicianView } from '../../preload/api/schemas/audit';
import { labelOf } from '../engines/access-list';
import { clinicsOfPatient } from '../engines/patients';
import { AppError } from '../errors/app-error';
import { compartmentQuery, reachOf, readAccessFacts, variantAdmits } from './access-facts';
import type { AuditReader } from './audit-reader';
import { finding, manualFix } from './finding';

/** At most this many patients are listed per list; counts and the comparison use every one. */
export const VIEW_LIST_LIMIT = 500;

export const ON_BEHALF_OF = 'X-Medplum-On-Behalf-Of';

/**
 * For each of the clinician's memberships: the patients the console computes they see (from the
 * membership, the installed policy variant and the patients' accounts), then the server's own
 * answer to a Patient search run on behalf of that membership (a project admin's request with
 * `X-Medplum-On-Behalf-Of: ProjectMembership/<id>`), and the difference. A difference, or a
 * patient seen outside the membership's clinics, is a critical finding.
 */
export async function viewAsClinician(reader: AuditReader, practitionerId: string): Promise<ViewAsClinicianView> {
  const profile = `Practitioner/${practitionerId}`;
  const [practitioners, memberships] = await Promise.all([
    reader.all<Practitioner>('Practitioner', { _id: practitionerId, _elements: 'name' }, 'read the clinician'),
    reader.all<ProjectMembership>('ProjectMembership', { profile }, 'read the clinician’s memberships'),
  ]);
  if (!practitioners.length) throw new AppError('not_found', 'This clinician no longer exists on the server. Refresh the list and try again.');
  const facts = await readAccessFacts(reader, { practitioners });
  const findings: AuditFinding[] = [];
  const views: MembershipView[] = [];
  for (const m of memberships.filter((x) => x.profile?.reference === profile)) {
    const reach = reachOf(m, facts.policy);
    const candidates = reach.all
      ? await reader.all<Patient>('Patient', { _elements: 'name' }, 'read the patients')
      : reach.clinics.length
        ? await reader.all<Patient>('Patient', { ...compartmentQuery(reach.clinics), _elements: 'name' }, 'read the clinic’s patients')
        : [];
    const computed = reach.all ? candidates : candidates.filter((p) => variantAdmits(facts.variant, p, profile));
    const observed = await observe(reader, m);
    facts.labels.addPeople([], [...computed, ...(observed.patients ?? [])]);
    const refs = (list: readonly WithId<Patient>[]): RecordRef[] => list.slice(0, VIEW_LIST_LIMIT).map((p) => facts.labels.ref(`Patient/${p.id}`));
    const who = facts.labels.membership(m);
    let difference: MembershipView['difference'] = null;
    let answer: ObservedAnswer;
    if (observed.patients) {
      const computedIds = new Set(computed.map((p) => p.id));
      const observedIds = new Set(observed.patients.map((p) => p.id));
      const onlyComputed = computed.filter((p) => !observedIds.has(p.id));
      const onlyObserved = observed.patients.filter((p) => !computedIds.has(p.id));
      difference = { onlyComputed: refs(onlyComputed), onlyObserved: refs(onlyObserved) };
      answer = { status: 'verified', patients: refs(observed.patients), count: observed.patients.length };
      if (onlyComputed.length || onlyObserved.length) {
        findings.push(
          finding('view-as-difference', `ProjectMembership/${m.id}`, 'critical', 'The server’s answer differs from what the console computes',
            `For ${who.label}, the server returns ${onlyObserved.length} patient${onlyObserved.length === 1 ? '' : 's'} the clinic lists do not explain and leaves out ${onlyComputed.length} they include: what this clinician sees is not what the console shows.`,
            [who, ...[...onlyObserved, ...onlyComputed].map((p) => facts.labels.ref(`Patient/${p.id}`))],
            manualFix('Find the cause', 'Run the access audit: a policy change, a stale access entry or records out of line usually explain it.', ['Run the audit and repair what it finds.', 'Open this view again: the lists should agree.'])),
        );
      }
      const outside = reach.all ? [] : observed.patients.filter((p) => !clinicsOfPatient(p).some((c) => reach.clinics.includes(c)));
      if (outside.length) {
        findings.push(
          finding('sees-other-clinic-patient', `ProjectMembership/${m.id}`, 'critical', 'A clinician sees patients of clinics they are not enrolled in',
            `${who.label} can open ${outside.length} patient${outside.length === 1 ? '' : 's'} who belong to none of their clinics.`,
            [who, ...outside.map((p) => facts.labels.ref(`Patient/${p.id}`))],
            manualFix('Close the access', 'Something other than the clinic lists opens these patients.', ['Run the access audit and repair what it finds (membership policies, access entries, the MSO policy).'])),
        );
      }
    } else {
      answer = { status: 'unverified', reason: observed.reason };
    }
    views.push({ membershipId: m.id, label: labelOf(m) ?? null, computed: { patients: refs(computed), count: computed.length }, observed: answer, difference });
  }
  return { practitioner: facts.labels.ref(profile), memberships: views, listLimit: VIEW_LIST_LIMIT, findings };
}

/** The server's own answer for the membership, or why it could not be had. */
async function observe(reader: AuditReader, m: WithId<ProjectMembership>): Promise<{ patients: WithId<Patient>[]; reason?: undefined } | { patients?: undefined; reason: string }> {
  try {
    return { patients: await reader.all<Patient>('Patient', { _elements: 'name' }, 'search patients on behalf of the clinician', { [ON_BEHALF_OF]: `ProjectMembership/${m.id}` }) };
  } catch (err) {
    if (err instanceof AppError && err.code === 'cancelled') throw err;
    const details = err instanceof AppError ? (err.details ?? err.message) : String(err);
    const status = /HTTP (\d{3})/.exec(details)?.[1];
    const why =
      status === '403'
        ? 'The server refused to answer on behalf of this membership (only a project administrator may ask, and only for a membership of this project).'
        : status === '400'
          ? 'The server cannot build this membership’s access (an access entry names a policy that no longer exists, or the membership is switched off).'
          : status === '404' || status === '410'
            ? 'The server no longer has this membership.'
            : 'The server did not answer on behalf of this membership.';
    return { reason: `${why} Only the computed answer is shown.${details ? ` (${details})` : ''}` };
  }
}
