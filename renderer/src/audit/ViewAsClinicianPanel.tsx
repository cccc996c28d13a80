import { Alert, Badge, Group, Pagination, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconHelpCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { MembershipView, RecordRef, ViewAsClinicianView } from '../../../preload/api/schemas/audit';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { useRouteState } from '../api/use-route-state';
import { LoadError } from '../components/LoadError';
import { TableSkeleton } from '../components/TableSkeleton';
import { EmptyState } from '../people/EmptyState';
import { formatCount } from '../people/sentences';
import { ClinicianPicker } from './ClinicianPicker';
import { FindingCard } from './FindingCard';
import { RecordLink } from './record-link';

/**
 * "View as clinician": the patient list a chosen clinician would get, computed from their
 * memberships, the policy and the patients' accounts, then checked against the server's own
 * answer for that membership. Any difference is a critical finding.
 */
export function ViewAsClinicianPanel() {
  const [clinician, setClinician] = useRouteState('clinician', '');
  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md">
        <Stack gap="xs">
          <Text size="sm">
            Choose a clinician to see the patients they would get. The console works the list out from their memberships, the
            installed policy and each patient&apos;s clinics, then asks the server for that clinician&apos;s own answer (without
            their password) and compares the two.
          </Text>
          <ClinicianPicker value={clinician || null} onChange={(id) => setClinician(id ?? '')} />
        </Stack>
      </Paper>
      {clinician ? <ViewAs key={clinician} practitionerId={clinician} /> : <EmptyState message="Choose a clinician above to see the patient list they would get." />}
    </Stack>
  );
}

function ViewAs({ practitionerId }: { practitionerId: string }) {
  const api = useApi();
  const view = useApiQuery(() => api.viewAsClinician({ practitionerId }), [api, practitionerId]);
  if (!view.data) return view.error ? <LoadError query={view} title="Could not work out this clinician's patients" /> : <TableSkeleton rows={6} />;
  const result = view.data;
  return (
    <Stack gap="md" style={{ opacity: view.stale ? 0.55 : 1 }} data-testid="view-as-result">
      <LoadError query={view} title="Could not work out this clinician's patients again" />
      <Title order={3} size="h4">
        What <RecordLink record={result.practitioner} /> would see
      </Title>
      {result.memberships.length === 0 && (
        <EmptyState message={`${result.practitioner.label} has no sign-in to this project, so they see no patient.`} />
      )}
      {result.findings.map((finding) => (
        <FindingCard key={finding.id} finding={finding} canRepair={false} onReviewFix={() => undefined} />
      ))}
      {result.memberships.map((membership) => (
        <MembershipResult key={membership.membershipId} membership={membership} result={result} />
      ))}
    </Stack>
  );
}

function VerificationState({ membership }: { membership: MembershipView }) {
  const { observed } = membership;
  if (observed.status === 'unverified') {
    return (
      <Alert color="orange" variant="light" icon={<IconHelpCircle size={20} />} title="Could not verify with the server" data-testid="verification" data-state="unverified">
        <Text size="sm">{observed.reason}</Text>
        <Text size="sm" mt={4}>
          The list below is the console&apos;s own computation only.
        </Text>
      </Alert>
    );
  }
  const differs = membership.difference && (membership.difference.onlyComputed.length > 0 || membership.difference.onlyObserved.length > 0);
  if (differs) {
    return (
      <Alert color="red" icon={<IconAlertTriangle size={20} />} title="Critical: the server's answer differs" data-testid="verification" data-state="differs">
        <Text size="sm">
          The server shows {formatCount(observed.count)} {observed.count === 1 ? 'patient' : 'patients'} to this clinician; the console
          expected {formatCount(membership.computed.count)}. The rows marked below are where they disagree.
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="teal" variant="light" icon={<IconCircleCheck size={20} />} title="Verified by the server" data-testid="verification" data-state="verified">
      <Text size="sm">The server, asked on this clinician&apos;s behalf, returns exactly these {formatCount(observed.count)} patients.</Text>
    </Alert>
  );
}

const PAGE = 25;

function MembershipResult({ membership, result }: { membership: MembershipView; result: ViewAsClinicianView }) {
  const [page, setPage] = useState(1);
  const onlyObserved = membership.difference?.onlyObserved ?? [];
  const onlyComputed = new Set((membership.difference?.onlyComputed ?? []).map((patient) => patient.reference));
  // Patients the server shows but the console did not expect come first: they are the exposure.
  const rows: { patient: RecordRef; mark: 'unexpected' | 'missing' | null }[] = [
    ...onlyObserved.map((patient) => ({ patient, mark: 'unexpected' as const })),
    ...membership.computed.patients.map((patient) => ({ patient, mark: onlyComputed.has(patient.reference) ? ('missing' as const) : null })),
  ];
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const visible = rows.slice((page - 1) * PAGE, page * PAGE);
  const listedFewer = membership.computed.count > membership.computed.patients.length;
  return (
    <Paper withBorder radius="md" p="md" data-testid="view-as-membership">
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>{membership.label ? `Membership “${membership.label}”` : 'Their sign-in'}</Text>
          <Text size="sm" data-testid="computed-count">
            {membership.computed.count === 1 ? '1 patient' : `${formatCount(membership.computed.count)} patients`}
          </Text>
        </Group>
        <VerificationState membership={membership} />
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="no-patients">
            No patient: this membership reaches no clinic with patients.
          </Text>
        ) : (
          <>
            <Table fz="sm" verticalSpacing={4} striped data-testid="view-as-patients">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Patient</Table.Th>
                  <Table.Th>Server and console</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {visible.map(({ patient, mark }) => (
                  <Table.Tr key={`${mark}-${patient.reference}`} data-mark={mark ?? undefined}>
                    <Table.Td>
                      <RecordLink record={patient} />
                    </Table.Td>
                    <Table.Td>
                      {mark === 'unexpected' ? (
                        <Badge color="red" variant="filled" tt="none">
                          Critical: shown by the server, not in the console&apos;s computation
                        </Badge>
                      ) : mark === 'missing' ? (
                        <Badge color="red" variant="light" tt="none">
                          Critical: in the console&apos;s computation, not shown by the server
                        </Badge>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {membership.observed.status === 'verified' ? 'Agree' : 'Computed'}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {listedFewer
                  ? `The first ${formatCount(membership.computed.patients.length)} of ${formatCount(membership.computed.count)} patients are listed (at most ${formatCount(result.listLimit)}).`
                  : `${formatCount((page - 1) * PAGE + 1)}–${formatCount((page - 1) * PAGE + visible.length)} of ${formatCount(rows.length)}`}
              </Text>
              {pages > 1 && <Pagination size="sm" total={pages} value={page} onChange={setPage} />}
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}
