#include "sc.h"

#include "../poly/mle.h"

#define SC_PAR_MIN (1u << 13)

fp2 sc_interpolate(const fp2 *evals, unsigned deg, fp2 r) {
    ZK_CHECK(deg <= SC_MAX_DEGREE);
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

/* Round evaluations for k = 2 at X = 0 and X = 2:
 *   g(0) = sum a0 b0,   g(2) = sum (2 a1 - a0)(2 b1 - b0).
 * Products are accumulated unreduced in blocks of FP2_ACC_MAX. */
static void sc_round_deg2(fp2 out[3], const fp2 *A, const fp2 *B, size_t h) {
    fp2 e0 = fp2_zero(), e2 = fp2_zero();
#pragma omp parallel if (h >= SC_PAR_MIN)
    {
        fp2 l0 = fp2_zero(), l2 = fp2_zero();
#pragma omp for schedule(static) nowait
        for (size_t blk = 0; blk < h; blk += FP2_ACC_MAX) {
            size_t end = blk + FP2_ACC_MAX < h ? blk + FP2_ACC_MAX : h;
            fp2_acc a0, a2;
            fp2_acc_zero(&a0);
            fp2_acc_zero(&a2);
            for (size_t i = blk; i < end; i++) {
                fp2 x0 = A[i], x1 = A[i + h], y0 = B[i], y1 = B[i + h];
                fp2_acc_mul(&a0, x0, y0);
                fp2 x2 = fp2_sub(fp2_dbl(x1), x0), y2 = fp2_sub(fp2_dbl(y1), y0);
                fp2_acc_mul(&a2, x2, y2);
            }
            l0 = fp2_add(l0, fp2_acc_reduce(&a0));
            l2 = fp2_add(l2, fp2_acc_reduce(&a2));
        }
#pragma omp critical(sc_round)
        {
            e0 = fp2_add(e0, l0);
            e2 = fp2_add(e2, l2);
        }
    }
    out[0] = e0;
    out[2] = e2;
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

void sc_prove(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const *tables, unsigned k, unsigned n, fp2 claim) {
    ZK_CHECK(k >= 1 && k <= SC_MAX_DEGREE);
    for (unsigned s = 0; s < n; s++) {
        size_t h = (size_t)1 << (n - 1 - s);
        fp2 g[SC_MAX_DEGREE + 1];
        if (k == 2)
            sc_round_deg2(g, tables[0], tables[1], h);
        else
            sc_round_generic(g, tables, k, h);
        g[1] = fp2_sub(claim, g[0]);
        tr_put_fp2(tr, "sc/round", g, k + 1);
        fp2 r = tr_challenge(tr, "sc/r");
        point[n - 1 - s] = r;
        claim = sc_interpolate(g, k, r);
        for (unsigned j = 0; j < k; j++) mle_fold(tables[j], h, r);
    }
    for (unsigned j = 0; j < k; j++) finals[j] = tables[j][0];
}

/* Round-1 evaluations for a base-field V and an extension table h:
 *   g(0) = sum V0 h0,   g(2) = sum (2 V1 - V0)(2 h1 - h0),
 * base x extension products accumulated unreduced (each part < 2^122, so
 * 64 fit in 128 bits). */
static void sc_round_base(fp2 out[3], const fm61 *V, const fp2 *h, size_t H) {
    fp2 e0 = fp2_zero(), e2 = fp2_zero();
#pragma omp parallel if (H >= SC_PAR_MIN)
    {
        fp2 l0 = fp2_zero(), l2 = fp2_zero();
#pragma omp for schedule(static) nowait
        for (size_t blk = 0; blk < H; blk += 64) {
            size_t end = blk + 64 < H ? blk + 64 : H;
            fm61_u128 a0r = 0, a0i = 0, a2r = 0, a2i = 0;
            for (size_t i = blk; i < end; i++) {
                fm61 v0 = V[i], v1 = V[i + H];
                fm61 v2 = fm61_sub(fm61_add(v1, v1), v0);
                fp2 h0 = h[i], h2 = fp2_sub(fp2_dbl(h[i + H]), h0);
                a0r += (fm61_u128)v0 * h0.re;
                a0i += (fm61_u128)v0 * h0.im;
                a2r += (fm61_u128)v2 * h2.re;
                a2i += (fm61_u128)v2 * h2.im;
            }
            l0 = fp2_add(l0, fp2_make(fm61_reduce128(a0r), fm61_reduce128(a0i)));
            l2 = fp2_add(l2, fp2_make(fm61_reduce128(a2r), fm61_reduce128(a2i)));
        }
#pragma omp critical(sc_round)
        {
            e0 = fp2_add(e0, l0);
            e2 = fp2_add(e2, l2);
        }
    }
    out[0] = e0;
    out[2] = e2;
}

void sc_prove_base(tr_t *tr, fp2 *point, fp2 *finals, const fm61 *V, fp2 *vbuf, fp2 *h, unsigned n, fp2 claim) {
    if (n == 0) {
        finals[0] = fp2_from_fm61(V[0]);
        finals[1] = h[0];
        return;
    }
    size_t H = (size_t)1 << (n - 1);
    fp2 g[3];
    sc_round_base(g, V, h, H);
    g[1] = fp2_sub(claim, g[0]);
    tr_put_fp2(tr, "sc/round", g, 3);
    fp2 r = tr_challenge(tr, "sc/r");
    point[n - 1] = r;
    mle_fold_fm61(vbuf, V, H, r);
    mle_fold(h, H, r);
    fp2 *tabs[2] = {vbuf, h};
    sc_prove(tr, point, finals, tabs, 2, n - 1, sc_interpolate(g, 2, r));
}

zk_err sc_verify(tr_t *tr, fp2 *point, fp2 *claim, unsigned deg, unsigned n) {
    ZK_CHECK(deg >= 1 && deg <= SC_MAX_DEGREE);
    fp2 c = *claim;
    for (unsigned s = 0; s < n; s++) {
        fp2 g[SC_MAX_DEGREE + 1];
        if (tr_get_fp2(tr, "sc/round", g, deg + 1) != ZK_OK) {
            zk_set_reason("sumcheck round %u of %u: truncated or non-canonical message", s + 1, n);
            return ZK_EFORMAT;
        }
        if (!fp2_eq(fp2_add(g[0], g[1]), c)) {
            zk_set_reason("sumcheck round %u of %u: g(0)+g(1) != claim", s + 1, n);
            return ZK_EPROOF;
        }
        fp2 r = tr_challenge(tr, "sc/r");
        point[n - 1 - s] = r;
        c = sc_interpolate(g, deg, r);
    }
    *claim = c;
    return ZK_OK;
}
