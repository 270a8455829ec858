/**
 * `mergeable run <scenario.ts>`: run a scenario file on one kernel version with the site's runner
 * (typescript.transpileModule + runScenario(), the `mergeable` import bound to the engine) and
 * print the last process as maps, smaps, a trace, JSON or a C program.
 * @module
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { LATEST_VERSION, resolveVersion, toC, type ScenarioResult, type Step } from "../engine/index.ts";
import ts from "typescript";
import { runScenarioJs } from "../site/scenario-runner.ts";
import { UsageError } from "./args.ts";

export const FORMATS = ["maps", "smaps", "trace", "json", "c"] as const;
export type Format = (typeof FORMATS)[number];

export interface RunOutput {
  stdout: string;
  stderr: string;
  code: number;
}

/** One step as strace would print it, with the kernel's explanation events indented under it. */
export function traceText(steps: readonly Step[]): string {
  let out = "";
  for (const s of steps) {
    out += `${s.text}${s.errno ? ` (${s.errno.message})` : ""}\n`;
    for (const e of s.events) out += `    ${e.kind} ${e.fn}: ${e.text}\n`;
  }
  return out;
}

export function runCommand(file: string, version: string | undefined, format: string): RunOutput {
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${format}"`);
  const v = resolveVersion(version ?? LATEST_VERSION).name; // KernelError(EINVAL) lists the supported versions
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(err.code === "ENOENT" ? `scenario file ${file} does not exist` : `cannot read ${file}: ${err.message}`);
  }
  const fileName = basename(file);
  const { js, map } = transpile(source, fileName);
  const result = runScenarioJs(js, { version: v, fileName });
  // The runner reports the line in the generated CommonJS; the source map gives the line in the file.
  if (result.errorLine !== undefined) result.errorLine = sourceLine(map, result.errorLine) ?? result.errorLine;
  return render(result, format as Format, fileName);
}

/** typescript.transpileModule to CommonJS (the `mergeable` import becomes require("mergeable"), bound to the engine). */
function transpile(source: string, fileName: string): { js: string; map: string } {
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: false, sourceMap: true },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    const d = errors[0]!;
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
    throw new SyntaxError(`${fileName}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  }
  return { js: out.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, ""), map: JSON.parse(out.sourceMapText ?? "{}").mappings ?? "" };
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Source line (1-based) of generated line `line` (1-based), from source-map v3 "mappings" (base64 VLQ). */
export function sourceLine(mappings: string, line: number): number | null {
  let srcLine = 0;
  const lines = mappings.split(";");
  for (let l = 0; l < lines.length; l++) {
    let found: number | null = null;
    for (const seg of lines[l]!.split(",")) {
      if (!seg) continue;
      const f: number[] = [];
      let shift = 0;
      let value = 0;
      for (const ch of seg) {
        const d = B64.indexOf(ch);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          f.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      if (f.length >= 4) {
        srcLine += f[2]!;
        if (found === null) found = srcLine;
      }
    }
    if (l === line - 1) return found === null ? null : found + 1;
  }
  return null;
}

function render(r: ScenarioResult & { errorLine?: number }, format: Format, fileName: string): RunOutput {
  const log = r.log.map((l) => l + "\n").join("");
  const k = r.kernels[r.kernels.length - 1];
  const p = k?.processes[k.processes.length - 1];
  let stderr = "";
  if (r.error) {
    const where = r.errorLine ? ` (${fileName}:${r.errorLine})` : "";
    stderr = `error: ${r.error.message}${where}${r.error.step !== undefined ? ` at step ${r.error.step}` : ""}\n`;
  }
  if (!k || !p) {
    return { stdout: log, stderr: stderr || `error: ${fileName} booted no kernel or spawned no process: call boot() and kernel.spawn()\n`, code: 1 };
  }
  const steps = k.trace.filter((s) => s.pid === p.pid);
  let body: string;
  switch (format) {
    case "maps": body = p.maps; break;
    case "smaps": body = p.smaps; break;
    case "trace": body = traceText(steps); break;
    case "c": body = toC(k.trace, p.pid); break;
    case "json":
      body = JSON.stringify({ version: r.version, pid: p.pid, mapCount: p.vmas.length, vmas: p.vmas, maps: p.maps, log: r.log, error: r.error ? { ...r.error, stack: undefined, line: r.errorLine } : null }, null, 2) + "\n";
      return { stdout: body, stderr, code: r.error ? 1 : 0 };
  }
  // console.log output of the scenario goes first, except where it would break a C program.
  return format === "c" ? { stdout: body, stderr: log + stderr, code: r.error ? 1 : 0 } : { stdout: log + body, stderr, code: r.error ? 1 : 0 };
}

export type { ScenarioResult };
