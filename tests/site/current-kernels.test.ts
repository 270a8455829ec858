// The "Which 6.18 is it?" table of content/current-kernels/index.mdx states which engine profile
// has which post-6.18 merge change; each cell is checked against src/engine/version.ts.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolveVersion } from '../../src/engine/version';

const mdx = readFileSync('content/current-kernels/index.mdx', 'utf8');
const rows = [...mdx.matchAll(/^\| ([\d.]+) \| (yes|no) \| (yes|no) \| (yes|no) \|$/gm)].map((m) => ({
  profile: m[1]!, copiedFrom: m[2] === 'yes', msealFix: m[3] === 'yes', sticky: m[4] === 'yes',
}));

describe('current kernels: the profile table', () => {
  it('has a row for each profile from 6.18 on', () => {
    expect(rows.map((r) => r.profile)).toEqual(['6.18', '6.18.8', '6.18.21', '6.18.37', '6.19', '7.0', '7.1']);
  });

  it.each(rows)('$profile: vmg->copied_from, the mseal fix and sticky flags as the table says', (r) => {
    const p = resolveVersion(r.profile);
    expect(p.name).toBe(r.profile);
    expect({ copiedFrom: p.copiedFrom, msealFix: !p.msealStaleStart, sticky: p.stickyFlags })
      .toEqual({ copiedFrom: r.copiedFrom, msealFix: r.msealFix, sticky: r.sticky });
  });
});
