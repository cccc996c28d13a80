import { Alert, Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { z } from 'zod';
import { createPatientRequest, type PatientRow } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useChange } from '../api/use-change';
import { ClinicMultiSelect } from '../components/ClinicMultiSelect';
import { ErrorNotice } from '../components/ErrorNotice';
import { serverErrorProps, zodFieldErrors } from '../forms/zod-field-errors';
import { useClearRefusalOnChange } from '../forms/use-field-refusal';
import { listNames, personName } from './sentences';
import { useClinicSummaries } from './use-clinic-summaries';
import { checkBirthDate } from '../../../preload/api/roster/rules';
import { BirthDateInput } from '../forms/BirthDateInput';

type NewPatientRequest = z.input<typeof createPatientRequest>;
type Gender = NonNullable<NewPatientRequest['gender']>;

interface FormValues {
  givenName: string;
  familyName: string;
  birthDate: string;
  gender: Gender | null;
  mrn: string;
  clinicIds: string[];
}

const genders: { value: Gender; label: string }[] = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'other', label: 'Other' },
  { value: 'unknown', label: 'Unknown' },
];

function toRequest(values: FormValues): NewPatientRequest {
  // M/D/YYYY is taken as the roster import takes it; the request always carries YYYY-MM-DD.
  const date = checkBirthDate(values.birthDate.trim(), new Date().toISOString().slice(0, 10));
  return {
    givenName: values.givenName,
    familyName: values.familyName,
    birthDate: date.ok ? date.value : values.birthDate.trim(),
    ...(values.gender ? { gender: values.gender } : {}),
    mrn: values.mrn,
    clinicIds: values.clinicIds,
  };
}

const serverFields: readonly (keyof FormValues)[] = ['birthDate', 'mrn', 'givenName', 'familyName'];

/** Creates one patient and says beforehand which clinicians will see the record. */
export function NewPatientForm({ onCreated, onCancel }: { onCreated: (patient: PatientRow) => void; onCancel: () => void }) {
  const api = useApi();
  const change = useChange<PatientRow>();
  const { summaryOf } = useClinicSummaries();
  const form = useForm<FormValues>({
    mode: 'controlled',
    validateInputOnChange: true,
    initialValues: { givenName: '', familyName: '', birthDate: '', gender: null, mrn: '', clinicIds: [] },
    validate: (values) => zodFieldErrors(createPatientRequest, toRequest(values)),
  });

  const submit = form.onSubmit(async (values) => {
    const created = await change.run(() => api.createPatient(toRequest(values)), 'Patient created');
    if (created) onCreated(created);
  });

  // Main's refusal also goes under the field it concerns.
  const { serverField, fieldProps } = serverErrorProps((field: keyof FormValues) => form.getInputProps(field), change.error, serverFields);
  const values = form.getValues();
  useClearRefusalOnChange(change.error, change.clearError, values);
  const name = personName(values.givenName, values.familyName, 'The patient');
  const clinicNames = values.clinicIds.map((id) => summaryOf(id).name);
  const consequence = clinicNames.length
    ? `${name} will be visible to the clinicians of ${listNames(clinicNames)}.`
    : `${name} will belong to no clinic yet, so no clinician will see the record until you add one.`;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="Given name" withAsterisk data-autofocus {...fieldProps('givenName')} />
          <TextInput label="Family name" withAsterisk {...fieldProps('familyName')} />
          <BirthDateInput {...fieldProps('birthDate')} />
          <Select label="Sex" placeholder="Not recorded" data={genders} clearable {...form.getInputProps('gender')} />
        </SimpleGrid>
        <TextInput
          label="MRN"
          description="The medical record number in your MSO's MRN system"
          withAsterisk
          {...fieldProps('mrn')}
        />
        <ClinicMultiSelect
          label="Clinics"
          description="Search by clinic name"
          value={values.clinicIds}
          onChange={(ids) => form.setFieldValue('clinicIds', ids)}
          error={form.errors.clinicIds}
        />
        <Alert color={clinicNames.length ? 'blue' : 'gray'} variant="light" data-testid="create-consequence">
          <Text size="sm">{consequence}</Text>
        </Alert>
        {change.error && !serverField && <ErrorNotice error={change.error} title="The patient was not created" />}
        <Group justify="flex-end" className="dialog-actions" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={change.running}>
            Create patient
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
