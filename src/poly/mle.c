#include "mle.h"

/* Parallel loops only pay off on long tables. */
#define MLE_PAR_MIN (1u << 14)

/* eq table by doubling: after step j the first 2^(j+1) entries hold
 * eq((r_0..r_j), x). Entry x with top bit set is t[x - 2^j] * r_j, the other
 * is t[x] * (1 - r_j) = t[x] - t[x] * r_j: one multiplication per entry. */
void mle_eq_table_scaled(fp2 *out, const fp2 *r, unsigned n, fp2 scale) {
    out[0] = scale;
    for (unsigned j = 0; j < n; j++) {
        size_t h = (size_t)1 << j;
        fp2 rj = r[j];
#pragma omp parallel for schedule(static) if (h >= MLE_PAR_MIN)
        for (size_t x = 0; x < h; x++) {
            fp2 hi = fp2_mul(out[x], rj);
            out[x + h] = hi;
            out[x] = fp2_sub(out[x], hi);
        }
    }
}

void mle_eq_table(fp2 *out, const fp2 *r, unsigned n) { mle_eq_table_scaled(out, r, n, fp2_one()); }

/* The first n-1 variables go into a half-size table; the last doubling
 * step adds straight into out, so no full-size temporary is written. */
void mle_eq_table_add(fp2 *out, const fp2 *r, unsigned n, fp2 scale) {
    if (n == 0) {
        out[0] = fp2_add(out[0], scale);
        return;
    }
    size_t h = (size_t)1 << (n - 1);
    fp2 *t = zk_aligned_n(h, sizeof *t);
    mle_eq_table_scaled(t, r, n - 1, scale);
    fp2 rl = r[n - 1];
#pragma omp parallel for schedule(static) if (h >= MLE_PAR_MIN)
    for (size_t x = 0; x < h; x++) {
        fp2 hi = fp2_mul(t[x], rl);
        out[x] = fp2_add(out[x], fp2_sub(t[x], hi));
        out[x + h] = fp2_add(out[x + h], hi);
    }
    free(t);
}

fp2 mle_eq_eval(const fp2 *a, const fp2 *b, unsigned n) {
    fp2 acc = fp2_one();
    for (unsigned j = 0; j < n; j++) {
        /* a b + (1-a)(1-b) = 1 - a - b + 2ab */
        fp2 ab = fp2_mul(a[j], b[j]);
        fp2 t = fp2_sub(fp2_add(fp2_one(), fp2_dbl(ab)), fp2_add(a[j], b[j]));
        acc = fp2_mul(acc, t);
    }
    return acc;
}

void mle_fold(fp2 *t, size_t h, fp2 c) {
#pragma omp parallel for schedule(static) if (h >= MLE_PAR_MIN)
    for (size_t i = 0; i < h; i++) t[i] = fp2_add(t[i], fp2_mul(c, fp2_sub(t[i + h], t[i])));
}

void mle_fold_fm61(fp2 *out, const fm61 *t, size_t h, fp2 c) {
#pragma omp parallel for schedule(static) if (h >= MLE_PAR_MIN)
    for (size_t i = 0; i < h; i++) {
        fm61 d = fm61_sub(t[i + h], t[i]);
        fp2 v = fp2_mul_fm61(c, d);
        v.re = fm61_add(v.re, t[i]);
        out[i] = v;
    }
}

void mle_lift(fp2 *out, const fm61 *t, size_t n) {
#pragma omp parallel for schedule(static) if (n >= MLE_PAR_MIN)
    for (size_t i = 0; i < n; i++) out[i] = fp2_from_fm61(t[i]);
}

fp2 mle_eval_fp2(const fp2 *t, unsigned n, const fp2 *r) {
    if (n == 0) return t[0];
    size_t h = (size_t)1 << (n - 1);
    fp2 *w = zk_aligned_n(h, sizeof *w);
    for (size_t i = 0; i < h; i++) w[i] = fp2_add(t[i], fp2_mul(r[n - 1], fp2_sub(t[i + h], t[i])));
    for (unsigned j = n - 1; j-- > 0;) {
        h >>= 1;
        mle_fold(w, h, r[j]);
    }
    fp2 v = w[0];
    free(w);
    return v;
}

fp2 mle_eval_fm61(const fm61 *t, unsigned n, const fp2 *r) {
    if (n == 0) return fp2_from_fm61(t[0]);
    size_t h = (size_t)1 << (n - 1);
    fp2 *w = zk_aligned_n(h, sizeof *w);
    mle_fold_fm61(w, t, h, r[n - 1]);
    for (unsigned j = n - 1; j-- > 0;) {
        h >>= 1;
        mle_fold(w, h, r[j]);
    }
    fp2 v = w[0];
    free(w);
    return v;
}

/* sum_{x < len} t[x] eq(r, x) with a full eq table: O(2^n) time and
 * O(2^n) memory (the doubling builds every entry before the last step). */
fp2 mle_eval_fm61_padded(const fm61 *t, size_t len, unsigned n, const fp2 *r) {
    size_t full = (size_t)1 << n;
    ZK_CHECK(len <= full);
    if (len == full) return mle_eval_fm61(t, n, r);
    fp2 *e = zk_aligned_n(full, sizeof *e);
    mle_eq_table(e, r, n);
    fp2 sum = fp2_zero();
    for (size_t x = 0; x < len; x++) sum = fp2_add(sum, fp2_mul_fm61(e[x], t[x]));
    free(e);
    return sum;
}
