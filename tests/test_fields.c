/* test_fields.c -- fm61 and fp2 cross-checked against FLINT.
 *
 * References: FLINT's nmod (n = 2^61 - 1) for the base field and fq_nmod
 * with modulus x^2 + 1 for F_{p^2}; plain 64-bit `%` and FLINT's
 * n_ll_mod_preinv for the reductions. Edge values (0, 1, p-1, 2^60, values
 * near 2^61 and 2^64, maximal lazy sums) first, then seeded random values.
 */
#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fq_nmod.h>
#include <flint/nmod.h>
#include <flint/nmod_poly.h>
#include <flint/ulong_extras.h>
#include <string.h>

#include "../src/fields/fp2.h"
#include "test.h"

#define P FM61_P
#define NRANDOM 100000

static nmod_t mod;

/* Edge values of F_p (all canonical). */
static const uint64_t edges[] = {
    0, 1, 2, 3, P - 1, P - 2, P - 3, 1ULL << 60, (1ULL << 60) - 1, (1ULL << 60) + 1, P / 2, P / 2 + 1,
    (1ULL << 32) - 1, 1ULL << 32, (1ULL << 31) + 1, 0x1555555555555555ULL, 0x0AAAAAAAAAAAAAAAULL,
};
#define NEDGES (sizeof edges / sizeof edges[0])

/* A canonical element: half the time an edge value or a value close to p,
 * otherwise uniform. */
static fm61 rand_fm61(zk_rng *rng) {
    uint64_t r = zk_rng_u64(rng);
    switch (r & 7) {
    case 0: return edges[(r >> 8) % NEDGES];
    case 1: return P - 1 - ((r >> 8) & 0xff);
    case 2: return (r >> 8) & 0xff;
    default: return (r >> 3) % P;
    }
}

static fp2 rand_fp2(zk_rng *rng) { return fp2_make(rand_fm61(rng), rand_fm61(rng)); }

static uint64_t ref_red128(fm61_u128 z) {
    return n_ll_mod_preinv((mp_limb_t)(z >> 64), (mp_limb_t)z, mod.n, mod.ninv);
}

/* ---- base field ---------------------------------------------------- */

static void check_pair(fm61 a, fm61 b) {
    TEST_CHECK(fm61_add(a, b) == nmod_add(a, b, mod));
    TEST_CHECK(fm61_sub(a, b) == nmod_sub(a, b, mod));
    TEST_CHECK(fm61_mul(a, b) == nmod_mul(a, b, mod));
}

static void check_single(fm61 a) {
    TEST_CHECK(fm61_is_canonical(a));
    TEST_CHECK(fm61_neg(a) == nmod_neg(a, mod));
    TEST_CHECK(fm61_sqr(a) == nmod_mul(a, a, mod));
    if (a)
        TEST_CHECK(fm61_inv(a) == n_invmod(a, P));
    else
        TEST_CHECK(fm61_inv(0) == 0);
    /* centered lift: |v| <= (p-1)/2 and v = a (mod p) */
    int64_t v = fm61_to_i64(a);
    TEST_CHECK(v <= (int64_t)(P / 2) && v >= -(int64_t)(P / 2));
    TEST_CHECK(fm61_from_i64(v) == a);
}

static void test_fm61_ops(zk_rng *rng) {
    for (size_t i = 0; i < NEDGES; i++) {
        check_single(edges[i]);
        for (size_t j = 0; j < NEDGES; j++) check_pair(edges[i], edges[j]);
    }
    for (int it = 0; it < NRANDOM; it++) {
        fm61 a = rand_fm61(rng), b = rand_fm61(rng);
        check_pair(a, b);
        check_single(a);
    }
    /* pow against nmod_pow_ui, with edge exponents */
    const uint64_t exps[] = {0, 1, 2, 3, P - 2, P - 1, P, P + 1, 1ULL << 61, UINT64_MAX, UINT64_MAX - 1};
    for (size_t i = 0; i < NEDGES; i++)
        for (size_t j = 0; j < sizeof exps / sizeof exps[0]; j++)
            TEST_CHECK(fm61_pow(edges[i], exps[j]) == nmod_pow_ui(edges[i], exps[j], mod));
    for (int it = 0; it < 500; it++) {
        fm61 a = rand_fm61(rng);
        uint64_t e = zk_rng_u64(rng);
        TEST_CHECK(fm61_pow(a, e) == nmod_pow_ui(a, e, mod));
    }
}

static void test_fm61_reduce(zk_rng *rng) {
    /* reduce64: near 0, near multiples of p, near 2^61, 2^62, 2^63, 2^64 */
    uint64_t bases[] = {0, 1ULL << 61, 1ULL << 62, 1ULL << 63, 0, P, 2 * P, 3 * P, 7 * P, 8 * P};
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
        for (int d = -20; d <= 20; d++) {
            uint64_t x = bases[b] + (uint64_t)(int64_t)d; /* wraps near 0 to near 2^64 */
            uint64_t r;
            NMOD_RED(r, x, mod);
            TEST_CHECK(fm61_reduce64(x) == r);
            TEST_CHECK(fm61_reduce64(x) == x % P);
        }
    for (int it = 0; it < NRANDOM; it++) {
        uint64_t x = zk_rng_u64(rng);
        TEST_CHECK(fm61_reduce64(x) == x % P);
    }

    /* reduce128: the maximum, sums of 16 and 64 maximal products, values
     * around multiples of 2^122 and of p, random values */
    const fm61_u128 m = (fm61_u128)(P - 1) * (P - 1);
    const fm61_u128 all = ~(fm61_u128)0;
    fm61_u128 zs[] = {0, 1, m, 16 * m, 64 * m, all, all - 1, all - P, (fm61_u128)1 << 122,
                      ((fm61_u128)1 << 122) - 1, ((fm61_u128)1 << 127), (fm61_u128)P * P,
                      (fm61_u128)P << 64, ((fm61_u128)P << 67) - 1, FP2_PMUL, FP2_PMUL + m};
    for (size_t i = 0; i < sizeof zs / sizeof zs[0]; i++)
        for (int d = -3; d <= 3; d++) {
            fm61_u128 z = zs[i] + (fm61_u128)(__int128)d;
            TEST_CHECK(fm61_reduce128(z) == ref_red128(z));
        }
    for (int it = 0; it < NRANDOM; it++) {
        fm61_u128 z = (fm61_u128)zk_rng_u64(rng) << 64 | zk_rng_u64(rng);
        TEST_CHECK(fm61_reduce128(z) == ref_red128(z));
        /* a lazy sum of 16 products near the maximum */
        fm61_u128 s = 0;
        uint64_t want = 0;
        for (int j = 0; j < 16; j++) {
            fm61 a = P - 1 - (zk_rng_u64(rng) & 0xffff), b = j & 1 ? rand_fm61(rng) : P - 1;
            s += (fm61_u128)a * b;
            want = nmod_add(want, nmod_mul(a, b, mod), mod);
        }
        TEST_CHECK(fm61_reduce128(s) == want);
    }

    /* from_i64 over |v| < 2^63 (and INT64_MIN, which the code also handles) */
    const int64_t vs[] = {0, 1, -1, 2, -2, (int64_t)P, -(int64_t)P, (int64_t)P - 1, -(int64_t)P + 1,
                          (int64_t)P + 1, -(int64_t)P - 1, (int64_t)(P / 2), -(int64_t)(P / 2), INT64_MAX,
                          -INT64_MAX, INT64_MAX - 1, -INT64_MAX + 1, (int64_t)1 << 62, -((int64_t)1 << 62),
                          INT64_MIN};
    fmpz_t f;
    fmpz_init(f);
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        fmpz_set_si(f, vs[i]);
        TEST_CHECK(fm61_from_i64(vs[i]) == fmpz_fdiv_ui(f, P));
    }
    for (int it = 0; it < NRANDOM; it++) {
        int64_t v = (int64_t)(zk_rng_u64(rng) >> (it & 7)) * (it & 8 ? -1 : 1);
        if (v == INT64_MIN) v++;
        fmpz_set_si(f, v);
        fm61 a = fm61_from_i64(v);
        TEST_CHECK(a == fmpz_fdiv_ui(f, P));
        if (v >= -(int64_t)(P / 2) && v <= (int64_t)(P / 2)) TEST_CHECK(fm61_to_i64(a) == v);
    }
    fmpz_clear(f);
    /* to_i64 at the boundary of the centered range */
    TEST_CHECK(fm61_to_i64(P / 2) == (int64_t)(P / 2));
    TEST_CHECK(fm61_to_i64(P / 2 + 1) == -(int64_t)(P / 2));
    TEST_CHECK(fm61_to_i64(P - 1) == -1);
}

static void test_fm61_batch_inv(zk_rng *rng) {
    const size_t sizes[] = {0, 1, 2, 3, 17, 256, 1000};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        fm61 *in = zk_malloc_n(n, sizeof *in), *out = zk_malloc_n(n, sizeof *out);
        for (int mode = 0; mode < 3; mode++) { /* 0: random with zeros, 1: all zero, 2: aliased */
            for (size_t i = 0; i < n; i++) in[i] = mode == 1 || zk_rng_u64(rng) % 5 == 0 ? 0 : rand_fm61(rng);
            if (mode == 2) {
                memcpy(out, in, n * sizeof *in);
                fm61_batch_inv(out, out, n);
            } else {
                fm61_batch_inv(out, in, n);
            }
            for (size_t i = 0; i < n; i++) TEST_CHECK(out[i] == (in[i] ? n_invmod(in[i], P) : 0));
        }
        free(in);
        free(out);
    }
}

static void test_fm61_codec(zk_rng *rng) {
    const uint64_t bad[] = {P, P + 1, 1ULL << 61, (1ULL << 62) + 5, 1ULL << 63, UINT64_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t b[8];
        zk_store_le64(b, bad[i]);
        fm61 out = 12345;
        TEST_CHECK(fm61_decode(&out, b) == ZK_EFORMAT);
        TEST_CHECK(out == 12345); /* untouched on failure */
        TEST_CHECK(!fm61_is_canonical(bad[i]));
    }
    for (int it = 0; it < 1000; it++) {
        fm61 a = it < (int)NEDGES ? edges[it] : rand_fm61(rng), d = 0;
        uint8_t b[8];
        fm61_encode(b, a);
        TEST_CHECK(fm61_decode(&d, b) == ZK_OK && d == a);
        TEST_CHECK(b[0] == (uint8_t)a && b[7] == (uint8_t)(a >> 56)); /* little-endian */
    }
}

/* ---- extension field against fq_nmod over x^2 + 1 --------------------- */

static fq_nmod_ctx_t fq;

static void to_fq(fq_nmod_t r, fp2 a) {
    nmod_poly_t p;
    nmod_poly_init(p, P);
    nmod_poly_set_coeff_ui(p, 0, a.re);
    nmod_poly_set_coeff_ui(p, 1, a.im);
    fq_nmod_set_nmod_poly(r, p, fq);
    nmod_poly_clear(p);
}

static fp2 from_fq(const fq_nmod_t a) {
    nmod_poly_t p;
    nmod_poly_init(p, P);
    fq_nmod_get_nmod_poly(p, a, fq);
    fp2 r = fp2_make(nmod_poly_get_coeff_ui(p, 0), nmod_poly_get_coeff_ui(p, 1));
    nmod_poly_clear(p);
    return r;
}

static int fp2_canonical(fp2 a) { return fm61_is_canonical(a.re) && fm61_is_canonical(a.im); }

static void check_fp2_pair(fp2 a, fp2 b) {
    fq_nmod_t x, y, z;
    fq_nmod_init(x, fq);
    fq_nmod_init(y, fq);
    fq_nmod_init(z, fq);
    to_fq(x, a);
    to_fq(y, b);
    fq_nmod_mul(z, x, y, fq);
    fp2 m = fp2_mul(a, b);
    TEST_CHECK(fp2_canonical(m) && fp2_eq(m, from_fq(z)));
    fq_nmod_add(z, x, y, fq);
    TEST_CHECK(fp2_eq(fp2_add(a, b), from_fq(z)));
    fq_nmod_sub(z, x, y, fq);
    TEST_CHECK(fp2_eq(fp2_sub(a, b), from_fq(z)));
    fq_nmod_mul_ui(z, x, b.re, fq);
    TEST_CHECK(fp2_eq(fp2_mul_fm61(a, b.re), from_fq(z)));
    /* single-operand checks on a */
    fq_nmod_sqr(z, x, fq);
    TEST_CHECK(fp2_eq(fp2_sqr(a), from_fq(z)));
    fq_nmod_neg(z, x, fq);
    TEST_CHECK(fp2_eq(fp2_neg(a), from_fq(z)));
    fq_nmod_frobenius(z, x, 1, fq); /* a^p is the conjugate */
    TEST_CHECK(fp2_eq(fp2_conj(a), from_fq(z)));
    if (fp2_is_zero(a)) {
        TEST_CHECK(fp2_is_zero(fp2_inv(a)));
    } else {
        fq_nmod_inv(z, x, fq);
        fp2 ai = fp2_inv(a);
        TEST_CHECK(fp2_canonical(ai) && fp2_eq(ai, from_fq(z)));
    }
    fq_nmod_clear(x, fq);
    fq_nmod_clear(y, fq);
    fq_nmod_clear(z, fq);
}

static void test_fp2_ops(zk_rng *rng) {
    for (size_t i = 0; i < NEDGES; i += 2)
        for (size_t j = 0; j < NEDGES; j++)
            for (size_t k = 0; k < NEDGES; k += 3)
                check_fp2_pair(fp2_make(edges[i], edges[j]), fp2_make(edges[k], edges[(i + j + k) % NEDGES]));
    for (int it = 0; it < NRANDOM / 4; it++) check_fp2_pair(rand_fp2(rng), rand_fp2(rng));

    /* pow with multi-limb exponents: p^2 - 2 is the inverse, p^2 - 1 gives 1 */
    fmpz_t e;
    fmpz_init(e);
    fq_nmod_t x, z;
    fq_nmod_init(x, fq);
    fq_nmod_init(z, fq);
    for (int it = 0; it < 50; it++) {
        fp2 a = rand_fp2(rng);
        uint64_t limbs[2] = {zk_rng_u64(rng), zk_rng_u64(rng)};
        if (it == 0) limbs[0] = limbs[1] = 0;
        fmpz_set_ui(e, limbs[1]);
        fmpz_mul_2exp(e, e, 64);
        fmpz_add_ui(e, e, limbs[0]);
        to_fq(x, a);
        fq_nmod_pow(z, x, e, fq);
        TEST_CHECK(fp2_eq(fp2_pow(a, limbs, 2), from_fq(z)));
        fq_nmod_pow_ui(z, x, limbs[0], fq);
        TEST_CHECK(fp2_eq(fp2_pow(a, limbs, 1), from_fq(z)));
    }
    /* a^(p^2 - 2) = a^-1 */
    fm61_u128 q = (fm61_u128)P * P - 2;
    uint64_t ql[2] = {(uint64_t)q, (uint64_t)(q >> 64)};
    for (int it = 0; it < 20; it++) {
        fp2 a = rand_fp2(rng);
        if (fp2_is_zero(a)) continue;
        TEST_CHECK(fp2_eq(fp2_pow(a, ql, 2), fp2_inv(a)));
        TEST_CHECK(fp2_eq(fp2_mul(a, fp2_inv(a)), fp2_one()));
    }
    fq_nmod_clear(x, fq);
    fq_nmod_clear(z, fq);
    fmpz_clear(e);
}

static void test_fp2_batch_inv(zk_rng *rng) {
    const size_t sizes[] = {0, 1, 2, 5, 100, 513};
    fq_nmod_t x, z;
    fq_nmod_init(x, fq);
    fq_nmod_init(z, fq);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        fp2 *in = zk_malloc_n(n, sizeof *in), *out = zk_malloc_n(n, sizeof *out);
        for (int mode = 0; mode < 3; mode++) { /* 0: random with zeros, 1: all zero, 2: aliased */
            for (size_t i = 0; i < n; i++) {
                uint64_t r = zk_rng_u64(rng) % 6;
                in[i] = mode == 1 || r == 0 ? fp2_zero() : r == 1 ? fp2_make(rand_fm61(rng), 0)
                                                     : r == 2 ? fp2_make(0, rand_fm61(rng))
                                                              : rand_fp2(rng);
            }
            if (mode == 2) {
                memcpy(out, in, n * sizeof *in);
                fp2_batch_inv(out, out, n);
            } else {
                fp2_batch_inv(out, in, n);
            }
            for (size_t i = 0; i < n; i++) {
                if (fp2_is_zero(in[i])) {
                    TEST_CHECK(fp2_is_zero(out[i]));
                    continue;
                }
                to_fq(x, in[i]);
                fq_nmod_inv(z, x, fq);
                TEST_CHECK(fp2_eq(out[i], from_fq(z)));
            }
        }
        free(in);
        free(out);
    }
    fq_nmod_clear(x, fq);
    fq_nmod_clear(z, fq);
}

/* fp2_acc: FP2_ACC_MAX products, including the largest possible ones for
 * the real part ((p-1) * (p-1) with zero imaginary parts) and for the
 * imaginary part (all coordinates p-1). */
static void test_fp2_acc(zk_rng *rng) {
    fq_nmod_t x, y, z, s;
    fq_nmod_init(x, fq);
    fq_nmod_init(y, fq);
    fq_nmod_init(z, fq);
    fq_nmod_init(s, fq);
    const fp2 big[] = {fp2_make(P - 1, 0), fp2_make(P - 1, P - 1), fp2_make(0, P - 1), fp2_make(P - 2, P - 1)};
    for (int it = 0; it < 2000; it++) {
        fp2_acc acc;
        fp2_acc_zero(&acc);
        fq_nmod_zero(s, fq);
        int nterms = it < 1000 ? FP2_ACC_MAX : 1 + (int)(zk_rng_u64(rng) % FP2_ACC_MAX);
        for (int j = 0; j < nterms; j++) {
            fp2 a, b;
            switch (it % 4) {
            case 0: a = b = big[0]; break;                               /* max real part */
            case 1: a = b = big[1]; break;                               /* max imaginary part */
            case 2: a = big[zk_rng_u64(rng) % 4], b = big[zk_rng_u64(rng) % 4]; break;
            default: a = rand_fp2(rng), b = rand_fp2(rng); break;
            }
            fp2_acc_mul(&acc, a, b);
            to_fq(x, a);
            to_fq(y, b);
            fq_nmod_mul(z, x, y, fq);
            fq_nmod_add(s, s, z, fq);
        }
        fp2 r = fp2_acc_reduce(&acc);
        TEST_CHECK(fp2_canonical(r) && fp2_eq(r, from_fq(s)));
    }
    fq_nmod_clear(x, fq);
    fq_nmod_clear(y, fq);
    fq_nmod_clear(z, fq);
    fq_nmod_clear(s, fq);
}

static void test_fp2_roots(void) {
    const unsigned ks[] = {0, 1, 2, 3, 10, 31, 32, 60, 61, 62};
    fq_nmod_t x, z;
    fq_nmod_init(x, fq);
    fq_nmod_init(z, fq);
    fp2 minus1 = fp2_make(P - 1, 0);
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        unsigned k = ks[i];
        fp2 w = fp2_root_of_unity(k);
        TEST_CHECK(fp2_canonical(w));
        TEST_CHECK(fp2_eq(w, fp2_root_of_unity(k))); /* deterministic */
        /* order exactly 2^k: w^(2^(k-1)) = -1 (so w^(2^k) = 1) */
        fp2 t = w;
        for (unsigned j = 0; j + 1 < k; j++) t = fp2_sqr(t);
        if (k == 0)
            TEST_CHECK(fp2_eq(w, fp2_one()));
        else {
            TEST_CHECK(fp2_eq(t, minus1));
            TEST_CHECK(fp2_eq(fp2_sqr(t), fp2_one()));
            /* the same with FLINT's exponentiation */
            to_fq(x, w);
            fq_nmod_pow_ui(z, x, (ulong)1 << (k - 1), fq);
            TEST_CHECK(fp2_eq(from_fq(z), minus1));
            /* squaring a 2^k-th root gives the 2^(k-1)-th one (this construction) */
            TEST_CHECK(fp2_eq(fp2_sqr(w), fp2_root_of_unity(k - 1)));
        }
    }
    fq_nmod_clear(x, fq);
    fq_nmod_clear(z, fq);
}

static void test_fp2_codec(zk_rng *rng) {
    const uint64_t bad[] = {P, 1ULL << 61, UINT64_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        for (int part = 0; part < 3; part++) { /* bad re, bad im, both */
            uint8_t b[16];
            zk_store_le64(b, part != 1 ? bad[i] : 5);
            zk_store_le64(b + 8, part != 0 ? bad[i] : 7);
            fp2 out = fp2_make(11, 13);
            TEST_CHECK(fp2_decode(&out, b) == ZK_EFORMAT);
            TEST_CHECK(out.re == 11 && out.im == 13);
        }
    for (int it = 0; it < 1000; it++) {
        fp2 a = rand_fp2(rng), d = fp2_zero();
        if (it == 0) a = fp2_make(P - 1, P - 1);
        uint8_t b[16];
        fp2_encode(b, a);
        TEST_CHECK(fp2_decode(&d, b) == ZK_OK && fp2_eq(a, d));
    }
}

void test_fields(zk_rng *rng) {
    nmod_init(&mod, P);
    nmod_poly_t m;
    nmod_poly_init(m, P);
    nmod_poly_set_coeff_ui(m, 0, 1);
    nmod_poly_set_coeff_ui(m, 2, 1); /* x^2 + 1 */
    fq_nmod_ctx_init_modulus(fq, m, "i");
    nmod_poly_clear(m);

    test_fm61_ops(rng);
    test_fm61_reduce(rng);
    test_fm61_batch_inv(rng);
    test_fm61_codec(rng);
    test_fp2_ops(rng);
    test_fp2_batch_inv(rng);
    test_fp2_acc(rng);
    test_fp2_roots();
    test_fp2_codec(rng);

    fq_nmod_ctx_clear(fq);
    flint_cleanup();
}
