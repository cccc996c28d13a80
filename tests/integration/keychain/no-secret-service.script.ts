/** Run by the keychain test in a process whose D-Bus points nowhere: prints what each call threw. */
import { AppError } from '../../../main/errors/app-error';
import { KeytarSecretStore } from '../../../main/secrets/keytar-secret-store';

async function main(): Promise<void> {
  const store = new KeytarSecretStore('MSO Admin Console no-keychain test');
  const failures: { code: string; message: string }[] = [];
  for (const call of [() => store.set('c', 'refresh-token', 'value'), () => store.get('c', 'refresh-token')]) {
    try {
      await call();
      failures.push({ code: 'no error', message: '' });
    } catch (error) {
      failures.push(error instanceof AppError ? { code: error.code, message: error.message } : { code: 'other', message: String(error) });
    }
  }
  process.stdout.write(`${JSON.stringify(failures)}\n`);
}

void main();
