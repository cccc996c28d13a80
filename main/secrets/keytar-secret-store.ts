/**
 * The OS keychain through keytar: Keychain on macOS, Credential Vault on Windows, the Secret
 * Service (GNOME Keyring, KWallet) on Linux. When there is no keychain the console says so and
 * stores nothing: there is no plaintext fallback.
 */
import { AppError } from '../errors/app-error';
import { type SecretKind, type SecretStore, secretAccount } from './secret-store';

export const KEYCHAIN_SERVICE = 'MSO Admin Console';

interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export function keychainUnavailableError(platform: NodeJS.Platform = process.platform): AppError {
  const what =
    platform === 'linux'
      ? 'No keychain (Secret Service) is running on this computer. Install and start GNOME Keyring (package gnome-keyring) or KWallet, sign in to your desktop session, then try again.'
      : 'The system keychain could not be opened. Unlock your keychain (or sign in to Windows again), then try again.';
  return new AppError('keychain_unavailable', `${what} The console never stores credentials outside the keychain.`);
}

export class KeytarSecretStore implements SecretStore {
  private keytar: Promise<KeytarApi> | null = null;

  constructor(
    readonly serviceName: string = KEYCHAIN_SERVICE,
    private readonly load: () => Promise<KeytarApi> = async () => (await import('keytar')).default as KeytarApi,
  ) {}

  private api(): Promise<KeytarApi> {
    this.keytar ??= this.load();
    return this.keytar;
  }

  /** Runs a keychain call; any failure of the keychain itself becomes the plain-words error. */
  private async call<T>(action: (api: KeytarApi) => Promise<T>): Promise<T> {
    try {
      return await action(await this.api());
    } catch {
      // keytar's message names D-Bus internals; the user needs to know what to install.
      throw keychainUnavailableError();
    }
  }

  get(connectionId: string, kind: SecretKind): Promise<string | null> {
    return this.call((api) => api.getPassword(this.serviceName, secretAccount(connectionId, kind)));
  }

  set(connectionId: string, kind: SecretKind, value: string): Promise<void> {
    return this.call((api) => api.setPassword(this.serviceName, secretAccount(connectionId, kind), value));
  }

  delete(connectionId: string, kind: SecretKind): Promise<boolean> {
    return this.call((api) => api.deletePassword(this.serviceName, secretAccount(connectionId, kind)));
  }
}
