import { describe, expect, it } from 'vitest';
import { type LogRecord, createLogger } from '../../../main/logging/logger';
import { detectInstallScope, isMsiInstall, selfUpdateBlocker } from '../../../main/updates/install-scope';
import { type UpdateInfoLike, type UpdatePrompts, type UpdaterLike, createUpdateController, summarizeUpdate } from '../../../main/updates/update-controller';
import { type UpdatePolicy, decideUpdatePolicy } from '../../../main/updates/update-policy';

class FakeUpdater implements UpdaterLike {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  allowDowngrade = true;
  feeds: string[] = [];
  checks = 0;
  downloads = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  constructor(private readonly available: UpdateInfoLike | null, private readonly failWith?: Error) {}
  setFeedURL(options: { provider: 'generic'; url: string }) {
    this.feeds.push(options.url);
  }
  async checkForUpdates() {
    this.checks++;
    if (this.failWith) throw this.failWith;
    return this.available ? { isUpdateAvailable: true, updateInfo: this.available } : { isUpdateAvailable: false, updateInfo: { version: '0.1.0' } };
  }
  async downloadUpdate() {
    this.downloads++;
    return ['/tmp/installer'];
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean) {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

function recordingPrompts(answers: { download: boolean[]; restart: boolean[] }) {
  const asked: string[] = [];
  const prompts: UpdatePrompts = {
    confirmDownload: async (update) => {
      asked.push(`download ${update.version}: ${update.notes}`);
      return answers.download.shift() ?? false;
    },
    confirmRestart: async (update, { installOnQuit }) => {
      asked.push(`restart ${update.version} (later ${installOnQuit ? 'installs on quit' : 'waits'})`);
      return answers.restart.shift() ?? false;
    },
  };
  return { prompts, asked };
}

const manualTimers = () => {
  const callbacks: (() => void)[] = [];
  return { callbacks, setInterval: (callback: () => void) => callbacks.push(callback), clearInterval: () => undefined };
};

const release: UpdateInfoLike = { version: '0.2.0', releaseName: 'Roster import', releaseNotes: '<p>Import rosters from CSV.</p><ul><li>Faster audit &amp; fixes</li></ul>' };

describe('update policy', () => {
  const on = { enabled: true } as const;
  it('is off when IT turns updates off, whatever else is true', () => {
    const policy = decideUpdatePolicy({ packaged: true, updates: { enabled: false, url: 'https://updates.example/' }, installScope: 'per-user', hasBuiltInFeed: true });
    expect(policy).toEqual({ enabled: false, reason: expect.stringContaining('turned off by your IT team') });
  });

  it('is off for a copy installed from the MSI, which IT updates with the next MSI', () => {
    const exePath = 'C:\\Program Files\\MSO Admin Console\\MSO Admin Console.exe';
    const msi = isMsiInstall({ platform: 'win32', exePath, productName: 'MSO Admin Console', exists: () => false });
    const nsis = isMsiInstall({ platform: 'win32', exePath, productName: 'MSO Admin Console', exists: (file) => file === 'C:\\Program Files\\MSO Admin Console\\Uninstall MSO Admin Console.exe' });
    expect([msi, nsis]).toEqual([true, false]);
    expect(isMsiInstall({ platform: 'linux', exePath: '/opt/x/y', productName: 'MSO Admin Console', exists: () => false })).toBe(false);
    const blocker = selfUpdateBlocker({ platform: 'win32', exePath, productName: 'MSO Admin Console', env: {}, resourcesPath: 'C:\\x', exists: () => false });
    const policy = decideUpdatePolicy({ packaged: true, updates: on, installScope: 'per-machine', hasBuiltInFeed: true, selfUpdateBlocker: blocker });
    expect(policy).toEqual({ enabled: false, reason: expect.stringContaining('next MSI') });
  });

  it('is off for a tar.gz copy; the AppImage and the deb can update themselves', () => {
    const linux = { platform: 'linux' as const, exePath: '/opt/mso/mso-admin-console', productName: 'MSO Admin Console', resourcesPath: '/opt/mso/resources' };
    expect(selfUpdateBlocker({ ...linux, env: {}, exists: () => false })).toMatch(/tar\.gz/);
    expect(selfUpdateBlocker({ ...linux, env: {}, exists: (file) => file === '/opt/mso/resources/package-type' })).toBeNull();
    expect(selfUpdateBlocker({ ...linux, env: { APPIMAGE: '/home/ana/MSO.AppImage' }, exists: () => false })).toBeNull();
  });

  it('is off in a development build and in a build without a feed', () => {
    expect(decideUpdatePolicy({ packaged: false, updates: on, installScope: 'per-user', hasBuiltInFeed: true }).enabled).toBe(false);
    expect(decideUpdatePolicy({ packaged: true, updates: on, installScope: 'per-user', hasBuiltInFeed: false }).enabled).toBe(false);
  });

  it('never downloads or installs a per-machine update without asking; per-user ones download in the background', () => {
    expect(decideUpdatePolicy({ packaged: true, updates: on, installScope: 'per-machine', hasBuiltInFeed: true })).toEqual(
      expect.objectContaining({ enabled: true, downloadWithoutAsking: false, installOnQuit: false, feedUrl: null }),
    );
    expect(decideUpdatePolicy({ packaged: true, updates: { enabled: true, url: 'https://it.example/mso/' }, installScope: 'per-user', hasBuiltInFeed: false })).toEqual(
      expect.objectContaining({ enabled: true, downloadWithoutAsking: true, installOnQuit: true, feedUrl: 'https://it.example/mso/' }),
    );
  });
});

describe('update controller', () => {
  it('with updates off, never creates the updater, checks or schedules anything', async () => {
    let created = 0;
    const timers = manualTimers();
    const { prompts, asked } = recordingPrompts({ download: [true], restart: [true] });
    const controller = createUpdateController({
      updater: () => {
        created++;
        return new FakeUpdater(release);
      },
      policy: decideUpdatePolicy({ packaged: true, updates: { enabled: false }, installScope: 'per-user', hasBuiltInFeed: true }),
      prompts,
      logger: createLogger(() => undefined),
      timers,
    });
    controller.start();
    await controller.checkNow({ userAsked: true });
    expect(created).toBe(0);
    expect(timers.callbacks).toHaveLength(0);
    expect(asked).toEqual([]);
    expect(controller.status()).toEqual({ state: 'off', reason: expect.stringContaining('IT team') });
  });

  it('per machine: shows what the update is before downloading, and restarts only when the user says, never silently', async () => {
    const updater = new FakeUpdater(release);
    const { prompts, asked } = recordingPrompts({ download: [false, true], restart: [false, true] });
    const policy = decideUpdatePolicy({ packaged: true, updates: { enabled: true }, installScope: 'per-machine', hasBuiltInFeed: true }) as Extract<UpdatePolicy, { enabled: true }>;
    const controller = createUpdateController({ updater: () => updater, policy, prompts, logger: createLogger(() => undefined), timers: manualTimers() });

    await controller.checkNow();
    expect(updater).toEqual(expect.objectContaining({ autoDownload: false, autoInstallOnAppQuit: false, allowDowngrade: false, downloads: 0 }));
    expect(controller.status()).toEqual({ state: 'available', version: '0.2.0' });

    await controller.checkNow();
    expect(updater.downloads).toBe(1);
    expect(updater.installs).toEqual([]);
    expect(controller.status()).toEqual({ state: 'ready', version: '0.2.0' });

    // Help → Check for Updates asks again about the downloaded update.
    await controller.checkNow({ userAsked: true });
    expect(updater.installs).toEqual([[false, true]]);
    expect(updater.downloads).toBe(1);
    expect(asked).toEqual([
      'download 0.2.0: Import rosters from CSV.\nFaster audit & fixes',
      'download 0.2.0: Import rosters from CSV.\nFaster audit & fixes',
      'restart 0.2.0 (later waits)',
      'restart 0.2.0 (later waits)',
    ]);
  });

  it('per user: downloads in the background, then lets the user restart now or at quit', async () => {
    const updater = new FakeUpdater(release);
    const timers = manualTimers();
    const { prompts, asked } = recordingPrompts({ download: [], restart: [false] });
    const policy = decideUpdatePolicy({ packaged: true, updates: { enabled: true, url: 'https://it.example/mso/' }, installScope: 'per-user', hasBuiltInFeed: true });
    const controller = createUpdateController({ updater: () => updater, policy, prompts, logger: createLogger(() => undefined), timers });
    controller.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(updater.feeds).toEqual(['https://it.example/mso/']);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.downloads).toBe(1);
    expect(updater.installs).toEqual([]);
    expect(asked).toEqual(['restart 0.2.0 (later installs on quit)']);
    // The periodic check does not nag about an update that is already waiting.
    expect(timers.callbacks).toHaveLength(1);
    timers.callbacks[0]?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(updater.checks).toBe(1);
    expect(asked).toHaveLength(1);
  });

  it('an unreachable feed is a plain status and a log entry without the error text', async () => {
    const logs: LogRecord[] = [];
    const updater = new FakeUpdater(null, Object.assign(new Error('getaddrinfo ENOTFOUND updates.internal.example'), { name: 'Error' }));
    const policy = decideUpdatePolicy({ packaged: true, updates: { enabled: true }, installScope: 'per-user', hasBuiltInFeed: true });
    const controller = createUpdateController({ updater: () => updater, policy, prompts: recordingPrompts({ download: [], restart: [] }).prompts, logger: createLogger((record) => logs.push(record)), timers: manualTimers() });
    await expect(controller.checkNow()).resolves.toEqual({ state: 'error', message: expect.stringContaining('try again later') });
    expect(JSON.stringify(logs)).not.toContain('ENOTFOUND');
    expect(logs.map((record) => record.event)).toEqual(['update.failed']);
  });

  it('summarizes release notes from either feed form as plain text', () => {
    expect(summarizeUpdate({ version: '1.0.0', releaseNotes: [{ version: '1.0.0', note: '<b>New</b>' }] })).toEqual({ version: '1.0.0', title: 'Version 1.0.0', notes: '1.0.0: New' });
  });
});

describe('install scope', () => {
  const base = { canWriteInstallDir: true };
  it('Windows: Program Files (NSIS for all users, the MSI) is per machine; the per-user NSIS folder is per user', () => {
    const env = { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' };
    expect(detectInstallScope({ ...base, platform: 'win32', env, exePath: 'C:\\Program Files\\MSO Admin Console\\MSO Admin Console.exe' })).toBe('per-machine');
    expect(detectInstallScope({ ...base, platform: 'win32', env, exePath: 'C:\\Users\\ana\\AppData\\Local\\Programs\\mso-admin-console\\MSO Admin Console.exe' })).toBe('per-user');
  });

  it('Linux: an AppImage is per user, the deb in /opt (not writable) per machine; macOS by whether the bundle is writable', () => {
    expect(detectInstallScope({ ...base, platform: 'linux', env: { APPIMAGE: '/home/ana/MSO.AppImage' }, exePath: '/tmp/.mount_x/mso-admin-console' })).toBe('per-user');
    expect(detectInstallScope({ platform: 'linux', env: {}, exePath: '/opt/MSO Admin Console/mso-admin-console', canWriteInstallDir: false })).toBe('per-machine');
    expect(detectInstallScope({ platform: 'darwin', env: {}, exePath: '/Applications/MSO Admin Console.app/Contents/MacOS/MSO Admin Console', canWriteInstallDir: false })).toBe('per-machine');
  });
});
