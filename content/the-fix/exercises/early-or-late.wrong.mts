// A plausible wrong answer, which the checker must reject (tests/exercises):
// dropping the file for anonymous memory: one VMA with mg, but the task asks for a file-backed mapping.
import { MAP_ANONYMOUS, boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from "mergeable";

const p = boot().spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const at = 0x600000000000;
p.mmap(at, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.mmap(at + 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
