/*
** nsm_part_test.h: what the tests of partial results share (test_partial, test_story): a part's
** bytes read back as a merge reads a shard's file. Include after nsm_test.h.
*/
#ifndef NSM_PART_TEST_H
#define NSM_PART_TEST_H

#include "neasim/status.h"
#include "neasim/partial.h"

/* The part w, written, then opened again from its bytes as file `name`; fails the test with the
** reader's message if it refuses them. */
static inline nsm_part *nsm_test_reopen(const nsm_part *w, const char *name)
{
    size_t n;
    const unsigned char *b = nsm_part_bytes(w, &n);
    nsm_part *r = NULL;
    nsm_diag d;
    nsm_diag_init(&d);
    if (nsm_part_open(b, n, name, &r, &d) != NSM_OK)
        fail_msg("%s", d.error);
    nsm_diag_release(&d);
    return r;
}

#endif
