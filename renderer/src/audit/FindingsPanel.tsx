import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditFinding, AuditReport } from '../../../preload/api/schemas/audit';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { ErrorNotice } from '../components/ErrorNotice';
import { LoadError } from '../components/LoadError';
import { TableSkeleton } from '../components/TableSkeleton';
import { useRunningJobs } from '../jobs/JobsContext';
import { JobProgressPanel } from '../jobs/JobProgressPanel';
import { useJob } from '../jobs/use-job';
import { formatCount } from '../people/sentences';
import { AuditExportButtons } from './AuditExportButtons';
import { FindingCard } from './FindingCard';
import { ReviewFixDialog } from './ReviewFixDialog';
import { SEVERITIES, SEVERITY, countOf } from './severity';

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * "Run audit" and what it found, most severe first, each finding with its explanation, the people
 * and records concerned, and its fix. The latest report of this session shows until run again.
 */
export function FindingsPanel({ canRepair }: { canRepair: boolean }) {
  const api = useApi();
  const latest = useApiQuery(() => api.getAuditReport(), [api]);
  const [report, setReport] = useState<AuditReport | null>(null);
  const [reviewing, setReviewing] = useState<AuditFinding | null>(null);
  const job = useJob();
  const [starting, setStarting] = useState(false);
  const running = starting || job.progress?.state === 'running';
  // Callers of `run` (the fix dialog's recheck) wait for the job's end and get its report.
  const waiting = useRef<((report: AuditReport | null) => void)[]>([]);
  const settled = useRef<string | null>(null);
  const settle = (next: AuditReport | null) => {
    for (const resolve of waiting.current.splice(0)) resolve(next);
  };
  useEffect(() => {
    if (latest.data) setReport((current) => current ?? latest.data);
  }, [latest.data]);
  // An audit already running (started before this tab or window was opened) is followed, not restarted.
  const runningAudit = useRunningJobs().find((j) => j.kind === 'access-audit')?.jobId;
  const following = job.progress !== null || starting;
  useEffect(() => {
    if (runningAudit && !following) void job.start(async () => ({ ok: true, value: { jobId: runningAudit } }));
  }, [runningAudit, following, job.start]);
  useEffect(() => {
    const ended = job.progress;
    if (!ended || ended.state === 'running' || settled.current === ended.jobId) return;
    settled.current = ended.jobId;
    // Only a finished audit replaces the report; a stopped one leaves the previous on screen.
    if (ended.state !== 'succeeded') return settle(null);
    void api.getAuditReport().then((result) => {
      const next = result.ok ? result.value : null;
      if (next) setReport(next);
      settle(next);
    });
  }, [job.progress, api]);

  const run = useCallback(
    () =>
      new Promise<AuditReport | null>((resolve) => {
        waiting.current.push(resolve);
        setStarting(true);
        void job
          .start(async () => {
            const started = await api.runAudit();
            if (!started.ok) settle(null);
            return started;
          })
          .finally(() => setStarting(false));
      }),
    [api, job.start],
  );

  const shown = report;
  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md">
        <Stack gap={6}>
          <Group justify="space-between" align="center" gap="sm">
            <Text fw={600}>Findings</Text>
            <Group gap="xs">
              <AuditExportButtons disabled={!shown || running} />
              <Button leftSection={shown ? <IconRefresh size={16} /> : <IconPlayerPlay size={16} />} loading={running} disabled={!canRepair} onClick={() => void run()}>
                {shown ? 'Run audit again' : 'Run audit'}
              </Button>
            </Group>
          </Group>
          <Text size="sm" c="dimmed" data-testid="audit-summary">
            {shown
              ? `Audited ${time.format(new Date(shown.ranAt))}: ${formatCount(shown.scanned.clinics)} clinics, ${formatCount(shown.scanned.clinicians)} clinicians, ${formatCount(shown.scanned.patients)} patients and ${formatCount(shown.scanned.records)} records in ${formatCount(shown.requests)} requests (${(shown.durationMs / 1000).toFixed(1)} s).`
              : canRepair
                ? 'Reads every membership, clinic and patient of the project and checks who can see what. Nothing is changed.'
                : 'The audit reads every membership and policy of the project, which needs a project administrator.'}
          </Text>
        </Stack>
      </Paper>
      {job.error && <ErrorNotice error={job.error} title="The audit did not start" />}
      {job.progress && job.progress.state !== 'succeeded' && <JobProgressPanel progress={job.progress} onCancel={job.cancel} />}
      {!shown && latest.error && <LoadError query={latest} title="Could not read the latest audit" />}
      {running && !shown && <TableSkeleton rows={5} />}
      {shown && <Findings report={shown} stale={running} canRepair={canRepair} onReviewFix={setReviewing} />}
      {reviewing && <ReviewFixDialog finding={reviewing} onClose={() => setReviewing(null)} onApplied={run} />}
    </Stack>
  );
}

function Findings({ report, stale, canRepair, onReviewFix }: { report: AuditReport; stale: boolean; canRepair: boolean; onReviewFix: (finding: AuditFinding) => void }) {
  if (report.findings.length === 0) {
    return (
      <Alert color="teal" icon={<IconCircleCheck size={20} />} title="No findings" data-testid="no-findings">
        Every membership, clinic, patient and record matches the MSO access policy: each clinician sees exactly the patients of
        their clinics.
      </Alert>
    );
  }
  return (
    <Stack gap="lg" style={{ opacity: stale ? 0.55 : 1 }} aria-busy={stale}>
      <Group gap="xs" data-testid="finding-counts">
        {SEVERITIES.map((severity) => (
          <Badge key={severity} color={SEVERITY[severity].color} variant="light" size="lg" tt="none" fw={report.counts[severity] > 0 ? 700 : 500}>
            {countOf(report.counts[severity], severity)}
          </Badge>
        ))}
      </Group>
      {SEVERITIES.map((severity) => {
        const findings = report.findings.filter((finding) => finding.severity === severity);
        if (findings.length === 0) return null;
        return (
          <Stack key={severity} gap="sm" component="section" aria-label={SEVERITY[severity].plural} data-testid={`findings-${severity}`}>
            <div>
              <Title order={3} size="h4">
                {SEVERITY[severity].plural} ({findings.length})
              </Title>
              <Text size="sm" c="dimmed">
                {SEVERITY[severity].means}
              </Text>
            </div>
            {findings.map((finding) => (
              <FindingCard key={finding.id} finding={finding} canRepair={canRepair} onReviewFix={onReviewFix} />
            ))}
          </Stack>
        );
      })}
    </Stack>
  );
}
