import { describe, expect, it } from 'vitest';
import { allowedReadUrl } from '../../../main/session/medplum-read-proxy';

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
});
