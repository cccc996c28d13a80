import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { ClinicView } from '../../../preload/api/schemas/enrollment';
import { createClinicRequest } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useChange } from '../api/use-change';
import { ErrorNotice } from '../components/ErrorNotice';
import { serverErrorProps, zodFieldErrors } from '../forms/zod-field-errors';
import { useClearRefusalOnChange } from '../forms/use-field-refusal';

export function NewClinicForm({ onCreated, onCancel }: { onCreated: (clinic: ClinicView) => void; onCancel: () => void }) {
  const api = useApi();
  const change = useChange<ClinicView>();
  const form = useForm({
    mode: 'controlled',
    validateInputOnChange: true,
    initialValues: { name: '', identifierSystem: '', identifierValue: '' },
    validate: (values) => {
      const errors = zodFieldErrors(createClinicRequest, toRequest(values), { 'identifier.system': 'identifierSystem', 'identifier.value': 'identifierValue' });
      if (values.identifierValue.trim() && !values.identifierSystem.trim()) errors.identifierSystem = 'Give the system of this identifier';
      return errors;
    },
  });

  const submit = form.onSubmit(async (values) => {
    const clinic = await change.run(() => api.createClinic(toRequest(values)), 'Clinic created');
    if (clinic) onCreated(clinic);
  });
  useClearRefusalOnChange(change.error, change.clearError, form.getValues());
  const { serverField, fieldProps } = serverErrorProps((field: 'name') => form.getInputProps(field), change.error, ['name']);

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label="Name" withAsterisk data-autofocus {...fieldProps('name')} />
        <Text size="sm" fw={500}>
          Identifier <Text span c="dimmed" size="xs">(optional, e.g. the clinic's NPI or an internal code)</Text>
        </Text>
        <Group grow align="flex-start">
          <TextInput label="System" placeholder="http://hl7.org/fhir/sid/us-npi" {...form.getInputProps('identifierSystem')} />
          <TextInput label="Value" {...form.getInputProps('identifierValue')} />
        </Group>
        <Text size="sm" c="dimmed">
          A new clinic has no clinicians and no patients: nobody gains access until you enroll people in it.
        </Text>
        {change.error && !serverField && <ErrorNotice error={change.error} title="The clinic was not created" />}
        <Group justify="flex-end" className="dialog-actions">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={change.running}>
            Create clinic
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function toRequest(values: { name: string; identifierSystem: string; identifierValue: string }) {
  const system = values.identifierSystem.trim();
  const value = values.identifierValue.trim();
  return { name: values.name, ...(system || value ? { identifier: { system, value } } : {}) };
}
