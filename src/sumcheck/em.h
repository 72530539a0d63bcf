/* em.h -- internal to src/sumcheck: the round wrapper of Libra's
 * evaluation masks and of an absorbed pool part (papers/protocol.md sec.
 * 9.8 (a), (d); vp.h states both for vp_prove_em), shared by every prover
 * whose step leaves its tables folded in place (vp.c, the dot product of
 * sc.c, the fraction layers of frac.c). Written once in vp.c.
 *
 * A prover fills an em_wrap with its tables (as the terms index them: at
 * the last round, h = 1, tables[k][0] and tables[k][1] must be table k at
 * x_0 = 0 and 1 after its step ran; with eq set, table e is eq(rho, .) and
 * never read), its terms, the masked flags and masks a, and the pool part
 * ab (NULL: none), and calls em_rounds in place of zsc_rounds with its own
 * step and f's true claim; then em_finals adds the masks to its finals. */
#ifndef GKRCNN_SUMCHECK_EM_H
#define GKRCNN_SUMCHECK_EM_H

#include "vp.h"
#include "zsc.h"

typedef struct {
    sc_step_fn step;
    void *ctx;
    fp2 *const *tables;
    const vp_term *terms;
    unsigned nterms, d, d0, n;
    const int *masked;
    const fp2 *a;
    int eq; /* vp_prove_eq: table e is eq(rho, .) */
    unsigned e;
    const fp2 *rho, *point;
    vp_absorb *ab;
} em_wrap;

/* The rounds (zsc_rounds_deg with vp_round_degrees_ab, or zsc_rounds when
 * nothing is masked or absorbed). Fills the wrapper's loop fields; sets
 * w->ab->ell. */
void em_rounds(tr_t *tr, fp2 *point, fp2 *gr, const zsc_mask *mask, unsigned n, fp2 claim, sc_step_fn step,
               void *ctx, em_wrap *w);
/* finals[j] += point_0 (1 - point_0) a[j] for the masked tables. */
void em_finals(fp2 *finals, unsigned ntab, const int *masked, const fp2 *a, const fp2 *point);

#endif
