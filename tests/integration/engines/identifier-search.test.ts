/**
 * Searching patients by MRN. Measured on Medplum 5.0.10: `identifier=` matches a whole value with
 * its case; `identifier:contains`, `:text` and `_filter=identifier co` match nothing for part of
 * a value (they search a token's display text), `sw` is refused. So the console searches the
 * whole MRN, in the case typed, upper and lower. Runs on the local server and on a real Medplum.
 */
import type { Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describePatientSearch, searchParamsFor } from '../../../main/engines/rosters';
import type { TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { signInAsAdmin } from '../../support/local-server';

let server: TestBackend;
const stamp = String(Date.now()).slice(-6);

beforeAll(async () => {
  server = await startTestBackend();
  const admin = await signInAsAdmin(server);
  for (const [family, mrn] of [
    ['Partial', `MRN-${stamp}-7788`],
    ['Other', `MRN-${stamp}-1234`],
  ] as const) {
    await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ given: ['Pat'], family }], identifier: [{ system: server.mrnSystem, value: mrn }] });
  }
});
afterAll(async () => {
  await server.stop();
});

describe('MRN search', () => {
  test('the whole MRN finds the patient in any case; part of it finds nobody on Medplum, and the words say so', async () => {
    const admin = await signInAsAdmin(server);
    for (const text of [`MRN-${stamp}-7788`, `mrn-${stamp}-7788`]) {
      const found = await admin.searchResources('Patient', searchParamsFor(text), { cache: 'no-cache' });
      expect(found.map((patient) => patient.name?.[0]?.family)).toEqual(['Partial']);
    }
    if (server.kind === 'real') {
      // What the real server allows: identifiers match whole, so a part of one matches nothing.
      expect((await admin.searchResources('Patient', { 'identifier:contains': `${stamp}-77` }, { cache: 'no-cache' })).length).toBe(0);
    }
    expect(describePatientSearch(`${stamp}-77`)).toBe(`the whole MRN “${stamp}-77”`);
    expect(describePatientSearch('Abb')).toBe('a name starting with “Abb”');
  });
});
