// toVmaTest() in the kernel's own harness: tools/testing/vma compiles mm/vma.c, so it needs a kernel
// tree, which test machines do not have. With MERGEABLE_KERNEL_TREE=/path/to/linux (6.12+, with
// liburcu-dev installed) the exported tests are added to a copy of tools/testing/vma/vma.c next to the
// original, built with its Makefile and run; without it the suite is skipped and says why.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  boot, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_NORESERVE, MAP_PRIVATE, PAGE_SIZE as P,
  PR_SET_MEMORY_MERGE, PROT_READ, PROT_WRITE, toVmaTest, type Process,
} from "mergeable";

const TREE = process.env.MERGEABLE_KERNEL_TREE ?? "";
const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const C = 0x7e0000000000;

const cases: [string, string, (p: Process) => void][] = [
  ["merge_any_6_16", "6.16", (p) => {
    p.prctl(PR_SET_MEMORY_MERGE, 1);
    p.mmap(C, 4 * P, RW, ANON | MAP_FIXED_NOREPLACE);
    p.mmap(C - 4 * P, 4 * P, RW, ANON | MAP_FIXED_NOREPLACE);
  }],
  ["merge_any_6_18", "6.18", (p) => {
    p.prctl(PR_SET_MEMORY_MERGE, 1);
    p.mmap(C, 4 * P, RW, ANON | MAP_FIXED_NOREPLACE);
    p.mmap(C - 4 * P, 4 * P, RW, ANON | MAP_FIXED_NOREPLACE);
  }],
  ["mprotect_unfaulted_left", "6.18", (p) => {
    const ptr = p.mmap(C + P, 10 * P, RW, ANON | MAP_FIXED | MAP_NORESERVE);
    p.mprotect(ptr, 5 * P, PROT_READ);
    p.poke(ptr + 5 * P, 1);
    p.mprotect(ptr + 5 * P, 5 * P, PROT_READ);
  }],
  ["mprotect_partial_right", "6.18", (p) => {
    const ptr = p.mmap(C + P, 10 * P, RW, ANON | MAP_FIXED | MAP_NORESERVE);
    p.mprotect(ptr + 5 * P, 5 * P, PROT_READ);
    p.mprotect(ptr + 3 * P, 2 * P, PROT_READ);
  }],
  ["mprotect_middle_split", "6.18", (p) => {
    const ptr = p.mmap(C + P, 10 * P, RW, ANON | MAP_FIXED);
    p.mprotect(ptr + 6 * P, 2 * P, PROT_READ);
  }],
  ["mmap_between", "6.18", (p) => {
    p.mmap(C, 2 * P, RW, ANON | MAP_FIXED);
    p.mmap(C + 3 * P, 2 * P, RW, ANON | MAP_FIXED);
    p.mmap(C + 2 * P, P, RW, ANON | MAP_FIXED);
  }],
];

function exported(): { tests: string; list: string } {
  let tests = "";
  let list = "";
  for (const [name, version, run] of cases) {
    const kernel = boot({ version });
    const p = kernel.spawn();
    run(p);
    tests += toVmaTest(kernel.trace, { pid: p.pid, name, version }) + "\n";
    list += `\tTEST(${name});\n`;
  }
  return { tests, list };
}

/** A copy of tools/testing/vma beside the original (its Makefile's ../ paths hold), with `edit` applied to vma.c. */
function buildAndRun(edit: (src: string) => string): { code: number; out: string } {
  const dir = join(TREE, "tools", "testing", "vma-mergeable");
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(TREE, "tools", "testing", "vma"), dir, { recursive: true });
  writeFileSync(join(dir, "vma.c"), edit(readFileSync(join(dir, "vma.c"), "utf8")));
  try {
    execFileSync("make", ["-C", dir, "-j2"], { stdio: "pipe" });
    const r = spawnSync(join(dir, "vma"), [], { cwd: dir, encoding: "utf8", env: { ...process.env, ASAN_OPTIONS: "detect_leaks=0" } });
    return { code: r.status ?? -1, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const withTests = (src: string, tests: string, list: string) => {
  if (!src.includes("int main(void)") || !/\tTEST\(\w+\);\n\n#undef TEST/.test(src)) {
    throw new Error("tools/testing/vma/vma.c has no main() with a TEST() list: not a 6.12+ tree?");
  }
  return src.replace("int main(void)", `${tests}\nint main(void)`).replace(/(\tTEST\(\w+\);\n)(\n#undef TEST)/, `$1${list}$2`);
};

const haveTree = TREE !== "" && existsSync(join(TREE, "tools", "testing", "vma", "vma.c"));
describe.skipIf(!haveTree)(`toVmaTest() in tools/testing/vma${haveTree ? "" : " (skipped: set MERGEABLE_KERNEL_TREE to a 6.12+ tree)"}`, () => {
  it("the exported tests build with the harness's Makefile and pass", () => {
    const { tests, list } = exported();
    const r = buildAndRun((src) => withTests(src, tests, list));
    expect(r.out).toMatch(/(\d+) tests run, \1 passed, 0 failed\./);
    for (const [name] of cases) expect(r.out).not.toContain(`Test ${name} FAILED`);
    expect(r.code).toBe(0);
  }, 300_000);

  it("an exported vm_end changed by one page fails", () => {
    const { tests, list } = exported();
    const wrong = tests.replace("ASSERT_EQ(merged->vm_end, 0x7e0000004000);", "ASSERT_EQ(merged->vm_end, 0x7e0000003000);");
    expect(wrong).not.toBe(tests);
    const r = buildAndRun((src) => withTests(src, wrong, list));
    expect(r.out).toContain("Test merge_any_6_18 FAILED");
    expect(r.code).not.toBe(0);
  }, 300_000);
});
