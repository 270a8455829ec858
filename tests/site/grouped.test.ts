// grouped() prints integers as toLocaleString('en-US') does, without loading Intl's locale data.
import { describe, expect, it } from 'vitest';
import { grouped } from '../../src/site/grouped';

describe('grouped()', () => {
  it('matches toLocaleString("en-US") for integers of every width, negative ones, and non-integers', () => {
    for (const n of [0, 7, 42, 999, 1000, 65_530, 100_000, 1_234_567, -4321, 2 ** 53, 1.5]) expect(grouped(n)).toBe(n.toLocaleString('en-US'));
  });
});
