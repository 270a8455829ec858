/**
 * Kernel errors: every refused syscall throws a KernelError carrying the errno the kernel
 * returns (include/uapi/asm-generic/errno-base.h numbers) and a sentence saying why.
 * @module
 */

/** errno numbers on x86-64 Linux. */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  ENOEXEC: 8,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  EMFILE: 24,
  EFBIG: 27,
  EOVERFLOW: 75,
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
