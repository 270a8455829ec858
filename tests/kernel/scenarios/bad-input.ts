/**
 * Bad input, one class of invalid argument per scenario (kernel-vma.md §9 "Bad-argument errnos",
 * §16 rows 9-12). Each runs in a 16-page PROT_NONE carveout `c`. `errnos` lists the errno of every
 * refused call in order: the engine must produce it, and the comparison checks the kernel agrees.
 */
import {
  MAP_ANONYMOUS, MAP_DROPPABLE, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_LOCKED, MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, MADV_DONTFORK,
  MADV_MERGEABLE, MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE, O_CREAT, O_RDONLY, O_RDWR, PAGE_SIZE as P,
  PR_GET_MEMORY_MERGE, PR_SET_MEMORY_MERGE, PROT_READ, PROT_WRITE, KernelError, type Kernel, type Process,
} from "mergeable";

export interface BadInputScenario {
  name: string;
  run(p: Process, c: number, kernel: Kernel): void;
  errnos: string[];
}

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const TASK_SIZE = 0x7ffffffff000;

/** Run each call, swallowing the KernelError it is expected to raise. */
export const each = (...calls: (() => unknown)[]) => {
  for (const f of calls) {
    try {
      f();
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    }
  }
};

export const badInput: BadInputScenario[] = [
  {
    name: "alignment: unaligned addresses and file offsets are EINVAL",
    errnos: ["EINVAL", "EINVAL", "EINVAL", "EINVAL", "EINVAL", "EINVAL"],
    run(p, c) {
      p.mmap(c + 2 * P, 4 * P, RW, ANON | MAP_FIXED, -1, 0);
      const fd = p.open("/bad/align", O_RDWR | O_CREAT);
      p.ftruncate(fd, 8 * P);
      each(
        () => p.mmap(c + P + 1, P, RW, ANON | MAP_FIXED, -1, 0),
        () => p.munmap(c + 2 * P + 8, P),
        () => p.mprotect(c + 2 * P + 1, P, PROT_READ),
        () => p.madvise(c + 2 * P + 3, P, MADV_MERGEABLE),
        () => p.mremap(c + 2 * P + 1, P, 2 * P, MREMAP_MAYMOVE),
        () => p.mmap(c + 8 * P, P, RW, MAP_PRIVATE | MAP_FIXED, fd, 100),
      );
    },
  },
  {
    name: "zero length: EINVAL for mmap, munmap and mremap; success for mprotect and madvise",
    errnos: ["EINVAL", "EINVAL", "EINVAL"],
    run(p, c) {
      p.mmap(c + 2 * P, 2 * P, RW, ANON | MAP_FIXED, -1, 0);
      each(
        () => p.mmap(0, 0, RW, ANON, -1, 0),
        () => p.munmap(c + 2 * P, 0),
        () => p.mprotect(c + 2 * P, 0, PROT_READ),
        () => p.madvise(c + 2 * P, 0, MADV_MERGEABLE),
        () => p.mremap(c + 2 * P, P, 0, 0),
      );
    },
  },
  {
    name: "MAP_FIXED_NOREPLACE over an existing mapping is EEXIST (also a partial overlap)",
    errnos: ["EEXIST", "EEXIST"],
    run(p, c) {
      p.mmap(c + 4 * P, 2 * P, RW, ANON | MAP_FIXED, -1, 0);
      each(
        () => p.mmap(c + 4 * P, P, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0),
        () => p.mmap(c + 3 * P, 2 * P, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0),
      );
    },
  },
  {
    name: "beyond TASK_SIZE: fixed mappings ENOMEM, munmap EINVAL, mprotect ENOMEM",
    errnos: ["ENOMEM", "ENOMEM", "EINVAL", "ENOMEM"],
    run(p) {
      each(
        () => p.mmap(TASK_SIZE - P, 2 * P, RW, ANON | MAP_FIXED, -1, 0),
        () => p.mmap(0, TASK_SIZE + P, RW, ANON, -1, 0),
        () => p.munmap(TASK_SIZE, P),
        // Not TASK_SIZE - P: the engine's stack ends at TASK_SIZE (no ASLR) and mprotect() applies
        // to the VMAs it meets before failing, while the replaying process's stack is elsewhere.
        () => p.mprotect(TASK_SIZE, P, PROT_READ),
      );
    },
  },
  {
    // do_mmap() ignores unknown prot bits (only mprotect() validates them): the first call succeeds.
    // MAP_SHARED_VALIDATE: unknown bits are EOPNOTSUPP for a file, but anonymous shared-validate
    // is refused earlier (EINVAL).
    name: "unknown flags: prot bits (mprotect only), mapping type, validated flags, advice, mremap flags",
    errnos: ["EINVAL", "EINVAL", "EOPNOTSUPP", "EINVAL", "EINVAL", "EINVAL", "EINVAL", "EINVAL"],
    run(p, c) {
      p.mmap(c + 2 * P, 2 * P, RW, ANON | MAP_FIXED, -1, 0);
      const fd = p.open("/bad/validate", O_RDWR | O_CREAT);
      p.ftruncate(fd, 4 * P);
      each(
        () => p.mmap(c + 8 * P, P, 0x10, ANON | MAP_FIXED, -1, 0),
        () => p.mmap(c + 8 * P, P, RW, MAP_ANONYMOUS | MAP_FIXED, -1, 0),
        () => p.mmap(0, P, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | 0x800000, -1, 0),
        () => p.mmap(c + 8 * P, P, RW, MAP_SHARED_VALIDATE | MAP_FIXED | 0x800000, fd, 0),
        () => p.mprotect(c + 2 * P, P, 0x10),
        () => p.madvise(c + 2 * P, P, 99),
        () => p.mremap(c + 2 * P, P, P, 0x100),
        () => p.mremap(c + 2 * P, P, P, MREMAP_FIXED, c + 10 * P),
        () => p.mremap(c + 2 * P, P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, c + 10 * P),
      );
    },
  },
  {
    // do_mmap(), 6.11+: "A locked or stack area makes no sense to be droppable."
    name: "MAP_DROPPABLE with MAP_LOCKED or MAP_GROWSDOWN is EINVAL; alone it maps",
    errnos: ["EINVAL", "EINVAL"],
    run(p, c) {
      const DROP = MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED;
      each(
        () => p.mmap(c + 2 * P, P, RW, DROP | MAP_LOCKED, -1, 0),
        () => p.mmap(c + 2 * P, P, RW, DROP | MAP_GROWSDOWN, -1, 0),
        () => p.mmap(c + 2 * P, P, RW, DROP, -1, 0),
      );
    },
  },
  {
    name: "prctl(PR_SET_MEMORY_MERGE/PR_GET_MEMORY_MERGE) arguments",
    errnos: ["EINVAL", "EINVAL", "EINVAL", "EINVAL"],
    run(p) {
      each(
        () => p.prctl(PR_SET_MEMORY_MERGE, 1, 1, 0, 0),
        () => p.prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 1),
        () => p.prctl(PR_GET_MEMORY_MERGE, 1, 0, 0, 0),
        () => p.prctl(0x1234, 0, 0, 0, 0),
        () => p.prctl(PR_SET_MEMORY_MERGE, 2, 0, 0, 0),
        () => p.prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0),
        () => p.prctl(PR_SET_MEMORY_MERGE, 0, 0, 0, 0),
      );
    },
  },
  {
    name: "file descriptors: not open (EBADF), read-only file mapped shared writable (EACCES)",
    errnos: ["EBADF", "EACCES"],
    run(p, c) {
      const fd = p.open("/bad/ro", O_RDWR | O_CREAT);
      p.ftruncate(fd, 4 * P);
      p.close(fd);
      const ro = p.open("/bad/ro", O_RDONLY);
      each(
        () => p.mmap(c + 2 * P, P, RW, MAP_PRIVATE | MAP_FIXED, 42, 0),
        () => p.mmap(c + 2 * P, P, RW, MAP_SHARED | MAP_FIXED, ro, 0),
        () => p.mmap(c + 2 * P, P, RW, MAP_PRIVATE | MAP_FIXED, ro, 0),
      );
    },
  },
  {
    name: "range not mapped: mprotect/madvise ENOMEM, mremap EFAULT",
    errnos: ["ENOMEM", "ENOMEM", "EFAULT"],
    run(p, c) {
      p.mmap(c + 2 * P, 2 * P, RW, ANON | MAP_FIXED, -1, 0);
      p.munmap(c, 16 * P);
      each(
        () => p.mprotect(c + 2 * P, 4 * P, PROT_READ),
        () => p.madvise(c + 2 * P, 4 * P, MADV_MERGEABLE),
        () => p.mremap(c + 8 * P, P, 2 * P, MREMAP_MAYMOVE),
      );
    },
  },
  {
    // §9: do_mmap() refuses when map_count > max (so max + 1 is reachable), split_vma() when
    // map_count >= max (madvise reports EAGAIN), a munmap hole punch needs one more.
    name: "vm.max_map_count exhaustion: mmap, mprotect split, madvise split, munmap hole",
    errnos: ["ENOMEM", "ENOMEM", "EAGAIN", "ENOMEM"],
    run(p, c, kernel) {
      p.mmap(c + P, 6 * P, RW, ANON | MAP_FIXED, -1, 0);   // carveout: 3 VMAs
      kernel.sysctl("vm.max_map_count", p.map_count + 4);
      each(
        () => p.mmap(c + 8 * P, P, PROT_READ, ANON | MAP_FIXED, -1, 0),
        () => p.mmap(c + 10 * P, P, PROT_READ, ANON | MAP_FIXED, -1, 0),
        () => p.mmap(c + 12 * P, P, PROT_READ, ANON | MAP_FIXED, -1, 0),
        () => p.mprotect(c + 3 * P, P, PROT_READ),
        () => p.madvise(c + 3 * P, P, MADV_DONTFORK),
        () => p.munmap(c + 3 * P, P),
      );
    },
  },
];
