import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { openConfirm } from '../components/confirm';
import type { PatientRow } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useChange } from '../api/use-change';
import { ErrorNotice } from '../components/ErrorNotice';
import { possessive } from './sentences';

/** Whether the patient consented; withdrawing asks first, since under gating it hides the records. */
export function ConsentSection({ patient, canEdit, onChanged }: { patient: PatientRow; canEdit: boolean; onChanged: (patient: PatientRow) => void }) {
  const api = useApi();
  const change = useChange<PatientRow>();

  const record = async (granted: boolean) => {
    const updated = await change.run(
      () => api.setPatientConsent({ patientId: patient.id, granted }),
      granted ? 'Consent recorded' : 'Consent withdrawn',
    );
    if (updated) onChanged(updated);
  };

  const askToWithdraw = () =>
    openConfirm({
      title: `Withdraw ${possessive(patient.name)} consent?`,
      children: (
        <Text size="sm">
          Under consent-gated access, no clinician will see {possessive(patient.name)} records any more, even in their
          clinics, until consent is recorded again.
        </Text>
      ),
      labels: { confirm: 'Withdraw consent', cancel: 'Keep consent' },
      confirmProps: { color: 'red' },
      onConfirm: () => void record(false),
    });

  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm" data-testid="consent-section">
        <Title order={4}>Consent</Title>
        {patient.consented === null ? (
          <>
            <Alert color="gray" variant="light">
              <Text size="sm">
                Consent gating is not in use, so consent does not change who sees this patient's records. To gate
                access on consent, choose "Clinic access with consent" in Access audit. You can still record the
                patient's consent now.
              </Text>
            </Alert>
            {canEdit && (
              <Group>
                <Button variant="default" loading={change.running} onClick={() => void record(true)}>
                  Record consent
                </Button>
              </Group>
            )}
          </>
        ) : (
          <Group justify="space-between">
            <Group gap="sm">
              <Badge color={patient.consented ? 'teal' : 'orange'} variant="light" size="lg" tt="none">
                {patient.consented ? 'Granted' : 'Not granted'}
              </Badge>
              <Text size="sm" c="dimmed">
                {patient.consented
                  ? 'Under consent-gated access, clinicians of their clinics can see the records.'
                  : 'Under consent-gated access, no clinician can see the records.'}
              </Text>
            </Group>
            {canEdit &&
              (patient.consented ? (
                <Button variant="default" color="red" loading={change.running} onClick={askToWithdraw}>
                  Withdraw consent
                </Button>
              ) : (
                <Button variant="default" loading={change.running} onClick={() => void record(true)}>
                  Grant consent
                </Button>
              ))}
          </Group>
        )}
        {change.error && <ErrorNotice error={change.error} title="Consent was not changed" />}
      </Stack>
    </Paper>
  );
}
