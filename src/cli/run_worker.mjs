// Entry of the worker_thread that runs one scenario for `mergeable run` (run.ts) from the sources:
// tsx is registered in this thread too, then worker.ts runs the scenario. (The CLI bundle,
// bundle.mjs, has its own run_worker.mjs, built from worker.ts.)
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
await import("./worker.ts");
