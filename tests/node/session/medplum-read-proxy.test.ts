import { describe, expect, it } from 'vitest';
import { allowedReadUrl } from '../../../main/session/medplum-read-proxy';

const base = 'https://api.medplum.example/';

describe('the read proxy allows only FHIR reads on the connected server', () => {
  it('allows reads and searches under fhir/R4/', () => {
    expect(allowedReadUrl(base, 'https://api.medplum.example/fhir/R4/Patient/123')?.pathname).toBe('/fhir/R4/Patient/123');
    expect(allowedReadUrl(base, 'https://api.medplum.example/fhir/R4/Patient?name=ada&_count=5')).not.toBeNull();
  });

  it('refuses other origins, other paths, traversal, credentials and operations', () => {
    for (const url of [
      'https://evil.example/fhir/R4/Patient/1',
      'http://api.medplum.example/fhir/R4/Patient/1',
      'https://api.medplum.example/admin/projects/p1',
      'https://api.medplum.example/auth/me',
      'https://api.medplum.example/fhir/R4/../../admin/projects/p1',
      'https://api.medplum.example/fhir/R4/%2e%2e/%2e%2e/oauth2/token',
      'https://user:pw@api.medplum.example/fhir/R4/Patient/1',
      'https://api.medplum.example/fhir/R4/Patient/1/$set-accounts',
      'not a url',
    ]) {
      expect(allowedReadUrl(base, url), url).toBeNull();
    }
  });
});
