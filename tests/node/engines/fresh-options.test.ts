/**
 * MedplumClient writes the method, headers (the access token among them) and body into the
 * options it is given: `fresh()` hands each request options of its own, so nothing of one
 * request (or one connection's token) is carried into the next.
 */
import { MedplumClient } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { fresh } from '../../../main/engines/engine-context';

describe('fresh()', () => {
  it('gives each request options of its own, which one request cannot fill for the next', async () => {
    const sent: (string | null)[] = [];
    const fetch = async (_url: string, init: RequestInit) => {
      sent.push(new Headers(init.headers).get('content-type'));
      return new Response(JSON.stringify({ resourceType: 'Bundle', type: 'searchset' }), { headers: { 'content-type': 'application/fhir+json' } });
    };
    const client = new MedplumClient({ baseUrl: 'https://fhir.test/', fetch: fetch as never });
    client.setAccessToken('token-A');
    const options = fresh();
    await client.post(client.fhirUrl('Patient', '_search'), 'identifier=x', 'application/x-www-form-urlencoded', options);
    // What MedplumClient did to the options of the first request...
    expect(JSON.stringify(options)).toContain('token-A');
    // ...is not in the next request's.
    expect(fresh()).toEqual({ cache: 'no-cache' });
    await client.search('Patient', {}, fresh());
    expect(sent).toEqual(['application/x-www-form-urlencoded', null]);
  });
});
