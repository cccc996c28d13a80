import { describe, expect, it } from 'vitest';
import { type LogRecord, createLogger } from '../../../main/logging/logger';

describe('logger', () => {
  it('redacts fields whose names mean secrets', () => {
    const records: LogRecord[] = [];
    const logger = createLogger((record) => records.push(record), () => new Date('2026-01-01T00:00:00Z'));
    logger.info('session.refreshed', { accessToken: 'a', refresh_token: 'b', clientSecret: 'c', password: 'd', line: 12 });
    expect(records).toEqual([
      {
        time: '2026-01-01T00:00:00.000Z',
        level: 'info',
        event: 'session.refreshed',
        fields: { accessToken: '[redacted]', refresh_token: '[redacted]', clientSecret: '[redacted]', password: '[redacted]', line: 12 },
      },
    ]);
  });
});
