/* bn254.c -- F_q and F_r of BN254 in Montgomery form (see bn254.h).
 *
 * One generic implementation (bn_mont_*) parameterized by the modulus m and
 * n0 = -m^-1 mod 2^64 (blst style); the bn_fq_* / bn_fr_* functions are
 * one-line wrappers that pass the field's constants, so the compiler inlines
 * the generic code with the constants folded in.
 *
 * Multiplication is CIOS Montgomery multiplication (Koc, Acar, Kaliski,
 * "Analyzing and Comparing Montgomery Multiplication Algorithms", IEEE Micro
 * 1996) with unsigned __int128. Both moduli are below 2^254, so the running
 * value t stays below 2m < 2^255 and fits in four limbs without the extra
 * carry word of the textbook algorithm (the "spare bit" variant used by
 * gnark-crypto); one conditional subtraction at the end makes it canonical.
 *
 * Nothing here is constant-time in the strict sense: inversion and
 * exponentiation branch on the exponent bits (public constants, or the
 * exponent of bn_*_pow), batch inversion and sqrt branch on the data.
 */
#include "bn254.h"

#include <string.h>

/* GCC's SLP vectorizer packs the four limbs of each result into one AVX
 * store (vmovq, vpinsrq, vinserti128, with a realigned stack): bn_fr_mul
 * ran about 25% slower with -march=native on Zen 3. Nothing in this file
 * gains from vectorization. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-slp-vectorize")
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

typedef unsigned __int128 bn_u128;

#define BN_INLINE static inline __attribute__((always_inline))

/* ---- constants (little-endian limbs; checked against GMP in the tests) -- */

/* q = 21888242871839275222246405745257275088696311157297823662689037894645226208583 */
const uint64_t BN_Q[4] = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL,
                          0x30644e72e131a029ULL};
/* r = 21888242871839275222246405745257275088548364400416034343698204186575808495617 */
const uint64_t BN_R[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                          0x30644e72e131a029ULL};

/* -m^-1 mod 2^64 */
#define BN_Q_N0 0x87d20782e4866389ULL
#define BN_R_N0 0xc2e1f593efffffffULL

/* R mod m (the Montgomery form of 1) and R^2 mod m (to enter Montgomery form) */
static const uint64_t BN_Q_ONE[4] = {0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL,
                                     0x0e0a77c19a07df2fULL};
static const uint64_t BN_Q_R2[4] = {0xf32cfc5b538afa89ULL, 0xb5e71911d44501fbULL, 0x47ab1eff0a417ff6ULL,
                                    0x06d89f71cab8351fULL};
static const uint64_t BN_R_ONE[4] = {0xac96341c4ffffffbULL, 0x36fc76959f60cd29ULL, 0x666ea36f7879462eULL,
                                     0x0e0a77c19a07df2fULL};
static const uint64_t BN_R_R2[4] = {0x1bb8e645ae216da7ULL, 0x53fe3ab1e35c59e3ULL, 0x8c49833d53bb8085ULL,
                                    0x0216d0b17f4e44a5ULL};

/* Exponents: q - 2 (inversion), (q + 1) / 4 (square root), r - 2. */
static const uint64_t BN_Q_MINUS_2[4] = {0x3c208c16d87cfd45ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL,
                                         0x30644e72e131a029ULL};
static const uint64_t BN_Q_SQRT_EXP[4] = {0x4f082305b61f3f52ULL, 0x65e05aa45a1c72a3ULL,
                                          0x6e14116da0605617ULL, 0x0c19139cb84c680aULL};
static const uint64_t BN_R_MINUS_2[4] = {0x43e1f593efffffffULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                         0x30644e72e131a029ULL};

/* r - 1 = 2^28 * t with t odd. BN_R_ROOT28 = 5^t mod r, a primitive 2^28-th
 * root of unity (5 generates F_r^*; the tests recompute it), stored in
 * Montgomery form. */
#define BN_R_TWO_ADICITY 28
static const uint64_t BN_R_ROOT28[4] = {0x636e735580d13d9cULL, 0xa22bf3742445ffd6ULL, 0x56452ac01eb203d8ULL,
                                        0x1860ef942963f9e7ULL};

/* ---- generic Montgomery arithmetic (bn_mont_*) -------------------------- */

/* a < m (4-limb comparison) */
BN_INLINE int bn_mont_lt(const uint64_t a[4], const uint64_t m[4]) {
    for (int i = 3; i >= 0; i--)
        if (a[i] != m[i]) return a[i] < m[i];
    return 0;
}

/* Carry chains: o = a + b + *c, *c <- carry out (and a - b - *c, borrow);
 * the x86-64 intrinsics compile to adc / sbb. */
BN_INLINE uint64_t bn_addc(uint64_t a, uint64_t b, uint64_t *c) {
#if defined(__x86_64__)
    unsigned long long o;
    *c = _addcarry_u64((unsigned char)*c, a, b, &o);
    return (uint64_t)o;
#else
    bn_u128 s = (bn_u128)a + b + *c;
    *c = (uint64_t)(s >> 64);
    return (uint64_t)s;
#endif
}

BN_INLINE uint64_t bn_subb(uint64_t a, uint64_t b, uint64_t *c) {
#if defined(__x86_64__)
    unsigned long long o;
    *c = _subborrow_u64((unsigned char)*c, a, b, &o);
    return (uint64_t)o;
#else
    bn_u128 d = (bn_u128)a - b - *c;
    *c = (uint64_t)(d >> 64) & 1;
    return (uint64_t)d;
#endif
}

/* o = t - m if t >= m else t, for t = (t0, t1, t2, t3) < 2m. (The limbs
 * come in as values: with t in a stack array, GCC read it back as vectors
 * and the store-forwarding stalls made bn_fr_add five times slower.) */
BN_INLINE void bn_mont_reduce_once(uint64_t o[4], uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3,
                                   const uint64_t m[4]) {
    uint64_t borrow = 0;
    const uint64_t s0 = bn_subb(t0, m[0], &borrow), s1 = bn_subb(t1, m[1], &borrow);
    const uint64_t s2 = bn_subb(t2, m[2], &borrow), s3 = bn_subb(t3, m[3], &borrow);
    const uint64_t keep = (uint64_t)0 - borrow; /* all ones: t < m, keep t */
    o[0] = (t0 & keep) | (s0 & ~keep);
    o[1] = (t1 & keep) | (s1 & ~keep);
    o[2] = (t2 & keep) | (s2 & ~keep);
    o[3] = (t3 & keep) | (s3 & ~keep);
}

BN_INLINE void bn_mont_add(uint64_t o[4], const uint64_t a[4], const uint64_t b[4], const uint64_t m[4]) {
    /* a + b < 2m < 2^255: no carry out of the top limb */
    uint64_t c = 0;
    const uint64_t t0 = bn_addc(a[0], b[0], &c), t1 = bn_addc(a[1], b[1], &c);
    const uint64_t t2 = bn_addc(a[2], b[2], &c), t3 = bn_addc(a[3], b[3], &c);
    bn_mont_reduce_once(o, t0, t1, t2, t3, m);
}

BN_INLINE void bn_mont_sub(uint64_t o[4], const uint64_t a[4], const uint64_t b[4], const uint64_t m[4]) {
    uint64_t borrow = 0, c = 0;
    const uint64_t t0 = bn_subb(a[0], b[0], &borrow), t1 = bn_subb(a[1], b[1], &borrow);
    const uint64_t t2 = bn_subb(a[2], b[2], &borrow), t3 = bn_subb(a[3], b[3], &borrow);
    const uint64_t mask = (uint64_t)0 - borrow; /* add m back on borrow */
    o[0] = bn_addc(t0, m[0] & mask, &c);
    o[1] = bn_addc(t1, m[1] & mask, &c);
    o[2] = bn_addc(t2, m[2] & mask, &c);
    o[3] = bn_addc(t3, m[3] & mask, &c);
}

BN_INLINE void bn_mont_neg(uint64_t o[4], const uint64_t a[4], const uint64_t m[4]) {
    static const uint64_t zero[4] = {0, 0, 0, 0};
    bn_mont_sub(o, zero, a, m);
}

/* o = a * b * 2^-256 mod m for a, b < m; CIOS, spare-bit variant (m < 2^254).
 * Row i adds a * b[i] to the running value t (t0..t3 and a carry-out word
 * t4), then adds u * m with u = t0 * n0 (so the low word vanishes) and
 * shifts down by one word; t < 2m holds after every row, so four words hold
 * it. Each product plus the word it is added to plus the incoming carry
 * fits in 128 bits. (An x86-64 inline-assembly version with mulq/adc ran
 * no faster than this on Zen 3 and was dropped.) */
BN_INLINE void bn_mont_mul(uint64_t o[4], const uint64_t a[4], const uint64_t b[4], const uint64_t m[4],
                           uint64_t n0) {
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    const uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        const uint64_t bi = b[i];
        bn_u128 z;
        /* t += a * b[i]; the carry-out word t4 */
        z = (bn_u128)a0 * bi + t0;
        t0 = (uint64_t)z;
        z = (bn_u128)a1 * bi + t1 + (uint64_t)(z >> 64);
        t1 = (uint64_t)z;
        z = (bn_u128)a2 * bi + t2 + (uint64_t)(z >> 64);
        t2 = (uint64_t)z;
        z = (bn_u128)a3 * bi + t3 + (uint64_t)(z >> 64);
        t3 = (uint64_t)z;
        const uint64_t t4 = (uint64_t)(z >> 64);
        /* t = (t + u * m) / 2^64 */
        const uint64_t u = t0 * n0;
        z = (bn_u128)u * m[0] + t0;
        z = (bn_u128)u * m[1] + t1 + (uint64_t)(z >> 64);
        t0 = (uint64_t)z;
        z = (bn_u128)u * m[2] + t2 + (uint64_t)(z >> 64);
        t1 = (uint64_t)z;
        z = (bn_u128)u * m[3] + t3 + (uint64_t)(z >> 64);
        t2 = (uint64_t)z;
        t3 = t4 + (uint64_t)(z >> 64); /* t < 2m < 2^255: no overflow */
    }
    bn_mont_reduce_once(o, t0, t1, t2, t3, m);
}

/* o = a^e (e a plain 256-bit integer), 4-bit fixed window. */
BN_INLINE void bn_mont_pow(uint64_t o[4], const uint64_t a[4], const uint64_t e[4], const uint64_t m[4],
                           uint64_t n0, const uint64_t one[4]) {
    uint64_t tab[16][4], acc[4];
    memcpy(tab[0], one, sizeof tab[0]);
    memcpy(tab[1], a, sizeof tab[1]);
    for (int i = 2; i < 16; i++) bn_mont_mul(tab[i], tab[i - 1], a, m, n0);
    memcpy(acc, one, sizeof acc);
    int started = 0;
    for (int w = 63; w >= 0; w--) {
        unsigned nib = (unsigned)(e[w / 16] >> (4 * (w % 16))) & 15;
        if (started)
            for (int s = 0; s < 4; s++) bn_mont_mul(acc, acc, acc, m, n0);
        if (nib) {
            bn_mont_mul(acc, acc, tab[nib], m, n0);
            started = 1;
        }
    }
    memcpy(o, acc, sizeof acc);
}

BN_INLINE int bn_mont_is_zero(const uint64_t a[4]) { return (a[0] | a[1] | a[2] | a[3]) == 0; }

BN_INLINE int bn_mont_eq(const uint64_t a[4], const uint64_t b[4]) {
    return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0;
}

BN_INLINE void bn_limbs_to_be(uint8_t out[32], const uint64_t v[4]) {
    for (int i = 0; i < 32; i++) out[i] = (uint8_t)(v[3 - i / 8] >> (8 * (7 - i % 8)));
}

BN_INLINE void bn_limbs_from_be(uint64_t v[4], const uint8_t in[32]) {
    for (int k = 0; k < 4; k++) {
        uint64_t x = 0;
        for (int j = 0; j < 8; j++) x = (x << 8) | in[8 * (3 - k) + j];
        v[k] = x;
    }
}

static const uint64_t bn_plain_one[4] = {1, 0, 0, 0};

/* Representation invariant (checked after every operation under ZK_VERIFY). */
#define BN_FQ_VERIFY(x) ZK_VERIFY_CHECK(bn_mont_lt((x)->l, BN_Q))
#define BN_FR_VERIFY(x) ZK_VERIFY_CHECK(bn_mont_lt((x)->l, BN_R))

/* ---- F_q ---------------------------------------------------------------- */

void bn_fq_zero(bn_fq *o) { memset(o->l, 0, sizeof o->l); }
void bn_fq_one(bn_fq *o) { memcpy(o->l, BN_Q_ONE, sizeof o->l); }
int bn_fq_is_zero(const bn_fq *a) {
    BN_FQ_VERIFY(a);
    return bn_mont_is_zero(a->l);
}
int bn_fq_eq(const bn_fq *a, const bn_fq *b) {
    BN_FQ_VERIFY(a);
    BN_FQ_VERIFY(b);
    return bn_mont_eq(a->l, b->l);
}
void bn_fq_add(bn_fq *o, const bn_fq *a, const bn_fq *b) {
    BN_FQ_VERIFY(a);
    BN_FQ_VERIFY(b);
    bn_mont_add(o->l, a->l, b->l, BN_Q);
    BN_FQ_VERIFY(o);
}
void bn_fq_sub(bn_fq *o, const bn_fq *a, const bn_fq *b) {
    BN_FQ_VERIFY(a);
    BN_FQ_VERIFY(b);
    bn_mont_sub(o->l, a->l, b->l, BN_Q);
    BN_FQ_VERIFY(o);
}
void bn_fq_neg(bn_fq *o, const bn_fq *a) {
    BN_FQ_VERIFY(a);
    bn_mont_neg(o->l, a->l, BN_Q);
    BN_FQ_VERIFY(o);
}
void bn_fq_dbl(bn_fq *o, const bn_fq *a) {
    BN_FQ_VERIFY(a);
    bn_mont_add(o->l, a->l, a->l, BN_Q);
    BN_FQ_VERIFY(o);
}
void bn_fq_mul(bn_fq *o, const bn_fq *a, const bn_fq *b) {
    BN_FQ_VERIFY(a);
    BN_FQ_VERIFY(b);
    bn_mont_mul(o->l, a->l, b->l, BN_Q, BN_Q_N0);
    BN_FQ_VERIFY(o);
}
void bn_fq_sqr(bn_fq *o, const bn_fq *a) {
    BN_FQ_VERIFY(a);
    bn_mont_mul(o->l, a->l, a->l, BN_Q, BN_Q_N0);
    BN_FQ_VERIFY(o);
}
void bn_fq_pow(bn_fq *o, const bn_fq *a, const uint64_t e[4]) {
    BN_FQ_VERIFY(a);
    bn_mont_pow(o->l, a->l, e, BN_Q, BN_Q_N0, BN_Q_ONE);
    BN_FQ_VERIFY(o);
}
void bn_fq_inv(bn_fq *o, const bn_fq *a) { bn_fq_pow(o, a, BN_Q_MINUS_2); } /* a^(q-2); 0 -> 0 */
int bn_fq_sqrt(bn_fq *o, const bn_fq *a) {
    /* q = 3 mod 4: if a is a square, a^((q+1)/4) is a root of it */
    bn_fq s, s2;
    bn_fq_pow(&s, a, BN_Q_SQRT_EXP);
    bn_fq_sqr(&s2, &s);
    if (!bn_fq_eq(&s2, a)) return 0;
    *o = s;
    return 1;
}
void bn_fq_from_u64(bn_fq *o, uint64_t v) {
    const uint64_t t[4] = {v, 0, 0, 0}; /* v < 2^64 < q */
    bn_mont_mul(o->l, t, BN_Q_R2, BN_Q, BN_Q_N0);
    BN_FQ_VERIFY(o);
}
int bn_fq_from_limbs(bn_fq *o, const uint64_t v[4]) {
    if (!bn_mont_lt(v, BN_Q)) return 0;
    bn_mont_mul(o->l, v, BN_Q_R2, BN_Q, BN_Q_N0);
    BN_FQ_VERIFY(o);
    return 1;
}
void bn_fq_to_limbs(uint64_t v[4], const bn_fq *a) {
    BN_FQ_VERIFY(a);
    bn_mont_mul(v, a->l, bn_plain_one, BN_Q, BN_Q_N0);
}
void bn_fq_to_bytes(uint8_t out[32], const bn_fq *a) {
    uint64_t v[4];
    bn_fq_to_limbs(v, a);
    bn_limbs_to_be(out, v);
}
zk_err bn_fq_from_bytes(bn_fq *o, const uint8_t in[32]) {
    uint64_t v[4];
    bn_limbs_from_be(v, in);
    return bn_fq_from_limbs(o, v) ? ZK_OK : ZK_EFORMAT;
}

/* ---- F_r ---------------------------------------------------------------- */

void bn_fr_zero(bn_fr *o) { memset(o->l, 0, sizeof o->l); }
void bn_fr_one(bn_fr *o) { memcpy(o->l, BN_R_ONE, sizeof o->l); }
int bn_fr_is_zero(const bn_fr *a) {
    BN_FR_VERIFY(a);
    return bn_mont_is_zero(a->l);
}
int bn_fr_eq(const bn_fr *a, const bn_fr *b) {
    BN_FR_VERIFY(a);
    BN_FR_VERIFY(b);
    return bn_mont_eq(a->l, b->l);
}
void bn_fr_add(bn_fr *o, const bn_fr *a, const bn_fr *b) {
    BN_FR_VERIFY(a);
    BN_FR_VERIFY(b);
    bn_mont_add(o->l, a->l, b->l, BN_R);
    BN_FR_VERIFY(o);
}
void bn_fr_sub(bn_fr *o, const bn_fr *a, const bn_fr *b) {
    BN_FR_VERIFY(a);
    BN_FR_VERIFY(b);
    bn_mont_sub(o->l, a->l, b->l, BN_R);
    BN_FR_VERIFY(o);
}
void bn_fr_neg(bn_fr *o, const bn_fr *a) {
    BN_FR_VERIFY(a);
    bn_mont_neg(o->l, a->l, BN_R);
    BN_FR_VERIFY(o);
}
void bn_fr_dbl(bn_fr *o, const bn_fr *a) {
    BN_FR_VERIFY(a);
    bn_mont_add(o->l, a->l, a->l, BN_R);
    BN_FR_VERIFY(o);
}
void bn_fr_mul(bn_fr *o, const bn_fr *a, const bn_fr *b) {
    BN_FR_VERIFY(a);
    BN_FR_VERIFY(b);
    bn_mont_mul(o->l, a->l, b->l, BN_R, BN_R_N0);
    BN_FR_VERIFY(o);
}
void bn_fr_sqr(bn_fr *o, const bn_fr *a) {
    BN_FR_VERIFY(a);
    bn_mont_mul(o->l, a->l, a->l, BN_R, BN_R_N0);
    BN_FR_VERIFY(o);
}
void bn_fr_pow(bn_fr *o, const bn_fr *a, const uint64_t e[4]) {
    BN_FR_VERIFY(a);
    bn_mont_pow(o->l, a->l, e, BN_R, BN_R_N0, BN_R_ONE);
    BN_FR_VERIFY(o);
}
void bn_fr_inv(bn_fr *o, const bn_fr *a) { bn_fr_pow(o, a, BN_R_MINUS_2); } /* a^(r-2); 0 -> 0 */

/* Montgomery's trick on a[0..n) into o (o and a do not overlap): o[i] first
 * holds the product of the nonzero a[j], j < i; one inversion of the total,
 * then a backward pass. Zeros are skipped and map to zero. */
static void bn_fr_batch_inv_disjoint(bn_fr *o, const bn_fr *a, size_t n) {
    bn_fr acc, inv, t;
    bn_fr_one(&acc);
    for (size_t i = 0; i < n; i++) {
        o[i] = acc;
        if (!bn_fr_is_zero(&a[i])) bn_fr_mul(&acc, &acc, &a[i]);
    }
    bn_fr_inv(&inv, &acc);
    for (size_t i = n; i-- > 0;) {
        if (bn_fr_is_zero(&a[i])) {
            bn_fr_zero(&o[i]);
            continue;
        }
        bn_fr_mul(&t, &o[i], &inv); /* (prod_{j<i} a_j) / (prod_{j<=i} a_j) */
        bn_fr_mul(&inv, &inv, &a[i]);
        o[i] = t;
    }
}

/* Below this many elements, one chunk (one inversion). */
#define BN_BATCH_INV_PAR_MIN 4096

void bn_fr_batch_inv(bn_fr *o, const bn_fr *a, size_t n) {
    if (n == 0) return;
    ZK_CHECK(o == a || o + n <= a || a + n <= o); /* exact alias or disjoint */
    bn_fr *copy = NULL;
    if (o == a) {
        copy = zk_malloc_n(n, sizeof *copy);
        memcpy(copy, a, n * sizeof *copy);
        a = copy;
    }
    /* independent chunks, one inversion each: the result is the same for
     * any number of chunks */
    size_t nchunks = n >= BN_BATCH_INV_PAR_MIN ? (size_t)zk_threads() : 1;
    if (nchunks > n / (BN_BATCH_INV_PAR_MIN / 4)) nchunks = n / (BN_BATCH_INV_PAR_MIN / 4);
    if (nchunks < 1) nchunks = 1;
#pragma omp parallel for schedule(static) num_threads((int)nchunks) if (nchunks > 1)
    for (size_t c = 0; c < nchunks; c++) {
        size_t lo = n * c / nchunks, hi = n * (c + 1) / nchunks;
        bn_fr_batch_inv_disjoint(o + lo, a + lo, hi - lo);
    }
    free(copy);
}

void bn_fr_from_u64(bn_fr *o, uint64_t v) {
    const uint64_t t[4] = {v, 0, 0, 0}; /* v < 2^64 < r */
    bn_mont_mul(o->l, t, BN_R_R2, BN_R, BN_R_N0);
    BN_FR_VERIFY(o);
}
void bn_fr_from_i64(bn_fr *o, int64_t v) {
    if (v >= 0) {
        bn_fr_from_u64(o, (uint64_t)v);
    } else {
        bn_fr_from_u64(o, (uint64_t)0 - (uint64_t)v); /* |v|, INT64_MIN included */
        bn_fr_neg(o, o);
    }
}
int bn_fr_from_limbs(bn_fr *o, const uint64_t v[4]) {
    if (!bn_mont_lt(v, BN_R)) return 0;
    bn_mont_mul(o->l, v, BN_R_R2, BN_R, BN_R_N0);
    BN_FR_VERIFY(o);
    return 1;
}
void bn_fr_to_limbs(uint64_t v[4], const bn_fr *a) {
    BN_FR_VERIFY(a);
    bn_mont_mul(v, a->l, bn_plain_one, BN_R, BN_R_N0);
}
void bn_fr_to_bytes(uint8_t out[32], const bn_fr *a) {
    uint64_t v[4];
    bn_fr_to_limbs(v, a);
    bn_limbs_to_be(out, v);
}
zk_err bn_fr_from_bytes(bn_fr *o, const uint8_t in[32]) {
    uint64_t v[4];
    bn_limbs_from_be(v, in);
    return bn_fr_from_limbs(o, v) ? ZK_OK : ZK_EFORMAT;
}
void bn_fr_root_of_unity(bn_fr *o, unsigned k) {
    ZK_CHECK(k <= BN_R_TWO_ADICITY);
    memcpy(o->l, BN_R_ROOT28, sizeof o->l);
    for (unsigned i = k; i < BN_R_TWO_ADICITY; i++) bn_fr_sqr(o, o);
}
