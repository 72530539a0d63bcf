/* lookup.c -- the range checks: logUp (Haboeck, "Multivariate lookups
 * based on logarithmic derivatives", 2022) with a GKR for the fraction sum
 * (Papini-Haboeck, "Improving logarithmic derivative lookups using GKR",
 * 2023); papers/protocol.md sec. 7.4, sec. 7.8.6 for every message.
 *
 * Relation: every column entry scale R[i] + off[i] (plan.h: limbs of the
 * quantities, the average-pool remainders) lies in T = [0, 2^lb):
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
 */
#include <stdlib.h>
#include <string.h>

#include "../poly/mle.h"
#include "../sumcheck/frac.h"
#include "cnn_int.h"

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
    if (c->P) {
        pl_ = zk_calloc(LT + 1, sizeof *pl_);
        ql_ = zk_calloc(LT + 1, sizeof *ql_);
        size_t N = (size_t)1 << LT;
        fp2 *p = pl_[LT] = zk_calloc(N, sizeof(fp2)), *q = ql_[LT] = zk_malloc_n(N, sizeof(fp2));
#pragma omp parallel for schedule(static) if (N >= 65536)
        for (size_t k = 0; k < N; k++) q[k] = fp2_one();
        /* half hh (leaf bit L) at base hh 2^L: challenge X[hh], weight wt[hh] */
        for (size_t ci = 0; ci < pl->ncol; ci++) {
            const pl_col *col = &pl->col[ci];
            const pl_region *rg = &pl->reg[col->reg];
            const fm61 *R = cx_reg_table(c, col->reg);
            fm61 sc = fm61_from_i64(col->scale);
#pragma omp parallel for schedule(static) if (rg->nv >= 16)
            for (size_t k = 0; k < ((size_t)1 << rg->nv); k++) {
                fm61 val = fm61_mul(sc, R[k]);
                if (col->off && (int64_t)k < rg->len) val = fm61_add(val, fm61_from_i64(col->off[k]));
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
        for (unsigned j = LT; j-- > 0;) {
            size_t h = (size_t)1 << j;
            pl_[j] = zk_malloc_n(h, sizeof(fp2));
            ql_[j] = zk_malloc_n(h, sizeof(fp2));
            const fp2 *cp = pl_[j + 1], *cq = ql_[j + 1];
#pragma omp parallel for schedule(static) if (h >= 4096)
            for (size_t x = 0; x < h; x++) {
                pl_[j][x] = fp2_add(fp2_mul(cp[2 * x], cq[2 * x + 1]), fp2_mul(cp[2 * x + 1], cq[2 * x]));
                ql_[j][x] = fp2_mul(cq[2 * x], cq[2 * x + 1]);
            }
        }
    }
    fp2 root[2] = {fp2_zero(), fp2_zero()};
    if (c->P) root[0] = pl_[0][0], root[1] = ql_[0][0];
    zk_err e = cx_xfer(c, "cnn/lu/root", root, 2);
    if (e == ZK_OK && !c->P && (!fp2_is_zero(root[0]) || fp2_is_zero(root[1])))
        e = cx_fail(c, "range-check (lookup sum)");
    fp2 P = root[0], Q = root[1];
    fp2 *r = cx_pt(c, LT), *rn = cx_pt(c, LT);
    for (unsigned j = 0; j < LT && e == ZK_OK; j++) {
        fp2 lam = tr_challenge(c->tr, "cnn/lu/lambda");
        cx_chal(c, 1); /* P + lam Q */
        size_t h = (size_t)1 << j;
        enum { E, PE, PO, QE, QO };
        fp2 *tabs[5] = {0};
        if (c->P) {
            for (int k = 1; k < 5; k++) tabs[k] = zk_malloc_n(h, sizeof(fp2));
#pragma omp parallel for schedule(static) if (h >= 65536)
            for (size_t x = 0; x < h; x++) {
                tabs[PE][x] = pl_[j + 1][2 * x];
                tabs[PO][x] = pl_[j + 1][2 * x + 1];
                tabs[QE][x] = ql_[j + 1][2 * x];
                tabs[QO][x] = ql_[j + 1][2 * x + 1];
            }
        }
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
            sc_frac_prove(c->tr, rr, vals + 1, tabs + 1, r, j, lam, lclaim);
            for (int k = 1; k < 5; k++) e = e ? e : cx_xfer(c, "cnn/eval", &vals[k], 1);
        } else {
            e = cx_sc(c, tabs, 5, t, 3, j, lclaim, &rr, &red, vals, send);
        }
        for (int k = 0; k < 5; k++) free(tabs[k]);
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
    if (c->P) {
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
