/*
 * ksm_helper: a process whose memory the KSM conformance tests drive (tests/ksm/kernel.test.ts).
 * One anonymous private region; commands on stdin, one reply line each on stdout:
 *   map N                 mmap N pages (PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS), MADV_NOHUGEPAGE
 *   fill I COUNT BYTE     memset pages [I, I+COUNT) to BYTE (each page is written: faulted in)
 *   madv I COUNT ADVICE   madvise(MADV_MERGEABLE=12 / MADV_UNMERGEABLE=13 / MADV_DONTNEED=4)
 *   fork                  fork a child that sleeps until its parent dies; replies with its pid
 *   prctl V               prctl(PR_SET_MEMORY_MERGE, V)
 *   unmergeall            MADV_UNMERGEABLE on every VMA whose smaps VmFlags show mg; replies with their count
 *   exec                  execve() itself (/proc/self/exe): the new image replies "ok" and takes further commands
 *   quit
 * Replies: "ok [value]" or "err <errno>".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef PR_SET_MEMORY_MERGE
#define PR_SET_MEMORY_MERGE 67
#endif

static char *region;
static long npages;
static long psize;
static pid_t child;

/* Opt every VMA that has VM_MERGEABLE out again: the ranges come from /proc/self/smaps. */
static int unmerge_all(void)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	unsigned long start = 0, end = 0;
	int n = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;

		/* A VMA's header line ("start-end perms ..."); field lines such as "Anonymous:" are not. */
		if (sscanf(line, "%lx-%lx ", &a, &b) == 2) {
			start = a;
			end = b;
			continue;
		}
		if (!strncmp(line, "VmFlags:", 8) && strstr(line, " mg")) {
			if (madvise((void *)start, end - start, MADV_UNMERGEABLE)) {
				fclose(f);
				return -errno;
			}
			n++;
		}
	}
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	char line[256];

	psize = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Re-executed by "exec": stdin/stdout are the same pipes; answer the exec. */
	if (argc > 1 && !strcmp(argv[1], "--execd"))
		printf("ok\n");
	while (fgets(line, sizeof(line), stdin)) {
		long a = 0, b = 0, c = 0;
		char cmd[32];

		if (sscanf(line, "%31s %ld %ld %ld", cmd, &a, &b, &c) < 1)
			continue;
		if (!strcmp(cmd, "map")) {
			region = mmap(NULL, a * psize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (region == MAP_FAILED) {
				printf("err %d\n", errno);
				continue;
			}
			npages = a;
			madvise(region, a * psize, MADV_NOHUGEPAGE);
			printf("ok %lx\n", (unsigned long)region);
		} else if (!strcmp(cmd, "fill")) {
			if (a < 0 || b < 0 || a + b > npages) {
				printf("err %d\n", EINVAL);
				continue;
			}
			memset(region + a * psize, (int)c, b * psize);
			printf("ok\n");
		} else if (!strcmp(cmd, "madv")) {
			if (madvise(region + a * psize, b * psize, (int)c))
				printf("err %d\n", errno);
			else
				printf("ok\n");
		} else if (!strcmp(cmd, "fork")) {
			pid_t pid = fork();

			if (pid == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				for (;;)
					pause();
			}
			child = pid;
			printf("ok %d\n", (int)pid);
		} else if (!strcmp(cmd, "prctl")) {
			if (prctl(PR_SET_MEMORY_MERGE, a, 0, 0, 0))
				printf("err %d\n", errno);
			else
				printf("ok\n");
		} else if (!strcmp(cmd, "unmergeall")) {
			int n = unmerge_all();

			if (n < 0)
				printf("err %d\n", -n);
			else
				printf("ok %d\n", n);
		} else if (!strcmp(cmd, "exec")) {
			char *args[] = { argv[0], "--execd", NULL };

			/* A forked child stays: PR_SET_PDEATHSIG kills it when this process (any image) exits. */
			execv("/proc/self/exe", args);
			printf("err %d\n", errno);
		} else if (!strcmp(cmd, "quit")) {
			break;
		} else {
			printf("err %d\n", EINVAL);
		}
	}
	if (child > 0)
		kill(child, SIGKILL);
	printf("ok\n");
	return 0;
}
