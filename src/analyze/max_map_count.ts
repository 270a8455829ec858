/**
 * vm.max_map_count as the sysctl accepts it: an int from 0 (proc_dointvec_minmax with
 * .extra1 = SYSCTL_ZERO, the vm_table/mmap_table entry) to INT_MAX. The CLI's --max-map-count
 * and the page's field both check it here.
 * @module
 */
import { quote } from "./printable.ts";

const INT_MAX = 2 ** 31 - 1;

/** The value, or the sentence why it is not one (the kernel answers EINVAL). */
export function parseMaxMapCount(s: string): { value: number } | { error: string } {
  const t = s.trim();
  if (!/^\d+$/.test(t) || Number(t) > INT_MAX) {
    return { error: `vm.max_map_count must be a whole number from 0 to ${INT_MAX.toLocaleString("en-US")} (the kernel refuses anything else with EINVAL), got "${quote(s, 24)}"` };
  }
  return { value: Number(t) };
}
