/**
 * What an import will change, in the administrator's words, from the dry run: "1,240 patients
 * will be created and enrolled in Uptown Clinic; 12 rows have errors and will be skipped."
 */
import type { ImportOptionsInput, ImportPlanView, RosterKindView } from '../../../preload/api/schemas/import';

const number = new Intl.NumberFormat('en-US');

function people(kind: RosterKindView, count: number, existing = false): string {
  const noun = kind === 'patients' ? (count === 1 ? 'patient' : 'patients') : count === 1 ? 'clinician' : 'clinicians';
  return `${number.format(count)} ${existing ? 'existing ' : ''}${noun}`;
}

function rows(count: number): string {
  return `${number.format(count)} ${count === 1 ? 'row' : 'rows'}`;
}

/** "Uptown Clinic", "Uptown Clinic and Harbor Clinic", "A, B and C". */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Per clinic, with counts only when they differ: "Uptown Clinic (1,000) and Harbor Clinic (240)". */
function clinicsWithCounts(entries: readonly { name: string; count: number }[], total: number): string {
  const same = entries.every((entry) => entry.count === total);
  return listOf(entries.map((entry) => (same ? entry.name : `${entry.name} (${number.format(entry.count)})`)));
}

export function describePlan(plan: ImportPlanView, options: ImportOptionsInput): string[] {
  const kind = plan.validation.kind ?? 'patients';
  const sentences: string[] = [];
  if (plan.blocked) {
    sentences.push(
      plan.validation.fileError
        ? 'Nothing will be imported: the file cannot be read as a roster.'
        : `Nothing will be imported: strict mode is on and ${rows(plan.totals.error)} ${plan.totals.error === 1 ? 'has' : 'have'} errors.`,
    );
    return sentences;
  }
  const created = plan.byClinic.filter((clinic) => clinic.created > 0).map((clinic) => ({ name: clinic.name, count: clinic.created }));
  const added = plan.byClinic.filter((clinic) => clinic.added > 0).map((clinic) => ({ name: clinic.name, count: clinic.added }));
  const removed = plan.byClinic.filter((clinic) => clinic.removed > 0).map((clinic) => ({ name: clinic.name, count: clinic.removed }));
  const changes: string[] = [];
  if (plan.people.create > 0) {
    const verb = kind === 'patients' ? 'created and enrolled in' : `invited${options.sendInvites ? ' (with an invitation email)' : ' (no invitation email)'} to`;
    changes.push(`${people(kind, plan.people.create)} will be ${verb} ${clinicsWithCounts(created, plan.people.create)}`);
  }
  if (added.length) {
    const count = Math.max(...added.map((clinic) => clinic.count));
    changes.push(`${people(kind, count, true)} will be enrolled in ${clinicsWithCounts(added, count)}`);
  }
  if (removed.length) {
    const count = Math.max(...removed.map((clinic) => clinic.count));
    changes.push(`${people(kind, count, true)} will be removed from ${clinicsWithCounts(removed, count)}`);
  }
  if (changes.length === 0 && plan.people.change > 0) changes.push(`${people(kind, plan.people.change, true)} will have their consent or details updated`);
  if (changes.length === 0) changes.push('Nothing will change: the server already holds what the file says');
  if (plan.totals.error > 0) changes.push(`${rows(plan.totals.error)} ${plan.totals.error === 1 ? 'has' : 'have'} errors and will be skipped`);
  sentences.push(`${changes.join('; ')}.`);
  if (plan.clinicsToCreate.length) {
    sentences.push(`${plan.clinicsToCreate.length === 1 ? 'A new clinic' : `${plan.clinicsToCreate.length} new clinics`} will be created: ${listOf(plan.clinicsToCreate)}.`);
  }
  if (plan.totals.unchanged > 0) sentences.push(`${rows(plan.totals.unchanged)} already match the server and change nothing.`);
  if (kind === 'patients' && options.updateDemographics) sentences.push('Existing patients’ names, birth dates and genders are updated where the file differs.');
  return sentences;
}

/** "At least 3 minutes at the server's quota of 50,000 points a minute." */
export function describeEstimate(estimate: ImportPlanView['estimate']): string {
  const minutes = estimate.minutes;
  const shown = minutes < 10 ? Math.round(minutes * 10) / 10 : Math.round(minutes);
  const time = minutes < 1 ? 'under a minute' : `at least ${number.format(shown)} ${shown === 1 ? 'minute' : 'minutes'}`;
  const source = estimate.quotaSource === 'project-setting' ? 'this project’s quota' : 'Medplum’s default quota';
  return `This takes ${time} at ${source} of ${number.format(estimate.pointsPerMinute)} points a minute (${number.format(estimate.points)} points). A server administrator can raise the project’s userFhirQuota to make it faster.`;
}
