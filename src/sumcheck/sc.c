#include "sc.h"

#include "em.h"
#include "zsc.h"

#include "../poly/mle.h"

#define SC_PAR_MIN (1u << 13)

fp2 sc_interpolate(const fp2 *evals, unsigned deg, fp2 r) {
    ZK_CHECK(deg <= SC_MAX_ROUND_DEGREE); /* |den| <= deg! = 120 */
    fp2 acc = fp2_zero();
    for (unsigned i = 0; i <= deg; i++) {
        /* L_i(r) = prod_{j != i} (r - j) / (i - j) */
        fp2 num = fp2_one();
        int64_t den = 1;
        for (unsigned j = 0; j <= deg; j++) {
            if (j == i) continue;
            num = fp2_mul(num, fp2_sub(r, fp2_from_fm61(j)));
            den *= (int64_t)i - (int64_t)j;
        }
        fm61 dinv = fm61_inv(fm61_from_i64(den));
        acc = fp2_add(acc, fp2_mul(fp2_mul_fm61(num, dinv), evals[i]));
    }
    return acc;
}

fp2 sc_sum_product(fp2 *const *tables, unsigned k, size_t len) {
    fp2 sum = fp2_zero();
    for (size_t x = 0; x < len; x++) {
        fp2 p = tables[0][x];
        for (unsigned j = 1; j < k; j++) p = fp2_mul(p, tables[j][x]);
        sum = fp2_add(sum, p);
    }
    return sum;
}

/* ---- degree 2: the rounds of Libra's phases (sec. 3) ----
 *
 * Round s of sum_x A(x) B(x) binds the highest remaining variable: with
 * 2h entries left, entry i (< h) pairs with i + h and
 *     g(X) = sum_{i<h} (A[i] + X (A[i+h] - A[i])) (B[i] + X (B[i+h] - B[i])),
 * so g(0) = sum A[i] B[i] and g(2) = sum (2 A[i+h] - A[i])(2 B[i+h] - B[i]);
 * g(1) = claim - g(0) costs nothing. After r is drawn, both tables fold:
 * A[i] <- A[i] + r (A[i+h] - A[i]) (mle_fold), leaving h entries.
 *
 * The folding pass for round s and the sums of round s+1 are done in one
 * pass (sc_fold_blk, driven by sc_deg2_step): round s+1 pairs entry i
 * with i + q, q = h/2, so a pass over i < q reads A[i], A[i+q], A[i+h],
 * A[i+h+q], writes the folded A[i] and A[i+q], and adds their products
 * to round s+1's sums. Each table is read once per round instead of
 * twice. Entries i and i+q are read before they are written and no other
 * i touches them, so the fold stays in place and the loop parallel.
 *
 * Passes run over blocks of SC_BLK indices (sc_run): the unit of the
 * parallel loop, and of the kernels, which come in a scalar and an
 * AVX-512 version with the same results (mle.h). */
#define SC_BLK 512 /* a multiple of the vector width, 8 */

/* One pass: the tables and the challenge it folds by. V and vbuf are set
 * for the base-field variants (V read only, folded into vbuf). */
typedef struct {
    fp2 *A, *B;
    const fm61 *V;
    fp2 *vbuf;
    size_t h; /* entries i < h pair with i + h */
    fp2 r;
} sc_pass;

/* Adds a block's contributions to acc[X] (g(X) for X = 0, 1, 2). */
typedef void (*sc_block_fn)(fp2 acc[3], const sc_pass *p, size_t lo, size_t hi);

/* acc[X] = sum over all blocks of [0, len): one parallel loop; the sums
 * are exact, so they do not depend on how the blocks are shared out. */
static void sc_run(fp2 acc[3], sc_block_fn fn, const sc_pass *p, size_t len) {
    fp2 tot[3] = {fp2_zero(), fp2_zero(), fp2_zero()};
#pragma omp parallel if (len >= SC_PAR_MIN)
    {
        fp2 loc[3] = {fp2_zero(), fp2_zero(), fp2_zero()};
#pragma omp for schedule(static) nowait
        for (size_t lo = 0; lo < len; lo += SC_BLK) fn(loc, p, lo, lo + SC_BLK < len ? lo + SC_BLK : len);
#pragma omp critical(sc_round)
        for (int d = 0; d < 3; d++) tot[d] = fp2_add(tot[d], loc[d]);
    }
    for (int d = 0; d < 3; d++) acc[d] = tot[d];
}

/* The portable kernels of the two degree-2 passes, entries i in [lo, hi):
 *   fold = 0: g(0), g(2) of one round on A, B, no fold (sc_prove's first
 *             round; i < h);
 *   fold = 1: the fused pass (see above; i < q = h/2): A folded in place,
 *             or, after a base-field round 1 (p->V set), V (2h entries)
 *             bound to r into vbuf, which then plays A; B folded in place.
 * Products are accumulated unreduced in blocks of FP2_ACC_MAX. */
static void sc_pairs_blk(fp2 acc[3], const sc_pass *p, size_t lo, size_t hi, int fold) {
    const fm61 *V = fold ? p->V : NULL;
    fp2 *A = V ? p->vbuf : p->A, *B = p->B;
    size_t h = p->h, q = h / 2;
    mle_coef c = mle_coef_of(fold ? p->r : fp2_zero());
    for (size_t blk = lo; blk < hi; blk += FP2_ACC_MAX) {
        size_t end = blk + FP2_ACC_MAX < hi ? blk + FP2_ACC_MAX : hi;
        fp2_acc a0, a2;
        fp2_acc_zero(&a0);
        fp2_acc_zero(&a2);
        for (size_t i = blk; i < end; i++) {
            fp2 x0, x1, y0, y1;
            if (!fold) {
                x0 = A[i], x1 = A[i + h], y0 = B[i], y1 = B[i + h];
            } else {
                if (V) {
                    x0 = mle_fold1_fm61(V[i], V[i + h], c), x1 = mle_fold1_fm61(V[i + q], V[i + h + q], c);
                } else {
                    x0 = mle_fold1(A[i], A[i + h], c), x1 = mle_fold1(A[i + q], A[i + h + q], c);
                }
                y0 = mle_fold1(B[i], B[i + h], c), y1 = mle_fold1(B[i + q], B[i + h + q], c);
                A[i] = x0, A[i + q] = x1, B[i] = y0, B[i + q] = y1;
            }
            fp2_acc_mul(&a0, x0, y0);
            fp2_acc_mul(&a2, fp2_sub(fp2_dbl(x1), x0), fp2_sub(fp2_dbl(y1), y0));
        }
        acc[0] = fp2_add(acc[0], fp2_acc_reduce(&a0));
        acc[2] = fp2_add(acc[2], fp2_acc_reduce(&a2));
    }
}

static void sc_sums_blk(fp2 acc[3], const sc_pass *p, size_t lo, size_t hi) { sc_pairs_blk(acc, p, lo, hi, 0); }
static void sc_fold_blk(fp2 acc[3], const sc_pass *p, size_t lo, size_t hi) { sc_pairs_blk(acc, p, lo, hi, 1); }

/* Round 1 with a base-field V: g(0) = sum V[i] B[i], g(1) = sum V[i+h] B[i+h],
 * g(2) = sum (2 V[i+h] - V[i])(2 B[i+h] - B[i]); base x extension products
 * accumulated unreduced (each part < 2^122, so 64 fit in 128 bits). */
static void sc_base_blk(fp2 acc[3], const sc_pass *p, size_t lo, size_t hi) {
    const fm61 *V = p->V;
    const fp2 *B = p->B;
    size_t h = p->h;
    for (size_t blk = lo; blk < hi; blk += 64) {
        size_t end = blk + 64 < hi ? blk + 64 : hi;
        fm61_u128 a0r = 0, a0i = 0, a1r = 0, a1i = 0, a2r = 0, a2i = 0;
        for (size_t i = blk; i < end; i++) {
            fm61 v0 = V[i], v1 = V[i + h];
            fm61 v2 = fm61_sub(fm61_add(v1, v1), v0);
            fp2 b0 = B[i], b1 = B[i + h], b2 = fp2_sub(fp2_dbl(b1), b0);
            a0r += (fm61_u128)v0 * b0.re;
            a0i += (fm61_u128)v0 * b0.im;
            a1r += (fm61_u128)v1 * b1.re;
            a1i += (fm61_u128)v1 * b1.im;
            a2r += (fm61_u128)v2 * b2.re;
            a2i += (fm61_u128)v2 * b2.im;
        }
        acc[0] = fp2_add(acc[0], fp2_make(fm61_reduce128(a0r), fm61_reduce128(a0i)));
        acc[1] = fp2_add(acc[1], fp2_make(fm61_reduce128(a1r), fm61_reduce128(a1i)));
        acc[2] = fp2_add(acc[2], fp2_make(fm61_reduce128(a2r), fm61_reduce128(a2i)));
    }
}

#ifdef MLE_AVX512
/* The same kernels on eight entries at a time (lanes: see mle.h).
 * Lane sums stay almost canonical (mle_v_acc) and are added up at the end
 * of the block. */

/* The (g(0), g(2)) terms of a pair x0, x1 of A (A[i], A[i+h], or the
 * folded A[i], A[i+q] in a fused pass) and y0, y1 of B:
 * x0 y0 and (2 x1 - x0)(2 y1 - y0), with 2 x1 - x0 = x1 + (x1 - x0). */
MLE_TARGET static inline void sc_v_terms(__m512i s[4], mle_v2 x0, mle_v2 x1, mle_v2 y0, mle_v2 y1) {
    mle_v2 x2 = {fm61v_add(x1.re, fm61v_sub(x1.re, x0.re)), fm61v_add(x1.im, fm61v_sub(x1.im, x0.im))};
    mle_v2 y2 = {fm61v_add(y1.re, fm61v_sub(y1.re, y0.re)), fm61v_add(y1.im, fm61v_sub(y1.im, y0.im))};
    mle_v2 p0 = mle_v_mul2(x0, y0), p2 = mle_v_mul2(x2, y2);
    s[0] = mle_v_acc(s[0], p0.re);
    s[1] = mle_v_acc(s[1], p0.im);
    s[2] = mle_v_acc(s[2], p2.re);
    s[3] = mle_v_acc(s[3], p2.im);
}

MLE_TARGET static void sc_v_flush(fp2 acc[3], const __m512i s[4]) {
    acc[0] = fp2_add(acc[0], fp2_make(mle_v_hsum(s[0]), mle_v_hsum(s[1])));
    acc[2] = fp2_add(acc[2], fp2_make(mle_v_hsum(s[2]), mle_v_hsum(s[3])));
}

MLE_TARGET static void sc_sums_blk_avx512(fp2 acc[3], const sc_pass *p, size_t lo, size_t hi) {
    const fp2 *A = p->A, *B = p->B;
    size_t h = p->h;
    __m512i s[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
    for (size_t i = lo; i < hi; i += 8)
        sc_v_terms(s, mle_v_load(A + i), mle_v_load(A + i + h), mle_v_load(B + i), mle_v_load(B + i + h));
    sc_v_flush(acc, s);
}

MLE_TARGET static void sc_fold_blk_avx512(fp2 acc[3], const sc_pass *p, size_t lo, size_t hi) {
    const fm61 *V = p->V;
    fp2 *A = V ? p->vbuf : p->A, *B = p->B;
    size_t h = p->h, q = h / 2;
    mle_vcoef c = mle_vcoef_of(p->r);
    __m512i s[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
    for (size_t i = lo; i < hi; i += 8) {
        mle_v2 x0, x1;
        if (V) {
            x0 = mle_v_fold1_fm61(mle_v_load_fm61(V + i), mle_v_load_fm61(V + i + h), &c);
            x1 = mle_v_fold1_fm61(mle_v_load_fm61(V + i + q), mle_v_load_fm61(V + i + h + q), &c);
        } else {
            x0 = mle_v_fold1(mle_v_load(A + i), mle_v_load(A + i + h), &c);
            x1 = mle_v_fold1(mle_v_load(A + i + q), mle_v_load(A + i + h + q), &c);
        }
        mle_v2 y0 = mle_v_fold1(mle_v_load(B + i), mle_v_load(B + i + h), &c);
        mle_v2 y1 = mle_v_fold1(mle_v_load(B + i + q), mle_v_load(B + i + h + q), &c);
        mle_v_store(A + i, x0);
        mle_v_store(A + i + q, x1);
        mle_v_store(B + i, y0);
        mle_v_store(B + i + q, y1);
        sc_v_terms(s, x0, x1, y0, y1);
    }
    sc_v_flush(acc, s);
}

/* v b for a base lane vector v (vh = v >> 32) and an extension one b */
MLE_TARGET static inline void sc_v_acc_base(__m512i *sr, __m512i *si, __m512i v, __m512i vh, mle_v2 b) {
    *sr = mle_v_acc(*sr, fm61v_mul(b.re, v, vh));
    *si = mle_v_acc(*si, fm61v_mul(b.im, v, vh));
}

MLE_TARGET static void sc_base_blk_avx512(fp2 acc[3], const sc_pass *p, size_t lo, size_t hi) {
    const fm61 *V = p->V;
    const fp2 *B = p->B;
    size_t h = p->h;
    __m512i s[6];
    for (int k = 0; k < 6; k++) s[k] = _mm512_setzero_si512();
    for (size_t i = lo; i < hi; i += 8) {
        __m512i v0 = mle_v_load_fm61(V + i), v1 = mle_v_load_fm61(V + i + h);
        __m512i v2 = fm61v_add(v1, fm61v_sub(v1, v0));
        mle_v2 b0 = mle_v_load(B + i), b1 = mle_v_load(B + i + h);
        mle_v2 b2 = {fm61v_add(b1.re, fm61v_sub(b1.re, b0.re)), fm61v_add(b1.im, fm61v_sub(b1.im, b0.im))};
        sc_v_acc_base(&s[0], &s[1], v0, _mm512_srli_epi64(v0, 32), b0);
        sc_v_acc_base(&s[2], &s[3], v1, _mm512_srli_epi64(v1, 32), b1);
        sc_v_acc_base(&s[4], &s[5], v2, _mm512_srli_epi64(v2, 32), b2);
    }
    for (int d = 0; d < 3; d++) acc[d] = fp2_add(acc[d], fp2_make(mle_v_hsum(s[2 * d]), mle_v_hsum(s[2 * d + 1])));
}
#endif

/* The kernel for a pass over `len` indices: the vector one when the CPU
 * has AVX-512 and len is a multiple of 8 (len is a power of two). */
static sc_block_fn sc_pick(sc_block_fn scalar, sc_block_fn avx512, size_t len) {
    return avx512 && len >= 8 && mle_have_avx512() ? avx512 : scalar;
}
#ifdef MLE_AVX512
#define SC_PICK(name, len) sc_pick(name, name##_avx512, len)
#else
#define SC_PICK(name, len) sc_pick(name, NULL, len)
#endif

/* The round loop of sc_rounds (degv NULL: degree d in every round) and
 * sc_rounds_deg (degree degv[v] in the round binding v). */
static fp2 sc_rounds_impl(tr_t *tr, fp2 *point, unsigned n, unsigned d, const unsigned *degv, fp2 claim,
                          sc_step_fn step, void *ctx) {
    fp2 g[SC_MAX_ROUND_DEGREE + 1], r = fp2_zero();
    for (unsigned s = 0; s < n; s++) {
        unsigned v = n - 1 - s, deg = degv ? degv[v] : d;
        size_t h = (size_t)1 << v;
        step(ctx, g, h, s ? &r : NULL);
        g[1] = fp2_sub(claim, g[0]);
        tr_put_fp2(tr, "sc/round", g, deg + 1);
        r = tr_challenge(tr, "sc/r");
        point[v] = r;
        claim = sc_interpolate(g, deg, r);
    }
    if (n) step(ctx, g, 0, &r);
    return claim;
}

fp2 sc_rounds(tr_t *tr, fp2 *point, unsigned n, unsigned deg, fp2 claim, sc_step_fn step, void *ctx) {
    ZK_CHECK(deg >= 1 && deg <= SC_MAX_DEGREE);
    return sc_rounds_impl(tr, point, n, deg, NULL, claim, step, ctx);
}

/* Every deg[v] in 1..SC_MAX_ROUND_DEGREE (the caller's statement). */
static void sc_check_degs(const unsigned *deg, unsigned n) {
    ZK_CHECK(n == 0 || deg);
    for (unsigned v = 0; v < n; v++) ZK_CHECK(deg[v] >= 1 && deg[v] <= SC_MAX_ROUND_DEGREE);
}

fp2 sc_rounds_deg(tr_t *tr, fp2 *point, unsigned n, const unsigned *deg, fp2 claim, sc_step_fn step, void *ctx) {
    sc_check_degs(deg, n);
    return sc_rounds_impl(tr, point, n, 0, deg, claim, step, ctx);
}

/* The step of sum_x A(x) B(x) (sc_rounds): round sums g(0), g(2); a bind
 * by r is fused with the next round's sums (sc_fold_blk). With V set,
 * round 1 reads the base-field V instead of A, and the first bind writes V
 * bound to r into vbuf, which plays A from then on. s0: round 1's sums
 * when the caller has them (sc_prove_base_sums). */
typedef struct {
    fp2 *A, *B;
    const fm61 *V;
    fp2 *vbuf;
    const fp2 *s0;
} sc_deg2;

static void sc_deg2_step(void *ctx, fp2 *g, size_t h, const fp2 *r) {
    sc_deg2 *t = ctx;
    if (!r) {
        if (t->s0) {
            g[0] = t->s0[0];
            g[2] = t->s0[2];
        } else {
            sc_pass p = {.A = t->A, .B = t->B, .V = t->V, .h = h};
            sc_run(g, t->V ? SC_PICK(sc_base_blk, h) : SC_PICK(sc_sums_blk, h), &p, h);
        }
        return;
    }
    if (h) { /* bind (pairs 2h apart) fused with this round's sums */
        sc_pass p = {.A = t->A, .B = t->B, .V = t->V, .vbuf = t->vbuf, .h = 2 * h, .r = *r};
        fp2 next[3];
        sc_run(next, SC_PICK(sc_fold_blk, h), &p, h);
        g[0] = next[0];
        g[2] = next[2];
    } else { /* last round: nothing left to sum */
        if (t->V) mle_fold_fm61(t->vbuf, t->V, 1, *r);
        else mle_fold(t->A, 1, *r);
        mle_fold(t->B, 1, *r);
    }
    if (t->V) {
        t->A = t->vbuf;
        t->V = NULL;
    }
}

/* Generic round for k in {1, 3}: evaluations at X = 0, 2, ..., k. */
static void sc_round_generic(fp2 *out, fp2 *const *T, unsigned k, size_t h) {
    fp2 tot[SC_MAX_DEGREE + 1];
    for (unsigned d = 0; d <= k; d++) tot[d] = fp2_zero();
#pragma omp parallel if (h >= SC_PAR_MIN)
    {
        fp2 loc[SC_MAX_DEGREE + 1];
        for (unsigned d = 0; d <= k; d++) loc[d] = fp2_zero();
#pragma omp for schedule(static) nowait
        for (size_t i = 0; i < h; i++) {
            fp2 v[SC_MAX_DEGREE], diff[SC_MAX_DEGREE];
            fp2 p = fp2_one();
            for (unsigned j = 0; j < k; j++) {
                v[j] = T[j][i];
                diff[j] = fp2_sub(T[j][i + h], v[j]);
                p = fp2_mul(p, v[j]);
            }
            loc[0] = fp2_add(loc[0], p);
            /* advance to X = 1 without accumulating (g(1) is derived) */
            for (unsigned j = 0; j < k; j++) v[j] = fp2_add(v[j], diff[j]);
            for (unsigned X = 2; X <= k; X++) {
                p = fp2_one();
                for (unsigned j = 0; j < k; j++) {
                    v[j] = fp2_add(v[j], diff[j]);
                    p = fp2_mul(p, v[j]);
                }
                loc[X] = fp2_add(loc[X], p);
            }
        }
#pragma omp critical(sc_round)
        for (unsigned d = 0; d <= k; d++) tot[d] = fp2_add(tot[d], loc[d]);
    }
    for (unsigned d = 0; d <= k; d++) out[d] = tot[d];
}

/* The step for k in {1, 3} (sc_rounds): bind every table, then sum. */
typedef struct {
    fp2 *const *T;
    unsigned k;
} sc_gen;

static void sc_gen_step(void *ctx, fp2 *g, size_t h, const fp2 *r) {
    const sc_gen *t = ctx;
    if (r)
        for (unsigned j = 0; j < t->k; j++) mle_fold(t->T[j], h ? 2 * h : 1, *r);
    if (h) sc_round_generic(g, t->T, t->k, h);
}

void sc_prove_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const *tables, unsigned k, unsigned n, fp2 claim,
                 const zsc_mask *mask) {
    ZK_CHECK(k >= 1 && k <= SC_MAX_DEGREE);
    if (k == 2) { /* the common case (GKR): folds fused with the next round's sums */
        sc_deg2 t = {.A = tables[0], .B = tables[1]};
        zsc_rounds(tr, point, gr, mask, n, 2, claim, sc_deg2_step, &t);
    } else {
        sc_gen t = {.T = tables, .k = k};
        zsc_rounds(tr, point, gr, mask, n, k, claim, sc_gen_step, &t);
    }
    for (unsigned j = 0; j < k; j++) finals[j] = tables[j][0];
}

void sc_prove(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const *tables, unsigned k, unsigned n, fp2 claim) {
    sc_prove_zk(tr, point, finals, NULL, tables, k, n, claim, NULL);
}

void sc_base_sums(fp2 s[3], const fm61 *V, const fp2 *h, unsigned n) {
    if (n == 0) { /* no round: the whole sum is V[0] h[0] */
        s[0] = fp2_mul_fm61(h[0], V[0]);
        s[1] = s[2] = fp2_zero();
        return;
    }
    sc_pass p = {.V = V, .B = (fp2 *)h, .h = (size_t)1 << (n - 1)}; /* B is only read */
    sc_run(s, SC_PICK(sc_base_blk, p.h), &p, p.h);
}

void sc_prove_base_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, const fm61 *V, fp2 *vbuf, fp2 *h, unsigned n,
                      fp2 claim, const zsc_mask *mask) {
    sc_deg2 t = {.B = h, .V = V, .vbuf = vbuf};
    zsc_rounds(tr, point, gr, mask, n, 2, claim, sc_deg2_step, &t); /* n = 0: no round (the mask's G, g() only) */
    finals[0] = n ? vbuf[0] : fp2_from_fm61(V[0]);
    finals[1] = h[0];
}

void sc_prove_base_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, const fm61 *V, fp2 *vbuf, fp2 *h, unsigned n,
                      fp2 claim, const zsc_mask *mask, const int *masked, const fp2 *a, vp_absorb *ab) {
    if (!masked && !ab) {
        sc_prove_base_zk(tr, point, finals, gr, V, vbuf, h, n, claim, mask);
        return;
    }
    ZK_CHECK(n >= 1);
    sc_deg2 t = {.B = h, .V = V, .vbuf = vbuf};
    if (n == 1) { /* the last round is the first: V lifted, so that the wrapper reads both tables in vbuf, h */
        mle_lift(vbuf, V, 2);
        t.V = NULL;
        t.A = vbuf;
    }
    vp_term term = {.c = fp2_one(), .k = 2, .t = {0, 1}};
    fp2 *tabs[2] = {vbuf, h};
    em_wrap w = {.tables = tabs, .terms = &term, .nterms = 1, .masked = masked, .a = a, .ab = ab};
    em_rounds(tr, point, gr, mask, n, claim, sc_deg2_step, &t, &w);
    finals[0] = vbuf[0];
    finals[1] = h[0];
    em_finals(finals, 2, masked, a, point);
}

void sc_prove_base(tr_t *tr, fp2 *point, fp2 *finals, const fm61 *V, fp2 *vbuf, fp2 *h, unsigned n, fp2 claim) {
    sc_prove_base_zk(tr, point, finals, NULL, V, vbuf, h, n, claim, NULL);
}

void sc_prove_base_sums(tr_t *tr, fp2 *point, fp2 *finals, const fm61 *V, fp2 *vbuf, fp2 *h, unsigned n,
                        const fp2 s[3]) {
    if (n == 0) {
        finals[0] = fp2_from_fm61(V[0]);
        finals[1] = h[0];
        return;
    }
    sc_deg2 t = {.B = h, .V = V, .vbuf = vbuf, .s0 = s}; /* g(1) = (s[0] + s[1]) - s[0] = s[1] */
    sc_rounds(tr, point, n, 2, fp2_add(s[0], s[1]), sc_deg2_step, &t);
    finals[0] = vbuf[0];
    finals[1] = h[0];
}

/* The verifier of sc_rounds_impl (degv NULL: degree d in every round). */
static zk_err sc_verify_impl(tr_t *tr, fp2 *point, fp2 *claim, unsigned d, const unsigned *degv, unsigned n) {
    fp2 c = *claim;
    for (unsigned s = 0; s < n; s++) {
        unsigned v = n - 1 - s, deg = degv ? degv[v] : d;
        fp2 g[SC_MAX_ROUND_DEGREE + 1];
        if (tr_get_fp2(tr, "sc/round", g, deg + 1) != ZK_OK) {
            zk_set_reason("sumcheck round %u of %u: truncated or non-canonical message", s + 1, n);
            return ZK_EFORMAT;
        }
        if (!fp2_eq(fp2_add(g[0], g[1]), c)) {
            zk_set_reason("sumcheck round %u of %u: g(0)+g(1) != claim", s + 1, n);
            return ZK_EPROOF;
        }
        fp2 r = tr_challenge(tr, "sc/r");
        point[v] = r;
        c = sc_interpolate(g, deg, r);
    }
    *claim = c;
    return ZK_OK;
}

zk_err sc_verify(tr_t *tr, fp2 *point, fp2 *claim, unsigned deg, unsigned n) {
    ZK_CHECK(deg >= 1 && deg <= SC_MAX_DEGREE);
    return sc_verify_impl(tr, point, claim, deg, NULL, n);
}

zk_err sc_verify_deg(tr_t *tr, fp2 *point, fp2 *claim, const unsigned *deg, unsigned n) {
    sc_check_degs(deg, n);
    return sc_verify_impl(tr, point, claim, 0, deg, n);
}
