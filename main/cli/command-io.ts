/** Where a command writes: results to stdout, a progress line to stderr only on a terminal. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  /** A progress line that rewrites itself on a terminal; null clears it. Nothing when piped. */
  progress(line: string | null): void;
  /** Today as YYYY-MM-DD. */
  today(): string;
}

export function processIo(): CommandIo {
  const interactive = process.stderr.isTTY === true;
  let shown = false;
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    progress: (line) => {
      if (!interactive) return;
      if (line === null) {
        if (shown) process.stderr.write('\r\x1b[2K');
        shown = false;
        return;
      }
      process.stderr.write(`\r\x1b[2K${line}`);
      shown = true;
    },
    today: () => new Date().toISOString().slice(0, 10),
  };
}
