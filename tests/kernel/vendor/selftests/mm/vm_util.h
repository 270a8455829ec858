/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of tools/testing/selftests/mm/vm_util.h (Linux 6.18.2, github.com/gfunkmonk/linux-6.18.2)
 * that merge.c's fixture uses: psize() and the PROCMAP_QUERY helpers, verbatim. The rest of the
 * upstream file (uffd, THP, pagemap, sysfs helpers) is left out; a test exported by Mergeable
 * needs only these. vm_util.c next to this file holds the matching functions.
 */
#include <stdint.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <err.h>
#include <stdarg.h>
#include <strings.h> /* ffsl() */
#include <unistd.h> /* _SC_PAGESIZE */
#include "../kselftest.h"
#include <linux/fs.h>
#include "../../linux-uapi-6.18.h" /* Mergeable: PROCMAP_QUERY, PR_SET_MEMORY_MERGE for 6.1 libc headers */

extern unsigned int __page_size;
extern unsigned int __page_shift;

/*
 * Represents an open fd and PROCMAP_QUERY state for binary (via ioctl)
 * /proc/$pid/[s]maps lookup.
 */
struct procmap_fd {
	int fd;
	struct procmap_query query;
};

static inline unsigned int psize(void)
{
	if (!__page_size)
		__page_size = sysconf(_SC_PAGESIZE);
	return __page_size;
}

int open_procmap(pid_t pid, struct procmap_fd *procmap_out);
int query_procmap(struct procmap_fd *procmap);
bool find_vma_procmap(struct procmap_fd *procmap, void *address);
int close_procmap(struct procmap_fd *procmap);

static inline int open_self_procmap(struct procmap_fd *procmap_out)
{
	pid_t pid = getpid();

	return open_procmap(pid, procmap_out);
}
