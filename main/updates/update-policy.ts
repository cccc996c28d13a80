/**
 * What the updater may do on this computer, decided from plain facts: whether this is a
 * packaged build, what the managed configuration says, and how the console was installed.
 */
import type { ManagedConfig } from '../config/managed-config-schema';
import type { InstallScope } from './install-scope';

export type UpdatePolicy =
  | { enabled: false; reason: string }
  | {
      enabled: true;
      /** The managed configuration's feed; otherwise the feed built into the app (app-update.yml). */
      feedUrl: string | null;
      /** Per-user installs download in the background; per-machine ones ask first. */
      downloadWithoutAsking: boolean;
      /**
       * Whether an update the user put off is installed when the app quits. Never for a
       * per-machine install: that needs an administrator, so it only happens when the user says.
       */
      installOnQuit: boolean;
      checkEveryMs: number;
    };

export const CHECK_EVERY_MS = 6 * 60 * 60 * 1000;

export function decideUpdatePolicy(facts: {
  packaged: boolean;
  updates: ManagedConfig['updates'];
  installScope: InstallScope;
  /** Whether the build carries a feed (app-update.yml in its resources). */
  hasBuiltInFeed: boolean;
  /** Why this kind of install cannot update itself (install-scope.ts: selfUpdateBlocker). */
  selfUpdateBlocker?: string | null;
}): UpdatePolicy {
  if (!facts.updates.enabled) return { enabled: false, reason: 'Updates are turned off by your IT team (managed configuration).' };
  if (!facts.packaged) return { enabled: false, reason: 'This is a development build; it is not updated.' };
  if (facts.selfUpdateBlocker) return { enabled: false, reason: facts.selfUpdateBlocker };
  const feedUrl = facts.updates.url ?? null;
  if (!feedUrl && !facts.hasBuiltInFeed) return { enabled: false, reason: 'This build has no update feed.' };
  const perMachine = facts.installScope === 'per-machine';
  return {
    enabled: true,
    feedUrl,
    downloadWithoutAsking: !perMachine,
    installOnQuit: !perMachine,
    checkEveryMs: CHECK_EVERY_MS,
  };
}
