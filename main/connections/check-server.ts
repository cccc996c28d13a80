/**
 * "Test connection": is there a Medplum (or compatible) FHIR server at this address? Redirects
 * are not followed: the renderer names the address, and main must not be steered to another
 * host (an internal one, say) and read back what it says.
 */
export async function checkServerReachable(fetchImpl: typeof fetch, baseUrl: string): Promise<{ reachable: boolean; message: string }> {
  try {
    const response = await fetchImpl(new URL('fhir/R4/metadata', baseUrl), {
      headers: { Accept: 'application/fhir+json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      return {
        reachable: false,
        message:
          'The server at that address sends the console somewhere else (a redirect), which the console does not follow. Enter the Medplum API’s own address (for example https://api.medplum.com/).',
      };
    }
    if (!response.ok) {
      return { reachable: false, message: `The server answered with status ${response.status}. Check that the address is the Medplum API (for example https://api.medplum.com/).` };
    }
    const statement = (await response.json()) as { resourceType?: string; software?: { name?: string; version?: string } };
    if (statement.resourceType !== 'CapabilityStatement') {
      return { reachable: false, message: 'Something answered at that address, but it is not a FHIR server. Check the address.' };
    }
    const software = [statement.software?.name, statement.software?.version].filter(Boolean).join(' ');
    return { reachable: true, message: software ? `Reached ${software}.` : 'Reached a FHIR server.' };
  } catch {
    return { reachable: false, message: 'Could not reach that address. Check it and your network connection.' };
  }
}
