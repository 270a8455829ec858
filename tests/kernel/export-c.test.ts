// toC() on the real kernel: the "Export as C" reproducer compiles with gcc -Wall -Werror, runs, and
// prints the results and the /proc/self/maps lines the engine predicted for the running kernel.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import {
  boot, MADV_GUARD_INSTALL, MADV_MERGEABLE, MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE as P, PROT_READ, PROT_WRITE, toC,
} from "mergeable";
import { describeKernel, runningConfig } from "./capability.ts";
import { runningVersion } from "./harness.ts";
import { TMP } from "./replayer.ts";

const OUT = join(TMP, "export-c");

describeKernel("toC(): the exported reproducer on the real kernel", () => {
  let version: string;
  beforeAll(() => {
    version = runningVersion();
  });

  it("madvise() advice by name, #defined for older headers: guard a page, then MADV_MERGEABLE, as the engine says", () => {
    const kernel = boot({ version, config: runningConfig() });
    const p = kernel.spawn();
    const a = p.mmap(0, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    p.madvise(a + P, P, MADV_GUARD_INSTALL);
    p.madvise(a, 4 * P, MADV_MERGEABLE);
    const c = toC(kernel.trace, p.pid);
    expect(c).toContain("#ifndef MADV_GUARD_INSTALL\n#define MADV_GUARD_INSTALL 102\n#endif");
    expect(c).toContain(`madvise((void *)0x${(a + P).toString(16)}UL, 4096, MADV_GUARD_INSTALL)`);
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, "guard.c"), c);
    execFileSync("gcc", ["-O1", "-Wall", "-Werror", "-o", join(OUT, "guard"), join(OUT, "guard.c")], { stdio: "pipe" });
    const r = spawnSync(join(OUT, "guard"), [], { encoding: "utf8", timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const results = [...r.stdout.matchAll(/^(madvise|mmap)\(.*= (-?\d+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(results).toEqual([`mmap ${a}`, "madvise 0", "madvise 0"]);
    // One VMA: a guard region does not split it, and MADV_MERGEABLE over all of it changes flags, not bounds.
    const maps = r.stdout.split("\n").filter((l) => /^[0-9a-f]+-[0-9a-f]+ /.test(l));
    expect(maps.map((l) => l.split(" ").slice(0, 2).join(" "))).toEqual([`${a.toString(16)}-${(a + 4 * P).toString(16)} rw-p`]);
  });
});
