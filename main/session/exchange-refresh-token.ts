/** The OAuth refresh-token grant, used to restore a session from the keychain alone. */
import type { LoginState } from '@medplum/core';
import { AppError } from '../errors/app-error';

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  project: LoginState['project'];
  profile: LoginState['profile'];
}

export async function exchangeRefreshToken(
  fetchImpl: typeof fetch,
  baseUrl: string,
  refreshToken: string,
  clientId?: string,
): Promise<LoginState> {
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
  if (clientId) body.set('client_id', clientId);
  const response = await fetchImpl(new URL('oauth2/token', baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  if (response.status === 400 || response.status === 401) {
    throw new AppError('not_signed_in', 'Your saved sign-in has expired or was revoked. Sign in again.', `HTTP ${response.status}`);
  }
  if (!response.ok) {
    throw new AppError('server_error', `The Medplum server at ${baseUrl} had a problem restoring your sign-in.`, `HTTP ${response.status}`);
  }
  const tokens = (await response.json()) as TokenResponse;
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? refreshToken,
    project: tokens.project,
    profile: tokens.profile,
  };
}
