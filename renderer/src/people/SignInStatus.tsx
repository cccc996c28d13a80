import { Alert, Badge, Group, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ClinicianDetail } from '../../../preload/api/schemas/enrollment';

/** Whether the clinician can sign in, and a warning when a sign-in lacks the MSO base policy. */
export function SignInStatus({ signIn }: { signIn: ClinicianDetail['signIn'] }) {
  const color = signIn.active ? 'teal' : signIn.hasSignIn ? 'orange' : 'gray';
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
