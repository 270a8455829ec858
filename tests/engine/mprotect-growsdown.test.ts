// mprotect() with PROT_GROWSDOWN (mm/mprotect.c do_mprotect_pkey()): the range is extended down to
// the vm_start of the VM_GROWSDOWN VMA it starts in (or the first one above a hole); any other
// VMA is EINVAL, and so is PROT_GROWSUP on x86-64 (no VM_GROWSUP).
import { describe, expect, it } from "vitest";
import {
  LATEST_VERSION, MAP_ANONYMOUS, MAP_FIXED, MAP_GROWSDOWN, MAP_PRIVATE, PROT_GROWSDOWN, PROT_GROWSUP, PROT_READ,
  PROT_WRITE,
} from "mergeable";
import { carveout, expectVmas, kerr, P } from "./helpers";

const RW = PROT_READ | PROT_WRITE;
const FIX = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;

describe("mprotect PROT_GROWSDOWN", () => {
  it("a change in the middle of a VM_GROWSDOWN VMA applies from its vm_start", () => {
    //   0123456789ab
    //   CCCCGGGGCCCC  mprotect(6, 1, R|GROWSDOWN) → CCCCrrrGCCCC
    const b = carveout(LATEST_VERSION);
    b.p.mmap(b.at(4), 4 * P, RW, FIX | MAP_GROWSDOWN);
    b.p.mprotect(b.at(6), P, PROT_READ | PROT_GROWSDOWN);
    expectVmas(b, [{ s: 0, e: 4 }, { s: 4, e: 7 }, { s: 7, e: 8 }, { s: 8, e: 12 }]);
    expect(b.win()[1]!.perms).toBe("r--p");
    expect(b.win()[2]!.perms).toBe("rw-p");
  });

  it("a start in the hole below moves up to the VMA; no VMA in the range is ENOMEM", () => {
    const b = carveout(LATEST_VERSION);
    b.p.mmap(b.at(4), 4 * P, RW, FIX | MAP_GROWSDOWN);
    b.p.munmap(b.at(2), 2 * P);
    b.p.mprotect(b.at(2), 3 * P, PROT_READ | PROT_GROWSDOWN);
    expectVmas(b, [{ s: 0, e: 2 }, { s: 4, e: 5 }, { s: 5, e: 8 }, { s: 8, e: 12 }]);
    expect(b.win()[1]!.perms).toBe("r--p");
    expect(kerr(() => b.p.mprotect(b.at(2), P, PROT_READ | PROT_GROWSDOWN)).errno).toBe("ENOMEM");
  });

  it("EINVAL on a VMA without VM_GROWSDOWN, and for PROT_GROWSUP anywhere", () => {
    const b = carveout(LATEST_VERSION);
    b.p.mmap(b.at(4), 4 * P, RW, FIX | MAP_GROWSDOWN);
    expect(kerr(() => b.p.mprotect(b.at(1), P, PROT_READ | PROT_GROWSDOWN)).errno).toBe("EINVAL");
    expect(kerr(() => b.p.mprotect(b.at(5), P, PROT_READ | PROT_GROWSUP)).errno).toBe("EINVAL");
    expect(b.win()[1]!.perms).toBe("rw-p");
  });
});
