import { Alert, Button, Checkbox, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { z } from 'zod';
import { type ClinicianDetail, createClinicianRequest } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useChange } from '../api/use-change';
import { ClinicMultiSelect } from '../components/ClinicMultiSelect';
import { ErrorNotice } from '../components/ErrorNotice';
import { serverErrorProps, zodFieldErrors } from '../forms/zod-field-errors';
import { useClearRefusalOnChange } from '../forms/use-field-refusal';
import { clinicWithPatientCount, listNames, personName } from './sentences';
import { useClinicSummaries } from './use-clinic-summaries';

interface FormValues {
  givenName: string;
  familyName: string;
  email: string;
  npi: string;
  clinicIds: string[];
  sendInvite: boolean;
}

function toRequest(values: FormValues): z.input<typeof createClinicianRequest> {
  return {
    givenName: values.givenName,
    familyName: values.familyName,
    email: values.email,
    // The NPI is optional: an empty box means none, not an invalid one.
    ...(values.npi.trim() ? { npi: values.npi } : {}),
    clinicIds: values.clinicIds,
    sendInvite: values.sendInvite,
  };
}

const serverFields = ['email', 'npi', 'givenName', 'familyName'] as const;

/** Invites one clinician and says beforehand whose records they will be able to see. */
export function InviteClinicianForm({ onInvited, onCancel }: { onInvited: (clinician: ClinicianDetail) => void; onCancel: () => void }) {
  const api = useApi();
  const change = useChange<ClinicianDetail>();
  const { summaryOf } = useClinicSummaries();
  const form = useForm<FormValues>({
    mode: 'controlled',
    validateInputOnChange: true,
    initialValues: { givenName: '', familyName: '', email: '', npi: '', clinicIds: [], sendInvite: false },
    validate: (values) => zodFieldErrors(createClinicianRequest, toRequest(values)),
  });

  const submit = form.onSubmit(async (values) => {
    const invited = await change.run(() => api.createClinician(toRequest(values)), 'Clinician invited');
    if (invited) onInvited(invited);
  });

  const { serverField, fieldProps } = serverErrorProps((field: keyof FormValues) => form.getInputProps(field), change.error, serverFields as readonly (keyof FormValues)[]);
  const values = form.getValues();
  useClearRefusalOnChange(change.error, change.clearError, values);
  const name = personName(values.givenName, values.familyName, 'The clinician');
  const clinics = values.clinicIds.map((id) => summaryOf(id));
  const consequence = clinics.length
    ? `${name} will get a sign-in that sees the patients of ${listNames(clinics.map(clinicWithPatientCount))}.`
    : `${name} will get a sign-in that sees no patient until you add them to a clinic.`;
  const email = values.email.trim() || 'their email address';

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="Given name" withAsterisk data-autofocus {...fieldProps('givenName')} />
          <TextInput label="Family name" withAsterisk {...fieldProps('familyName')} />
        </SimpleGrid>
        <TextInput label="Email" description="They sign in with this address" withAsterisk {...fieldProps('email')} />
        <TextInput label="NPI" description="Optional: the 10-digit National Provider Identifier" inputMode="numeric" maxLength={10} {...fieldProps('npi')} />
        <ClinicMultiSelect
          label="Clinics"
          description="Search by clinic name"
          value={values.clinicIds}
          onChange={(ids) => form.setFieldValue('clinicIds', ids)}
          error={form.errors.clinicIds}
        />
        <Checkbox label="Send invitation email" {...form.getInputProps('sendInvite', { type: 'checkbox' })} />
        <Alert color={clinics.length ? 'blue' : 'gray'} variant="light" data-testid="invite-consequence">
          <Text size="sm">{consequence}</Text>
          <Text size="sm" c="dimmed" mt={4}>
            {values.sendInvite
              ? `An invitation email goes to ${email}.`
              : 'No email is sent now, so they cannot sign in yet: send the invitation later from their page.'}
          </Text>
        </Alert>
        {change.error && !serverField && <ErrorNotice error={change.error} title="The clinician was not invited" />}
        <Group justify="flex-end" className="dialog-actions" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={change.running}>
            Invite clinician
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
