// mremap(MREMAP_DONTUNMAP): the source VMA stays, empty. When the whole VMA moved, its anon_vma
// links are dropped (move_vma(): unlink_anon_vmas(), 6.1), so it is unfaulted again — which
// mprotect() then sees (6.7+: an unfaulted anonymous VMA made read-only loses VM_ACCOUNT and can
// merge with its PROT_NONE neighbours). Found by the differential fuzzer against 6.18.
import { describe, expect, it } from "vitest";
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE, PROT_NONE, PROT_READ, PROT_WRITE } from "mergeable";
import { carveout, P } from "./helpers";

describe("MREMAP_DONTUNMAP", () => {
  it.each(["6.16", "6.18"])("%s: the whole-VMA source loses its anon_vma and merges back into the carveout after mprotect(PROT_NONE)", (v) => {
    //   0123456789ab          0123456789ab          0123456789ab
    //   CCCCCCCCACCC  move →  CCAC CCCCACCC  prot →  CCACCCCCCCCC  (A faulted page; source at 8 empty)
    const b = carveout(v);
    b.p.mmap(b.at(8), P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    b.p.poke(b.at(8), 1);
    b.p.mremap(b.at(8), P, P, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, b.at(2));
    const src = b.win().find((x) => x.start === b.at(8))!;
    expect(src.anonVma, "unlink_anon_vmas(): the source has no anon_vma").toBeNull();
    expect(src.perms).toBe("rw-p");
    b.p.mprotect(b.at(2), 9 * P, PROT_NONE);
    // [2,3) keeps VM_ACCOUNT (it holds the faulted page); the emptied source does not, and joins the carveout.
    expect(b.win().map((x) => [(x.start - b.at(0)) / P, (x.end - b.at(0)) / P])).toEqual([[0, 2], [2, 3], [3, 12]]);
  });
});
