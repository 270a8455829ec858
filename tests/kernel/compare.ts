/**
 * Runs a planned trace on the real kernel and compares, step by step, what the kernel did with
 * what the engine said it does: return value / errno of every call, and the VMAs (relative
 * boundaries, perms, file offset, name, VmFlags) of every region the scenario used.
 */
import type { Step, VmaView } from "mergeable";
import { P, type Plan, type Region } from "./plan.ts";
import { n, type KernelVma, type Replayer, type Reply } from "./replayer.ts";

/** One VMA in region-relative form: what both sides must agree on. */
export interface RelVma {
  start: number;
  end: number;
  perms: string;
  offset: number;
  vmflags: string;
  name: string;
}

export interface Divergence {
  /** Index in the trace of the first step that differs (-1: the final state). */
  stepIndex: number;
  step: Step | null;
  what: string;
  engineErrno: string;
  kernelErrno: string;
  engineRet: string;
  kernelRet: string;
  regions: { region: Region; engine: RelVma[]; kernel: RelVma[] }[];
  request: string;
  note: string;
}

export interface Outcome {
  /** "ok": no difference; "diverged"; "skipped": the replay could not be made (reason). */
  status: "ok" | "diverged" | "skipped";
  reason: string;
  divergence: Divergence | null;
  calls: number;
  /** The last state of every process, both sides, region-relative (status "ok" or "diverged"). */
  final: { pid: number; regions: { region: Region; engine: RelVma[]; kernel: RelVma[] }[] }[];
}

const ERRNO_NAMES: Record<number, string> = {
  1: "EPERM", 2: "ENOENT", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT",
  16: "EBUSY", 17: "EEXIST", 19: "ENODEV", 22: "EINVAL", 24: "EMFILE", 27: "EFBIG", 38: "ENOSYS", 75: "EOVERFLOW",
};
export const errnoName = (code: number): string => ERRNO_NAMES[code] ?? `errno ${code}`;

/** Identity of a VMA of the spawn() layout, which the replaying process does not have. */
export const baselineKey = (v: VmaView): string => `${v.start}-${v.end}-${v.flags}-${v.name}`;

const relEngine = (vmas: VmaView[], lo: number, hi: number, baseline: Set<string>): RelVma[] =>
  vmas
    .filter((v) => v.start < hi && v.end > lo && !baseline.has(baselineKey(v)))
    .map((v) => ({ start: v.start - lo, end: v.end - lo, perms: v.perms, offset: v.file !== null ? v.pgoff * P : 0, vmflags: v.vmflags.trim(), name: v.name }));

/** Replayer addresses are relocated from here on (plan.ts RELOC_BASE). */
const RELOCATED = 0x200000000000;

const relKernel = (vmas: KernelVma[], lo: number, hi: number, delta: number, paths: Map<string, string>): RelVma[] =>
  vmas
    .filter((v) => v.start < hi && v.end > lo)
    .map((v) => {
      let name = v.name;
      for (const [real, eng] of paths) if (name === real || name.startsWith(real + " ")) name = eng + name.slice(real.length);
      // A private /dev/zero VMA is anonymous memory with a vm_file: when it is moved unfaulted,
      // copy_vma() gives it pgoff = new address >> PAGE_SHIFT, which maps prints as its offset.
      // That offset is an address, so it is relocated like one.
      const offset = v.offset >= RELOCATED && v.offset - delta >= 0 ? v.offset - delta : v.offset;
      return { start: v.start - lo, end: v.end - lo, perms: v.perms, offset, vmflags: v.vmflags.trim(), name };
    });

export const relLine = (v: RelVma): string =>
  `+${(v.start / P).toString(16)}..+${(v.end / P).toString(16)} ${v.perms} ${v.offset.toString(16).padStart(8, "0")} ${v.vmflags.padEnd(24)} ${v.name}`.trimEnd();

/** kernel-test style picture: one character per page, a letter per VMA, '.' unmapped. */
export function picture(vmas: RelVma[], pages: number): string {
  if (pages > 160) return `(region of ${pages} pages: see the VMA list)`;
  const row = new Array(pages).fill(".");
  vmas.forEach((v, i) => {
    for (let p = Math.max(0, v.start / P); p < Math.min(pages, v.end / P); p++) row[p] = String.fromCharCode(65 + (i % 26));
  });
  return row.join("");
}

function retOf(r: Reply | undefined): string {
  if (!r) return "(no answer)";
  if (r.kind === "ok") return n(r.value);
  if (r.kind === "err") return `-1 ${errnoName(r.value)}`;
  return `${r.kind} ${r.detail}`;
}

/** Run the plan's requests and compare. `finalVmas`: the engine's VMAs of every process at the end. */
export async function replayAndCompare(replayer: Replayer, plan: Plan, finalVmas?: Map<number, VmaView[]>, opts: { ignoreSoftDirty?: boolean } = {}): Promise<Outcome> {
  if (plan.unsupported) return { status: "skipped", reason: plan.unsupported, divergence: null, calls: 0, final: [] };
  const replies = await replayer.batch(plan.requests);
  const calls = plan.requests.length;
  const bad = replies.findIndex((r) => r.kind === "dead");
  if (bad >= 0) throw new Error(`replayer died at request ${bad} "${plan.requests[bad]}": ${replies[bad]!.detail}`);

  // Heap region delta: engine start_brk → replayer start_brk (the latest "getbrk": after
  // "begin" and after each execve).
  const getbrks = plan.requests.flatMap((q, i) => (/ getbrk$/.test(q) ? [i] : []));
  let kHeapBase = getbrks.length ? replies[getbrks[0]!]!.value : NaN;
  // The engine's spawn() layout (program, libraries, vDSO, stack) is not compared: the replaying
  // process has its own. A baseline VMA that a scenario changed (merged into, split) is compared.
  const spawn = plan.steps.find((x) => x.step.syscall === "spawn");
  const baseline = new Set([...(spawn?.vmas ?? []), ...plan.layouts].map(baselineKey));
  for (const v of plan.recreated) baseline.delete(baselineKey(v));
  const deltaOf = (r: Region): number => (r.kind === "heap" ? kHeapBase - r.lo : r.delta);

  const compareRegions = (engine: VmaView[], kernel: KernelVma[]) => {
    const regions: { region: Region; engine: RelVma[]; kernel: RelVma[] }[] = plan.regions.map((region) => {
      const d = deltaOf(region);
      let eng = relEngine(engine, region.lo, region.hi, region.kind === "heap" ? new Set() : baseline);
      // An engine booted as a CONFIG_MEM_SOFT_DIRTY=y kernel on a machine without it: only "sd" may differ.
      if (opts.ignoreSoftDirty) eng = eng.map((v) => ({ ...v, vmflags: v.vmflags.split(" ").filter((f) => f !== "sd").join(" ") }));
      return { region, engine: eng, kernel: relKernel(kernel, region.lo + d, region.hi + d, d, plan.paths) };
    });
    // [stack]: compared by perms and VmFlags only, when the dump asked for it.
    const kStack = kernel.find((v) => v.name === "[stack]");
    const eStack = engine.find((v) => v.name === "[stack]");
    if (kStack && eStack) {
      const flags = (f: string) => (opts.ignoreSoftDirty ? f.split(" ").filter((x) => x !== "sd").join(" ") : f.trim());
      const stackRegion: Region = { lo: eStack.start, hi: eStack.end, delta: kStack.start - eStack.start, kind: "stack" };
      regions.push({
        region: stackRegion,
        engine: [{ start: 0, end: eStack.end - eStack.start, perms: eStack.perms, offset: 0, vmflags: flags(eStack.vmflags), name: "[stack]" }],
        kernel: [{ start: 0, end: eStack.end - eStack.start, perms: kStack.perms, offset: 0, vmflags: kStack.vmflags.trim(), name: "[stack]" }],
      });
    }
    const same = regions.every((x) => x.engine.length === x.kernel.length && x.engine.every((v, i) => relLine(v) === relLine(x.kernel[i]!)));
    return { same, regions };
  };

  /** The kernel's answer, an address translated back to engine coordinates. */
  const kernelRet = (syscall: string, op: Reply | undefined): string => {
    if (!op || op.kind !== "ok" || !["mmap", "mremap", "brk"].includes(syscall)) return retOf(op);
    const r = plan.regions.find((g) => op.value >= g.lo + deltaOf(g) && op.value < g.hi + deltaOf(g) + (g.kind === "heap" ? 64 * P : P));
    return r ? `${n(op.value - deltaOf(r))} (${n(op.value)} in the replaying process)` : retOf(op);
  };
  const unsafe = replies.findIndex((r) => r.kind === "unsafe");
  const limit = unsafe >= 0 ? unsafe : Infinity;

  for (let i = 0; i < plan.steps.length; i++) {
    const ps = plan.steps[i]!;
    const s = ps.step;
    if ((ps.op ?? -1) >= limit || (ps.pre ?? -1) >= limit) {
      return { status: "skipped", reason: `step ${i} (${s.text}): the replayer refused "${plan.requests[limit]}" (${replies[limit]!.detail})`, divergence: null, calls, final: [] };
    }
    for (const g of getbrks) if (g < (ps.dump ?? ps.op ?? 0)) kHeapBase = replies[g]!.value;
    const op = ps.op !== null ? replies[ps.op] : undefined;
    const base: Omit<Divergence, "what"> = {
      stepIndex: i, step: s, note: ps.note,
      engineErrno: s.errno ? s.errno.name : "-", kernelErrno: op?.kind === "err" ? errnoName(op.value) : "-",
      engineRet: s.errno ? `-1 ${s.errno.name}` : s.ret === null ? "-" : n(s.ret), kernelRet: kernelRet(s.syscall, op),
      regions: [], request: ps.op !== null ? plan.requests[ps.op]! : "",
    };
    const diverge = (what: string): Outcome => {
      const dump = ps.dump !== null ? replies[ps.dump] : undefined;
      const regions = compareRegions(ps.vmas, dump?.vmas ?? []).regions;
      return { status: "diverged", reason: what, divergence: { ...base, what, regions }, calls, final: [] };
    };
    if (ps.pre !== null && replies[ps.pre]!.kind === "ok") {
      return diverge(`the engine moved the mapping, but the kernel can resize it in place (mremap without MREMAP_MAYMOVE succeeded)`);
    }
    if (op) {
      if (s.syscall === "sysctl" || s.syscall === "spawn") {
        if (op.kind !== "ok") return { status: "skipped", reason: `could not set up step ${i} (${s.text}): ${retOf(op)}`, divergence: null, calls, final: [] };
      } else if (s.errno) {
        if (op.kind !== "err" || op.value !== s.errno.code) return diverge(`errno differs: engine ${s.errno.name} (${s.errno.message}), kernel ${retOf(op)}`);
      } else if (op.kind !== "ok") {
        return diverge(`the engine succeeded (${s.ret === null ? "-" : n(s.ret)}), the kernel failed with ${retOf(op)}`);
      } else if (s.ret !== null && ["mmap", "mremap", "brk", "munmap", "mprotect", "madvise", "prctl", "ftruncate", "close", "mlock", "mlock2", "munlock", "fcntl", "mlockall", "munlockall"].includes(s.syscall)) {
        let k = op.value;
        if (s.syscall === "mmap" || s.syscall === "mremap" || s.syscall === "brk") {
          const r = plan.regions.find((g) => k >= g.lo + deltaOf(g) && k < g.hi + deltaOf(g) + (g.kind === "heap" ? 64 * P : P));
          if (r) k -= deltaOf(r);
        }
        if (k !== s.ret) return diverge(`return value differs: engine ${n(s.ret)}, kernel ${n(k)} (kernel raw ${n(op.value)})`);
      }
    }
    if (ps.dump !== null) {
      const dump = replies[ps.dump]!;
      const cmp = compareRegions(ps.vmas, dump.vmas);
      if (!cmp.same) return { status: "diverged", reason: "VMAs differ", divergence: { ...base, what: "the VMAs after this call differ", regions: cmp.regions }, calls, final: [] };
    }
  }
  if (unsafe >= 0) return { status: "skipped", reason: `the replayer refused "${plan.requests[unsafe]}" (${replies[unsafe]!.detail})`, divergence: null, calls, final: [] };
  const final: Outcome["final"] = [];
  let finalDiff: Outcome | null = null;
  for (const f of plan.finals) {
    const eng = finalVmas?.get(f.pid) ?? [...plan.steps].reverse().find((x) => x.step.pid === f.pid)?.vmas;
    if (!eng) continue;
    const cmp = compareRegions(eng, replies[f.dump]!.vmas);
    final.push({ pid: f.pid, regions: cmp.regions });
    if (!cmp.same && !finalDiff) {
      finalDiff = {
        status: "diverged", reason: "final VMAs differ",
        divergence: { stepIndex: -1, step: null, what: `the final VMAs of pid ${f.pid} differ`, engineErrno: "-", kernelErrno: "-", engineRet: "-", kernelRet: "-", regions: cmp.regions, request: plan.requests[f.dump]!, note: "" },
        calls, final,
      };
    }
  }
  return finalDiff ?? { status: "ok", reason: "", divergence: null, calls, final };
}

/** The message a kernel developer can act on. */
export function report(name: string, version: string, release: string, trace: Step[], out: Outcome, reproducer: string): string {
  const d = out.divergence!;
  const lines: string[] = [];
  lines.push(`Engine and kernel disagree: ${name}`);
  lines.push(`  engine profile ${version}, running kernel ${release}`);
  if (d.step) {
    lines.push(`First step that differs: #${d.stepIndex} (pid ${d.step.pid}) ${d.step.text}`);
    lines.push(`  replayed as: ${d.request}${d.note ? `   [${d.note}]` : ""}`);
  } else {
    lines.push(`All calls agree; the final state differs (${d.request})`);
  }
  lines.push(`  ${d.what}`);
  lines.push(`  return: engine ${d.engineRet}   kernel ${d.kernelRet}`);
  lines.push(`  errno:  engine ${d.engineErrno}   kernel ${d.kernelErrno}`);
  for (const r of d.regions) {
    const pages = Math.ceil((r.region.hi - r.region.lo) / P);
    lines.push(`Address space, ${r.region.kind} region at engine ${n(r.region.lo)} (${pages} pages; offsets in pages):`);
    lines.push(`  engine  ${picture(r.engine, pages)}`);
    lines.push(`  kernel  ${picture(r.kernel, pages)}`);
    lines.push(`  engine VMAs (start..end perms offset VmFlags name):`);
    for (const v of r.engine) lines.push(`    ${relLine(v)}`);
    lines.push(`  kernel VMAs:`);
    for (const v of r.kernel) lines.push(`    ${relLine(v)}`);
  }
  if (d.step?.events.length) {
    lines.push(`Engine's explanation of this step:`);
    for (const e of d.step.events) lines.push(`  [${e.kind}] ${e.fn}: ${e.text}`);
  }
  lines.push(`Calls up to the difference:`);
  const upto = d.stepIndex < 0 ? trace.length : d.stepIndex + 1;
  for (const s of trace.slice(0, upto)) lines.push(`  ${s.seq}: [pid ${s.pid}] ${s.text}`);
  lines.push(`C reproducer (compile with gcc, run as root; prints /proc/self/maps):`);
  lines.push(reproducer);
  return lines.join("\n");
}
