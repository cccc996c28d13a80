/** Writes a benchmark's section into docs/benchmarks.md between its markers (added at the end the first time). */
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function writeDocsSection(name: string, body: string): void {
  const docs = join(fileURLToPath(new URL('..', import.meta.url)), 'docs', 'benchmarks.md');
  const section = `<!-- ${name}:begin -->\n${body.trim()}\n<!-- ${name}:end -->`;
  const current = readFileSync(docs, 'utf8');
  const pattern = new RegExp(`<!-- ${name}:begin -->[\\s\\S]*<!-- ${name}:end -->`);
  writeFileSync(docs, pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`);
}

/** "Measured <date> on 2 cores (<model>), 24 GiB, Node v22…" */
export function machineLine(): string {
  return `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
