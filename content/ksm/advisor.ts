// The scan-time advisor (6.8+) sets pages_to_scan itself; while it is on, writing pages_to_scan fails.
import { boot, KernelError } from "mergeable";

const kernel = boot();
const state = () => `advisor_mode: ${kernel.sysfs("advisor_mode")}, pages_to_scan ${kernel.sysfs("pages_to_scan")}`;
function attempt(what: string, fn: () => void): void {
  try { fn(); } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    console.log(`${what}: ${e.errno}`);
  }
}
attempt("read advisor_mode", () => console.log(state()));
attempt("write advisor_mode", () => { kernel.writeSysfs("advisor_mode", "scan-time"); console.log(state()); });
attempt("write pages_to_scan", () => kernel.writeSysfs("pages_to_scan", 1000));
// @expect 6.7: log "read advisor_mode: ENOENT", log "write advisor_mode: ENOENT"
// @expect 6.8: log "advisor_mode: [none] scan-time, pages_to_scan 100", log "advisor_mode: none [scan-time], pages_to_scan 500", log "write pages_to_scan: EINVAL"
