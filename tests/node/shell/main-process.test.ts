/**
 * Starts the real main-process entry against a mocked Electron and checks what it set up:
 * the window's options, the guards, the protocol, the single-instance lock, the menu and
 * the IPC handlers (and that those refuse a foreign sender).
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { invokeChannelNames, wireInvokeChannel } from '../../../preload/api/contract';

const fake = vi.hoisted(() => {
  type Fn = (...args: unknown[]) => unknown;
  const appListeners = new Map<string, Fn>();
  const ipcHandlers = new Map<string, Fn>();
  const windows: { options: Record<string, unknown>; loaded: string[]; contentsListeners: Map<string, Fn> }[] = [];
  const state = {
    privileged: [] as unknown[],
    protocolHandlers: new Map<string, Fn>(),
    menuTemplate: null as unknown,
    sessionCalls: [] as string[],
    lockRequested: false,
    /** The app's paths (settings, logs): a folder of its own, made before main starts. */
    appDir: '',
  };
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));

  class BrowserWindow {
    webContents: { id: number; send: Fn; on: Fn; setWindowOpenHandler: Fn; closeDevTools: Fn };
    entry: (typeof windows)[number];
    constructor(options: Record<string, unknown>) {
      this.entry = { options, loaded: [], contentsListeners: new Map() };
      windows.push(this.entry);
      const entry = this.entry;
      this.webContents = {
        id: windows.length,
        send: () => undefined,
        on: (name: unknown, listener: unknown) => entry.contentsListeners.set(name as string, listener as Fn),
        setWindowOpenHandler: () => undefined,
        closeDevTools: () => undefined,
      };
      // Electron emits web-contents-created for every new WebContents.
      appListeners.get('web-contents-created')?.({}, this.webContents);
    }
    on() {
      return this;
    }
    loadURL(url: string) {
      this.entry.loaded.push(url);
      return Promise.resolve();
    }
  }

  const electron = {
    app: {
      isPackaged: true,
      getName: () => 'MSO Admin Console',
      getVersion: () => '0.1.0',
      getPath: (name: string) => (name === 'logs' ? `${state.appDir}/logs` : state.appDir),
      requestSingleInstanceLock: () => {
        state.lockRequested = true;
        return true;
      },
      on: (name: string, listener: Fn) => appListeners.set(name, listener),
      whenReady: () => {
        readyResolve();
        return ready;
      },
      quit: () => undefined,
    },
    BrowserWindow,
    Menu: {
      buildFromTemplate: (template: unknown) => {
        state.menuTemplate = template;
        return template;
      },
      setApplicationMenu: () => undefined,
    },
    ipcMain: { handle: (channel: string, handler: Fn) => ipcHandlers.set(channel, handler) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => state.privileged.push(...schemes),
      handle: (scheme: string, handler: Fn) => state.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => state.sessionCalls.push('permission-request'),
        setPermissionCheckHandler: () => state.sessionCalls.push('permission-check'),
        setDevicePermissionHandler: () => state.sessionCalls.push('device-permission'),
        webRequest: { onHeadersReceived: () => state.sessionCalls.push('csp') },
      },
    },
    shell: { openExternal: async () => undefined },
  };
  return { electron, appListeners, ipcHandlers, windows, state, ready };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

beforeAll(async () => {
  fake.state.appDir = mkdtempSync(path.join(tmpdir(), 'mso-shell-'));
  await import('../../../main/shell/index');
  await fake.ready;
  await new Promise((resolve) => setTimeout(resolve, 0));
});

describe('main process entry (Electron mocked)', () => {
  it('takes the single-instance lock and registers app:// as a secure standard scheme', () => {
    expect(fake.state.lockRequested).toBe(true);
    expect(fake.appListeners.has('second-instance')).toBe(true);
    expect(fake.state.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(fake.state.protocolHandlers.has('app')).toBe(true);
  });

  it('opens one hardened window on the app:// origin, not file://', () => {
    expect(fake.windows).toHaveLength(1);
    const [window] = fake.windows;
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      devTools: false,
    });
    expect(window?.loaded).toEqual(['app://mso/index.html']);
    expect([...(window?.contentsListeners.keys() ?? [])]).toEqual(
      expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview', 'devtools-opened']),
    );
  });

  it('guards the session: permissions denied and the CSP header set', () => {
    expect(fake.state.sessionCalls.sort()).toEqual(['csp', 'device-permission', 'permission-check', 'permission-request']);
  });

  it('sets a native menu with the usual roles and no DevTools when packaged', () => {
    const roles = JSON.stringify(fake.state.menuTemplate);
    for (const role of ['undo', 'copy', 'paste', 'selectAll', 'windowMenu', 'help', 'reload', 'zoomIn']) {
      expect(roles).toContain(`"role":"${role}"`);
    }
    expect(roles).not.toContain('toggleDevTools');
  });

  it("writes its log to the OS's log folder, starting with the managed configuration and update policy it found", async () => {
    const records = (await readFile(path.join(fake.state.appDir, 'logs', 'main.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; fields: Record<string, unknown> });
    expect(records.find((record) => record.event === 'managed-config.loaded')?.fields).toEqual(
      expect.objectContaining({ status: 'none', path: expect.stringContaining('managed-config.json') }),
    );
    expect(records.find((record) => record.event === 'update.policy')?.fields).toEqual(expect.objectContaining({ enabled: false }));
  });

  it('offers Export Diagnostics in Help, and no update check in a build without an update feed', () => {
    const menu = JSON.stringify(fake.state.menuTemplate);
    expect(menu).toContain('"label":"Export Diagnostics…"');
    expect(menu).not.toContain('Check for Updates');
  });

  it('registers one IPC handler per contract channel, which refuses a foreign frame', async () => {
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(invokeChannelNames.map(wireInvokeChannel).sort());
    const handler = fake.ipcHandlers.get(wireInvokeChannel('getAppInfo'));
    const mainFrame = { url: 'https://evil.example/' };
    const foreign = await handler?.({ sender: { id: 1, mainFrame }, senderFrame: mainFrame }, {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    const ownFrame = { url: 'app://mso/index.html' };
    const own = await handler?.({ sender: { id: 1, mainFrame: ownFrame }, senderFrame: ownFrame }, {});
    expect(own).toMatchObject({ ok: true, value: { version: '0.1.0', packaged: true } });
    const otherWindow = await handler?.({ sender: { id: 99, mainFrame: ownFrame }, senderFrame: ownFrame }, {});
    expect(otherWindow).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });
});
