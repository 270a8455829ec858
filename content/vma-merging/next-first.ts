// A new mapping fills the gap between two faulted VMAs with different anon_vmas: it can join only
// one of them. Up to 6.11 mmap_region() tried next first; from 6.12 vma_merge_new_range() takes prev.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE } from "mergeable";

const p = boot().spawn();
const rw = PROT_READ | PROT_WRITE;
const flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;

const prev = p.mmap(0x100000000, 2 * PAGE_SIZE, rw, flags);
p.poke(prev);                                   // prev gets anon_vma A
const next = p.mmap(prev + 4 * PAGE_SIZE, 2 * PAGE_SIZE, rw, flags);
p.poke(next);                                   // next gets anon_vma B (not adjacent to prev: no reuse)
const mid = p.mmap(prev + 2 * PAGE_SIZE, 2 * PAGE_SIZE, rw, flags);

const home = p.vmas().find((v) => v.start <= mid && mid < v.end)!;
console.log(`the new pages joined ${home.start === prev ? "prev" : "next"}`);
// @expect 6.11: 2 VMAs, log "the new pages joined next"
// @expect 6.12: 2 VMAs, log "the new pages joined prev"
// @expect 6.1: log "the new pages joined next"
// @expect 6.18: log "the new pages joined prev"
