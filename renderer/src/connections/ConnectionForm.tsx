import { Button, Group, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { Connection, ConnectionInput, SignInMethod } from '../../../preload/api/schemas/connection';
import { connectionInputSchema } from '../../../preload/api/schemas/connection';
import { useApi } from '../api/api-context';
import { isolationModeLabels, signInMethodLabels } from './sign-in-methods';

interface FormValues {
  name: string;
  baseUrl: string;
  projectId: string;
  method: Exclude<SignInMethod['method'], 'local-sandbox'>;
  clientId: string;
  email: string;
  mrnSystem: string;
  isolationMode: Connection['isolationMode'];
  consentReference: string;
}

function toInput(values: FormValues, id: string | undefined): ConnectionInput {
  const signIn: SignInMethod =
    values.method === 'client-credentials'
      ? { method: 'client-credentials', clientId: values.clientId.trim() }
      : values.method === 'authorization-code'
        ? { method: 'authorization-code', clientId: values.clientId.trim() }
        : { method: 'password', ...(values.email.trim() ? { email: values.email.trim() } : {}) };
  return {
    ...(id ? { id } : {}),
    name: values.name,
    baseUrl: values.baseUrl,
    ...(values.projectId.trim() ? { projectId: values.projectId.trim() } : {}),
    signIn,
    mrnSystem: values.mrnSystem,
    isolationMode: values.isolationMode,
    ...(values.consentReference.trim() ? { consentReference: values.consentReference.trim() } : {}),
  };
}

/** Field errors come from the same zod schema main checks, so the two never disagree. */
function validate(values: FormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if ((values.method === 'client-credentials' || values.method === 'authorization-code') && !values.clientId.trim()) {
    errors.clientId = 'Client ID is required for this sign-in method';
  }
  const parsed = connectionInputSchema.safeParse(toInput(values, undefined));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first, second] = issue.path;
      const field = first === 'signIn' ? (second === 'email' ? 'email' : 'clientId') : String(first);
      errors[field] ??= issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
    }
  }
  return errors;
}

export function ConnectionForm({
  connection,
  onSaved,
  onCancel,
}: {
  connection?: Connection;
  onSaved: (connection: Connection) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [testResult, setTestResult] = useState<{ reachable: boolean; message: string } | null>(null);
  const signIn = connection?.signIn;
  const form = useForm<FormValues>({
    mode: 'controlled',
    validateInputOnChange: true,
    initialValues: {
      name: connection?.name ?? '',
      baseUrl: connection?.baseUrl ?? 'https://api.medplum.com/',
      projectId: connection?.projectId ?? '',
      method: signIn && signIn.method !== 'local-sandbox' ? signIn.method : 'password',
      clientId: signIn && 'clientId' in signIn ? (signIn.clientId ?? '') : '',
      email: signIn?.method === 'password' ? (signIn.email ?? '') : '',
      mrnSystem: connection?.mrnSystem ?? '',
      isolationMode: connection?.isolationMode ?? 'shared-membership',
      consentReference: connection?.consentReference ?? '',
    },
    validate,
  });

  const submit = form.onSubmit(async (values) => {
    setSaving(true);
    setServerError(null);
    const result = await api.saveConnection({ connection: toInput(values, connection?.id) });
    setSaving(false);
    if (result.ok) onSaved(result.value);
    else setServerError(result.error.message);
  });

  const testConnection = async () => {
    setTestResult(null);
    const result = await api.testConnection({ baseUrl: form.getValues().baseUrl });
    setTestResult(result.ok ? result.value : { reachable: false, message: result.error.message });
  };

  const method = form.getValues().method;
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label="Name" placeholder="Production" withAsterisk {...form.getInputProps('name')} />
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label="Medplum server"
            description="The API address, e.g. https://api.medplum.com/"
            withAsterisk
            style={{ flex: 1 }}
            {...form.getInputProps('baseUrl')}
          />
          <Button variant="default" onClick={testConnection}>
            Test connection
          </Button>
        </Group>
        {testResult && (
          <Text size="sm" c={testResult.reachable ? 'teal' : 'red'} data-testid="connection-test-result">
            {testResult.message}
          </Text>
        )}
        <TextInput
          label="Project ID"
          description="Needed for administrators invited to one project only"
          {...form.getInputProps('projectId')}
        />
        <Select
          label="Sign-in method"
          withAsterisk
          allowDeselect={false}
          data={(['password', 'client-credentials', 'authorization-code'] as const).map((value) => ({
            value,
            label: signInMethodLabels[value],
          }))}
          {...form.getInputProps('method')}
        />
        {method === 'password' && <TextInput label="Email" description="Filled in at sign-in" {...form.getInputProps('email')} />}
        {method !== 'password' && (
          <TextInput label="Client ID" withAsterisk description="The id of the Medplum ClientApplication" {...form.getInputProps('clientId')} />
        )}
        <TextInput
          label="MRN identifier system"
          description="The system of your patients' medical record numbers, used by roster imports"
          placeholder="https://your-mso.example/mrn"
          withAsterisk
          {...form.getInputProps('mrnSystem')}
        />
        <Radio.Group label="Tenant isolation" withAsterisk {...form.getInputProps('isolationMode')}>
          <Stack gap={6} mt={6}>
            <Radio value="shared-membership" label={isolationModeLabels['shared-membership']} />
            <Radio value="membership-per-clinic" label={isolationModeLabels['membership-per-clinic']} />
          </Stack>
        </Radio.Group>
        <TextInput
          label="Universal consent"
          description="For consent-gated access: the Consent resource, as Consent/<id>"
          placeholder="Consent/…"
          {...form.getInputProps('consentReference')}
        />
        {serverError && (
          <Text c="red" size="sm" role="alert">
            {serverError}
          </Text>
        )}
        <Group justify="flex-end" className="dialog-actions" mt="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            Save connection
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
