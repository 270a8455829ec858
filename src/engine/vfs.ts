/**
 * The files a scenario can open: a tiny VFS with the inodes the engine's processes map
 * (program, libraries, data files on ext4; tmpfs under /dev/shm; memfd; /dev/zero; a device).
 * Device numbers and inode numbers are plausible, not any machine's.
 * @module
 */
import { fail } from "./errno.ts";
import type { File, FileKind, Inode } from "./file.ts";
import { F_SEAL_SEAL, O_ACCMODE, O_CREAT, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY } from "./uapi.ts";

/** Files every booted kernel has, so scenarios and spawn() can map them. */
const PRELOADED: ReadonlyArray<[string, number]> = [
  ["/usr/bin/app", 0x5000],
  ["/usr/lib/x86_64-linux-gnu/libc.so.6", 0x21b000],
  ["/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0x3b000],
  ["/var/lib/mergeable/data.bin", 0x100000],
];

const DEV: Record<FileKind, readonly [number, number]> = {
  ext4: [0x08, 0x01],
  tmpfs: [0x00, 0x1a],
  memfd: [0x00, 0x01],
  "shmem-anon": [0x00, 0x01],
  devzero: [0x00, 0x06],
  hugetlb: [0x00, 0x11],
  device: [0x00, 0x06],
};

export class Vfs {
  private readonly inodes = new Map<string, Inode>();
  private nextIno = 1310721;
  private nextFile = 1;

  constructor() {
    for (const [path, size] of PRELOADED) this.create(path, "ext4", size);
    this.create("/dev/zero", "devzero", 0, 4);
    this.create("/dev/mem", "device", 0, 1);
  }

  private create(path: string, kind: FileKind, size: number, ino?: number): Inode {
    const inode: Inode = { ino: ino ?? this.nextIno++, dev: DEV[kind], path, kind, size };
    // shmem_get_inode(): a tmpfs file starts (and stays) at F_SEAL_SEAL: only memfds can be sealed.
    if (kind === "tmpfs") inode.seals = F_SEAL_SEAL;
    this.inodes.set(path, inode);
    return inode;
  }

  /** A new open file description of `inode`. */
  file(inode: Inode, readable: boolean, writable: boolean): File {
    return { id: this.nextFile++, inode, readable, writable };
  }

  /** do_sys_open(): resolve a path; /dev/shm/* is tmpfs, other new paths are ext4 files. */
  open(path: string, flags: number): File {
    if (typeof path !== "string" || !path.startsWith("/")) fail("ENOENT", "open",
      `path ${JSON.stringify(path)} must be absolute`);
    let inode = this.inodes.get(path);
    if (!inode) {
      if (!(flags & O_CREAT)) fail("ENOENT", "open", `${path} does not exist (pass O_CREAT to create it)`);
      inode = this.create(path, path.startsWith("/dev/shm/") ? "tmpfs" : "ext4", 0);
    } else if (flags & O_TRUNC && inode.kind !== "devzero" && inode.kind !== "device") inode.size = 0;
    const acc = flags & O_ACCMODE;
    return this.file(inode, acc === O_RDONLY || acc === O_RDWR, acc === O_WRONLY || acc === O_RDWR);
  }

  /** memfd_create(): an unlinked shmem file, shown as "/memfd:NAME (deleted)", with its initial seals. */
  memfd(name: string, seals: number, exec: boolean): File {
    const inode: Inode = { ino: this.nextIno++, dev: DEV.memfd, path: `/memfd:${name} (deleted)`,
      kind: "memfd", size: 0, seals, exec };
    return this.file(inode, true, true);
  }

  /** shmem_zero_setup()'s file for shared anonymous memory: "/dev/zero (deleted)". */
  shmemAnonFile(size: number): File {
    const inode: Inode = { ino: this.nextIno++, dev: DEV["shmem-anon"], path: "/dev/zero (deleted)",
      kind: "shmem-anon", size };
    return this.file(inode, true, true);
  }

  /** hugetlb_file_setup(HUGETLB_ANON_FILE): an unlinked hugetlbfs file, "/anon_hugepage (deleted)". */
  hugetlbFile(size: number, hugePageSize: number): File {
    const inode: Inode = { ino: this.nextIno++, dev: DEV.hugetlb, path: "/anon_hugepage (deleted)",
      kind: "hugetlb", size, hugePageSize };
    return this.file(inode, true, true);
  }

  lookup(path: string): Inode | undefined {
    return this.inodes.get(path);
  }
}
