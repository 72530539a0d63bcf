#include "mle.h"

#include <string.h>

/* Parallel loops only pay off on long tables. */
#define MLE_PAR_MIN (1u << 14)

int mle_have_avx512(void) {
#ifdef MLE_AVX512
    const char *off = getenv("GKRCNN_NO_AVX512");
    if (off && *off && strcmp(off, "0") != 0) return 0;
    return __builtin_cpu_supports("avx512f") != 0;
#else
    return 0;
#endif
}

/* eq table by doubling: after step j the first 2^(j+1) entries hold
 * eq((r_0..r_j), x). Entry x with top bit set is t[x - 2^j] * r_j, the other
 * is t[x] * (1 - r_j) = t[x] - t[x] * r_j: one multiplication per entry.
 * Used for the small half tables below (serial: at most 2^(n/2 + 1) entries). */
static void mle_eq_doubling(fp2 *out, const fp2 *r, unsigned n, fp2 scale) {
    out[0] = scale;
    for (unsigned j = 0; j < n; j++) {
        size_t h = (size_t)1 << j;
        mle_coef rj = mle_coef_of(r[j]);
        for (size_t x = 0; x < h; x++) {
            fp2 hi = mle_mul_coef(out[x], rj);
            out[x + h] = hi;
            out[x] = fp2_sub(out[x], hi);
        }
    }
}

/* Large eq tables are written in one pass from two half tables (see
 * mle_eq_halves in mle.h), built by doubling: each entry of the big table
 * then costs one product by a factor fixed for its row (mle_mul_coef),
 * instead of the doubling's n passes over a table that does not fit in
 * cache. The values are the same field elements either way. */
void mle_eq_halves_init(mle_eq_halves *hv, const fp2 *const *r, const fp2 *scale, size_t m, unsigned n) {
    hv->lo = n / 2;
    hv->m = m;
    hv->rows = (size_t)1 << (n - hv->lo);
    size_t cols = (size_t)1 << hv->lo;
    hv->low = zk_aligned_n(m * cols, sizeof(fp2));
    hv->high = zk_aligned_n(m * hv->rows, sizeof(fp2));
    for (size_t k = 0; k < m; k++) {
        mle_eq_doubling(hv->low + k * cols, r[k], hv->lo, fp2_one());
        mle_eq_doubling(hv->high + k * hv->rows, r[k] + hv->lo, n - hv->lo, scale[k]);
    }
}

void mle_eq_halves_free(mle_eq_halves *hv) {
    free(hv->low);
    free(hv->high);
}

/* Row xh of the table: o = sum_k scale_k eq(r_k, xh 2^lo + .) (add = 0) or
 * o += that (add = 1), one point after the other (the row, 2^lo entries,
 * stays in L1). */
static void mle_eq_row(fp2 *o, const mle_eq_halves *hv, size_t xh, int add) {
    size_t cols = (size_t)1 << hv->lo;
    for (size_t k = 0; k < hv->m; k++) {
        const fp2 *low = hv->low + k * cols;
        mle_coef c = mle_coef_of(hv->high[k * hv->rows + xh]);
        if (k == 0 && !add)
            for (size_t xl = 0; xl < cols; xl++) o[xl] = mle_mul_coef(low[xl], c);
        else
            for (size_t xl = 0; xl < cols; xl++) o[xl] = fp2_add(o[xl], mle_mul_coef(low[xl], c));
    }
}

#ifdef MLE_AVX512
/* The same, eight entries at a time (rows of >= 8 entries). */
MLE_TARGET static void mle_eq_row_avx512(fp2 *o, const mle_eq_halves *hv, size_t xh, int add) {
    size_t cols = (size_t)1 << hv->lo;
    for (size_t k = 0; k < hv->m; k++) {
        const fp2 *low = hv->low + k * cols;
        mle_vcoef c = mle_vcoef_of(hv->high[k * hv->rows + xh]);
        for (size_t xl = 0; xl < cols; xl += 8) {
            mle_v2 v = mle_v_mul_coef(mle_v_load(low + xl), &c);
            if (k == 0 && !add) {
                v.re = fm61v_canon(v.re);
                v.im = fm61v_canon(v.im);
            } else {
                mle_v2 w = mle_v_load(o + xl);
                v.re = fm61v_canon(_mm512_add_epi64(v.re, w.re));
                v.im = fm61v_canon(_mm512_add_epi64(v.im, w.im));
            }
            mle_v_store(o + xl, v);
        }
    }
}
#endif

/* out = sum_k scale_k eq(r_k, .) (add = 0) or out += that (add = 1), row by row. */
static void mle_eq_pass(fp2 *out, const fp2 *const *r, const fp2 *scale, size_t m, unsigned n, int add) {
    mle_eq_halves hv;
    mle_eq_halves_init(&hv, r, scale, m, n);
    size_t cols = (size_t)1 << hv.lo;
    int vec = 0;
#ifdef MLE_AVX512
    vec = cols >= 8 && mle_have_avx512();
#endif
#pragma omp parallel for schedule(static) if (hv.rows * cols >= MLE_PAR_MIN)
    for (size_t xh = 0; xh < hv.rows; xh++) {
#ifdef MLE_AVX512
        if (vec) {
            mle_eq_row_avx512(out + xh * cols, &hv, xh, add);
            continue;
        }
#endif
        mle_eq_row(out + xh * cols, &hv, xh, add);
    }
    (void)vec;
    mle_eq_halves_free(&hv);
}

void mle_eq_table_scaled(fp2 *out, const fp2 *r, unsigned n, fp2 scale) { mle_eq_pass(out, &r, &scale, 1, n, 0); }

void mle_eq_table(fp2 *out, const fp2 *r, unsigned n) { mle_eq_table_scaled(out, r, n, fp2_one()); }

void mle_eq_table_add(fp2 *out, const fp2 *r, unsigned n, fp2 scale) { mle_eq_pass(out, &r, &scale, 1, n, 1); }

void mle_eq_table_sum(fp2 *out, const fp2 *const *r, const fp2 *scale, size_t m, unsigned n) {
    ZK_CHECK(m >= 1);
    mle_eq_pass(out, r, scale, m, n, 0);
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

/* Folds run in blocks of MLE_BLK entries (a multiple of the vector width
 * 8), each by the scalar or the AVX-512 kernel: the same values. */
#define MLE_BLK 1024

static void mle_fold_blk(fp2 *t, size_t h, fp2 c, size_t lo, size_t hi) {
    mle_coef k = mle_coef_of(c);
    for (size_t i = lo; i < hi; i++) t[i] = mle_fold1(t[i], t[i + h], k);
}

static void mle_fold_fm61_blk(fp2 *out, const fm61 *t, size_t h, fp2 c, size_t lo, size_t hi) {
    mle_coef k = mle_coef_of(c);
    for (size_t i = lo; i < hi; i++) out[i] = mle_fold1_fm61(t[i], t[i + h], k);
}

#ifdef MLE_AVX512
MLE_TARGET static void mle_fold_blk_avx512(fp2 *t, size_t h, fp2 c, size_t lo, size_t hi) {
    mle_vcoef k = mle_vcoef_of(c);
    for (size_t i = lo; i < hi; i += 8) mle_v_store(t + i, mle_v_fold1(mle_v_load(t + i), mle_v_load(t + i + h), &k));
}

MLE_TARGET static void mle_fold_fm61_blk_avx512(fp2 *out, const fm61 *t, size_t h, fp2 c, size_t lo, size_t hi) {
    mle_vcoef k = mle_vcoef_of(c);
    for (size_t i = lo; i < hi; i += 8)
        mle_v_store(out + i, mle_v_fold1_fm61(mle_v_load_fm61(t + i), mle_v_load_fm61(t + i + h), &k));
}
#endif

/* h is a power of two; the vector kernels need h >= 8. */
static int mle_vec(size_t h) {
#ifdef MLE_AVX512
    return h >= 8 && (h & 7) == 0 && mle_have_avx512();
#else
    (void)h;
    return 0;
#endif
}

void mle_fold(fp2 *t, size_t h, fp2 c) {
    int vec = mle_vec(h);
    size_t nblk = (h + MLE_BLK - 1) / MLE_BLK;
#pragma omp parallel for schedule(static) if (h >= MLE_PAR_MIN)
    for (size_t b = 0; b < nblk; b++) {
        size_t lo = b * MLE_BLK, hi = lo + MLE_BLK < h ? lo + MLE_BLK : h;
#ifdef MLE_AVX512
        if (vec) {
            mle_fold_blk_avx512(t, h, c, lo, hi);
            continue;
        }
#endif
        mle_fold_blk(t, h, c, lo, hi);
    }
    (void)vec;
}

void mle_fold_fm61(fp2 *out, const fm61 *t, size_t h, fp2 c) {
    int vec = mle_vec(h);
    size_t nblk = (h + MLE_BLK - 1) / MLE_BLK;
#pragma omp parallel for schedule(static) if (h >= MLE_PAR_MIN)
    for (size_t b = 0; b < nblk; b++) {
        size_t lo = b * MLE_BLK, hi = lo + MLE_BLK < h ? lo + MLE_BLK : h;
#ifdef MLE_AVX512
        if (vec) {
            mle_fold_fm61_blk_avx512(out, t, h, c, lo, hi);
            continue;
        }
#endif
        mle_fold_fm61_blk(out, t, h, c, lo, hi);
    }
    (void)vec;
}

void mle_lift(fp2 *out, const fm61 *t, size_t n) {
#pragma omp parallel for schedule(static) if (n >= MLE_PAR_MIN)
    for (size_t i = 0; i < n; i++) out[i] = fp2_from_fm61(t[i]);
}

fp2 mle_eval_fp2(const fp2 *t, unsigned n, const fp2 *r) {
    if (n == 0) return t[0];
    size_t h = (size_t)1 << (n - 1);
    fp2 *w = zk_aligned_n(h, sizeof *w);
    mle_coef c = mle_coef_of(r[n - 1]);
    for (size_t i = 0; i < h; i++) w[i] = mle_fold1(t[i], t[i + h], c);
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
 * O(2^n) memory. */
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
