import { describe, expect, it } from 'vitest';
import { allowedReadUrl, onlyReadableTypes } from '../../../main/session/medplum-read-proxy';

const base = 'https://api.medplum.example/';

describe('the read proxy allows only reads of the screens’ resource types on the connected server', () => {
  it('allows reads and searches of people, clinics and clinical records', () => {
    expect(allowedReadUrl(base, 'https://api.medplum.example/fhir/R4/Patient/123')?.pathname).toBe('/fhir/R4/Patient/123');
    expect(allowedReadUrl(base, 'https://api.medplum.example/fhir/R4/Patient?name=ada&_count=5')).not.toBeNull();
    expect(allowedReadUrl(base, 'https://api.medplum.example/fhir/R4/Observation?subject=Patient/1')).not.toBeNull();
  });

  it('refuses other origins, other paths, traversal, credentials, operations, secret-bearing types and includes', () => {
    for (const url of [
      'https://evil.example/fhir/R4/Patient/1',
      'http://api.medplum.example/fhir/R4/Patient/1',
      'https://api.medplum.example/admin/projects/p1',
      'https://api.medplum.example/auth/me',
      'https://api.medplum.example/fhir/R4/../../admin/projects/p1',
      'https://api.medplum.example/fhir/R4/%2e%2e/%2e%2e/oauth2/token',
      'https://user:pw@api.medplum.example/fhir/R4/Patient/1',
      'https://api.medplum.example/fhir/R4/Patient/1/$set-accounts',
      'https://api.medplum.example/fhir/R4/Patient/1/%24set-accounts',
      'https://api.medplum.example/fhir/R4/ClientApplication/abc',
      'https://api.medplum.example/fhir/R4/Project/p1',
      'https://api.medplum.example/fhir/R4/User?email=a@b.c',
      'https://api.medplum.example/fhir/R4/ProjectMembership?_include=ProjectMembership:profile',
      'https://api.medplum.example/fhir/R4/Patient?_revinclude=Observation:subject',
      'https://api.medplum.example/fhir/R4/Patient?_include:iterate=Patient:link',
      'https://api.medplum.example/fhir/R4/',
      'not a url',
    ]) {
      expect(allowedReadUrl(base, url), url).toBeNull();
    }
  });

  it('allows the paging, sorting and shaping parameters and each type’s own search parameters', () => {
    for (const url of [
      'Patient/123/_history',
      'Patient/123/_history/2',
      'Patient/123?_elements=name,birthDate',
      'Patient?family=Smith&given:contains=ad&birthdate=ge1990-01-01&_sort=-birthdate,family&_count=20&_offset=40&_total=accurate',
      'Patient?organization=Organization/c1&_compartment=Organization/c1&_summary=count',
      'Patient?general-practitioner:missing=true',
      'Observation?subject=Patient/1,Patient/2&code=http://loinc.org|8867-4&_lastUpdated=gt2024-01-01',
      'Encounter?patient=Patient/1&_cursor=abc.DEF-123',
      'Organization?name:exact=Uptown&_id=o1,o2',
    ]) {
      expect(allowedReadUrl(base, `https://api.medplum.example/fhir/R4/${url}`), url).not.toBeNull();
    }
  });

  it('refuses every parameter that could search, count or name another type', () => {
    for (const url of [
      'Patient?_type=ClientApplication',
      'Patient?_type=Patient',
      'Patient?_has:ProjectMembership:profile:_id=1',
      'Patient?general-practitioner.name=x',
      'Patient?general-practitioner:Practitioner.name=x',
      'Patient?general-practitioner:Practitioner=1',
      'Patient?_filter=name eq x',
      'Patient?_query=anything',
      'Patient?_list=List/1',
      'Patient?_text=x',
      'Patient?email=a@b.c',
      'Patient?_compartment=Project/p1',
      'Patient?organization=ClientApplication/abc',
      'Observation?subject=User/u1',
      'Observation?performer=Practitioner/1',
      'Patient?_sort=general-practitioner.name',
      'Patient?_sort=_type',
      'Patient?_count=5000',
      'Patient?_total=yes',
      'Patient?_elements=name.given',
      'Patient/123?name=x',
      'Patient/123/Observation',
      'Patient/123/_history/2/extra',
      'Patient/12%2F3',
    ]) {
      expect(allowedReadUrl(base, `https://api.medplum.example/fhir/R4/${url}`), url).toBeNull();
    }
  });
});

describe('what the read proxy returns', () => {
  const bundle = (resourceTypes: string[]) =>
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'searchset',
      total: resourceTypes.length,
      link: [{ relation: 'next', url: 'https://api.medplum.example/fhir/R4/Patient?_offset=20' }],
      entry: resourceTypes.map((resourceType, i) => ({ resource: { resourceType, id: `r${i}` } })),
    });

  it('keeps a bundle of readable entries as the server sent it, total and links included', () => {
    const body = bundle(['Patient', 'Patient']);
    expect(onlyReadableTypes(body)).toBe(body);
  });

  it('drops forbidden entries and, with them, the total and links computed over them', () => {
    const shown = JSON.parse(onlyReadableTypes(bundle(['Patient', 'ClientApplication', 'User'])) as string) as Record<string, unknown>;
    expect(shown.entry).toEqual([{ resource: { resourceType: 'Patient', id: 'r0' } }]);
    expect(shown).not.toHaveProperty('total');
    expect(shown).not.toHaveProperty('link');
    expect(onlyReadableTypes(JSON.stringify({ resourceType: 'ClientApplication', id: 'c', secret: 's' }))).toBeNull();
  });
});

