/**
 * Differential: `admin/projects/{id}/invite`. A plain invite, inviting a member again, `upsert`
 * (which replaces access and drops the base policy), `forceNewMembership` (a second membership
 * with its own label), reusing a profile, bad requests, and who may invite at all.
 */
import type { MedplumClient } from '@medplum/core';
import type { ProjectMembership, ProjectMembershipAccess } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestClinician } from '../../support/local-server';
import { createClinic, createClinician, msoPolicyReference, newClient, preparePkce } from '../../support/local-server';
import type { Side, Sides } from './compare';
import { expectSameAnswer, onBoth, outcomeOf, send, startBothBackends } from './compare';

const LABEL_SYSTEM = 'https://medplum.com/identifier/label';
let sides: Sides;
const clinics = new Map<string, Record<string, string>>();
const members = new Map<string, TestClinician>();
let n = 0;

beforeAll(async () => {
  sides = await startBothBackends();
  await onBoth(sides, async (side) => {
    const north = await createClinic(side.admin, 'North');
    const south = await createClinic(side.admin, 'South');
    clinics.set(side.kind, { [north.id]: 'North', [south.id]: 'South' });
    members.set(side.kind, await createClinician(side.backend, side.admin, [north]));
  });
}, 180_000);

afterAll(async () => {
  await sides?.stop();
});

function accessTo(side: Side, clinicName: string): ProjectMembershipAccess {
  const id = Object.entries(clinics.get(side.kind) ?? {}).find(([, name]) => name === clinicName)?.[0];
  return { policy: msoPolicyReference(side.backend), parameter: [{ name: 'organization', valueReference: { reference: `Organization/${id}` } }] };
}

/** A membership as comparable facts: admin flag, base policy present, clinics of its access, label, profile type. */
function shapeOf(side: Side, membership: ProjectMembership | undefined) {
  if (!membership) {
    return 'none';
  }
  const names = clinics.get(side.kind) ?? {};
  return {
    admin: membership.admin ?? false,
    basePolicy: membership.accessPolicy ? 'MSO' : 'none',
    clinics: (membership.access ?? []).map((a) => names[a.parameter?.[0]?.valueReference?.reference?.split('/')[1] ?? ''] ?? '?').sort(),
    label: membership.identifier?.find((i) => i.system === LABEL_SYSTEM)?.value,
    profileType: membership.profile?.reference?.split('/')[0],
    user: membership.user?.reference?.split('/')[0],
  };
}

async function invite(client: MedplumClient, side: Side, body: object) {
  const result = await send(client, 'POST', `admin/projects/${side.backend.projectId}/invite`, body, { 'Content-Type': 'application/json' });
  return { exchange: result, membership: result.status === 200 ? (result.body as ProjectMembership) : undefined };
}

/** How many memberships auth/login offers the person (1 means it answers with a code directly). */
async function membershipsAtLogin(side: Side, email: string, password: string): Promise<number | string> {
  const client = newClient(side.backend);
  const login = (await client.startLogin({ email, password, projectId: side.backend.projectId, ...preparePkce(client) }).catch((err: unknown) =>
    err instanceof Error ? { error: err.message } : { error: String(err) }
  )) as { code?: string; memberships?: unknown[]; error?: string };
  return login.error ?? (login.code ? 1 : (login.memberships?.length ?? 0));
}

describe('differential: invites', () => {
  test('plain invite, inviting again (409), upsert replacing access and dropping the base policy', async () => {
    const answers = await onBoth(sides, async (side) => {
      const email = `invitee${++n}.${Date.now()}@example.test`;
      const password = `pw-${Math.random().toString(36).slice(2)}-X`;
      const base = { resourceType: 'Practitioner', firstName: 'Ivy', lastName: `Invitee${n}`, email, password, sendEmail: false, scope: 'project' };
      const membership = { accessPolicy: msoPolicyReference(side.backend), access: [accessTo(side, 'North')] };
      const first = await invite(side.admin, side, { ...base, membership });
      const again = await invite(side.admin, side, { ...base, membership: { ...membership, access: [accessTo(side, 'South')] } });
      const upsert = await invite(side.admin, side, { ...base, upsert: true, membership: { access: [accessTo(side, 'South')] } });
      const stored = upsert.membership
        ? ((await send(side.admin, 'GET', `fhir/R4/ProjectMembership/${upsert.membership.id}`)).body as ProjectMembership)
        : undefined;
      return {
        first: { status: first.exchange.status, membership: shapeOf(side, first.membership) },
        again: outcomeOf(again.exchange),
        upsert: { status: upsert.exchange.status, sameMembership: upsert.membership?.id === first.membership?.id, stored: shapeOf(side, stored) },
        loginMemberships: await membershipsAtLogin(side, email, password),
      };
    });
    const shared = expectSameAnswer(answers, 'plain and upsert invites');
    expect(shared.again.status).toBe(409);
    expect(shared.upsert.stored).toMatchObject({ basePolicy: 'none', clinics: ['South'] });
  });

  test('forceNewMembership adds a second, labelled membership for the same person and profile', async () => {
    const answers = await onBoth(sides, async (side) => {
      const member = members.get(side.kind) as TestClinician;
      const forced = await invite(side.admin, side, {
        resourceType: 'Practitioner',
        firstName: 'Test',
        lastName: 'Clinician',
        email: member.email,
        sendEmail: false,
        scope: 'project',
        forceNewMembership: true,
        membership: {
          profile: member.membership.profile,
          accessPolicy: msoPolicyReference(side.backend),
          access: [accessTo(side, 'South')],
          identifier: [{ system: LABEL_SYSTEM, value: 'South only' }],
        },
      });
      const all = await send(side.admin, 'GET', `fhir/R4/ProjectMembership?profile=${member.membership.profile?.reference}`);
      const entries = ((all.body as { entry?: { resource: ProjectMembership }[] }).entry ?? []).map((e) => shapeOf(side, e.resource));
      return {
        status: forced.exchange.status,
        newMembership: forced.membership?.id !== member.membership.id,
        sameProfile: forced.membership?.profile?.reference === member.membership.profile?.reference,
        memberships: entries.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        loginMemberships: await membershipsAtLogin(side, member.email, member.password),
      };
    });
    const shared = expectSameAnswer(answers, 'forceNewMembership');
    expect(shared.loginMemberships).toBe(2);
  });

  test('bad invites and who may invite', async () => {
    const answers = await onBoth(sides, async (side) => {
      const member = members.get(side.kind) as TestClinician;
      const email = `nobody${++n}.${Date.now()}@example.test`;
      const body = { resourceType: 'Practitioner', firstName: 'No', lastName: 'Body', email, sendEmail: false, scope: 'project' };
      return {
        noEmail: outcomeOf((await invite(side.admin, side, { ...body, email: undefined })).exchange).status,
        noFirstName: outcomeOf((await invite(side.admin, side, { ...body, firstName: undefined })).exchange).status,
        badType: outcomeOf((await invite(side.admin, side, { ...body, resourceType: 'Organization' })).exchange).status,
        byClinician: outcomeOf((await invite(member.client, side, body)).exchange).status,
      };
    });
    const shared = expectSameAnswer(answers, 'bad invites');
    expect(shared.byClinician).toBe(403);
  });

  test('known difference kept: an invite naming another project is refused locally; Medplum ignores the id and invites into the caller’s project', async () => {
    const answers = await onBoth(sides, async (side) => {
      const email = `elsewhere${++n}.${Date.now()}@example.test`;
      const body = { resourceType: 'Practitioner', firstName: 'Else', lastName: 'Where', email, sendEmail: false, scope: 'project' };
      const result = await send(side.admin, 'POST', `admin/projects/${crypto.randomUUID()}/invite`, body, { 'Content-Type': 'application/json' });
      const made = result.body as ProjectMembership;
      return { status: result.status, intoOwnProject: result.status === 200 ? made.project?.reference === `Project/${side.backend.projectId}` : undefined };
    });
    expect(answers).toEqual({ local: { status: 403, intoOwnProject: undefined }, real: { status: 200, intoOwnProject: true } });
  });
});
