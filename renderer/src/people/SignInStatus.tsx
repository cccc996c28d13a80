import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ClinicianDetail } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useChange } from '../api/use-change';
import { ErrorNotice } from '../components/ErrorNotice';

/** Whether the clinician can sign in, and a warning when a sign-in lacks the MSO base policy. */
export function SignInStatus({ signIn }: { signIn: ClinicianDetail['signIn'] }) {
  const color = signIn.state === 'not-sent' ? 'orange' : signIn.active ? 'teal' : signIn.hasSignIn ? 'orange' : 'gray';
  return (
    <Group gap="xs" data-testid="sign-in-status">
      <Badge color={color} variant="light" tt="none">
        {signIn.label}
      </Badge>
      {signIn.hasSignIn && (
        <Text size="sm" c="dimmed">
          {signIn.memberships} {signIn.memberships === 1 ? 'membership' : 'memberships'}
        </Text>
      )}
    </Group>
  );
}

export function MissingBasePolicyWarning({ signIn }: { signIn: ClinicianDetail['signIn'] }) {
  if (!signIn.missingBasePolicy) return null;
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} title="A sign-in is missing the MSO base policy">
      <Text size="sm">One of this clinician's sign-ins lacks the MSO base policy; the next change restores it.</Text>
    </Alert>
  );
}

/**
 * A clinician invited without the email: they have a sign-in but no password they know. Says so,
 * and sends Medplum's email to set one.
 */
export function InvitationNotSent({
  clinician,
  canSend,
  onSent,
}: {
  clinician: ClinicianDetail;
  canSend: boolean;
  onSent: (clinician: ClinicianDetail) => void;
}) {
  const api = useApi();
  const change = useChange<ClinicianDetail>();
  if (clinician.signIn.state !== 'not-sent') return null;
  const send = async () => {
    const updated = await change.run(() => api.sendClinicianInvitation({ practitionerId: clinician.practitionerId }), 'Invitation sent');
    if (updated) onSent(updated);
  };
  return (
    <Alert color="orange" title="Cannot sign in yet" data-testid="invitation-not-sent">
      <Stack gap="xs">
        <Text size="sm">
          {clinician.name} was invited without the invitation email, so they have no password yet and cannot sign in.
          {clinician.email ? ` Send the email to ${clinician.email} to let them set one.` : ''}
        </Text>
        {canSend && (
          <Group>
            <Button size="xs" variant="light" color="orange" loading={change.running} onClick={() => void send()}>
              Send invitation email
            </Button>
          </Group>
        )}
        {change.error && <ErrorNotice error={change.error} title="The email was not sent" />}
      </Stack>
    </Alert>
  );
}
