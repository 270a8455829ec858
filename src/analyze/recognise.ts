/**
 * Name the file the user gave instead of smaps, so the error can say what to run.
 * Looks at the first lines only.
 * @module
 */
import { SmapsInputError } from "./input_error.ts";

const OTHER_OS_HINT = "The analyser reads Linux /proc/PID/smaps; on the Linux machine run: cat /proc/PID/smaps";

/** A specific error for a known non-smaps format, or null. */
export function recognise(text: string, lineNo: number): SmapsInputError | null {
  const head = text.slice(0, 4096);
  const first = head.split("\n").slice(0, 12);
  const has = (re: RegExp) => first.some((l) => re.test(l));
  if (has(/^(Name|Umask|State|Tgid|VmPeak|VmRSS):\s/)) {
    return new SmapsInputError("status", "this is /proc/PID/status (Name:, VmRSS: ...): it has the process's totals, not its VMAs.", lineNo);
  }
  if (has(/^(Rss|Pss|Size):\s/) && /\[rollup\]/.test(head)) {
    return new SmapsInputError("rollup", "this is /proc/PID/smaps_rollup: it sums every VMA into one, so there are no VMAs to compare.", lineNo);
  }
  if (has(/^[0-9a-f]+ (default|prefer|bind|interleave|local|weighted)/)) {
    return new SmapsInputError("numa-maps", "this is /proc/PID/numa_maps (one address and its NUMA policy per line): it has no VMA ends or flags.", lineNo);
  }
  if (has(/^\s*PID\s+START\s+END\s+PRT/) || has(/^\s*\d+\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+[r-][w-][x-]/)) {
    return new SmapsInputError("other-os", "this looks like FreeBSD's procstat -v output, not Linux smaps.", lineNo, OTHER_OS_HINT);
  }
  if (has(/^(Process|Path|Load Address|Identifier):\s/) || /==== (Non-)?[Ww]ritable regions/.test(head) || has(/^(__TEXT|__DATA|MALLOC_)/)) {
    return new SmapsInputError("other-os", "this looks like macOS vmmap output, not Linux smaps.", lineNo, OTHER_OS_HINT);
  }
  if (has(/^\d+:\s+\S/) && has(/^[0-9A-F]{8,16}\s+\d+K\s/)) {
    return new SmapsInputError("other-os", "this looks like Solaris/illumos pmap output, not Linux smaps.", lineNo, OTHER_OS_HINT);
  }
  if (has(/^\s*(BaseAddress|AllocationBase|RegionSize)\b/) || has(/^\s*0x[0-9A-F]{8,16}\s+(MEM_COMMIT|MEM_RESERVE|MEM_FREE)/) || /\r\n\s*Address\s+Size\s+Committed/.test(head)) {
    return new SmapsInputError("other-os", "this looks like a Windows memory map (VirtualQuery / VMMap), not Linux smaps.", lineNo, OTHER_OS_HINT);
  }
  if (has(/^0x[0-9a-f]+-0x[0-9a-f]+/) || has(/^[0-9A-F]+-[0-9A-F]+ /)) {
    return new SmapsInputError("not-smaps", "the address ranges are written differently from smaps (smaps uses lower-case hex without 0x, e.g. \"7f12a4c00000-7f12a4c21000\").", lineNo);
  }
  return null;
}
