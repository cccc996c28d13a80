import { Button, Group } from '@mantine/core';
import { IconFileSpreadsheet, IconPrinter } from '@tabler/icons-react';
import { useState } from 'react';
import type { IpcError } from '../../../preload/api/contract';
import type { AuditExport } from '../../../preload/api/schemas/audit';
import { useApi } from '../api/api-context';
import { ErrorNotice } from '../components/ErrorNotice';
import { PrintableReportDialog } from './PrintableReportDialog';
import { saveFile } from './save-file';

/** "Export CSV" and "Printable report": main writes both from its latest audit; nothing is made here. */
export function AuditExportButtons({ disabled }: { disabled: boolean }) {
  const api = useApi();
  const [busy, setBusy] = useState<'csv' | 'html' | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [report, setReport] = useState<AuditExport | null>(null);

  const exportAs = async (format: 'csv' | 'html') => {
    setBusy(format);
    setError(null);
    try {
      const result = await api.exportAudit({ format });
      if (!result.ok) setError(result.error);
      else if (format === 'csv') saveFile(result.value);
      else setReport(result.value);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <Group gap="xs">
        <Button variant="default" leftSection={<IconFileSpreadsheet size={16} />} disabled={disabled} loading={busy === 'csv'} onClick={() => void exportAs('csv')}>
          Export CSV
        </Button>
        <Button variant="default" leftSection={<IconPrinter size={16} />} disabled={disabled} loading={busy === 'html'} onClick={() => void exportAs('html')}>
          Printable report
        </Button>
      </Group>
      {error && <ErrorNotice error={error} title="The findings were not exported" />}
      {report && <PrintableReportDialog report={report} onClose={() => setReport(null)} />}
    </>
  );
}
