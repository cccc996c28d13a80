/** A second project administrator (a person, with a password), as another desktop's admin would be. */
import type { MedplumClient, WithId } from '@medplum/core';
import type { ProjectMembership } from '@medplum/fhirtypes';
import type { ServerUnderTest } from './local-server';
import { signIn } from './local-server';

export interface SecondAdmin {
  readonly email: string;
  readonly password: string;
  readonly client: MedplumClient;
  readonly membership: WithId<ProjectMembership>;
  /** `Practitioner/<id>`: what `meta.author` says for this admin's writes. */
  readonly profile: string;
}

export async function inviteSecondAdmin(server: ServerUnderTest, owner: MedplumClient, lastName = 'Admin'): Promise<SecondAdmin> {
  const email = `admin2.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.test`;
  const password = `pw-${Math.random().toString(36).slice(2)}-Aa1!`;
  const membership = (await owner.invite(server.projectId, {
    resourceType: 'Practitioner',
    firstName: 'Second',
    lastName,
    email,
    password,
    sendEmail: false,
    scope: 'project',
    admin: true,
  })) as WithId<ProjectMembership>;
  const client = await signIn(server, email, password, server.projectId);
  return { email, password, client, membership, profile: membership.profile?.reference as string };
}
