/**
 * A process: the C-shaped system-call API scenarios are written against. Each method takes
 * its arguments in the man page's order, returns what the syscall returns, and throws a
 * {@link KernelError} with the kernel's errno where the kernel refuses. Every call is recorded
 * in the kernel's step trace with what the kernel did and why.
 *
 * Integer arguments may be numbers or bigints, interchangeably (a bigint must be exactly
 * representable as a number); the trace records numbers. Every argument is checked before the
 * call changes anything. After {@link Process.exit} every method, `map_count` included, throws
 * ESRCH.
 * @module
 */
import { fail, KernelError } from "./errno.ts";
import type { ProcessHost } from "./host.ts";
import { Mm } from "./mm.ts";
import { doMmap } from "./mmap.ts";
import { doMunmap } from "./munmap.ts";
import { doMprotect } from "./mprotect.ts";
import { doMadvise } from "./madvise.ts";
import { doMseal } from "./mseal.ts";
import { doMlock, doMlockall, doMunlock, doMunlockall } from "./mlock.ts";
import { memfdFcntl, memfdSetup, shmemSetattrSeals } from "./memfd.ts";
import { doMremap } from "./mremap.ts";
import { sysBrk } from "./brk.ts";
import { doPrctl } from "./prctl.ts";
import { dupMmap } from "./fork.ts";
import { loadImage } from "./exec.ts";
import { ksmEnter, ksmExit } from "./ksm.ts";
import { procMaps, procSmaps, vmaView } from "./procfs.ts";
import { readPage, writePage } from "./fault.ts";
import { contentKey } from "./page.ts";
import { zapRange } from "./munmap.ts";
import type { File } from "./file.ts";
import { BriefStep, type VmaView } from "./trace.ts";
import { VmaRecorder, type VmaDelta } from "./snapshot.ts";
import { callText, resultText } from "./syscall_text.ts";
import { MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MLOCK_ONFAULT, PAGE_SIZE, TASK_SIZE } from "./uapi.ts";
import { int, integer, traceArg, ulong, type Integer } from "./args.ts";
import { sMaxBytes } from "./file.ts";
import { hugetlbSetup } from "./hugetlb.ts";

export class Process {
  /** The address space (struct mm_struct); scenarios normally use the syscalls instead. */
  mm: Mm;
  private readonly fds = new Map<number, File>();
  private exited = false;
  private readonly recorder = new VmaRecorder();

  /** @internal Use {@link Kernel.spawn} or {@link Process.fork}. */
  constructor(readonly kernel: ProcessHost<Mm, Process>, readonly pid: number, mm: Mm) {
    this.mm = mm;
  }

  /** Number of VMAs (mm->map_count). */
  get map_count(): number {
    this.alive("map_count");
    return this.mm.map_count;
  }

  /** Run one syscall: record it in the trace, with its result or errno. */
  private sys<T extends number>(syscall: string, raw: unknown[], fn: () => T): T {
    const k = this.kernel;
    this.alive(syscall);
    const args = raw.map(traceArg);
    k.tracer.begin();
    try {
      const ret = fn();
      this.record(syscall, args, ret, null);
      return ret;
    } catch (e) {
      if (e instanceof KernelError) {
        this.record(syscall, args, null, e);
      }
      throw e;
    } finally {
      k.vmaCache.gracePeriod();
      k.tracer.count();
    }
  }

  /** A process that has exited has no mm left to ask about: ESRCH, as for its syscalls. */
  private alive(what: string): void {
    if (this.exited) throw new KernelError("ESRCH", what, `process ${this.pid} has exited`);
  }

  private record(syscall: string, args: (number | string)[], ret: number | null, err: KernelError | null): void {
    const tr = this.kernel.tracer;
    if (!tr.recording) return;
    const errno = err ? { name: err.errno, code: err.code, message: err.message } : null;
    if (tr.brief) return tr.end(new BriefStep(this.pid, syscall, tr.sharedArgs(args), ret, errno, this.mm.map_count));
    tr.end({
      pid: this.pid,
      syscall,
      args,
      text: `${callText(syscall, args)} ${resultText(syscall, ret, err ? err.errno : null)}`.trim(),
      ret,
      errno,
      vmaDelta: this.recorder.record(this.mm),
      mapCount: this.mm.map_count,
    });
  }

  private file(fd: number, syscall: string): File {
    const f = this.fds.get(fd);
    if (!f) fail("EBADF", syscall, `fd ${fd} is not an open file descriptor`);
    return f;
  }

  /**
   * mmap(2): map `length` bytes at `addr` (a hint unless MAP_FIXED / MAP_FIXED_NOREPLACE).
   * @returns the address of the mapping.
   * @throws KernelError EINVAL, ENOMEM, EEXIST, EBADF, EACCES, ENODEV, EOPNOTSUPP as the kernel does.
   */
  mmap(addr: Integer, length: Integer, prot: Integer, flags: Integer, fd: Integer = -1, offset: Integer = 0): number {
    return this.sys("mmap", [addr, length, prot, flags, fd, offset], () => {
      const signed = integer("addr", "mmap", addr);
      const len = ulong("length", "mmap", length);
      const pr = int("prot", "mmap", prot);
      const fl = int("flags", "mmap", flags);
      // A MAP_FIXED address of -4095..-1 stays negative: __get_unmapped_area() returns it as an errno.
      const a = signed < 0 && signed >= -4095 && fl & (MAP_FIXED | MAP_FIXED_NOREPLACE)
        ? signed
        : ulong("addr", "mmap", addr);
      const off = ulong("offset", "mmap", offset);
      // arch/x86/kernel/sys_x86_64.c: the byte offset must be page aligned.
      if (off % PAGE_SIZE) fail("EINVAL", "mmap", `offset ${"0x" + off.toString(16)} is not page aligned`);
      // ksys_mmap_pgoff(): the fd is looked up before do_mmap() checks anything else.
      const file = fl & MAP_ANONYMOUS ? null : this.file(int("fd", "mmap", fd), "mmap");
      // ...then MAP_HUGETLB: EINVAL on a file, an unlinked hugetlbfs file for anonymous memory.
      const huge = hugetlbSetup(this.kernel, file, fl, len);
      return doMmap(this.mm, a, huge ? huge.len : len, pr, fl, huge ? huge.file : file, off / PAGE_SIZE);
    });
  }

  /** munmap(2). @returns 0. */
  munmap(addr: Integer, length: Integer): number {
    return this.sys("munmap", [addr, length], () => {
      doMunmap(this.mm, ulong("addr", "munmap", addr), ulong("length", "munmap", length));
      return 0;
    });
  }

  /** mprotect(2). @returns 0. */
  mprotect(addr: Integer, len: Integer, prot: Integer): number {
    return this.sys("mprotect", [addr, len, prot], () => {
      doMprotect(
        this.mm, ulong("addr", "mprotect", addr), ulong("len", "mprotect", len), int("prot", "mprotect", prot),
      );
      return 0;
    });
  }

  /** madvise(2), e.g. MADV_MERGEABLE. @returns 0. */
  madvise(addr: Integer, length: Integer, advice: Integer): number {
    return this.sys("madvise", [addr, length, advice], () => {
      doMadvise(
        this.mm, ulong("addr", "madvise", addr), ulong("length", "madvise", length), int("advice", "madvise", advice),
      );
      return 0;
    });
  }

  /**
   * mseal(2) (6.10+): seal [addr, addr + len) against munmap, mremap, mprotect and discarding
   * madvise. @returns 0.
   */
  mseal(addr: Integer, len: Integer, flags: Integer = 0): number {
    return this.sys("mseal", [addr, len, flags], () => {
      doMseal(this.mm, ulong("addr", "mseal", addr), ulong("len", "mseal", len), ulong("flags", "mseal", flags));
      return 0;
    });
  }

  /**
   * mlock(2): lock the pages of [addr, addr + len) (rounded out to whole pages): VM_LOCKED ("lo")
   * on every VMA piece, which splits and merges them, then fault them in. @returns 0.
   * @throws KernelError ENOMEM for an unmapped part (the pieces before it stay locked, unfaulted),
   * EINVAL for a range that wraps.
   */
  mlock(addr: Integer, len: Integer): number {
    return this.sys("mlock", [addr, len], () => {
      doMlock(this.mm, ulong("addr", "mlock", addr), ulong("len", "mlock", len), false, "mlock");
      return 0;
    });
  }

  /**
   * mlock2(2): as mlock(); with MLOCK_ONFAULT the VMAs get VM_LOCKED | VM_LOCKONFAULT ("lo lf")
   * and nothing is faulted in now. Any other flag is EINVAL. @returns 0.
   */
  mlock2(addr: Integer, len: Integer, flags: Integer = 0): number {
    return this.sys("mlock2", [addr, len, flags], () => {
      const fl = int("flags", "mlock2", flags);
      if (fl & ~MLOCK_ONFAULT) fail("EINVAL", "mlock2", `flags ${fl} has bits other than MLOCK_ONFAULT`);
      doMlock(this.mm, ulong("addr", "mlock2", addr), ulong("len", "mlock2", len), fl !== 0, "mlock2");
      return 0;
    });
  }

  /** munlock(2): clear VM_LOCKED and VM_LOCKONFAULT on [addr, addr + len); the pieces merge back. @returns 0. */
  munlock(addr: Integer, len: Integer): number {
    return this.sys("munlock", [addr, len], () => {
      doMunlock(this.mm, ulong("addr", "munlock", addr), ulong("len", "munlock", len));
      return 0;
    });
  }

  /**
   * mlockall(2): MCL_CURRENT locks every VMA now (and faults them in unless MCL_ONFAULT), MCL_FUTURE
   * every later mapping (mm->def_flags). @returns 0.
   */
  mlockall(flags: Integer): number {
    return this.sys("mlockall", [flags], () => {
      doMlockall(this.mm, int("flags", "mlockall", flags));
      return 0;
    });
  }

  /** munlockall(2): unlock every VMA and clear MCL_FUTURE. @returns 0. */
  munlockall(): number {
    return this.sys("munlockall", [], () => {
      doMunlockall(this.mm);
      return 0;
    });
  }

  /** mremap(2): grow or shrink in place, or move with MREMAP_MAYMOVE / MREMAP_FIXED. @returns the new address. */
  mremap(
    old_address: Integer, old_size: Integer, new_size: Integer, flags: Integer = 0, new_address: Integer = 0,
  ): number {
    return this.sys("mremap", [old_address, old_size, new_size, flags, new_address], () =>
      doMremap(
        this.mm,
        ulong("old_address", "mremap", old_address),
        ulong("old_size", "mremap", old_size),
        ulong("new_size", "mremap", new_size),
        int("flags", "mremap", flags),
        ulong("new_address", "mremap", new_address),
      ),
    );
  }

  /**
   * The brk(2) system call: set the program break.
   * @returns the new break, or the old one if it could not move (brk(0) reads it).
   */
  brk(addr: Integer): number {
    return this.sys("brk", [addr], () => sysBrk(this.mm, ulong("addr", "brk", addr)));
  }

  /**
   * sbrk(3) as glibc implements it on brk(2): move the break by `increment`.
   * @returns the previous break; throws ENOMEM (glibc's errno) when brk() did not move it.
   */
  sbrk(increment: Integer): number {
    const inc = int("increment", "sbrk", increment);
    const old = this.brk(0);
    if (inc === 0) return old;
    const want = old + inc;
    const got = this.brk(want);
    if (got !== want) {
      throw new KernelError("ENOMEM", "sbrk",
        `brk(${"0x" + want.toString(16)}) left the break at ${"0x" + got.toString(16)}`);
    }
    return old;
  }

  /** prctl(2): PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE, PR_SET_VMA (anon names). @returns the syscall's value. */
  prctl(
    option: Integer, arg2: Integer | string = 0, arg3: Integer | string = 0, arg4: Integer | string = 0,
    arg5: Integer | string = 0,
  ): number {
    return this.sys("prctl", [option, arg2, arg3, arg4, arg5], () => {
      const [a2, a3, a4, a5] = [arg2, arg3, arg4, arg5].map((x, i) =>
        (typeof x === "string" ? x : integer(`arg${i + 2}`, "prctl", x)));
      return doPrctl(this.mm, int("option", "prctl", option), a2!, a3!, a4!, a5!);
    });
  }

  /**
   * fork(2): a child with a copy of this address space (copy-on-write pages, fork-child anon_vmas).
   * @returns the child.
   */
  fork(): Process {
    let child: Process | null = null;
    this.sys("fork", [], () => {
      child = this.kernel.newProcess();
      dupMmap(this.mm, child.mm);
      for (const [fd, f] of this.fds) child.fds.set(fd, f);
      return child.pid;
    });
    return child!;
  }

  /**
   * execve(2) of the program: a fresh address space. MMF_VM_MERGE_ANY survives from 6.7
   * (3c6f33b7273a) and the new mm is registered with ksmd from 6.10 (3a9e567ca45f).
   * @returns 0.
   */
  execve(path = "/usr/bin/app"): number {
    return this.sys("execve", [path], () => {
      const inode = this.kernel.vfs.lookup(path);
      if (!inode) fail("ENOENT", "execve", `${path} does not exist`);
      if (path !== "/usr/bin/app") fail("ENOEXEC", "execve", `the engine only models executing /usr/bin/app`);
      const old = this.mm;
      const keep = old.mergeAny && this.kernel.profile.mergeAnyKeptOnExec;
      this.teardown(old);
      const mm = new Mm(this.kernel, this.pid);
      mm.mergeAny = keep;
      if (keep && this.kernel.profile.execRegistersMergeAny) ksmEnter(mm);
      this.mm = mm;
      this.kernel.quiet(() => loadImage(mm));
      return 0;
    });
  }

  /** exit(2): the address space is torn down. */
  exit(): void {
    this.sys("exit", [], () => {
      this.teardown(this.mm);
      return 0;
    });
    this.exited = true;
    this.kernel.reap(this.pid);
  }

  private teardown(mm: Mm): void {
    const last = mm.tree.last();
    if (last) zapRange(mm, 0, last.end);
    ksmExit(mm);
  }

  /**
   * open(2) a file: "/dev/zero", "/dev/shm/NAME" (tmpfs), "/dev/mem" (a device), other paths on ext4.
   * @returns the fd.
   */
  open(path: string, flags: Integer, _mode: Integer = 0o644): number {
    return this.sys("open", [path, flags], () =>
      this.installFd(this.kernel.vfs.open(path, int("flags", "open", flags))));
  }

  /**
   * memfd_create(2): an anonymous shmem file; MFD_ALLOW_SEALING lets fcntl(F_ADD_SEALS) seal it,
   * MFD_NOEXEC_SEAL (6.3+) starts it with F_SEAL_EXEC. @returns the fd.
   */
  memfd_create(name: string, flags: Integer = 0): number {
    return this.sys("memfd_create", [name, flags], () => {
      const { seals, exec } = memfdSetup(int("flags", "memfd_create", flags), this.kernel.profile);
      return this.installFd(this.kernel.vfs.memfd(String(name), seals, exec));
    });
  }

  /**
   * fcntl(2) with F_ADD_SEALS (`arg`: F_SEAL_* bits) or F_GET_SEALS on a memfd (mm/memfd.c).
   * @returns 0, or the seals for F_GET_SEALS.
   * @throws KernelError EBADF, EINVAL (not a shmem file, unknown seal), EPERM (F_SEAL_SEAL, fd not
   * writable), EBUSY (F_SEAL_WRITE while the file is mapped shared and writable).
   */
  fcntl(fd: Integer, cmd: Integer, arg: Integer = 0): number {
    return this.sys("fcntl", [fd, cmd, arg], () => {
      const c = int("cmd", "fcntl", cmd);
      const a = int("arg", "fcntl", arg);
      return memfdFcntl(this.kernel, this.file(int("fd", "fcntl", fd), "fcntl"), c, a);
    });
  }

  /**
   * ftruncate(2) (fs/open.c do_sys_ftruncate(), do_ftruncate(); fs/attr.c inode_newsize_ok()).
   * `length` is a C off_t: negative is EINVAL (before the fd is looked up); growing past the file
   * system's s_maxbytes is EFBIG, and so is any length beyond 2^63 - 1, which no off_t holds.
   * @returns 0.
   */
  ftruncate(fd: Integer, length: Integer): number {
    return this.sys("ftruncate", [fd, length], () => {
      const len = integer("length", "ftruncate", length);
      if (len < 0) fail("EINVAL", "ftruncate", `length ${len} is negative`);
      const f = this.file(int("fd", "ftruncate", fd), "ftruncate");
      if (!f.writable) fail("EINVAL", "ftruncate", `fd ${fd} is not open for writing`);
      const max = sMaxBytes(f.inode.kind);
      if (max === 0) fail("EINVAL", "ftruncate", `${f.inode.path} is not a regular file`);
      // inode_newsize_ok(): only growing is checked; RLIMIT_FSIZE is unlimited (else SIGXFSZ first).
      if (len >= 2 ** 63) {
        fail("EFBIG", "ftruncate", `length ${len} is beyond 2^63 - 1, the largest off_t ` +
          "(and every file system's s_maxbytes)");
      }
      if (len > f.inode.size && len > max) {
        fail("EFBIG", "ftruncate",
          `length ${len} is beyond the largest file ${f.inode.path}'s file system allows (s_maxbytes ${max})`);
      }
      shmemSetattrSeals(f.inode, len);
      f.inode.size = len;
      return 0;
    });
  }

  /** close(2). @returns 0. */
  close(fd: Integer): number {
    return this.sys("close", [fd], () => {
      const n = int("fd", "close", fd);
      this.file(n, "close");
      this.fds.delete(n);
      return 0;
    });
  }

  private installFd(f: File): number {
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, f);
    return fd;
  }

  /**
   * Store `value` into the page at `addr` (a write fault): the page gets that content and the
   * VMA an anon_vma. Writing outside a writable VMA throws EFAULT (a C program gets SIGSEGV).
   */
  poke(addr: Integer, value: Integer | string = 1): number {
    return this.sys("poke", [addr, value], () => {
      const a = ulong("addr", "poke", addr);
      const key = contentKey(typeof value === "string" ? value : integer("value", "poke", value));
      writePage(this.mm, a, () => key, "poke");
      return 0;
    });
  }

  /** memset(3): fill [s, s+n) with byte `c`; every page touched is written (faulted in). */
  memset(s: Integer, c: Integer, n: Integer): number {
    return this.sys("memset", [s, c, n], () => {
      const start = ulong("s", "memset", s);
      const len = ulong("n", "memset", n);
      const byte = int("c", "memset", c) & 0xff;
      if (start + len > TASK_SIZE) fail("EFAULT", "memset", "range beyond the user address space");
      for (let a = start - (start % PAGE_SIZE); a < start + len; a += PAGE_SIZE) {
        const lo = Math.max(a, start);
        const hi = Math.min(a + PAGE_SIZE, start + len);
        const whole = lo === a && hi === a + PAGE_SIZE;
        writePage(this.mm, a, (old) => (whole ? contentKey(byte) : `${old}|${byte}@${lo - a}+${hi - lo}`), "memset");
      }
      return start;
    });
  }

  /** Read the content key of the page at addr ("0" for a zero page). Not recorded in the trace. */
  peek(addr: Integer): string {
    this.alive("peek");
    return readPage(this.mm, ulong("addr", "peek", addr), "peek");
  }

  /** The text of /proc/PID/maps, or of its first `maxLines` lines (as `head -n`). */
  maps(maxLines?: number): string {
    this.alive("maps");
    return procMaps(this.mm, maxLines);
  }

  /** The text of /proc/PID/smaps. */
  smaps(): string {
    this.alive("smaps");
    return procSmaps(this.mm);
  }

  /** The text of /proc/PID/ksm_stat. */
  ksm_stat(): string {
    this.alive("ksm_stat");
    return this.kernel.ksmd.procKsmStat(this.mm);
  }

  /** The text of /proc/PID/ksm_merging_pages (5.19+): this process's pages that map a KSM page. */
  ksm_merging_pages(): string {
    this.alive("ksm_merging_pages");
    return this.kernel.ksmd.procKsmMergingPages(this.mm);
  }

  /** @internal The trace's record of what changed in the VMAs since this process's last step. */
  vmaDelta(): VmaDelta | null {
    return this.recorder.record(this.mm);
  }

  /** The VMAs as plain data, lowest address first. */
  vmas(): VmaView[] {
    this.alive("vmas");
    const out: VmaView[] = [];
    for (const v of this.mm.tree) out.push(vmaView(this.mm, v));
    return out;
  }

  /** The VMAs overlapping [start, end). */
  vmasIn(start: number, end: number): VmaView[] {
    this.alive("vmasIn");
    const out: VmaView[] = [];
    for (let v = this.mm.tree.findVma(start); v && v.start < end; v = v.next) out.push(vmaView(this.mm, v));
    return out;
  }
}
