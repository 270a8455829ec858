// MADV_POPULATE_READ / MADV_POPULATE_WRITE (mm/madvise.c madvise_populate() → faultin_page_range()):
// a write populate faults pages in as stores do (anon_vma, COW of a private file mapping); a read
// populate changes nothing the engine records; refusals are per page, in address order.
import { describe, expect, it } from "vitest";
import {
  LATEST_VERSION, MADV_POPULATE_READ, MADV_POPULATE_WRITE, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, O_CREAT, O_RDWR,
  PROT_READ, PROT_WRITE,
} from "mergeable";
import { carveout, expectVmas, kerr, P } from "./helpers";

const RW = PROT_READ | PROT_WRITE;
const FIX = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;

describe("MADV_POPULATE_*", () => {
  it("POPULATE_WRITE gives private anonymous memory an anon_vma; POPULATE_READ does not", () => {
    const b = carveout(LATEST_VERSION);
    b.p.mmap(b.at(2), 2 * P, RW, FIX);
    b.p.mmap(b.at(6), 2 * P, RW, FIX);
    b.p.madvise(b.at(2), 2 * P, MADV_POPULATE_READ);
    b.p.madvise(b.at(6), 2 * P, MADV_POPULATE_WRITE);
    expectVmas(b, [{ s: 0, e: 2 }, { s: 2, e: 4, anon: "none" }, { s: 4, e: 6 }, { s: 6, e: 8, anon: "a" }, { s: 8, e: 12 }]);
  });

  it("POPULATE_WRITE on a private file mapping breaks COW: the VMA gets an anon_vma", () => {
    const b = carveout(LATEST_VERSION);
    const fd = b.p.open("/populate/file", O_RDWR | O_CREAT);
    b.p.ftruncate(fd, 2 * P);
    b.p.mmap(b.at(2), 2 * P, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
    b.p.madvise(b.at(2), 2 * P, MADV_POPULATE_WRITE);
    expect(b.win()[1]!.anonVma).not.toBeNull();
  });

  it("EINVAL for a write to read-only memory and for PROT_NONE; ENOMEM at a hole, after the pages before it", () => {
    const b = carveout(LATEST_VERSION);
    b.p.mmap(b.at(2), 2 * P, PROT_READ, FIX);
    b.p.mmap(b.at(5), 2 * P, RW, FIX);
    expect(kerr(() => b.p.madvise(b.at(2), 2 * P, MADV_POPULATE_WRITE)).errno).toBe("EINVAL");
    expect(kerr(() => b.p.madvise(b.at(0), P, MADV_POPULATE_READ)).errno).toBe("EINVAL");
    b.p.munmap(b.at(7), P);
    expect(kerr(() => b.p.madvise(b.at(5), 3 * P, MADV_POPULATE_WRITE)).errno).toBe("ENOMEM");
    expect(b.win().find((v) => v.start === b.at(5))!.anonVma).not.toBeNull();
  });
});
