/** The import wizard's native dialogs: open a roster file, save its error report. */
import { type BrowserWindow, app, dialog } from 'electron';
import path from 'node:path';
import type { ImportDialogs } from '../ipc/import-handlers';

export function createImportDialogs(window: () => BrowserWindow | undefined): ImportDialogs {
  return {
    async chooseRosterFile() {
      const options: Electron.OpenDialogOptions = {
        title: 'Choose a roster file',
        properties: ['openFile'],
        filters: [
          { name: 'Roster files (CSV)', extensions: ['csv', 'txt', 'tsv'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const parent = window();
      const { canceled, filePaths } = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return canceled ? undefined : filePaths[0];
    },
    async chooseErrorReportTarget(suggestedName) {
      const options: Electron.SaveDialogOptions = {
        title: 'Save the error report',
        defaultPath: path.join(app.getPath('documents'), suggestedName),
        filters: [{ name: 'CSV', extensions: ['csv'] }],
      };
      const parent = window();
      const { canceled, filePath } = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return canceled || !filePath ? undefined : filePath;
    },
  };
}
