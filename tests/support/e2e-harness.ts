/**
 * The end-to-end harness: the built renderer served on 127.0.0.1, opened in Debian's Chromium
 * through playwright-core, with its API wired to the real main-process handlers running in this
 * test process. A click in the page runs main's dispatcher and handlers and the answer is drawn
 * by the real UI.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { mkdir, readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { type Browser, type Page, chromium } from 'playwright-core';
import { createMainServices, type MainServices } from '../../main/ipc/main-services';
import type { ImportDialogs } from '../../main/ipc/import-handlers';
import { createSenderPolicy } from '../../main/ipc/sender-policy';
import { type LogRecord, createLogger } from '../../main/logging/logger';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store';
import type { SecretStore } from '../../main/secrets/secret-store';
import type { SandboxLauncher } from '../../main/session/sandbox-launcher';
import { mimeTypeOf } from '../../main/security/app-protocol';
import { contentSecurityPolicy } from '../../main/security/content-security-policy';
import { type AppInfo, type EventChannel, type EventPayloadOf, type JobProgress, wireEventChannel } from '../../preload/api/contract';

const repoRoot = path.resolve(__dirname, '../..');
export const rendererDir = path.join(repoRoot, 'out/renderer');
export const screenshotDir = path.join(repoRoot, 'test-output/e2e');
const docsScreenshotDir = path.join(repoRoot, 'docs/screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface E2eHarness {
  page: Page;
  baseUrl: string;
  main: MainServices;
  logs: LogRecord[];
  /** Every envelope main answered with, in order, for tests that look for leaks. */
  responses: unknown[];
  emit<E extends EventChannel>(event: E, payload: EventPayloadOf<E>): Promise<void>;
  /**
   * Saves a PNG in test-output/e2e (and docs/screenshots when DOCS_SCREENSHOTS=1); returns its path.
   * Notifications are hidden unless asked for, so they never cover what the screenshot is of.
   */
  screenshot(name: string, options?: { notifications?: boolean }): Promise<string>;
  close(): Promise<void>;
}

function serveStatic(root: string): Promise<Server> {
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = path.resolve(root, pathname === '/' ? 'index.html' : `.${pathname}`);
    if (!file.startsWith(root + path.sep)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': mimeTypeOf(file), 'Content-Security-Policy': contentSecurityPolicy });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function bundleBridge(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(repoRoot, 'tests/e2e/harness/browser-bridge.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('The browser bridge did not bundle.');
  return output.text;
}

let sharedBrowser: Promise<Browser> | null = null;

function launchBrowser(): Promise<Browser> {
  sharedBrowser ??= chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return sharedBrowser;
}

export async function closeBrowser(): Promise<void> {
  if (sharedBrowser) await (await sharedBrowser).close();
  sharedBrowser = null;
}

export interface E2eHarnessOptions {
  colorScheme?: 'light' | 'dark';
  appInfo?: () => AppInfo;
  viewport?: { width: number; height: number };
  /** Defaults to an in-memory store; pass a KeytarSecretStore to use the real keychain. */
  secrets?: SecretStore;
  sandbox?: SandboxLauncher;
  /** Where connections.json lives; a fresh temporary folder by default. */
  userDataDir?: string;
  /** The import wizard's open and save dialogs (a fake answering with chosen paths). */
  importDialogs?: ImportDialogs;
}

export async function startE2eHarness(options: E2eHarnessOptions = {}): Promise<E2eHarness> {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error('The renderer is not built: run `npm run build` before the end-to-end tests.');
  }
  const server = await serveStatic(rendererDir);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const logs: LogRecord[] = [];
  const responses: unknown[] = [];
  let page: Page | null = null;

  const publish = (wireChannel: string, payload: unknown) => {
    void page?.evaluate(([channel, value]) => window.__msoEmit(channel as string, value), [wireChannel, payload] as const);
  };

  const main = createMainServices({
    userDataDir: options.userDataDir ?? mkdtempSync(path.join(tmpdir(), 'mso-e2e-')),
    secrets: options.secrets ?? new MemorySecretStore(),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.importDialogs ? { importDialogs: options.importDialogs } : {}),
    publishSessionEvent: (event) => publish(wireEventChannel('sessionChanged'), event),
    appInfo:
      options.appInfo ??
      (() => ({
        name: 'MSO Admin Console',
        version: '0.1.0',
        platform: process.platform,
        packaged: false,
        runtime: { electron: null, chrome: null, node: process.versions.node },
      })),
    openExternal: async () => undefined,
    publishJobProgress: (progress: JobProgress) => publish(wireEventChannel('jobProgress'), progress),
    senderPolicy: createSenderPolicy({ allowedOrigins: [baseUrl] }),
    logger: createLogger((record) => logs.push(record)),
  });

  const browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    // Screenshots must not catch a dialog halfway through its transition.
    reducedMotion: 'reduce',
  });
  page = await context.newPage();
  const openedPage = page;
  await openedPage.exposeBinding('__msoInvoke', async (source, wireChannel: string, request: unknown) => {
    const channel = String(wireChannel).replace(/^mso:invoke:/, '');
    const response = await main.dispatcher.dispatch(
      channel,
      { webContentsId: null, frameUrl: source.frame.url(), isMainFrame: source.frame === openedPage.mainFrame() },
      request,
    );
    responses.push(response);
    return response;
  });
  await openedPage.addInitScript({ content: await bundleBridge() });
  const pageErrors: string[] = [];
  openedPage.on('pageerror', (error) => pageErrors.push(error.name));
  await openedPage.goto(`${baseUrl}/index.html`);

  return {
    page: openedPage,
    baseUrl,
    main,
    logs,
    responses,
    emit: async (event, payload) => {
      await openedPage.evaluate(([channel, value]) => window.__msoEmit(channel as string, value), [wireEventChannel(event), payload] as const);
    },
    screenshot: async (name, shotOptions = {}) => {
      await mkdir(screenshotDir, { recursive: true });
      const hidden = shotOptions.notifications
        ? null
        : await openedPage.addStyleTag({ content: '.mantine-Notifications-root { display: none !important; }' });
      const file = path.join(screenshotDir, `${name}.png`);
      await openedPage.screenshot({ path: file, fullPage: false });
      if (process.env.DOCS_SCREENSHOTS === '1') {
        await mkdir(docsScreenshotDir, { recursive: true });
        await openedPage.screenshot({ path: path.join(docsScreenshotDir, `${name}.png`) });
      }
      await hidden?.evaluate((element) => (element as Element).remove());
      return file;
    },
    close: async () => {
      await context.close();
      await main.sandbox.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (pageErrors.length > 0) throw new Error(`The page threw: ${pageErrors.join(', ')}`);
    },
  };
}

/** Reads a PNG's signature and size, so a test can tell a real screenshot from an empty file. */
export async function readPngInfo(file: string): Promise<{ isPng: boolean; width: number; height: number; bytes: number }> {
  const data = await readFile(file);
  const signature = data.subarray(0, 8).toString('hex');
  return {
    isPng: signature === '89504e470d0a1a0a',
    width: data.readUInt32BE(16),
    height: data.readUInt32BE(20),
    bytes: data.length,
  };
}
