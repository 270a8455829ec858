/**
 * ksmd (mm/ksm.c ksm_scan_thread(), ksm_do_scan()): the daemon that scans VM_MERGEABLE memory,
 * in virtual time and deterministically, and the files it exposes (/sys/kernel/mm/ksm/*,
 * /proc/PID/ksm_stat, /proc/PID/ksm_merging_pages).
 *
 * @example
 * const kernel = boot({ version: "6.18" });
 * const p = kernel.spawn();
 * const a = p.mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
 * p.memset(a, 0x2a, 4 * PAGE_SIZE);          // 4 identical pages
 * p.madvise(a, 4 * PAGE_SIZE, MADV_MERGEABLE);
 * kernel.writeSysfs("run", 1);
 * kernel.ksmd.runFullScans(2);                // checksums stable on the 2nd visit: merged
 * kernel.sysfs("pages_shared");               // "1"
 * kernel.sysfs("pages_sharing");              // "3"
 * @module
 */
import { KernelError } from "../errno.ts";
import type { Host, KsmHooks, KsmProcFiles } from "../host.ts";
import type { Mm } from "../mm.ts";
import type { Page } from "../page.ts";
import { VM_MERGEABLE_LO } from "../flags.ts";
import { hexAddr } from "../trace.ts";
import { unmergeKsmPages } from "../ksm.ts";
import {
  defaultTunables, zeroCounters, type KsmCounters, type KsmCtx, type KsmTunables, type MmKsm, type MmSlot,
  type RmapItem, type StableChain, type StableNode,
} from "./state.ts";
import { removeAllStableNodes } from "./trees.ts";
import { ksmDoScan, removeAllRmapItems, type ScanEnv } from "./scan.ts";
import { checkWritable, parseBool, parseUint, procKsmStat, sysfsFiles, sysfsShow } from "./sysfs.ts";

/** Above this many events in one ksmd step, the rest are summarised (a trace stays readable). */
const EVENT_LIMIT = 2000;

/** ksmd and its sysfs interface. Reached as `kernel.ksmd`. */
export class Ksmd implements KsmHooks<Mm>, KsmProcFiles<Mm>, KsmCtx {
  /** @internal */ readonly t: KsmTunables = defaultTunables();
  /** @internal */ readonly c: KsmCounters = zeroCounters();
  /** @internal */ seqnr = 0;
  /**
   * Virtual time in milliseconds since boot; advanced only by {@link scanBatch}, {@link runFullScans}
   * and {@link runFor}.
   */
  now = 0;
  /** @internal */ readonly stable = new Map<string, StableNode | StableChain>();
  /** @internal */ readonly unstable = new Map<string, RmapItem>();
  /** @internal ksm_mm_head's list. */
  readonly slots: MmSlot[] = [];
  /** @internal */ cursor: KsmCtx["cursor"] = { slot: null, address: 0, prev: null };
  /** @internal */ nextNodeId = 1;
  /** When ksmd wakes next (ms); it sleeps sleep_millisecs after each batch. */
  private nextWake = 0;
  private readonly perMm = new WeakMap<Mm, MmKsm>();
  private readonly exitingMms = new WeakSet<Mm>();
  private vpnCache = new Map<Mm, number[]>();
  private events = 0;
  private readonly env: ScanEnv;

  constructor(readonly kernel: Host<Mm>) {
    // ksm_might_unmap_zero_page() (6.6+): a KSM zero-page PTE that goes away is uncounted at once.
    kernel.pages.onKsmZeroUnmap = (pte: Page) => {
      const owner = pte.owner as MmKsm | undefined;
      this.c.zeroPages--;
      if (owner) owner.zeroPages--;
    };
    this.env = {
      exiting: (mm) => this.exitingMms.has(mm),
      dropped: (slot) => this.dropSlot(slot),
      vpns: (mm) => {
        let a = this.vpnCache.get(mm);
        if (!a) this.vpnCache.set(mm, (a = [...mm.ptes.keys()].sort((x, y) => x - y)));
        return a;
      },
    };
  }

  /** @internal Per-mm counters (mm->ksm_merging_pages, ->ksm_rmap_items, ->ksm_zero_pages). */
  mmKsm(mm: Mm): MmKsm {
    let s = this.perMm.get(mm);
    if (!s) this.perMm.set(mm, (s = { merging: 0, rmapItems: 0, zeroPages: 0 }));
    return s;
  }

  /**
   * @internal Will a ksmd event be recorded: tracing is on and this step is under its cap.
   * Callers guard with `k.tracing &&`, so that nothing is formatted otherwise.
   */
  get tracing(): boolean {
    return this.kernel.tracer.on && this.events <= EVENT_LIMIT;
  }

  /** @internal Record a ksmd event (the caller checked `tracing`); the one past the cap says so. */
  event(fn: string, text: string, start?: number, end?: number): void {
    const tr = this.kernel.tracer;
    if (++this.events === EVENT_LIMIT + 1) tr.event("ksm", fn, "(further ksmd events of this step are not recorded)");
    if (this.events > EVENT_LIMIT) return;
    tr.event("ksm", fn, text, start, end);
  }

  /** Run `fn` as one trace step of ksmd (pid 0). */
  private step<T>(text: string, args: (number | string)[], fn: () => T, after?: (r: T) => string): T {
    const tr = this.kernel.tracer;
    tr.begin();
    this.events = 0;
    const r = fn();
    tr.end({
      pid: 0, syscall: "ksmd", args, text: after ? `${text} = ${after(r)}` : text, ret: typeof r === "number" ? r : 0,
      errno: null, vmaDelta: null, mapCount: 0,
    });
    return r;
  }

  // ---- hooks called by the VMA code (mm/ksm.c entry points) ----

  /**
   * __ksm_enter(): the mm joins ksmd's list just behind the cursor, so the current scan does not
   * see it (at the tail when run=2). ksmd is woken if the list was empty.
   */
  enter(mm: Mm): void {
    if (this.slots.some((s) => s.mm === mm)) return;
    this.exitingMms.delete(mm);
    const slot: MmSlot = { mm, head: null };
    const wasEmpty = this.slots.length === 0;
    const i = this.t.run & 2 || this.cursor.slot === null ? -1 : this.slots.indexOf(this.cursor.slot);
    if (i < 0) this.slots.push(slot);
    else this.slots.splice(i, 0, slot);
    if (wasEmpty) this.wake();
  }

  /**
   * __ksm_exit(): a slot with no rmap_items that is not under the cursor is freed at once;
   * otherwise it moves right after the cursor and ksmd frees it, and its items, when it gets there
   * (so the counters of an exited process drop at ksmd's next step).
   */
  exit(mm: Mm): void {
    const slot = this.slots.find((s) => s.mm === mm);
    if (!slot) return;
    if (this.cursor.slot !== slot) {
      const i = this.slots.indexOf(slot);
      this.slots.splice(i, 1);
      if (!slot.head) return;
      const c = this.cursor.slot ? this.slots.indexOf(this.cursor.slot) + 1 : 0;
      this.slots.splice(c, 0, slot);
    }
    this.exitingMms.add(mm);
  }

  /**
   * unmerge_ksm_pages() ran: the counters are left to ksmd's next pass over the range
   * (mm/ksm.c comment above unmerge_ksm_pages()).
   */
  unmerged(mm: Mm, start: number, end: number): void {
    const tr = this.kernel.tracer;
    tr.on && tr.event("ksm", "unmerge_ksm_pages",
      `pages_shared/pages_sharing and pid ${mm.pid}'s ksm_merging_pages update when ksmd next passes ` +
        `[${hexAddr(start)}-${hexAddr(end)})`, start, end);
  }

  /** PTEs were zapped: KSM zero pages were uncounted by the page allocator hook; rmap_items go at the next pass. */
  unmapped(_mm: Mm, _start: number, _end: number): void {}

  /**
   * ksm_fork() and dup_mm(): the child's mm_struct starts as a copy of the parent's, KSM counters
   * included. From 6.18 (4d6fc29f3634, VersionProfile.forkResetsKsmCounters) it resets
   * ksm_merging_pages and ksm_rmap_items and adds the inherited KSM zero pages to the global count;
   * before, the child showed the parent's numbers.
   */
  fork(parent: Mm, child: Mm): void {
    const p = this.mmKsm(parent);
    const c = this.mmKsm(child);
    c.merging = p.merging;
    c.rmapItems = p.rmapItems;
    c.zeroPages = p.zeroPages;
    if (this.kernel.profile.forkResetsKsmCounters && parent.ksmRegistered) {
      c.merging = 0;
      c.rmapItems = 0;
      this.c.zeroPages += c.zeroPages;
    }
  }

  /**
   * The slot was freed by ksmd: MMF_VM_MERGEABLE is cleared, and MMF_VM_MERGE_ANY too before
   * 590c03ca6a3f (VersionProfile.ksmdKeepsMergeAny).
   */
  private dropSlot(slot: MmSlot): void {
    const mm = slot.mm;
    const exiting = this.exitingMms.has(mm);
    mm.ksmRegistered = false;
    const hadAny = mm.mergeAny;
    const keeps = this.kernel.profile.ksmdKeepsMergeAny;
    if (!exiting && !keeps) mm.mergeAny = false;
    this.tracing && this.event("scan_get_next_rmap_item", exiting
      ? `pid ${mm.pid} exited: its mm_slot and rmap_items are freed`
      : `pid ${mm.pid} has no VM_MERGEABLE VMA left: ksmd drops its mm_slot ` +
        `(MMF_VM_MERGEABLE cleared${!hadAny ? "" : keeps
        ? "; MMF_VM_MERGE_ANY kept (590c03ca6a3f): the next VMA ksm_vma_flags() marks puts the mm back on the list"
        : "; MMF_VM_MERGE_ANY cleared too, so PR_GET_MEMORY_MERGE now returns 0"})`);
  }

  // ---- the thread ----

  private shouldRun(): boolean {
    return (this.t.run & 1) === 1 && this.slots.length > 0;
  }

  private wake(): void {
    this.nextWake = this.now;
  }

  /** One iteration of ksm_scan_thread(): ksm_do_scan(pages_to_scan), then sleep. */
  private batch(): number {
    this.now = Math.max(this.now, this.nextWake);
    this.vpnCache = new Map();
    const before = this.seqnr;
    const n = ksmDoScan(this, this.env, this.t.pages_to_scan);
    if (this.seqnr !== before) {
      this.tracing && this.event("ksm_do_scan",
        `full scan ${before} done (full_scans=${this.seqnr}); the unstable tree is flushed when the next one starts`);
    }
    // A sleep of 0 still yields for a jiffy in virtual time, so that runFor() ends.
    this.nextWake = this.now + Math.max(1, this.t.sleep_millisecs);
    return n;
  }

  /**
   * Run one batch now: ksmd examines up to `pages_to_scan` pages (fewer when a full scan ends),
   * then sleeps `sleep_millisecs` of virtual time.
   * @returns the number of pages examined (0 when ksmd is not running or no mm is registered).
   */
  scanBatch(): number {
    return this.step("ksmd: one batch", [], () => (this.shouldRun() ? this.batch() : 0),
      (n) => `${n} page${n === 1 ? "" : "s"} examined`);
  }

  /**
   * Run batches until `n` more full scans have completed (full_scans advanced by n), advancing
   * virtual time by sleep_millisecs between batches. Merging needs two scans after the pages were
   * written: the first records each page's checksum, the second finds it unchanged.
   * @throws KernelError EINVAL when ksmd is not running (run != 1) or no mm is registered with KSM.
   * @returns full_scans afterwards.
   */
  runFullScans(n = 1): number {
    if (!Number.isInteger(n) || n < 0) {
      throw new KernelError("EINVAL", "ksmd", `runFullScans(${n}): n must be a non-negative integer`);
    }
    if ((this.t.run & 1) !== 1) {
      throw new KernelError("EINVAL", "ksmd",
        `ksmd is not running (run=${this.t.run}): write 1 to /sys/kernel/mm/ksm/run first`);
    }
    return this.step(`ksmd: run ${n} full scan${n === 1 ? "" : "s"}`, [n], () => {
      const target = this.seqnr + n;
      while (this.seqnr < target) {
        if (!this.shouldRun()) {
          throw new KernelError("EINVAL", "ksmd", "no mm is registered with KSM " +
            `(use madvise(MADV_MERGEABLE) or prctl(PR_SET_MEMORY_MERGE)): full_scans stays at ${this.seqnr}`);
        }
        this.batch();
      }
      return this.seqnr;
    }, (r) => `full_scans ${r}`);
  }

  /**
   * Let `ms` milliseconds of virtual time pass: ksmd runs a batch each time it wakes up
   * (every sleep_millisecs while it has work, never while run != 1 or no mm is registered).
   * @returns the number of batches run.
   */
  runFor(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new KernelError("EINVAL", "ksmd", `runFor(${ms}): ms must be a non-negative number`);
    }
    return this.step(`ksmd: run for ${ms} ms`, [ms], () => {
      const end = this.now + ms;
      let batches = 0;
      while (this.shouldRun() && this.nextWake <= end) {
        this.batch();
        batches++;
      }
      this.now = end;
      if (this.nextWake < this.now) this.nextWake = this.now;
      return batches;
    }, (b) => `${b} batch${b === 1 ? "" : "es"}`);
  }

  // ---- sysfs and procfs ----

  /** Read /sys/kernel/mm/ksm/NAME (the value, without the trailing newline). */
  readSysfs(name: string): string {
    return sysfsShow(this, name);
  }

  /** The files of /sys/kernel/mm/ksm/ in this kernel version. */
  sysfsFiles(): string[] {
    return sysfsFiles(this.kernel.profile);
  }

  /** Write /sys/kernel/mm/ksm/NAME, as `echo value > /sys/kernel/mm/ksm/NAME` does (recorded in the trace). */
  writeSysfs(name: string, value: string): void {
    checkWritable(this, name);
    const v = String(value);
    this.step(`echo ${v.trim()} > /sys/kernel/mm/ksm/${name}`, [name, v],
      () => this.store(name, v.endsWith("\n") ? v : v + "\n"));
  }

  private store(name: string, v: string): number {
    const t = this.t;
    switch (name) {
      case "run": {
        const r = parseUint(name, v);
        if (r > 2) {
          throw new KernelError("EINVAL", "write",
            `/sys/kernel/mm/ksm/run: ${r} is not 0 (stop), 1 (run) or 2 (stop and unmerge all)`);
        }
        if (t.run !== r) {
          t.run = r;
          if (r & 2) this.unmergeAndRemoveAllRmapItems();
        }
        if (r & 1) this.wake();
        return 0;
      }
      case "pages_to_scan":
        if (t.advisor_mode !== "none") {
          throw new KernelError("EINVAL", "write",
            "/sys/kernel/mm/ksm/pages_to_scan: the advisor sets it (advisor_mode is scan-time)");
        }
        t.pages_to_scan = parseUint(name, v);
        return 0;
      case "sleep_millisecs":
        t.sleep_millisecs = parseUint(name, v);
        this.wake(); // wake_up_interruptible(&ksm_iter_wait) cuts the current sleep short
        return 0;
      case "stable_node_chains_prune_millisecs":
        t.stable_node_chains_prune_millisecs = parseUint(name, v);
        return 0;
      case "use_zero_pages":
        t.use_zero_pages = parseBool(name, v);
        return 0;
      case "smart_scan":
        t.smart_scan = parseBool(name, v);
        return 0;
      case "max_page_sharing":
      case "merge_across_nodes": {
        const n = name === "max_page_sharing" ? parseUint(name, v, 0x7fffffff) : parseUint(name, v);
        if (name === "max_page_sharing" && n < 2) {
          throw new KernelError("EINVAL", "write",
            "/sys/kernel/mm/ksm/max_page_sharing must be at least 2 (a KSM page starts with 2 mappings)");
        }
        if (name === "merge_across_nodes" && n > 1) {
          throw new KernelError("EINVAL", "write", "/sys/kernel/mm/ksm/merge_across_nodes is 0 or 1");
        }
        if (t[name] === n) return 0;
        if (this.c.pagesShared || !removeAllStableNodes(this)) {
          throw new KernelError("EBUSY", "write",
            `/sys/kernel/mm/ksm/${name} can only change while there are no KSM pages ` +
              `(pages_shared=${this.c.pagesShared}; write 2 to run first)`);
        }
        t[name] = n;
        return 0;
      }
      case "advisor_mode": {
        const m = v.replace(/\n$/, "");
        if (m !== "none" && m !== "scan-time") {
          throw new KernelError("EINVAL", "write",
            `/sys/kernel/mm/ksm/advisor_mode: "${m}" is not "none" or "scan-time"`);
        }
        if (m !== t.advisor_mode) {
          t.advisor_mode = m;
          // set_advisor_defaults()
          t.pages_to_scan = m === "none" ? 100 : t.advisor_min_pages_to_scan;
        }
        return 0;
      }
      case "advisor_target_scan_time": {
        const n = parseUint(name, v, Number.MAX_SAFE_INTEGER);
        if (n < 1) {
          throw new KernelError("EINVAL", "write",
            "/sys/kernel/mm/ksm/advisor_target_scan_time must be at least 1 second");
        }
        t.advisor_target_scan_time = n;
        return 0;
      }
      case "advisor_max_cpu":
      case "advisor_min_pages_to_scan":
      case "advisor_max_pages_to_scan":
        t[name] = parseUint(name, v, Number.MAX_SAFE_INTEGER);
        return 0;
    }
    throw new KernelError("EACCES", "open", `/sys/kernel/mm/ksm/${name} is read-only`);
  }

  /**
   * unmerge_and_remove_all_rmap_items() (run=2): break every KSM page (and, 6.6+, KSM zero page)
   * in every VM_MERGEABLE VMA, free all rmap_items and stable nodes, reset full_scans to 0.
   * The mm slots stay registered; exiting ones are freed.
   */
  private unmergeAndRemoveAllRmapItems(): void {
    for (const slot of [...this.slots]) {
      const mm = slot.mm;
      if (!this.exitingMms.has(mm)) {
        for (const v of mm.tree) if (v.flagsLo & VM_MERGEABLE_LO && v.anonVma) unmergeKsmPages(mm, v.start, v.end);
      }
      removeAllRmapItems(this, slot);
      if (this.exitingMms.has(mm)) {
        this.slots.splice(this.slots.indexOf(slot), 1);
        mm.ksmRegistered = false;
      }
    }
    this.cursor = { slot: null, address: 0, prev: null };
    this.unstable.clear();
    removeAllStableNodes(this);
    this.seqnr = 0;
  }

  /** /proc/PID/ksm_stat of `mm`. */
  procKsmStat(mm: Mm): string {
    return procKsmStat(this, mm);
  }

  /** /proc/PID/ksm_merging_pages of `mm` (5.19+): "N\n". */
  procKsmMergingPages(mm: Mm): string {
    return `${this.mmKsm(mm).merging}\n`;
  }
}
