/*
 * memory.c: linear memories.
 *
 * Every 32-bit memory reserves MEM_RESERVE bytes of address space up front,
 * of which only the first `size` bytes are readable and writable. A 32-bit
 * address plus a 32-bit static offset always lands inside the reservation,
 * so the loads and stores of memory 0 need no bounds check: an access past
 * the end faults, and the interpreter's SIGSEGV handler asks
 * mem_owns_address whether the fault belongs to a guest. A 64-bit memory
 * reserves its effective maximum, without a guard: every access to it is
 * checked before it is made, so it never faults and is not registered
 * here. The base never moves.
 *
 * A memory is either anonymous or backed by a memfd mapped MAP_SHARED, so a
 * second process (the broker) can map the same pages.
 */
#include <errno.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime.h"

/* Live reservations, for the signal handler. Slots are claimed with a
 * compare-and-swap and read without locks, so the handler can scan them at
 * any moment. */
#define MEM_MAX_LIVE 16384
static _Atomic(uintptr_t) mem_live[MEM_MAX_LIVE];

static bool mem_register(uint8_t *base)
{
	for (size_t i = 0; i < MEM_MAX_LIVE; i++) {
		uintptr_t expect = 0;
		if (atomic_compare_exchange_strong(&mem_live[i], &expect, (uintptr_t)base))
			return true;
	}
	return false;
}

static void mem_unregister(uint8_t *base)
{
	for (size_t i = 0; i < MEM_MAX_LIVE; i++) {
		if (atomic_load(&mem_live[i]) == (uintptr_t)base) {
			atomic_store(&mem_live[i], 0);
			return;
		}
	}
}

bool mem_owns_address(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;
	for (size_t i = 0; i < MEM_MAX_LIVE; i++) {
		uintptr_t b = atomic_load_explicit(&mem_live[i], memory_order_relaxed);
		if (b && a >= b && a - b < MEM_RESERVE + MEM_TAIL)
			return true;
	}
	return false;
}

/* Make bytes [0, bytes) of the reservation accessible. */
static bool mem_map_prefix(wr_memory *m, uint64_t bytes)
{
	if (bytes == 0)
		return true;
	if (m->fd >= 0) {
		void *p = mmap(m->base, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, m->fd, 0);
		return p != MAP_FAILED;
	}
	return mprotect(m->base, bytes, PROT_READ | PROT_WRITE) == 0;
}

/* Size the memfd behind m to `bytes`, through the resize hook if set. */
static bool mem_resize_fd(wr_memory *m, uint64_t bytes)
{
	if (m->resize)
		return m->resize(m, bytes, m->resize_user);
	return ftruncate(m->fd, (off_t)bytes) == 0;
}

/* The address space a memory reserves: the guarded MEM_RESERVE for a
 * 32-bit memory, its maximum (at least a page) for a 64-bit one. */
static uint64_t mem_reservation(const wr_limits *decl, uint64_t max_pages)
{
	if (!decl->addr64)
		return MEM_RESERVE + MEM_TAIL;
	return max_pages ? max_pages * MEM_PAGE : MEM_PAGE;
}

bool mem_init(wr_memory *m, const wr_limits *decl, uint64_t max_pages, int fd)
{
	m->decl = *decl;
	m->max_pages = max_pages;
	m->fd = fd;
	m->size = 0;
	if (decl->min > max_pages || (!decl->addr64 && max_pages > 65536) ||
	    max_pages > (UINT64_MAX - MEM_TAIL) / MEM_PAGE)
		return false;
	m->reserved = mem_reservation(decl, max_pages);
	void *p = mmap(NULL, m->reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return false;
	m->base = p;
	uint64_t bytes = decl->min * MEM_PAGE;
	if ((fd >= 0 && !mem_resize_fd(m, bytes)) || !mem_map_prefix(m, bytes) ||
	    (!decl->addr64 && !mem_register(m->base))) {
		munmap(m->base, m->reserved);
		m->base = NULL;
		return false;
	}
	m->size = bytes;
	return true;
}

void mem_release(wr_memory *m)
{
	if (!m->base)
		return;
	if (!m->decl.addr64)
		mem_unregister(m->base);
	munmap(m->base, m->reserved);
	m->base = NULL;
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}

int64_t mem_grow(wr_memory *m, uint64_t delta)
{
	uint64_t old = m->size / MEM_PAGE;
	if (delta > m->max_pages - old)
		return -1;
	if (delta == 0)
		return (int64_t)old;
	uint64_t bytes = (old + delta) * MEM_PAGE;
	if (m->fd >= 0 && !mem_resize_fd(m, bytes))
		return -1;
	if (!mem_map_prefix(m, bytes))
		return -1;
	m->size = bytes;
	return (int64_t)old;
}
