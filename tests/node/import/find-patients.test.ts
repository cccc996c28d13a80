/**
 * The patient look-up: one form-encoded search for up to 500 MRNs; when its answer has more than
 * one page, the same MRNs again in URL-sized searches, whose pages are plain links.
 */
import type { MedplumClient } from '@medplum/core';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { findPatientsByMrn } from '../../../main/import/plan/find-existing';

const SYSTEM = 'https://example.test/mrn';
const patient = (id: string, mrn: string): Patient => ({ resourceType: 'Patient', id, identifier: [{ system: SYSTEM, value: mrn }] });

function fakeClient(formAnswer: Bundle, pages: Patient[][]) {
  const calls = { posts: [] as string[], searches: [] as Record<string, string>[] };
  const client = {
    fhirUrl: (...path: string[]) => new URL(`https://fhir.test/fhir/R4/${path.join('/')}`),
    post: async (url: URL, body: string) => {
      calls.posts.push(`${url.pathname} ${body.slice(0, 20)}`);
      return formAnswer;
    },
    searchResourcePages: async function* (_type: string, query: Record<string, string>) {
      calls.searches.push(query);
      for (const page of pages) yield page;
    },
  };
  return { client: client as unknown as MedplumClient, calls };
}

const ctx = (client: MedplumClient) => ({ client, projectId: 'p', msoPolicy: { reference: 'AccessPolicy/x' }, mrnSystem: SYSTEM });

describe('findPatientsByMrn', () => {
  it('asks once, as a form, and keys the answer by system|MRN', async () => {
    const { client, calls } = fakeClient({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: patient('1', 'A') }, { resource: patient('2', 'A') }, { resource: patient('3', 'B') }] }, []);
    const found = await findPatientsByMrn(ctx(client), [{ system: SYSTEM, value: 'A' }, { system: SYSTEM, value: 'B' }, { system: SYSTEM, value: 'C' }]);
    expect(calls.posts).toEqual([expect.stringMatching(/^\/fhir\/R4\/Patient\/_search identifier=/)]);
    expect(calls.searches).toEqual([]);
    expect([...found.entries()].map(([key, patients]) => [key, patients.map((one) => one.id)])).toEqual([
      [`${SYSTEM}|A`, ['1', '2']],
      [`${SYSTEM}|B`, ['3']],
    ]);
  });

  it('reads every page in URL-sized searches when the form answer has a next page', async () => {
    const mrns = Array.from({ length: 250 }, (_, index) => ({ system: SYSTEM, value: `M${index}` }));
    const { client, calls } = fakeClient(
      { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: patient('x', 'M0') }], link: [{ relation: 'next', url: 'https://fhir.test/next' }] },
      [[patient('a', 'M0')], [patient('b', 'M0')]],
    );
    const found = await findPatientsByMrn(ctx(client), mrns);
    // 250 MRNs: three searches of at most 100, each read to its last page.
    expect(calls.searches).toHaveLength(3);
    expect(found.get(`${SYSTEM}|M0`)?.map((one) => one.id)).toEqual(['a', 'b']);
  });
});
