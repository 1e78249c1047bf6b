/* The reference model of the vm_random suite: address spaces as plain
 * arrays of page states over a small window, with the contract of
 * <kernel/vm/vm.h> written out page by page. It predicts what each operation
 * and each access must do, and it knows what every page must contain: the
 * pattern the test last wrote there, zeros, or (for memory that is merely
 * erased) something that is no other address space's erasable data. */
#ifndef TEST_VM_MODEL_H
#define TEST_VM_MODEL_H

#include "vmtest.h"

#include <stdint.h>

#define M_SPACES_MAX 3

enum mstate { M_FREE, M_RESERVED, M_COMMITTED, M_MAPPED };

enum mcontent {
    C_UNKNOWN, /* erased, or a no-erase page reused as it is */
    C_ZERO,    /* alloc-zero, not written since */
    C_STAMP,   /* the test's pattern `stamp` */
};

struct mpage {
    uint8_t state;    /* enum mstate */
    uint8_t prot;     /* AS_PROT_*: committed and mapped pages */
    uint8_t content;  /* enum mcontent, when resident */
    bool resident;    /* committed: has its frame; mapped: has a private copy */
    uint32_t flags;   /* AS_COMMIT_* (committed) or AS_MAP_* (mapped) */
    uint32_t sec;     /* section id (index into model.secs), 0: none */
    uint32_t stamp;   /* C_STAMP */
    uint32_t src_gen; /* mapped: the source's generation when mapped */
    uint32_t src_page;
    uint8_t src; /* mapped: index of the source space */
};

struct msection {
    size_t base, npages; /* in pages of the window */
};

struct mspace {
    struct as as;
    unsigned index;
    uint32_t gen; /* bumped when the space is destroyed and made again */
    struct mpage *pages;
    size_t reserved, committed, resident; /* what the as counters must say */
};

struct model {
    unsigned seed;
    unsigned long op;
    char what[160]; /* the operation being checked, for messages */
    vaddr_t lo;
    size_t npages;
    unsigned nspaces;
    struct mspace sp[M_SPACES_MAX];
    struct msection *secs;
    size_t nsecs, secs_cap;
    uint32_t next_stamp;
    unsigned long succeeded, failed, settled; /* operations, for the summary */
    unsigned long accesses, accesses_ok;
};

/* Every failure message names the seed, the operation index and what the
 * operation was, so a failure can be replayed. */
#define MASSERT(m, cond, fmt, ...)                                                                 \
    do {                                                                                           \
        if (!(cond))                                                                               \
            cr_assert_fail("seed %u op %lu [%s]: " fmt, (m)->seed, (m)->op, (m)->what,             \
                           ##__VA_ARGS__);                                                         \
    } while (0)

/* An operation, as the model applies it to one page. */
enum mop_kind { OP_RESERVE, OP_COMMIT, OP_DECOMMIT, OP_PROTECT, OP_DEALLOCATE, OP_MAP };

struct mop {
    enum mop_kind kind;
    uint32_t prot, flags; /* commit: AS_COMMIT_*; map: AS_MAP_* */
    uint32_t sec;         /* reserve */
    unsigned src;         /* map: source space and its first page */
    size_t src_page0, page0;
};

void model_init(struct model *m, unsigned seed, unsigned nspaces, size_t npages);
void model_fini(struct model *m);
/* Destroy space s and make it again, empty, under a new generation. */
void model_recreate(struct model *m, unsigned s);

static inline vaddr_t page_va(const struct model *m, size_t i)
{
    return m->lo + i * PAGE_SIZE;
}

/* Index of the page holding va, or m->npages if outside the window. */
size_t model_page(const struct model *m, vaddr_t va);
uint32_t model_new_section(struct model *m, size_t base, size_t npages);
void model_apply_page(struct model *m, struct mspace *s, size_t i, const struct mop *op);
void model_apply(struct model *m, struct mspace *s, size_t i0, size_t n, const struct mop *op);

/* After a failed non-atomic operation: every page of the range must show,
 * through Query, either its old state or the one the operation gives; the
 * model takes what each page shows. */
void model_settle(struct model *m, struct mspace *s, size_t i0, size_t n, const struct mop *op);

/* First fit of n free pages (what AS_ANYWHERE picks); m->npages if none. */
size_t model_find_free(const struct model *m, const struct mspace *s, size_t n);

/* Query's answer for page i, from the model. */
ADDR_REGION_INFO model_query(const struct model *m, const struct mspace *s, size_t i);

/* The source space of mapped page p, if it still exists. */
struct mspace *model_source(struct model *m, const struct mpage *p);

/* Where a chain of mappings from page i of s (mapped, no private copy)
 * leads, as kernel/vm/chain.c walks it for an access: the page reached
 * (resident, or auto-commit not yet touched; bs NULL: an invalid source),
 * the rights gathered on the way, the first copy-on-write link that takes
 * a write, and whether some link was a no-exception one. */
struct mchain {
    struct mspace *bs;
    size_t bi;
    uint32_t prot;
    struct mspace *cow_s;
    size_t cow_i;
    bool no_exception;
};
void model_chain(struct model *m, struct mspace *s, size_t i, uint32_t access, struct mchain *c);

/* The rights a processor may use on page i without any fault now: what a
 * VTLB entry for it may allow at most. */
uint32_t model_rights(struct model *m, struct mspace *s, size_t i);

/* as_check, and the space's counters against the model's. */
void model_check_counters(struct model *m, struct mspace *s);
/* Query(va) against the model; the whole window, run by run. */
void model_check_query(struct model *m, struct mspace *s, vaddr_t va);
void model_check_query_map(struct model *m, struct mspace *s);

/* Every valid VTLB entry belongs to a live space, allows no more than the
 * model does, and agrees with vtlb_miss on the frame (vm_check_vtlb,
 * with the model's rights on top). */
void model_check_vtlb(struct model *m);

/* One access to va by the simulated processor (model_access.c): predict
 * it (fail_k: the injected allocation failure, 0 for none), perform it,
 * compare, check what it reads and, for a write, write a new stamp. */
void model_access(struct model *m, struct mspace *s, vaddr_t va, uint32_t access,
                  unsigned long fail_k);

/* Contents: fill a page with a new stamp, and check a page against what
 * the model says it holds. */
void content_write(struct model *m, uint8_t *page, struct mpage *p, bool noerase);
void content_check(struct model *m, const uint8_t *page, const struct mpage *p);

#endif
