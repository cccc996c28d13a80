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
import { createHeldFetch } from '../../support/held-fetch';

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

  it('nor do races: an edit during sign-in, sign-out during a restore, a switch during a job', async () => {
    const held = createHeldFetch();
    const keychain = new KeytarSecretStore(`MSO race leak test ${randomUUID()}`);
    const main = createTestMain({ secrets: keychain, fetch: held.fetch });
    const raw = createDirectApi(main);
    const responses: Envelope<unknown>[] = [];
    const record = async <T,>(call: Promise<Envelope<T>>): Promise<Envelope<T>> => {
      const envelope = await call;
      responses.push(envelope);
      return envelope;
    };
    const tokens = new Set<string>();
    const rememberTokensOf = (of: typeof main) => {
      const login = of.sessions.client().getActiveLogin();
      if (login?.accessToken) tokens.add(login.accessToken);
      if (login?.refreshToken) tokens.add(login.refreshToken);
    };
    const base = { baseUrl: server.baseUrl, mrnSystem: 'https://example.org/mrn', isolationMode: 'shared-membership' as const };
    const credentials = { method: 'password' as const, email: server.admin.email, password: server.admin.password };
    const connection = unwrapOk(await record(raw.saveConnection({ connection: { ...base, name: 'Races', signIn: { method: 'password' } } })));

    // An edit while the token request is in flight.
    const tokenRequest = held.hold((url) => url.endsWith('/oauth2/token'));
    const signingIn = record(raw.signIn({ connectionId: connection.id, credentials }));
    await tokenRequest.reached;
    await record(raw.saveConnection({ connection: { ...connection, name: 'Races (edited)', baseUrl: 'http://127.0.0.1:9/' } }));
    tokenRequest.release();
    expect((await signingIn).ok).toBe(false);
    unwrapOk(await record(raw.saveConnection({ connection: { ...connection, name: 'Races' } })));

    // Sign-out while a restore is in flight.
    unwrapOk(await record(raw.signIn({ connectionId: connection.id, credentials })));
    rememberTokensOf(main);
    const restarted = createTestMain({ secrets: keychain, userDataDir: main.userDataDir, fetch: held.fetch });
    const restartedApi = createDirectApi(restarted);
    const restoreRequest = held.hold((url) => url.endsWith('/oauth2/token'));
    const restoring = record(restartedApi.getSession());
    await restoreRequest.reached;
    await record(restartedApi.signOut());
    restoreRequest.release();
    expect(unwrapOk(await restoring)).toBeNull();

    // A switch while a bulk job runs.
    unwrapOk(await record(raw.signIn({ connectionId: connection.id, credentials })));
    rememberTokensOf(main);
    const clinic = unwrapOk(await record(raw.createClinic({ name: 'Leak Job Clinic' }))).value;
    const ids: string[] = [];
    for (let index = 0; index < 8; index++) {
      ids.push(unwrapOk(await record(raw.createPatient({ givenName: 'Leak', familyName: `Job${index}`, birthDate: '1990-01-01', mrn: `LEAK-${index}`, clinicIds: [] }))).value.id);
    }
    // Slow enough that the job (a few people at once) is still running when the switch comes.
    held.slowDown((url) => url.includes('/fhir/R4/'), 200);
    unwrapOk(await record(raw.enrollInClinic({ clinicId: clinic.id, kind: 'patients', ids })));
    const other = unwrapOk(await record(raw.saveConnection({ connection: { ...base, name: 'Other', signIn: { method: 'password' } } })));
    unwrapOk(await record(raw.signIn({ connectionId: other.id, credentials })));
    held.slowDown(() => false, 0);
    await record(raw.signOut());

    expect(tokens.size).toBeGreaterThanOrEqual(4);
    const settings = await readFile(path.join(main.userDataDir, 'connections.json'), 'utf8');
    const haystacks = {
      settings,
      logs: JSON.stringify([...main.logs, ...restarted.logs]),
      ipc: JSON.stringify(responses),
      events: JSON.stringify([...main.sessionEvents, ...restarted.sessionEvents, ...main.progress]),
    };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const needle of [server.admin.password, ...tokens]) {
        expect(text.includes(needle), `${where} holds a secret`).toBe(false);
      }
    }
    // Nothing was sent to the address the connection was briefly edited to.
    expect(held.sent.some((request) => request.url.startsWith('http://127.0.0.1:9/'))).toBe(false);
    expect(responses.length).toBeGreaterThan(15);
    // The people already under way finish (their requests were in flight); then the job ends cancelled.
    const waitedSince = Date.now();
    while (!main.progress.some((event) => event.state !== 'running') && Date.now() - waitedSince < 10_000) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(main.progress.at(-1)?.state).toBe('cancelled');
  });
});
