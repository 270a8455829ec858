// The CLI as one prebuilt JavaScript file (and its worker's), so that `mergeable run` starts in
// plain Node: loading tsx and transpiling ~100 TypeScript files took ~0.8 s of every run. Built
// with esbuild (a devDependency) into node_modules/.cache/mergeable-cli/ on first use, rebuilt
// when a source is newer; without esbuild (an npm install without devDependencies) the CLI runs
// the sources through tsx as before.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SOURCES = ["src/cli", "src/engine", "src/analyze", "src/site", "tsconfig.json", "package.json"];
const OUT = join(ROOT, "node_modules", ".cache", "mergeable-cli");
const HELP = fileURLToPath(new URL("./help.mjs", import.meta.url));

/** The newest mtime of a file, or of any file under a directory (0 when absent). */
export function newest(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const n of readdirSync(p)) m = Math.max(m, newest(join(p, n)));
  return m;
}

/** The bundled CLI's main module (a file URL), built if missing or stale; null when it cannot be built. */
export async function cliBundle() {
  if (process.env.MERGEABLE_NO_BUNDLE) return null;
  // One directory per state of the sources (their newest mtime): a CLI still running an older
  // bundle keeps its files while a newer one is built beside it.
  const stamp = String(Math.floor(Math.max(...SOURCES.map((s) => newest(join(ROOT, s))))));
  const dir = join(OUT, stamp);
  const main = join(dir, "cli.mjs");
  if (existsSync(main)) return pathToFileURL(main).href;
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    return null;
  }
  // Built beside the cache and renamed into place: two CLIs starting at once never see half a bundle.
  const tmp = `${dir}.${process.pid}.tmp`;
  try {
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { cli: "src/cli/main.ts", run_worker: "src/cli/worker.ts" },
      outdir: tmp,
      outExtension: { ".js": ".mjs" },
      bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "silent",
      tsconfig: join(ROOT, "tsconfig.json"),
      // CommonJS dependencies (sucrase) call require(): give the ES module one.
      banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
      plugins: [{
        // help.mjs reads ../engine/version.ts next to itself: load it from where it is.
        name: "help-in-place",
        setup(b) {
          b.onResolve({ filter: /help\.mjs$/ }, () => ({ path: pathToFileURL(HELP).href, external: true }));
        },
      }],
    });
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another CLI built the same bundle first
    }
    // Bundles of older sources, left by earlier runs (an hour: long enough for any run still using one).
    for (const d of readdirSync(OUT)) {
      const p = join(OUT, d);
      if (d !== stamp && Date.now() - statSync(p).mtimeMs > 3600_000) rmSync(p, { recursive: true, force: true });
    }
    return existsSync(main) ? pathToFileURL(main).href : null;
  } catch {
    rmSync(tmp, { recursive: true, force: true });
    return null;
  }
}
