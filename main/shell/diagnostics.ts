/** Help → Export Diagnostics: asks where to save the zip, writes it and shows it in the folder. */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserWindow, app, dialog, shell } from 'electron';
import { buildDiagnosticsZip, diagnosticsFileName } from '../diagnostics/diagnostics-bundle';
import type { DiagnosticsInput } from '../diagnostics/diagnostics-bundle';
import type { Logger } from '../logging/logger';

export async function exportDiagnostics(options: {
  window: BrowserWindow | undefined;
  gather: () => Promise<Omit<DiagnosticsInput, 'now' | 'os'>>;
  logger: Logger;
}): Promise<void> {
  const now = new Date();
  const saveOptions: Electron.SaveDialogOptions = {
    title: 'Export diagnostics',
    defaultPath: path.join(app.getPath('desktop'), diagnosticsFileName(now)),
    filters: [{ name: 'Zip archive', extensions: ['zip'] }],
  };
  const { canceled, filePath } = options.window ? await dialog.showSaveDialog(options.window, saveOptions) : await dialog.showSaveDialog(saveOptions);
  if (canceled || !filePath) return;
  try {
    const zip = buildDiagnosticsZip({ ...(await options.gather()), now, os: { platform: process.platform, release: os.release(), arch: process.arch } });
    await writeFile(filePath, zip);
    options.logger.info('diagnostics.exported', { bytes: zip.byteLength });
    shell.showItemInFolder(filePath);
  } catch (error) {
    options.logger.error('diagnostics.failed', { error: (error as Error).name });
    dialog.showErrorBox('Diagnostics not saved', 'The diagnostics file could not be written there. Choose another folder, such as your Desktop, and try again.');
  }
}
