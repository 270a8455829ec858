// What a VMA records: range, flags, file and pgoff, and an anon_vma once a page is written.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, O_RDONLY } from "mergeable";

const p = boot().spawn();
const show = (what: string, addr: number) => {
  const v = p.vmas().find((x) => x.start <= addr && addr < x.end)!;
  console.log(`${what}: flags ${v.flags} (${v.vmflags}), file ${v.file ?? "none"}, pgoff 0x${v.pgoff.toString(16)}, anon_vma ${v.anonVma === null ? "none" : "yes"}`);
};

const anon = p.mmap(0x100000000, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
show("anon", anon);
p.poke(anon + PAGE_SIZE);                 // first write fault: anon_vma_prepare()
show("anon after a write", anon);

const fd = p.open("/usr/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY);
const lib = p.mmap(0x100100000, 2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, fd, 0x28 * PAGE_SIZE);
show("file", lib);
// @expect 6.18: log "anon: flags 0x8100073 (rd wr mr mw me ac sd), file none, pgoff 0x100000, anon_vma none", log "anon after a write: flags 0x8100073 (rd wr mr mw me ac sd), file none, pgoff 0x100000, anon_vma yes", log "file: flags 0x8000071 (rd mr mw me sd), file /usr/lib/x86_64-linux-gnu/libc.so.6, pgoff 0x28, anon_vma none"
