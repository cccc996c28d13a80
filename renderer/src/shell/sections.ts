import {
  IconAddressBook,
  IconBuildingHospital,
  IconFileImport,
  IconHistory,
  IconPlugConnected,
  IconShieldCheck,
  IconStethoscope,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';

export interface Section {
  path: string;
  label: string;
  icon: Icon;
  /** One sentence on what the administrator does here. */
  purpose: string;
  /** What to do while there is nothing to show yet. */
  emptyState: string;
  /** What the area offers once signed in, until its screen arrives. */
  signedInState: string;
}

export const sections: readonly Section[] = [
  {
    path: '/clinics',
    label: 'Clinics',
    icon: IconBuildingHospital,
    purpose: 'The clinics of your MSO, with how many clinicians and patients each has.',
    emptyState: 'Connect to your Medplum project to see its clinics.',
    signedInState: 'Signed in. This area opens in the next release of the console; nothing here changes access yet.',
  },
  {
    path: '/clinicians',
    label: 'Clinicians',
    icon: IconStethoscope,
    purpose: 'Clinicians, their sign-ins and the clinics whose patients they may see.',
    emptyState: 'Connect to your Medplum project to see and enroll its clinicians.',
    signedInState: 'Signed in. This area opens in the next release of the console; nothing here changes access yet.',
  },
  {
    path: '/patients',
    label: 'Patients',
    icon: IconUsers,
    purpose: 'Patients and the clinics they belong to.',
    emptyState: 'Connect to your Medplum project to see and enroll its patients.',
    signedInState: 'Signed in. This area opens in the next release of the console; nothing here changes access yet.',
  },
  {
    path: '/directory',
    label: 'Directory',
    icon: IconAddressBook,
    purpose: 'Every clinician across the MSO with their clinics.',
    emptyState: 'Connect to your Medplum project to see the provider directory.',
    signedInState: 'Signed in. This area opens in the next release of the console; nothing here changes access yet.',
  },
  {
    path: '/import',
    label: 'Import',
    icon: IconFileImport,
    purpose: 'Bring in a whole clinic roster of patients or clinicians from a CSV file.',
    emptyState: 'Connect to your Medplum project, then choose a roster file to check it before anything is written.',
    signedInState: 'Signed in. This area opens in the next release of the console; nothing here changes access yet.',
  },
  {
    path: '/audit',
    label: 'Access audit',
    icon: IconShieldCheck,
    purpose: 'Finds memberships and records whose access is wider or narrower than it should be.',
    emptyState: 'Connect to your Medplum project to audit who can see which records.',
    signedInState: 'Signed in. This area opens in the next release of the console; nothing here changes access yet.',
  },
  {
    path: '/activity',
    label: 'Activity',
    icon: IconHistory,
    purpose: 'Every change this console made: who, when, what and the result.',
    emptyState: 'No changes yet. Changes you make in the console will be listed here.',
    signedInState: 'Signed in. This area opens in the next release of the console; nothing here changes access yet.',
  },
  {
    path: '/connections',
    label: 'Connections',
    icon: IconPlugConnected,
    purpose: 'The Medplum servers and projects this console signs in to.',
    emptyState: 'No connections yet. Add the Medplum server and project you administer.',
    signedInState: 'Signed in. This area opens in the next release of the console; nothing here changes access yet.',
  },
];
