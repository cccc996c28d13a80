import { Button, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { IconDownload, IconPrinter } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { AuditExport } from '../../../preload/api/schemas/audit';
import { ReportView } from './ReportView';
import { saveFile } from './save-file';

/**
 * The printable report as main wrote it: a preview, "Print or save as PDF" (the window's print,
 * which prints only the report), and "Save as HTML".
 */
export function PrintableReportDialog({ report, onClose }: { report: AuditExport; onClose: () => void }) {
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    if (!printing) return;
    const done = () => setPrinting(false);
    window.addEventListener('afterprint', done);
    // The print copy is in the page before the print dialog takes its picture.
    const timer = setTimeout(() => {
      window.print();
    }, 50);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('afterprint', done);
    };
  }, [printing]);

  return (
    <>
      <Modal opened onClose={onClose} title="Printable report" size="xl">
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            The latest audit as a report, with the names of the people and records it concerns. Keep it where health records
            may be kept.
          </Text>
          <Paper withBorder radius="sm" p="sm" mah={480} style={{ overflowY: 'auto', background: 'white', color: 'black' }} tabIndex={0} role="region" aria-label="The report">
            <ReportView html={report.content} testId="report-preview" />
          </Paper>
          <Group justify="flex-end" className="dialog-actions">
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => saveFile(report)}>
              Save as HTML
            </Button>
            <Button leftSection={<IconPrinter size={16} />} onClick={() => setPrinting(true)} data-autofocus>
              Print or save as PDF
            </Button>
          </Group>
        </Stack>
      </Modal>
      {printing &&
        createPortal(
          <div className="print-only-report">
            <ReportView html={report.content} />
          </div>,
          document.body,
        )}
    </>
  );
}
