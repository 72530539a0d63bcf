/* lookup.c -- the range checks: logUp (Haboeck, "Multivariate lookups
 * based on logarithmic derivatives", 2022) with a GKR for the fraction sum
 * (Papini-Haboeck, "Improving logarithmic derivative lookups using GKR",
 * 2023); papers/protocol.md sec. 7.4, sec. 7.8.6 for every message.
 *
 * Relation: every column entry scale R[i] + off[i] + coff (plan.h: limbs of
 * the quantities, the average-pool remainders; in the weight-range
 * certificate's plan, wrange.c, also W regions with a constant offset
 * coff) lies in T = [0, 2^lb):
 *   sum over all column entries of 1 / (X - value) = sum_t m_t / (X - t),
 * m the multiplicities (the last ADV region, committed before X).
 *
 * Sub-protocol: X <- cnn/lu/x (with pl->lu_two also X2 <- cnn/lu/x2 and
 * beta <- cnn/lu/beta). Leaves: column blocks (p = 1, q = X - value), the
 * table block (p = -m_t, q = X - t), unused slots (p = 0, q = 1); with
 * lu_two the upper half (leaf bit lnv = 1) repeats them with X2 and
 * numerators times beta, so the root sums F(X) + beta F(X2). Layer j node
 * x has children 2x, 2x + 1 in layer j + 1. The prover sends the root
 * (P, Q) (cnn/lu/root); the verifier checks P = 0, Q != 0. Each layer:
 * lambda <- cnn/lu/lambda, the fraction-layer sumcheck (src/sumcheck/frac.h)
 *   sum_x eq(r, x) [pe qo + po qe + lambda qe qo](x) = P + lambda Q,
 * the prover sends pe, po, qe, qo at its point (cnn/eval), mu <- cnn/lu/mu
 * binds the child bit. At the leaves the prover sends each region's value
 * once (cnn/lu/leaf, a claim on the region) and the verifier recomputes
 * the leaves' P and Q from them, the block selectors, the public offsets
 * and the table.
 * Pair columns (table ops, l_lut.c): with gamma <- cnn/lu/gamma (and
 * gamma2 <- cnn/lu/gamma2 for the X2 half), drawn only when the plan has a
 * function table, a pair column's row (I, Y) of table t and the table's
 * rows (a, b) (with multiplicities, one more table block) enter as the
 * value a + gamma b + gamma^2 (t + 1); the range entries v are (0, v, 0).
 * The verifier computes the table's a~, b~ itself (O(2^n)).
 * Soundness: the rational identity 2^lnv / |F| (lu_two: (2^lnv / |F|)^2 +
 * 1 / |F|), 3 2^lnv in place of 2^lnv with pair columns (gamma may merge
 * two of the 2^lnv rows: 2 2^lnv; then X); per layer j rounds of degree 3,
 * 1 for lambda, 1 for mu.
 * Prover: without pair columns the leaves are never stored (base-field
 * values, below); the layer above them is built from those, the others by
 * sc_frac_parent, and each layer's sumcheck reads the layer below in place
 * (sc_frac_prove_layer), the leaves' from their description
 * (sc_frac_prove_src). With pair columns a leaf's value a + gamma b +
 * gamma^2 tag is in F_{p^2} and differs between the halves, so the leaves
 * are stored (lu_leaves_full) and read like any other layer. Either way the
 * messages are those of the sumcheck on the full tables.
 */
#include <stdlib.h>
#include <string.h>

#include "../poly/mle.h"
#include "../sumcheck/frac.h"
#include "cnn_int.h"

/* ---- the prover's leaves ----
 *
 * The leaves are never stored. Leaf k (< 2^L) of either half is
 *     p = wt[hh] s_k,   q = t_k X[hh] - u_k
 * with base-field s, t, u: a column entry (1, 1, its value), a table entry
 * t (-m_t, 1, t), an unused slot (0, 0, -1). The halves differ only in
 * the constants (wt, X), so the prover keeps u (2^L base-field entries)
 * and the block bounds. Node y of the layer above has the leaves 2y, 2y+1
 * (e and o); it is LU_COL when both are column entries (then its
 * p = wt (2X - S), q = X^2 - X S + P with S = u_e + u_o, P = u_e u_o),
 * LU_PAD when both are unused (p = 0, q = 1), LU_GEN otherwise (the table
 * block, a block boundary in an odd position).
 *
 * The leaf layer's sumcheck (sc_frac_prove_src) starts from this
 * description: with two halves, round 1 binds the half bit, and for
 * constants W = wt, Y = X of a point between the halves
 *     F = A D + C (B + lam D) = W Y al - W be + lam Y^2 ga - lam Y de + lam ep,
 *     al = s_e t_o + s_o t_e, be = s_e u_o + s_o u_e, ga = t_e t_o,
 *     de = t_e u_o + t_o u_e, ep = u_e u_o,
 * all base-field and the same in both halves, so G(X) needs five sums
 * sum w al, ... once (lu_sums_half). The next round (the first with one
 * half) pairs nodes y, y + h; a product of two lines in X is
 * (1-X)^2 f_lo + X^2 f_hi + X (1-X) f_mix, so for two LU_COL nodes
 *     sum w F(X) = W Y 2 w1 - (W + lam Y) ((1-X) S_lo + X S_hi) + lam Y^2 w1
 *                  + lam ((1-X)^2 P_lo + X^2 P_hi + X (1-X) M),
 * M = u_e,lo u_o,hi + u_e,hi u_o,lo, and for LU_COL with LU_PAD
 *     al = 2 (1-X)^2, ga = (1-X)^2, be = de = (1-X)^2 S_lo - 2 X (1-X),
 *     ep = (1-X)^2 P_lo + X^2 - X (1-X) S_lo
 * (lu_sums_pairs). Then the tables, bound to both challenges, are written
 * (lu_bind) and the rounds go on as in sc_frac_prove. */
enum { LU_COL, LU_PAD, LU_GEN };

typedef struct {
    const pl_plan *pl;
    fm61 *u;
    const fm61 *mt;
    size_t used;           /* leaves [used, 2^L) are unused */
    size_t tb0, tb1;       /* nodes of the table block */
    unsigned L, H;
    fp2 X[2], wt[2], lam;
    fp2 W, Y;              /* the constants of the one-half rounds */
} lu_leaves;

static inline int lu_class(const lu_leaves *lv, size_t y) {
    if (y >= lv->tb0 && y < lv->tb1) return LU_GEN;
    if (2 * y + 1 < lv->used) return LU_COL;
    return 2 * y >= lv->used ? LU_PAD : LU_GEN;
}

/* s, t, u of leaf k */
static inline void lu_desc(const lu_leaves *lv, size_t k, fm61 d[3]) {
    size_t tl = lv->pl->tleaf;
    if (k >= lv->used) d[0] = 0, d[1] = 0, d[2] = FM61_P - 1;
    else d[0] = k >= tl && k < tl + ((size_t)1 << lv->pl->lb) ? fm61_neg(lv->mt[k - tl]) : 1, d[1] = 1, d[2] = lv->u[k];
}

/* al, be, ga, de, ep of node descriptors e = (s, t, u) and o */
static inline void lu_terms(fm61 f[5], const fm61 e[3], const fm61 o[3]) {
    f[0] = fm61_add(fm61_mul(e[0], o[1]), fm61_mul(o[0], e[1]));
    f[1] = fm61_add(fm61_mul(e[0], o[2]), fm61_mul(o[0], e[2]));
    f[2] = fm61_mul(e[1], o[1]);
    f[3] = fm61_add(fm61_mul(e[1], o[2]), fm61_mul(o[1], e[2]));
    f[4] = fm61_mul(e[2], o[2]);
}

/* sum_k W Y f0 - W f1 + lam Y^2 f2 - lam Y f3 + lam f4 for fp2 sums f */
static fp2 lu_combine(const fp2 f[5], fp2 W, fp2 Y, fp2 lam) {
    fp2 lY = fp2_mul(lam, Y);
    fp2 s = fp2_sub(fp2_mul(fp2_mul(W, Y), f[0]), fp2_mul(W, f[1]));
    s = fp2_add(s, fp2_mul(fp2_mul(lY, Y), f[2]));
    s = fp2_sub(s, fp2_mul(lY, f[3]));
    return fp2_add(s, fp2_mul(lam, f[4]));
}

/* Lazy sums of w b for fp2 w and base-field b: up to 64 products. */
typedef struct {
    fm61_u128 re, im;
} lu_acc;
static inline void lu_acc_add(lu_acc *a, fp2 w, fm61 b) {
    a->re += (fm61_u128)w.re * b;
    a->im += (fm61_u128)w.im * b;
}
static inline fp2 lu_acc_get(const lu_acc *a) { return fp2_make(fm61_reduce128(a->re), fm61_reduce128(a->im)); }
#define LU_ACC_BLK 64

/* Round 1 with two halves: G(X) from the five sums over the nodes of one
 * half (w: h = 2^(L-1) entries). */
static void lu_sums_half(const lu_leaves *lv, fp2 G[3], const fp2 *w, size_t h) {
    /* sums: 0 w (LU_COL), 1 w S, 2 w P (LU_COL), 3 w (LU_PAD), 4.. 8 the
     * five of the LU_GEN nodes */
    fp2 tot[9];
    for (int k = 0; k < 9; k++) tot[k] = fp2_zero();
#pragma omp parallel if (h >= 16384)
    {
        fp2 loc[9];
        for (int k = 0; k < 9; k++) loc[k] = fp2_zero();
#pragma omp for schedule(static) nowait
        for (size_t b = 0; b < h; b += LU_ACC_BLK) {
            lu_acc a[7] = {{0, 0}};
            fp2 w1 = fp2_zero(), wp = fp2_zero();
            size_t end = b + LU_ACC_BLK < h ? b + LU_ACC_BLK : h;
            for (size_t y = b; y < end; y++) {
                int cl = lu_class(lv, y);
                if (cl == LU_COL) {
                    fm61 ue = lv->u[2 * y], uo = lv->u[2 * y + 1];
                    w1 = fp2_add(w1, w[y]);
                    lu_acc_add(&a[0], w[y], fm61_add(ue, uo));
                    lu_acc_add(&a[1], w[y], fm61_mul(ue, uo));
                } else if (cl == LU_PAD) {
                    wp = fp2_add(wp, w[y]);
                } else {
                    fm61 de[3], dov[3], f[5];
                    lu_desc(lv, 2 * y, de);
                    lu_desc(lv, 2 * y + 1, dov);
                    lu_terms(f, de, dov);
                    for (int k = 0; k < 5; k++) lu_acc_add(&a[2 + k], w[y], f[k]);
                }
            }
            loc[0] = fp2_add(loc[0], w1);
            loc[3] = fp2_add(loc[3], wp);
            loc[1] = fp2_add(loc[1], lu_acc_get(&a[0]));
            loc[2] = fp2_add(loc[2], lu_acc_get(&a[1]));
            for (int k = 0; k < 5; k++) loc[4 + k] = fp2_add(loc[4 + k], lu_acc_get(&a[2 + k]));
        }
#pragma omp critical(lu_sums)
        for (int k = 0; k < 9; k++) tot[k] = fp2_add(tot[k], loc[k]);
    }
    /* al = 2 w1 + gen, be = de = wS + gen, ga = w1 + gen, ep = wP + wpad + gen */
    fp2 f[5];
    f[0] = fp2_add(fp2_dbl(tot[0]), tot[4]);
    f[1] = fp2_add(tot[1], tot[5]);
    f[2] = fp2_add(tot[0], tot[6]);
    f[3] = fp2_add(tot[1], tot[7]);
    f[4] = fp2_add(fp2_add(tot[2], tot[3]), tot[8]);
    for (int X = 0; X < 3; X++) {
        fm61 x = (fm61)X;
        fp2 W = fp2_add(lv->wt[0], fp2_mul_fm61(fp2_sub(lv->wt[1], lv->wt[0]), x));
        fp2 Y = fp2_add(lv->X[0], fp2_mul_fm61(fp2_sub(lv->X[1], lv->X[0]), x));
        G[X] = lu_combine(f, W, Y, lv->lam);
    }
}

/* The first round with one half: pairs (y, y + h) of nodes, h = 2^(L-2),
 * constants lv->W, lv->Y. */
static void lu_sums_pairs(const lu_leaves *lv, fp2 G[3], const fp2 *w, size_t h) {
    /* sums: 0 w (col,col), 1 w S_lo, 2 w S_hi, 3 w P_lo, 4 w P_hi, 5 w M,
     * 6 w (col,pad), 7 w S_lo, 8 w P_lo, 9 w (pad,pad), 10.. 24: LU_GEN
     * pairs, f_k(X) at X = 0, 1, 2 (15) */
    enum { NT = 25 };
    fp2 tot[NT];
    for (int k = 0; k < NT; k++) tot[k] = fp2_zero();
#pragma omp parallel if (h >= 16384)
    {
        fp2 loc[NT];
        for (int k = 0; k < NT; k++) loc[k] = fp2_zero();
#pragma omp for schedule(static) nowait
        for (size_t b = 0; b < h; b += LU_ACC_BLK) {
            lu_acc a[NT] = {{0, 0}};
            fp2 wcc = fp2_zero(), wcp = fp2_zero(), wpp = fp2_zero();
            size_t end = b + LU_ACC_BLK < h ? b + LU_ACC_BLK : h;
            for (size_t y = b; y < end; y++) {
                int cl = lu_class(lv, y), ch = lu_class(lv, y + h);
                fp2 wy = w[y];
                if (cl == LU_COL && ch == LU_COL) {
                    fm61 el = lv->u[2 * y], ol = lv->u[2 * y + 1], eh = lv->u[2 * (y + h)], oh = lv->u[2 * (y + h) + 1];
                    wcc = fp2_add(wcc, wy);
                    lu_acc_add(&a[1], wy, fm61_add(el, ol));
                    lu_acc_add(&a[2], wy, fm61_add(eh, oh));
                    lu_acc_add(&a[3], wy, fm61_mul(el, ol));
                    lu_acc_add(&a[4], wy, fm61_mul(eh, oh));
                    lu_acc_add(&a[5], wy, fm61_add(fm61_mul(el, oh), fm61_mul(eh, ol)));
                } else if (cl == LU_COL && ch == LU_PAD) {
                    fm61 el = lv->u[2 * y], ol = lv->u[2 * y + 1];
                    wcp = fp2_add(wcp, wy);
                    lu_acc_add(&a[7], wy, fm61_add(el, ol));
                    lu_acc_add(&a[8], wy, fm61_mul(el, ol));
                } else if (cl == LU_PAD && ch == LU_PAD) {
                    wpp = fp2_add(wpp, wy);
                } else {
                    fm61 d[4][3]; /* e lo, o lo, e hi, o hi */
                    lu_desc(lv, 2 * y, d[0]);
                    lu_desc(lv, 2 * y + 1, d[1]);
                    lu_desc(lv, 2 * (y + h), d[2]);
                    lu_desc(lv, 2 * (y + h) + 1, d[3]);
                    for (int X = 0; X < 3; X++) {
                        fm61 e[3], o[3], f[5];
                        for (int k = 0; k < 3; k++) { /* d(X) = lo + X (hi - lo) */
                            e[k] = fm61_add(d[0][k], fm61_mul((fm61)X, fm61_sub(d[2][k], d[0][k])));
                            o[k] = fm61_add(d[1][k], fm61_mul((fm61)X, fm61_sub(d[3][k], d[1][k])));
                        }
                        lu_terms(f, e, o);
                        for (int k = 0; k < 5; k++) lu_acc_add(&a[10 + 5 * X + k], wy, f[k]);
                    }
                }
            }
            loc[0] = fp2_add(loc[0], wcc);
            loc[6] = fp2_add(loc[6], wcp);
            loc[9] = fp2_add(loc[9], wpp);
            for (int k = 0; k < NT; k++)
                if (k != 0 && k != 6 && k != 9) loc[k] = fp2_add(loc[k], lu_acc_get(&a[k]));
        }
#pragma omp critical(lu_sums)
        for (int k = 0; k < NT; k++) tot[k] = fp2_add(tot[k], loc[k]);
    }
    for (int X = 0; X < 3; X++) {
        fm61 x = (fm61)X, om = fm61_sub(1, x), om2 = fm61_mul(om, om), x2 = fm61_mul(x, x), xom = fm61_mul(x, om);
        fp2 f[5];
        /* (col, col) */
        fp2 S = fp2_add(fp2_mul_fm61(tot[1], om), fp2_mul_fm61(tot[2], x));
        f[0] = fp2_dbl(tot[0]);
        f[1] = S;
        f[2] = tot[0];
        f[3] = S;
        f[4] = fp2_add(fp2_add(fp2_mul_fm61(tot[3], om2), fp2_mul_fm61(tot[4], x2)), fp2_mul_fm61(tot[5], xom));
        /* (col, pad) */
        fp2 bc = fp2_sub(fp2_mul_fm61(tot[7], om2), fp2_mul_fm61(tot[6], fm61_add(xom, xom)));
        f[0] = fp2_add(f[0], fp2_mul_fm61(tot[6], fm61_add(om2, om2)));
        f[1] = fp2_add(f[1], bc);
        f[2] = fp2_add(f[2], fp2_mul_fm61(tot[6], om2));
        f[3] = fp2_add(f[3], bc);
        f[4] = fp2_add(f[4], fp2_sub(fp2_add(fp2_mul_fm61(tot[8], om2), fp2_mul_fm61(tot[6], x2)),
                                     fp2_mul_fm61(tot[7], xom)));
        /* (pad, pad) and the rest */
        f[4] = fp2_add(f[4], tot[9]);
        for (int k = 0; k < 5; k++) f[k] = fp2_add(f[k], tot[10 + 5 * X + k]);
        G[X] = lu_combine(f, lv->W, lv->Y, lv->lam);
    }
}

/* sc_frac_src: with two halves, round 0 is lu_sums_half and round 1
 * lu_sums_pairs (after W, Y are set from rb[0]); with one, round 0 is
 * lu_sums_pairs. */
static void lu_src_sums(void *ctx, fp2 G[3], int need1, const fp2 *w, size_t h, const fp2 *rb, unsigned s) {
    lu_leaves *lv = ctx;
    (void)need1;
    if (lv->H == 2 && s == 0) {
        lu_sums_half(lv, G, w, h);
        return;
    }
    if (lv->H == 2) {
        lv->W = fp2_add(lv->wt[0], fp2_mul(rb[0], fp2_sub(lv->wt[1], lv->wt[0])));
        lv->Y = fp2_add(lv->X[0], fp2_mul(rb[0], fp2_sub(lv->X[1], lv->X[0])));
    } else {
        lv->W = lv->wt[0];
        lv->Y = lv->X[0];
    }
    lu_sums_pairs(lv, G, w, h);
}

/* After the source's rounds: T[k][y] for y < len, the pair (y, y + len)
 * bound to r = rb[H - 1]: A = W s_e(r), B = W s_o(r), C = Y t_e(r) - u_e(r),
 * D = Y t_o(r) - u_o(r), with d(r) = d_lo + r (d_hi - d_lo). */
static void lu_bind(void *ctx, fp2 *const T[4], size_t len, const fp2 *rb) {
    lu_leaves *lv = ctx;
    fp2 r = rb[lv->H - 1], one = fp2_one(), om = fp2_sub(one, r);
    fp2 Wom = fp2_mul(lv->W, om), Kc = fp2_add(fp2_mul(lv->Y, om), r);
    mle_coef rc = mle_coef_of(r);
#pragma omp parallel for schedule(static) if (len >= 16384)
    for (size_t y = 0; y < len; y++) {
        int cl = lu_class(lv, y), ch = lu_class(lv, y + len);
        if (cl == LU_COL && ch == LU_COL) {
            T[0][y] = T[1][y] = lv->W;
            T[2][y] = fp2_sub(lv->Y, mle_fold1_fm61(lv->u[2 * y], lv->u[2 * (y + len)], rc));
            T[3][y] = fp2_sub(lv->Y, mle_fold1_fm61(lv->u[2 * y + 1], lv->u[2 * (y + len) + 1], rc));
        } else if (cl == LU_COL && ch == LU_PAD) {
            T[0][y] = T[1][y] = Wom;
            T[2][y] = fp2_sub(Kc, fp2_mul_fm61(om, lv->u[2 * y]));
            T[3][y] = fp2_sub(Kc, fp2_mul_fm61(om, lv->u[2 * y + 1]));
        } else if (cl == LU_PAD && ch == LU_PAD) {
            T[0][y] = T[1][y] = fp2_zero();
            T[2][y] = T[3][y] = one;
        } else {
            for (int b = 0; b < 2; b++) {
                fm61 lo[3], hi[3];
                lu_desc(lv, 2 * y + (size_t)b, lo);
                lu_desc(lv, 2 * (y + len) + (size_t)b, hi);
                fp2 sr = mle_fold1_fm61(lo[0], hi[0], rc), tr = mle_fold1_fm61(lo[1], hi[1], rc);
                fp2 ur = mle_fold1_fm61(lo[2], hi[2], rc);
                T[b][y] = fp2_mul(lv->W, sr);
                T[2 + b][y] = fp2_sub(fp2_mul(lv->Y, tr), ur);
            }
        }
    }
}

/* The layer above the leaves: node hh 2^(L-1) + y of half hh. */
static void lu_leaf_parent(const lu_leaves *lv, fp2 *P, fp2 *Q) {
    size_t NH = (size_t)1 << (lv->L - 1);
    for (unsigned hh = 0; hh < lv->H; hh++) {
        fp2 X = lv->X[hh], wt = lv->wt[hh], X2 = fp2_sqr(X), wX2 = fp2_mul(wt, fp2_dbl(X));
        fp2 *p = P + hh * NH, *q = Q + hh * NH;
#pragma omp parallel for schedule(static) if (NH >= 16384)
        for (size_t y = 0; y < NH; y++) {
            int cl = lu_class(lv, y);
            if (cl == LU_COL) {
                fm61 ue = lv->u[2 * y], uo = lv->u[2 * y + 1], S = fm61_add(ue, uo);
                p[y] = fp2_sub(wX2, fp2_mul_fm61(wt, S));
                q[y] = fp2_add(fp2_sub(X2, fp2_mul_fm61(X, S)), fp2_from_fm61(fm61_mul(ue, uo)));
            } else if (cl == LU_PAD) {
                p[y] = fp2_zero();
                q[y] = fp2_one();
            } else {
                fp2 lp[2], lq[2];
                for (int b = 0; b < 2; b++) {
                    fm61 d[3];
                    lu_desc(lv, 2 * y + (size_t)b, d);
                    lp[b] = fp2_mul_fm61(wt, d[0]);
                    lq[b] = fp2_sub(fp2_mul_fm61(X, d[1]), fp2_from_fm61(d[2]));
                }
                p[y] = fp2_add(fp2_mul(lp[0], lq[1]), fp2_mul(lp[1], lq[0]));
                q[y] = fp2_mul(lq[0], lq[1]);
            }
        }
    }
}

/* u of every leaf of one half, and the bounds. */
static void lu_leaves_init(lu_leaves *lv, const cx *c, const fp2 X[2], const fp2 wt[2], unsigned L, unsigned H) {
    const pl_plan *pl = c->pl;
    lv->pl = pl;
    lv->L = L, lv->H = H;
    lv->X[0] = X[0], lv->X[1] = X[1], lv->wt[0] = wt[0], lv->wt[1] = wt[1];
    lv->mt = cx_reg_table(c, pl->mreg);
    size_t N = (size_t)1 << L, used = pl->tleaf + ((size_t)1 << pl->lb);
    for (size_t ci = 0; ci < pl->ncol; ci++) {
        size_t end = pl->col[ci].leaf + ((size_t)1 << pl->reg[pl->col[ci].reg].nv);
        if (end > used) used = end;
    }
    lv->used = used;
    lv->tb0 = pl->tleaf >> 1;
    lv->tb1 = (pl->tleaf + ((size_t)1 << pl->lb)) >> 1;
    fm61 *u = lv->u = zk_malloc_n(N, sizeof *u);
    for (size_t ci = 0; ci < pl->ncol; ci++) {
        const pl_col *col = &pl->col[ci];
        const pl_region *rg = &pl->reg[col->reg];
        const fm61 *R = cx_reg_table(c, col->reg);
#pragma omp parallel for schedule(static) if (rg->nv >= 16)
        for (size_t k = 0; k < ((size_t)1 << rg->nv); k++) u[col->leaf + k] = pl_col_value(pl, col, R, k);
    }
    for (size_t k = 0; k < ((size_t)1 << pl->lb); k++) u[pl->tleaf + k] = (fm61)k;
    for (size_t k = used; k < N; k++) u[k] = FM61_P - 1;
}

/* The leaves, stored (plans with pair columns): half hh (leaf bit L) at
 * base hh 2^L with challenge X[hh], weight wt[hh] and gamma[hh]; a column
 * entry p = wt, q = X - val; a range-table entry p = -wt m, q = X - k; a
 * pair column's row and a function table's row q = X - (a + gamma b +
 * gamma^2 tag), p = wt or -wt m; an unused slot p = 0, q = 1. */
static void lu_leaves_full(const cx *c, fp2 **pp, fp2 **qq, const fp2 X[2], const fp2 wt[2], const fp2 gam[2],
                           unsigned L, unsigned H) {
    const pl_plan *pl = c->pl;
    unsigned LT = L + (H == 2);
    fp2 gam2[2] = {fp2_sqr(gam[0]), fp2_sqr(gam[1])};
        size_t N = (size_t)1 << LT;
        fp2 *p = *pp = zk_calloc(N, sizeof(fp2)), *q = *qq = zk_malloc_n(N, sizeof(fp2));
#pragma omp parallel for schedule(static) if (N >= 65536)
        for (size_t k = 0; k < N; k++) q[k] = fp2_one();
        /* half hh (leaf bit L) at base hh 2^L: challenge X[hh], weight wt[hh] */
        for (size_t ci = 0; ci < pl->ncol; ci++) {
            const pl_col *col = &pl->col[ci];
            const pl_region *rg = &pl->reg[col->reg];
            const fm61 *R = cx_reg_table(c, col->reg);
#pragma omp parallel for schedule(static) if (rg->nv >= 16)
            for (size_t k = 0; k < ((size_t)1 << rg->nv); k++) {
                fm61 val = pl_col_value(pl, col, R, k);
                for (unsigned hh = 0; hh < H; hh++) {
                    size_t at = ((size_t)hh << L) + col->leaf + k;
                    p[at] = wt[hh];
                    q[at] = fp2_sub(X[hh], fp2_from_fm61(val));
                }
            }
        }
        const fm61 *mt = cx_reg_table(c, pl->mreg);
        for (size_t k = 0; k < ((size_t)1 << pl->lb); k++)
            for (unsigned hh = 0; hh < H; hh++) {
                size_t at = ((size_t)hh << L) + pl->tleaf + k;
                p[at] = fp2_neg(fp2_mul_fm61(wt[hh], mt[k]));
                q[at] = fp2_sub(X[hh], fp2_from_fm61((fm61)k));
            }
        /* pair columns and their tables: q = X - (a + gamma b + gamma^2 tag) */
        for (size_t ci = 0; ci < pl->nfcol; ci++) {
            const pl_fcol *fc = &pl->fcol[ci];
            const fm61 *Ra = cx_reg_table(c, fc->rega), *Rb = cx_reg_table(c, fc->regb);
            fm61 tag = (fm61)(fc->tab + 1);
#pragma omp parallel for schedule(static) if (pl->reg[fc->rega].nv >= 16)
            for (size_t k = 0; k < ((size_t)1 << pl->reg[fc->rega].nv); k++)
                for (unsigned hh = 0; hh < H; hh++) {
                    size_t at = ((size_t)hh << L) + fc->leaf + k;
                    fp2 v = fp2_add(fp2_from_fm61(Ra[k]), fp2_add(fp2_mul_fm61(gam[hh], Rb[k]), fp2_mul_fm61(gam2[hh], tag)));
                    p[at] = wt[hh];
                    q[at] = fp2_sub(X[hh], v);
                }
        }
        for (size_t t = 0; t < pl->ntab; t++) {
            const pl_tab *tb = &pl->tab[t];
            const fm61 *tm = cx_reg_table(c, tb->mreg);
            fm61 tag = (fm61)(t + 1);
            for (size_t k = 0; k < ((size_t)1 << tb->nv); k++)
                for (unsigned hh = 0; hh < H; hh++) {
                    size_t at = ((size_t)hh << L) + tb->leaf + k;
                    fp2 v = fp2_add(fp2_from_fm61(tb->a[k]), fp2_add(fp2_mul_fm61(gam[hh], tb->b[k]), fp2_mul_fm61(gam2[hh], tag)));
                    p[at] = fp2_neg(fp2_mul_fm61(wt[hh], tm[k]));
                    q[at] = fp2_sub(X[hh], v);
                }
        }
}

zk_err cx_lookup(cx *c) {
    const pl_plan *pl = c->pl;
    double t0 = cx_now();
    unsigned L = pl->lnv, H = pl->lu_two ? 2 : 1, LT = L + (H == 2);
    fp2 X[2], wt[2] = {fp2_one(), fp2_one()}, gam[2] = {fp2_zero(), fp2_zero()}, gam2[2];
    X[0] = tr_challenge(c->tr, "cnn/lu/x");
    if (H == 2) {
        X[1] = tr_challenge(c->tr, "cnn/lu/x2");
        wt[1] = tr_challenge(c->tr, "cnn/lu/beta");
    }
    if (pl->ntab) { /* pair columns: row (tag, a, b) is the value a + gamma b + gamma^2 tag */
        gam[0] = tr_challenge(c->tr, "cnn/lu/gamma");
        if (H == 2) gam[1] = tr_challenge(c->tr, "cnn/lu/gamma2");
    }
    for (unsigned hh = 0; hh < 2; hh++) gam2[hh] = fp2_sqr(gam[hh]);
    /* the rational identity at X: 2^L; with X2 and beta, (2^L)^2 / |F| + 1
     * (protocol.md sec. 7.4); with pair columns 3 2^L for each half (gamma
     * may merge two rows: 2 2^L) -- in degree units over |F| */
    double one = ldexp(1.0, (int)L) * (pl->ntab ? 3 : 1);
    cx_chal(c, H == 2 ? one * (one / CX_FIELD) + 1 : one);
    fp2 **pl_ = NULL, **ql_ = NULL;
    lu_leaves lv = {0};
    int full = pl->ntab > 0;
    if (c->P) { /* the tree's layers 0 .. LT-1, and LT (the leaves) when full; else the leaves are lv */
        pl_ = zk_calloc(LT + 1, sizeof *pl_);
        ql_ = zk_calloc(LT + 1, sizeof *ql_);
        if (full) lu_leaves_full(c, pl_ + LT, ql_ + LT, X, wt, gam, L, H);
        else lu_leaves_init(&lv, c, X, wt, L, H);
        for (unsigned j = LT; j-- > 0;) {
            size_t h = (size_t)1 << j;
            pl_[j] = zk_malloc_n(h, sizeof(fp2));
            ql_[j] = zk_malloc_n(h, sizeof(fp2));
            if (j == LT - 1 && !full) lu_leaf_parent(&lv, pl_[j], ql_[j]);
            else sc_frac_parent(pl_[j], ql_[j], pl_[j + 1], ql_[j + 1], h);
        }
    }
    fp2 root[2] = {fp2_zero(), fp2_zero()};
    if (c->P) root[0] = pl_[0][0], root[1] = ql_[0][0];
    zk_err e = cx_xfer(c, "cnn/lu/root", root, 2);
    if (e == ZK_OK && !c->P && (!fp2_is_zero(root[0]) || fp2_is_zero(root[1])))
        e = cx_fail(c, "range-check (lookup sum)");
    fp2 P = root[0], Q = root[1];
    fp2 *r = cx_pt(c, LT), *rn = cx_pt(c, LT);
    /* the prover's tables of one layer's sumcheck after its first binds:
     * at most 2^(LT-1-H) entries (the leaves' layer from lv; layer j read
     * in place needs 2^(j-1), so 2^(LT-2) when the leaves are stored) */
    fp2 *scr[4] = {0};
    unsigned skip = full ? 2 : 1 + H;
    if (c->P)
        for (int k = 0; k < 4; k++) scr[k] = zk_aligned_n(LT >= skip ? (size_t)1 << (LT - skip) : 1, sizeof(fp2));
    for (unsigned j = 0; j < LT && e == ZK_OK; j++) {
        fp2 lam = tr_challenge(c->tr, "cnn/lu/lambda");
        cx_chal(c, 1); /* P + lam Q */
        enum { E, PE, PO, QE, QO };
        fp2 *tabs[5] = {0};
        vp_term t[3] = {{.c = fp2_one(), .k = 3, .t = {E, PE, QO}},
                        {.c = fp2_one(), .k = 3, .t = {E, PO, QE}},
                        {.c = lam, .k = 3, .t = {E, QE, QO}}};
        int send[5] = {0, 1, 1, 1, 1};
        fp2 vals[5], red, *rr;
        fp2 lclaim = fp2_add(P, fp2_mul(lam, Q));
        red = lclaim;
        if (c->P) { /* the same messages as cx_sc's on these tables and terms */
            rr = cx_pt(c, j);
            cx_rounds(c, j, 3);
            if (j + 1 < LT || full) {
                sc_frac_prove_layer(c->tr, rr, vals + 1, scr, pl_[j + 1], ql_[j + 1], r, j, lam, lclaim);
            } else { /* the leaves' layer */
                lv.lam = lam;
                sc_frac_src src = {.k = H, .sums = lu_src_sums, .bind = lu_bind, .ctx = &lv};
                sc_frac_prove_src(c->tr, rr, vals + 1, scr, &src, r, j, lam, lclaim);
            }
            for (int k = 1; k < 5; k++) e = e ? e : cx_xfer(c, "cnn/eval", &vals[k], 1);
        } else {
            e = cx_sc(c, tabs, 5, t, 3, j, lclaim, &rr, &red, vals, send);
        }
        if (e) break;
        vals[E] = mle_eq_eval(r, rr, j);
        if (!c->P) e = cx_sc_check(c, t, 3, vals, red, "range-check (lookup layer)");
        if (e) break;
        fp2 mu = tr_challenge(c->tr, "cnn/lu/mu");
        cx_chal(c, 1); /* the line through the two children's claims */
        P = fp2_add(vals[PE], fp2_mul(mu, fp2_sub(vals[PO], vals[PE])));
        Q = fp2_add(vals[QE], fp2_mul(mu, fp2_sub(vals[QO], vals[QE])));
        rn[0] = mu;
        memcpy(rn + 1, rr, j * sizeof(fp2));
        fp2 *sw = r;
        r = rn;
        rn = sw;
    }
    for (int k = 0; k < 4; k++) free(scr[k]);
    if (c->P) {
        free(lv.u);
        for (unsigned j = 0; j <= LT; j++) {
            free(pl_[j]);
            free(ql_[j]);
        }
        free(pl_);
        free(ql_);
    }
    CX_TRY(e);
    /* leaves at r: region values sent once per region. With selectors sel
     * of the blocks (over leaf bits up to lnv), one half's leaf MLEs are
     *   P~ = sum_col sel - sum_tab sel m~,   Q~(X) = X S - V + (1 - S),
     * S = sum of all sel, V = sum_col sel val~ + sum_tab sel id~; a pair
     * column or function table adds sel (a~ + gamma b~ + gamma^2 tag) to V
     * (kept as V + gamma V1 + gamma^2 V2: gamma differs between halves). */
    fp2 Pexp = fp2_zero(), V = fp2_zero(), V1 = fp2_zero(), V2 = fp2_zero(), selsum = fp2_zero();
    int *sent = zk_calloc(pl->nreg, sizeof *sent);
    fp2 *rv = zk_calloc(pl->nreg, sizeof *rv);
    for (size_t ci = 0; ci <= pl->ncol + pl->nfcol + pl->ntab && e == ZK_OK; ci++) {
        if (ci > pl->ncol) { /* a pair column or a function table */
            size_t fi = ci - pl->ncol - 1;
            int isf = fi < pl->nfcol, regs[2];
            const pl_tab *tb = isf ? NULL : &pl->tab[fi - pl->nfcol];
            if (isf) regs[0] = pl->fcol[fi].rega, regs[1] = pl->fcol[fi].regb;
            else regs[0] = regs[1] = tb->mreg;
            for (int j = 0; j < 2 && e == ZK_OK; j++) {
                int reg = regs[j];
                if (sent[reg]) continue;
                if (c->P) rv[reg] = mle_eval_fm61(cx_reg_table(c, reg), pl->reg[reg].nv, r);
                e = cx_xfer(c, "cnn/lu/leaf", &rv[reg], 1);
                sent[reg] = 1;
                cx_claim_region(c, reg, r, rv[reg], NULL);
            }
            if (e) break;
            unsigned nv = pl->reg[regs[0]].nv;
            uint64_t leaf = isf ? pl->fcol[fi].leaf : tb->leaf;
            fp2 sel = cx_sel_eval(leaf >> nv, r, nv, L), a, b;
            fm61 tag = (fm61)((isf ? pl->fcol[fi].tab : (int)(fi - pl->nfcol)) + 1);
            selsum = fp2_add(selsum, sel);
            if (isf) {
                a = rv[regs[0]], b = rv[regs[1]];
                Pexp = fp2_add(Pexp, sel);
            } else { /* the verifier's own table, from the key */
                a = mle_eval_fm61(tb->a, nv, r);
                b = mle_eval_fm61(tb->b, nv, r);
                Pexp = fp2_sub(Pexp, fp2_mul(sel, rv[tb->mreg]));
            }
            V = fp2_add(V, fp2_mul(sel, a));
            V1 = fp2_add(V1, fp2_mul(sel, b));
            V2 = fp2_add(V2, fp2_mul_fm61(sel, tag));
            continue;
        }
        int reg = ci < pl->ncol ? pl->col[ci].reg : pl->mreg;
        const pl_region *rg = &pl->reg[reg];
        if (!sent[reg]) {
            if (c->P) rv[reg] = mle_eval_fm61(cx_reg_table(c, reg), rg->nv, r);
            e = cx_xfer(c, "cnn/lu/leaf", &rv[reg], 1);
            if (e) break;
            sent[reg] = 1;
            cx_claim_region(c, reg, r, rv[reg], NULL);
        }
        uint64_t leaf = ci < pl->ncol ? pl->col[ci].leaf : pl->tleaf;
        fp2 sel = cx_sel_eval(leaf >> rg->nv, r, rg->nv, L);
        selsum = fp2_add(selsum, sel);
        if (ci < pl->ncol) {
            const pl_col *col = &pl->col[ci];
            fp2 val = fp2_mul(cx_int(col->scale), rv[reg]);
            if (col->off) {
                fm61 *o = zk_calloc((size_t)1 << rg->nv, sizeof *o);
                for (int64_t k = 0; k < rg->len; k++) o[k] = fm61_from_i64(col->off[k]);
                val = fp2_add(val, mle_eval_fm61(o, rg->nv, r));
                free(o);
            }
            if (col->coff) val = fp2_add(val, cx_int(col->coff)); /* its MLE over the whole block: coff */
            Pexp = fp2_add(Pexp, sel);
            V = fp2_add(V, fp2_mul(sel, val));
        } else {
            fp2 id = fp2_zero();
            for (unsigned k = 0; k < pl->lb; k++) id = fp2_add(id, fp2_mul(cx_pow2((int)k), r[k]));
            Pexp = fp2_sub(Pexp, fp2_mul(sel, rv[reg]));
            V = fp2_add(V, fp2_mul(sel, id));
        }
    }
    free(sent);
    free(rv);
    fp2 Vh[2];
    for (unsigned hh = 0; hh < 2; hh++) Vh[hh] = fp2_add(V, fp2_add(fp2_mul(gam[hh], V1), fp2_mul(gam2[hh], V2)));
    fp2 rest = fp2_sub(fp2_one(), fp2_add(selsum, Vh[0])); /* Q~(X) = X S + rest */
    fp2 Qexp = fp2_add(fp2_mul(X[0], selsum), rest);
    if (H == 2) { /* the halves, selected by leaf bit lnv: r[L] */
        fp2 lo = fp2_sub(fp2_one(), r[L]), rest1 = fp2_sub(fp2_one(), fp2_add(selsum, Vh[1]));
        Pexp = fp2_mul(Pexp, fp2_add(lo, fp2_mul(r[L], wt[1])));
        Qexp = fp2_add(fp2_mul(lo, Qexp), fp2_mul(r[L], fp2_add(fp2_mul(X[1], selsum), rest1)));
    }
    if (e == ZK_OK && !c->P && (!fp2_eq(Pexp, P) || !fp2_eq(Qexp, Q))) e = cx_fail(c, "range-check (lookup leaves)");
    if (c->st) c->st->t[CNN_PH_LOOKUP] += cx_now() - t0;
    return e;
}
