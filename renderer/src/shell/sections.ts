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
}

export const sections: readonly Section[] = [
  {
    path: '/clinics',
    label: 'Clinics',
    icon: IconBuildingHospital,
  },
  {
    path: '/clinicians',
    label: 'Clinicians',
    icon: IconStethoscope,
  },
  {
    path: '/patients',
    label: 'Patients',
    icon: IconUsers,
  },
  {
    path: '/directory',
    label: 'Directory',
    icon: IconAddressBook,
  },
  {
    path: '/import',
    label: 'Import',
    icon: IconFileImport,
  },
  {
    path: '/audit',
    label: 'Access audit',
    icon: IconShieldCheck,
  },
  {
    path: '/activity',
    label: 'Activity',
    icon: IconHistory,
  },
  {
    path: '/connections',
    label: 'Connections',
    icon: IconPlugConnected,
  },
];
