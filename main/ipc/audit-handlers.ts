/** Access audit (issue 12): runs, effective access, view as clinician, repairs (as jobs) and export. */
import { randomUUID } from 'node:crypto';
import type { AuditFinding, AuditReport } from '../../preload/api/schemas/audit';
import { AuditReader } from '../audit/audit-reader';
import { clinicAccess, clinicianAccess, patientAccess } from '../audit/effective-access';
import { auditCsv, auditHtml } from '../audit/export-report';
import { countBySeverity, sortFindings } from '../audit/finding';
import { type PlannedRepair, planRepair } from '../audit/repairs';
import type { AuditRun } from '../audit/run-audit';
import { type AuditOutcome, auditJob, describeAudit, describeAuditFailure } from '../audit/audit-job';
import { viewAsClinician } from '../audit/view-as-clinician';
import type { SessionEngine } from '../enrollment/session-engine';
import { AppError } from '../errors/app-error';
import type { JobRegistry } from '../jobs/job-registry';
import type { HandlerMap } from './dispatcher';

type AuditChannel =
  | 'runAudit'
  | 'getAuditReport'
  | 'getClinicianAccess'
  | 'getPatientAccess'
  | 'getClinicAccess'
  | 'viewAsClinician'
  | 'previewRepair'
  | 'applyRepair'
  | 'exportAudit';

/** Previews are kept this long; applying an older one asks for a new preview. */
const PREVIEW_LIFETIME_MS = 15 * 60_000;

export function createAuditHandlers(engine: SessionEngine, jobs: JobRegistry): Pick<HandlerMap, AuditChannel> {
  // The latest run per connection and project, and the previews made from it.
  const runs = new Map<string, AuditRun>();
  const auditJobs = new Map<string, string>();
  const previews = new Map<string, { key: string; planned: PlannedRepair; at: number }>();
  const keyOf = () => {
    const s = engine.session();
    return `${s.connectionId}|${s.projectId}`;
  };
  const requireAdmin = (what: string) => {
    const s = engine.session();
    if (!s.isProjectAdmin) throw new AppError('forbidden', `The access audit reads every membership and policy, so ${what} needs a project administrator. Sign in with one.`);
  };
  const reader = async () => {
    const ctx = await engine.read();
    return { ctx, reader: new AuditReader(ctx.client, ctx.pageSize, ctx.sessionEnded) };
  };
  /** Findings of a "view as clinician" join the latest report, replacing older ones of the same id. */
  const addToReport = (extra: readonly AuditFinding[]) => {
    const run = runs.get(keyOf());
    if (!run || !extra.length) return;
    const ids = new Set(extra.map((f) => f.id));
    const findings = sortFindings([...run.report.findings.filter((f) => !ids.has(f.id)), ...extra]);
    runs.set(keyOf(), { ...run, report: { ...run.report, findings, counts: countBySeverity(findings) } });
  };
  const latest = (): AuditReport => {
    const run = runs.get(keyOf());
    if (!run) throw new AppError('not_found', 'Run the access audit first.');
    return run.report;
  };

  return {
    runAudit: async () => {
      requireAdmin('running it');
      const key = keyOf();
      // A second "Run audit" while one runs follows the running one.
      const running = auditJobs.get(key);
      if (running) return { jobId: running };
      // The audit reads the policies anyway: what the session cached may be gone or replaced.
      engine.policyChanged();
      const ctx = await engine.read();
      const session = engine.session();
      const { jobId, result } = jobs.start<AuditOutcome>('access-audit', (job) => auditJob(ctx, job, session, (run) => runs.set(key, run)), {
        describe: describeAudit,
        describeFailure: describeAuditFailure,
        ...(ctx.sessionEnded ? { cancelWhen: ctx.sessionEnded } : {}),
      });
      auditJobs.set(key, jobId);
      void result.catch(() => undefined).finally(() => auditJobs.delete(key));
      return { jobId };
    },
    getAuditReport: () => runs.get(keyOf())?.report ?? null,
    getClinicianAccess: async ({ practitionerId }) => {
      requireAdmin('showing a clinician’s access');
      const { ctx, reader: r } = await reader();
      return clinicianAccess(r, practitionerId, ctx.isolation ?? 'shared');
    },
    getPatientAccess: async ({ patientId }) => {
      requireAdmin('showing who can see a patient');
      return patientAccess((await reader()).reader, patientId);
    },
    getClinicAccess: async ({ clinicId }) => {
      requireAdmin('showing a clinic’s access');
      return clinicAccess((await reader()).reader, clinicId);
    },
    viewAsClinician: async ({ practitionerId }) => {
      requireAdmin('viewing as a clinician');
      const view = await viewAsClinician((await reader()).reader, practitionerId);
      addToReport(view.findings);
      return view;
    },
    previewRepair: async ({ findingId }) => {
      requireAdmin('repairing');
      const run = runs.get(keyOf());
      if (!run) throw new AppError('not_found', 'Run the access audit first.');
      const ctx = await engine.read();
      const mso = ctx.msoPolicy.reference === 'AccessPolicy/not-installed' ? undefined : ctx.msoPolicy.reference;
      const planned = planRepair(run, findingId, mso);
      const previewId = randomUUID();
      const now = Date.now();
      for (const [id, p] of previews) if (now - p.at > PREVIEW_LIFETIME_MS) previews.delete(id);
      previews.set(previewId, { key: keyOf(), planned, at: now });
      return { previewId, ...planned.preview };
    },
    applyRepair: async ({ previewId }) => {
      const held = previews.get(previewId);
      if (!held || held.key !== keyOf() || Date.now() - held.at > PREVIEW_LIFETIME_MS) {
        throw new AppError('not_found', 'This preview is no longer current. Review the fix again.');
      }
      previews.delete(previewId);
      // Installing the policy needs no installed policy; every other repair needs it (engine.write checks).
      const ctx = held.planned.preview.findingId.startsWith('policy-not-installed') ? await engine.read() : await engine.write();
      const { jobId } = jobs.start('audit-repair', (job) => held.planned.apply(ctx, job).finally(() => engine.policyChanged()), {
        describe: (sentence) => `${sentence} Run the audit again to check.`,
        ...(ctx.sessionEnded ? { cancelWhen: ctx.sessionEnded } : {}),
      });
      return { jobId };
    },
    exportAudit: ({ format }) => (format === 'csv' ? auditCsv(latest()) : auditHtml(latest())),
  };
}
