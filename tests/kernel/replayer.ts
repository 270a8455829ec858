/**
 * Builds tests/kernel/replayer/replay.c with gcc (at test time, into tests/.tmp/) and talks to
 * it: one long-lived process per test file, a line protocol on stdin/stdout (see replay.c).
 * Requests are batched: a whole sequence is written at once and its answers read back in order.
 */
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = join(HERE, "..", "..");
export const TMP = join(REPO, "tests", ".tmp");
const SOURCE = join(HERE, "replayer", "replay.c");

/** One VMA as /proc/self/smaps of the replaying process showed it. */
export interface KernelVma {
  start: number;
  end: number;
  perms: string;
  /** maps offset column (bytes; 0 for anonymous). */
  offset: number;
  inode: number;
  vmflags: string;
  name: string;
}

/** The kernel's answer to one request. */
export interface Reply {
  kind: "ok" | "err" | "unsafe" | "dead";
  /** Return value for "ok", errno number for "err". */
  value: number;
  /** Reason for "unsafe" / "dead". */
  detail: string;
  /** VMAs printed by a "dump" request. */
  vmas: KernelVma[];
}

/** Compile replay.c (cached by source hash); returns the binary path. Throws with gcc's output. */
export function buildReplayer(): string {
  const src = readFileSync(SOURCE);
  const hash = createHash("sha256").update(src).digest("hex").slice(0, 12);
  const bin = join(TMP, `replay-${hash}`);
  if (existsSync(bin)) return bin;
  mkdirSync(TMP, { recursive: true });
  // Unique temporary name + rename: test files build in parallel.
  const tmp = `${bin}.${process.pid}.${Date.now()}`;
  execFileSync("gcc", ["-O2", "-Wall", "-Werror", "-o", tmp, SOURCE], { stdio: "pipe" });
  renameSync(tmp, bin);
  return bin;
}

function parseVma(line: string): KernelVma {
  // "v <start> <end> <perms> <offset> <inode>\t<VmFlags>\t<name>"
  const [head, vmflags = "", name = ""] = line.slice(2).split("\t");
  const [s, e, perms, off, inode] = head!.split(" ");
  return { start: parseInt(s!, 16), end: parseInt(e!, 16), perms: perms!, offset: parseInt(off!, 16), inode: Number(inode), vmflags, name };
}

export class Replayer {
  private proc: ChildProcessWithoutNullStreams;
  private buf = "";
  private pending: { resolve: (r: Reply) => void; vmas: KernelVma[] }[] = [];
  private closed = false;
  private stderr = "";
  /** Requests answered so far (the "calls" count of the report). */
  requests = 0;

  private constructor(bin: string) {
    this.proc = spawn(bin, [], { stdio: ["pipe", "pipe", "pipe"], cwd: TMP });
    this.proc.stdout.setEncoding("utf8");
    this.proc.stdout.on("data", (d: string) => this.onData(d));
    this.proc.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.proc.on("exit", (code, sig) => {
      this.closed = true;
      for (const p of this.pending.splice(0)) p.resolve({ kind: "dead", value: -1, detail: `replayer exited (${code ?? sig}) ${this.stderr}`, vmas: [] });
    });
  }

  static start(): Replayer {
    return new Replayer(buildReplayer());
  }

  private onData(d: string): void {
    this.buf += d;
    let nl: number;
    while ((nl = this.buf.indexOf("\n")) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      const head = this.pending[0];
      if (!head) continue;
      if (line.startsWith("v ")) {
        head.vmas.push(parseVma(line));
      } else if (line.startsWith("= ")) {
        this.pending.shift();
        const [, kind, rest = ""] = /^= (\w+) ?(.*)$/.exec(line) ?? [];
        const value = kind === "ok" ? parseInt(rest, 16) : kind === "err" ? Number(rest) : -1;
        head.resolve({ kind: kind as Reply["kind"], value, detail: rest, vmas: head.vmas });
      }
    }
  }

  /** Send requests ("<slot> <op> args...") in one write; answers in the same order. */
  batch(lines: string[]): Promise<Reply[]> {
    if (this.closed) return Promise.resolve(lines.map(() => ({ kind: "dead" as const, value: -1, detail: "replayer closed", vmas: [] })));
    const out = lines.map(
      () => new Promise<Reply>((resolve) => this.pending.push({ resolve, vmas: [] })),
    );
    this.requests += lines.length;
    this.proc.stdin.write(lines.join("\n") + "\n");
    return Promise.all(out);
  }

  async one(line: string): Promise<Reply> {
    return (await this.batch([line]))[0]!;
  }

  close(): Promise<void> {
    cleanup();
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.proc.on("exit", () => resolve());
      this.proc.stdin.end();
    });
  }
}

/** Files the scenarios of this test process created (see plan.ts realPath()). */
function cleanup(): void {
  for (const [dir, prefix] of [[join(TMP, "files"), `${process.pid}-`], ["/dev/shm", `mergeable-${process.pid}-`]] as const) {
    try {
      for (const f of readdirSync(dir)) if (f.startsWith(prefix)) rmSync(join(dir, f), { force: true });
    } catch {
      // no such directory
    }
  }
}

/** Format a number for the protocol (negative numbers stay decimal). */
export const n = (v: number | bigint): string => (v < 0 ? String(v) : "0x" + v.toString(16));
