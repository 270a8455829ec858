// A run's console.log as the page keeps it: a scenario may print gigabytes, the page shows and
// downloads at most LOG_KEPT_CHARS of it, and says how much it dropped.
import { grouped } from './grouped';

export const LOG_KEPT_CHARS = 1 << 20;
export const LOG_KEPT_LINES = 20_000;

/** The first lines of `log` within the limits (the last kept line cut if needed), plus a line saying what was dropped. */
export function keepLog(log: string[], maxChars = LOG_KEPT_CHARS, maxLines = LOG_KEPT_LINES): string[] {
  let chars = 0;
  const out: string[] = [];
  for (const line of log) {
    if (out.length === maxLines || chars >= maxChars) break;
    const room = maxChars - chars;
    out.push(line.length > room ? line.slice(0, room) : line);
    chars += Math.min(line.length, room);
  }
  const droppedLines = log.length - out.length;
  const total = log.reduce((n, l) => n + l.length, 0);
  if (total === chars && droppedLines === 0) return out;
  out.push(`… console.log truncated: the page keeps ${grouped(chars)} of ${grouped(total)} characters` +
    (droppedLines ? ` (${grouped(droppedLines)} more lines not kept)` : ''));
  return out;
}
