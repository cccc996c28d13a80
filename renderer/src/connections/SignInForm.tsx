import { Alert, Button, Group, PasswordInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { Connection, Credentials, MembershipChoice, SessionInfo } from '../../../preload/api/schemas/connection';
import { useApi } from '../api/api-context';

interface Choice {
  pendingId: string;
  memberships: MembershipChoice[];
}

/** Signs in to one connection by its method; secrets typed here go to main and no further. */
export function SignInForm({
  connection,
  onSignedIn,
  onCancel,
}: {
  connection: Connection;
  onSignedIn: (session: SessionInfo) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const [error, setError] = useState<{ message: string; details?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [membershipId, setMembershipId] = useState<string>('');
  const method = connection.signIn.method;
  const form = useForm({
    mode: 'controlled',
    validateInputOnBlur: true,
    initialValues: { email: connection.signIn.method === 'password' ? (connection.signIn.email ?? '') : '', password: '', clientSecret: '' },
    validate: {
      email: (value) => (method === 'password' && !/^\S+@\S+\.\S+$/.test(value.trim()) ? 'Enter the email you sign in with' : null),
      password: (value) => (method === 'password' && !value ? 'Enter your password' : null),
      clientSecret: (value) => (method === 'client-credentials' && !value ? 'Enter the client secret' : null),
    },
  });

  const run = async (credentials: Credentials) => {
    setBusy(true);
    setError(null);
    const result = await api.signIn({ connectionId: connection.id, credentials });
    setBusy(false);
    // The typed secret is not kept in the form once it has been sent.
    form.setFieldValue('password', '');
    form.setFieldValue('clientSecret', '');
    if (!result.ok) {
      setError({ message: result.error.message, ...(result.error.details ? { details: result.error.details } : {}) });
      return;
    }
    if (result.value.status === 'signed-in') onSignedIn(result.value.session);
    else {
      setChoice({ pendingId: result.value.pendingId, memberships: result.value.memberships });
      setMembershipId(result.value.memberships[0]?.id ?? '');
    }
  };

  const submit = form.onSubmit((values) => {
    if (method === 'password') void run({ method, email: values.email.trim(), password: values.password });
    else if (method === 'client-credentials') void run({ method, clientSecret: values.clientSecret });
    else void run({ method });
  });

  const choose = async () => {
    if (!choice) return;
    setBusy(true);
    setError(null);
    const result = await api.chooseMembership({ pendingId: choice.pendingId, membershipId });
    setBusy(false);
    if (result.ok) onSignedIn(result.value);
    else setError({ message: result.error.message });
  };

  const errorAlert = error && (
    <Alert color="red" title="Not signed in" role="alert">
      <Text size="sm">{error.message}</Text>
      {error.details && (
        <details>
          <summary>Details</summary>
          <Text size="xs" ff="monospace">
            {error.details}
          </Text>
        </details>
      )}
    </Alert>
  );

  if (choice) {
    return (
      <Stack gap="sm">
        <Text size="sm">This account belongs to more than one project or clinic. Choose where to sign in.</Text>
        <Radio.Group value={membershipId} onChange={setMembershipId} aria-label="Membership">
          <Stack gap="xs">
            {choice.memberships.map((membership) => (
              <Radio key={membership.id} value={membership.id} label={`${membership.projectName} — ${membership.profileName}`} />
            ))}
          </Stack>
        </Radio.Group>
        {errorAlert}
        <Group justify="flex-end" className="dialog-actions">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button onClick={choose} loading={busy} disabled={!membershipId}>
            Continue
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {connection.name} · {method === 'local-sandbox' ? 'demo data on this computer' : connection.baseUrl}
        </Text>
        {method === 'password' && (
          <>
            <TextInput label="Email" autoComplete="username" withAsterisk {...form.getInputProps('email')} />
            <PasswordInput label="Password" autoComplete="current-password" withAsterisk {...form.getInputProps('password')} />
          </>
        )}
        {method === 'client-credentials' && (
          <PasswordInput
            label="Client secret"
            description="Kept in this computer's keychain so the console can sign in again by itself"
            withAsterisk
            {...form.getInputProps('clientSecret')}
          />
        )}
        {method === 'authorization-code' && (
          <Text size="sm">Your browser opens the Medplum sign-in page. Come back here when it says you are signed in.</Text>
        )}
        {method === 'local-sandbox' && (
          <Text size="sm">
            Starts a Medplum-compatible server on this computer with three demo clinics, and signs you in as its
            administrator. It is for trying the console and rehearsing imports, not for real patients.
          </Text>
        )}
        {errorAlert}
        <Group justify="flex-end" className="dialog-actions">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            {method === 'authorization-code' ? 'Open browser to sign in' : method === 'local-sandbox' ? 'Open the sandbox' : 'Sign in'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
