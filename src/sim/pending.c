/*
** pending.c: the queue of delayed effects (and of the ends of durations, internal.h), a binary min-heap ordered by (due time, order of
** scheduling), so that effects due at the same instant run first in, first out.
*/
#include <stdlib.h>

#include "sim/internal.h"

int nsmi_pending_init(nsm_pending *q)
{
    q->cap = 16;
    q->n = 0;
    q->next_seq = 0;
    q->items = malloc((size_t)q->cap * sizeof *q->items);
    return q->items ? 0 : -1;
}

void nsmi_pending_release(nsm_pending *q)
{
    free(q->items);
    q->items = NULL;
    q->n = q->cap = 0;
}

void nsmi_pending_clear(nsm_pending *q)
{
    q->n = 0;
    q->next_seq = 0;
}

static int before(const nsm_pending_item *a, const nsm_pending_item *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void swap(nsm_pending_item *a, nsm_pending_item *b)
{
    nsm_pending_item tmp = *a;
    *a = *b;
    *b = tmp;
}

static int push(nsm_pending *q, nsm_pending_item x)
{
    if (q->n == q->cap) {
        nsm_pending_item *items = realloc(q->items, 2 * (size_t)q->cap * sizeof *items);
        if (!items)
            return -1;
        q->items = items;
        q->cap *= 2;
    }
    int i = q->n++;
    x.seq = q->next_seq++;
    q->items[i] = x;
    while (i > 0 && before(&q->items[i], &q->items[(i - 1) / 2])) {
        swap(&q->items[i], &q->items[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    return 0;
}

int nsmi_pending_push(nsm_pending *q, double t, int effect)
{
    return push(q, (nsm_pending_item){t, 0, effect, 0});
}

int nsmi_pending_push_end(nsm_pending *q, double t, int transition, uint32_t stamp)
{
    return push(q, (nsm_pending_item){t, 0, -1 - transition, stamp});
}

nsm_pending_item nsmi_pending_pop(nsm_pending *q)
{
    nsm_pending_item top = q->items[0];
    q->items[0] = q->items[--q->n];
    for (int i = 0;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < q->n && before(&q->items[l], &q->items[m]))
            m = l;
        if (r < q->n && before(&q->items[r], &q->items[m]))
            m = r;
        if (m == i)
            break;
        swap(&q->items[i], &q->items[m]);
        i = m;
    }
    return top;
}
