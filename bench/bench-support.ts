/** What the benchmarks share: a counting admin client, and their section of docs/benchmarks.md. */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientStorage, MedplumClient, MemoryStorage } from '@medplum/core';
import type { LocalServer } from '../main/local-server/server';

/** The admin, signed in with S256 PKCE, on a client that notes every request it sends. */
export async function signInCounting(server: LocalServer, requests: string[]): Promise<MedplumClient> {
  const storage = new ClientStorage(new MemoryStorage());
  const client = new MedplumClient({
    baseUrl: server.baseUrl,
    storage,
    fetch: (url: string | URL | Request, init?: RequestInit) => {
      requests.push(String(url));
      return fetch(url, init);
    },
  });
  const verifier = randomBytes(32).toString('base64url');
  storage.setString('codeVerifier', verifier);
  const login = await client.startLogin({
    email: server.admin.email,
    password: server.admin.password,
    codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
    codeChallengeMethod: 'S256',
  });
  await client.processCode(login.code as string);
  requests.length = 0;
  return client;
}

/** Writes (or replaces) the section between `<!-- name:begin -->` and `<!-- name:end -->` of docs/benchmarks.md. */
export function writeBenchmarkSection(name: string, lines: readonly string[]): void {
  const path = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const section = [begin, ...lines, end].join('\n');
  let doc: string;
  try {
    doc = readFileSync(path, 'utf8');
  } catch {
    doc = '# Benchmarks\n\nFigures written by the scripts in `bench/`; rerun them to refresh.\n';
  }
  doc = doc.includes(begin) ? doc.replace(new RegExp(`${begin}[\\s\\S]*${end}`), section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, doc);
  console.log(`wrote ${path}`);
}
