/**
 * `mso-admin validate` as IT runs it: a separate process, no connection and no network; exit
 * codes, the one-line JSON summary, no progress line when piped, and no value of any row in
 * what it prints.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..', '..');
const CORPUS = path.join(ROOT, 'tests', 'fixtures', 'rosters');

async function msoAdmin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main', 'cli', 'mso-admin.ts'), ...args], {
      cwd: ROOT,
      // No network for this command: any attempt would fail loudly.
      env: { ...process.env, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('mso-admin validate', () => {
  it('exits 0 for a valid file and says what it found', async () => {
    const result = await msoAdmin('validate', path.join(CORPUS, 'patients-valid.csv'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('a patient roster; 3 rows, 3 valid, 0 with errors, 0 warnings.');
    expect(result.stderr).toBe('');
  });

  it('prints one JSON summary with every error by line and column, and exits 2', async () => {
    const result = await msoAdmin('validate', path.join(CORPUS, 'dates.csv'), '--json');
    expect(result.code).toBe(2);
    const summary = JSON.parse(result.stdout) as { kind: string; rows: number; errors: { line: number; column: string; columnNumber: number }[] };
    expect(summary).toMatchObject({ kind: 'patients', rows: 10, validRows: 3, errorRows: 7, fileError: null });
    expect(summary.errors.map((error) => error.line)).toEqual([3, 4, 5, 6, 7, 9, 11]);
    expect(summary.errors.every((error) => error.column === 'birth_date' && error.columnNumber === 4)).toBe(true);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('reports a file-level error with its line, and a wrong kind the user chose', async () => {
    const broken = await msoAdmin('validate', path.join(CORPUS, 'unclosed-quote.csv'), '--json');
    expect(broken.code).toBe(2);
    expect(JSON.parse(broken.stdout).fileError).toMatchObject({ line: 3 });
    const wrongKind = await msoAdmin('validate', path.join(CORPUS, 'patients-valid.csv'), '--kind', 'practitioners', '--json');
    expect(wrongKind.code).toBe(2);
    expect(JSON.parse(wrongKind.stdout).fileError.message).toContain('lacks the required column email');
  });

  it('never prints the values of a row, and no progress line when piped', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mso-validate-'));
    const file = path.join(dir, 'roster.csv');
    const rows = ['mrn,given_name,family_name,birth_date,clinics'];
    for (let index = 0; index < 12_000; index++) rows.push(`SECRET-MRN-${index},Secretgiven${index},Secretfamily,1990-01-02,Secret Clinic`);
    rows.push('SECRET-MRN-0,Secretgiven0,Otherfamily,1990-01-02,Secret Clinic');
    rows.push('bad mrn,Secretgiven,Secretfamily,1990-02-31,Secret Clinic');
    writeFileSync(file, `${rows.join('\n')}\n`);
    for (const format of [[], ['--json']]) {
      const result = await msoAdmin('validate', file, ...format);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain(format.length ? '"line":12002' : 'Line 12002, column 3 (family_name)');
      expect(result.stdout).toContain(format.length ? '"earlierLine":2' : 'than line 2');
      expect(result.stdout).toContain(format.length ? '"line":12003,"column":"mrn"' : 'Line 12003, column 1 (mrn)');
      expect(result.stdout).not.toMatch(/SECRET|Secret|Otherfamily/);
      expect(result.stderr).toBe('');
    }
  });

  it('exits 64 on a wrong command line, with the help', async () => {
    expect((await msoAdmin('validate')).code).toBe(64);
    expect((await msoAdmin('frobnicate', 'x.csv')).stderr).toContain('Unknown command');
    expect((await msoAdmin('validate', path.join(CORPUS, 'no-such-file.csv'))).stderr).toContain('no such file');
    const help = await msoAdmin('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('mso-admin validate <file>');
  });
});
