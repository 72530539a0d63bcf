/* test_mle.c -- multilinear extensions against the definition
 *     f(r) = sum_x t[x] eq(r, x),  eq(r, x) = prod_j (x_j ? r_j : 1 - r_j),
 * computed term by term (O(n 2^n)), with variable j = bit j of x. */
#include <string.h>

#include "../src/poly/mle.h"
#include "test.h"

#define P FM61_P

static fm61 rand_fm61(zk_rng *rng) { return zk_rng_u64(rng) % P; }
static fp2 rand_fp2(zk_rng *rng) { return fp2_make(rand_fm61(rng), rand_fm61(rng)); }

static fp2 eq_brute(const fp2 *r, unsigned n, size_t x) {
    fp2 e = fp2_one();
    for (unsigned j = 0; j < n; j++) e = fp2_mul(e, (x >> j) & 1 ? r[j] : fp2_sub(fp2_one(), r[j]));
    return e;
}

static fp2 eval_brute_fp2(const fp2 *t, size_t len, unsigned n, const fp2 *r) {
    fp2 s = fp2_zero();
    for (size_t x = 0; x < len; x++) s = fp2_add(s, fp2_mul(t[x], eq_brute(r, n, x)));
    return s;
}

static fp2 eval_brute_fm61(const fm61 *t, size_t len, unsigned n, const fp2 *r) {
    fp2 s = fp2_zero();
    for (size_t x = 0; x < len; x++) s = fp2_add(s, fp2_mul_fm61(eq_brute(r, n, x), t[x]));
    return s;
}

static void test_eq(zk_rng *rng) {
    enum { NMAX = 11 };
    fp2 r[NMAX], b[NMAX];
    fp2 *tab = zk_aligned_n((size_t)1 << NMAX, sizeof *tab);
    fp2 *acc = zk_aligned_n((size_t)1 << NMAX, sizeof *acc);
    for (unsigned n = 0; n <= NMAX; n++) {
        size_t len = (size_t)1 << n;
        for (unsigned j = 0; j < n; j++) r[j] = rand_fp2(rng);
        if (n >= 2) r[1] = fp2_zero(), r[0] = fp2_one(); /* boolean coordinates too */
        mle_eq_table(tab, r, n);
        int ok = 1;
        fp2 sum = fp2_zero();
        for (size_t x = 0; x < len; x++) {
            ok &= fp2_eq(tab[x], eq_brute(r, n, x));
            sum = fp2_add(sum, tab[x]);
        }
        TEST_CHECK(ok);
        TEST_CHECK(fp2_eq(sum, fp2_one())); /* sum_x eq(r, x) = 1 */

        /* scaled, including scale 0, and the accumulating variant */
        fp2 sc = n % 3 == 0 ? fp2_zero() : rand_fp2(rng);
        mle_eq_table_scaled(tab, r, n, sc);
        for (size_t x = 0; x < len; x++) acc[x] = rand_fp2(rng);
        fp2 *before = zk_aligned_n(len, sizeof *before);
        memcpy(before, acc, len * sizeof *acc);
        mle_eq_table_add(acc, r, n, sc);
        ok = 1;
        for (size_t x = 0; x < len; x++) {
            fp2 e = fp2_mul(sc, eq_brute(r, n, x));
            ok &= fp2_eq(tab[x], e);
            ok &= fp2_eq(acc[x], fp2_add(before[x], e));
        }
        TEST_CHECK(ok);
        free(before);

        /* eq_eval against the product formula and against the table */
        for (unsigned j = 0; j < n; j++) b[j] = rand_fp2(rng);
        fp2 want = fp2_one();
        for (unsigned j = 0; j < n; j++)
            want = fp2_mul(want, fp2_add(fp2_mul(r[j], b[j]),
                                         fp2_mul(fp2_sub(fp2_one(), r[j]), fp2_sub(fp2_one(), b[j]))));
        TEST_CHECK(fp2_eq(mle_eq_eval(r, b, n), want));
        TEST_CHECK(fp2_eq(mle_eq_eval(b, r, n), want));
        size_t x = len > 1 ? zk_rng_u64(rng) % len : 0;
        for (unsigned j = 0; j < n; j++) b[j] = fp2_from_fm61((x >> j) & 1);
        mle_eq_table(tab, r, n);
        TEST_CHECK(fp2_eq(mle_eq_eval(r, b, n), tab[x]));
    }
    free(tab);
    free(acc);
}

static void test_eval(zk_rng *rng) {
    enum { NMAX = 10 };
    size_t full = (size_t)1 << NMAX;
    fp2 *t = zk_aligned_n(full, sizeof *t), *w = zk_aligned_n(full, sizeof *w);
    fm61 *tb = zk_malloc_n(full, sizeof *tb);
    fp2 r[NMAX];
    for (unsigned n = 0; n <= NMAX; n++) {
        size_t len = (size_t)1 << n;
        for (size_t x = 0; x < len; x++) {
            t[x] = rand_fp2(rng);
            tb[x] = x % 7 == 3 ? P - 1 : rand_fm61(rng);
        }
        for (unsigned j = 0; j < n; j++) r[j] = rand_fp2(rng);

        /* evaluation against the definition */
        fp2 vf = mle_eval_fp2(t, n, r), vb = mle_eval_fm61(tb, n, r);
        TEST_CHECK(fp2_eq(vf, eval_brute_fp2(t, len, n, r)));
        TEST_CHECK(fp2_eq(vb, eval_brute_fm61(tb, len, n, r)));

        /* lift: the base table seen as an extension table */
        mle_lift(w, tb, len);
        int ok = 1;
        for (size_t x = 0; x < len; x++) ok &= fp2_eq(w[x], fp2_from_fm61(tb[x]));
        TEST_CHECK(ok);
        TEST_CHECK(fp2_eq(mle_eval_fp2(w, n, r), vb));

        if (n >= 1) {
            /* folding binds the highest variable: f(r_0..r_{n-2}, c) */
            size_t h = len / 2;
            memcpy(w, t, len * sizeof *t);
            mle_fold(w, h, r[n - 1]);
            TEST_CHECK(fp2_eq(mle_eval_fp2(w, n - 1, r), vf));
            mle_fold_fm61(w, tb, h, r[n - 1]);
            TEST_CHECK(fp2_eq(mle_eval_fp2(w, n - 1, r), vb));
            /* folding all the way down gives f(r) */
            memcpy(w, t, len * sizeof *t);
            for (unsigned j = n; j-- > 0;) mle_fold(w, (size_t)1 << j, r[j]);
            TEST_CHECK(fp2_eq(w[0], vf));
            /* folding at 0 and 1 selects the lower and upper halves */
            memcpy(w, t, len * sizeof *t);
            mle_fold(w, h, fp2_zero());
            TEST_CHECK(memcmp(w, t, h * sizeof *t) == 0);
            memcpy(w, t, len * sizeof *t);
            mle_fold(w, h, fp2_one());
            TEST_CHECK(memcmp(w, t + h, h * sizeof *t) == 0);
        }

        /* boolean points return table entries */
        for (int k = 0; k < 4; k++) {
            size_t x = zk_rng_u64(rng) % len;
            fp2 bp[NMAX];
            for (unsigned j = 0; j < n; j++) bp[j] = fp2_from_fm61((x >> j) & 1);
            TEST_CHECK(fp2_eq(mle_eval_fp2(t, n, bp), t[x]));
            TEST_CHECK(fp2_eq(mle_eval_fm61(tb, n, bp), fp2_from_fm61(tb[x])));
            TEST_CHECK(fp2_eq(mle_eval_fm61_padded(tb, x + 1, n, bp), fp2_from_fm61(tb[x])));
            if (x) TEST_CHECK(fp2_is_zero(mle_eval_fm61_padded(tb, x, n, bp))); /* beyond len: padding */
        }

        /* padded evaluation: lengths 0, 1, random, 2^n - 1, 2^n */
        size_t lens[5] = {0, 1, len > 1 ? 1 + zk_rng_u64(rng) % (len - 1) : 1, len - 1, len};
        fm61 *pad = zk_calloc(len, sizeof *pad);
        for (int k = 0; k < 5; k++) {
            size_t l = lens[k] <= len ? lens[k] : len;
            memset(pad, 0, len * sizeof *pad);
            memcpy(pad, tb, l * sizeof *tb);
            fp2 v = mle_eval_fm61_padded(tb, l, n, r);
            TEST_CHECK(fp2_eq(v, eval_brute_fm61(tb, l, n, r)));
            TEST_CHECK(fp2_eq(v, mle_eval_fm61(pad, n, r)));
        }
        free(pad);
    }
    free(t);
    free(w);
    free(tb);
}

/* Tables long enough for the parallel loops (MLE_PAR_MIN = 2^14): the
 * results must not depend on the thread count. */
static void test_parallel(zk_rng *rng) {
    const unsigned n = 16;
    size_t len = (size_t)1 << n;
    fp2 r[16];
    for (unsigned j = 0; j < n; j++) r[j] = rand_fp2(rng);
    fp2 *t = zk_aligned_n(len, sizeof *t), *a = zk_aligned_n(len, sizeof *a), *b = zk_aligned_n(len, sizeof *b);
    fm61 *tb = zk_malloc_n(len, sizeof *tb);
    for (size_t x = 0; x < len; x++) t[x] = rand_fp2(rng), tb[x] = rand_fm61(rng);
    int saved = zk_threads();
    fp2 v[2], vb[2];
    for (int th = 1; th <= 2; th++) {
        zk_threads_set(th);
        fp2 *e = th == 1 ? a : b;
        mle_eq_table(e, r, n);
        v[th - 1] = mle_eval_fp2(t, n, r);
        vb[th - 1] = mle_eval_fm61(tb, n, r);
    }
    zk_threads_set(saved);
    TEST_CHECK(memcmp(a, b, len * sizeof *a) == 0);
    TEST_CHECK(fp2_eq(v[0], v[1]) && fp2_eq(vb[0], vb[1]));
    /* f(r) = <t, eq(r, .)> with the large eq table */
    fp2 s = fp2_zero(), sb = fp2_zero();
    for (size_t x = 0; x < len; x++) {
        s = fp2_add(s, fp2_mul(t[x], a[x]));
        sb = fp2_add(sb, fp2_mul_fm61(a[x], tb[x]));
    }
    TEST_CHECK(fp2_eq(s, v[0]) && fp2_eq(sb, vb[0]));
    free(t);
    free(a);
    free(b);
    free(tb);
}

/* mle_eq_table_sum (several points at once) and the half tables against
 * eq_brute, for tables short and long enough for the row kernels. */
static void test_eq_sum(zk_rng *rng) {
    enum { NMAX = 11, MMAX = 4 };
    fp2 *tab = zk_aligned_n((size_t)1 << NMAX, sizeof *tab);
    fp2 pts[MMAX][NMAX], scale[MMAX];
    const fp2 *r[MMAX];
    for (unsigned n = 0; n <= NMAX; n++) {
        size_t len = (size_t)1 << n;
        for (size_t m = 1; m <= MMAX; m++) {
            for (size_t k = 0; k < m; k++) {
                for (unsigned j = 0; j < n; j++) pts[k][j] = rand_fp2(rng);
                if (n >= 1 && k == 1) pts[k][0] = fp2_one(); /* boolean coordinates too */
                scale[k] = k == 2 ? fp2_zero() : rand_fp2(rng);
                r[k] = pts[k];
            }
            mle_eq_table_sum(tab, r, scale, m, n);
            mle_eq_halves hv;
            mle_eq_halves_init(&hv, r, scale, m, n);
            int ok = 1, okh = 1;
            for (size_t x = 0; x < len; x++) {
                fp2 want = fp2_zero();
                for (size_t k = 0; k < m; k++) want = fp2_add(want, fp2_mul(scale[k], eq_brute(pts[k], n, x)));
                ok &= fp2_eq(tab[x], want);
                okh &= fp2_eq(mle_eq_halves_at(&hv, x), fp2_mul(scale[0], eq_brute(pts[0], n, x)));
            }
            mle_eq_halves_free(&hv);
            TEST_CHECK(ok);
            TEST_CHECK(okh);
        }
    }
    free(tab);
}

/* Folds of tables full of edge values (0, 1, p-1, p-2) give the same
 * entries with either kernel, and match fp2 arithmetic done by hand. */
static void test_kernels(zk_rng *rng) {
    const unsigned n = 12;
    size_t len = (size_t)1 << n, h = len / 2;
    static const fm61 edge[4] = {0, 1, P - 1, P - 2};
    fp2 *t = zk_aligned_n(len, sizeof *t), *a = zk_aligned_n(len, sizeof *a), *b = zk_aligned_n(len, sizeof *b);
    fm61 *tb = zk_malloc_n(len, sizeof *tb);
    for (size_t x = 0; x < len; x++) {
        uint64_t u = zk_rng_u64(rng);
        t[x] = fp2_make(u & 4 ? rand_fm61(rng) : edge[u & 3], u & 32 ? rand_fm61(rng) : edge[(u >> 3) & 3]);
        tb[x] = u & 256 ? rand_fm61(rng) : edge[(u >> 6) & 3];
    }
    fp2 cs[3] = {rand_fp2(rng), fp2_make(P - 1, P - 1), fp2_make(P - 2, 1)};
    for (int k = 0; k < 3; k++) {
        fp2 c = cs[k];
        int ok = 1;
        for (int portable = 0; portable < 2; portable++) {
            test_portable_kernels(portable);
            fp2 *o = portable ? b : a;
            memcpy(o, t, len * sizeof *t);
            mle_fold(o, h, c);
            for (size_t i = 0; i < h; i++) ok &= fp2_eq(o[i], fp2_add(t[i], fp2_mul(c, fp2_sub(t[i + h], t[i]))));
            mle_fold_fm61(o + h, tb, h / 2, c);
            for (size_t i = 0; i < h / 2; i++)
                ok &= fp2_eq(o[h + i], fp2_add(fp2_from_fm61(tb[i]),
                                               fp2_mul_fm61(c, fm61_sub(tb[i + h / 2], tb[i]))));
        }
        test_portable_kernels(0);
        TEST_CHECK(ok);
        TEST_CHECK(memcmp(a, b, (h + h / 2) * sizeof *a) == 0);
    }
    free(t);
    free(a);
    free(b);
    free(tb);
}

void test_mle(zk_rng *rng) {
    test_kernels(rng);
    /* everything with the default kernels, then with the portable ones */
    for (int portable = 0; portable < 2; portable++) {
        test_portable_kernels(portable);
        test_eq(rng);
        test_eq_sum(rng);
        test_eval(rng);
        test_parallel(rng);
    }
    test_portable_kernels(0);
}
