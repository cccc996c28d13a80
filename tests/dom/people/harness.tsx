/**
 * The people screens over the REAL main handlers, signed in to a local Medplum server over real
 * HTTP: what the administrator sees is what main read from the server.
 */
import type { WithId } from '@medplum/core';
import type { MedplumClient } from '@medplum/core';
import type { Patient, ProjectMembership } from '@medplum/fhirtypes';
import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications, notifications } from '@mantine/notifications';
import { render } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import type { MsoApi } from '../../../preload/api/create-api';
import type { SessionInfo } from '../../../preload/api/schemas/connection';
import { ApiProvider } from '../../../renderer/src/api/api-context';
import { peopleRoutes } from '../../../renderer/src/pages/people-routes';
import { SessionProvider } from '../../../renderer/src/session/SessionContext';
import { theme } from '../../../renderer/src/theme';
import { unwrapOk } from '../../support/envelope';
import { type TestMain, createDirectApi, createTestMain } from '../../support/ipc';
import type { LocalServer } from '../../support/local-server';

export interface SignedInMain {
  main: TestMain;
  api: MsoApi;
  session: SessionInfo;
}

/** A fresh main with one connection to the server, signed in with email and password. */
export async function signInMain(server: LocalServer, email: string, password: string): Promise<SignedInMain> {
  const main = createTestMain();
  const api = createDirectApi(main);
  const connection = unwrapOk(
    await api.saveConnection({
      connection: {
        name: 'Local test server',
        baseUrl: server.baseUrl,
        projectId: server.projectId,
        mrnSystem: 'https://mso.example/mrn',
        isolationMode: 'shared-membership',
        signIn: { method: 'password', email },
      },
    }),
  );
  const result = unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email, password } }));
  if (result.status !== 'signed-in') throw new Error(`Expected a direct sign-in, got ${result.status}`);
  return { main, api, session: result.session };
}

/**
 * A project member who is not an administrator and has no access policy, so can read the whole
 * project: the screens must still offer no change.
 */
export async function signInMainAsReader(server: LocalServer, admin: MedplumClient): Promise<SignedInMain> {
  const email = `reader.${Date.now()}.${Math.random().toString(36).slice(2)}@example.test`;
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  await admin.invite(server.projectId, {
    resourceType: 'Practitioner',
    firstName: 'Rita',
    lastName: 'Reader',
    email,
    password,
    sendEmail: false,
    scope: 'project',
  });
  return signInMain(server, email, password);
}

export function signInMainAsAdmin(server: LocalServer): Promise<SignedInMain> {
  return signInMain(server, server.admin.email, server.admin.password);
}

/** The people screens at `path`, inside the same providers as the app. */
export function renderPeople(api: MsoApi, path: string) {
  // Notifications live in a store shared by all tests: start each screen without old ones.
  notifications.clean();
  return render(
    // env="test": Mantine skips transitions, so dropdowns and dialogs open at once in jsdom.
    <MantineProvider theme={theme} env="test">
      <Notifications />
      <ApiProvider api={api}>
        <SessionProvider>
          <ModalsProvider>
            <MemoryRouter initialEntries={[path]}>
              <Routes>
                {peopleRoutes.map((route) => (
                  <Route key={route.path} path={route.path} element={route.element} />
                ))}
              </Routes>
            </MemoryRouter>
          </ModalsProvider>
        </SessionProvider>
      </ApiProvider>
    </MantineProvider>,
  );
}

/** The patient as the server holds it now, past any cache. */
export function readPatient(admin: MedplumClient, id: string): Promise<WithId<Patient>> {
  return admin.readResource('Patient', id, { cache: 'no-cache' });
}

export function accountsOf(patient: Patient): string[] {
  return (patient.meta?.accounts ?? []).map((account) => account.reference ?? '');
}

/** The clinician's memberships in the project as the server holds them. */
export async function membershipsOf(admin: MedplumClient, practitionerId: string): Promise<WithId<ProjectMembership>[]> {
  const found = await admin.searchResources('ProjectMembership', { profile: `Practitioner/${practitionerId}` }, { cache: 'no-cache' });
  return found.filter((membership) => membership.profile?.reference === `Practitioner/${practitionerId}`);
}

/** The clinic ids a membership grants, read straight from its access entries. */
export function clinicIdsOf(memberships: readonly ProjectMembership[]): string[] {
  return memberships.flatMap((membership) =>
    (membership.access ?? []).flatMap((entry) =>
      (entry.parameter ?? []).flatMap((parameter) => {
        const reference = parameter.valueReference?.reference ?? '';
        return reference.startsWith('Organization/') ? [reference.slice('Organization/'.length)] : [];
      }),
    ),
  );
}
