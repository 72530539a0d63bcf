/* test_bn254.c -- F_q and F_r of BN254 cross-checked against GMP.
 *
 * Both fields run through one table of operations (struct field below) so
 * every check is written once. Reference: GMP's mpz on the plain integers.
 * Edge values (0, 1, 2, m-1, m-2, (m+-1)/2, 2^64, 2^128, 2^255 and 2^256
 * reduced mod m and their neighbours) in all pairs, then seeded random
 * values. The NTT (ntt.h) against a naive O(n^2) DFT and Horner evaluation.
 */
#include <gmp.h>
#include <string.h>

#include "../src/plonkish/bn254.h"
#include "../src/plonkish/ntt.h"
#include "test.h"

#define NRANDOM 20000 /* random pairs per field */
#define NSLOW 300     /* random inversions / powers / square roots per field */

/* ---- the field under test, behind one table ---------------------------- */

/* Elements are a union of the two field types, so the same checks serve
 * bn_fq and bn_fr; l is the raw Montgomery representation. */
typedef union {
    bn_fq q;
    bn_fr r;
    uint64_t l[4];
} el;

typedef struct {
    const char *name;
    const uint64_t *mod;
    const char *mod_dec;
    void (*zero)(el *), (*one)(el *);
    int (*is_zero)(const el *), (*eq)(const el *, const el *);
    void (*add)(el *, const el *, const el *), (*sub)(el *, const el *, const el *);
    void (*mul)(el *, const el *, const el *);
    void (*neg)(el *, const el *), (*dbl)(el *, const el *), (*sqr)(el *, const el *), (*inv)(el *, const el *);
    void (*pow)(el *, const el *, const uint64_t e[4]);
    void (*from_u64)(el *, uint64_t);
    int (*from_limbs)(el *, const uint64_t v[4]);
    void (*to_limbs)(uint64_t v[4], const el *);
    void (*to_bytes)(uint8_t out[32], const el *);
    zk_err (*from_bytes)(el *, const uint8_t in[32]);
} field;

/* F: function prefix, M: union member */
#define WRAP_FIELD(F, M)                                                                                 \
    static void F##_zero_w(el *o) { bn_##F##_zero(&o->M); }                                               \
    static void F##_one_w(el *o) { bn_##F##_one(&o->M); }                                                 \
    static int F##_is_zero_w(const el *a) { return bn_##F##_is_zero(&a->M); }                            \
    static int F##_eq_w(const el *a, const el *b) { return bn_##F##_eq(&a->M, &b->M); }                  \
    static void F##_add_w(el *o, const el *a, const el *b) { bn_##F##_add(&o->M, &a->M, &b->M); }         \
    static void F##_sub_w(el *o, const el *a, const el *b) { bn_##F##_sub(&o->M, &a->M, &b->M); }         \
    static void F##_mul_w(el *o, const el *a, const el *b) { bn_##F##_mul(&o->M, &a->M, &b->M); }         \
    static void F##_neg_w(el *o, const el *a) { bn_##F##_neg(&o->M, &a->M); }                             \
    static void F##_dbl_w(el *o, const el *a) { bn_##F##_dbl(&o->M, &a->M); }                             \
    static void F##_sqr_w(el *o, const el *a) { bn_##F##_sqr(&o->M, &a->M); }                             \
    static void F##_inv_w(el *o, const el *a) { bn_##F##_inv(&o->M, &a->M); }                             \
    static void F##_pow_w(el *o, const el *a, const uint64_t e[4]) { bn_##F##_pow(&o->M, &a->M, e); }     \
    static void F##_from_u64_w(el *o, uint64_t v) { bn_##F##_from_u64(&o->M, v); }                       \
    static int F##_from_limbs_w(el *o, const uint64_t v[4]) { return bn_##F##_from_limbs(&o->M, v); }     \
    static void F##_to_limbs_w(uint64_t v[4], const el *a) { bn_##F##_to_limbs(v, &a->M); }               \
    static void F##_to_bytes_w(uint8_t out[32], const el *a) { bn_##F##_to_bytes(out, &a->M); }           \
    static zk_err F##_from_bytes_w(el *o, const uint8_t in[32]) { return bn_##F##_from_bytes(&o->M, in); }

WRAP_FIELD(fq, q)
WRAP_FIELD(fr, r)

#define FIELD_TABLE(F, MOD, DEC)                                                                          \
    {#F, MOD, DEC, F##_zero_w, F##_one_w, F##_is_zero_w, F##_eq_w, F##_add_w, F##_sub_w, F##_mul_w,       \
     F##_neg_w, F##_dbl_w, F##_sqr_w, F##_inv_w, F##_pow_w, F##_from_u64_w, F##_from_limbs_w,             \
     F##_to_limbs_w, F##_to_bytes_w, F##_from_bytes_w}

static const field fields[2] = {
    FIELD_TABLE(fq, BN_Q, "21888242871839275222246405745257275088696311157297823662689037894645226208583"),
    FIELD_TABLE(fr, BN_R, "21888242871839275222246405745257275088548364400416034343698204186575808495617"),
};

/* ---- GMP helpers -------------------------------------------------------- */

static void z_from_limbs(mpz_t z, const uint64_t v[4]) { mpz_import(z, 4, -1, sizeof v[0], 0, 0, v); }

static void z_to_limbs(uint64_t v[4], const mpz_t z) {
    memset(v, 0, 4 * sizeof v[0]);
    TEST_CHECK(mpz_sgn(z) >= 0 && mpz_sizeinbase(z, 2) <= 256);
    mpz_export(v, NULL, -1, sizeof v[0], 0, 0, z);
}

static void z_rand256(mpz_t z, zk_rng *rng) {
    uint64_t v[4];
    for (int i = 0; i < 4; i++) v[i] = zk_rng_u64(rng);
    z_from_limbs(z, v);
}

/* Field element holding the plain integer z (0 <= z < m). */
static void el_from_z(const field *f, el *o, const mpz_t z) {
    uint64_t v[4];
    z_to_limbs(v, z);
    int ok = f->from_limbs(o, v);
    TEST_CHECK(ok);
}

/* Does a hold the integer z mod m? Also checks a is canonical. */
static int el_is_z(const field *f, const el *a, const mpz_t z, const mpz_t m) {
    uint64_t v[4], w[4];
    mpz_t t;
    mpz_init(t);
    mpz_mod(t, z, m);
    z_to_limbs(w, t);
    mpz_clear(t);
    for (int i = 3; i >= 0; i--) /* Montgomery limbs canonical: a->l < m */
        if (a->l[i] != f->mod[i]) {
            if (a->l[i] > f->mod[i]) return 0;
            break;
        }
    if (memcmp(a->l, f->mod, sizeof a->l) == 0) return 0;
    f->to_limbs(v, a);
    return memcmp(v, w, sizeof v) == 0;
}

/* Edge integers mod m: 0, 1, 2, 3, m-1, m-2, m-3, (m-1)/2, (m+1)/2,
 * 2^64 +- 1, 2^128, 2^254 +- 1, 2^255 +- 1 and 2^256 +- 1 (reduced), R^2 mod m. */
#define NEDGES 24
static void edges_init(mpz_t e[NEDGES], const mpz_t m) {
    int k = 0;
    for (int i = 0; i < NEDGES; i++) mpz_init(e[i]);
    for (int v = 0; v < 4; v++) mpz_set_ui(e[k++], (unsigned long)v);
    for (int v = 1; v <= 3; v++) mpz_sub_ui(e[k++], m, (unsigned long)v);
    mpz_sub_ui(e[k], m, 1), mpz_fdiv_q_2exp(e[k], e[k], 1), k++;
    mpz_add_ui(e[k], m, 1), mpz_fdiv_q_2exp(e[k], e[k], 1), k++;
    static const unsigned pw[] = {64, 128, 254, 255, 256};
    for (size_t j = 0; j < sizeof pw / sizeof pw[0]; j++) {
        for (int d = -1; d <= 1; d++) {
            if (pw[j] == 128 && d != 0) continue;
            mpz_set_ui(e[k], 1);
            mpz_mul_2exp(e[k], e[k], pw[j]);
            if (d < 0) mpz_sub_ui(e[k], e[k], 1);
            if (d > 0) mpz_add_ui(e[k], e[k], 1);
            mpz_mod(e[k], e[k], m);
            k++;
        }
    }
    mpz_set_ui(e[k], 1), mpz_mul_2exp(e[k], e[k], 512), mpz_mod(e[k], e[k], m), k++;
    ZK_CHECK(k == NEDGES - 1);
    mpz_set_ui(e[k], 0x1234567), k++; /* a small ordinary value */
}

/* A canonical integer < m: sometimes an edge, sometimes near 0 or m,
 * otherwise uniform. */
static void rand_z(mpz_t z, zk_rng *rng, const mpz_t m, mpz_t e[NEDGES]) {
    uint64_t r = zk_rng_u64(rng);
    switch (r & 7) {
    case 0: mpz_set(z, e[(r >> 8) % NEDGES]); return;
    case 1: mpz_sub_ui(z, m, 1 + ((r >> 8) & 0xff)); return;
    case 2: mpz_set_ui(z, (r >> 8) & 0xff); return;
    default: z_rand256(z, rng); mpz_mod(z, z, m); return;
    }
}

/* ---- checks ------------------------------------------------------------- */

/* Every binary and unary operation on the pair (A, B) of integers. */
static void check_pair(const field *f, const mpz_t A, const mpz_t B, const mpz_t m) {
    el a, b, o;
    mpz_t t;
    mpz_init(t);
    el_from_z(f, &a, A);
    el_from_z(f, &b, B);
    f->add(&o, &a, &b); mpz_add(t, A, B); TEST_CHECK(el_is_z(f, &o, t, m));
    f->sub(&o, &a, &b); mpz_sub(t, A, B); TEST_CHECK(el_is_z(f, &o, t, m));
    f->mul(&o, &a, &b); mpz_mul(t, A, B); TEST_CHECK(el_is_z(f, &o, t, m));
    f->neg(&o, &a); mpz_neg(t, A); TEST_CHECK(el_is_z(f, &o, t, m));
    f->dbl(&o, &a); mpz_mul_2exp(t, A, 1); TEST_CHECK(el_is_z(f, &o, t, m));
    f->sqr(&o, &a); mpz_mul(t, A, A); TEST_CHECK(el_is_z(f, &o, t, m));
    TEST_CHECK(f->eq(&a, &b) == (mpz_cmp(A, B) == 0));
    TEST_CHECK(f->is_zero(&a) == (mpz_sgn(A) == 0));
    /* outputs aliasing inputs */
    o = a; f->mul(&o, &o, &b); mpz_mul(t, A, B); TEST_CHECK(el_is_z(f, &o, t, m));
    o = b; f->mul(&o, &a, &o); TEST_CHECK(el_is_z(f, &o, t, m));
    o = a; f->add(&o, &o, &o); mpz_mul_2exp(t, A, 1); TEST_CHECK(el_is_z(f, &o, t, m));
    o = a; f->sub(&o, &o, &b); mpz_sub(t, A, B); TEST_CHECK(el_is_z(f, &o, t, m));
    o = b; f->sub(&o, &a, &o); TEST_CHECK(el_is_z(f, &o, t, m));
    o = a; f->sqr(&o, &o); mpz_mul(t, A, A); TEST_CHECK(el_is_z(f, &o, t, m));
    mpz_clear(t);
}

/* Conversions and encodings of the integer A < m. */
static void check_encodings(const field *f, const mpz_t A) {
    el a, b;
    uint64_t v[4], w[4];
    uint8_t bytes[32], ref[32];
    z_to_limbs(v, A);
    TEST_REQUIRE(f->from_limbs(&a, v));
    f->to_limbs(w, &a);
    TEST_CHECK(memcmp(v, w, sizeof v) == 0);
    f->to_bytes(bytes, &a);
    memset(ref, 0, sizeof ref);
    if (mpz_sgn(A)) mpz_export(ref + 32 - (mpz_sizeinbase(A, 2) + 7) / 8, NULL, 1, 1, 1, 0, A);
    TEST_CHECK(memcmp(bytes, ref, 32) == 0);
    memset(&b, 0xa5, sizeof b);
    TEST_CHECK(f->from_bytes(&b, bytes) == ZK_OK && f->eq(&a, &b));
}

/* Non-canonical integers N >= m are rejected and leave the output alone. */
static void check_reject(const field *f, const mpz_t N) {
    el o, keep;
    uint64_t v[4];
    uint8_t bytes[32];
    z_to_limbs(v, N);
    f->from_u64(&keep, 77);
    o = keep;
    TEST_CHECK(!f->from_limbs(&o, v));
    TEST_CHECK(memcmp(&o, &keep, sizeof o) == 0);
    for (int i = 0; i < 32; i++) bytes[i] = (uint8_t)(v[3 - i / 8] >> (8 * (7 - i % 8)));
    TEST_CHECK(f->from_bytes(&o, bytes) == ZK_EFORMAT);
    TEST_CHECK(memcmp(&o, &keep, sizeof o) == 0);
}

/* inv and pow of A (exponent E). */
static void check_inv_pow(const field *f, const mpz_t A, const mpz_t E, const mpz_t m) {
    el a, o;
    uint64_t e[4];
    mpz_t t;
    mpz_init(t);
    el_from_z(f, &a, A);
    f->inv(&o, &a);
    if (mpz_sgn(A) == 0)
        TEST_CHECK(f->is_zero(&o));
    else {
        mpz_invert(t, A, m);
        TEST_CHECK(el_is_z(f, &o, t, m));
    }
    o = a;
    f->inv(&o, &o);
    if (mpz_sgn(A)) TEST_CHECK(el_is_z(f, &o, t, m));
    z_to_limbs(e, E);
    f->pow(&o, &a, e); mpz_powm(t, A, E, m); TEST_CHECK(el_is_z(f, &o, t, m));
    o = a; f->pow(&o, &o, e); TEST_CHECK(el_is_z(f, &o, t, m));
    mpz_clear(t);
}

static void check_field(const field *f, zk_rng *rng) {
    mpz_t m, A, B, E, t, e[NEDGES];
    mpz_inits(m, A, B, E, t, NULL);
    z_from_limbs(m, f->mod);
    mpz_set_str(t, f->mod_dec, 10);
    TEST_CHECK(mpz_cmp(m, t) == 0);     /* limbs match the decimal modulus */
    TEST_CHECK(mpz_probab_prime_p(m, 40) > 0);
    TEST_CHECK(mpz_sizeinbase(m, 2) == 254); /* the spare bits bn_mont_mul relies on */
    edges_init(e, m);

    /* constants */
    el a, b, o;
    f->zero(&a); mpz_set_ui(t, 0); TEST_CHECK(el_is_z(f, &a, t, m) && f->is_zero(&a));
    f->one(&a); mpz_set_ui(t, 1); TEST_CHECK(el_is_z(f, &a, t, m) && !f->is_zero(&a));
    f->from_u64(&b, 1); TEST_CHECK(f->eq(&a, &b));

    /* every pair of edge values, then random pairs */
    for (int i = 0; i < NEDGES; i++) {
        check_encodings(f, e[i]);
        for (int j = 0; j < NEDGES; j++) check_pair(f, e[i], e[j], m);
    }
    for (int i = 0; i < NRANDOM; i++) {
        rand_z(A, rng, m, e);
        rand_z(B, rng, m, e);
        check_pair(f, A, B, m);
        if (i % 8 == 0) check_encodings(f, A);
    }

    /* from_u64 */
    static const uint64_t u64s[] = {0, 1, 2, 0xffffffffULL, 1ULL << 63, UINT64_MAX};
    for (size_t i = 0; i < sizeof u64s / sizeof u64s[0] + 200; i++) {
        uint64_t v = i < sizeof u64s / sizeof u64s[0] ? u64s[i] : zk_rng_u64(rng);
        f->from_u64(&o, v);
        mpz_import(t, 1, -1, sizeof v, 0, 0, &v);
        TEST_CHECK(el_is_z(f, &o, t, m));
    }

    /* rejection of non-canonical values: m, m+1, m + small, 2^256-1, random >= m */
    mpz_t top;
    mpz_init(top);
    mpz_set_ui(top, 1), mpz_mul_2exp(top, top, 256); /* 2^256 */
    for (int i = 0; i < 300; i++) {
        switch (i) {
        case 0: mpz_set(A, m); break;
        case 1: mpz_add_ui(A, m, 1); break;
        case 2: mpz_sub_ui(A, top, 1); break;
        case 3: mpz_mul_2exp(A, m, 1); break;
        case 4: mpz_set_ui(A, 0), mpz_setbit(A, 255); break;
        default:
            if (i % 2) {
                mpz_add_ui(A, m, zk_rng_u64(rng) & 0xffff);
            } else { /* uniform in [m, 2^256) */
                do z_rand256(A, rng);
                while (mpz_cmp(A, m) < 0);
            }
        }
        check_reject(f, A);
    }
    mpz_clear(top);

    /* inversion and exponentiation */
    for (int i = 0; i < NEDGES; i++) {
        mpz_set_ui(E, (unsigned long)i);
        check_inv_pow(f, e[i], E, m);
        mpz_sub_ui(E, m, 1); /* Fermat: a^(m-1) = 1 */
        check_inv_pow(f, e[i], E, m);
        mpz_set_ui(E, 1), mpz_mul_2exp(E, E, 256), mpz_sub_ui(E, E, 1); /* 2^256 - 1 */
        check_inv_pow(f, e[i], E, m);
    }
    for (int i = 0; i < NSLOW; i++) {
        rand_z(A, rng, m, e);
        z_rand256(E, rng);
        if (i % 4 == 1) mpz_fdiv_q_2exp(E, E, zk_rng_u64(rng) % 256); /* short exponents */
        check_inv_pow(f, A, E, m);
    }

    for (int i = 0; i < NEDGES; i++) mpz_clear(e[i]);
    mpz_clears(m, A, B, E, t, NULL);
}

/* ---- F_q square roots --------------------------------------------------- */

static void check_sqrt(zk_rng *rng) {
    const field *f = &fields[0];
    mpz_t m, A, e[NEDGES];
    mpz_inits(m, A, NULL);
    z_from_limbs(m, BN_Q);
    edges_init(e, m);
    int nsq = 0, nnon = 0;
    for (int i = 0; i < NEDGES + 2 * NSLOW; i++) {
        if (i < NEDGES)
            mpz_set(A, e[i]);
        else
            rand_z(A, rng, m, e);
        if (i % 2) mpz_mul(A, A, A), mpz_mod(A, A, m); /* half of them squares */
        el ae;
        bn_fq a, s, keep;
        el_from_z(f, &ae, A);
        a = ae.q;
        bn_fq_from_u64(&keep, 5);
        s = keep;
        int leg = mpz_legendre(A, m);
        int ok = bn_fq_sqrt(&s, &a);
        TEST_CHECK(ok == (leg >= 0));
        if (ok) {
            bn_fq s2;
            bn_fq_sqr(&s2, &s);
            TEST_CHECK(bn_fq_eq(&s2, &a));
            nsq++;
        } else {
            TEST_CHECK(memcmp(&s, &keep, sizeof s) == 0);
            nnon++;
        }
        s = a; /* aliasing */
        TEST_CHECK(bn_fq_sqrt(&s, &s) == ok);
    }
    TEST_CHECK(nsq > NSLOW / 2 && nnon > NSLOW / 4); /* both branches exercised */
    for (int i = 0; i < NEDGES; i++) mpz_clear(e[i]);
    mpz_clears(m, A, NULL);
}

/* ---- F_r: from_i64, batch inversion, roots of unity -------------------- */

static void check_from_i64(zk_rng *rng) {
    const field *f = &fields[1];
    mpz_t m, t;
    mpz_inits(m, t, NULL);
    z_from_limbs(m, BN_R);
    static const int64_t vals[] = {0, 1, -1, 2, -2, INT64_MAX, INT64_MIN, INT64_MIN + 1, -128, 127};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0] + 500; i++) {
        int64_t v = i < sizeof vals / sizeof vals[0] ? vals[i] : (int64_t)zk_rng_u64(rng);
        if (i % 3 == 0) v >>= zk_rng_u64(rng) % 64; /* small magnitudes too */
        el o;
        bn_fr_from_i64(&o.r, v);
        mpz_set_si(t, 0);
        if (v < 0) { /* -(uint64)|v| without overflow */
            uint64_t mag = (uint64_t)0 - (uint64_t)v;
            mpz_import(t, 1, -1, sizeof mag, 0, 0, &mag);
            mpz_neg(t, t);
        } else {
            uint64_t u = (uint64_t)v;
            mpz_import(t, 1, -1, sizeof u, 0, 0, &u);
        }
        TEST_CHECK(el_is_z(f, &o, t, m));
    }
    mpz_clears(m, t, NULL);
}

static void rand_fr(bn_fr *o, zk_rng *rng) {
    uint64_t v[4];
    do {
        for (int i = 0; i < 4; i++) v[i] = zk_rng_u64(rng);
        v[3] &= (1ULL << 62) - 1;
    } while (!bn_fr_from_limbs(o, v));
}

static void check_batch_inv(zk_rng *rng) {
    static const size_t sizes[] = {0, 1, 2, 3, 17, 100, 5000, 20000};
    int saved = zk_threads();
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        bn_fr *a = zk_malloc_n(n + 1, sizeof *a), *o = zk_malloc_n(n + 1, sizeof *o);
        bn_fr *o2 = zk_malloc_n(n + 1, sizeof *o2);
        for (size_t i = 0; i < n; i++) {
            uint64_t r = zk_rng_u64(rng) % 8;
            if (r == 0 || (n <= 3 && i == 0)) /* zeros, also first and in tiny arrays */
                bn_fr_zero(&a[i]);
            else if (r == 1)
                bn_fr_one(&a[i]);
            else
                rand_fr(&a[i], rng);
        }
        if (n > 4) bn_fr_zero(&a[n - 1]); /* a zero at the end */
        bn_fr_batch_inv(o, a, n);
        int ok = 1;
        for (size_t i = 0; i < n; i++) {
            bn_fr ref;
            bn_fr_inv(&ref, &a[i]);
            ok &= bn_fr_eq(&ref, &o[i]);
        }
        TEST_CHECK(ok);
        /* any thread count, and in place */
        for (int th = 1; th <= 3; th++) {
            zk_threads_set(th);
            memcpy(o2, a, n * sizeof *a);
            bn_fr_batch_inv(o2, o2, n);
            TEST_CHECK(n == 0 || memcmp(o2, o, n * sizeof *o) == 0);
        }
        zk_threads_set(saved);
        free(a), free(o), free(o2);
    }
}

/* The 2-adic roots: r - 1 = 2^28 * t (t odd); 5 generates F_r^* (checked
 * with the factorization of r - 1); root_of_unity(28) = 5^t and every
 * root_of_unity(k) has order exactly 2^k. */
static void check_roots(void) {
    mpz_t m, t, p, prod, q;
    mpz_inits(m, t, p, prod, q, NULL);
    z_from_limbs(m, BN_R);
    mpz_sub_ui(t, m, 1);
    TEST_CHECK(mpz_scan1(t, 0) == 28);
    /* r - 1 = 2^28 * 3^2 * 13 * 29 * 983 * 11003 * 237073 * 405928799
     *         * 1670836401704629 * 13818364434197438864469338081 */
    static const char *primes[] = {"2", "3", "13", "29", "983", "11003", "237073", "405928799",
                                   "1670836401704629", "13818364434197438864469338081"};
    static const unsigned mult[] = {28, 2, 1, 1, 1, 1, 1, 1, 1, 1};
    mpz_set_ui(prod, 1);
    bn_fr five, x, one;
    bn_fr_from_u64(&five, 5);
    bn_fr_one(&one);
    for (size_t i = 0; i < sizeof primes / sizeof primes[0]; i++) {
        mpz_set_str(p, primes[i], 10);
        TEST_CHECK(mpz_probab_prime_p(p, 40) > 0);
        for (unsigned j = 0; j < mult[i]; j++) mpz_mul(prod, prod, p);
        uint64_t e[4];
        mpz_divexact(q, t, p); /* 5^((r-1)/p) != 1 for every prime p | r-1 */
        z_to_limbs(e, q);
        bn_fr_pow(&x, &five, e);
        TEST_CHECK(!bn_fr_eq(&x, &one));
    }
    TEST_CHECK(mpz_cmp(prod, t) == 0);

    /* w = 5^((r-1)/2^28) */
    uint64_t e[4];
    bn_fr w, r28;
    mpz_fdiv_q_2exp(q, t, 28);
    z_to_limbs(e, q);
    bn_fr_pow(&w, &five, e);
    bn_fr_root_of_unity(&r28, 28);
    TEST_CHECK(bn_fr_eq(&w, &r28));
    for (unsigned k = 0; k <= 28; k++) {
        bn_fr_root_of_unity(&w, k);
        x = w;
        for (unsigned j = 0; j + 1 < k; j++) bn_fr_sqr(&x, &x);
        if (k > 0) { /* w^(2^(k-1)) = -1 != 1 */
            bn_fr m1;
            bn_fr_neg(&m1, &one);
            TEST_CHECK(bn_fr_eq(&x, &m1));
            bn_fr_sqr(&x, &x);
        }
        TEST_CHECK(bn_fr_eq(&x, &one)); /* w^(2^k) = 1 */
        if (k < 28) {                    /* consistent: root(k+1)^2 = root(k) */
            bn_fr up;
            bn_fr_root_of_unity(&up, k + 1);
            bn_fr_sqr(&up, &up);
            TEST_CHECK(bn_fr_eq(&up, &w));
        }
    }
    mpz_clears(m, t, p, prod, q, NULL);
}

/* ---- NTT ---------------------------------------------------------------- */

/* A(x) = sum_j a[j] x^j (Horner) */
static void horner(bn_fr *o, const bn_fr *a, size_t n, const bn_fr *x) {
    bn_fr_zero(o);
    for (size_t j = n; j-- > 0;) {
        bn_fr_mul(o, o, x);
        bn_fr_add(o, o, &a[j]);
    }
}

/* o[i] = s * A(c * w^i), i < n (naive: O(n^2)) */
static void naive_eval(bn_fr *o, const bn_fr *a, size_t n, const bn_fr *c, const bn_fr *w, const bn_fr *s) {
    bn_fr x = *c;
    for (size_t i = 0; i < n; i++) {
        horner(&o[i], a, n, &x);
        bn_fr_mul(&o[i], &o[i], s);
        bn_fr_mul(&x, &x, w);
    }
}

static void rand_vec(bn_fr *a, size_t n, zk_rng *rng) {
    for (size_t i = 0; i < n; i++) {
        uint64_t r = zk_rng_u64(rng) % 16;
        if (r == 0)
            bn_fr_zero(&a[i]);
        else if (r == 1)
            bn_fr_from_i64(&a[i], -1);
        else
            rand_fr(&a[i], rng);
    }
}

static int vec_eq(const bn_fr *a, const bn_fr *b, size_t n) { return memcmp(a, b, n * sizeof *a) == 0; }

/* Every transform of size n = 2^log_n on ctx against the naive DFT. */
static void check_ntt_naive(const bn_ntt_ctx *ctx, unsigned log_n, zk_rng *rng) {
    size_t n = (size_t)1 << log_n;
    bn_fr *a = zk_malloc_n(n, sizeof *a), *x = zk_malloc_n(n, sizeof *x), *ref = zk_malloc_n(n, sizeof *ref);
    bn_fr one, w, winv, g, ginv, ninv, t;
    bn_fr_one(&one);
    bn_fr_root_of_unity(&w, log_n);
    bn_fr_inv(&winv, &w);
    bn_ntt_coset_gen(&g);
    bn_fr_inv(&ginv, &g);
    bn_fr_from_u64(&t, n);
    bn_fr_inv(&ninv, &t);
    rand_vec(a, n, rng);

    memcpy(x, a, n * sizeof *a); /* values on H */
    bn_ntt_forward(ctx, x, n);
    naive_eval(ref, a, n, &one, &w, &one);
    TEST_CHECK(vec_eq(x, ref, n));
    memcpy(x, a, n * sizeof *a); /* coefficients from values on H */
    bn_ntt_inverse(ctx, x, n);
    naive_eval(ref, a, n, &one, &winv, &ninv);
    TEST_CHECK(vec_eq(x, ref, n));
    memcpy(x, a, n * sizeof *a); /* values on gH */
    bn_ntt_coset_forward(ctx, x, n);
    naive_eval(ref, a, n, &g, &w, &one);
    TEST_CHECK(vec_eq(x, ref, n));
    bn_ntt_coset_inverse(ctx, x, n);
    TEST_CHECK(vec_eq(x, a, n));
    /* coset inverse on its own: b[j] = g^-j / n * sum_i a[i] w^-ij */
    memcpy(x, a, n * sizeof *a);
    bn_ntt_coset_inverse(ctx, x, n);
    naive_eval(ref, a, n, &one, &winv, &ninv);
    bn_fr gj = one;
    for (size_t j = 0; j < n; j++) {
        bn_fr_mul(&ref[j], &ref[j], &gj);
        bn_fr_mul(&gj, &gj, &ginv);
    }
    TEST_CHECK(vec_eq(x, ref, n));
    free(a), free(x), free(ref);
}

/* Round trips of size n = 2^log_n, and a few outputs against Horner. */
static void check_ntt_roundtrip(const bn_ntt_ctx *ctx, unsigned log_n, zk_rng *rng) {
    size_t n = (size_t)1 << log_n;
    bn_fr *a = zk_malloc_n(n, sizeof *a), *x = zk_malloc_n(n, sizeof *x);
    bn_fr w, g, pt, v;
    bn_fr_root_of_unity(&w, log_n);
    bn_ntt_coset_gen(&g);
    rand_vec(a, n, rng);
    memcpy(x, a, n * sizeof *a);
    bn_ntt_forward(ctx, x, n);
    for (int s = 0; s < 4; s++) { /* x[i] = A(w^i) at random i (and i = 0, n-1) */
        size_t i = s == 0 ? 0 : s == 1 ? n - 1 : zk_rng_u64(rng) % n;
        const uint64_t e[4] = {(uint64_t)i, 0, 0, 0};
        bn_fr_pow(&pt, &w, e);
        horner(&v, a, n, &pt);
        TEST_CHECK(bn_fr_eq(&v, &x[i]));
    }
    bn_ntt_inverse(ctx, x, n);
    TEST_CHECK(vec_eq(x, a, n));
    bn_ntt_coset_forward(ctx, x, n);
    for (int s = 0; s < 2; s++) { /* x[i] = A(g w^i) */
        size_t i = zk_rng_u64(rng) % n;
        const uint64_t e[4] = {(uint64_t)i, 0, 0, 0};
        bn_fr_pow(&pt, &w, e);
        bn_fr_mul(&pt, &pt, &g);
        horner(&v, a, n, &pt);
        TEST_CHECK(bn_fr_eq(&v, &x[i]));
    }
    bn_ntt_coset_inverse(ctx, x, n);
    TEST_CHECK(vec_eq(x, a, n));
    free(a), free(x);
}

/* The same outputs for 1, 2, 3 and 4 threads. */
static void check_ntt_threads(const bn_ntt_ctx *ctx, unsigned log_n, zk_rng *rng) {
    size_t n = (size_t)1 << log_n;
    bn_fr *a = zk_malloc_n(n, sizeof *a), *ref = zk_malloc_n(4 * n, sizeof *ref), *x = zk_malloc_n(n, sizeof *x);
    void (*const fns[4])(const bn_ntt_ctx *, bn_fr *, size_t) = {bn_ntt_forward, bn_ntt_inverse,
                                                                  bn_ntt_coset_forward, bn_ntt_coset_inverse};
    int saved = zk_threads();
    rand_vec(a, n, rng);
    for (int th = 1; th <= 4; th++) {
        zk_threads_set(th);
        for (int f = 0; f < 4; f++) {
            memcpy(x, a, n * sizeof *a);
            fns[f](ctx, x, n);
            if (th == 1)
                memcpy(ref + (size_t)f * n, x, n * sizeof *x);
            else
                TEST_CHECK(vec_eq(x, ref + (size_t)f * n, n));
        }
    }
    zk_threads_set(saved);
    free(a), free(ref), free(x);
}

static void check_ntt(zk_rng *rng) {
    bn_ntt_ctx_free(NULL);

    /* the coset generator: 7, outside the 2^28-subgroup (so gH and H are
     * disjoint for every 2-power H) */
    bn_fr g, x, one, seven;
    bn_ntt_coset_gen(&g);
    bn_fr_from_u64(&seven, BN_NTT_COSET_GEN);
    bn_fr_one(&one);
    TEST_CHECK(BN_NTT_COSET_GEN == 7 && bn_fr_eq(&g, &seven));
    x = g;
    for (int i = 0; i < 28; i++) bn_fr_sqr(&x, &x);
    TEST_CHECK(!bn_fr_eq(&x, &one));

    /* naive DFT, sizes 1 .. 2^8, on a context of exactly that size and on
     * larger ones (the twiddles of a larger context, strided) */
    bn_ntt_ctx *c0 = bn_ntt_ctx_new(0), *c8 = bn_ntt_ctx_new(8), *c16 = bn_ntt_ctx_new(16);
    TEST_CHECK(bn_ntt_ctx_size(c0) == 1 && bn_ntt_ctx_size(c8) == 256 && bn_ntt_ctx_size(c16) == 65536);
    check_ntt_naive(c0, 0, rng);
    for (unsigned l = 0; l <= 8; l++) {
        bn_ntt_ctx *cl = bn_ntt_ctx_new(l);
        check_ntt_naive(cl, l, rng);
        bn_ntt_ctx_free(cl);
        check_ntt_naive(c8, l, rng);
        check_ntt_naive(c16, l, rng);
    }
    /* round trips up to 2^16 (the multi-threaded and blocked paths from 2^12) */
    for (unsigned l = 0; l <= 16; l++) check_ntt_roundtrip(c16, l, rng);
    check_ntt_roundtrip(c8, 8, rng);
    check_ntt_threads(c16, 14, rng);
    check_ntt_threads(c16, 16, rng);
    bn_ntt_ctx_free(c0);
    bn_ntt_ctx_free(c8);
    bn_ntt_ctx_free(c16);
}

void test_bn254(zk_rng *rng) {
    for (int i = 0; i < 2; i++) check_field(&fields[i], rng);
    check_sqrt(rng);
    check_from_i64(rng);
    check_batch_inv(rng);
    check_roots();
    check_ntt(rng);
}
