/* The x86 VTLB's per-space state (arch/x86/vtlb.c): the space's page
 * directory, a page of the bounded page-table pool, or none until the
 * space is first activated or entered into (and again after the pool
 * took the directory back). The kernel's space has none: its page tables
 * hang off every directory's kernel half. */
#ifndef ARCH_VTLB_H
#define ARCH_VTLB_H

struct x86_pt_page;

/* A list of pool pages (arch/x86/ptpool.c), oldest first. */
struct pt_list {
    struct x86_pt_page *head, *tail;
    unsigned count;
};

struct arch_vtlb_as {
    struct x86_pt_page *dir; /* NULL: no directory now */
    struct pt_list tables;   /* its page tables, those of a dropped directory included */
    unsigned dir_gen;        /* directories this space has lost */
};

/* The x86 VTLB's own counters. */
struct arch_vtlb_stats {
    uint64_t pt_recycles;     /* page-table pages taken from one use for another */
    unsigned pt_pages_in_use; /* page-table pages of the pool in use now */
};

#endif
