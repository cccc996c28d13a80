/**
 * A change's time as the history says it everywhere: "Dec 1, 09:03" this year, "Dec 1, 2025,
 * 09:03" before; 24-hour, as main's timeline sentences say it (main/history/sentences.ts).
 */
const parts = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
const thisYear = new Intl.DateTimeFormat('en-US', parts);
const otherYear = new Intl.DateTimeFormat('en-US', { ...parts, year: 'numeric' });

export function formatWhen(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (date.getFullYear() === now.getFullYear() ? thisYear : otherYear).format(date);
}
