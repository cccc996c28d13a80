import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { useEffect } from 'react';
import { Navigate, Route, Routes, useNavigate } from 'react-router';
import { useApi } from './api/api-context';
import { AccessAuditPage } from './pages/AccessAuditPage';
import { ActivityPage } from './pages/ActivityPage';
import { ClinicPage } from './pages/ClinicPage';
import { ClinicsPage } from './pages/ClinicsPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { ImportPage } from './pages/ImportPage';
import { InterruptedImportNotice } from './import/InterruptedImportNotice';
import { peopleRoutes } from './pages/people-routes';
import { ConsoleShell } from './shell/ConsoleShell';

export function App() {
  const api = useApi();
  const navigate = useNavigate();
  const [aboutOpened, about] = useDisclosure(false);

  // The native menu's commands arrive from main as events.
  useEffect(
    () =>
      api.on.menuCommand(({ command }) => {
        if (command === 'about') about.open();
        if (command === 'import') void navigate('/import');
        if (command === 'new-clinic') void navigate('/clinics?new=1');
      }),
    [api, about, navigate],
  );

  // An expired or revoked session goes straight back to that connection's sign-in.
  useEffect(
    () =>
      api.on.sessionChanged((event) => {
        if (event.state === 'expired') void navigate(`/connections?signin=${event.connectionId}`);
      }),
    [api, navigate],
  );

  useHotkeys([
    ['mod+I', () => void navigate('/import')],
    ['mod+N', () => void navigate('/clinics?new=1')],
  ]);

  return (
    <ConsoleShell aboutOpened={aboutOpened} onAboutOpen={about.open} onAboutClose={about.close}>
      <InterruptedImportNotice />
      <Routes>
        <Route path="/" element={<Navigate to="/clinics" replace />} />
        <Route path="/connections" element={<ConnectionsPage />} />
        <Route path="/clinics" element={<ClinicsPage />} />
        <Route path="/clinics/:clinicId" element={<ClinicPage />} />
        <Route path="/audit" element={<AccessAuditPage />} />
        <Route path="/activity" element={<ActivityPage />} />
        <Route path="/import" element={<ImportPage />} />
        {peopleRoutes.map((route) => (
          <Route key={route.path} path={route.path} element={route.element} />
        ))}
        <Route path="*" element={<Navigate to="/clinics" replace />} />
      </Routes>
    </ConsoleShell>
  );
}
