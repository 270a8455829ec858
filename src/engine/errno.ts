/**
 * Kernel errors: every refused syscall throws a KernelError carrying the errno the kernel
 * returns (include/uapi/asm-generic/errno-base.h numbers) and a sentence saying why.
 * @module
 */

/** errno numbers on x86-64 Linux: all of errno-base.h, and the few of errno.h the engine uses. */
export const ERRNO = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EBADF: 9,
  ECHILD: 10, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, ENOTBLK: 15, EBUSY: 16, EEXIST: 17,
  EXDEV: 18, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ENOTTY: 25,
  ETXTBSY: 26, EFBIG: 27, ENOSPC: 28, ESPIPE: 29, EROFS: 30, EMLINK: 31, EPIPE: 32, EDOM: 33, ERANGE: 34,
  ENOSYS: 38, EOVERFLOW: 75,
  EOPNOTSUPP: 95,
} as const;

export type ErrnoName = keyof typeof ERRNO;

/** A syscall the kernel refused: `errno` is the name ("EINVAL"), `code` its number (22). */
export class KernelError extends Error {
  readonly errno: ErrnoName;
  readonly code: number;
  readonly syscall: string;
  /** The explanation without the errno prefix. */
  readonly reason: string;

  constructor(errno: ErrnoName, syscall: string, reason: string) {
    super(`${errno}: ${reason}`);
    this.name = "KernelError";
    this.errno = errno;
    this.code = ERRNO[errno];
    this.syscall = syscall;
    this.reason = reason;
  }
}

/** Throw `errno` for `syscall` with the reason. */
export function fail(errno: ErrnoName, syscall: string, reason: string): never {
  throw new KernelError(errno, syscall, reason);
}

/** The name of errno `code`, if the engine knows it. */
export function errnoName(code: number): ErrnoName | null {
  for (const [name, c] of Object.entries(ERRNO)) if (c === code) return name as ErrnoName;
  return null;
}
