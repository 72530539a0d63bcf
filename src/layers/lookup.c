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
 * Prover: the leaves are never stored (base-field values, below, also
 * for pair columns: a leaf's value a + gamma b + gamma^2 tag has base-field
 * a, b, tag and only the constants gamma, gamma^2 differ between the
 * halves); the layer above them is built from those, the others by
 * sc_frac_parent, and each layer's sumcheck reads the layer below in place
 * (sc_frac_prove_layer), the leaves' from their description
 * (sc_frac_prove_src). The messages are those of the sumcheck on the full
 * tables, which the test hook cnn_test_lookup_stored makes the prover
 * store and read (lu_leaves_full) to compare.
 */
#include <stdlib.h>
#include <string.h>

#include "../poly/mle.h"
#include "../sumcheck/frac.h"
#include "cnn_int.h"
#include "cnn_test.h"

/* ---- the prover's leaves ----
 *
 * The leaves are never stored. Leaf k (< 2^L) of either half hh is
 *     p = wt[hh] s_k,   q = t_k X[hh] - (a_k + gam[hh] b_k + gam[hh]^2 g_k)
 * with base-field s, t, a, b, g: a column entry (1, 1, its value, 0, 0), a
 * range-table entry t (-m_t, 1, t, 0, 0), a pair column's entry (1, 1, A,
 * B, tag), a function table's row (-m, 1, a, b, tag), an unused slot (0,
 * 0, -1, 0, 0). The halves differ only in the constants (wt, X, gam), so
 * the prover keeps a (in u; b and g too with pair columns: 2^L base-field
 * entries each) and the block bounds. Node y of the layer above has the
 * leaves 2y, 2y+1 (e and o); it is LU_COL when both are column entries
 * (then its p = wt (2X - S), q = X^2 - X S + P with S = a_e + a_o, P = a_e
 * a_o), LU_PAIR when both are entries of one pair column, LU_PAD when both
 * are unused (p = 0, q = 1), LU_GEN otherwise (the table blocks, a block
 * boundary in an odd position).
 *
 * The leaf layer's sumcheck (sc_frac_prove_src) starts from this
 * description: with two halves, round 1 binds the half bit, and for
 * constants W = wt, Y = X, G = gam, G2 = gam^2 of a point between the
 * halves (each the line through its two values)
 *     F = A D + C (B + lam D) = W Y al - W be + lam Y^2 ga - lam Y de + lam ep,
 *     al = s_e t_o + s_o t_e,  ga = t_e t_o,
 *     be = s_e u_o + s_o u_e,  de = t_e u_o + t_o u_e,  ep = u_e u_o,
 * u = a + G b + G2 g; be, de and ep expand into base-field sums times 1, G,
 * G2 (and G^2, G G2, G2^2 for ep): the fourteen terms of lu_terms, all the
 * same in both halves, so G(X) needs fourteen sums sum w f_k once
 * (lu_sums_half; without pair columns the last nine are 0). The next
 * round (the first with one half) pairs nodes y, y + h; a product of two
 * lines in X is (1-X)^2 f_lo + X^2 f_hi + X (1-X) f_mix, so for two LU_COL
 * nodes
 *     sum w F(X) = W Y 2 w1 - (W + lam Y) ((1-X) S_lo + X S_hi) + lam Y^2 w1
 *                  + lam ((1-X)^2 P_lo + X^2 P_hi + X (1-X) M),
 * M = a_e,lo a_o,hi + a_e,hi a_o,lo; for LU_COL with LU_PAD
 *     al = 2 (1-X)^2, ga = (1-X)^2, be = de = (1-X)^2 S_lo - 2 X (1-X),
 *     ep = (1-X)^2 P_lo + X^2 - X (1-X) S_lo;
 * and for two entry nodes (LU_COL or LU_PAIR, one tag g per node) the
 * same with the b and g terms: the sums of b, g and of the products ab,
 * bb, ga, gb, gg at lo, hi and mix (lu_sums_pairs). Then the tables, bound
 * to both challenges, are written (lu_bind) and the rounds go on as in
 * sc_frac_prove. */
enum { LU_COL, LU_PAD, LU_GEN, LU_PAIR };
#define LU_NT 14 /* the terms of a node, lu_terms */

typedef struct {
    const pl_plan *pl;
    fm61 *u;               /* a of every leaf */
    fm61 *b, *g;           /* with pair columns: b and the tag g of every leaf; else NULL */
    uint8_t *cls;          /* with pair columns: the class of every node; else NULL */
    const fm61 *mt;        /* the range table's multiplicities */
    const fm61 **tm;       /* each function table's multiplicities */
    size_t used;           /* leaves [used, 2^L) are unused */
    size_t tb0, tb1;       /* nodes of the range-table block */
    unsigned L, H;
    fp2 X[2], wt[2], gam[2], gam2[2], lam;
    fp2 W, Y, G, G2;       /* the constants of the one-half rounds */
} lu_leaves;

static inline int lu_class(const lu_leaves *lv, size_t y) {
    if (lv->cls) return lv->cls[y];
    if (y >= lv->tb0 && y < lv->tb1) return LU_GEN;
    if (2 * y + 1 < lv->used) return LU_COL;
    return 2 * y >= lv->used ? LU_PAD : LU_GEN;
}

static inline int lu_entry(int cl) { return cl == LU_COL || cl == LU_PAIR; }

/* s, t, a, b, g of leaf k */
static inline void lu_desc(const lu_leaves *lv, size_t k, fm61 d[5]) {
    const pl_plan *pl = lv->pl;
    d[3] = d[4] = 0;
    if (k >= lv->used) {
        d[0] = 0, d[1] = 0, d[2] = FM61_P - 1;
        return;
    }
    d[0] = 1, d[1] = 1, d[2] = lv->u[k];
    if (lv->b) d[3] = lv->b[k], d[4] = lv->g[k];
    if (k >= pl->tleaf && k < pl->tleaf + ((size_t)1 << pl->lb)) d[0] = fm61_neg(lv->mt[k - pl->tleaf]);
    for (size_t t = 0; t < pl->ntab; t++)
        if (k >= pl->tab[t].leaf && k < pl->tab[t].leaf + ((size_t)1 << pl->tab[t].nv))
            d[0] = fm61_neg(lv->tm[t][k - pl->tab[t].leaf]);
}

/* The fourteen terms of node descriptors e = (s, t, a, b, g) and o:
 * al, be_a, ga, de_a, ep_aa (as without pair columns, u = a), then be_b,
 * be_g, de_b, de_g, ep_ab, ep_ag, ep_bb, ep_bg, ep_gg. */
static inline void lu_terms(fm61 f[LU_NT], const fm61 e[5], const fm61 o[5]) {
    f[0] = fm61_add(fm61_mul(e[0], o[1]), fm61_mul(o[0], e[1]));
    f[1] = fm61_add(fm61_mul(e[0], o[2]), fm61_mul(o[0], e[2]));
    f[2] = fm61_mul(e[1], o[1]);
    f[3] = fm61_add(fm61_mul(e[1], o[2]), fm61_mul(o[1], e[2]));
    f[4] = fm61_mul(e[2], o[2]);
    f[5] = fm61_add(fm61_mul(e[0], o[3]), fm61_mul(o[0], e[3]));
    f[6] = fm61_add(fm61_mul(e[0], o[4]), fm61_mul(o[0], e[4]));
    f[7] = fm61_add(fm61_mul(e[1], o[3]), fm61_mul(o[1], e[3]));
    f[8] = fm61_add(fm61_mul(e[1], o[4]), fm61_mul(o[1], e[4]));
    f[9] = fm61_add(fm61_mul(e[2], o[3]), fm61_mul(e[3], o[2]));
    f[10] = fm61_add(fm61_mul(e[2], o[4]), fm61_mul(e[4], o[2]));
    f[11] = fm61_mul(e[3], o[3]);
    f[12] = fm61_add(fm61_mul(e[3], o[4]), fm61_mul(e[4], o[3]));
    f[13] = fm61_mul(e[4], o[4]);
}

/* sum_k of F over fp2 sums f of the terms, constants W, Y, G, G2 */
static fp2 lu_combine(const fp2 f[LU_NT], fp2 W, fp2 Y, fp2 G, fp2 G2, fp2 lam) {
    fp2 lY = fp2_mul(lam, Y);
    fp2 be = fp2_add(f[1], fp2_add(fp2_mul(G, f[5]), fp2_mul(G2, f[6])));
    fp2 de = fp2_add(f[3], fp2_add(fp2_mul(G, f[7]), fp2_mul(G2, f[8])));
    fp2 ep = fp2_add(f[4], fp2_add(fp2_mul(G, f[9]), fp2_mul(G2, f[10])));
    ep = fp2_add(ep, fp2_mul(fp2_sqr(G), f[11]));
    ep = fp2_add(ep, fp2_mul(fp2_mul(G, G2), f[12]));
    ep = fp2_add(ep, fp2_mul(fp2_sqr(G2), f[13]));
    fp2 s = fp2_sub(fp2_mul(fp2_mul(W, Y), f[0]), fp2_mul(W, be));
    s = fp2_add(s, fp2_mul(fp2_mul(lY, Y), f[2]));
    s = fp2_sub(s, fp2_mul(lY, de));
    return fp2_add(s, fp2_mul(lam, ep));
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

/* The line through a0 (at 0) and a1 (at 1), at x */
static inline fp2 lu_line(fp2 a0, fp2 a1, fm61 x) { return fp2_add(a0, fp2_mul_fm61(fp2_sub(a1, a0), x)); }

/* Round 1 with two halves: G(X) from the sums over the nodes of one half
 * (w: h = 2^(L-1) entries). */
static void lu_sums_half(const lu_leaves *lv, fp2 G[3], const fp2 *w, size_t h) {
    /* sums: 0 w (entries), 1 w S, 2 w P (entries), 3 w (LU_PAD), 4..17 the
     * fourteen of the LU_GEN nodes, 18..24 the pair nodes' w Sb, w g,
     * w Mab, w g Sa, w Pbb, w g Sb, w g^2 */
    enum { NT = 25, NA = NT - 2 };
    fp2 tot[NT];
    for (int k = 0; k < NT; k++) tot[k] = fp2_zero();
#pragma omp parallel if (h >= 16384)
    {
        fp2 loc[NT];
        for (int k = 0; k < NT; k++) loc[k] = fp2_zero();
#pragma omp for schedule(static) nowait
        for (size_t b = 0; b < h; b += LU_ACC_BLK) {
            lu_acc a[NA]; /* sum k at a[k - 1], k < 3, a[k - 2], k > 3; the GEN and pair ones zeroed at first use */
            memset(a, 0, 2 * sizeof *a);
            int gen = 0, pair = 0;
            fp2 w1 = fp2_zero(), wp = fp2_zero();
            size_t end = b + LU_ACC_BLK < h ? b + LU_ACC_BLK : h;
            for (size_t y = b; y < end; y++) {
                int cl = lu_class(lv, y);
                if (cl == LU_COL || cl == LU_PAIR) {
                    fm61 ae = lv->u[2 * y], ao = lv->u[2 * y + 1], Sa = fm61_add(ae, ao);
                    w1 = fp2_add(w1, w[y]);
                    lu_acc_add(&a[0], w[y], Sa);
                    lu_acc_add(&a[1], w[y], fm61_mul(ae, ao));
                    if (cl == LU_PAIR) {
                        fm61 be = lv->b[2 * y], bo = lv->b[2 * y + 1], g = lv->g[2 * y], Sb = fm61_add(be, bo);
                        if (!pair) memset(a + 16, 0, 7 * sizeof *a), pair = 1;
                        lu_acc_add(&a[16], w[y], Sb);
                        lu_acc_add(&a[17], w[y], g);
                        lu_acc_add(&a[18], w[y], fm61_add(fm61_mul(ae, bo), fm61_mul(be, ao)));
                        lu_acc_add(&a[19], w[y], fm61_mul(g, Sa));
                        lu_acc_add(&a[20], w[y], fm61_mul(be, bo));
                        lu_acc_add(&a[21], w[y], fm61_mul(g, Sb));
                        lu_acc_add(&a[22], w[y], fm61_mul(g, g));
                    }
                } else if (cl == LU_PAD) {
                    wp = fp2_add(wp, w[y]);
                } else {
                    fm61 de[5], dov[5], f[LU_NT];
                    lu_desc(lv, 2 * y, de);
                    lu_desc(lv, 2 * y + 1, dov);
                    lu_terms(f, de, dov);
                    if (!gen) memset(a + 2, 0, LU_NT * sizeof *a), gen = 1;
                    for (int k = 0; k < LU_NT; k++) lu_acc_add(&a[2 + k], w[y], f[k]);
                }
            }
            loc[0] = fp2_add(loc[0], w1);
            loc[3] = fp2_add(loc[3], wp);
            for (int k = 1; k < NT; k++)
                if (k < 3 || (k > 3 && k < 18 && gen) || (k >= 18 && pair))
                    loc[k] = fp2_add(loc[k], lu_acc_get(&a[k < 3 ? k - 1 : k - 2]));
        }
#pragma omp critical(lu_sums)
        for (int k = 0; k < NT; k++) tot[k] = fp2_add(tot[k], loc[k]);
    }
    /* al = 2 w1 + gen, be_a = de_a = wS + gen, ga = w1 + gen, ep_aa = wP + wpad + gen;
     * be_b = de_b = w Sb, be_g = de_g = 2 w g, then ep_ab .. ep_gg */
    fp2 f[LU_NT], *gen = tot + 4, *pr = tot + 18;
    f[0] = fp2_add(fp2_dbl(tot[0]), gen[0]);
    f[1] = fp2_add(tot[1], gen[1]);
    f[2] = fp2_add(tot[0], gen[2]);
    f[3] = fp2_add(tot[1], gen[3]);
    f[4] = fp2_add(fp2_add(tot[2], tot[3]), gen[4]);
    f[5] = fp2_add(pr[0], gen[5]);
    f[6] = fp2_add(fp2_dbl(pr[1]), gen[6]);
    f[7] = fp2_add(pr[0], gen[7]);
    f[8] = fp2_add(fp2_dbl(pr[1]), gen[8]);
    for (int k = 9; k < LU_NT; k++) f[k] = fp2_add(pr[k - 7], gen[k]);
    for (int X = 0; X < 3; X++) {
        fm61 x = (fm61)X;
        G[X] = lu_combine(f, lu_line(lv->wt[0], lv->wt[1], x), lu_line(lv->X[0], lv->X[1], x),
                          lu_line(lv->gam[0], lv->gam[1], x), lu_line(lv->gam2[0], lv->gam2[1], x), lv->lam);
    }
}

/* The sums of two entry nodes lo = y, hi = y + h (LU_COL or LU_PAIR, not
 * both LU_COL) beyond those of two LU_COL nodes: at a[k - 1] for sums
 * k = 1.. of lu_sums_pairs, the b and g parts (P_*: products within a
 * node, M_*: the mixes). */
static inline void lu_pairs_ent(const lu_leaves *lv, lu_acc *a, fp2 wy, size_t lo, size_t hi) {
    const fm61 *A = lv->u, *B = lv->b;
    fm61 el = A[2 * lo], ol = A[2 * lo + 1], eh = A[2 * hi], oh = A[2 * hi + 1];
    fm61 bel = B[2 * lo], bol = B[2 * lo + 1], beh = B[2 * hi], boh = B[2 * hi + 1];
    fm61 gl = lv->g[2 * lo], gh = lv->g[2 * hi];
    fm61 Sal = fm61_add(el, ol), Sah = fm61_add(eh, oh), Sbl = fm61_add(bel, bol), Sbh = fm61_add(beh, boh);
    lu_acc_add(&a[51], wy, Sbl);
    lu_acc_add(&a[52], wy, Sbh);
    lu_acc_add(&a[53], wy, gl);
    lu_acc_add(&a[54], wy, gh);
    lu_acc_add(&a[55], wy, fm61_add(fm61_mul(el, bol), fm61_mul(bel, ol)));
    lu_acc_add(&a[56], wy, fm61_add(fm61_mul(eh, boh), fm61_mul(beh, oh)));
    lu_acc_add(&a[57], wy, fm61_add(fm61_add(fm61_mul(el, boh), fm61_mul(eh, bol)),
                                    fm61_add(fm61_mul(bel, oh), fm61_mul(beh, ol))));
    lu_acc_add(&a[58], wy, fm61_mul(gl, Sal));
    lu_acc_add(&a[59], wy, fm61_mul(gh, Sah));
    lu_acc_add(&a[60], wy, fm61_add(fm61_mul(gl, Sah), fm61_mul(gh, Sal)));
    lu_acc_add(&a[61], wy, fm61_mul(bel, bol));
    lu_acc_add(&a[62], wy, fm61_mul(beh, boh));
    lu_acc_add(&a[63], wy, fm61_add(fm61_mul(bel, boh), fm61_mul(beh, bol)));
    lu_acc_add(&a[64], wy, fm61_mul(gl, Sbl));
    lu_acc_add(&a[65], wy, fm61_mul(gh, Sbh));
    lu_acc_add(&a[66], wy, fm61_add(fm61_mul(gl, Sbh), fm61_mul(gh, Sbl)));
    lu_acc_add(&a[67], wy, fm61_mul(gl, gl));
    lu_acc_add(&a[68], wy, fm61_mul(gh, gh));
    lu_acc_add(&a[69], wy, fm61_mul(fm61_add(gl, gl), gh));
}

/* The first round with one half: pairs (y, y + h) of nodes, h = 2^(L-2),
 * constants lv->W, Y, G, G2. */
static void lu_sums_pairs(const lu_leaves *lv, fp2 G[3], const fp2 *w, size_t h) {
    /* sums: 0 w (two entry nodes), 1 w S_lo, 2 w S_hi, 3 w P_lo, 4 w P_hi,
     * 5 w M, 6 w (col,pad), 7 w S_lo, 8 w P_lo, 9 w (pad,pad), 10.. 51:
     * LU_GEN pairs, f_k(X) at X = 0, 1, 2 (42), 52.. 70: two entry nodes'
     * b and g parts (lu_pairs_ent: Sb lo, hi, g lo, hi, then ab, ga, bb,
     * gb, gg at lo, hi, mix) */
    enum { NT = 71, GEN0 = 10, ENT0 = 52 };
    fp2 tot[NT];
    for (int k = 0; k < NT; k++) tot[k] = fp2_zero();
#pragma omp parallel if (h >= 16384)
    {
        fp2 loc[NT];
        for (int k = 0; k < NT; k++) loc[k] = fp2_zero();
#pragma omp for schedule(static) nowait
        for (size_t b = 0; b < h; b += LU_ACC_BLK) {
            lu_acc a[NT - 1]; /* sum k at a[k - 1]; the GEN and entry ones zeroed at first use */
            memset(a, 0, (GEN0 - 1) * sizeof *a);
            int gen = 0, ent = 0;
            fp2 wcc = fp2_zero(), wcp = fp2_zero(), wpp = fp2_zero();
            size_t end = b + LU_ACC_BLK < h ? b + LU_ACC_BLK : h;
            for (size_t y = b; y < end; y++) {
                int cl = lu_class(lv, y), ch = lu_class(lv, y + h);
                fp2 wy = w[y];
                if (lu_entry(cl) && lu_entry(ch)) {
                    fm61 el = lv->u[2 * y], ol = lv->u[2 * y + 1], eh = lv->u[2 * (y + h)], oh = lv->u[2 * (y + h) + 1];
                    wcc = fp2_add(wcc, wy);
                    lu_acc_add(&a[0], wy, fm61_add(el, ol));
                    lu_acc_add(&a[1], wy, fm61_add(eh, oh));
                    lu_acc_add(&a[2], wy, fm61_mul(el, ol));
                    lu_acc_add(&a[3], wy, fm61_mul(eh, oh));
                    lu_acc_add(&a[4], wy, fm61_add(fm61_mul(el, oh), fm61_mul(eh, ol)));
                    if (cl == LU_PAIR || ch == LU_PAIR) {
                        if (!ent) memset(a + ENT0 - 1, 0, (NT - ENT0) * sizeof *a), ent = 1;
                        lu_pairs_ent(lv, a, wy, y, y + h);
                    }
                } else if (cl == LU_COL && ch == LU_PAD) {
                    fm61 el = lv->u[2 * y], ol = lv->u[2 * y + 1];
                    wcp = fp2_add(wcp, wy);
                    lu_acc_add(&a[6], wy, fm61_add(el, ol));
                    lu_acc_add(&a[7], wy, fm61_mul(el, ol));
                } else if (cl == LU_PAD && ch == LU_PAD) {
                    wpp = fp2_add(wpp, wy);
                } else {
                    fm61 d[4][5]; /* e lo, o lo, e hi, o hi */
                    lu_desc(lv, 2 * y, d[0]);
                    lu_desc(lv, 2 * y + 1, d[1]);
                    lu_desc(lv, 2 * (y + h), d[2]);
                    lu_desc(lv, 2 * (y + h) + 1, d[3]);
                    if (!gen) memset(a + GEN0 - 1, 0, 3 * LU_NT * sizeof *a), gen = 1;
                    for (int X = 0; X < 3; X++) {
                        fm61 e[5], o[5], f[LU_NT];
                        for (int k = 0; k < 5; k++) { /* d(X) = lo + X (hi - lo) */
                            e[k] = fm61_add(d[0][k], fm61_mul((fm61)X, fm61_sub(d[2][k], d[0][k])));
                            o[k] = fm61_add(d[1][k], fm61_mul((fm61)X, fm61_sub(d[3][k], d[1][k])));
                        }
                        lu_terms(f, e, o);
                        for (int k = 0; k < LU_NT; k++) lu_acc_add(&a[GEN0 - 1 + LU_NT * X + k], wy, f[k]);
                    }
                }
            }
            loc[0] = fp2_add(loc[0], wcc);
            loc[6] = fp2_add(loc[6], wcp);
            loc[9] = fp2_add(loc[9], wpp);
            for (int k = 1; k < NT; k++)
                if (k != 6 && k != 9 && (k < GEN0 || (k < ENT0 && gen) || (k >= ENT0 && ent)))
                    loc[k] = fp2_add(loc[k], lu_acc_get(&a[k - 1]));
        }
#pragma omp critical(lu_sums)
        for (int k = 0; k < NT; k++) tot[k] = fp2_add(tot[k], loc[k]);
    }
    for (int X = 0; X < 3; X++) {
        fm61 x = (fm61)X, om = fm61_sub(1, x), om2 = fm61_mul(om, om), x2 = fm61_mul(x, x), xom = fm61_mul(x, om);
        fp2 f[LU_NT];
        /* two entry nodes */
        fp2 S = fp2_add(fp2_mul_fm61(tot[1], om), fp2_mul_fm61(tot[2], x));
        f[0] = fp2_dbl(tot[0]);
        f[1] = S;
        f[2] = tot[0];
        f[3] = S;
        f[4] = fp2_add(fp2_add(fp2_mul_fm61(tot[3], om2), fp2_mul_fm61(tot[4], x2)), fp2_mul_fm61(tot[5], xom));
        const fp2 *en = tot + ENT0;
        f[5] = fp2_add(fp2_mul_fm61(en[0], om), fp2_mul_fm61(en[1], x));
        f[7] = f[5];
        f[6] = fp2_dbl(fp2_add(fp2_mul_fm61(en[2], om), fp2_mul_fm61(en[3], x)));
        f[8] = f[6];
        for (int k = 9; k < LU_NT; k++) { /* ab, ga, bb, gb, gg */
            const fp2 *q = en + 4 + 3 * (k - 9);
            f[k] = fp2_add(fp2_add(fp2_mul_fm61(q[0], om2), fp2_mul_fm61(q[1], x2)), fp2_mul_fm61(q[2], xom));
        }
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
        for (int k = 0; k < LU_NT; k++) f[k] = fp2_add(f[k], tot[GEN0 + LU_NT * X + k]);
        G[X] = lu_combine(f, lv->W, lv->Y, lv->G, lv->G2, lv->lam);
    }
}

/* sc_frac_src: with two halves, round 0 is lu_sums_half and round 1
 * lu_sums_pairs (after W, Y, G, G2 are set from rb[0]); with one, round 0
 * is lu_sums_pairs. */
static void lu_src_sums(void *ctx, fp2 G[3], int need1, const fp2 *w, size_t h, const fp2 *rb, unsigned s) {
    lu_leaves *lv = ctx;
    (void)need1;
    if (lv->H == 2 && s == 0) {
        lu_sums_half(lv, G, w, h);
        return;
    }
    fp2 r = lv->H == 2 ? rb[0] : fp2_zero();
    lv->W = fp2_add(lv->wt[0], fp2_mul(r, fp2_sub(lv->wt[1], lv->wt[0])));
    lv->Y = fp2_add(lv->X[0], fp2_mul(r, fp2_sub(lv->X[1], lv->X[0])));
    lv->G = fp2_add(lv->gam[0], fp2_mul(r, fp2_sub(lv->gam[1], lv->gam[0])));
    lv->G2 = fp2_add(lv->gam2[0], fp2_mul(r, fp2_sub(lv->gam2[1], lv->gam2[0])));
    lu_sums_pairs(lv, G, w, h);
}

/* After the source's rounds: T[k][y] for y < len, the pair (y, y + len)
 * bound to r = rb[H - 1]: A = W s_e(r), B = W s_o(r), C = Y t_e(r) - u_e(r),
 * D = Y t_o(r) - u_o(r), u = a + G b + G2 g, with d(r) = d_lo + r (d_hi - d_lo). */
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
        } else if (lu_entry(cl) && lu_entry(ch)) {
            T[0][y] = T[1][y] = lv->W;
            for (size_t b = 0; b < 2; b++) {
                size_t lo = 2 * y + b, hi = 2 * (y + len) + b;
                fp2 ur = mle_fold1_fm61(lv->u[lo], lv->u[hi], rc);
                ur = fp2_add(ur, fp2_mul(lv->G, mle_fold1_fm61(lv->b[lo], lv->b[hi], rc)));
                ur = fp2_add(ur, fp2_mul(lv->G2, mle_fold1_fm61(lv->g[lo], lv->g[hi], rc)));
                T[2 + b][y] = fp2_sub(lv->Y, ur);
            }
        } else if (cl == LU_COL && ch == LU_PAD) {
            T[0][y] = T[1][y] = Wom;
            T[2][y] = fp2_sub(Kc, fp2_mul_fm61(om, lv->u[2 * y]));
            T[3][y] = fp2_sub(Kc, fp2_mul_fm61(om, lv->u[2 * y + 1]));
        } else if (cl == LU_PAD && ch == LU_PAD) {
            T[0][y] = T[1][y] = fp2_zero();
            T[2][y] = T[3][y] = one;
        } else {
            for (int b = 0; b < 2; b++) {
                fm61 lo[5], hi[5];
                lu_desc(lv, 2 * y + (size_t)b, lo);
                lu_desc(lv, 2 * (y + len) + (size_t)b, hi);
                fp2 d[5];
                for (int k = 0; k < 5; k++) d[k] = mle_fold1_fm61(lo[k], hi[k], rc);
                fp2 ur = fp2_add(d[2], fp2_add(fp2_mul(lv->G, d[3]), fp2_mul(lv->G2, d[4])));
                T[b][y] = fp2_mul(lv->W, d[0]);
                T[2 + b][y] = fp2_sub(fp2_mul(lv->Y, d[1]), ur);
            }
        }
    }
}

/* The layer above the leaves: node hh 2^(L-1) + y of half hh. */
static void lu_leaf_parent(const lu_leaves *lv, fp2 *P, fp2 *Q) {
    size_t NH = (size_t)1 << (lv->L - 1);
    for (unsigned hh = 0; hh < lv->H; hh++) {
        fp2 X = lv->X[hh], wt = lv->wt[hh], X2 = fp2_sqr(X), wX2 = fp2_mul(wt, fp2_dbl(X));
        fp2 gam = lv->gam[hh], gam2 = lv->gam2[hh];
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
            } else if (cl == LU_PAIR) {
                fp2 qe, qo, tg = fp2_mul_fm61(gam2, lv->g[2 * y]);
                qe = fp2_sub(fp2_sub(X, tg), fp2_add(fp2_from_fm61(lv->u[2 * y]), fp2_mul_fm61(gam, lv->b[2 * y])));
                qo = fp2_sub(fp2_sub(X, tg), fp2_add(fp2_from_fm61(lv->u[2 * y + 1]), fp2_mul_fm61(gam, lv->b[2 * y + 1])));
                p[y] = fp2_mul(wt, fp2_add(qe, qo));
                q[y] = fp2_mul(qe, qo);
            } else {
                fp2 lp[2], lq[2];
                for (int b = 0; b < 2; b++) {
                    fm61 d[5];
                    lu_desc(lv, 2 * y + (size_t)b, d);
                    fp2 u = fp2_add(fp2_from_fm61(d[2]), fp2_add(fp2_mul_fm61(gam, d[3]), fp2_mul_fm61(gam2, d[4])));
                    lp[b] = fp2_mul_fm61(wt, d[0]);
                    lq[b] = fp2_sub(fp2_mul_fm61(X, d[1]), u);
                }
                p[y] = fp2_add(fp2_mul(lp[0], lq[1]), fp2_mul(lp[1], lq[0]));
                q[y] = fp2_mul(lq[0], lq[1]);
            }
        }
    }
}

/* Marks nodes [leaf/2, (leaf + 2^nv)/2) with class cl (blocks of one leaf: LU_GEN). */
static void lu_mark(uint8_t *cls, uint64_t leaf, unsigned nv, int cl) {
    if (nv == 0) return;
    memset(cls + leaf / 2, cl, (size_t)1 << (nv - 1));
}

/* a (and b, g) of every leaf of one half, the classes, and the bounds. */
static void lu_leaves_init(lu_leaves *lv, const cx *c, const fp2 X[2], const fp2 wt[2], const fp2 gam[2], unsigned L,
                           unsigned H) {
    const pl_plan *pl = c->pl;
    lv->pl = pl;
    lv->L = L, lv->H = H;
    for (int hh = 0; hh < 2; hh++)
        lv->X[hh] = X[hh], lv->wt[hh] = wt[hh], lv->gam[hh] = gam[hh], lv->gam2[hh] = fp2_sqr(gam[hh]);
    lv->mt = cx_reg_table(c, pl->mreg);
    size_t N = (size_t)1 << L, used = pl->tleaf + ((size_t)1 << pl->lb);
    for (size_t ci = 0; ci < pl->ncol; ci++) {
        size_t end = pl->col[ci].leaf + ((size_t)1 << pl->reg[pl->col[ci].reg].nv);
        if (end > used) used = end;
    }
    for (size_t ci = 0; ci < pl->nfcol; ci++) {
        size_t end = pl->fcol[ci].leaf + ((size_t)1 << pl->reg[pl->fcol[ci].rega].nv);
        if (end > used) used = end;
    }
    for (size_t t = 0; t < pl->ntab; t++) {
        size_t end = pl->tab[t].leaf + ((size_t)1 << pl->tab[t].nv);
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
    if (!pl->ntab) return;
    /* pair columns and function tables: b, g, the classes */
    fm61 *b = lv->b = zk_calloc(N, sizeof *b), *g = lv->g = zk_calloc(N, sizeof *g);
    uint8_t *cls = lv->cls = zk_malloc_n(N / 2, 1);
    lv->tm = zk_calloc(pl->ntab, sizeof *lv->tm);
    for (size_t y = 0; y < N / 2; y++) cls[y] = 2 * y >= used ? LU_PAD : LU_GEN;
    for (size_t ci = 0; ci < pl->ncol; ci++) lu_mark(cls, pl->col[ci].leaf, pl->reg[pl->col[ci].reg].nv, LU_COL);
    for (size_t ci = 0; ci < pl->nfcol; ci++) {
        const pl_fcol *fc = &pl->fcol[ci];
        const fm61 *Ra = cx_reg_table(c, fc->rega), *Rb = cx_reg_table(c, fc->regb);
        size_t n = (size_t)1 << pl->reg[fc->rega].nv;
#pragma omp parallel for schedule(static) if (n >= 65536)
        for (size_t k = 0; k < n; k++) u[fc->leaf + k] = Ra[k], b[fc->leaf + k] = Rb[k], g[fc->leaf + k] = (fm61)(fc->tab + 1);
        lu_mark(cls, fc->leaf, pl->reg[fc->rega].nv, LU_PAIR);
    }
    for (size_t t = 0; t < pl->ntab; t++) {
        const pl_tab *tb = &pl->tab[t];
        lv->tm[t] = cx_reg_table(c, tb->mreg);
        for (size_t k = 0; k < ((size_t)1 << tb->nv); k++)
            u[tb->leaf + k] = tb->a[k], b[tb->leaf + k] = tb->b[k], g[tb->leaf + k] = (fm61)(t + 1);
    }
}

static void lu_leaves_free(lu_leaves *lv) {
    free(lv->u);
    free(lv->b);
    free(lv->g);
    free(lv->cls);
    free(lv->tm);
}

static int lu_stored; /* cnn_test_lookup_stored */
void cnn_test_lookup_stored(int on) { lu_stored = on; }

/* The leaves, stored (the test hook cnn_test_lookup_stored): half hh (leaf bit L) at
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

/* The zero-knowledge mode's Q != 0 (protocol.md sec. 9.8 (g)): the
 * prover sends u = 1/Q masked (cnn/lu/u), then the sumcheck of no
 * variable Q u = 1 (cx_sc, run on one variable) with both finals masked;
 * Q's final is claimed equal to the root's masked Q and u's to the sent u
 * (two linear claims). Both tables are thus fixed before the sumcheck's
 * challenge, so it proves Q u = 1, hence Q != 0. (Without u's claim a
 * prover with Q = 0 passed: its masked final Q' = x_0 (1 - x_0) a is not
 * 0, and u's final could absorb anything; found in review, sec. 9.10.)
 * qt: the prover's true Q. */
zk_err cx_root_nonzero(cx *c, cx_v q, fp2 qt) {
    fp2 tq[1] = {qt}, tu[1] = {fp2_zero()}, *tabs[2] = {tq, tu}, vals[2], red, *pt;
    if (c->P) {
        if (fp2_is_zero(qt)) { /* X hit a denominator's root: probability 2^LT / |F| */
            zk_set_reason("lookup: the challenge hit a root of the denominators; prove again");
            return ZK_EINPUT;
        }
        tu[0] = fp2_inv(qt);
    }
    cx_v uv;
    CX_TRY(cx_xfer_v(c, "cnn/lu/u", tu[0], &uv));
    vp_term t = {.c = fp2_one(), .k = 2, .t = {0, 1}};
    const int send[2] = {1, 1};
    cx_pool vpp[2];
    CX_TRY(cx_sc(c, tabs, 2, &t, 1, 0, cx_v_of(fp2_one()), &pt, &red, vals, send, vpp));
    CX_TRY(cx_sc_check(c, &t, 1, vals, red, "range-check (lookup sum)"));
    CX_TRY(cx_check_eq(c, cx_v_sub(c, cx_fin(vals, vpp, 0), q), fp2_zero(), "range-check (lookup sum)"));
    return cx_check_eq(c, cx_v_sub(c, cx_fin(vals, vpp, 1), uv), fp2_zero(), "range-check (lookup sum)");
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
    int full = lu_stored || LT == 1; /* LT = 1: the one layer reads the leaves stored (its only round is its last, em.h) */
    if (c->P) { /* the tree's layers 0 .. LT-1, and LT (the leaves) when full; else the leaves are lv */
        pl_ = zk_calloc(LT + 1, sizeof *pl_);
        ql_ = zk_calloc(LT + 1, sizeof *ql_);
        if (full) lu_leaves_full(c, pl_ + LT, ql_ + LT, X, wt, gam, L, H);
        else lu_leaves_init(&lv, c, X, wt, gam, L, H);
        for (unsigned j = LT; j-- > 0;) {
            size_t h = (size_t)1 << j;
            pl_[j] = zk_malloc_n(h, sizeof(fp2));
            ql_[j] = zk_malloc_n(h, sizeof(fp2));
            if (j == LT - 1 && !full) lu_leaf_parent(&lv, pl_[j], ql_[j]);
            else sc_frac_parent(pl_[j], ql_[j], pl_[j + 1], ql_[j + 1], h);
        }
    }
    /* the root (P, Q): P = 0 checked in the clear; Q != 0 too, except in
     * the zero-knowledge mode, where Q is sent masked and the prover shows
     * it an inverse instead (cx_root_nonzero; protocol.md sec. 9.8 (g)) */
    fp2 root[2] = {fp2_zero(), fp2_zero()};
    const int rbare[2] = {1, 0};
    cx_v rootv[2];
    if (c->P) root[0] = pl_[0][0], root[1] = ql_[0][0];
    zk_err e = cx_xfer_vn(c, "cnn/lu/root", root, 2, rbare, rootv);
    if (e == ZK_OK && !c->P && (!fp2_is_zero(rootv[0].v) || (!c->z.on && fp2_is_zero(rootv[1].v))))
        e = cx_fail(c, "range-check (lookup sum)");
    if (e == ZK_OK && c->z.on) e = cx_root_nonzero(c, rootv[1], root[1]);
    cx_v P = rootv[0], Q = rootv[1];
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
        cx_pool vpp[5];
        cx_v lclaim = cx_v_add(c, P, cx_v_scale(c, Q, lam));
        red = lclaim.v;
        if (c->z.on && (j == 0 || !c->P)) { /* sec. 9.8: cx_sc's masked finals and absorbing; j = 0 has no round */
            fp2 eqc[1] = {fp2_one()}, c1[4];
            if (c->P) {
                c1[0] = pl_[1][0], c1[1] = pl_[1][1], c1[2] = ql_[1][0], c1[3] = ql_[1][1];
                tabs[E] = eqc;
                for (int k = 0; k < 4; k++) tabs[1 + k] = &c1[k];
            }
            e = cx_sc(c, tabs, 5, t, 3, j, lclaim, &rr, &red, vals, send, vpp);
        } else if (c->z.on) { /* the prover's fraction layers with the same bookkeeping (cx_em) */
            rr = cx_pt(c, j);
            cx_em m;
            fp2 gr = fp2_zero();
            int masked[5] = {0, 1, 1, 1, 1};
            e = cx_em_begin(c, &m, t, 3, 5, j, lclaim.p, masked, NULL);
            if (e) break;
            fp2 cl0 = fp2_sub(lclaim.v, m.abs.part);
            vp_absorb *ab = m.ab ? &m.abs : NULL;
            if (j + 1 < LT || full) {
                sc_frac_prove_layer_em(c->tr, rr, vals + 1, &gr, scr, pl_[j + 1], ql_[j + 1], r, j, lam, cl0, m.mk,
                                       masked + 1, m.a + 1, ab);
            } else { /* the leaves' layer */
                lv.lam = lam;
                sc_frac_src src = {.k = H, .sums = lu_src_sums, .bind = lu_bind, .ctx = &lv};
                sc_frac_prove_src_em(c->tr, rr, vals + 1, &gr, scr, &src, r, j, lam, cl0, m.mk, masked + 1, m.a + 1,
                                     ab);
            }
            zsc_mask_free(m.mk);
            e = cx_em_end(c, &m, rr, gr, &red, vals, send, vpp);
        } else if (c->P) { /* without the mode: the same messages as cx_sc's on these tables and terms */
            rr = cx_pt(c, j);
            cx_rounds(c, j, 3);
            if (j + 1 < LT || full) {
                sc_frac_prove_layer(c->tr, rr, vals + 1, scr, pl_[j + 1], ql_[j + 1], r, j, lam, lclaim.v);
            } else { /* the leaves' layer */
                lv.lam = lam;
                sc_frac_src src = {.k = H, .sums = lu_src_sums, .bind = lu_bind, .ctx = &lv};
                sc_frac_prove_src(c->tr, rr, vals + 1, scr, &src, r, j, lam, lclaim.v);
            }
            for (int k = 1; k < 5; k++) e = e ? e : cx_xfer(c, "cnn/eval", &vals[k], 1);
        } else {
            e = cx_sc(c, tabs, 5, t, 3, j, lclaim, &rr, &red, vals, send, NULL);
        }
        if (e) break;
        vals[E] = mle_eq_eval(r, rr, j);
        if (!c->P) e = cx_sc_check(c, t, 3, vals, red, "range-check (lookup layer)");
        if (e) break;
        fp2 mu = tr_challenge(c->tr, "cnn/lu/mu");
        cx_chal(c, 1); /* the line through the two children's claims */
        if (!c->z.on)
            for (int k = 0; k < 5; k++) vpp[k] = (cx_pool){0, NULL, NULL};
        cx_v pe = cx_fin(vals, vpp, PE), po = cx_fin(vals, vpp, PO), qe = cx_fin(vals, vpp, QE), qo = cx_fin(vals, vpp, QO);
        P = cx_v_add(c, pe, cx_v_scale(c, cx_v_sub(c, po, pe), mu));
        Q = cx_v_add(c, qe, cx_v_scale(c, cx_v_sub(c, qo, qe), mu));
        rn[0] = mu;
        memcpy(rn + 1, rr, j * sizeof(fp2));
        fp2 *sw = r;
        r = rn;
        rn = sw;
    }
    for (int k = 0; k < 4; k++) free(scr[k]);
    if (c->P) {
        lu_leaves_free(&lv);
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
    cx_v Pexp = cx_v_of(fp2_zero()), V = cx_v_of(fp2_zero()), V1 = cx_v_of(fp2_zero());
    fp2 V2 = fp2_zero(), selsum = fp2_zero();
    int *sent = zk_calloc(pl->nreg, sizeof *sent);
    fp2 *rv = zk_calloc(pl->nreg, sizeof *rv);
    cx_v *rvv = zk_calloc(pl->nreg, sizeof *rvv); /* the sent values (sec. 9.8 (c): masked in the zk mode) */
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
                e = cx_xfer_v(c, "cnn/lu/leaf", rv[reg], &rvv[reg]);
                sent[reg] = 1;
                cx_claim_region(c, reg, r, rvv[reg], NULL);
            }
            if (e) break;
            unsigned nv = pl->reg[regs[0]].nv;
            uint64_t leaf = isf ? pl->fcol[fi].leaf : tb->leaf;
            fp2 sel = cx_sel_eval(leaf >> nv, r, nv, L);
            fm61 tag = (fm61)((isf ? pl->fcol[fi].tab : (int)(fi - pl->nfcol)) + 1);
            cx_v a, b;
            selsum = fp2_add(selsum, sel);
            if (isf) {
                a = rvv[regs[0]], b = rvv[regs[1]];
                Pexp = cx_v_addk(Pexp, sel);
            } else { /* the verifier's own table, from the key */
                a = cx_v_of(mle_eval_fm61(tb->a, nv, r));
                b = cx_v_of(mle_eval_fm61(tb->b, nv, r));
                Pexp = cx_v_sub(c, Pexp, cx_v_scale(c, rvv[tb->mreg], sel));
            }
            V = cx_v_add(c, V, cx_v_scale(c, a, sel));
            V1 = cx_v_add(c, V1, cx_v_scale(c, b, sel));
            V2 = fp2_add(V2, fp2_mul_fm61(sel, tag));
            continue;
        }
        int reg = ci < pl->ncol ? pl->col[ci].reg : pl->mreg;
        const pl_region *rg = &pl->reg[reg];
        if (!sent[reg]) {
            if (c->P) rv[reg] = mle_eval_fm61(cx_reg_table(c, reg), rg->nv, r);
            e = cx_xfer_v(c, "cnn/lu/leaf", rv[reg], &rvv[reg]);
            if (e) break;
            sent[reg] = 1;
            cx_claim_region(c, reg, r, rvv[reg], NULL);
        }
        uint64_t leaf = ci < pl->ncol ? pl->col[ci].leaf : pl->tleaf;
        fp2 sel = cx_sel_eval(leaf >> rg->nv, r, rg->nv, L);
        selsum = fp2_add(selsum, sel);
        if (ci < pl->ncol) {
            const pl_col *col = &pl->col[ci];
            cx_v val = cx_v_scale(c, rvv[reg], cx_int(col->scale));
            if (col->off) {
                fm61 *o = zk_calloc((size_t)1 << rg->nv, sizeof *o);
                for (int64_t k = 0; k < rg->len; k++) o[k] = fm61_from_i64(col->off[k]);
                val = cx_v_addk(val, mle_eval_fm61(o, rg->nv, r));
                free(o);
            }
            if (col->coff) val = cx_v_addk(val, cx_int(col->coff)); /* its MLE over the whole block: coff */
            Pexp = cx_v_addk(Pexp, sel);
            V = cx_v_add(c, V, cx_v_scale(c, val, sel));
        } else {
            fp2 id = fp2_zero();
            for (unsigned k = 0; k < pl->lb; k++) id = fp2_add(id, fp2_mul(cx_pow2((int)k), r[k]));
            Pexp = cx_v_sub(c, Pexp, cx_v_scale(c, rvv[reg], sel));
            V = cx_v_addk(V, fp2_mul(sel, id));
        }
    }
    free(sent);
    free(rv);
    free(rvv);
    cx_v Vh[2];
    for (unsigned hh = 0; hh < 2; hh++)
        Vh[hh] = cx_v_addk(cx_v_add(c, V, cx_v_scale(c, V1, gam[hh])), fp2_mul(gam2[hh], V2));
    /* Q~(X) = X S + rest, rest = 1 - S - Vh */
    cx_v rest = cx_v_addk(cx_v_scale(c, Vh[0], fp2_neg(fp2_one())), fp2_sub(fp2_one(), selsum));
    cx_v Qexp = cx_v_addk(rest, fp2_mul(X[0], selsum));
    if (H == 2) { /* the halves, selected by leaf bit lnv: r[L] */
        fp2 lo = fp2_sub(fp2_one(), r[L]);
        cx_v rest1 = cx_v_addk(cx_v_scale(c, Vh[1], fp2_neg(fp2_one())), fp2_sub(fp2_one(), selsum));
        Pexp = cx_v_scale(c, Pexp, fp2_add(lo, fp2_mul(r[L], wt[1])));
        Qexp = cx_v_add(c, cx_v_scale(c, Qexp, lo), cx_v_scale(c, cx_v_addk(rest1, fp2_mul(X[1], selsum)), r[L]));
    }
    /* the leaves against the last layer's claims (a linear claim each in the zk mode) */
    if (e == ZK_OK) e = cx_check_eq(c, cx_v_sub(c, P, Pexp), fp2_zero(), "range-check (lookup leaves)");
    if (e == ZK_OK) e = cx_check_eq(c, cx_v_sub(c, Q, Qexp), fp2_zero(), "range-check (lookup leaves)");
    if (c->st) c->st->t[CNN_PH_LOOKUP] += cx_now() - t0;
    return e;
}
