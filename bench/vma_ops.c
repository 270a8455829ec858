/*
 * The kernel side of `npm run bench`: build an address space of N VMAs (2-page VMAs of
 * alternating protection inside one reservation), then time a deterministic mix of
 * mprotect/munmap/mmap calls that split and re-merge them. The engine runs the same
 * sequence (bench/vma_ops.ts); both use the same LCG.
 * Usage: vma_ops NVMAS OPS [WINDOW]  → prints "setup_ns ops_ns calls final_map_count"
 * WINDOW: touch only the first WINDOW VMAs (default: all), so that the address space keeps its
 * size while the memory the calls touch is that of a small one.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define PG 4096UL

static unsigned long long seed = 42;
static unsigned long lcg(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned long)(seed >> 33);
}

static long long now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0, c;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	long nvmas = atol(argv[1]), ops = atol(argv[2]);
	long window = argc > 3 ? atol(argv[3]) : nvmas;
	unsigned long pages = nvmas * 2, calls = 0, span = (window < nvmas ? window : nvmas) * 2;
	/* The random sequence is drawn before the clock starts, as the engine side does. */
	unsigned long *draws = malloc(2 * ops * sizeof(*draws));
	if (!draws) { perror("malloc"); return 1; }
	for (long i = 0; i < 2 * ops; i++)
		draws[i] = lcg();
	long long t0 = now();
	char *base = mmap(NULL, pages * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) { perror("mmap"); return 1; }
	for (unsigned long v = 1; v < (unsigned long)nvmas; v += 2)
		if (mprotect(base + v * 2 * PG, 2 * PG, PROT_READ | PROT_WRITE)) { perror("mprotect"); return 1; }
	long long t1 = now();
	for (long i = 0; i < ops; i++) {
		unsigned long page = 2 + draws[2 * i] % (span - 4);
		int prot = (page / 2) % 2 ? PROT_READ | PROT_WRITE : PROT_READ;
		char *a = base + page * PG;
		switch (draws[2 * i + 1] % 3) {
		case 0:
			mprotect(a, PG, PROT_READ | PROT_WRITE | PROT_EXEC);
			mprotect(a, PG, prot);
			break;
		case 1:
			munmap(a, PG);
			mmap(a, PG, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
			break;
		default:
			mmap(a, PG, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
			mmap(a, PG, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
			break;
		}
		calls += 2;
	}
	long long t2 = now();
	printf("%lld %lld %lu %d\n", t1 - t0, t2 - t1, calls, count_maps());
	return 0;
}
