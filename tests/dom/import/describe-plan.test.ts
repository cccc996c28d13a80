/** The confirm step's sentences: what an import will change, in the administrator's words. */
import { describe, expect, it } from 'vitest';
import type { ImportPlanView } from '../../../preload/api/schemas/import';
import { describeEstimate, describePlan } from '../../../renderer/src/import/describe-plan';

const OPTIONS = { createMissingClinics: false, updateDemographics: false, sendInvites: false, strict: false };

function plan(overrides: Partial<ImportPlanView> & { kind?: 'patients' | 'practitioners' }): ImportPlanView {
  const { kind = 'patients', ...rest } = overrides;
  return {
    validation: { kind, detectedKind: kind, delimiter: 'comma', rows: 0, validRows: 0, errorRows: 0, fileError: null, columns: [], issues: [], issuesTotal: 0 },
    blocked: false,
    totals: { rows: 0, create: 0, enroll: 0, unenroll: 0, unchanged: 0, error: 0, warning: 0 },
    people: { create: 0, change: 0, unchanged: 0 },
    clinicsToCreate: [],
    byClinic: [],
    estimate: { points: 0, minutes: 0, pointsPerMinute: 50_000, quotaSource: 'medplum-default' },
    issues: [],
    issuesTotal: 0,
    rows: [],
    rowsTotal: 0,
    ...rest,
  };
}

describe('describePlan', () => {
  it('says the ui.md sentence for new patients of one clinic with rows skipped', () => {
    const view = plan({
      totals: { rows: 1252, create: 1240, enroll: 0, unenroll: 0, unchanged: 0, error: 12, warning: 0 },
      people: { create: 1240, change: 0, unchanged: 0 },
      byClinic: [{ name: 'Uptown Clinic', created: 1240, added: 0, removed: 0 }],
    });
    expect(describePlan(view, OPTIONS)).toEqual(['1,240 patients will be created and enrolled in Uptown Clinic; 12 rows have errors and will be skipped.']);
  });

  it('names each clinic with its count when they differ, existing people moved, new clinics and unchanged rows', () => {
    const view = plan({
      totals: { rows: 10, create: 3, enroll: 2, unenroll: 1, unchanged: 4, error: 0, warning: 0 },
      people: { create: 3, change: 3, unchanged: 4 },
      clinicsToCreate: ['Harbor Annex'],
      byClinic: [
        { name: 'Uptown Clinic', created: 3, added: 2, removed: 0 },
        { name: 'Harbor Annex', created: 1, added: 0, removed: 0 },
        { name: 'Old Clinic', created: 0, added: 0, removed: 1 },
      ],
    });
    expect(describePlan(view, { ...OPTIONS, createMissingClinics: true })).toEqual([
      '3 patients will be created and enrolled in Uptown Clinic (3) and Harbor Annex (1); 2 existing patients will be enrolled in Uptown Clinic; 1 existing patient will be removed from Old Clinic.',
      'A new clinic will be created: Harbor Annex.',
      '4 rows already match the server and change nothing.',
    ]);
  });

  it('says whether new clinicians get an invitation email, and that strict mode imports nothing', () => {
    const clinicians = plan({ kind: 'practitioners', people: { create: 2, change: 0, unchanged: 0 }, byClinic: [{ name: 'Uptown Clinic', created: 2, added: 0, removed: 0 }] });
    expect(describePlan(clinicians, { ...OPTIONS, sendInvites: true })[0]).toBe('2 clinicians will be invited (with an invitation email) to Uptown Clinic.');
    expect(describePlan(clinicians, OPTIONS)[0]).toBe('2 clinicians will be invited (no invitation email) to Uptown Clinic.');
    const strict = plan({ blocked: true, totals: { rows: 5, create: 0, enroll: 0, unenroll: 0, unchanged: 0, error: 1, warning: 0 } });
    expect(describePlan(strict, { ...OPTIONS, strict: true })).toEqual(['Nothing will be imported: strict mode is on and 1 row has errors.']);
    expect(describePlan(plan({}), OPTIONS)).toEqual(['Nothing will change: the server already holds what the file says.']);
  });

  it('gives the time at the quota, and that a server administrator can raise it', () => {
    expect(describeEstimate({ points: 1_000_000, minutes: 20, pointsPerMinute: 50_000, quotaSource: 'medplum-default' })).toBe(
      'This takes at least 20 minutes at Medplum’s default quota of 50,000 points a minute (1,000,000 points). A server administrator can raise the project’s userFhirQuota to make it faster.',
    );
  });
});
