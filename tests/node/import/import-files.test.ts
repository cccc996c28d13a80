/** The wizard's files behind tokens: a dropped file is staged owner-only, capped, and never named by a path. */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportFiles } from '../../../main/import/app/import-files';
import { MAX_STAGED_BYTES, stageImportFileRequest } from '../../../preload/api/schemas/import';

const dir = () => mkdtempSync(path.join(tmpdir(), 'mso-files-'));

describe('import files', () => {
  it('stages a dropped file owner-only under its base name, and forgets it with its copy', async () => {
    const staging = path.join(dir(), 'staged');
    const files = new ImportFiles(staging, 1024);
    const file = await files.stage('C:\\Users\\dana\\..\\roster.csv', new TextEncoder().encode('mrn\n1\n'));
    expect(file).toMatchObject({ name: 'roster.csv', size: 6, staged: true });
    expect(path.dirname(file.path)).toBe(staging);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect((await files.read(file.token)).toString()).toBe('mrn\n1\n');
    await files.forget(file.token);
    expect(existsSync(file.path)).toBe(false);
    expect(() => files.resolve(file.token)).toThrow(/Choose the file again/);
  });

  it('refuses a file over the cap and an empty one', async () => {
    const files = new ImportFiles(path.join(dir(), 'staged'), 8);
    await expect(files.stage('big.csv', new Uint8Array(9))).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(files.stage('empty.csv', new Uint8Array(0))).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('the schema refuses more base64 than 64 MiB can be', () => {
    const limit = Math.ceil(MAX_STAGED_BYTES / 3) * 4;
    expect(stageImportFileRequest.safeParse({ name: 'a.csv', contentBase64: 'A'.repeat(limit) }).success).toBe(true);
    expect(stageImportFileRequest.safeParse({ name: 'a.csv', contentBase64: 'A'.repeat(limit + 4) }).success).toBe(false);
    expect(stageImportFileRequest.safeParse({ name: 'a.csv', contentBase64: '', path: '/etc/passwd' }).success).toBe(false);
  });

  it('a chosen file that is gone is not found', async () => {
    const files = new ImportFiles(path.join(dir(), 'staged'), 8);
    await expect(files.chosen(path.join(dir(), 'missing.csv'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
