/**
 * Records everything that could leak during sign-in, use and sign-out: the settings file, the
 * log output and every IPC response; none may hold the client secret, a password or a token.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClientApplication } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../preload/api/contract';
import { KeytarSecretStore } from '../../../main/secrets/keytar-secret-store';
import { createDirectApi, createTestMain } from '../../support/ipc';
import { type LocalServer, signInAsAdmin, startTestServer } from '../../support/local-server';
import { unwrapOk } from '../../support/envelope';

let server: LocalServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('no secret leaves main', () => {
  it('settings, logs and IPC responses never hold a password, client secret or token', async () => {
    const admin = await signInAsAdmin(server);
    const application = await admin.post<ClientApplication & { secret: string }>(`admin/projects/${server.projectId}/client`, {
      name: 'Leak check',
      admin: true,
    });
    const main = createTestMain({ secrets: new KeytarSecretStore(`MSO leak test ${randomUUID()}`) });
    const raw = createDirectApi(main);
    const responses: Envelope<unknown>[] = [];
    const tokens = new Set<string>();
    const record = async <T,>(call: Promise<Envelope<T>>): Promise<T> => {
      const envelope = await call;
      responses.push(envelope);
      return unwrapOk(envelope);
    };
    const rememberTokens = () => {
      const login = main.sessions.client().getActiveLogin();
      if (login?.accessToken) tokens.add(login.accessToken);
      if (login?.refreshToken) tokens.add(login.refreshToken);
    };

    const base = { baseUrl: server.baseUrl, mrnSystem: 'https://example.org/mrn', isolationMode: 'shared-membership' as const };
    const byPassword = await record(raw.saveConnection({ connection: { ...base, name: 'Password', signIn: { method: 'password' } } }));
    const byClient = await record(
      raw.saveConnection({ connection: { ...base, name: 'Client', signIn: { method: 'client-credentials', clientId: application.id as string } } }),
    );

    await record(raw.signIn({ connectionId: byPassword.id, credentials: { method: 'password', email: server.admin.email, password: server.admin.password } }));
    rememberTokens();
    await record(raw.getSession());
    await main.sessions.client().searchResources('Patient', {}, { cache: 'no-cache' });
    await record(raw.listConnections());
    await record(raw.signOut());

    await record(raw.signIn({ connectionId: byClient.id, credentials: { method: 'client-credentials', clientSecret: application.secret } }));
    rememberTokens();
    await record(raw.getSession());
    // A failed sign-in with a wrong secret must not echo it either.
    responses.push(await raw.signIn({ connectionId: byClient.id, credentials: { method: 'client-credentials', clientSecret: 'wrong-secret-value-123' } }));
    await record(raw.signOut());

    expect(tokens.size).toBeGreaterThanOrEqual(3);
    const settings = await readFile(path.join(main.userDataDir, 'connections.json'), 'utf8');
    const haystacks = { settings, logs: JSON.stringify(main.logs), ipc: JSON.stringify(responses), events: JSON.stringify(main.sessionEvents) };
    const needles = [server.admin.password, application.secret, 'wrong-secret-value-123', ...tokens];
    for (const [where, text] of Object.entries(haystacks)) {
      for (const needle of needles) {
        expect(text.includes(needle), `${where} holds a secret`).toBe(false);
      }
    }
    // The checks above must have had something to look at.
    expect(settings).toContain('Password');
    expect(main.logs.some((record) => record.event === 'session.signed_in')).toBe(true);
    expect(responses.length).toBeGreaterThan(8);
  });
});
