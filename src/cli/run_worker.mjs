// Entry of the worker_thread that runs one scenario for `mergeable run` (run.ts): tsx is
// registered in this thread too, then scenario.ts transpiles, runs and renders it.
import { parentPort, workerData } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
const { runJob } = await import("./scenario.ts");
const result = await runJob(workerData, () => parentPort.postMessage({ started: true }));
parentPort.postMessage({ result });
