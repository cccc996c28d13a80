import { Alert, Badge, Button, Group, Paper, SegmentedControl, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { openConfirm } from '../components/confirm';
import { useState } from 'react';
import type { PolicyStatus } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { useRouteState } from '../api/use-route-state';
import { FindingsPanel } from '../audit/FindingsPanel';
import { ViewAsClinicianPanel } from '../audit/ViewAsClinicianPanel';
import { useChange } from '../api/use-change';
import { ErrorNotice } from '../components/ErrorNotice';
import { LoadError } from '../components/LoadError';
import { AdminRequiredNotice, RequireSession } from '../components/RequireSession';
import { TableSkeleton } from '../components/TableSkeleton';

type Variant = 'standard' | 'consent-gated' | 'assigned-clinician';

const VARIANTS: Record<Variant, { label: string; explains: string }> = {
  standard: {
    label: 'Clinic access',
    explains: 'A clinician sees every patient (and their records) of the clinics they are enrolled in.',
  },
  'consent-gated': {
    label: 'Clinic access with consent',
    explains: "As clinic access, and only patients who have given the MSO's universal consent.",
  },
  'assigned-clinician': {
    label: 'Assigned clinicians only',
    explains: 'As clinic access, and only patients the clinician is assigned to.',
  },
};

export function AccessAuditPage() {
  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={2}>Access audit</Title>
        <Text c="dimmed" size="sm">
          Who can see which patients, what is unsafe, and the fixes. The MSO access policy decides what every enrolled clinician
          can see; the audit checks every membership, clinic and patient against it.
        </Text>
      </div>
      <RequireSession what="its access audit">
        {(session) => (
          <>
            <AdminRequiredNotice session={session} />
            <AuditTabs canChange={session.isProjectAdmin} />
          </>
        )}
      </RequireSession>
    </Stack>
  );
}

type AuditTab = 'findings' | 'view-as' | 'policy';
const TABS: readonly AuditTab[] = ['findings', 'view-as', 'policy'];

/** The tab lives in the route, so a link can open "view as" for one clinician and Back returns to it. */
function AuditTabs({ canChange }: { canChange: boolean }) {
  const [tabText, setTab] = useRouteState('tab', 'findings');
  const tab: AuditTab = TABS.includes(tabText as AuditTab) ? (tabText as AuditTab) : 'findings';
  return (
    <Tabs value={tab} onChange={(value) => setTab(value ?? 'findings')} keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="findings">Findings</Tabs.Tab>
        <Tabs.Tab value="view-as">View as clinician</Tabs.Tab>
        <Tabs.Tab value="policy">Access policy</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="findings" pt="md">
        <FindingsPanel canRepair={canChange} />
      </Tabs.Panel>
      <Tabs.Panel value="view-as" pt="md">
        <ViewAsClinicianPanel />
      </Tabs.Panel>
      <Tabs.Panel value="policy" pt="md">
        <PolicyPanel canChange={canChange} />
      </Tabs.Panel>
    </Tabs>
  );
}

function PolicyPanel({ canChange }: { canChange: boolean }) {
  const api = useApi();
  const status = useApiQuery(() => api.getPolicyStatus(), [api]);
  const change = useChange<PolicyStatus>();
  const [variant, setVariant] = useState<Variant | null>(null);
  if (!status.data) return status.error ? <LoadError query={status} title="Could not read the access policy" /> : <TableSkeleton rows={3} />;
  const current = status.data;
  const chosen: Variant = variant ?? current.variant ?? 'standard';
  const needsWrite = !current.installed || current.differences.length > 0 || chosen !== (current.variant ?? 'standard');

  const install = () =>
    openConfirm({
      title: current.installed ? 'Change the MSO access policy?' : 'Install the MSO access policy?',
      children: (
        <Stack gap="xs">
          <Text size="sm">{VARIANTS[chosen].explains}</Text>
          <Text size="sm">
            {current.installed
              ? 'The change applies at once to every clinician already enrolled, including those signed in now.'
              : 'Nobody gains access by installing it: clinicians see patients only once enrolled in a clinic.'}
          </Text>
        </Stack>
      ),
      labels: { confirm: current.installed ? 'Apply the change' : 'Install', cancel: 'Cancel' },
      onConfirm: async () => {
        const updated = await change.run(() => api.installPolicy({ variant: chosen }), current.installed ? 'Access policy updated' : 'Access policy installed');
        if (updated) {
          setVariant(null);
          status.reload();
        }
      },
    });

  return (
    <Stack gap="md">
      <LoadError query={status} title="Could not read the access policy again" />
      <Paper withBorder radius="md" p="md" style={{ opacity: status.stale ? 0.55 : 1 }}>
        <Stack gap="sm">
          <Group justify="space-between">
            <Group gap="sm">
              <Text fw={600}>{current.name}</Text>
              {!current.installed ? (
                <Badge color="red">Not installed</Badge>
              ) : current.differences.length > 0 ? (
                <Badge color="orange">Differs from expected</Badge>
              ) : (
                <Badge color="teal">Installed and as expected</Badge>
              )}
            </Group>
            {current.installed && current.variant && (
              <Text size="sm" c="dimmed">
                Now: {VARIANTS[current.variant].label}
              </Text>
            )}
          </Group>
          {!current.installed && (
            <Alert color="red" title="Critical: no MSO access policy">
              Clinicians cannot be enrolled until it is installed.
            </Alert>
          )}
          {current.differences.length > 0 && (
            <Table verticalSpacing={4} data-testid="policy-differences">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Where</Table.Th>
                  <Table.Th>Expected</Table.Th>
                  <Table.Th>Installed</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {current.differences.map((difference, index) => (
                  <Table.Tr key={index}>
                    <Table.Td>
                      <Text size="sm">
                        {difference.scope} ({difference.kind.replace('-', ' ')})
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {difference.expected || '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {difference.installed || '—'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <SegmentedControl
            value={chosen}
            onChange={(value) => setVariant(value as Variant)}
            data={(Object.keys(VARIANTS) as Variant[]).map((value) => ({ value, label: VARIANTS[value].label }))}
            disabled={!canChange}
          />
          <Text size="sm" c="dimmed">
            {VARIANTS[chosen].explains}
          </Text>
          {change.error && <ErrorNotice error={change.error} title="The policy was not changed" />}
          {canChange && (
            <Group justify="flex-end">
              <Button onClick={install} disabled={!needsWrite} loading={change.running}>
                {!current.installed ? 'Review and install' : needsWrite ? 'Review the change' : 'Nothing to change'}
              </Button>
            </Group>
          )}
        </Stack>
      </Paper>
      <Text size="sm" c="dimmed">
        Checks of every membership and patient (wider or narrower access than their clinics allow) are under Findings.
      </Text>
    </Stack>
  );
}
