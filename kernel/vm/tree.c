/* The AVL tree of regions, ordered by start address. Regions never
 * overlap, so "the region holding va" is a plain descent. Recursive
 * insert and remove keep the code short; the depth is bounded by about
 * 1.44 log2(n). */
#include "region.h"

static int height(const struct region *r)
{
    return r ? r->height : 0;
}

static void update(struct region *r)
{
    int l = height(r->left), h = height(r->right);
    r->height = (int8_t)(1 + (l > h ? l : h));
}

static struct region *rotate_right(struct region *r)
{
    struct region *l = r->left;
    r->left = l->right;
    l->right = r;
    update(r);
    update(l);
    return l;
}

static struct region *rotate_left(struct region *r)
{
    struct region *x = r->right;
    r->right = x->left;
    x->left = r;
    update(r);
    update(x);
    return x;
}

static struct region *rebalance(struct region *r)
{
    update(r);
    int balance = height(r->left) - height(r->right);
    if (balance > 1) {
        if (height(r->left->left) < height(r->left->right))
            r->left = rotate_left(r->left);
        return rotate_right(r);
    }
    if (balance < -1) {
        if (height(r->right->right) < height(r->right->left))
            r->right = rotate_right(r->right);
        return rotate_left(r);
    }
    return r;
}

static struct region *insert(struct region *t, struct region *r)
{
    if (!t)
        return r;
    if (r->start < t->start)
        t->left = insert(t->left, r);
    else
        t->right = insert(t->right, r);
    return rebalance(t);
}

void tree_insert(struct region **root, struct region *r)
{
    r->left = r->right = 0;
    r->height = 1;
    *root = insert(*root, r);
}

/* Detach the smallest node of t into *min; returns the rest. */
static struct region *remove_min(struct region *t, struct region **min)
{
    if (!t->left) {
        *min = t;
        return t->right;
    }
    t->left = remove_min(t->left, min);
    return rebalance(t);
}

static struct region *remove(struct region *t, struct region *r)
{
    if (!t)
        panic("vm: removing a region that is not in the tree");
    if (r->start < t->start) {
        t->left = remove(t->left, r);
    } else if (r->start > t->start) {
        t->right = remove(t->right, r);
    } else {
        if (!t->right)
            return t->left;
        struct region *min;
        struct region *rest = remove_min(t->right, &min);
        min->left = t->left;
        min->right = rest;
        return rebalance(min);
    }
    return rebalance(t);
}

void tree_remove(struct region **root, struct region *r)
{
    *root = remove(*root, r);
    r->left = r->right = 0;
}

struct region *tree_lookup(struct region *t, vaddr_t va)
{
    while (t) {
        if (va < t->start)
            t = t->left;
        else if (va >= region_end(t))
            t = t->right;
        else
            return t;
    }
    return 0;
}

struct region *tree_ceil(struct region *t, vaddr_t va)
{
    struct region *best = 0;
    while (t) {
        if (region_end(t) > va) {
            best = t;
            t = t->left;
        } else {
            t = t->right;
        }
    }
    return best;
}

struct region *tree_floor(struct region *t, vaddr_t va)
{
    struct region *best = 0;
    while (t) {
        if (t->start <= va) {
            best = t;
            t = t->right;
        } else {
            t = t->left;
        }
    }
    return best;
}

/* Check one subtree: heights, balance, order within (lo, hi). */
static size_t check(const struct region *t, vaddr_t lo, vaddr_t hi)
{
    if (!t)
        return 0;
    if (t->npages == 0 || t->start < lo || region_end(t) > hi || region_end(t) < t->start)
        panic("vm: region %#lx+%zu pages out of order or bounds [%#lx, %#lx)",
              (unsigned long)t->start, t->npages, (unsigned long)lo, (unsigned long)hi);
    size_t n = 1 + check(t->left, lo, t->start) + check(t->right, region_end(t), hi);
    int l = height(t->left), h = height(t->right);
    if (t->height != 1 + (l > h ? l : h) || l - h > 1 || h - l > 1)
        panic("vm: AVL node %#lx: height %d, children %d and %d", (unsigned long)t->start,
              t->height, l, h);
    return n;
}

size_t tree_check(const struct region *root, vaddr_t lo, vaddr_t hi)
{
    return check(root, lo, hi);
}
