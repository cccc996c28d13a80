/**
 * An administrator whose membership another administrator removes is signed out on their next
 * call, not left with a console that answers every click with "gone". A real Medplum answers
 * every request of a token whose membership is deleted with 410 Gone, not 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestBackend, backendKind, startTestBackend } from '../../support/backend';
import { unwrapOk } from '../../support/envelope';
import { createDirectApi, createTestMain, signInOverIpc } from '../../support/ipc';
import { signInAsAdmin } from '../../support/local-server';
import { inviteSecondAdmin } from '../../support/second-admin';

let backend: TestBackend;

beforeAll(async () => {
  backend = await startTestBackend({ kind: backendKind() });
});
afterAll(() => backend.stop());

describe('an administrator removed from the project while signed in', () => {
  it('is signed out on the next call, and a deleted record stays a plain "not found"', async () => {
    const owner = await signInAsAdmin(backend);
    const { email, password, membership } = await inviteSecondAdmin(backend, owner);

    const main = createTestMain();
    const api = createDirectApi(main);
    const { connectionId } = await signInOverIpc(api, backend, { email, password }, 'Second admin');
    const clinic = unwrapOk(await api.createClinic({ name: `Gone test ${Date.now()}` })).value;

    // A deleted record the admin still can reach is "not found", and the session goes on.
    await owner.deleteResource('Organization', clinic.id);
    const deleted = await api.getClinic({ clinicId: clinic.id });
    expect(deleted.ok).toBe(false);
    if (!deleted.ok) expect(deleted.error.code).toBe("not_found");
    expect(unwrapOk(await api.getSession({}))).not.toBeNull();

    await owner.deleteResource('ProjectMembership', membership.id);
    const after = await api.listClinics({});
    expect(after.ok).toBe(false);
    if (!after.ok) {
      expect(after.error.code, JSON.stringify(after.error)).toBe('not_signed_in');
      expect(after.error.message).toMatch(/sign in again/i);
    }
    expect(main.sessionEvents.at(-1)).toMatchObject({ state: 'expired', connectionId });
    expect(unwrapOk(await api.getSession({}))).toBeNull();
  });
});
