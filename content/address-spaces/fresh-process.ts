// A new process, before it maps anything itself: what the ELF loader and ld.so leave behind.
import { boot } from "mergeable";

const p = boot().spawn();
const maps = p.maps();
console.log(maps);
console.log(`${maps.trimEnd().split("\n").length} lines in maps, map_count ${p.map_count}`);

// The program's two adjacent read-only pages: .rodata, and the RELRO page made read-only later.
const [rodata, relro] = p.vmas().filter((v) => v.file === "/usr/bin/app" && v.perms === "r--p").slice(1);
console.log(`.rodata: ${rodata.vmflags}; RELRO: ${relro.vmflags}`);
// @expect 6.18: log "23 lines in maps, map_count 22", log ".rodata: rd mr mw me sd; RELRO: rd mr mw me ac sd"
// @expect 6.13: log "23 lines in maps, map_count 22"
// @expect 6.1: log "22 lines in maps, map_count 21"
