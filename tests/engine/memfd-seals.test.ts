// memfd seals (mm/memfd.c memfd_add_seals(), check_write_seal(); mm/shmem.c shmem_setattr()):
// what each seal refuses, and the VMA flags a write seal leaves on a shared read-only mapping.
import { describe, expect, it } from "vitest";
import {
  boot, F_ADD_SEALS, F_GET_SEALS, F_SEAL_EXEC, F_SEAL_FUTURE_WRITE, F_SEAL_GROW, F_SEAL_SHRINK, F_SEAL_WRITE,
  LATEST_VERSION, MAP_SHARED, MFD_ALLOW_SEALING, MFD_NOEXEC_SEAL, PROT_READ, PROT_WRITE,
} from "mergeable";
import { kerr, P } from "./helpers";

const RW = PROT_READ | PROT_WRITE;

function sealed(version = LATEST_VERSION) {
  const p = boot({ version, config: { softDirty: false } }).spawn();
  const fd = p.memfd_create("s", MFD_ALLOW_SEALING);
  p.ftruncate(fd, 4 * P);
  return { p, fd };
}

describe("memfd seals", () => {
  it("F_SEAL_WRITE: a shared read-only map has no VM_MAYWRITE, so mprotect(PROT_WRITE) is EACCES", () => {
    const { p, fd } = sealed();
    p.fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE);
    expect(kerr(() => p.mmap(0, P, RW, MAP_SHARED, fd, 0)).errno).toBe("EPERM");
    const r = p.mmap(0, P, PROT_READ, MAP_SHARED, fd, 0);
    expect(p.vmasIn(r, r + P)[0]!.vmflags.trim()).toBe("rd sh mr me ms");
    expect(kerr(() => p.mprotect(r, P, RW)).errno).toBe("EACCES");
  });

  it("6.6: F_SEAL_WRITE refuses every shared map (mapping_map_writable()), F_SEAL_FUTURE_WRITE only writable ones", () => {
    const { p, fd } = sealed("6.6");
    p.fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE);
    expect(kerr(() => p.mmap(0, P, PROT_READ, MAP_SHARED, fd, 0)).errno).toBe("EPERM");
    const f = sealed("6.6");
    f.p.fcntl(f.fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE);
    const r = f.p.mmap(0, P, PROT_READ, MAP_SHARED, f.fd, 0);
    expect(f.p.vmasIn(r, r + P)[0]!.vmflags).not.toMatch(/ mw /);
  });

  it("F_SEAL_WRITE is EBUSY while any process maps the file shared writable; F_SEAL_FUTURE_WRITE is not", () => {
    const { p, fd } = sealed();
    const child = p.fork();
    const w = child.mmap(0, P, RW, MAP_SHARED, fd, 0);
    expect(kerr(() => p.fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE)).errno).toBe("EBUSY");
    p.fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE);
    child.poke(w, 7); // the existing writable mapping keeps writing
    child.munmap(w, P);
    p.fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE);
    expect(p.fcntl(fd, F_GET_SEALS)).toBe(F_SEAL_WRITE | F_SEAL_FUTURE_WRITE);
  });

  it("F_SEAL_SHRINK and F_SEAL_GROW refuse ftruncate() the other way only", () => {
    const { p, fd } = sealed();
    p.fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK);
    expect(kerr(() => p.ftruncate(fd, P)).errno).toBe("EPERM");
    p.ftruncate(fd, 8 * P);
    p.fcntl(fd, F_ADD_SEALS, F_SEAL_GROW);
    expect(kerr(() => p.ftruncate(fd, 9 * P)).errno).toBe("EPERM");
    expect(p.ftruncate(fd, 8 * P)).toBe(0);
  });

  it("F_SEAL_EXEC on a memfd with exec bits adds the write seals; MFD_NOEXEC_SEAL starts with F_SEAL_EXEC alone", () => {
    const { p, fd } = sealed();
    p.fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC);
    expect(p.fcntl(fd, F_GET_SEALS)).toBe(F_SEAL_EXEC | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE);
    expect(p.fcntl(p.memfd_create("n", MFD_NOEXEC_SEAL), F_GET_SEALS)).toBe(F_SEAL_EXEC);
    expect(kerr(() => boot({ version: "6.2" }).spawn().memfd_create("n", MFD_NOEXEC_SEAL)).errno).toBe("EINVAL");
  });
});
