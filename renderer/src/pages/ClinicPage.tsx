import { Anchor, Breadcrumbs, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { ClinicView } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { ClinicAccessTab } from '../access/ClinicAccessTab';
import { ClinicCliniciansTab } from '../clinics/ClinicCliniciansTab';
import { ClinicHeader } from '../clinics/ClinicHeader';
import { ClinicPatientsTab } from '../clinics/ClinicPatientsTab';
import { LoadError } from '../components/LoadError';
import { AdminRequiredNotice, RequireSession } from '../components/RequireSession';
import { AccessHistory } from '../history/AccessHistory';

export function ClinicPage() {
  const { clinicId = '' } = useParams();
  return (
    <Stack gap="md" maw={1200}>
      <RequireSession what="this clinic">
        {(session) => <ClinicDetail clinicId={clinicId} canChange={session.isProjectAdmin} notice={<AdminRequiredNotice session={session} />} />}
      </RequireSession>
    </Stack>
  );
}

function ClinicDetail({ clinicId, canChange, notice }: { clinicId: string; canChange: boolean; notice: ReactNode }) {
  const api = useApi();
  const loaded = useApiQuery(() => api.getClinic({ clinicId }), [api, clinicId]);
  // The patient count, for "will be able to see the 1,240 patients of …": one request, no rows.
  const patientTotal = useApiQuery(() => api.listClinicPatients({ clinicId, offset: 0, count: 1 }), [api, clinicId]);
  const [clinic, setClinic] = useState<ClinicView | null>(null);
  // The tab lives in the route (with the tab's own search and page), so Back returns to it.
  const [params, setParams] = useSearchParams();
  useEffect(() => setClinic(loaded.data), [loaded.data]);

  if (loaded.error && !clinic) return <LoadError query={loaded} title="Could not open this clinic" />;
  if (!clinic) return <Skeleton h={60} />;
  const patientCount = patientTotal.data?.total ?? null;
  const tab = params.get('tab') === 'clinicians' || params.get('tab') === 'history' || params.get('tab') === 'access' ? (params.get('tab') as string) : 'patients';
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/clinics" size="sm">
          Clinics
        </Anchor>
        <Text size="sm" lineClamp={1} maw={480} title={clinic.name}>
          {clinic.name}
        </Text>
      </Breadcrumbs>
      {notice}
      <LoadError query={loaded} title="Could not read this clinic again" />
      <ClinicHeader clinic={clinic} canChange={canChange} onChanged={setClinic} />
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'patients' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="patients">Patients{patientCount !== null ? ` (${new Intl.NumberFormat().format(patientCount)})` : ''}</Tabs.Tab>
          <Tabs.Tab value="clinicians">Clinicians</Tabs.Tab>
          {canChange && <Tabs.Tab value="access">Who can see what</Tabs.Tab>}
          <Tabs.Tab value="history">Access history</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="patients" pt="md">
          <ClinicPatientsTab clinic={clinic} canChange={canChange} onChanged={patientTotal.reload} />
        </Tabs.Panel>
        <Tabs.Panel value="clinicians" pt="md">
          <ClinicCliniciansTab clinic={clinic} patientCount={patientCount} canChange={canChange} onChanged={() => undefined} />
        </Tabs.Panel>
        <Tabs.Panel value="access" pt="md">
          {canChange && <ClinicAccessTab clinicId={clinic.id} />}
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <AccessHistory
            record={`Organization/${clinic.id}`}
            canUndo={canChange}
            changed={clinic}
            emptyText={`No change of ${clinic.name} or of who belongs to it is recorded yet.`}
            onUndone={() => {
              loaded.reload();
              patientTotal.reload();
            }}
          />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
