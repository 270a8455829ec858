/**
 * The glue: an engine trace in, "same as the kernel" or a report a kernel developer can act on out.
 */
import { resolveVersion, toC, type Step, type VmaView } from "mergeable";
import { mkdirSync } from "node:fs";
import { plan } from "./plan.ts";
import { replayAndCompare, report, type Outcome } from "./compare.ts";
import { TMP, type Replayer } from "./replayer.ts";
import { kernelCapability } from "./capability.ts";

mkdirSync(`${TMP}/files`, { recursive: true });

/** The engine profile of the running kernel, by its full `uname -r`: "6.18.44-fc" → "6.18.37". */
export function runningVersion(): string {
  return resolveVersion(kernelCapability().release).name;
}

export interface Checked extends Outcome {
  /** Full message when diverged. */
  message: string;
  /** Short signature (first differing call + what differs), for shrinking. */
  signature: string;
}

export interface CheckOptions {
  startBrk?: number | null;
  finalVmas?: Map<number, VmaView[]>;
  dumpEachStep?: boolean;
  tag?: string;
  /** The engine kernel was booted with CONFIG_MEM_SOFT_DIRTY=y, unlike the running one: ignore "sd". */
  ignoreSoftDirty?: boolean;
  /** The engine kernel was booted with CONFIG_ANON_VMA_NAME=y, unlike the running one: PR_SET_VMA is not replayable. */
  anonVmaNamesDiffer?: boolean;
}

export async function checkTrace(replayer: Replayer, name: string, version: string, trace: Step[], opts: CheckOptions = {}): Promise<Checked> {
  // Files are named per test process: several test runs may share the machine.
  const p = plan(trace, { engineStartBrk: opts.startBrk ?? null, dumpEachStep: opts.dumpEachStep ?? true, tag: `${process.pid}-${opts.tag ?? "t"}`, anonVmaNamesDiffer: opts.anonVmaNamesDiffer });
  const out = await replayAndCompare(replayer, p, opts.finalVmas, { ignoreSoftDirty: opts.ignoreSoftDirty });
  if (out.status !== "diverged") return { ...out, message: "", signature: "" };
  let c = "";
  try {
    c = toC(trace);
  } catch (e) {
    c = `(toC failed: ${(e as Error).message})`;
  }
  const d = out.divergence!;
  const signature = `${d.step?.syscall ?? "final"}:${d.what.split(":")[0]}`;
  return { ...out, message: report(name, version, kernelCapability().release, trace, out, c), signature };
}
