/**
 * The log file: one JSON line per record in the OS's log folder, rotated by size so it never
 * grows without bound (main.log, then main.1.log … main.<keep>.log). Records arrive already
 * redacted by the logger; e-mail addresses in field values are masked here as well, since an
 * administrator's or a clinician's address is personal data. Writing never throws: a full disk
 * must not take the console down.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LogFields, LogRecord } from './logger';

export interface RotatingFileSinkOptions {
  dir: string;
  /** Base name without extension; "main" gives main.log, main.1.log, … */
  baseName?: string;
  maxBytes?: number;
  /** How many rotated files are kept besides the current one. */
  keep?: number;
}

export interface RotatingFileSink {
  write(record: LogRecord): void;
  /** The log files that exist, newest first. */
  files(): string[];
  /** The last `maxBytes` of the log, oldest line first, cut at a line boundary. */
  recent(maxBytes: number): string;
}

const EMAIL = /[^\s@"]+@[^\s@".]+(\.[^\s@".]+)+/g;

function maskFields(fields: LogFields): LogFields {
  const masked: LogFields = {};
  for (const [key, value] of Object.entries(fields)) masked[key] = typeof value === 'string' ? value.replace(EMAIL, '[email]') : value;
  return masked;
}

export function createRotatingFileSink(options: RotatingFileSinkOptions): RotatingFileSink {
  const baseName = options.baseName ?? 'main';
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = options.keep ?? 3;
  const fileAt = (index: number) => path.join(options.dir, index === 0 ? `${baseName}.log` : `${baseName}.${index}.log`);
  let size: number | null = null;

  const currentSize = (): number => {
    if (size === null) {
      try {
        size = statSync(fileAt(0)).size;
      } catch {
        size = 0;
      }
    }
    return size;
  };

  const rotate = () => {
    rmSync(fileAt(keep), { force: true });
    for (let index = keep - 1; index >= 0; index--) {
      if (existsSync(fileAt(index))) renameSync(fileAt(index), fileAt(index + 1));
    }
    size = 0;
  };

  const files = () => Array.from({ length: keep + 1 }, (_, index) => fileAt(index)).filter((file) => existsSync(file));

  return {
    write(record) {
      const line = `${JSON.stringify({ ...record, fields: maskFields(record.fields) })}\n`;
      try {
        if (size === null) mkdirSync(options.dir, { recursive: true });
        if (currentSize() > 0 && currentSize() + Buffer.byteLength(line) > maxBytes) rotate();
        appendFileSync(fileAt(0), line, { encoding: 'utf8', mode: 0o600 });
        size = currentSize() + Buffer.byteLength(line);
      } catch {
        size = null;
      }
    },
    files,
    recent(limit) {
      let text = '';
      for (const file of files()) {
        text = readFileSync(file, 'utf8') + text;
        if (Buffer.byteLength(text) >= limit) break;
      }
      if (Buffer.byteLength(text) <= limit) return text;
      const tail = Buffer.from(text).subarray(-limit).toString('utf8');
      return tail.slice(tail.indexOf('\n') + 1);
    },
  };
}
