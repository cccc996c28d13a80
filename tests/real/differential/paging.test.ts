/**
 * Differential: search pages and totals. Default page size and links, `_count`, `_offset`,
 * `_total`, `_summary=count`, sorting, following `next` to the end, and totals under a
 * clinician's access policy.
 */
import type { MedplumClient } from '@medplum/core';
import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestClinician } from '../../support/local-server';
import { createClinic, createClinician } from '../../support/local-server';
import type { Sides } from './compare';
import { expectSameAnswer, namesIn, onBoth, outcomeOf, send, startBothBackends } from './compare';

const PATIENTS = 45;
let sides: Sides;
const clinicians = new Map<string, TestClinician>();

beforeAll(async () => {
  sides = await startBothBackends({ fhirQuota: 1_000_000 });
  await onBoth(sides, async (side) => {
    const north = await createClinic(side.admin, 'North');
    const south = await createClinic(side.admin, 'South');
    const entry = Array.from({ length: PATIENTS }, (_, i) => {
      const clinic = i % 2 === 0 ? north : south;
      const accounts = [{ reference: `Organization/${clinic.id}` }];
      return {
        request: { method: 'POST', url: 'Patient' },
        resource: {
          resourceType: 'Patient',
          meta: { accounts },
          // Family names repeat so a two-key sort has ties to break.
          name: [{ family: `Fam${String(i % 9).padStart(2, '0')}`, given: [`G${String(PATIENTS - i).padStart(2, '0')}`] }],
          birthDate: `19${String(50 + i).padStart(2, '0')}-01-01`,
        },
      };
    });
    await side.admin.executeBatch({ resourceType: 'Bundle', type: 'batch', entry } as Bundle);
    clinicians.set(side.kind, await createClinician(side.backend, side.admin, [north]));
  });
}, 180_000);

afterAll(async () => {
  await sides?.stop();
});

/** A page as comparable facts: how many entries, which links, the total if any, the names in order. */
async function page(client: MedplumClient, query: string) {
  const found = await send(client, 'GET', `fhir/R4/Patient${query}`);
  if (found.status !== 200) {
    return outcomeOf(found);
  }
  const bundle = found.body as Bundle;
  return {
    status: found.status,
    entries: bundle.entry?.length ?? 0,
    links: (bundle.link ?? []).map((l) => l.relation).sort(),
    total: bundle.total,
    order: (bundle.entry ?? []).map((e) => {
      const name = (e.resource as { name?: { family?: string; given?: string[] }[] }).name?.[0];
      return `${name?.family} ${name?.given?.[0]}`;
    }),
  };
}

/** Follows `next` links from the first page to the last; the names collected and how many pages. */
async function walk(client: MedplumClient, query: string): Promise<{ pages: number; names: number; distinct: number }> {
  let url: string | undefined = `${client.getBaseUrl()}fhir/R4/Patient${query}`;
  const names: string[] = [];
  let pages = 0;
  while (url && pages < 20) {
    const found = await send(client, 'GET', url);
    const bundle = found.body as Bundle;
    names.push(...namesIn(bundle).map((n, i) => `${n}#${bundle.entry?.[i]?.resource?.id}`));
    pages++;
    url = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return { pages, names: names.length, distinct: new Set(names).size };
}

describe('differential: paging and totals', () => {
  test('page sizes, links and totals', async () => {
    const answers = await onBoth(sides, async (side) => {
      const admin = side.admin;
      const strip = async (query: string) => {
        const p = await page(admin, query);
        return 'order' in p ? { ...p, order: undefined } : p;
      };
      return {
        default: await strip(''),
        count10: await strip('?_count=10'),
        accurate: await strip('?_count=10&_total=accurate'),
        estimate: await strip('?_count=10&_total=estimate'),
        none: await strip('?_count=10&_total=none'),
        countZero: await strip('?_count=0&_total=accurate'),
        countOnly: await strip('?_summary=count'),
        lastPage: await strip('?_count=10&_offset=40'),
        pastTheEnd: await strip('?_count=10&_offset=100'),
        tooMany: await strip('?_count=5000'),
        negative: await strip('?_count=-1'),
      };
    });
    const shared = expectSameAnswer(answers, 'pages and totals');
    expect(shared.default).toMatchObject({ status: 200, entries: 20, total: undefined });
    expect(shared.accurate).toMatchObject({ total: PATIENTS });
  });

  test('search parameters: partial names, OR-ed compartments, dates, elements, and what a bad parameter answers', async () => {
    const answers = await onBoth(sides, async (side) => {
      const clinics = await side.admin.searchResources('Organization', { _count: '10' }, { cache: 'no-cache' } as RequestInit);
      const both = clinics.map((c) => `Organization/${c.id}`).join(',');
      const count = async (query: string) => {
        const p = await page(side.admin, `${query}&_total=accurate&_count=0`);
        return 'total' in p ? p.total : p;
      };
      const elements = (await send(side.admin, 'GET', 'fhir/R4/Patient?_count=1&_elements=birthDate')).body as Bundle;
      return {
        namePrefix: await count('?name=fam0'),
        familyExact: await count('?family:exact=Fam01'),
        familyContains: await count('?family:contains=am0'),
        orCompartments: await count(`?_compartment=${both}`),
        bornBefore1970: await count('?birthdate=lt1970-01-01'),
        elementsKeys: Object.keys(elements.entry?.[0]?.resource ?? {}).sort(),
        unknownParameter: await page(side.admin, '?nonsense=1'),
        badDate: await page(side.admin, '?birthdate=yesterday'),
        badCount: await page(side.admin, '?_count=many'),
        unknownSort: await page(side.admin, '?_sort=nonsense'),
      };
    });
    const shared = expectSameAnswer(answers, 'search parameters');
    expect(shared.orCompartments).toBe(PATIENTS);
    expect(shared.unknownParameter).toEqual({ status: 400, issues: ['error | invalid | Unknown search parameter: nonsense'] });
  });

  test('known difference kept: a partial date on a date parameter (birthdate=1975) matches the year locally; Medplum refuses it', async () => {
    const answers = await onBoth(sides, async (side) => {
      const p = await page(side.admin, '?birthdate=1975&_total=accurate&_count=0');
      return 'total' in p ? p.total : p;
    });
    expect(answers).toEqual({ local: 1, real: { status: 400, issues: ['error | invalid | Invalid date value: 1975'] } });
  });

  test('sorting: one key, two keys, descending, by date', async () => {
    const answers = await onBoth(sides, async (side) => ({
      family: (await page(side.admin, '?_count=12&_sort=family')) as unknown,
      familyGiven: await page(side.admin, '?_count=12&_sort=family,given'),
      familyDescGiven: await page(side.admin, '?_count=12&_sort=-family,given'),
      birthDate: await page(side.admin, '?_count=5&_sort=-birthdate'),
    }));
    // With one key, ties may come back in any order on either server: compare the families only.
    const families = (p: unknown) => ((p as { order?: string[] }).order ?? []).map((n) => n.split(' ')[0]);
    expectSameAnswer({ local: families(answers.local.family), real: families(answers.real.family) }, 'sort by family');
    const { local, real } = answers;
    const shared = expectSameAnswer(
      { local: { ...local, family: undefined }, real: { ...real, family: undefined } },
      'two-key and date sorts'
    );
    expect((shared.birthDate as { order: string[] }).order).toHaveLength(5);
  });

  test('following next links reaches every patient once; a clinician’s pages and totals hold only their clinic', async () => {
    const answers = await onBoth(sides, async (side) => {
      const clinician = clinicians.get(side.kind)?.client;
      if (!clinician) throw new Error('no clinician');
      return {
        adminWalk: await walk(side.admin, '?_count=7'),
        adminWalkSorted: await walk(side.admin, '?_count=7&_sort=family,given'),
        clinicianWalk: await walk(clinician, '?_count=7'),
        clinicianTotal: ((await page(clinician, '?_count=5&_total=accurate')) as { total?: number }).total,
        clinicianCount: ((await page(clinician, '?_summary=count')) as { total?: number }).total,
        clinicianSearch: ((await page(clinician, '?family=Fam01&_total=accurate')) as { total?: number }).total,
      };
    });
    const shared = expectSameAnswer(answers, 'walking pages');
    expect(shared.adminWalk).toEqual({ pages: 7, names: PATIENTS, distinct: PATIENTS });
    expect(shared.clinicianTotal).toBe(Math.ceil(PATIENTS / 2));
  });
});
