import type { WithId } from '@medplum/core';
import type { AccessPolicy, ProjectMembership, ProjectMembershipAccess } from '@medplum/fhirtypes';
import type { AuditFinding, RepairChange, RepairPreview } from '../../preload/api/schemas/audit';
import { clinicOfEntry, clinicsOf, labelOf, withBasePolicy, withLabel } from '../engines/access-list';
import { NO_CLINIC_LABEL } from '../engines/clinicians';
import type { EngineContext } from '../engines/engine-context';
import { installMsoPolicy } from '../engines/install-policy';
import { repairPatientRecords } from '../engines/patients';
import { withActivity } from '../engines/record-activity';
import { updateWithRetry } from '../engines/update-with-retry';
import { AppError } from '../errors/app-error';
import type { JobContext } from '../jobs/job-registry';
import type { Labels } from './labels';
import { clinicMap, staleReason } from './membership-findings';
import { hardenedPolicy } from './policy-hardening';
import { variantOf } from '../engines/mso-access-policy';
import type { AuditRun } from './run-audit';

/** At most this many changes are listed in a preview; `changeCount` is the whole number. */
export const PREVIEW_LISTED = 500;

/** A previewed repair: what it will write, and the function that writes it (run as a job). */
export interface PlannedRepair {
  readonly preview: Omit<RepairPreview, 'previewId'>;
  apply(ctx: EngineContext, job: JobContext): Promise<string>;
}

type MembershipEdit = (m: WithId<ProjectMembership>, ctx: EngineContext) => WithId<ProjectMembership>;

/** Plans the fix of one finding of the run. Nothing is written here. */
export function planRepair(run: AuditRun, findingId: string, msoPolicy: string | undefined): PlannedRepair {
  const found = run.report.findings.find((f) => f.id === findingId);
  if (!found) throw new AppError('not_found', 'This finding is not in the latest audit. Run the audit again.');
  if (!found.fix.repair) throw new AppError('invalid_argument', 'This finding has no automatic fix: it needs a person’s decision (see the steps).');
  const labels = run.labels;
  const membership = () => membershipOf(run, found);
  const needsMso = ['set-base-policy', 'remove-access-entries', 'remove-clinics'].includes(found.fix.repair);
  if (needsMso) requireMso(msoPolicy);
  switch (found.fix.repair) {
    case 'install-policy':
      return policyRepair(found, labels, run.policy, 'Install or restore the MSO policy');
    case 'harden-policy':
      return hardenRepair(found, labels, run.policy);
    case 'set-base-policy':
      return membershipRepair(found, labels, [membership()], 'audit.set-base-policy', (m) => `base policy: ${m.accessPolicy?.reference ? labels.ref(m.accessPolicy.reference).label : 'none'} → the MSO policy`, (m, ctx) => withBasePolicy(m, ctx.msoPolicy) as WithId<ProjectMembership>);
    case 'remove-access-entries': {
      const m = membership();
      const clinics = clinicMap(run.snapshot.clinics);
      const stale = (e: ProjectMembershipAccess) => e.policy?.reference === msoPolicy && !!staleReason(e, clinics);
      const foreign = (e: ProjectMembershipAccess) => e.policy?.reference !== msoPolicy;
      const isForeignFix = found.kind === 'foreign-policy-access-entry';
      return membershipRepair(found, labels, [m], isForeignFix ? 'audit.use-mso-policy' : 'audit.remove-stale-access', (current) => {
        const hit = (current.access ?? []).filter(isForeignFix ? foreign : stale);
        return isForeignFix
          ? `access through another policy: ${hit.map((e) => (clinicOfEntry(e) ? `${labels.ref(clinicOfEntry(e) ?? '').label} now through the MSO policy` : 'an entry with no clinic removed')).join('; ')}`
          : `access removed: ${hit.map((e) => labels.ref(clinicOfEntry(e) ?? '').label).join(', ')}`;
      }, (current, ctx) => {
        const access = isForeignFix
          ? (current.access ?? []).flatMap((e) => (!foreign(e) ? [e] : clinicOfEntry(e) ? [{ ...e, policy: { reference: ctx.msoPolicy.reference } }] : []))
          : (current.access ?? []).filter((e) => !stale(e));
        return withAccess(withBasePolicy(current, ctx.msoPolicy) as WithId<ProjectMembership>, access);
      });
    }
    case 'remove-clinics':
      return membershipRepair(found, labels, [membership()], 'audit.remove-clinics', (m) => `clinics removed: ${clinicsOf(m).map((c) => labels.ref(c).label).join(', ')}; base policy kept`, (m, ctx) => withAccess(withBasePolicy(m, ctx.msoPolicy) as WithId<ProjectMembership>, []));
    case 'label-memberships': {
      const targets = found.concerns.map((c) => run.snapshot.memberships.find((m) => `ProjectMembership/${m.id}` === c.reference)).filter((m): m is WithId<ProjectMembership> => !!m);
      const labelFor = (m: ProjectMembership) => clinicsOf(m).map((c) => labels.ref(c).label).join(', ') || NO_CLINIC_LABEL;
      return membershipRepair(found, labels, targets, 'audit.label-membership', (m) => `label: “${labelFor(m)}”`, (m) => (labelOf(m) ? m : (withLabel(m, labelFor(m)) as WithId<ProjectMembership>)));
    }
    case 'resync-patient-records':
      return resyncRepair(found, run);
    default:
      throw new AppError('invalid_argument', 'This finding has no automatic fix.');
  }
}

function requireMso(msoPolicy: string | undefined): string {
  if (!msoPolicy) throw new AppError('not_found', 'Install the MSO access policy first (it is a finding of its own).');
  return msoPolicy;
}

function withAccess(m: WithId<ProjectMembership>, access: ProjectMembershipAccess[]): WithId<ProjectMembership> {
  const next = { ...m, access };
  if (!access.length) delete (next as ProjectMembership).access;
  return next;
}

function membershipOf(run: AuditRun, found: AuditFinding): WithId<ProjectMembership> {
  const key = found.id.slice(found.kind.length + 1);
  const m = run.snapshot.memberships.find((x) => `ProjectMembership/${x.id}` === key);
  if (!m) throw new AppError('not_found', 'This membership is not in the latest audit. Run the audit again.');
  return m;
}

function membershipRepair(
  found: AuditFinding,
  labels: Labels,
  memberships: readonly WithId<ProjectMembership>[],
  action: string,
  describe: (m: WithId<ProjectMembership>) => string,
  edit: MembershipEdit,
): PlannedRepair {
  const changes: RepairChange[] = memberships.map((m) => ({ record: labels.membership(m), change: describe(m) }));
  return {
    preview: {
      findingId: found.id,
      title: found.fix.title,
      sentences: [found.fix.explains, `${memberships.length} membership${memberships.length === 1 ? '' : 's'} will be written, each with If-Match on the version read (a change made meanwhile is read again and kept).`],
      changes: changes.slice(0, PREVIEW_LISTED),
      changeCount: changes.length,
    },
    async apply(ctx, job) {
      let done = 0;
      for (const m of memberships) {
        if (job.signal.aborted) break;
        await withActivity(ctx, action, [`ProjectMembership/${m.id}`, ...(m.profile?.reference ? [m.profile.reference] : [])], () =>
          updateWithRetry<ProjectMembership>(ctx.client, 'ProjectMembership', m.id, (current) => edit(current, ctx), 'repair the membership'),
          (r) => ({ written: r.written }),
          // The membership's clinics around the repair, so that it can be undone (docs/history.md).
          (r) => ({ subject: `ProjectMembership/${m.id}`, field: 'clinics', before: clinicsOf(r.previous), after: clinicsOf(r.resource) }),
        );
        job.report({ done: ++done, total: memberships.length });
      }
      const repaired = `${count(done, 'membership')} repaired`;
      return job.signal.aborted ? stoppedSentence(repaired, memberships.length - done, 'membership') : `${repaired}.`;
    },
  };
}

function policyRepair(found: AuditFinding, labels: Labels, policy: WithId<AccessPolicy> | undefined, title: string): PlannedRepair {
  const variant = (policy && variantOf(policy)) || { kind: 'standard' as const };
  return {
    preview: {
      findingId: found.id,
      title,
      sentences: [found.fix.explains, policy ? 'The policy keeps its id: every membership that uses it gets the change at once.' : 'Nothing else is written.'],
      changes: [{ record: policy ? labels.ref(`AccessPolicy/${policy.id}`) : { reference: 'AccessPolicy', label: 'MSO Clinic Access (new)' }, change: policy ? `rules rewritten to the ${variant.kind} variant${policy.compartment ? '' : ' (kept hardened)'}` : 'created' }],
      changeCount: 1,
    },
    async apply(ctx, job) {
      const result = await installMsoPolicy(ctx, variant);
      job.report({ done: 1, total: 1 });
      return `The MSO access policy was ${result.action === 'unchanged' ? 'already as expected' : result.action}.`;
    },
  };
}

function hardenRepair(found: AuditFinding, labels: Labels, policy: WithId<AccessPolicy> | undefined): PlannedRepair {
  if (!policy) throw new AppError('not_found', 'Install the MSO access policy first.');
  return {
    preview: {
      findingId: found.id,
      title: found.fix.title,
      sentences: [found.fix.explains, 'Written with If-Match on the policy’s version; its rules stay as they are.'],
      changes: [{ record: labels.ref(`AccessPolicy/${policy.id}`), change: `compartment: ${policy.compartment?.reference ?? 'none'} → none` }],
      changeCount: 1,
    },
    async apply(ctx, job) {
      await withActivity(ctx, 'audit.harden-policy', [`AccessPolicy/${policy.id}`], () =>
        updateWithRetry<AccessPolicy>(ctx.client, 'AccessPolicy', policy.id, (current) => hardenedPolicy(current) as WithId<AccessPolicy>, 'harden the MSO access policy'),
      );
      job.report({ done: 1, total: 1 });
      return 'The MSO access policy is hardened: clinicians can write only on their own clinics’ patients.';
    },
  };
}

function resyncRepair(found: AuditFinding, run: AuditRun): PlannedRepair {
  const patients = [...new Set(run.drift.flatMap((d) => d.patients))];
  const changes: RepairChange[] = run.drift.map((d) => ({
    record: { reference: d.record, label: `${d.record} of ${run.labels.ref(d.patients[0] ?? '').label}` },
    change: `clinics: ${describeAccounts(run.labels, d.has)} → ${describeAccounts(run.labels, d.wanted)}`,
  }));
  return {
    preview: {
      findingId: found.id,
      title: found.fix.title,
      sentences: [
        `${changes.length} record${changes.length === 1 ? '' : 's'} of ${patients.length} patient${patients.length === 1 ? '' : 's'} will be given their patient’s clinics.`,
        'Each patient’s records are read again and corrected under If-Match, one patient at a time (Cancel stops between patients); a record changed meanwhile is checked again, never overwritten.',
      ],
      changes: changes.slice(0, PREVIEW_LISTED),
      changeCount: changes.length,
    },
    async apply(ctx, job) {
      let done = 0;
      let records = 0;
      for (const patient of patients) {
        if (job.signal.aborted) break;
        records += (await repairPatientRecords(ctx, patient.slice('Patient/'.length))).updated;
        job.report({ done: ++done, total: patients.length, message: `${done} of ${patients.length} patients checked` });
      }
      const inLine = `${count(records, 'record')} of ${count(done, 'patient')} brought in line`;
      return job.signal.aborted ? stoppedSentence(inLine, patients.length - done, 'patient') : `${inLine}.`;
    },
  };
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** A cancelled repair says it was stopped, what it did, and what it did not reach. */
function stoppedSentence(did: string, left: number, noun: string): string {
  return `Stopped: ${did}; ${count(left, noun)} ${left === 1 ? 'was' : 'were'} not reached and ${left === 1 ? 'is' : 'are'} left.`;
}

function describeAccounts(labels: Labels, accounts: readonly { reference?: string }[]): string {
  return accounts.length ? accounts.map((a) => labels.ref(a.reference ?? '').label).join(', ') : 'none';
}
