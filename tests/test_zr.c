/* test_zr.c -- the sumcheck with a higher-degree last round (test_zr.h). */
#include "test_zr.h"

#include <string.h>

#include "../src/poly/mle.h"

static fp2 zr_rand(zk_rng *rng) { return fp2_make(zk_rng_u64(rng) % FM61_P, zk_rng_u64(rng) % FM61_P); }

void zr_init(zr_inst *z, zk_rng *rng, unsigned n, int zr, int small) {
    ZK_CHECK(n >= 1 && n <= ZR_MAXN);
    memset(z, 0, sizeof *z);
    z->n = n, z->zr = zr;
    size_t len = (size_t)1 << n;
    z->T = zk_aligned_n(len, sizeof(fp2));
    z->S = zk_aligned_n(len, sizeof(fp2));
    z->R = zk_aligned_n(len, sizeof(fp2));
    z->sum = fp2_zero();
    for (size_t x = 0; x < len; x++) {
        z->T[x] = small ? fp2_from_fm61(zk_rng_u64(rng) & 1) : zr_rand(rng);
        z->S[x] = small ? fp2_from_fm61(zk_rng_u64(rng) & 1) : zr_rand(rng);
        z->R[x] = zr_rand(rng);
        z->sum = fp2_add(z->sum, fp2_mul(z->T[x], z->S[x]));
    }
    for (unsigned v = 0; v < n; v++) z->deg[v] = 2;
    if (zr) z->deg[0] = 4;
}

void zr_free(zr_inst *z) {
    free(z->T);
    free(z->S);
    free(z->R);
}

fp2 zr_f(const zr_inst *z, const fp2 *x) {
    fp2 t = mle_eval_fp2(z->T, z->n, x), one = fp2_one();
    if (z->zr) {
        fp2 Z = one;
        for (unsigned v = 0; v < z->n; v++) Z = fp2_mul(Z, fp2_mul(x[v], fp2_sub(one, x[v])));
        t = fp2_add(t, fp2_mul(Z, mle_eval_fp2(z->R, z->n, x)));
    }
    return fp2_mul(t, mle_eval_fp2(z->S, z->n, x));
}

void zr_prover_init(zr_prover *p, const zr_inst *z) {
    memset(p, 0, sizeof *p);
    p->z = z;
    p->v = z->n;
}

void zr_step(void *ctx, fp2 *g, size_t h, const fp2 *r) {
    zr_prover *p = ctx;
    const zr_inst *z = p->z;
    if (r) p->pt[p->v] = *r; /* the previous round's variable */
    if (!h) return;
    unsigned v = (unsigned)__builtin_ctzll((unsigned long long)h);
    ZK_CHECK(v + 1 == p->v);
    p->v = v;
    fp2 x[ZR_MAXN];
    for (unsigned u = v + 1; u < z->n; u++) x[u] = p->pt[u];
    for (unsigned X = 0; X <= z->deg[v]; X++) {
        if (X == 1) continue; /* the loop's: claim - g(0) */
        fp2 s = fp2_zero();
        x[v] = fp2_from_fm61(X);
        for (size_t b = 0; b < h; b++) {
            for (unsigned u = 0; u < v; u++) x[u] = fp2_from_fm61((b >> u) & 1);
            s = fp2_add(s, zr_f(z, x));
        }
        g[X] = s;
    }
}

void zr_coefs(fp2 *c, const fp2 *ev, unsigned D) {
    /* sum_i ev[i] L_i(X), L_i = prod_{j != i} (X - j) / (i - j), expanded */
    for (unsigned k = 0; k <= D; k++) c[k] = fp2_zero();
    for (unsigned i = 0; i <= D; i++) {
        fp2 L[SC_MAX_ROUND_DEGREE + 2] = {fp2_one()}; /* the numerator's coefficients */
        unsigned deg = 0;
        int64_t den = 1;
        for (unsigned j = 0; j <= D; j++) {
            if (j == i) continue;
            /* L <- L (X - j) */
            L[deg + 1] = fp2_zero();
            for (unsigned k = deg + 1; k >= 1; k--) L[k] = fp2_sub(L[k - 1], fp2_mul_fm61(L[k], j));
            L[0] = fp2_neg(fp2_mul_fm61(L[0], j));
            deg++;
            den *= (int64_t)i - (int64_t)j;
        }
        fp2 w = fp2_mul_fm61(ev[i], fm61_inv(fm61_from_i64(den)));
        for (unsigned k = 0; k <= D; k++) c[k] = fp2_add(c[k], fp2_mul(L[k], w));
    }
}
