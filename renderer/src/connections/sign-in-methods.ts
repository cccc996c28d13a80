import type { SignInMethod } from '../../../preload/api/schemas/connection';

export const signInMethodLabels: Record<SignInMethod['method'], string> = {
  password: 'Email and password',
  'client-credentials': 'Client credentials (admin client)',
  'authorization-code': 'Browser sign-in',
  'local-sandbox': 'Local sandbox',
};

export const isolationModeLabels = {
  'shared-membership': 'One membership with every clinic (clinicians see all their clinics at once)',
  'membership-per-clinic': 'One membership per clinic (strict isolation; clinicians choose a clinic at sign-in)',
} as const;
