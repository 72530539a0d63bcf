#include "frac.h"

#include "../poly/mle.h"

#define FRAC_PAR_MIN 4096

/* The step of sc_frac_prove (sc_rounds). el holds eq(r_<v, .) for the
 * round binding variable v (2^v entries); c the product of the factors
 * eq(r_u, r'_u) of the variables u > v already bound. */
typedef struct {
    fp2 *const *T;
    const fp2 *r;
    fp2 lam, c;
    fp2 *el;
    unsigned v; /* the variable the current round binds */
} sc_frac;

static void sc_frac_step(void *ctx, fp2 *g, size_t h, const fp2 *rb) {
    sc_frac *f = ctx;
    fp2 one = fp2_one();
    if (rb) { /* bind variable f->v (pairs 2h apart, or 1 in the last round) */
        size_t hb = h ? 2 * h : 1;
        fp2 e0 = fp2_sub(one, f->r[f->v]), de = fp2_sub(fp2_dbl(f->r[f->v]), one);
        f->c = fp2_mul(f->c, fp2_add(e0, fp2_mul(*rb, de)));
        for (int k = 0; k < 4; k++) mle_fold(f->T[k], hb, *rb);
        if (!h) return;
        f->v--;
        /* eq(r_<v, .) from eq(r_<v+1, .) by summing out variable v */
        for (size_t i = 0; i < h; i++) f->el[i] = fp2_add(f->el[i], f->el[i + h]);
    }
    ZK_CHECK(h == (size_t)1 << f->v);
    fp2 *const *T = f->T;
    const fp2 *el = f->el;
    fp2 lam = f->lam;
    fp2 G[3] = {fp2_zero(), fp2_zero(), fp2_zero()};
#pragma omp parallel if (h >= FRAC_PAR_MIN)
    {
        fp2 l0 = fp2_zero(), l1 = fp2_zero(), l2 = fp2_zero();
#pragma omp for schedule(static) nowait
        for (size_t i = 0; i < h; i++) {
            fp2 a0 = T[0][i], a1 = T[0][i + h], b0 = T[1][i], b1 = T[1][i + h];
            fp2 c0 = T[2][i], c1 = T[2][i + h], d0 = T[3][i], d1 = T[3][i + h];
            /* F = A D + C (B + lam D) at X = 0, 1, 2 */
            fp2 f0 = fp2_add(fp2_mul(a0, d0), fp2_mul(c0, fp2_add(b0, fp2_mul(lam, d0))));
            fp2 f1 = fp2_add(fp2_mul(a1, d1), fp2_mul(c1, fp2_add(b1, fp2_mul(lam, d1))));
            fp2 a2 = fp2_sub(fp2_dbl(a1), a0), b2 = fp2_sub(fp2_dbl(b1), b0);
            fp2 c2 = fp2_sub(fp2_dbl(c1), c0), d2 = fp2_sub(fp2_dbl(d1), d0);
            fp2 f2 = fp2_add(fp2_mul(a2, d2), fp2_mul(c2, fp2_add(b2, fp2_mul(lam, d2))));
            l0 = fp2_add(l0, fp2_mul(el[i], f0));
            l1 = fp2_add(l1, fp2_mul(el[i], f1));
            l2 = fp2_add(l2, fp2_mul(el[i], f2));
        }
#pragma omp critical(sc_frac_round)
        {
            G[0] = fp2_add(G[0], l0);
            G[1] = fp2_add(G[1], l1);
            G[2] = fp2_add(G[2], l2);
        }
    }
    /* G(3) = G(0) - 3 G(1) + 3 G(2); eq(r_v, X) = (1 - r_v) + X (2 r_v - 1) */
    fp2 G3 = fp2_add(G[0], fp2_mul_fm61(fp2_sub(G[2], G[1]), 3));
    fp2 ex = fp2_sub(one, f->r[f->v]), de = fp2_sub(fp2_dbl(f->r[f->v]), one);
    fp2 Gs[4] = {G[0], G[1], G[2], G3};
    for (int X = 0; X < 4; X++) { /* g(1) too, though sc_rounds sends claim - g(0), the same value */
        g[X] = fp2_mul(f->c, fp2_mul(ex, Gs[X]));
        ex = fp2_add(ex, de);
    }
}

void sc_frac_prove(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const T[4], const fp2 *r, unsigned n, fp2 lam,
                   fp2 claim) {
    size_t N = (size_t)1 << n;
    sc_frac f = {.T = T, .r = r, .lam = lam, .c = fp2_one(), .v = n ? n - 1 : 0};
    f.el = zk_malloc_n(N > 1 ? N / 2 : 1, sizeof *f.el);
    if (n) mle_eq_table(f.el, r, n - 1); /* eq(r_<n-1, .) */
    sc_rounds(tr, point, n, 3, claim, sc_frac_step, &f);
    for (int k = 0; k < 4; k++) finals[k] = T[k][0];
    free(f.el);
}
