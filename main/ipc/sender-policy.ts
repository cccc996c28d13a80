/**
 * Decides whether an IPC message comes from our own UI. Main refuses everything else, so a
 * page that somehow got loaded in a window (or an iframe in ours) cannot call a handler.
 */
export interface SenderInfo {
  /** The id of the WebContents that sent the message; null where there is none (test harness). */
  webContentsId: number | null;
  /** The URL of the frame that sent it. */
  frameUrl: string | null;
  /** False when the message came from a sub-frame rather than the window's main frame. */
  isMainFrame: boolean;
}

export interface SenderPolicy {
  isTrusted(sender: SenderInfo): boolean;
}

export interface SenderPolicyOptions {
  /** Origins our UI is served from, e.g. `app://mso` when packaged or the dev server's origin. */
  allowedOrigins: readonly string[];
  /** The WebContents of our own windows; when given, any other sender is refused. */
  trustedWebContentsIds?: () => ReadonlySet<number>;
}

export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // Custom schemes such as app:// give the origin "null"; rebuild it from scheme and host.
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export function createSenderPolicy(options: SenderPolicyOptions): SenderPolicy {
  const allowed = new Set(options.allowedOrigins.map((origin) => originOf(origin)));
  return {
    isTrusted(sender) {
      if (!sender.isMainFrame || sender.frameUrl === null) return false;
      const origin = originOf(sender.frameUrl);
      if (origin === null || !allowed.has(origin)) return false;
      if (options.trustedWebContentsIds) {
        if (sender.webContentsId === null) return false;
        return options.trustedWebContentsIds().has(sender.webContentsId);
      }
      return true;
    },
  };
}
