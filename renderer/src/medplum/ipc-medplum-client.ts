/**
 * A MedplumClient for @medplum/react components that holds no token and makes no network
 * request of its own: its fetch goes over IPC to main, which allows only FHIR reads on the
 * connected server and adds the token there.
 */
import { ClientStorage, MedplumClient, MemoryStorage } from '@medplum/core';
import type { MsoApi } from '../../../preload/api/create-api';

export function createIpcMedplumClient(api: MsoApi, baseUrl: string): MedplumClient {
  const fetchOverIpc = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method !== 'GET') {
      return new Response(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] }), {
        status: 405,
        headers: { 'Content-Type': 'application/fhir+json' },
      });
    }
    const result = await api.medplumRead({ url });
    if (!result.ok) {
      return new Response(
        JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', details: { text: result.error.message } }] }),
        { status: 403, headers: { 'Content-Type': 'application/fhir+json' } },
      );
    }
    return new Response(result.value.body, { status: result.value.status, headers: { 'Content-Type': result.value.contentType } });
  };
  return new MedplumClient({ baseUrl, fetch: fetchOverIpc, storage: new ClientStorage(new MemoryStorage()), autoBatchTime: 0 });
}
