import type { ReactElement } from 'react';
import { ClinicianPage } from './ClinicianPage';
import { CliniciansPage } from './CliniciansPage';
import { DirectoryPage } from './DirectoryPage';
import { PatientPage } from './PatientPage';
import { PatientsPage } from './PatientsPage';

/** The people screens' routes, for App.tsx to spread into its <Routes>. */
export const peopleRoutes: readonly { path: string; element: ReactElement }[] = [
  { path: '/patients', element: <PatientsPage /> },
  { path: '/patients/:patientId', element: <PatientPage /> },
  { path: '/clinicians', element: <CliniciansPage /> },
  { path: '/clinicians/:practitionerId', element: <ClinicianPage /> },
  { path: '/directory', element: <DirectoryPage /> },
];
