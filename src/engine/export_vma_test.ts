/**
 * Export the last call of a trace as a tools/testing/vma test (tools/testing/vma/vma.c, 6.18.2):
 * the VMAs next to the range as alloc_and_link_vma(), the call as vmg_set_range() + merge_new()
 * (mmap into free space) or merge_existing() (mprotect/madvise inside one VMA), and the engine's
 * outcome as ASSERT_EQ on vm_start/vm_end/vm_pgoff. That harness has no files, forks or page
 * tables, so only anonymous neighbours map to it; anything else is refused with the reason.
 * @module
 */
import { fail } from "./errno.ts";
import { VM_MERGEABLE } from "./flags.ts";
import { vmasAt } from "./snapshot.ts";
import type { Step, VmaView } from "./trace.ts";
import { PAGE_SIZE } from "./uapi.ts";
import { resolveVersion } from "./version.ts";

export interface VmaTestOptions {
  pid?: number;
  /** test_<name>: a C identifier (default "mergeable_scenario"). */
  name?: string;
  /** Engine version the trace was made on (its profile says which merge code it ran). */
  version?: string;
}

/** What the trace names for merges before vma_merge_new_range()/vma_merge_existing_range() (6.12). */
const LEGACY_FNS = new Set(["vma_merge", "vma_expand", "mmap_region"]);
const hx = (n: number | bigint) => "0x" + n.toString(16);
const refuse = (why: string): never => fail("EINVAL", "toVmaTest", why);

/** One VMA of the test: its C variable, its engine view, and the anon_vma it gets. */
interface TestVma { c: string; v: VmaView }

/**
 * test_<name>() for tools/testing/vma/vma.c, plus the line to add to main()'s TEST() list.
 * Throws EINVAL when the last call is not a merge that harness can replay.
 */
export function toVmaTest(trace: readonly Step[], o: VmaTestOptions = {}): string {
  const name = o.name ?? "mergeable_scenario";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) refuse(`test name "${name}" is not a C identifier`);
  const who = o.pid ?? trace.find((s) => s.syscall !== "spawn" && s.pid !== 0)?.pid;
  const mine = trace.map((s, i) => [s, i] as const).filter(([s]) => s.pid === who && s.syscall !== "spawn");
  if (mine.length < 2) refuse("the process needs a call that sets up VMAs and a last call that merges");
  const [step, i] = mine[mine.length - 1]!;
  const before = vmasAt(trace, mine[mine.length - 2]![1]);
  const after = vmasAt(trace, i);
  if (step.errno) refuse(`the last call failed (${step.errno.name}): there is no merge to test`);
  const fn = step.syscall === "mmap" ? "vma_merge_new_range" : "vma_merge_existing_range";
  const legacy = o.version ? resolveVersion(o.version).mergeEngine !== "vmg"
    : step.events.some((e) => (e.kind === "merge" || e.kind === "nomerge") && LEGACY_FNS.has(e.fn));
  if (legacy) {
    refuse("the trace is from the 6.1-6.11 vma_merge(); tools/testing/vma tests the 6.12+ mm/vma.c");
  }
  const a = step.args as number[];
  const start = step.syscall === "mmap" ? step.ret! : a[0]!;
  const end = start + Math.ceil(a[1]! / PAGE_SIZE) * PAGE_SIZE;
  const cover = after.find((v) => v.start <= start && start < v.end)!;
  const merged = step.events.some((e) => e.kind === "merge" && e.fn === fn);
  const inRange = before.filter((v) => v.start < end && v.end > start);
  let middleV: VmaView | null = inRange.length === 1 ? inRange[0]! : null;
  // The nearest VMAs, adjacent or not, as vma_prev()/vma_next() find them in the kernel's tree.
  const lo0 = middleV?.start ?? start;
  const hi0 = middleV?.end ?? end;
  const prevV = before.filter((v) => v.end <= lo0).pop() ?? null;
  const nextV = before.find((v) => v.start >= hi0) ?? null;
  let vmgFlags = BigInt(cover.flags);
  if (step.syscall === "mmap") {
    middleV = null;
    if (inRange.length) refuse("the mmap() replaces existing VMAs (MAP_FIXED): merge_new() is for free space");
    if (cover.file) refuse("a file mapping: tools/testing/vma has no struct file to map");
    // 6.4-6.16: ksm_add_vma() set VM_MERGEABLE after the merge attempt, which saw the flags without it.
    if (step.events.some((e) => e.fn === "ksm_add_vma")) vmgFlags &= ~VM_MERGEABLE;
  } else if (step.syscall === "mprotect" || step.syscall === "madvise") {
    if (inRange.length !== 1 || inRange[0]!.start > start || inRange[0]!.end < end) {
      refuse(`${step.syscall}() of a range not inside one VMA: merge_existing() takes one middle VMA`);
    }
  } else {
    refuse(`the last call is ${step.syscall}(): only mmap(), mprotect() and madvise() map to ` +
      "merge_new()/merge_existing()");
  }
  const around = [prevV, middleV, nextV].filter((v): v is VmaView => v !== null);
  const adjacent = (v: VmaView) => v === middleV || v.end === lo0 || v.start === hi0;
  for (const v of around.filter(adjacent)) {
    if (v.file) refuse(`the VMA at ${hx(v.start)} is file-backed: tools/testing/vma has no struct file`);
    if (v.forkChild) refuse(`the VMA at ${hx(v.start)} has an anon_vma chain inherited through fork()`);
  }
  // One anon_vma per engine identity: the same one on two VMAs makes them anon_vma-compatible.
  const anonIds = [...new Set(around.map((v) => v.anonVma).filter((x): x is number => x !== null))];
  const anonC = (id: number) => (anonIds.indexOf(id) === 0 ? "&dummy_anon_vma" : `&anon_vma_${anonIds.indexOf(id)}`);
  const vmas: TestVma[] = around.map((v) => ({ c: v === prevV ? "vma_prev" : v === middleV ? "vma" : "vma_next", v }));
  const cVar = (v: VmaView | null) => vmas.find((t) => t.v === v)?.c ?? "NULL";

  let out = `/*\n * Generated by Mergeable from an engine trace: ${step.text.replace(/\*\//g, "* /")}\n` +
    ` * Add this function to tools/testing/vma/vma.c and TEST(${name}); to main(), then\n` +
    ` * make -C tools/testing/vma && tools/testing/vma/vma\n */\nstatic bool test_${name}(void)\n{\n` +
    `\tstruct mm_struct mm = {};\n\tVMA_ITERATOR(vmi, &mm, 0);\n` +
    `\tstruct vma_merge_struct vmg = {\n\t\t.mm = &mm,\n\t\t.vmi = &vmi,\n\t};\n`;
  for (let k = 1; k < anonIds.length; k++) out += `\tstruct anon_vma anon_vma_${k} = {};\n`;
  out += `\tstruct vm_area_struct ${[...vmas.map((t) => `*${t.c}`), ...(merged ? ["*merged"] : [])].join(", ")};\n`;
  vmas.forEach((t, k) => (out += t.v.anonVma === null ? "" : `\tstruct anon_vma_chain avc_${k} = {};\n`));
  out += "\n";
  vmas.forEach((t, k) => {
    const far = adjacent(t.v) ? "" : `, not adjacent${t.v.file ? ` (its file ${t.v.file} does not matter)` : ""}`;
    out += `\t/* engine: ${t.v.perms} ${t.v.vmflags}${far} */\n` +
      `\t${t.c} = alloc_and_link_vma(&mm, ${hx(t.v.start)}, ${hx(t.v.end)}, ${hx(t.v.pgoff)}, ` +
      `${hx(BigInt(t.v.flags))});\n` +
      `\tASSERT_NE(${t.c}, NULL);\n`;
    if (t.v.anonVma !== null) out += `\t__vma_set_dummy_anon_vma(${t.c}, &avc_${k}, ${anonC(t.v.anonVma)});\n`;
  });
  const base = middleV ?? cover;
  const pgoff = base.pgoff + (start - base.start) / PAGE_SIZE;
  out += `\n\t/* ${step.syscall}() of [${hx(start)}, ${hx(end)}) */\n` +
    `\tvmg_set_range(&vmg, ${hx(start)}, ${hx(end)}, ${hx(pgoff)}, ${hx(vmgFlags)});\n`;
  if (middleV) {
    if (middleV.anonVma !== null) out += `\tvmg.anon_vma = ${anonC(middleV.anonVma)};\n`;
    out += `\tvmg.middle = vma;\n\tvmg.prev = ${start === middleV.start ? cVar(prevV) : "vma"};\n`;
  }
  const call = middleV ? "merge_existing(&vmg)" : "merge_new(&vmg)";
  if (!merged) {
    out += `\tASSERT_EQ(${call}, NULL);\n\tASSERT_EQ(vmg.state, VMA_MERGE_NOMERGE);\n` +
      `\n\tASSERT_EQ(cleanup_mm(&mm, &vmi), ${vmas.length});\n\treturn true;\n}\n`;
    return out;
  }
  // vma_merge_*_range() returns prev when it merged left, otherwise next, grown over the range.
  const target = cover.start < start ? prevV : nextV;
  out += `\tmerged = ${call};\n\tASSERT_EQ(merged, ${cVar(target)});\n\tASSERT_EQ(vmg.state, VMA_MERGE_SUCCESS);\n` +
    `\tASSERT_EQ(merged->vm_start, ${hx(cover.start)});\n\tASSERT_EQ(merged->vm_end, ${hx(cover.end)});\n` +
    `\tASSERT_EQ(merged->vm_pgoff, ${hx(cover.pgoff)});\n`;
  const lo = Math.min(...around.map((v) => v.start));
  const hi = Math.max(...around.map((v) => v.end));
  const left = after.filter((v) => v.start < hi && v.end > lo);
  if (middleV && (middleV.start < start || middleV.end > end)) {
    const rest = left.find((v) => v !== cover && v.start < middleV!.end && v.end > middleV!.start)!;
    out += `\t/* what is left of the middle VMA */\n\tASSERT_EQ(vma->vm_start, ${hx(rest.start)});\n` +
      `\tASSERT_EQ(vma->vm_end, ${hx(rest.end)});\n`;
  }
  out += `\tASSERT_EQ(mm.map_count, ${left.length});\n\n` +
    `\tASSERT_EQ(cleanup_mm(&mm, &vmi), ${left.length});\n\treturn true;\n}\n`;
  return out;
}
