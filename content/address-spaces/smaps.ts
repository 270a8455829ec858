// One anonymous mapping, and its entry in /proc/PID/smaps: a maps line, size lines, VmFlags.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS } from "mergeable";

function vmFlagsOf(softDirty: boolean): string {
  // config.softDirty: CONFIG_MEM_SOFT_DIRTY (on in distro kernels, off on some others)
  const p = boot({ config: { softDirty } }).spawn();
  const a = p.mmap(0x100000000, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  p.poke(a);   // one page written: Rss 4 kB
  const lines = p.smaps().split("\n");
  const at = lines.findIndex((l) => l.startsWith(a.toString(16) + "-"));
  const entry = lines.slice(at, lines.indexOf(lines.slice(at).find((l) => l.startsWith("VmFlags:"))!) + 1);
  if (softDirty) console.log(entry.join("\n"));
  return entry[entry.length - 1].trim();
}

console.log(`CONFIG_MEM_SOFT_DIRTY=y: ${vmFlagsOf(true)}`);
console.log(`CONFIG_MEM_SOFT_DIRTY=n: ${vmFlagsOf(false)}`);
// @expect 6.18: 1 VMA, log "CONFIG_MEM_SOFT_DIRTY=y: VmFlags: rd wr mr mw me ac sd", log "CONFIG_MEM_SOFT_DIRTY=n: VmFlags: rd wr mr mw me ac"
