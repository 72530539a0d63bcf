/* test_g1.c -- the BN254 group G1 (src/plonkish/curve.h): group law
 * identities on random points, scalar multiplication against plain
 * double-and-add, batch affine conversion, the MSM against naive sums and a
 * discrete-log reference for larger n, thread-count independence, and the
 * 64-byte encoding (round trip, off-curve and non-canonical rejection).
 */
#include <gmp.h>
#include <string.h>

#include "../src/plonkish/curve.h"
#include "test.h"

/* Uniform-ish random scalar (rejection sampling on 254 bits). */
static void rand_fr(zk_rng *rng, bn_fr *o) {
    for (;;) {
        uint64_t v[4];
        for (int i = 0; i < 4; i++) v[i] = zk_rng_u64(rng);
        v[3] &= 0x3fffffffffffffffULL;
        if (bn_fr_from_limbs(o, v)) return;
    }
}

/* Scalar from a GMP integer (reduced mod r). */
static void fr_from_mpz(bn_fr *o, const mpz_t z) {
    mpz_t r, t;
    mpz_inits(r, t, NULL);
    mpz_import(r, 4, -1, sizeof(uint64_t), 0, 0, BN_R);
    mpz_mod(t, z, r);
    uint64_t v[4] = {0};
    mpz_export(v, NULL, -1, sizeof(uint64_t), 0, 0, t);
    int ok = bn_fr_from_limbs(o, v);
    TEST_CHECK(ok);
    mpz_clears(r, t, NULL);
}

/* Reference: left-to-right double-and-add on a plain 256-bit integer. */
static void mul_limbs(bn_g1 *o, const bn_g1 *a, const uint64_t e[4]) {
    bn_g1 acc;
    bn_g1_set_inf(&acc);
    for (int i = 255; i >= 0; i--) {
        bn_g1_dbl(&acc, &acc);
        if ((e[i / 64] >> (i % 64)) & 1) bn_g1_add(&acc, &acc, a);
    }
    *o = acc;
}

static void rand_point(zk_rng *rng, bn_g1 *o) {
    bn_fr k;
    bn_g1 g;
    rand_fr(rng, &k);
    bn_g1_generator(&g);
    bn_g1_mul(o, &g, &k);
}

/* A random point with a random (non-one) Z, so Jacobian code paths see
 * general inputs. */
static void rand_point_z(zk_rng *rng, bn_g1 *o) {
    bn_g1 p;
    rand_point(rng, &p);
    bn_g1_aff a;
    bn_g1_to_aff(&a, &p);
    bn_fq z, z2, z3;
    do {
        uint64_t v[4];
        for (int i = 0; i < 4; i++) v[i] = zk_rng_u64(rng);
        v[3] &= 0x0fffffffffffffffULL;
        if (!bn_fq_from_limbs(&z, v)) bn_fq_zero(&z);
    } while (bn_fq_is_zero(&z));
    bn_fq_sqr(&z2, &z);
    bn_fq_mul(&z3, &z2, &z);
    bn_fq_mul(&o->X, &a.x, &z2);
    bn_fq_mul(&o->Y, &a.y, &z3);
    o->Z = z;
}

static int on_curve(const bn_g1 *p) {
    bn_g1_aff a;
    bn_g1_to_aff(&a, p);
    return bn_g1_aff_on_curve(&a);
}

static void test_g1_basics(zk_rng *rng) {
    bn_g1 g, t, inf;
    bn_g1_aff ga;
    bn_g1_generator(&g);
    bn_g1_set_inf(&inf);
    bn_g1_to_aff(&ga, &g);
    TEST_CHECK(!ga.inf && bn_g1_aff_on_curve(&ga));
    bn_fq one, two;
    bn_fq_one(&one);
    bn_fq_from_u64(&two, 2);
    TEST_CHECK(bn_fq_eq(&ga.x, &one) && bn_fq_eq(&ga.y, &two));
    TEST_CHECK(bn_g1_is_inf(&inf) && !bn_g1_is_inf(&g));
    /* (1, 3) is not on the curve */
    bn_g1_aff bad = ga;
    bn_fq_from_u64(&bad.y, 3);
    TEST_CHECK(!bn_g1_aff_on_curve(&bad));

    /* [r] G = infinity, [r - 1] G = -G, [r + 1] G = G */
    uint64_t e[4];
    memcpy(e, BN_R, sizeof e);
    mul_limbs(&t, &g, e);
    TEST_CHECK(bn_g1_is_inf(&t));
    e[0] -= 1;
    mul_limbs(&t, &g, e);
    bn_g1 ng;
    bn_g1_neg(&ng, &g);
    TEST_CHECK(bn_g1_eq(&t, &ng));
    e[0] += 2;
    mul_limbs(&t, &g, e);
    TEST_CHECK(bn_g1_eq(&t, &g));
    /* and for a random point */
    bn_g1 p;
    rand_point_z(rng, &p);
    memcpy(e, BN_R, sizeof e);
    mul_limbs(&t, &p, e);
    TEST_CHECK(bn_g1_is_inf(&t));

    /* small multiples: 2G + G = 3G, G + G = 2G, 3G - G = 2G */
    bn_g1 g2, g3, g3b;
    bn_g1_dbl(&g2, &g);
    bn_g1_add(&t, &g, &g);
    TEST_CHECK(bn_g1_eq(&t, &g2));
    bn_g1_add(&g3, &g2, &g);
    bn_fr k3;
    bn_fr_from_u64(&k3, 3);
    bn_g1_mul(&g3b, &g, &k3);
    TEST_CHECK(bn_g1_eq(&g3, &g3b) && on_curve(&g3));
    bn_g1_add(&t, &g3, &ng);
    TEST_CHECK(bn_g1_eq(&t, &g2));
    TEST_CHECK(!bn_g1_eq(&g2, &g3) && !bn_g1_eq(&g, &inf) && !bn_g1_eq(&inf, &g) && bn_g1_eq(&inf, &inf));

    /* infinity conversions */
    bn_g1_aff ia;
    bn_g1_to_aff(&ia, &inf);
    TEST_CHECK(ia.inf && bn_g1_aff_on_curve(&ia));
    bn_g1_from_aff(&t, &ia);
    TEST_CHECK(bn_g1_is_inf(&t));
    bn_g1_dbl(&t, &inf);
    TEST_CHECK(bn_g1_is_inf(&t));
}

static void test_g1_group_law(zk_rng *rng) {
    bn_g1 inf;
    bn_g1_set_inf(&inf);
    for (int it = 0; it < 20; it++) {
        bn_g1 a, b, c, t, u, v, na;
        rand_point_z(rng, &a);
        rand_point_z(rng, &b);
        rand_point_z(rng, &c);
        TEST_CHECK(on_curve(&a) && on_curve(&b));
        /* P + (-P) = 0, P + 0 = 0 + P = P */
        bn_g1_neg(&na, &a);
        bn_g1_add(&t, &a, &na);
        TEST_CHECK(bn_g1_is_inf(&t));
        bn_g1_add(&t, &a, &inf);
        TEST_CHECK(bn_g1_eq(&t, &a));
        bn_g1_add(&t, &inf, &a);
        TEST_CHECK(bn_g1_eq(&t, &a));
        /* P + P = 2P, also with a different Jacobian representative */
        bn_g1_dbl(&u, &a);
        bn_g1_add(&t, &a, &a);
        TEST_CHECK(bn_g1_eq(&t, &u) && on_curve(&u));
        bn_g1_aff aa;
        bn_g1_to_aff(&aa, &a);
        bn_g1_from_aff(&v, &aa);
        bn_g1_add(&t, &a, &v);
        TEST_CHECK(bn_g1_eq(&t, &u));
        /* commutativity, associativity */
        bn_g1_add(&t, &a, &b);
        bn_g1_add(&u, &b, &a);
        TEST_CHECK(bn_g1_eq(&t, &u) && on_curve(&t));
        bn_g1_add(&t, &t, &c);
        bn_g1_add(&u, &b, &c);
        bn_g1_add(&u, &a, &u);
        TEST_CHECK(bn_g1_eq(&t, &u));
        /* (a + b) - b = a; 2(a + b) = 2a + 2b */
        bn_g1 nb, s, d1, d2;
        bn_g1_neg(&nb, &b);
        bn_g1_add(&s, &a, &b);
        bn_g1_add(&t, &s, &nb);
        TEST_CHECK(bn_g1_eq(&t, &a));
        bn_g1_dbl(&d1, &s);
        bn_g1_dbl(&d2, &a);
        bn_g1_dbl(&t, &b);
        bn_g1_add(&d2, &d2, &t);
        TEST_CHECK(bn_g1_eq(&d1, &d2));
        /* aliasing: o = a, o = b */
        t = a;
        bn_g1_add(&t, &t, &b);
        TEST_CHECK(bn_g1_eq(&t, &s));
        t = b;
        bn_g1_add(&t, &a, &t);
        TEST_CHECK(bn_g1_eq(&t, &s));
        t = a;
        bn_g1_dbl(&t, &t);
        bn_g1_dbl(&u, &a);
        TEST_CHECK(bn_g1_eq(&t, &u));

        /* mixed addition equals Jacobian addition, including the
         * exceptional cases */
        bn_g1_aff ba, nba, ia;
        bn_g1_to_aff(&ba, &b);
        bn_g1_to_aff(&nba, &nb);
        bn_g1_to_aff(&ia, &inf);
        bn_g1_add_aff(&t, &a, &ba);
        TEST_CHECK(bn_g1_eq(&t, &s));
        t = a;
        bn_g1_add_aff(&t, &t, &ba);
        TEST_CHECK(bn_g1_eq(&t, &s));
        bn_g1_add_aff(&t, &b, &ba); /* b + b */
        bn_g1_dbl(&u, &b);
        TEST_CHECK(bn_g1_eq(&t, &u));
        bn_g1_add_aff(&t, &b, &nba); /* b - b */
        TEST_CHECK(bn_g1_is_inf(&t));
        bn_g1_add_aff(&t, &inf, &ba);
        TEST_CHECK(bn_g1_eq(&t, &b));
        bn_g1_add_aff(&t, &a, &ia);
        TEST_CHECK(bn_g1_eq(&t, &a));
        bn_g1_add_aff(&t, &inf, &ia);
        TEST_CHECK(bn_g1_is_inf(&t));
    }
}

static void test_g1_mul(zk_rng *rng) {
    bn_g1 g;
    bn_g1_generator(&g);
    for (int it = 0; it < 10; it++) {
        bn_g1 p, t, u, v;
        bn_fr a, b, s;
        rand_point_z(rng, &p);
        rand_fr(rng, &a);
        rand_fr(rng, &b);
        /* against double-and-add on the plain integer */
        uint64_t e[4];
        bn_fr_to_limbs(e, &a);
        bn_g1_mul(&t, &p, &a);
        mul_limbs(&u, &p, e);
        TEST_CHECK(bn_g1_eq(&t, &u) && on_curve(&t));
        /* [a]P + [b]P = [a + b]P */
        bn_g1_mul(&u, &p, &b);
        bn_g1_add(&t, &t, &u);
        bn_fr_add(&s, &a, &b);
        bn_g1_mul(&v, &p, &s);
        TEST_CHECK(bn_g1_eq(&t, &v));
        /* [a]([b]P) = [ab]P */
        bn_g1_mul(&u, &p, &b);
        bn_g1_mul(&t, &u, &a);
        bn_fr_mul(&s, &a, &b);
        bn_g1_mul(&v, &p, &s);
        TEST_CHECK(bn_g1_eq(&t, &v));
        /* aliasing o = a */
        t = p;
        bn_g1_mul(&t, &t, &a);
        bn_g1_mul(&u, &p, &a);
        TEST_CHECK(bn_g1_eq(&t, &u));
    }
    /* special scalars: 0, 1, 2, r - 1, 2^128, and an integer from GMP */
    bn_g1 p, t, u;
    rand_point_z(rng, &p);
    bn_fr k;
    bn_fr_zero(&k);
    bn_g1_mul(&t, &p, &k);
    TEST_CHECK(bn_g1_is_inf(&t));
    bn_fr_one(&k);
    bn_g1_mul(&t, &p, &k);
    TEST_CHECK(bn_g1_eq(&t, &p));
    bn_fr_from_u64(&k, 2);
    bn_g1_mul(&t, &p, &k);
    bn_g1_dbl(&u, &p);
    TEST_CHECK(bn_g1_eq(&t, &u));
    bn_fr_one(&k);
    bn_fr_neg(&k, &k);
    bn_g1_mul(&t, &p, &k);
    bn_g1_neg(&u, &p);
    TEST_CHECK(bn_g1_eq(&t, &u));
    bn_g1 inf;
    bn_g1_set_inf(&inf);
    bn_g1_mul(&t, &inf, &k);
    TEST_CHECK(bn_g1_is_inf(&t));
    mpz_t z;
    mpz_init(z);
    mpz_ui_pow_ui(z, 2, 128);
    fr_from_mpz(&k, z);
    bn_g1_mul(&t, &p, &k);
    bn_g1_set_inf(&u);
    bn_g1_add(&u, &u, &p);
    for (int i = 0; i < 128; i++) bn_g1_dbl(&u, &u);
    TEST_CHECK(bn_g1_eq(&t, &u));
    /* (r + 5) mod r = 5 */
    mpz_import(z, 4, -1, sizeof(uint64_t), 0, 0, BN_R);
    mpz_add_ui(z, z, 5);
    fr_from_mpz(&k, z);
    bn_g1_mul(&t, &g, &k);
    bn_fr_from_u64(&k, 5);
    bn_g1_mul(&u, &g, &k);
    TEST_CHECK(bn_g1_eq(&t, &u));
    mpz_clear(z);
}

static void test_g1_batch_to_aff(zk_rng *rng) {
    size_t ns[] = {0, 1, 2, 7, 100, 5000};
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
        size_t n = ns[t];
        bn_g1 *a = zk_malloc_n(n + 1, sizeof *a);
        bn_g1_aff *o = zk_malloc_n(n + 1, sizeof *o);
        bn_g1 step;
        rand_point_z(rng, &step);
        for (size_t i = 0; i < n; i++) {
            if (i % 13 == 5)
                bn_g1_set_inf(&a[i]);
            else if (i == 0)
                a[i] = step;
            else
                bn_g1_add(&a[i], i % 13 == 6 ? &step : &a[i - 1], &step);
        }
        bn_g1_batch_to_aff(o, a, n);
        int ok = 1;
        for (size_t i = 0; i < n; i++) {
            bn_g1_aff r;
            bn_g1_to_aff(&r, &a[i]);
            ok &= r.inf == o[i].inf && (r.inf || (bn_fq_eq(&r.x, &o[i].x) && bn_fq_eq(&r.y, &o[i].y)));
            ok &= bn_g1_aff_on_curve(&o[i]);
        }
        TEST_CHECK(ok);
        free(a);
        free(o);
    }
}

/* Naive MSM: sum of bn_g1_mul. */
static void msm_naive(bn_g1 *o, const bn_g1_aff *p, const bn_fr *k, size_t n) {
    bn_g1 acc, t;
    bn_g1_set_inf(&acc);
    for (size_t i = 0; i < n; i++) {
        bn_g1_from_aff(&t, &p[i]);
        bn_g1_mul(&t, &t, &k[i]);
        bn_g1_add(&acc, &acc, &t);
    }
    *o = acc;
}

/* Scalar i of an MSM test: 0, 1, r - 1, 2, -2 and 2^j - 1 edge cases mixed
 * with random ones. */
static void msm_scalar(zk_rng *rng, bn_fr *k, size_t i) {
    switch (zk_rng_u64(rng) % 8) {
    case 0: bn_fr_zero(k); break;
    case 1: bn_fr_one(k); break;
    case 2:
        bn_fr_one(k);
        bn_fr_neg(k, k);
        break;
    case 3: bn_fr_from_i64(k, (i & 1) ? 2 : -2); break;
    case 4: {
        uint64_t v[4] = {0};
        unsigned bits = (unsigned)(zk_rng_u64(rng) % 253) + 1; /* 2^253 - 1 < r */
        for (unsigned b = 0; b < bits; b++) v[b / 64] |= (uint64_t)1 << (b % 64);
        int ok = bn_fr_from_limbs(k, v);
        TEST_CHECK(ok);
        break;
    }
    default: rand_fr(rng, k);
    }
}

static void test_g1_msm_naive(zk_rng *rng) {
    size_t ns[] = {0, 1, 2, 3, 8, 9, 17, 100, 1000};
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
        size_t n = ns[t];
        bn_g1_aff *p = zk_malloc_n(n + 1, sizeof *p);
        bn_fr *k = zk_malloc_n(n + 1, sizeof *k);
        bn_g1 *pj = zk_malloc_n(n + 1, sizeof *pj);
        for (size_t i = 0; i < n; i++) {
            uint64_t r = zk_rng_u64(rng) % 10;
            if (r == 0 && i > 0)
                pj[i] = pj[zk_rng_u64(rng) % i]; /* repeated point */
            else if (r == 1)
                bn_g1_set_inf(&pj[i]);
            else if (r == 2 && i > 0)
                bn_g1_neg(&pj[i], &pj[zk_rng_u64(rng) % i]); /* its negation */
            else
                rand_point_z(rng, &pj[i]);
            msm_scalar(rng, &k[i], i);
        }
        bn_g1_batch_to_aff(p, pj, n);
        bn_g1 got, want;
        bn_g1_msm(&got, p, k, n);
        msm_naive(&want, p, k, n);
        TEST_CHECK(bn_g1_eq(&got, &want));
        if (n == 0) TEST_CHECK(bn_g1_is_inf(&got));
        free(p);
        free(k);
        free(pj);
    }
    /* all points equal (every bucket sum doubles), all scalars equal */
    size_t n = 300;
    bn_g1_aff *p = zk_malloc_n(n, sizeof *p);
    bn_fr *k = zk_malloc_n(n, sizeof *k);
    bn_g1 q, got, want;
    rand_point_z(rng, &q);
    bn_g1_to_aff(&p[0], &q);
    for (size_t i = 0; i < n; i++) {
        p[i] = p[0];
        rand_fr(rng, &k[i]);
    }
    bn_g1_msm(&got, p, k, n);
    msm_naive(&want, p, k, n);
    TEST_CHECK(bn_g1_eq(&got, &want));
    for (size_t i = 0; i < n; i++) {
        k[i] = k[0];
        rand_point(rng, &q);
        bn_g1_to_aff(&p[i], &q);
    }
    bn_g1_msm(&got, p, k, n);
    msm_naive(&want, p, k, n);
    TEST_CHECK(bn_g1_eq(&got, &want));
    /* sum is infinity: k P + k (-P) */
    bn_g1_to_aff(&p[1], &q);
    bn_g1_neg(&q, &q);
    bn_g1_to_aff(&p[0], &q);
    for (size_t i = 2; i < n; i++) bn_fr_zero(&k[i]);
    k[1] = k[0];
    bn_g1_msm(&got, p, k, n);
    TEST_CHECK(bn_g1_is_inf(&got));
    free(p);
    free(k);
}

/* Larger MSMs checked through discrete logs: p_i = [t_i] G with known t_i,
 * so the MSM must equal [sum k_i t_i] G. pool = 0: consecutive multiples,
 * some repeated, negated or infinity, edge-case and random scalars; pool =
 * m > 0: every point is +-(one of m points) and every scalar one of m
 * values, so buckets keep meeting their own point or its negation (the
 * doubling and cancellation cases of the affine accumulation). Each MSM runs
 * on 1 and on 2 threads. */
static void msm_dlog_case(zk_rng *rng, size_t n, unsigned pool) {
    bn_g1 *pj = zk_malloc_n(n, sizeof *pj);
    bn_g1_aff *p = zk_malloc_n(n, sizeof *p);
    bn_fr *k = zk_malloc_n(n, sizeof *k), *t = zk_malloc_n(n, sizeof *t);
    bn_g1 g;
    bn_g1_generator(&g);
    if (pool == 0) {
        bn_fr d;
        bn_g1 dp;
        rand_fr(rng, &t[0]);
        rand_fr(rng, &d);
        bn_g1_mul(&pj[0], &g, &t[0]);
        bn_g1_mul(&dp, &g, &d);
        for (size_t i = 1; i < n; i++) {
            bn_g1_add(&pj[i], &pj[i - 1], &dp);
            bn_fr_add(&t[i], &t[i - 1], &d);
        }
        for (size_t i = 0; i < n; i += 1 + zk_rng_u64(rng) % 16) {
            size_t j = zk_rng_u64(rng) % n;
            switch (zk_rng_u64(rng) % 3) {
            case 0:
                pj[i] = pj[j];
                t[i] = t[j];
                break;
            case 1:
                bn_g1_neg(&pj[i], &pj[j]);
                bn_fr_neg(&t[i], &t[j]);
                break;
            default:
                bn_g1_set_inf(&pj[i]);
                bn_fr_zero(&t[i]);
            }
        }
        for (size_t i = 0; i < n; i++) msm_scalar(rng, &k[i], i);
    } else {
        bn_fr pt[8], pk[8];
        bn_g1 pp[8];
        for (unsigned j = 0; j < pool; j++) {
            rand_fr(rng, &pt[j]);
            rand_fr(rng, &pk[j]);
            bn_g1_mul(&pp[j], &g, &pt[j]);
        }
        for (size_t i = 0; i < n; i++) {
            unsigned j = (unsigned)(zk_rng_u64(rng) % pool);
            pj[i] = pp[j];
            t[i] = pt[j];
            if (zk_rng_u64(rng) & 1) {
                bn_g1_neg(&pj[i], &pj[i]);
                bn_fr_neg(&t[i], &t[i]);
            }
            k[i] = pk[zk_rng_u64(rng) % pool];
        }
    }
    bn_g1_batch_to_aff(p, pj, n);
    bn_fr e, s;
    bn_fr_zero(&e);
    for (size_t i = 0; i < n; i++) {
        bn_fr_mul(&s, &k[i], &t[i]);
        bn_fr_add(&e, &e, &s);
    }
    bn_g1 want, got1, got2;
    bn_g1_mul(&want, &g, &e);
    int saved = zk_threads();
    zk_threads_set(1);
    bn_g1_msm(&got1, p, k, n);
    zk_threads_set(2);
    bn_g1_msm(&got2, p, k, n);
    zk_threads_set(saved);
    TEST_CHECK(bn_g1_eq(&got1, &want));
    TEST_CHECK(bn_g1_eq(&got2, &want));
    /* not only the same point: the same Jacobian coordinates */
    TEST_CHECK(memcmp(&got1, &got2, sizeof got1) == 0);
    free(pj);
    free(p);
    free(k);
    free(t);
}

static void test_g1_msm_dlog(zk_rng *rng) {
    /* n = 64 and 777: Jacobian buckets; 4096 and 16384: affine buckets
     * (window sizes 10 and 11) */
    size_t ns[] = {64, 777, 4096, 16384};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) msm_dlog_case(rng, ns[i], 0);
    for (unsigned pool = 1; pool <= 3; pool++) {
        msm_dlog_case(rng, 777, pool);
        msm_dlog_case(rng, 4096, pool);
    }
}

static void test_g1_encoding(zk_rng *rng) {
    uint8_t buf[64], buf2[64];
    bn_g1_aff a, b;
    bn_g1 p;
    for (int it = 0; it < 20; it++) {
        rand_point_z(rng, &p);
        bn_g1_to_aff(&a, &p);
        bn_g1_to_bytes(buf, &a);
        TEST_CHECK(bn_g1_from_bytes(&b, buf) == ZK_OK);
        TEST_CHECK(!b.inf && bn_fq_eq(&a.x, &b.x) && bn_fq_eq(&a.y, &b.y));
        bn_g1_to_bytes(buf2, &b);
        TEST_CHECK(memcmp(buf, buf2, 64) == 0);
        /* a flipped bit leaves the curve (or the field) */
        memcpy(buf2, buf, 64);
        buf2[zk_rng_u64(rng) % 64] ^= (uint8_t)(1u << (zk_rng_u64(rng) % 8));
        b = a;
        zk_err err = bn_g1_from_bytes(&b, buf2);
        TEST_CHECK(err == ZK_EFORMAT);
        TEST_CHECK(bn_fq_eq(&a.x, &b.x) && bn_fq_eq(&a.y, &b.y)); /* untouched */
        /* -P encodes as (x, q - y) */
        bn_g1 np;
        bn_g1_neg(&np, &p);
        bn_g1_to_aff(&b, &np);
        bn_g1_to_bytes(buf2, &b);
        TEST_CHECK(memcmp(buf, buf2, 32) == 0 && memcmp(buf + 32, buf2 + 32, 32) != 0);
        TEST_CHECK(bn_g1_from_bytes(&b, buf2) == ZK_OK);
    }
    /* generator: x = 1, y = 2 big-endian */
    bn_g1_generator(&p);
    bn_g1_to_aff(&a, &p);
    bn_g1_to_bytes(buf, &a);
    memset(buf2, 0, 64);
    buf2[31] = 1;
    buf2[63] = 2;
    TEST_CHECK(memcmp(buf, buf2, 64) == 0);
    /* infinity: all zero */
    a.inf = 1;
    bn_g1_to_bytes(buf, &a);
    memset(buf2, 0, 64);
    TEST_CHECK(memcmp(buf, buf2, 64) == 0);
    TEST_CHECK(bn_g1_from_bytes(&b, buf) == ZK_OK && b.inf);
    /* (0, y) with y != 0 and (x, 0) are not on the curve (3 is not a cube
     * of zero, and no point has y = 0) */
    buf[63] = 1;
    TEST_CHECK(bn_g1_from_bytes(&b, buf) == ZK_EFORMAT);
    memset(buf, 0, 64);
    buf[31] = 1;
    TEST_CHECK(bn_g1_from_bytes(&b, buf) == ZK_EFORMAT);
    /* non-canonical coordinates: x + q and y + q (as integers < 2^256)
     * satisfy the curve equation mod q but must be rejected */
    mpz_t z, q;
    mpz_inits(z, q, NULL);
    mpz_import(q, 4, -1, sizeof(uint64_t), 0, 0, BN_Q);
    for (int it = 0; it < 10; it++) {
        rand_point(rng, &p);
        bn_g1_to_aff(&a, &p);
        for (int coord = 0; coord < 2; coord++) {
            bn_g1_to_bytes(buf, &a);
            mpz_import(z, 32, 1, 1, 0, 0, buf + 32 * coord);
            mpz_add(z, z, q);
            size_t cnt = 0;
            memset(buf + 32 * coord, 0, 32);
            uint8_t tmp[33] = {0};
            mpz_export(tmp, &cnt, 1, 1, 0, 0, z);
            TEST_CHECK(cnt <= 32);
            memcpy(buf + 32 * coord + (32 - cnt), tmp, cnt);
            TEST_CHECK(bn_g1_from_bytes(&b, buf) == ZK_EFORMAT);
        }
    }
    /* x = q exactly, and all-ones */
    memset(buf, 0, 64);
    mpz_export(buf, NULL, 1, 1, 0, 0, q);
    buf[63] = 2;
    TEST_CHECK(bn_g1_from_bytes(&b, buf) == ZK_EFORMAT);
    memset(buf, 0xff, 64);
    TEST_CHECK(bn_g1_from_bytes(&b, buf) == ZK_EFORMAT);
    mpz_clears(z, q, NULL);
}

void test_g1(zk_rng *rng) {
    test_g1_basics(rng);
    test_g1_group_law(rng);
    test_g1_mul(rng);
    test_g1_batch_to_aff(rng);
    test_g1_msm_naive(rng);
    test_g1_msm_dlog(rng);
    test_g1_encoding(rng);
}
