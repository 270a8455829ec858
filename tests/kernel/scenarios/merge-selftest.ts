/**
 * tools/testing/selftests/mm/merge.c rewritten as scenarios (kernel-vma.md §13.2; test bodies
 * read from torvalds/linux master). Fixture: a 30-page PROT_NONE private anonymous carveout, every
 * mapping MAP_FIXED inside it; `ptr[i] = 'x'` is poke(). `expect` is merge.c's own assertion (the
 * VMA containing carveout+at spans exactly [at, at+pages)), checked against the real kernel; the
 * engine is checked against the kernel step by step by the comparison.
 * Not ported: handle_uprobe_upon_merged_vma (needs perf_event_open uprobes; the engine has none).
 */
import type { Process } from "mergeable";
import {
  MAP_ANONYMOUS, MAP_FIXED, MAP_NORESERVE, MAP_PRIVATE, MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE,
  PAGE_SIZE as P, PR_SET_MEMORY_MERGE, PROT_EXEC, PROT_READ, PROT_WRITE,
} from "mergeable";

export interface CarveoutScenario {
  name: string;
  /** Kernel release whose merge.c first has this test (for the record). */
  since: string;
  pages: number;
  run(p: Process, c: number): void;
  /** merge.c's final assertions: [page offset in the carveout, expected VMA length in pages]. */
  expect: [number, number][];
  /** The assertion holds on kernels from this minor version on (older ones behave differently). */
  expectFrom?: number;
}

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_ANONYMOUS | MAP_PRIVATE;
const fixed = (p: Process, addr: number, pages: number, prot = RW, extra = 0) => p.mmap(addr, pages * P, prot, ANON | MAP_FIXED | extra, -1, 0);
const move = (p: Process, from: number, pages: number, to: number, extra = 0) => p.mremap(from, pages * P, pages * P, MREMAP_MAYMOVE | MREMAP_FIXED | extra, to);

export const mergeSelftest: CarveoutScenario[] = [
  {
    name: "merge.c mprotect_unfaulted_left", since: "6.16", pages: 30, expect: [[1, 10]], expectFrom: 16,
    run(p, c) {
      const ptr = fixed(p, c + P, 10, RW, MAP_NORESERVE);
      p.mprotect(ptr, 5 * P, PROT_READ);
      p.poke(ptr + 5 * P, 0x78);
      p.mprotect(ptr + 5 * P, 5 * P, PROT_READ);
    },
  },
  {
    name: "merge.c mprotect_unfaulted_right", since: "6.16", pages: 30, expect: [[1, 10]], expectFrom: 16,
    run(p, c) {
      const ptr = fixed(p, c + P, 10, RW, MAP_NORESERVE);
      p.mprotect(ptr + 5 * P, 5 * P, PROT_READ);
      p.poke(ptr, 0x78);
      p.mprotect(ptr, 5 * P, PROT_READ);
    },
  },
  {
    name: "merge.c mprotect_unfaulted_both", since: "6.16", pages: 30, expect: [[2, 9]], expectFrom: 16,
    run(p, c) {
      const ptr = fixed(p, c + 2 * P, 9, RW, MAP_NORESERVE);
      p.mprotect(ptr, 3 * P, PROT_READ);
      p.mprotect(ptr + 6 * P, 3 * P, PROT_READ);
      p.poke(ptr + 3 * P, 0x78);
      p.mprotect(ptr + 3 * P, 3 * P, PROT_READ);
    },
  },
  {
    name: "merge.c mprotect_faulted_left_unfaulted_right", since: "6.16", pages: 30, expect: [[2, 9]], expectFrom: 16,
    run(p, c) {
      const ptr = fixed(p, c + 2 * P, 9, RW, MAP_NORESERVE);
      p.mprotect(ptr + 6 * P, 3 * P, PROT_READ);
      p.poke(ptr, 0x78);
      p.mprotect(ptr, 3 * P, PROT_READ);
      p.mprotect(ptr + 3 * P, 3 * P, PROT_READ);
    },
  },
  {
    name: "merge.c mprotect_unfaulted_left_faulted_right", since: "6.16", pages: 30, expect: [[2, 9]], expectFrom: 16,
    run(p, c) {
      const ptr = fixed(p, c + 2 * P, 9, RW, MAP_NORESERVE);
      p.mprotect(ptr, 3 * P, PROT_READ);
      p.poke(ptr + 3 * P, 0x78);
      p.mprotect(ptr + 6 * P, 3 * P, PROT_READ);
      p.mprotect(ptr + 3 * P, 3 * P, PROT_READ);
    },
  },
  {
    // The child's VMAs are checked (the scenario's last process).
    name: "merge.c forked_target_vma", since: "6.16", pages: 30, expect: [[1, 5]],
    run(p, c) {
      const ptr = fixed(p, c + P, 5);
      p.poke(ptr, 0x78);
      const child = p.fork();
      for (let i = 0; i < 5; i++) child.poke(ptr + i * P, 0x78);
      fixed(child, ptr + 5 * P, 5);
    },
  },
  {
    name: "merge.c forked_source_vma", since: "6.16", pages: 30, expect: [[6, 5]],
    run(p, c) {
      const ptr = fixed(p, c + P, 5, RW, MAP_NORESERVE);
      p.poke(ptr, 0x78);
      const child = p.fork();
      for (let i = 0; i < 5; i++) child.poke(ptr + i * P, 0x78);
      fixed(child, c + 6 * P, 5, RW | PROT_EXEC, MAP_NORESERVE);
      child.mprotect(ptr, 5 * P, RW | PROT_EXEC);
    },
  },
  {
    name: "merge.c ksm_merge", since: "6.17", pages: 30, expect: [[1, 2]],
    run(p, c) {
      fixed(p, c + P, 1);
      fixed(p, c + 2 * P, 1);
      p.munmap(c + 2 * P, P);
      p.prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0);
      fixed(p, c + 2 * P, 1);
      p.munmap(c + P, 2 * P);
      fixed(p, c + P, 1);
      fixed(p, c + 2 * P, 1);
    },
  },
  {
    name: "merge.c mremap_unfaulted_to_faulted", since: "6.17", pages: 30, expect: [[1, 10]],
    run(p, c) {
      const ptr = fixed(p, c + P, 5);
      let ptr2 = fixed(p, c + 7 * P, 5);
      ptr2 = move(p, ptr2, 5, ptr2 + 1000 * P);
      p.poke(ptr, 0x78);
      move(p, ptr2, 5, ptr + 5 * P);
    },
  },
  {
    name: "merge.c mremap_unfaulted_behind_faulted", since: "6.17", pages: 30, expect: [[1, 10]],
    run(p, c) {
      const ptr = fixed(p, c + 6 * P, 5);
      let ptr2 = fixed(p, c + 14 * P, 5);
      ptr2 = move(p, ptr2, 5, ptr2 + 1000 * P);
      p.poke(ptr, 0x78);
      move(p, ptr2, 5, c + P);
    },
  },
  {
    name: "merge.c mremap_unfaulted_between_faulted", since: "6.17", pages: 30, expect: [[1, 10], [11, 5]],
    run(p, c) {
      const ptr = fixed(p, c + P, 5);
      let ptr2 = fixed(p, c + 7 * P, 5);
      let ptr3 = fixed(p, c + 14 * P, 5);
      ptr3 = move(p, ptr3, 5, ptr3 + 2000 * P);
      ptr2 = move(p, ptr2, 5, ptr2 + 1000 * P);
      p.poke(ptr, 0x78);
      p.poke(ptr3, 0x78);
      move(p, ptr3, 5, ptr + 10 * P);
      move(p, ptr2, 5, ptr + 5 * P);
    },
  },
  {
    name: "merge.c mremap_unfaulted_between_faulted_unfaulted", since: "6.17", pages: 30, expect: [[1, 15]],
    run(p, c) {
      const ptr = fixed(p, c + P, 5);
      let ptr2 = fixed(p, c + 7 * P, 5);
      let ptr3 = fixed(p, c + 14 * P, 5);
      ptr3 = move(p, ptr3, 5, ptr3 + 2000 * P);
      ptr2 = move(p, ptr2, 5, ptr2 + 1000 * P);
      p.poke(ptr, 0x78);
      move(p, ptr3, 5, ptr + 10 * P);
      move(p, ptr2, 5, ptr + 5 * P);
    },
  },
  {
    name: "merge.c mremap_unfaulted_between_correctly_placed_faulted", since: "6.17", pages: 30, expect: [[1, 15]],
    run(p, c) {
      const ptr = fixed(p, c + P, 15);
      p.poke(ptr, 0x78);
      p.munmap(ptr + 5 * P, 5 * P);
      const ptr2 = fixed(p, c + 20 * P, 5);
      move(p, ptr2, 5, ptr + 5 * P);
    },
  },
  {
    name: "merge.c mremap_correct_placed_faulted", since: "6.17", pages: 30, expect: [[1, 15]],
    run(p, c) {
      let ptr = fixed(p, c + P, 15);
      p.poke(ptr, 0x78);
      let ptr3 = move(p, ptr + 10 * P, 5, ptr + 10 * P + 2000 * P);
      let ptr2 = move(p, ptr + 5 * P, 5, ptr + 5 * P + 1000 * P);
      ptr2 = move(p, ptr2, 5, ptr + 5 * P);
      ptr = move(p, ptr, 5, ptr + 1000 * P);
      ptr = move(p, ptr, 5, c + P);
      ptr = move(p, ptr, 5, ptr + 1000 * P);
      ptr3 = move(p, ptr3, 5, ptr2 + 5 * P);
      ptr = move(p, ptr, 5, c + P);
      ptr2 = move(p, ptr2, 5, ptr2 + 1000 * P);
      ptr2 = move(p, ptr2, 5, ptr + 5 * P);
      ptr3 = move(p, ptr3, 5, ptr3 + 1000 * P);
      move(p, ptr3, 5, ptr + 10 * P);
    },
  },
  {
    name: "merge.c mremap_faulted_to_unfaulted_prev", since: "6.18", pages: 30, expect: [[1, 6]],
    run(p, c) {
      let a = fixed(p, c + 4 * P, 3);
      p.poke(a, 0x78);
      a = move(p, a, 3, c + 20 * P);
      fixed(p, c + P, 3);
      move(p, a, 3, c + 4 * P, MREMAP_DONTUNMAP);
    },
  },
  {
    name: "merge.c mremap_faulted_to_unfaulted_next", since: "6.18", pages: 30, expect: [[1, 6]],
    run(p, c) {
      let a = fixed(p, c + P, 3);
      p.poke(a, 0x78);
      a = move(p, a, 3, c + 20 * P);
      fixed(p, c + 4 * P, 3);
      move(p, a, 3, c + P, MREMAP_DONTUNMAP);
    },
  },
  {
    name: "merge.c mremap_faulted_to_unfaulted_prev_unfaulted_next", since: "6.18", pages: 30, expect: [[1, 9]],
    run(p, c) {
      let b = fixed(p, c + 4 * P, 3);
      p.poke(b, 0x78);
      b = move(p, b, 3, c + 20 * P);
      fixed(p, c + P, 3);
      fixed(p, c + 7 * P, 3);
      move(p, b, 3, c + 4 * P, MREMAP_DONTUNMAP);
    },
  },
  {
    name: "merge.c mremap_faulted_to_unfaulted_prev_faulted_next", since: "6.18", pages: 30, expect: [[1, 9]],
    run(p, c) {
      const bc = fixed(p, c + 4 * P, 6);
      p.poke(bc, 0x78);
      const b = move(p, bc, 3, c + 20 * P);
      fixed(p, c + P, 3);
      move(p, b, 3, c + 4 * P, MREMAP_DONTUNMAP);
    },
  },
];
