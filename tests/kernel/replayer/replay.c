// replay.c — performs an engine trace's calls on the real kernel and reports
// what the kernel did: each call's return value or errno, and the VMAs of chosen
// address ranges as /proc/self/smaps shows them (boundaries, perms, offset, name,
// VmFlags). Built by tests/kernel/replayer.ts with `gcc -O2` into tests/.tmp/.
//
// Why this shape:
// - One long-lived process answers many sequences (a line protocol on stdin), so
//   differential fuzzing runs thousands of sequences per second.
// - The master never touches its own address space: each sequence runs in a worker
//   forked from the pristine master ("begin"), and "end" makes every worker of the
//   sequence exit. Nothing a sequence does (prctl(PR_SET_MEMORY_MERGE), brk, fillers
//   for vm.max_map_count) can leak into the next one, and nothing is global.
// - No malloc, no stdio: the worker's heap stays empty (the dynamic loader allocates
//   with mmap, not brk; a static glibc would sbrk its TLS), so brk() scenarios start
//   from an empty heap, and the worker's own VMAs stay few and stable.
// - fork: the forked child serves another "slot"; the master routes each request to
//   its slot over pipes that every process inherited from the master.
//
// Request:  <slot> <op> <args...>     numbers in decimal or 0x-hex, "-1" allowed
// Response: zero or more "v ..." lines, then one line starting with '=':
//   "= ok <hex>"   "= err <errno>"   "= unsafe <why>"   "= dead <status>"
// VMA line: "v <start> <end> <perms> <offset> <inode>\t<VmFlags>\t<name>" (hex, no 0x)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#ifndef SYS_mseal
#define SYS_mseal 462	/* x86-64, 6.10+ */
#endif
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#ifndef PR_SET_MEMORY_MERGE   /* glibc 2.36 headers predate Linux 6.4 */
#define PR_SET_MEMORY_MERGE 67
#define PR_GET_MEMORY_MERGE 68
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define MAX_SLOTS 8
#define MAX_ARGS 24
#define MAX_ALLOW 16
#define LINE_MAX_LEN 4096

static int cmd_pipe[MAX_SLOTS][2], resp_pipe[MAX_SLOTS][2];
static pid_t slot_pid[MAX_SLOTS];
static int my_slot = -1;
static uintptr_t initial_brk;   /* diagnostics only: "ping" */

/* ---------- buffered I/O on raw fds ---------- */

struct in { int fd; char buf[1 << 16]; size_t pos, len; };
struct out { int fd; char buf[1 << 16]; size_t len; };

static struct in in_master, in_worker;
static struct out out_master, out_worker;

static void flush_out(struct out *o) {
	size_t off = 0;
	while (off < o->len) {
		ssize_t n = write(o->fd, o->buf + off, o->len - off);
		if (n < 0) { if (errno == EINTR) continue; _exit(3); }
		off += (size_t)n;
	}
	o->len = 0;
}

static void put(struct out *o, const char *s, size_t n) {
	if (o->len + n > sizeof(o->buf)) flush_out(o);
	if (n > sizeof(o->buf)) { o->len = 0; return; }
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}
static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }
static void putc_(struct out *o, char c) { put(o, &c, 1); }

static void puthex(struct out *o, uint64_t v) {
	char tmp[17]; int i = 16; tmp[16] = 0;
	do { tmp[--i] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
	puts_(o, tmp + i);
}
static void putdec(struct out *o, long v) {
	char tmp[24]; int i = 23; int neg = v < 0; unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
	tmp[23] = 0;
	do { tmp[--i] = (char)('0' + u % 10); u /= 10; } while (u);
	if (neg) tmp[--i] = '-';
	puts_(o, tmp + i);
}

/* Reads one line (without '\n') into line; returns length, -1 on EOF.
 * If flush_first is non-NULL it is flushed before blocking on an empty buffer,
 * so answers to a batch go out when the batch has been consumed. */
static long get_line(struct in *in, char *line, struct out *flush_first) {
	size_t n = 0;
	for (;;) {
		if (in->pos == in->len) {
			if (flush_first && flush_first->len) flush_out(flush_first);
			ssize_t r = read(in->fd, in->buf, sizeof(in->buf));
			if (r < 0 && errno == EINTR) continue;
			if (r <= 0) return n ? (long)n : -1;
			in->pos = 0; in->len = (size_t)r;
		}
		char c = in->buf[in->pos++];
		if (c == '\n') { line[n] = 0; return (long)n; }
		if (n < LINE_MAX_LEN - 1) line[n++] = c;
	}
}

static int split(char *line, char **argv) {
	int argc = 0;
	char *p = line;
	while (*p && argc < MAX_ARGS) {
		while (*p == ' ') p++;
		if (!*p) break;
		argv[argc++] = p;
		while (*p && *p != ' ') p++;
		if (*p) *p++ = 0;
	}
	return argc;
}

static uint64_t heap_base;   /* worker's mm->start_brk: "H+<offset>" arguments */

static uint64_t num(const char *s) {
	if (!s) return 0;
	if (s[0] == 'H' && s[1] == '+') return heap_base + num(s + 2);
	if (*s == '-') return (uint64_t)strtoll(s, NULL, 0);
	return strtoull(s, NULL, 0);
}

/* ---------- worker: the safety guard ---------- */

// Ranges the harness said belong to the scenario (window, heap, fillers). An
// operation on memory outside them must not touch any VMA the worker already has
// (its text, stack, pipes' buffers...), or a bad input could destroy the replayer.
static uint64_t allow_lo[MAX_ALLOW], allow_hi[MAX_ALLOW];
static int n_allow;

static int inside_allowed(uint64_t lo, uint64_t hi) {
	for (int i = 0; i < n_allow; i++)
		if (lo >= allow_lo[i] && hi <= allow_hi[i]) return 1;
	return 0;
}

static int read_file(const char *path, char *buf, size_t cap) {
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -1;
	size_t len = 0;
	for (;;) {
		ssize_t r = read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) break;
		len += (size_t)r;
		if (len == cap - 1) break;
	}
	close(fd);
	buf[len] = 0;
	return (int)len;
}

// Streams /proc/self/maps line by line (with fillers it is megabytes long): calls fn for
// each VMA; fn returns non-zero to stop. Returns the number of lines seen, -1 on error.
static char maps_chunk[1 << 16];

static long for_each_map(int (*fn)(uint64_t s, uint64_t t, const char *line, void *arg), void *arg) {
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -1;
	static char line[LINE_MAX_LEN];
	size_t ln = 0;
	long n = 0;
	int stop = 0;
	while (!stop) {
		ssize_t r = read(fd, maps_chunk, sizeof(maps_chunk));
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) break;
		for (ssize_t i = 0; i < r && !stop; i++) {
			if (maps_chunk[i] != '\n') { if (ln < sizeof(line) - 1) line[ln++] = maps_chunk[i]; continue; }
			line[ln] = 0; ln = 0; n++;
			if (fn) {
				char *e;
				uint64_t s = strtoull(line, &e, 16);
				uint64_t t = strtoull(e + 1, NULL, 16);
				stop = fn(s, t, line, arg);
			}
		}
	}
	close(fd);
	return n;
}

struct range { uint64_t lo, hi; int hit; };

static int foreign_cb(uint64_t s, uint64_t t, const char *line, void *arg) {
	(void)line;
	struct range *r = arg;
	if (s >= r->hi) return 1;   // maps is sorted by address
	if (s < r->hi && r->lo < t && !inside_allowed(s, t)) { r->hit = 1; return 1; }
	return 0;
}

// 1 if [lo, hi) intersects a VMA that lies outside every allowed range.
static int touches_foreign(uint64_t lo, uint64_t hi) {
	if (hi <= lo) hi = lo + 1;
	if (inside_allowed(lo, hi)) return 0;
	struct range r = { lo, hi, 0 };
	if (for_each_map(foreign_cb, &r) < 0) return 1;
	return r.hit;
}

static int vsyscall_cb(uint64_t s, uint64_t t, const char *line, void *arg) {
	(void)s; (void)t;
	if (strstr(line, "[vsyscall]")) ++*(int *)arg;
	return 0;
}

// mm->map_count: the lines of /proc/self/maps except the x86-64 [vsyscall] gate VMA,
// which maps prints after the mm's VMAs but which is not in the mm (get_gate_vma()).
static int count_vmas(void) {
	int gate = 0;
	long n = for_each_map(vsyscall_cb, &gate);
	return n < 0 ? -1 : (int)(n - gate);
}

/* ---------- worker: file descriptors ---------- */

// The trace carries the engine's fd numbers; the replayer's differ (its pipes use
// some). fdmap translates engine fd -> real fd; an unknown fd becomes a closed one.
#define MAX_FD 256
#define CLOSED_FD 1000
static int fdmap[MAX_FD];
static int fdmap_ready;

static uint64_t real_fd(uint64_t efd) {
	long e = (long)efd;
	if (e < 0) return efd;
	if (e < MAX_FD && fdmap_ready && fdmap[e] >= 0) return (uint64_t)fdmap[e];
	return CLOSED_FD;
}
static void map_fd(long efd, long r) {
	if (!fdmap_ready) { for (int i = 0; i < MAX_FD; i++) fdmap[i] = -1; fdmap_ready = 1; }
	if (r >= 0 && efd >= 0 && efd < MAX_FD) fdmap[efd] = (int)r;
}

/* ---------- worker: faults ---------- */

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t in_access;

static void on_fault(int sig) {
	if (in_access) siglongjmp(fault_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ---------- worker: dump ---------- */

// Prints the VMAs of /proc/self/smaps that intersect any of the ranges. smaps is
// read lazily and closed once past the highest range, so fillers placed above the
// window (vm.max_map_count scenarios) cost nothing here.
static char smaps_chunk[1 << 16];

// `stack`: also print the [stack] VMA (compared by perms and VmFlags, wherever it is).
static void dump(struct out *o, int nr, uint64_t *lo, uint64_t *hi, int stack) {
	uint64_t top = 0;
	for (int i = 0; i < nr; i++) if (hi[i] > top) top = hi[i];
	int fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
	if (fd < 0) return;
	static char line[LINE_MAX_LEN];
	size_t ln = 0;
	int want = 0, done = 0;
	static char header[LINE_MAX_LEN];
	while (!done) {
		ssize_t r = read(fd, smaps_chunk, sizeof(smaps_chunk));
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) break;
		for (ssize_t i = 0; i < r && !done; i++) {
			char c = smaps_chunk[i];
			if (c != '\n') { if (ln < sizeof(line) - 1) line[ln++] = c; continue; }
			line[ln] = 0; ln = 0;
			// A header line starts with a lower-case hex digit; attribute lines with a letter + ':'.
			char *dash = strchr(line, '-');
			char *colon = strchr(line, ':');
			int is_header = dash && (!colon || dash < colon) && ((line[0] >= '0' && line[0] <= '9') || (line[0] >= 'a' && line[0] <= 'f'));
			if (is_header) {
				char *e;
				uint64_t s = strtoull(line, &e, 16);
				uint64_t t = strtoull(e + 1, NULL, 16);
				if (s >= top && !stack) { done = 1; break; }
				want = stack && strstr(line, " [stack]") != NULL;
				for (int k = 0; k < nr; k++) if (s < hi[k] && lo[k] < t) want = 1;
				if (want) { strncpy(header, line, sizeof(header) - 1); header[sizeof(header) - 1] = 0; }
			} else if (want && strncmp(line, "VmFlags:", 8) == 0) {
				// header: "start-end perms offset dev inode[ padding name]"
				char *f[5]; char *p = header; int nf;
				for (nf = 0; nf < 5 && *p; nf++) {
					f[nf] = p;
					while (*p && *p != ' ') p++;
					if (*p) *p++ = 0;
				}
				if (nf < 5) { want = 0; continue; }
				while (*p == ' ') p++;
				char *name = p;
				char *dashp = strchr(f[0], '-'); *dashp = 0;
				char *flags = line + 8; while (*flags == ' ') flags++;
				size_t fl = strlen(flags); while (fl && flags[fl - 1] == ' ') flags[--fl] = 0;
				puts_(o, "v "); puts_(o, f[0]); putc_(o, ' '); puts_(o, dashp + 1); putc_(o, ' ');
				puts_(o, f[1]); putc_(o, ' '); puts_(o, f[2]); putc_(o, ' '); puts_(o, f[4]);
				putc_(o, '\t'); puts_(o, flags); putc_(o, '\t'); puts_(o, name); putc_(o, '\n');
				want = 0;
			}
		}
	}
	close(fd);
}

/* ---------- worker: ops ---------- */

static void snprintf_int(char *buf, long v) {
	char tmp[24]; int i = 23; tmp[23] = 0;
	do { tmp[--i] = (char)('0' + v % 10); v /= 10; } while (v);
	strcpy(buf, tmp + i);
}

static void reply_ret(struct out *o, long r) {
	if (r < 0 && r > -4096) { puts_(o, "= err "); putdec(o, -r); }
	else { puts_(o, "= ok "); puthex(o, (uint64_t)r); }
	putc_(o, '\n');
}

static long sys(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f) {
	long r = syscall(nr, a, b, c, d, e, f);
	return r == -1 ? -errno : r;
}

static void unsafe(struct out *o, const char *why) { puts_(o, "= unsafe "); puts_(o, why); putc_(o, '\n'); }

static void worker_loop(void);

// Lays out fillers so the worker has exactly `headroom` VMAs left before
// vm.max_map_count, without changing the (global) sysctl: the engine's sysctl
// step becomes "same distance to the limit" here.
// Filler pages laid out so far: page i is PROT_READ when i is even, PROT_NONE when odd, so
// each page is its own VMA. Repeated sysctl steps grow or shrink the run from its end.
static uint64_t filler_at;
static long filler_pages;

static void fill(struct out *o, long headroom, uint64_t at) {
	char buf[64];
	int cur = count_vmas();
	if (read_file("/proc/sys/vm/max_map_count", buf, sizeof(buf)) < 0 || cur < 0) { unsafe(o, "no-max_map_count"); return; }
	long max = atol(buf);
	long need = max - headroom - cur;   // VMAs to add (negative: to remove)
	if (!filler_pages) {
		filler_at = at;
		allow_lo[n_allow] = at; allow_hi[n_allow] = at + (64ULL << 30); if (n_allow < MAX_ALLOW - 1) n_allow++;
	}
	if (need < 0) {
		// Raising the limit past what the replaying process can match (its own layout has a few
		// more VMAs than the engine's): all fillers go, the headroom is then a few VMAs short.
		if (-need > filler_pages) need = -filler_pages;
		long r = sys(SYS_munmap, filler_at + (uint64_t)(filler_pages + need) * 4096, (uint64_t)(-need) * 4096, 0, 0, 0, 0);
		if (r < 0) { reply_ret(o, r); return; }
		filler_pages += need;
		reply_ret(o, count_vmas());
		return;
	}
	if (need == 0) { reply_ret(o, cur); return; }
	uint64_t first = filler_at + (uint64_t)filler_pages * 4096;
	long r = sys(SYS_mmap, first, (uint64_t)need * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, (uint64_t)-1, 0);
	if (r < 0) { reply_ret(o, r); return; }
	for (long i = filler_pages; i < filler_pages + need; i++) {
		if (!(i & 1)) continue;
		long m = sys(SYS_mprotect, filler_at + (uint64_t)i * 4096, 4096, PROT_NONE, 0, 0, 0);
		if (m < 0) { reply_ret(o, m); return; }
	}
	filler_pages += need;
	reply_ret(o, count_vmas());
}

static void do_op(struct out *o, int argc, char **argv) {
	const char *op = argv[1];
#define A(i) num(argc > (i) ? argv[i] : NULL)
	if (!strcmp(op, "mmap")) {
		uint64_t addr = A(2), len = A(3), flags = A(5);
		if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) == MAP_FIXED && touches_foreign(addr, addr + len)) return unsafe(o, "mmap-fixed-over-replayer");
		reply_ret(o, sys(SYS_mmap, addr, len, A(4), flags, real_fd(A(6)), A(7)));
	} else if (!strcmp(op, "munmap")) {
		if (touches_foreign(A(2), A(2) + A(3))) return unsafe(o, "munmap-of-replayer");
		reply_ret(o, sys(SYS_munmap, A(2), A(3), 0, 0, 0, 0));
	} else if (!strcmp(op, "mprotect")) {
		if (touches_foreign(A(2), A(2) + A(3))) return unsafe(o, "mprotect-of-replayer");
		reply_ret(o, sys(SYS_mprotect, A(2), A(3), A(4), 0, 0, 0));
	} else if (!strcmp(op, "madvise")) {
		if (touches_foreign(A(2), A(2) + A(3))) return unsafe(o, "madvise-of-replayer");
		reply_ret(o, sys(SYS_madvise, A(2), A(3), A(4), 0, 0, 0));
	} else if (!strcmp(op, "mseal")) {
		if (touches_foreign(A(2), A(2) + A(3))) return unsafe(o, "mseal-of-replayer");
		reply_ret(o, sys(SYS_mseal, A(2), A(3), A(4), 0, 0, 0));
	} else if (!strcmp(op, "mlock") || !strcmp(op, "munlock") || !strcmp(op, "mlock2")) {
		if (touches_foreign(A(2), A(2) + A(3))) return unsafe(o, "mlock-of-replayer");
		long nr = !strcmp(op, "mlock") ? SYS_mlock : !strcmp(op, "munlock") ? SYS_munlock : SYS_mlock2;
		reply_ret(o, sys(nr, A(2), A(3), A(4), 0, 0, 0));
	} else if (!strcmp(op, "mlockall")) {       // MCL_FUTURE (| MCL_ONFAULT) and EINVAL probes: MCL_CURRENT is refused
		if (A(2) & MCL_CURRENT) return unsafe(o, "mlockall-current-of-replayer");
		reply_ret(o, sys(SYS_mlockall, A(2), 0, 0, 0, 0, 0));
	} else if (!strcmp(op, "munlockall")) {
		reply_ret(o, sys(SYS_munlockall, 0, 0, 0, 0, 0, 0));
	} else if (!strcmp(op, "fcntl")) {          // fcntl <engine fd> <cmd> <arg>: the seal commands only
		uint64_t cmd = A(3);
		if (cmd != F_ADD_SEALS && cmd != F_GET_SEALS) return unsafe(o, "fcntl-command-not-allowed");
		reply_ret(o, sys(SYS_fcntl, real_fd(A(2)), cmd, A(4), 0, 0, 0));
	} else if (!strcmp(op, "mremap")) {
		uint64_t old = A(2), ol = A(3), nl = A(4), fl = A(5), na = A(6);
		if (touches_foreign(old, old + (ol > nl ? ol : nl))) return unsafe(o, "mremap-of-replayer");
		if ((fl & MREMAP_FIXED) && touches_foreign(na, na + nl)) return unsafe(o, "mremap-onto-replayer");
		reply_ret(o, sys(SYS_mremap, old, ol, nl, fl, na, 0));
	} else if (!strcmp(op, "brk")) {
		reply_ret(o, sys(SYS_brk, A(2), 0, 0, 0, 0, 0));
	} else if (!strcmp(op, "prctl")) {
		uint64_t opt = A(2);
		// Only the KSM options, and option numbers no kernel defines (EINVAL probes).
		if (!(opt == PR_SET_MEMORY_MERGE || opt == PR_GET_MEMORY_MERGE || (opt >= 0x1000 && opt < 0x1000000)))
			return unsafe(o, "prctl-option-not-allowed");
		reply_ret(o, sys(SYS_prctl, opt, A(3), A(4), A(5), A(6), 0));
	} else if (!strcmp(op, "prctl_set_vma")) {  // prctl_set_vma <arg2> <addr> <len> <name|->
		uint64_t addr = A(3), len = A(4);
		if (touches_foreign(addr, addr + len)) return unsafe(o, "prctl-set-vma-on-replayer");
		const char *name = argc > 5 && strcmp(argv[5], "-") ? argv[5] : NULL;
		reply_ret(o, sys(SYS_prctl, 0x53564d41, A(2), addr, len, (uint64_t)(uintptr_t)name, 0));
	} else if (!strcmp(op, "open")) {           // open <path> <flags> <mode> <engine fd>
		long r = sys(SYS_openat, (uint64_t)AT_FDCWD, (uint64_t)(uintptr_t)argv[2], A(3), A(4), 0, 0);
		map_fd((long)A(5), r);
		reply_ret(o, r);
	} else if (!strcmp(op, "memfd")) {          // memfd <name> <flags> <engine fd>
		long r = sys(SYS_memfd_create, (uint64_t)(uintptr_t)argv[2], A(3), 0, 0, 0, 0);
		map_fd((long)A(4), r);
		reply_ret(o, r);
	} else if (!strcmp(op, "ftruncate")) {
		reply_ret(o, sys(SYS_ftruncate, real_fd(A(2)), A(3), 0, 0, 0, 0));
	} else if (!strcmp(op, "close")) {
		uint64_t fd = real_fd(A(2));
		long r = sys(SYS_close, fd, 0, 0, 0, 0, 0);
		long efd = (long)A(2);
		if (r == 0 && efd >= 0 && efd < MAX_FD) fdmap[efd] = -1;
		reply_ret(o, r);
	} else if (!strcmp(op, "unlink")) {
		reply_ret(o, sys(SYS_unlink, (uint64_t)(uintptr_t)argv[2], 0, 0, 0, 0, 0));
	} else if (!strcmp(op, "poke") || !strcmp(op, "memset") || !strcmp(op, "peek")) {
		// A write (or read) that faults pages in; SIGSEGV/SIGBUS become "err 14" (EFAULT).
		uint64_t addr = A(2);
		uint64_t n = !strcmp(op, "memset") ? A(4) : 1;
		int c = (int)A(3);
		if (touches_foreign(addr, addr + n)) return unsafe(o, "access-to-replayer");
		volatile unsigned char *p = (volatile unsigned char *)(uintptr_t)addr;
		in_access = 1;
		if (sigsetjmp(fault_jmp, 1)) { in_access = 0; puts_(o, "= err 14\n"); return; }
		if (!strcmp(op, "peek")) { c = p[0]; }
		else for (uint64_t i = 0; i < n; i++) p[i] = (unsigned char)c;
		in_access = 0;
		reply_ret(o, c);
	} else if (!strcmp(op, "allow")) {
		if (n_allow < MAX_ALLOW) { allow_lo[n_allow] = A(2); allow_hi[n_allow] = A(3); n_allow++; }
		reply_ret(o, 0);
	} else if (!strcmp(op, "fill")) {
		fill(o, (long)A(2), A(3));
	} else if (!strcmp(op, "count")) {
		reply_ret(o, count_vmas());
	} else if (!strcmp(op, "getbrk")) {
		reply_ret(o, (long)heap_base);
	} else if (!strcmp(op, "heapinit")) {
		// Give the empty heap the engine's initial size (and fault it in, as a used heap is).
		uint64_t size = A(2);
		long r = sys(SYS_brk, heap_base + size, 0, 0, 0, 0, 0);
		if (size && A(3)) memset((void *)(uintptr_t)heap_base, 0, size);
		reply_ret(o, r);
	} else if (!strcmp(op, "mkfile")) {
		// A file the engine treats as existing: create it (one MiB of zeroes) if missing.
		int fd = open(argv[2], O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0) return reply_ret(o, -errno);
		struct stat st;
		if (fstat(fd, &st) == 0 && st.st_size == 0 && ftruncate(fd, 1 << 20)) { close(fd); return reply_ret(o, -errno); }
		close(fd);
		reply_ret(o, 0);
	} else if (!strcmp(op, "mremap_noexpand")) {
		// Could the kernel resize in place (no MREMAP_MAYMOVE)? Expected: no (ENOMEM).
		uint64_t old = A(2), ol = A(3), nl = A(4);
		if (touches_foreign(old, old + (ol > nl ? ol : nl))) return unsafe(o, "mremap-of-replayer");
		reply_ret(o, sys(SYS_mremap, old, ol, nl, 0, 0, 0));
	} else if (!strcmp(op, "dump")) {
		uint64_t lo[MAX_ARGS / 2], hi[MAX_ARGS / 2];
		int nr = 0;
		int stack = 0, i = 2;
		if (argc > 2 && !strcmp(argv[2], "stack")) { stack = 1; i = 3; }
		for (; i + 1 < argc && nr < MAX_ARGS / 2; i += 2) { lo[nr] = A(i); hi[nr] = A(i + 1); nr++; }
		dump(o, nr, lo, hi, stack);
		reply_ret(o, 0);
	} else if (!strcmp(op, "execve")) {
		// execve(2) of the replayer itself: a fresh address space (MMF_VM_MERGE_ANY survives on
		// 6.7+, as for any program). The new image answers; fds stay open, as in the kernel.
		char slot[16], cfd[16], rfd[16];
		char *args[] = { "replay", "--exec-slot", slot, cfd, rfd, NULL };
		snprintf_int(slot, my_slot); snprintf_int(cfd, cmd_pipe[my_slot][0]); snprintf_int(rfd, resp_pipe[my_slot][1]);
		flush_out(o);
		execve("/proc/self/exe", args, environ);
		reply_ret(o, -errno);
	} else if (!strcmp(op, "fork")) {
		int slot = (int)A(2);
		if (slot <= 0 || slot >= MAX_SLOTS) return unsafe(o, "bad-slot");
		pid_t pid = fork();
		if (pid == 0) { my_slot = slot; worker_loop(); _exit(0); }
		reply_ret(o, pid < 0 ? -errno : pid);
	} else {
		unsafe(o, "unknown-op");
	}
#undef A
}

static uint64_t read_start_brk(void) {
	// mm->start_brk is field 47 of /proc/self/stat (after the ')' of comm).
	char buf[1024];
	if (read_file("/proc/self/stat", buf, sizeof(buf)) < 0) return 0;
	char *p = strrchr(buf, ')');
	for (int field = 2; p && field < 47; field++) p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

static void worker_loop(void) {
	static char line[LINE_MAX_LEN];
	static char *argv[MAX_ARGS];
	in_worker.fd = cmd_pipe[my_slot][0]; in_worker.pos = in_worker.len = 0;
	out_worker.fd = resp_pipe[my_slot][1]; out_worker.len = 0;
	for (;;) {
		if (get_line(&in_worker, line, &out_worker) < 0) _exit(0);
		int argc = split(line, argv);
		if (argc < 2) { puts_(&out_worker, "= unsafe empty\n"); continue; }
		if (!strcmp(argv[1], "exit")) {
			prctl(PR_SET_MEMORY_MERGE, 0, 0, 0, 0);   // hygiene: the process exits anyway
			puts_(&out_worker, "= ok 0\n");
			flush_out(&out_worker);
			_exit(0);
		}
		do_op(&out_worker, argc, argv);
		flush_out(&out_worker);
	}
}

/* ---------- master ---------- */

static int start_worker(void) {
	pid_t pid = fork();
	if (pid < 0) return -errno;
	if (pid == 0) {
		my_slot = 0;
		n_allow = 0;
		heap_base = read_start_brk();
		worker_loop();
		_exit(0);
	}
	slot_pid[0] = pid;
	return pid;
}

static void reap(int block_for_all) {
	int st;
	for (;;) {
		pid_t p = waitpid(-1, &st, block_for_all ? 0 : WNOHANG);
		if (p <= 0) return;
	}
}

// Forwards one request to its slot and copies the answer to stdout (unless `print` is 0).
// The final "= ..." line is kept in `last_answer` (the caller may need it: fork's pid). Nothing
// here may look back into out_master: it can be flushed at any put().
static char last_answer[LINE_MAX_LEN];

static void route(int slot, const char *line, int print) {
	struct out *o = &out_master;
	last_answer[0] = 0;
	if (slot < 0 || slot >= MAX_SLOTS || !slot_pid[slot]) { if (print) puts_(o, "= dead no-such-slot\n"); return; }
	size_t n = strlen(line);
	static char req[LINE_MAX_LEN + 2];
	memcpy(req, line, n); req[n] = '\n';
	ssize_t w = write(cmd_pipe[slot][1], req, n + 1);
	if (w != (ssize_t)(n + 1)) { if (print) puts_(o, "= dead write\n"); return; }
	static struct in rin;
	static char rline[LINE_MAX_LEN];
	rin.fd = resp_pipe[slot][0];
	rin.pos = rin.len = 0;   // a slot answers only what it was asked: nothing is buffered ahead
	for (;;) {
		long l = get_line(&rin, rline, NULL);
		if (l < 0) { slot_pid[slot] = 0; if (print) puts_(o, "= dead eof\n"); return; }
		if (print) { puts_(o, rline); putc_(o, '\n'); }
		if (rline[0] == '=') { memcpy(last_answer, rline, (size_t)l + 1); break; }
	}
}

// Every worker of the sequence exits (children first); their answers are not printed.
static void end_all(void) {
	for (int s = MAX_SLOTS - 1; s >= 0; s--) {
		if (!slot_pid[s]) continue;
		route(s, "0 exit", 0);
		slot_pid[s] = 0;
	}
	reap(0);
}

int main(int main_argc, char **main_argv) {
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	// A worker that ran "execve": the new image serves the same slot over the inherited pipes
	// and answers the execve request itself.
	if (main_argc == 5 && !strcmp(main_argv[1], "--exec-slot")) {
		my_slot = atoi(main_argv[2]);
		cmd_pipe[my_slot][0] = atoi(main_argv[3]);
		resp_pipe[my_slot][1] = atoi(main_argv[4]);
		heap_base = read_start_brk();
		ssize_t w = write(resp_pipe[my_slot][1], "= ok 0\n", 7);
		(void)w;
		worker_loop();
		_exit(0);
	}
	// Orphaned grandchildren (fork scenarios) are reparented here and reaped.
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	initial_brk = (uintptr_t)syscall(SYS_brk, 0);
	for (int i = 0; i < MAX_SLOTS; i++) {
		if (pipe2(cmd_pipe[i], 0) || pipe2(resp_pipe[i], 0)) return 2;
	}
	in_master.fd = 0; out_master.fd = 1;
	static char line[LINE_MAX_LEN];
	static char copy[LINE_MAX_LEN];
	static char *argv[MAX_ARGS];
	for (;;) {
		if (get_line(&in_master, line, &out_master) < 0) break;
		memcpy(copy, line, sizeof(copy));
		int argc = split(copy, argv);
		if (argc < 2) { puts_(&out_master, "= unsafe empty\n"); continue; }
		int slot = atoi(argv[0]);
		const char *op = argv[1];
		if (!strcmp(op, "begin")) {
			end_all();   // a sequence that did not "end" must not share slot 0's pipe
			int r = start_worker();
			reply_ret(&out_master, r);
		} else if (!strcmp(op, "spawn")) {
			// Another process from the pristine master (a second spawn() in the trace).
			if (slot <= 0 || slot >= MAX_SLOTS || slot_pid[slot]) { puts_(&out_master, "= unsafe bad-slot\n"); continue; }
			pid_t pid = fork();
			if (pid == 0) { my_slot = slot; n_allow = 0; heap_base = read_start_brk(); worker_loop(); _exit(0); }
			if (pid > 0) slot_pid[slot] = pid;
			reply_ret(&out_master, pid < 0 ? -errno : pid);
		} else if (!strcmp(op, "end")) {
			end_all();
			reply_ret(&out_master, 0);
		} else if (!strcmp(op, "ping")) {
			reply_ret(&out_master, (long)initial_brk);
		} else {
			if (!strcmp(op, "fork")) {
				int child = atoi(argc > 2 ? argv[2] : "0");
				route(slot, line, 1);
				// The answer is "= ok <pid hex>".
				if (!strncmp(last_answer, "= ok ", 5) && child > 0 && child < MAX_SLOTS) slot_pid[child] = (pid_t)strtol(last_answer + 5, NULL, 16);
			} else {
				route(slot, line, 1);
			}
		}
	}
	for (int s = MAX_SLOTS - 1; s >= 0; s--) if (slot_pid[s]) kill(slot_pid[s], SIGKILL);
	reap(1);
	flush_out(&out_master);
	return 0;
}
