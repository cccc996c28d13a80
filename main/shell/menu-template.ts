/** The native menu: the usual roles, plus the console's own shortcuts routed to the UI. */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../preload/api/contract';

export function createMenuTemplate(options: {
  platform: NodeJS.Platform;
  appName: string;
  packaged: boolean;
  send: (command: MenuCommand) => void;
  openHelp: () => void;
  /** Help → Export Diagnostics…: a zip for IT (main/shell/diagnostics.ts). */
  exportDiagnostics?: () => void;
  /** Help → Check for Updates…; absent when updates are off. */
  checkForUpdates?: () => void;
}): MenuItemConstructorOptions[] {
  const { platform, appName, packaged, send } = options;
  const isMac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: appName,
      submenu: [
        { label: `About ${appName}`, click: () => send('about') },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push(
    {
      label: 'File',
      submenu: [
        { label: 'New Clinic…', accelerator: 'CmdOrCtrl+N', click: () => send('new-clinic') },
        { label: 'Import Roster…', accelerator: 'CmdOrCtrl+I', click: () => send('import') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        { label: 'Find…', accelerator: 'CmdOrCtrl+F', click: () => send('search') },
        { label: 'Search Everything…', accelerator: 'CmdOrCtrl+K', click: () => send('search') },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(packaged ? [] : ([{ role: 'toggleDevTools' }] as MenuItemConstructorOptions[])),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'MSO Admin Console Help', click: () => options.openHelp() },
        ...(options.checkForUpdates ? [{ label: 'Check for Updates…', click: options.checkForUpdates }] : []),
        ...(options.exportDiagnostics ? [{ type: 'separator' as const }, { label: 'Export Diagnostics…', click: options.exportDiagnostics }] : []),
        ...(isMac ? [] : ([{ label: `About ${appName}`, click: () => send('about') }] as MenuItemConstructorOptions[])),
      ],
    },
  );
  return template;
}
