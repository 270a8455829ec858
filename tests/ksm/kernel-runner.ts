/**
 * Runs a tests/ksm scenario on this machine's kernel: real ksmd, real counters. Every writable
 * /sys/kernel/mm/ksm tunable is recorded first and restored afterwards — after each scenario, on
 * failure, and on SIGINT/SIGTERM/exit — under a lock so that two test processes never share ksmd.
 */
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { COUNTERS, parseKsmStat, type Snapshot } from "./engine-runner.ts";
import type { KsmScenario } from "./scenarios.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const TMP = join(HERE, "..", ".tmp");
const SYSFS = "/sys/kernel/mm/ksm";
const LOCK = "/tmp/mergeable-ksm.lock";

/** Writable tunables in the order they are restored (advisor before pages_to_scan; run last). */
const TUNABLES = [
  "advisor_mode", "advisor_max_cpu", "advisor_min_pages_to_scan", "advisor_max_pages_to_scan", "advisor_target_scan_time",
  "pages_to_scan", "sleep_millisecs", "max_page_sharing", "merge_across_nodes", "stable_node_chains_prune_millisecs",
  "use_zero_pages", "smart_scan", "run",
];

const read = (f: string): string => readFileSync(`${SYSFS}/${f}`, "utf8").trim();
const write = (f: string, v: string | number): void => writeFileSync(`${SYSFS}/${f}`, `${v}\n`);

/** Compile the helper (cached by source hash). */
export function buildHelper(): string {
  const src = join(HERE, "helper", "ksm_helper.c");
  const hash = createHash("sha256").update(readFileSync(src)).digest("hex").slice(0, 12);
  const bin = join(TMP, `ksm_helper-${hash}`);
  if (existsSync(bin)) return bin;
  mkdirSync(TMP, { recursive: true });
  const tmp = `${bin}.${process.pid}`;
  execFileSync("gcc", ["-O2", "-Wall", "-Werror", "-o", tmp, src], { stdio: "pipe" });
  renameSync(tmp, bin);
  return bin;
}

/** The recorded tunables; restore() puts them back (idempotent, synchronous: safe in exit handlers). */
export class KsmTunableGuard {
  private saved: [string, string][] = [];
  private active = false;
  private readonly onSignal = (sig: NodeJS.Signals) => {
    this.restore();
    process.exit(sig === "SIGINT" ? 130 : 143);
  };
  private readonly onExit = () => this.restore();

  /** Take the lock (waiting up to `timeoutMs`) and record every tunable. */
  async acquire(timeoutMs = 60_000): Promise<void> {
    const t0 = Date.now();
    for (;;) {
      try {
        mkdirSync(LOCK);
        writeFileSync(`${LOCK}/pid`, String(process.pid));
        break;
      } catch {
        let owner = 0;
        try { owner = Number(readFileSync(`${LOCK}/pid`, "utf8")); } catch { /* being created */ }
        if (owner && !existsSync(`/proc/${owner}`)) rmSync(LOCK, { recursive: true, force: true }); // stale
        if (Date.now() - t0 > timeoutMs) throw new Error(`${LOCK} is held by pid ${owner}: another KSM test is using ksmd`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    this.saved = TUNABLES.filter((f) => existsSync(`${SYSFS}/${f}`)).map((f) => {
      const v = read(f);
      return [f, f === "advisor_mode" ? (/\[(.*?)\]/.exec(v)?.[1] ?? v) : v];
    });
    this.active = true;
    process.on("SIGINT", this.onSignal);
    process.on("SIGTERM", this.onSignal);
    process.on("exit", this.onExit);
  }

  /** The recorded values. */
  get values(): Record<string, string> {
    return Object.fromEntries(this.saved);
  }

  /** Unmerge what the tests merged (run=2), put every tunable back, release the lock. */
  restore(): void {
    if (!this.active) return;
    this.active = false;
    const errors: string[] = [];
    const tryWrite = (f: string, v: string) => {
      try { write(f, v); } catch (e) { errors.push(`${f}=${v}: ${(e as Error).message}`); }
    };
    tryWrite("run", "2");
    for (const [f, v] of this.saved) if (read(f) !== v && !(f === "advisor_mode" && read(f).includes(`[${v}]`))) tryWrite(f, v);
    process.off("SIGINT", this.onSignal);
    process.off("SIGTERM", this.onSignal);
    process.off("exit", this.onExit);
    rmSync(LOCK, { recursive: true, force: true });
    if (errors.length) throw new Error(`could not restore /sys/kernel/mm/ksm: ${errors.join("; ")}`);
  }
}

/** A running ksm_helper process. */
class Helper {
  readonly proc: ChildProcessWithoutNullStreams;
  private buf = "";
  private waiting: ((line: string) => void)[] = [];
  constructor(bin: string) {
    this.proc = spawn(bin, [], { stdio: "pipe" });
    this.proc.stdout.setEncoding("utf8");
    this.proc.stdout.on("data", (d: string) => {
      this.buf += d;
      let i;
      while ((i = this.buf.indexOf("\n")) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        this.waiting.shift()?.(line);
      }
    });
  }
  get pid(): number {
    return this.proc.pid!;
  }
  cmd(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ksm_helper did not answer "${line}"`)), 10_000);
      this.waiting.push((r) => {
        clearTimeout(timer);
        if (r.startsWith("ok")) resolve(r.slice(2).trim());
        else reject(new Error(`ksm_helper "${line}": ${r}`));
      });
      this.proc.stdin.write(line + "\n");
    });
  }
  kill(): void {
    this.proc.kill("SIGKILL");
  }
}

/** Wait until full_scans reaches `target`, then stop ksmd (run=0) within its sleep. */
async function waitFullScans(target: number, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (Number(read("full_scans")) < target) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`full_scans stayed at ${read("full_scans")} (waiting for ${target})`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const ADVICE = { merge: 12, unmerge: 13, dontneed: 4 } as const;

/**
 * Run a scenario on the kernel. Tunables: run=2 first (a clean state: full_scans=0), then
 * pages_to_scan=1000000 so a batch is a whole scan, and sleep_millisecs=300 so that the test
 * stops ksmd (run=0) in the sleep right after the wanted scan.
 */
export async function runOnKernel(s: KsmScenario, bin: string): Promise<Snapshot[]> {
  write("run", "2");
  if (read("advisor_mode").includes("[scan-time]")) write("advisor_mode", "none");
  write("pages_to_scan", 1_000_000);
  write("sleep_millisecs", 300);
  write("use_zero_pages", 0);
  write("max_page_sharing", 256);
  if (existsSync(`${SYSFS}/smart_scan`)) write("smart_scan", 1);
  const scanned0 = Number(read("pages_scanned"));
  const skipped0 = Number(read("pages_skipped"));
  const helpers: Helper[] = [];
  const pids: number[] = [];
  const snapshots: Snapshot[] = [];
  try {
    for (const o of s.ops) {
      switch (o.op) {
        case "tunable": write(o.name, o.value); break;
        case "spawn": {
          const h = new Helper(bin);
          helpers.push(h);
          pids.push(h.pid);
          break;
        }
        case "map": await helpers[o.proc]!.cmd(`map ${o.pages}`); break;
        case "fill": await helpers[o.proc]!.cmd(`fill ${o.page} ${o.count} ${o.byte}`); break;
        case "madv": await helpers[o.proc]!.cmd(`madv ${o.page} ${o.count} ${ADVICE[o.advice]}`); break;
        case "fork": pids.push(Number(await helpers[o.proc]!.cmd("fork"))); break;
        case "prctl": await helpers[o.proc]!.cmd(`prctl ${o.value}`); break;
        case "unmerge-all": await helpers[o.proc]!.cmd("unmergeall"); break;
        case "exec": await helpers[o.proc]!.cmd("exec"); break;
        case "scan": {
          const target = Number(read("full_scans")) + o.n;
          write("run", 1);
          try {
            await waitFullScans(target);
          } finally {
            write("run", 0);
          }
          break;
        }
        case "check": {
          const sysfs: Record<string, number> = {};
          for (const f of COUNTERS) sysfs[f] = Number(read(f));
          sysfs.pages_scanned! -= scanned0;
          sysfs.pages_skipped! -= skipped0;
          snapshots.push({
            label: o.label,
            sysfs,
            procs: pids.map((pid) => ({
              ...parseKsmStat(readFileSync(`/proc/${pid}/ksm_stat`, "utf8")),
              merging_pages_file: readFileSync(`/proc/${pid}/ksm_merging_pages`, "utf8").trim(),
            })),
          });
          break;
        }
      }
    }
  } finally {
    for (const h of helpers) h.kill();
    write("run", 2);
  }
  return snapshots;
}
