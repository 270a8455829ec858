// maps(maxLines): the first lines of /proc/PID/maps, as `head -n` prints them (a page shows one
// screen of a 65,530-VMA mm), and [vsyscall] only when every VMA's line fits.
import { describe, expect, it } from 'vitest';
import { boot, MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from 'mergeable';

describe('Process.maps(maxLines)', () => {
  const p = boot({ version: '6.18' }).spawn();
  for (let i = 0; i < 6; i++) p.mmap(0, 4096, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const all = p.maps().split('\n').slice(0, -1);

  it('keeps the first lines, each with its newline', () => {
    expect(p.maps(3)).toBe(all.slice(0, 3).join('\n') + '\n');
  });

  it('is the whole text, [vsyscall] last, when the limit is not below the line count', () => {
    expect(all[all.length - 1]).toMatch(/\[vsyscall\]$/);
    expect(p.maps(all.length)).toBe(p.maps());
    expect(p.maps(all.length - 1)).toBe(all.slice(0, -1).join('\n') + '\n');
  });
});
