// Helpers over a ScenarioResult: which process a scenario is about.
import type { ScenarioResult } from 'mergeable';

/** The process of the last memory step (a fork's child if the scenario continued there). */
export function focusProcess(r: ScenarioResult) {
  const k = r.kernels[0];
  if (!k || !k.processes.length) return null;
  const last = [...k.trace].reverse().find((s) => s.syscall !== 'sysctl');
  return k.processes.find((p) => p.pid === last?.pid) ?? k.processes[0];
}
