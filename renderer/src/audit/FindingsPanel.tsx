import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import type { IpcError } from '../../../preload/api/contract';
import type { AuditFinding, AuditReport } from '../../../preload/api/schemas/audit';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { ErrorNotice } from '../components/ErrorNotice';
import { LoadError } from '../components/LoadError';
import { TableSkeleton } from '../components/TableSkeleton';
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
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [reviewing, setReviewing] = useState<AuditFinding | null>(null);
  useEffect(() => {
    if (latest.data) setReport((current) => current ?? latest.data);
  }, [latest.data]);

  const run = useCallback(async (): Promise<AuditReport | null> => {
    setRunning(true);
    setError(null);
    try {
      const result = await api.runAudit();
      if (!result.ok) {
        setError(result.error);
        return null;
      }
      setReport(result.value);
      return result.value;
    } finally {
      setRunning(false);
    }
  }, [api]);

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
      {error && <ErrorNotice error={error} title="The audit did not finish" />}
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
