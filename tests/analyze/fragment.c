/*
 * Make a process with known fragmentation for the analyser's real-kernel tests.
 * Usage: fragment MODE DIR   (MODE: mprotect | madvise | mergeany | anonvma)
 * Works inside a 256-page window it reserved and unmapped, so no other VMA touches its own.
 * Prints "base 0x..." and blocks until stdin closes; the test reads /proc/PID/smaps meanwhile.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef PR_SET_MEMORY_MERGE
#define PR_SET_MEMORY_MERGE 67
#endif

static long P;
static char *base;

static void die(const char *what) { perror(what); exit(2); }

static char *map(long page, long pages, int prot, int flags, int fd, long off_pages) {
  char *want = base + page * P;
  char *p = mmap(want, pages * P, prot, flags | MAP_FIXED_NOREPLACE, fd, off_pages * P);
  if (p == MAP_FAILED) die("mmap");
  if (p != want) { fprintf(stderr, "mmap placed at %p, wanted %p\n", (void *)p, (void *)want); exit(2); }
  return p;
}

static int file(const char *dir, const char *name, long pages) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) die("open");
  if (ftruncate(fd, pages * P)) die("ftruncate");
  return fd;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: fragment MODE DIR\n"); return 2; }
  P = sysconf(_SC_PAGESIZE);
  base = mmap(NULL, 256 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) die("reserve");
  munmap(base, 256 * P);
  const char *mode = argv[1];
  const int RW = PROT_READ | PROT_WRITE, PA = MAP_PRIVATE | MAP_ANONYMOUS;
  if (!strcmp(mode, "mprotect")) {
    /* 8 faulted pages, every other one read-only: 8 VMAs, 7 pairs differing in VM_WRITE only. */
    char *a = map(4, 8, RW, PA, -1, 0);
    memset(a, 1, 8 * P);
    for (int i = 1; i < 8; i += 2) if (mprotect(a + i * P, P, PROT_READ)) die("mprotect");
  } else if (!strcmp(mode, "madvise")) {
    /* 12 faulted pages; MADV_MERGEABLE on pages 2-3, MADV_DONTDUMP on pages 6-7. */
    char *a = map(4, 12, RW, PA, -1, 0);
    memset(a, 1, 12 * P);
    if (madvise(a + 2 * P, 2 * P, MADV_MERGEABLE)) die("madvise MERGEABLE");
    if (madvise(a + 6 * P, 2 * P, MADV_DONTDUMP)) die("madvise DONTDUMP");
  } else if (!strcmp(mode, "mergeany")) {
    if (prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0)) die("prctl");
    int f = file(argv[2], "data.bin", 16), g = file(argv[2], "other.bin", 16);
    char path[4096];
    snprintf(path, sizeof path, "%s/data.bin", argv[2]);
    int f2 = open(path, O_RDWR); /* a second struct file of data.bin */
    int z = open("/dev/zero", O_RDWR);
    int m = memfd_create("frag", 0);
    if (f2 < 0 || z < 0 || m < 0 || ftruncate(m, 16 * P)) die("open");
    map(4, 2, RW, PA, -1, 0);              map(6, 2, RW, PA, -1, 0);              /* anon: merges */
    map(20, 2, RW, MAP_PRIVATE, f, 0);     map(22, 2, RW, MAP_PRIVATE, f, 2);     /* ext4, contiguous: merges (.mmap_prepare, 6.17+) */
    map(36, 2, RW, MAP_PRIVATE, z, 0);     map(38, 2, RW, MAP_PRIVATE, z, 2);     /* /dev/zero: late mg, stays apart */
    map(52, 2, RW, MAP_SHARED, m, 0);      map(54, 2, RW, MAP_SHARED, m, 2);      /* memfd shared: merges */
    map(68, 2, RW, MAP_PRIVATE, f, 0);     map(70, 2, RW, MAP_PRIVATE, f, 0);     /* offsets 0 and 0: pgoff */
    map(84, 2, RW, MAP_PRIVATE, f, 4);     map(86, 2, RW, MAP_PRIVATE, g, 6);     /* two files */
    map(100, 2, RW, MAP_PRIVATE, f, 8);    map(102, 2, RW, MAP_PRIVATE, f2, 10);  /* one file, two open()s */
  } else if (!strcmp(mode, "anonvma")) {
    /* A and B faulted apart (two anon_vmas); C fills the hole and joins A: A+C | B. */
    char *a = map(4, 2, RW, PA, -1, 0), *b = map(7, 2, RW, PA, -1, 0);
    a[0] = 1; b[0] = 1;
    char *c = map(6, 1, RW, PA, -1, 0);
    c[0] = 1;
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  printf("base 0x%lx\n", (unsigned long)base);
  fflush(stdout);
  char buf[16];
  while (read(0, buf, sizeof buf) > 0) {}
  return 0;
}
