/**
 * The in-memory storage under a MedplumClient. Nothing is written to disk; when the client
 * stores a new login (sign-in, or a refresh that rotated the token) the refresh token is
 * handed on, so that main can keep it in the keychain and nowhere else.
 */
export class TokenCapturingStorage implements Storage {
  private readonly data = new Map<string, string>();

  constructor(private readonly onRefreshToken: (refreshToken: string | null) => void) {}

  get length(): number {
    return this.data.size;
  }

  clear(): void {
    this.data.clear();
    this.onRefreshToken(null);
  }

  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  key(index: number): string | null {
    return [...this.data.keys()][index] ?? null;
  }

  removeItem(key: string): void {
    this.data.delete(key);
    if (key.endsWith('activeLogin')) this.onRefreshToken(null);
  }

  setItem(key: string, value: string): void {
    this.data.set(key, value);
    if (key.endsWith('activeLogin')) {
      const login = JSON.parse(value) as { refreshToken?: string } | null;
      this.onRefreshToken(login?.refreshToken ?? null);
    }
  }
}
