// The worker_thread of `mergeable run` (run.ts starts it as ./run_worker.mjs): run one scenario and
// post its output. run_worker.mjs loads this through tsx; the CLI bundle (bundle.mjs) builds it
// into its own run_worker.mjs.
import { parentPort, workerData } from "node:worker_threads";
import { runJob, type RunJob } from "./scenario.ts";

const result = await runJob(workerData as RunJob, () => parentPort!.postMessage({ started: true }));
parentPort!.postMessage({ result });
