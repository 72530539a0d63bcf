#include "frac.h"

#include "em.h"

#include "../poly/mle.h"
#include "zsc.h"

/* Passes run over blocks of FRAC_BLK pairs (a multiple of the vector
 * width 8), in parallel from FRAC_PAR_MIN pairs on. */
#define FRAC_BLK 512
#define FRAC_PAR_MIN 4096

/* ---- one pass over the pairs of a round ----
 *
 * Round binding variable v, h = 2^v pairs (i, i + h): with X the value of
 * variable v, each table is t(X) = t[i] + X (t[i+h] - t[i]) and
 *     G(X) = sum_{i<h} w[i] F_i(X),   F = A D + C (B + lam D),
 * w = eq(r_<v, .) (sc_frac_step). A pass writes G(0), G(2) and, when
 * need1, G(1) (otherwise the step derives it from the claim).
 *
 * Where the pairs come from:
 *   tab:   the tables T[0..3] (2h entries each), read only;
 *   fold:  T before the previous round's bind (4h entries each): the pass
 *          binds it to r in place (t[i] <- t[i] + r (t[i+2h] - t[i]) for
 *          i < 2h, written at i and i + h), halves the weights
 *          (w[i] <- w[i] + w[i+h], summing out the bound variable of
 *          eq(r_<v+1, .)), then sums: one read of each table per round;
 *   layer: the layer below, P and Q, with A[x] = P[2x], B[x] = P[2x+1],
 *          C[x] = Q[2x], D[x] = Q[2x+1] (2h entries each), read only;
 *   lfold: the same 4h-entry tables read from P, Q, bound to r and written
 *          to T (2h entries each), with the weights halved, then sums.
 * Products are exact field elements, so the sums do not depend on the
 * kernel (scalar or AVX-512) or on how the blocks are shared out. */
typedef struct {
    fp2 *const *T;
    const fp2 *P, *Q;
    fp2 *w;
    size_t h;
    fp2 r, lam;
    int need1;
} frac_pass;

enum { FRAC_TAB, FRAC_FOLD, FRAC_LAYER, FRAC_LFOLD };

typedef void (*frac_blk_fn)(fp2 acc[3], const frac_pass *p, size_t lo, size_t hi);

static void frac_run(fp2 G[3], frac_blk_fn fn, const frac_pass *p) {
    size_t h = p->h;
    fp2 tot[3] = {fp2_zero(), fp2_zero(), fp2_zero()};
#pragma omp parallel if (h >= FRAC_PAR_MIN)
    {
        fp2 loc[3] = {fp2_zero(), fp2_zero(), fp2_zero()};
#pragma omp for schedule(static) nowait
        for (size_t lo = 0; lo < h; lo += FRAC_BLK) fn(loc, p, lo, lo + FRAC_BLK < h ? lo + FRAC_BLK : h);
#pragma omp critical(sc_frac_round)
        for (int d = 0; d < 3; d++) tot[d] = fp2_add(tot[d], loc[d]);
    }
    for (int d = 0; d < 3; d++) G[d] = tot[d];
}

/* F = A D + C (B + lam D) of one point (scalar). */
static inline fp2 frac_F(const fp2 x[4], fp2 lam) {
    return fp2_add(fp2_mul(x[0], x[3]), fp2_mul(x[2], fp2_add(x[1], fp2_mul(lam, x[3]))));
}

/* The portable kernel of all four passes. */
static void frac_blk(fp2 acc[3], const frac_pass *p, size_t lo, size_t hi, int kind) {
    size_t h = p->h;
    mle_coef c = mle_coef_of(p->r);
    for (size_t i = lo; i < hi; i++) {
        fp2 x0[4], x1[4];
        for (int k = 0; k < 4; k++) {
            if (kind == FRAC_TAB) {
                x0[k] = p->T[k][i], x1[k] = p->T[k][i + h];
            } else if (kind == FRAC_LAYER) {
                const fp2 *S = k < 2 ? p->P : p->Q;
                x0[k] = S[2 * i + (k & 1)], x1[k] = S[2 * (i + h) + (k & 1)];
            } else if (kind == FRAC_FOLD) {
                fp2 *t = p->T[k];
                x0[k] = t[i] = mle_fold1(t[i], t[i + 2 * h], c);
                x1[k] = t[i + h] = mle_fold1(t[i + h], t[i + 3 * h], c);
            } else {
                const fp2 *S = k < 2 ? p->P : p->Q;
                size_t o = (size_t)(k & 1);
                x0[k] = p->T[k][i] = mle_fold1(S[2 * i + o], S[2 * (i + 2 * h) + o], c);
                x1[k] = p->T[k][i + h] = mle_fold1(S[2 * (i + h) + o], S[2 * (i + 3 * h) + o], c);
            }
        }
        fp2 w = p->w[i];
        if (kind == FRAC_FOLD || kind == FRAC_LFOLD) w = p->w[i] = fp2_add(w, p->w[i + h]);
        fp2 x2[4];
        for (int k = 0; k < 4; k++) x2[k] = fp2_sub(fp2_dbl(x1[k]), x0[k]);
        acc[0] = fp2_add(acc[0], fp2_mul(w, frac_F(x0, p->lam)));
        acc[2] = fp2_add(acc[2], fp2_mul(w, frac_F(x2, p->lam)));
        if (p->need1) acc[1] = fp2_add(acc[1], fp2_mul(w, frac_F(x1, p->lam)));
    }
}

static void frac_tab_blk(fp2 acc[3], const frac_pass *p, size_t lo, size_t hi) { frac_blk(acc, p, lo, hi, FRAC_TAB); }
static void frac_fold_blk(fp2 acc[3], const frac_pass *p, size_t lo, size_t hi) { frac_blk(acc, p, lo, hi, FRAC_FOLD); }
static void frac_layer_blk(fp2 acc[3], const frac_pass *p, size_t lo, size_t hi) {
    frac_blk(acc, p, lo, hi, FRAC_LAYER);
}
static void frac_lfold_blk(fp2 acc[3], const frac_pass *p, size_t lo, size_t hi) {
    frac_blk(acc, p, lo, hi, FRAC_LFOLD);
}

#ifdef MLE_AVX512
/* The same on eight pairs at a time (lanes: mle.h). */

/* a + b for almost canonical a, b: almost canonical. */
MLE_TARGET static inline mle_v2 frac_v_add(mle_v2 a, mle_v2 b) {
    mle_v2 s = {fm61v_fold(_mm512_add_epi64(a.re, b.re)), fm61v_fold(_mm512_add_epi64(a.im, b.im))};
    return s;
}

/* F = A D + C (B + lam D) for almost canonical inputs, almost canonical. */
MLE_TARGET static inline mle_v2 frac_v_F(const mle_v2 x[4], const mle_vcoef *lam) {
    mle_v2 bl = frac_v_add(x[1], mle_v_mul_coef(x[3], lam));
    return frac_v_add(mle_v_mul2(x[0], x[3]), mle_v_mul2(x[2], bl));
}

/* 2 x1 - x0 for canonical x0, x1: canonical. */
MLE_TARGET static inline mle_v2 frac_v_two(mle_v2 x0, mle_v2 x1) {
    mle_v2 r = {fm61v_add(x1.re, fm61v_sub(x1.re, x0.re)), fm61v_add(x1.im, fm61v_sub(x1.im, x0.im))};
    return r;
}

/* Entries 2i, 2i+2, ..., 2i+14 (e) and 2i+1, ..., 2i+15 (o) of S. */
MLE_TARGET static inline void frac_v_load_eo(const fp2 *S, size_t i, mle_v2 *e, mle_v2 *o) {
    const __m512i ev = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0), od = _mm512_set_epi64(15, 13, 11, 9, 7, 5, 3, 1);
    mle_v2 a = mle_v_load(S + 2 * i), b = mle_v_load(S + 2 * i + 8);
    e->re = _mm512_permutex2var_epi64(a.re, ev, b.re);
    e->im = _mm512_permutex2var_epi64(a.im, ev, b.im);
    o->re = _mm512_permutex2var_epi64(a.re, od, b.re);
    o->im = _mm512_permutex2var_epi64(a.im, od, b.im);
}

MLE_TARGET static void frac_blk_avx512(fp2 acc[3], const frac_pass *p, size_t lo, size_t hi, int kind) {
    size_t h = p->h;
    mle_vcoef c = mle_vcoef_of(p->r), lam = mle_vcoef_of(p->lam);
    __m512i s[6];
    for (int k = 0; k < 6; k++) s[k] = _mm512_setzero_si512();
    for (size_t i = lo; i < hi; i += 8) {
        mle_v2 x0[4], x1[4];
        if (kind == FRAC_TAB) {
            for (int k = 0; k < 4; k++) x0[k] = mle_v_load(p->T[k] + i), x1[k] = mle_v_load(p->T[k] + i + h);
        } else if (kind == FRAC_FOLD) {
            for (int k = 0; k < 4; k++) {
                fp2 *t = p->T[k];
                x0[k] = mle_v_fold1(mle_v_load(t + i), mle_v_load(t + i + 2 * h), &c);
                x1[k] = mle_v_fold1(mle_v_load(t + i + h), mle_v_load(t + i + 3 * h), &c);
                mle_v_store(t + i, x0[k]);
                mle_v_store(t + i + h, x1[k]);
            }
        } else if (kind == FRAC_LAYER) {
            frac_v_load_eo(p->P, i, &x0[0], &x0[1]);
            frac_v_load_eo(p->Q, i, &x0[2], &x0[3]);
            frac_v_load_eo(p->P, i + h, &x1[0], &x1[1]);
            frac_v_load_eo(p->Q, i + h, &x1[2], &x1[3]);
        } else {
            mle_v2 y[4][4]; /* y[q][k]: table k at i + q h, q < 4 */
            for (int q = 0; q < 4; q++) {
                frac_v_load_eo(p->P, i + (size_t)q * h, &y[q][0], &y[q][1]);
                frac_v_load_eo(p->Q, i + (size_t)q * h, &y[q][2], &y[q][3]);
            }
            for (int k = 0; k < 4; k++) {
                x0[k] = mle_v_fold1(y[0][k], y[2][k], &c);
                x1[k] = mle_v_fold1(y[1][k], y[3][k], &c);
                mle_v_store(p->T[k] + i, x0[k]);
                mle_v_store(p->T[k] + i + h, x1[k]);
            }
        }
        mle_v2 w = mle_v_load(p->w + i);
        if (kind == FRAC_FOLD || kind == FRAC_LFOLD) {
            mle_v2 w1 = mle_v_load(p->w + i + h);
            w.re = fm61v_add(w.re, w1.re);
            w.im = fm61v_add(w.im, w1.im);
            mle_v_store(p->w + i, w);
        }
        mle_v2 x2[4];
        for (int k = 0; k < 4; k++) x2[k] = frac_v_two(x0[k], x1[k]);
        mle_v2 f0 = mle_v_mul2(w, frac_v_F(x0, &lam)), f2 = mle_v_mul2(w, frac_v_F(x2, &lam));
        s[0] = mle_v_acc(s[0], f0.re);
        s[1] = mle_v_acc(s[1], f0.im);
        s[4] = mle_v_acc(s[4], f2.re);
        s[5] = mle_v_acc(s[5], f2.im);
        if (p->need1) {
            mle_v2 f1 = mle_v_mul2(w, frac_v_F(x1, &lam));
            s[2] = mle_v_acc(s[2], f1.re);
            s[3] = mle_v_acc(s[3], f1.im);
        }
    }
    for (int d = 0; d < 3; d++) acc[d] = fp2_add(acc[d], fp2_make(mle_v_hsum(s[2 * d]), mle_v_hsum(s[2 * d + 1])));
}

MLE_TARGET static void frac_tab_blk_avx512(fp2 acc[3], const frac_pass *p, size_t lo, size_t hi) {
    frac_blk_avx512(acc, p, lo, hi, FRAC_TAB);
}
MLE_TARGET static void frac_fold_blk_avx512(fp2 acc[3], const frac_pass *p, size_t lo, size_t hi) {
    frac_blk_avx512(acc, p, lo, hi, FRAC_FOLD);
}
MLE_TARGET static void frac_layer_blk_avx512(fp2 acc[3], const frac_pass *p, size_t lo, size_t hi) {
    frac_blk_avx512(acc, p, lo, hi, FRAC_LAYER);
}
MLE_TARGET static void frac_lfold_blk_avx512(fp2 acc[3], const frac_pass *p, size_t lo, size_t hi) {
    frac_blk_avx512(acc, p, lo, hi, FRAC_LFOLD);
}
#endif

static const frac_blk_fn frac_scalar[4] = {frac_tab_blk, frac_fold_blk, frac_layer_blk, frac_lfold_blk};
#ifdef MLE_AVX512
static const frac_blk_fn frac_vector[4] = {frac_tab_blk_avx512, frac_fold_blk_avx512, frac_layer_blk_avx512,
                                           frac_lfold_blk_avx512};
#endif

/* One pass of the given kind over h pairs. */
static void frac_pass_run(fp2 G[3], int kind, const frac_pass *p) {
    frac_blk_fn fn = frac_scalar[kind];
#ifdef MLE_AVX512
    if (p->h >= 8 && mle_have_avx512()) fn = frac_vector[kind];
#endif
    frac_run(G, fn, p);
}

/* ---- the parent layer ---- */

static void frac_parent_blk(fp2 *P, fp2 *Q, const fp2 *Pc, const fp2 *Qc, size_t lo, size_t hi) {
    for (size_t x = lo; x < hi; x++) {
        fp2 a = Pc[2 * x], b = Pc[2 * x + 1], c = Qc[2 * x], d = Qc[2 * x + 1];
        P[x] = fp2_add(fp2_mul(a, d), fp2_mul(b, c));
        Q[x] = fp2_mul(c, d);
    }
}

#ifdef MLE_AVX512
MLE_TARGET static void frac_parent_blk_avx512(fp2 *P, fp2 *Q, const fp2 *Pc, const fp2 *Qc, size_t lo, size_t hi) {
    for (size_t x = lo; x < hi; x += 8) {
        mle_v2 a, b, c, d;
        frac_v_load_eo(Pc, x, &a, &b);
        frac_v_load_eo(Qc, x, &c, &d);
        mle_v2 p = frac_v_add(mle_v_mul2(a, d), mle_v_mul2(b, c)), q = mle_v_mul2(c, d);
        p.re = fm61v_canon(p.re), p.im = fm61v_canon(p.im);
        q.re = fm61v_canon(q.re), q.im = fm61v_canon(q.im);
        mle_v_store(P + x, p);
        mle_v_store(Q + x, q);
    }
}
#endif

void sc_frac_parent(fp2 *P, fp2 *Q, const fp2 *Pc, const fp2 *Qc, size_t n) {
    int vec = 0;
#ifdef MLE_AVX512
    vec = n >= 8 && mle_have_avx512();
#endif
    size_t nblk = (n + FRAC_BLK - 1) / FRAC_BLK;
#pragma omp parallel for schedule(static) if (n >= FRAC_PAR_MIN)
    for (size_t b = 0; b < nblk; b++) {
        size_t lo = b * FRAC_BLK, hi = lo + FRAC_BLK < n ? lo + FRAC_BLK : n;
#ifdef MLE_AVX512
        if (vec) {
            frac_parent_blk_avx512(P, Q, Pc, Qc, lo, hi);
            continue;
        }
#endif
        frac_parent_blk(P, Q, Pc, Qc, lo, hi);
    }
    (void)vec;
}

/* ---- the rounds ---- */

/* w[i] += w[i + h], i < h: eq(r_<v+1, .) -> eq(r_<v, .). */
static void frac_halve(fp2 *w, size_t h) {
#pragma omp parallel for schedule(static) if (h >= 16 * FRAC_PAR_MIN)
    for (size_t i = 0; i < h; i++) w[i] = fp2_add(w[i], w[i + h]);
}

/* The state of sc_frac_step (sc_rounds). In the round binding variable v,
 * w holds eq(r_<v, .) (2^v entries) and c the product of the factors
 * eq(r_u, r'_u) of the variables u > v already bound, so that
 *     g(X) = c eq(r_v, X) G(X)
 * (frac.h). g(1) = claim - g(0) is the loop's; G(1) = g(1) / (c r_v)
 * follows from it, and G(3) = G(0) - 3 G(1) + 3 G(2) (G has degree 2),
 * so a pass computes G(1) only when c r_v = 0. */
typedef struct {
    fp2 *const *T;          /* A, B, C, D once materialized */
    const fp2 *P, *Q;       /* layer form: the layer below, until the first bind */
    const sc_frac_src *src; /* or the caller's source, for its first src->k rounds */
    fp2 *rb;                /* the challenges so far (for src) */
    fp2 *w;
    const fp2 *r;
    fp2 lam, c, claim, g[4];
    unsigned n, s; /* rounds bound so far: s */
    unsigned v;    /* the variable the current round binds */
} sc_frac;

static void sc_frac_step(void *ctx, fp2 *g, size_t h, const fp2 *rb) {
    sc_frac *f = ctx;
    fp2 one = fp2_one(), G[3];
    frac_pass p = {.T = f->T, .P = f->P, .Q = f->Q, .w = f->w, .h = h, .lam = f->lam};
    int kind = f->P ? FRAC_LAYER : FRAC_TAB;
    if (rb) { /* bind variable f->v to *rb */
        f->claim = sc_interpolate(f->g, 3, *rb);
        fp2 e0 = fp2_sub(one, f->r[f->v]), de = fp2_sub(fp2_dbl(f->r[f->v]), one);
        f->c = fp2_mul(f->c, fp2_add(e0, fp2_mul(*rb, de)));
        f->rb[f->s++] = *rb;
        p.r = *rb;
        if (f->src && f->s <= f->src->k) { /* the source binds; after its k rounds, T is written */
            if (f->s == f->src->k) f->src->bind(f->src->ctx, f->T, (size_t)1 << (f->n - f->s), f->rb);
            frac_halve(f->w, h); /* h > 0: src->k < n */
            kind = FRAC_TAB;
        } else if (f->P) { /* the first bind of the layer form: P, Q -> T */
            if (!h) {
                mle_coef c = mle_coef_of(*rb);
                for (int k = 0; k < 4; k++) {
                    const fp2 *S = k < 2 ? f->P : f->Q;
                    f->T[k][0] = mle_fold1(S[k & 1], S[2 + (k & 1)], c);
                }
            }
            kind = FRAC_LFOLD;
            f->P = f->Q = NULL;
        } else if (!h) {
            for (int k = 0; k < 4; k++) mle_fold(f->T[k], 1, *rb);
        } else {
            kind = FRAC_FOLD;
        }
        if (!h) return;
        f->v--;
    }
    int src = f->src && f->s < f->src->k;
    ZK_CHECK(h == (size_t)1 << f->v);
    fp2 rv = f->r[f->v], crv = fp2_mul(f->c, rv);
    p.need1 = fp2_is_zero(crv);
    if (src) f->src->sums(f->src->ctx, G, p.need1, f->w, h, f->rb, f->s);
    else frac_pass_run(G, kind, &p);
    fp2 e0 = fp2_sub(one, rv), de = fp2_sub(fp2_dbl(rv), one);
    g[0] = fp2_mul(f->c, fp2_mul(e0, G[0]));
    g[1] = fp2_sub(f->claim, g[0]);
    if (!p.need1) G[1] = fp2_mul(g[1], fp2_inv(crv));
    g[2] = fp2_mul(f->c, fp2_mul(fp2_add(e0, fp2_dbl(de)), G[2]));
    fp2 G3 = fp2_add(G[0], fp2_mul_fm61(fp2_sub(G[2], G[1]), 3));
    g[3] = fp2_mul(f->c, fp2_mul(fp2_add(e0, fp2_mul_fm61(de, 3)), G3));
    for (int X = 0; X < 4; X++) f->g[X] = g[X];
}

static void sc_frac_run(sc_frac *f, tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, unsigned n, fp2 claim,
                        const zsc_mask *mask, const int *masked, const fp2 *a, vp_absorb *ab) {
    size_t N = (size_t)1 << n;
    f->n = n;
    f->claim = claim;
    f->c = fp2_one();
    f->v = n ? n - 1 : 0;
    f->w = zk_aligned_n(N > 1 ? N / 2 : 1, sizeof *f->w);
    f->rb = zk_aligned_n(n ? n : 1, sizeof *f->rb);
    if (n) mle_eq_table(f->w, f->r, n - 1); /* eq(r_<n-1, .) */
    if (f->src && f->src->k == 0) f->src->bind(f->src->ctx, f->T, N, f->rb);
    if ((masked || ab) && n == 1 && f->P) { /* the last round is the first: T from the layer below, for em.h */
        for (int k = 0; k < 4; k++) {
            const fp2 *S = k < 2 ? f->P : f->Q;
            f->T[k][0] = S[k & 1], f->T[k][1] = S[2 + (k & 1)];
        }
        f->P = f->Q = NULL;
    }
    /* em.h's view: table 0 is eq(r, .), 1..4 are A, B, C, D; E A D + E C B + lam E C D */
    fp2 *tabs[5] = {NULL, f->T[0], f->T[1], f->T[2], f->T[3]};
    vp_term terms[3] = {{.c = fp2_one(), .k = 3, .t = {0, 1, 4}},
                        {.c = fp2_one(), .k = 3, .t = {0, 3, 2}},
                        {.c = f->lam, .k = 3, .t = {0, 3, 4}}};
    int mk[5] = {0, 0, 0, 0, 0};
    fp2 ma[5] = {fp2_zero(), fp2_zero(), fp2_zero(), fp2_zero(), fp2_zero()};
    for (int k = 0; masked && k < 4; k++) mk[1 + k] = masked[k], ma[1 + k] = a[k];
    em_wrap w = {.tables = tabs, .terms = terms, .nterms = 3, .masked = masked ? mk : NULL, .a = ma, .eq = 1, .e = 0,
                 .rho = f->r, .ab = ab};
    ZK_CHECK(n >= 1 || (!masked && !ab));
    em_rounds(tr, point, gr, mask, n, claim, sc_frac_step, f, &w);
    if (!n && f->P) {
        finals[0] = f->P[0], finals[1] = f->P[1], finals[2] = f->Q[0], finals[3] = f->Q[1];
    } else {
        for (int k = 0; k < 4; k++) finals[k] = f->T[k][0];
    }
    em_finals(finals, 4, masked, a, point);
    free(f->rb);
    free(f->w);
}

void sc_frac_prove_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const fp2 *r, unsigned n, fp2 lam,
                      fp2 claim, const zsc_mask *mask) {
    sc_frac_prove_em(tr, point, finals, gr, T, r, n, lam, claim, mask, NULL, NULL, NULL);
}

void sc_frac_prove_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const fp2 *r, unsigned n, fp2 lam,
                      fp2 claim, const zsc_mask *mask, const int *masked, const fp2 *a, vp_absorb *ab) {
    sc_frac f = {.T = T, .r = r, .lam = lam};
    sc_frac_run(&f, tr, point, finals, gr, n, claim, mask, masked, a, ab);
}

void sc_frac_prove_layer_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const fp2 *P, const fp2 *Q,
                            const fp2 *r, unsigned n, fp2 lam, fp2 claim, const zsc_mask *mask) {
    sc_frac_prove_layer_em(tr, point, finals, gr, T, P, Q, r, n, lam, claim, mask, NULL, NULL, NULL);
}

void sc_frac_prove_layer_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const fp2 *P, const fp2 *Q,
                            const fp2 *r, unsigned n, fp2 lam, fp2 claim, const zsc_mask *mask, const int *masked,
                            const fp2 *a, vp_absorb *ab) {
    sc_frac f = {.T = T, .P = P, .Q = Q, .r = r, .lam = lam};
    sc_frac_run(&f, tr, point, finals, gr, n, claim, mask, masked, a, ab);
}

void sc_frac_prove_src_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const sc_frac_src *src,
                          const fp2 *r, unsigned n, fp2 lam, fp2 claim, const zsc_mask *mask) {
    sc_frac_prove_src_em(tr, point, finals, gr, T, src, r, n, lam, claim, mask, NULL, NULL, NULL);
}

void sc_frac_prove_src_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const sc_frac_src *src,
                          const fp2 *r, unsigned n, fp2 lam, fp2 claim, const zsc_mask *mask, const int *masked,
                          const fp2 *a, vp_absorb *ab) {
    ZK_CHECK(src->k < n || (src->k == 0 && n == 0));
    sc_frac f = {.T = T, .src = src, .r = r, .lam = lam};
    sc_frac_run(&f, tr, point, finals, gr, n, claim, mask, masked, a, ab);
}

void sc_frac_prove(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const T[4], const fp2 *r, unsigned n, fp2 lam,
                   fp2 claim) {
    sc_frac_prove_zk(tr, point, finals, NULL, T, r, n, lam, claim, NULL);
}

void sc_frac_prove_layer(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const T[4], const fp2 *P, const fp2 *Q,
                         const fp2 *r, unsigned n, fp2 lam, fp2 claim) {
    sc_frac_prove_layer_zk(tr, point, finals, NULL, T, P, Q, r, n, lam, claim, NULL);
}

void sc_frac_prove_src(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const T[4], const sc_frac_src *src, const fp2 *r,
                       unsigned n, fp2 lam, fp2 claim) {
    sc_frac_prove_src_zk(tr, point, finals, NULL, T, src, r, n, lam, claim, NULL);
}
