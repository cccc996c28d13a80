import type { WithId } from '@medplum/core';
import type { AccessPolicy, Organization, Patient, Practitioner, ProjectMembership, Resource } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { auditCsv, auditHtml } from '../../../main/audit/export-report';
import { hardenedPolicy } from '../../../main/audit/policy-hardening';
import { auditRequestBound, type ProjectSnapshot } from '../../../main/audit/project-snapshot';
import { findDrift } from '../../../main/audit/record-findings';
import { planRepair } from '../../../main/audit/repairs';
import { assessSnapshot } from '../../../main/audit/run-audit';
import { accessEntry } from '../../../main/engines/access-list';
import { expectedMsoPolicy, variantOf } from '../../../main/engines/mso-access-policy';

const MSO = 'AccessPolicy/mso';
const policy = { ...hardenedPolicy(expectedMsoPolicy()), id: 'mso' } as WithId<AccessPolicy>;
const clinic = (id: string, name: string, active = true): WithId<Organization> => ({ resourceType: 'Organization', id, name, active });
const accounts = (...refs: string[]) => ({ accounts: refs.map((reference) => ({ reference })), ...(refs[0] ? { account: { reference: refs[0] } } : {}) });
const patient = (id: string, ...clinics: string[]): WithId<Patient> => ({ resourceType: 'Patient', id, name: [{ given: ['P'], family: id }], meta: accounts(...clinics) });
const practitioner = (id: string): WithId<Practitioner> => ({ resourceType: 'Practitioner', id, name: [{ given: ['Dr'], family: id }] });
const member = (id: string, extra: Partial<ProjectMembership>): WithId<ProjectMembership> => ({
  resourceType: 'ProjectMembership',
  id,
  project: { reference: 'Project/p' },
  user: { reference: `User/${id}` },
  profile: { reference: `Practitioner/${id}` },
  accessPolicy: { reference: MSO },
  ...extra,
});
const entry = (clinicId: string, policyRef = MSO) => accessEntry({ reference: policyRef }, { reference: `Organization/${clinicId}` });

function snapshot(over: Partial<ProjectSnapshot> = {}): ProjectSnapshot {
  return {
    clinics: [clinic('a', 'Clinic A'), clinic('b', 'Clinic B')],
    memberships: [member('admin', { admin: true, accessPolicy: undefined }), member('doc', { access: [entry('a')] })],
    practitioners: [practitioner('admin'), practitioner('doc')],
    policies: [policy],
    patients: [patient('p1', 'Organization/a'), patient('p2', 'Organization/b')],
    records: [{ resourceType: 'Observation', id: 'o1', meta: { ...accounts('Organization/a'), compartment: [{ reference: 'Patient/p1' }] } } as WithId<Resource>],
    typeCounts: new Map([['Observation', 1]]),
    ...over,
  };
}

const assess = (s: ProjectSnapshot) => assessSnapshot({ projectId: 'p', projectName: 'Test' }, s).report;

describe('assessSnapshot', () => {
  test('a clean project with the hardened MSO policy gives no findings', () => {
    const report = assess(snapshot());
    expect(report.findings).toEqual([]);
    expect(report.policyVariant).toBe('standard');
    expect(report.scanned).toEqual({ clinics: 2, memberships: 2, clinicians: 2, patients: 2, records: 1 });
  });

  test('each unsafe situation is found with its severity and fix', () => {
    const report = assess(
      snapshot({
        clinics: [clinic('a', 'Clinic A'), clinic('b', 'Clinic B'), clinic('c', 'clinic  a'), clinic('off', 'Closed', false)],
        policies: [{ ...expectedMsoPolicy(), id: 'mso' } as WithId<AccessPolicy>],
        memberships: [
          member('open', { accessPolicy: undefined }),
          member('nobase', { accessPolicy: undefined, access: [entry('a')] }),
          member('boss', { admin: true, access: [entry('a')] }),
          member('stale', { access: [entry('off'), entry('gone')] }),
          member('foreign', { access: [entry('b', 'AccessPolicy/other')] }),
          member('asleep', { active: false, access: [entry('a')] }),
          member('twice1', { user: { reference: 'User/t' }, access: [entry('a')] }),
          member('twice2', { user: { reference: 'User/t' }, access: [entry('b')] }),
        ],
        patients: [patient('p1', 'Organization/a'), patient('lost')],
        records: [{ resourceType: 'Observation', id: 'o1', meta: { ...accounts('Organization/b'), compartment: [{ reference: 'Patient/p1' }] } } as WithId<Resource>],
        typeCounts: new Map([['Observation', 1], ['Goal', 3]]),
      }),
    );
    const byId = Object.fromEntries(report.findings.map((f) => [f.id, [f.severity, f.fix.repair]]));
    expect(byId).toEqual({
      'whole-project-membership:ProjectMembership/open': ['critical', 'set-base-policy'],
      'base-policy-not-mso:ProjectMembership/nobase': ['critical', 'set-base-policy'],
      'admin-is-clinician:ProjectMembership/boss': ['warning', null],
      'stale-access-entry:ProjectMembership/stale': ['warning', 'remove-access-entries'],
      'foreign-policy-access-entry:ProjectMembership/foreign': ['critical', 'remove-access-entries'],
      'inactive-sign-in-holds-clinics:ProjectMembership/asleep': ['warning', 'remove-clinics'],
      'unlabelled-memberships:User/t': ['notice', 'label-memberships'],
      'duplicate-clinic-names:a,c': ['warning', null],
      'patient-in-no-clinic:project': ['warning', null],
      'compartment-drift:project': ['critical', 'resync-patient-records'],
      'policy-type-gap:Goal': ['notice', null],
      'cross-clinic-writes:project': ['warning', 'harden-policy'],
    });
    expect(report.counts).toEqual({ critical: 4, warning: 6, notice: 2 });
    // Most severe first.
    expect(report.findings.slice(0, 4).every((f) => f.severity === 'critical')).toBe(true);
    expect(report.findings.find((f) => f.kind === 'stale-access-entry')?.explanation).toContain('Closed (inactive)');
  });

  test('no MSO policy is one critical finding; criteria that do not filter by clinic are critical', () => {
    expect(assess(snapshot({ policies: [] })).findings.map((f) => f.id)).toContain('policy-not-installed:project');
    const open = { ...policy, resource: [...(policy.resource ?? []), { resourceType: 'MedicationRequest' }, { resourceType: 'Organization', readonly: true }] };
    const found = assess(snapshot({ policies: [open] })).findings.map((f) => [f.id, f.severity]);
    expect(found).toEqual([['policy-criteria-unfiltered:MedicationRequest', 'critical']]);
  });

  test('the hardened policy keeps its variant', () => {
    expect(variantOf(policy)?.kind).toBe('standard');
    expect(variantOf(hardenedPolicy({ ...expectedMsoPolicy({ kind: 'assigned-clinician' }) }))?.kind).toBe('assigned-clinician');
  });
});

describe('findDrift', () => {
  test('a record shared by two patients should carry both patients’ clinics; unknown patients are left alone', () => {
    const patients = [patient('p1', 'Organization/a'), patient('p2', 'Organization/b')];
    const shared = { resourceType: 'Communication', id: 'c', meta: { ...accounts('Organization/a'), compartment: [{ reference: 'Patient/p1' }, { reference: 'Patient/p2' }] } } as WithId<Resource>;
    const orphan = { resourceType: 'Observation', id: 'x', meta: { ...accounts('Organization/z'), compartment: [{ reference: 'Patient/deleted' }] } } as WithId<Resource>;
    expect(findDrift(patients, [shared, orphan])).toEqual([
      { record: 'Communication/c', patients: ['Patient/p1', 'Patient/p2'], has: [{ reference: 'Organization/a' }], wanted: [{ reference: 'Organization/a' }, { reference: 'Organization/b' }] },
    ]);
  });
});

describe('repair previews', () => {
  test('say exactly what will be written', () => {
    const run = assessSnapshot({ projectId: 'p', projectName: 'T' }, snapshot({ memberships: [member('stale', { access: [entry('a'), entry('gone')] })], practitioners: [practitioner('stale')] }));
    const planned = planRepair(run, 'stale-access-entry:ProjectMembership/stale', MSO);
    expect(planned.preview.changes).toEqual([{ record: { reference: 'ProjectMembership/stale', label: 'Dr stale' }, change: 'access removed: Organization/gone' }]);
    expect(() => planRepair(run, 'nope:x', MSO)).toThrow('not in the latest audit');
  });
  test('a manual finding has no repair', () => {
    const run = assessSnapshot({ projectId: 'p', projectName: 'T' }, snapshot({ patients: [patient('lost')] }));
    expect(() => planRepair(run, 'patient-in-no-clinic:project', MSO)).toThrow('no automatic fix');
  });
});

describe('exports', () => {
  const report = assess(snapshot({ clinics: [clinic('a', '=HYPERLINK("x")'), clinic('b', '=HYPERLINK("x")')], patients: [patient('p1', 'Organization/a'), { ...patient('p9'), name: [{ family: '<script>alert(1)</script>' }] }] }));
  test('CSV cells that would run as formulas are neutralized', () => {
    const csv = auditCsv(report).content;
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(csv).toContain(`'=HYPERLINK`);
  });
  test('HTML escapes every value', () => {
    const html = auditHtml(report).content;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
  test('the header says when it ran as the console says times, not as an ISO stamp', () => {
    const html = auditHtml({ ...report, ranAt: '2026-12-01T12:12:45Z' }).content;
    const shown = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date('2026-12-01T12:12:45Z'));
    expect(shown).toMatch(/^Dec 1, 2026, \d\d:\d\d$/);
    expect(html).toContain(`<p>Run ${shown} · `);
    expect(html).not.toContain('2026-12-01T12:12:45Z');
  });
});

describe('auditRequestBound', () => {
  test('one page more than full pages for each of the 18 lists, plus the batch of counts', () => {
    const empty = auditRequestBound({ clinics: 0, memberships: 0, patients: 0 }, { practitioners: [], policies: [], records: [] });
    expect(empty).toBe(19);
    const records = Array.from({ length: 2500 }, () => ({ resourceType: 'Observation' }));
    const big = auditRequestBound({ clinics: 20, memberships: 2000, patients: 50_000 }, { practitioners: new Array(2000), policies: [{}], records });
    // 50 extra patient pages, 2 of memberships, 2 of practitioners, 2 of observations.
    expect(big).toBe(19 + 50 + 2 + 2 + 2);
  });
});
