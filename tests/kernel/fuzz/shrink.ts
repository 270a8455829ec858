/**
 * Shrinks a failing fuzz sequence to a small one that still fails: drop chunks of calls
 * (halving the chunk size down to single calls), then simplify arguments (lengths to one page,
 * offsets to 0). `fails` runs engine + kernel and says whether they still disagree.
 */
import { P, type FuzzSequence } from "./gen.ts";

export async function shrink(seq: FuzzSequence, fails: (s: FuzzSequence) => Promise<boolean>, budget = 400): Promise<{ seq: FuzzSequence; tries: number }> {
  let best = seq;
  let tries = 0;
  const attempt = async (cand: FuzzSequence): Promise<boolean> => {
    if (tries >= budget) return false;
    tries++;
    if (await fails(cand)) { best = cand; return true; }
    return false;
  };
  for (let chunk = Math.max(1, best.ops.length >> 1); chunk >= 1; chunk >>= 1) {
    for (let i = 0; i + chunk <= best.ops.length; ) {
      const ops = [...best.ops.slice(0, i), ...best.ops.slice(i + chunk)];
      if (!(await attempt({ ...best, ops }))) i += chunk;
    }
  }
  // Argument simplification: try 0 and one page for every numeric argument.
  for (let i = 0; i < best.ops.length; i++) {
    for (let j = 0; j < best.ops[i]!.args.length; j++) {
      for (const v of [0, P]) {
        const cur = best.ops[i]!;
        if (cur.args[j] === v || cur.abs) continue;
        const args = [...cur.args];
        args[j] = v;
        const ops = [...best.ops];
        ops[i] = { ...cur, args };
        await attempt({ ...best, ops });
      }
    }
  }
  return { seq: best, tries };
}
