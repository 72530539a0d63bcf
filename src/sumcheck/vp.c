#include "vp.h"

#include <string.h>

#include "../poly/mle.h"

#define VP_PAR_MIN (1u << 12)

unsigned vp_degree(const vp_term *terms, unsigned nterms) {
    unsigned d = 1;
    for (unsigned t = 0; t < nterms; t++)
        if (terms[t].k > d) d = terms[t].k;
    return d;
}

fp2 vp_combine(const vp_term *terms, unsigned nterms, const fp2 *vals) {
    fp2 s = fp2_zero();
    for (unsigned t = 0; t < nterms; t++) {
        fp2 p = terms[t].c;
        for (unsigned j = 0; j < terms[t].k; j++) p = fp2_mul(p, vals[terms[t].t[j]]);
        s = fp2_add(s, p);
    }
    return s;
}

/* g(X) for X = 0, 2, ..., d (slot 1 unused): sum over i < h of the terms
 * with every table restricted to the line T[i] + X (T[i+h] - T[i]). */
static void vp_round(fp2 g[SC_MAX_DEGREE + 1], fp2 *const *tables, unsigned ntab, const vp_term *terms,
                     unsigned nterms, unsigned d, size_t h) {
    for (unsigned X = 0; X <= d; X++) g[X] = fp2_zero();
#pragma omp parallel if (h >= VP_PAR_MIN)
    {
        fp2 loc[SC_MAX_DEGREE + 1];
        for (unsigned X = 0; X <= d; X++) loc[X] = fp2_zero();
        fp2 *val = zk_malloc_n((size_t)ntab * (SC_MAX_DEGREE + 1), sizeof *val);
        uint8_t *used = zk_calloc(ntab, 1);
        for (unsigned t = 0; t < nterms; t++)
            for (unsigned j = 0; j < terms[t].k; j++) used[terms[t].t[j]] = 1;
#pragma omp for schedule(static)
        for (size_t i = 0; i < h; i++) {
            for (unsigned j = 0; j < ntab; j++) {
                if (!used[j]) continue;
                fp2 *v = val + (size_t)j * (SC_MAX_DEGREE + 1);
                fp2 a = tables[j][i], b = tables[j][i + h], df = fp2_sub(b, a);
                v[0] = a;
                v[1] = b;
                for (unsigned X = 2; X <= d; X++) v[X] = fp2_add(v[X - 1], df);
            }
            for (unsigned t = 0; t < nterms; t++) {
                const vp_term *tm = &terms[t];
                for (unsigned X = 0; X <= d; X++) {
                    if (X == 1) continue;
                    fp2 p = val[(size_t)tm->t[0] * (SC_MAX_DEGREE + 1) + X];
                    for (unsigned j = 1; j < tm->k; j++)
                        p = fp2_mul(p, val[(size_t)tm->t[j] * (SC_MAX_DEGREE + 1) + X]);
                    loc[X] = fp2_add(loc[X], fp2_mul(p, tm->c));
                }
            }
        }
#pragma omp critical(vp_round)
        for (unsigned X = 0; X <= d; X++) g[X] = fp2_add(g[X], loc[X]);
        free(val);
        free(used);
    }
}

/* The step of vp_prove (sc_rounds): bind every table, then sum. */
typedef struct {
    fp2 *const *tables;
    unsigned ntab, nterms, d;
    const vp_term *terms;
} vp_ctx;

static void vp_step(void *ctx, fp2 *g, size_t h, const fp2 *r) {
    const vp_ctx *t = ctx;
    if (r)
        for (unsigned j = 0; j < t->ntab; j++) mle_fold(t->tables[j], h ? 2 * h : 1, *r);
    if (h) vp_round(g, t->tables, t->ntab, t->terms, t->nterms, t->d, h);
}

void vp_prove(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const *tables, unsigned ntab, const vp_term *terms,
              unsigned nterms, unsigned n, fp2 claim) {
    unsigned d = vp_degree(terms, nterms);
    ZK_CHECK(d <= SC_MAX_DEGREE);
    for (unsigned t = 0; t < nterms; t++) {
        ZK_CHECK(terms[t].k >= 1 && terms[t].k <= 3);
        for (unsigned j = 0; j < terms[t].k; j++) ZK_CHECK(terms[t].t[j] < ntab);
    }
    vp_ctx t = {.tables = tables, .ntab = ntab, .nterms = nterms, .d = d, .terms = terms};
    sc_rounds(tr, point, n, d, claim, vp_step, &t);
    for (unsigned j = 0; j < ntab; j++) finals[j] = tables[j][0];
}
