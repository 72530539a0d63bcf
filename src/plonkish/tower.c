/* tower.c -- F_q2, F_q6, F_q12 for BN254 (see tower.h).
 *
 * Multiplication and squaring follow Devegili, O hEigeartaigh, Scott and
 * Dahab, "Multiplication and Squaring on Pairing-Friendly Fields" (2006):
 * Karatsuba for F_q2 and F_q6, complex squaring for F_q2 and F_q12, CH-SQR2
 * for F_q6. Cyclotomic squaring: Granger and Scott, "Faster Squaring in the
 * Cyclotomic Subgroup of Sixth Degree Extensions" (PKC 2010), Section 3.2.
 * Inversion by the norm maps down to F_q (bn_fq_inv).
 */
#include "tower.h"

#include <pthread.h>
#include <string.h>

/* ---------------------------------------------------------------- F_q2 */

void bn_fq2_zero(bn_fq2 *o) {
    bn_fq_zero(&o->c0);
    bn_fq_zero(&o->c1);
}

void bn_fq2_one(bn_fq2 *o) {
    bn_fq_one(&o->c0);
    bn_fq_zero(&o->c1);
}

int bn_fq2_is_zero(const bn_fq2 *a) { return bn_fq_is_zero(&a->c0) && bn_fq_is_zero(&a->c1); }

int bn_fq2_is_one(const bn_fq2 *a) {
    bn_fq one;
    bn_fq_one(&one);
    return bn_fq_eq(&a->c0, &one) && bn_fq_is_zero(&a->c1);
}

int bn_fq2_eq(const bn_fq2 *a, const bn_fq2 *b) { return bn_fq_eq(&a->c0, &b->c0) && bn_fq_eq(&a->c1, &b->c1); }

void bn_fq2_add(bn_fq2 *o, const bn_fq2 *a, const bn_fq2 *b) {
    bn_fq_add(&o->c0, &a->c0, &b->c0);
    bn_fq_add(&o->c1, &a->c1, &b->c1);
}

void bn_fq2_sub(bn_fq2 *o, const bn_fq2 *a, const bn_fq2 *b) {
    bn_fq_sub(&o->c0, &a->c0, &b->c0);
    bn_fq_sub(&o->c1, &a->c1, &b->c1);
}

void bn_fq2_neg(bn_fq2 *o, const bn_fq2 *a) {
    bn_fq_neg(&o->c0, &a->c0);
    bn_fq_neg(&o->c1, &a->c1);
}

void bn_fq2_dbl(bn_fq2 *o, const bn_fq2 *a) {
    bn_fq_dbl(&o->c0, &a->c0);
    bn_fq_dbl(&o->c1, &a->c1);
}

/* (a0 + a1 u)(b0 + b1 u) = a0 b0 - a1 b1 + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) u */
void bn_fq2_mul(bn_fq2 *o, const bn_fq2 *a, const bn_fq2 *b) {
    bn_fq t0, t1, s0, s1;
    bn_fq_mul(&t0, &a->c0, &b->c0);
    bn_fq_mul(&t1, &a->c1, &b->c1);
    bn_fq_add(&s0, &a->c0, &a->c1);
    bn_fq_add(&s1, &b->c0, &b->c1);
    bn_fq_mul(&s0, &s0, &s1);
    bn_fq_sub(&o->c0, &t0, &t1);
    bn_fq_sub(&s0, &s0, &t0);
    bn_fq_sub(&o->c1, &s0, &t1);
}

/* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u */
void bn_fq2_sqr(bn_fq2 *o, const bn_fq2 *a) {
    bn_fq s, d, m;
    bn_fq_add(&s, &a->c0, &a->c1);
    bn_fq_sub(&d, &a->c0, &a->c1);
    bn_fq_mul(&m, &a->c0, &a->c1);
    bn_fq_mul(&o->c0, &s, &d);
    bn_fq_dbl(&o->c1, &m);
}

void bn_fq2_mul_fq(bn_fq2 *o, const bn_fq2 *a, const bn_fq *s) {
    bn_fq_mul(&o->c0, &a->c0, s);
    bn_fq_mul(&o->c1, &a->c1, s);
}

/* (a0 + a1 u)(9 + u) = (9 a0 - a1) + (a0 + 9 a1) u */
void bn_fq2_mul_xi(bn_fq2 *o, const bn_fq2 *a) {
    bn_fq t0, t1;
    bn_fq_dbl(&t0, &a->c0);
    bn_fq_dbl(&t0, &t0);
    bn_fq_dbl(&t0, &t0);
    bn_fq_add(&t0, &t0, &a->c0); /* 9 a0 */
    bn_fq_dbl(&t1, &a->c1);
    bn_fq_dbl(&t1, &t1);
    bn_fq_dbl(&t1, &t1);
    bn_fq_add(&t1, &t1, &a->c1); /* 9 a1 */
    bn_fq c0;
    bn_fq_sub(&c0, &t0, &a->c1);
    bn_fq_add(&o->c1, &a->c0, &t1);
    o->c0 = c0;
}

/* (a0 - a1 u) / (a0^2 + a1^2) */
void bn_fq2_inv(bn_fq2 *o, const bn_fq2 *a) {
    bn_fq n, t;
    bn_fq_sqr(&n, &a->c0);
    bn_fq_sqr(&t, &a->c1);
    bn_fq_add(&n, &n, &t);
    bn_fq_inv(&n, &n); /* 0 -> 0 */
    bn_fq_mul(&o->c0, &a->c0, &n);
    bn_fq_mul(&t, &a->c1, &n);
    bn_fq_neg(&o->c1, &t);
}

void bn_fq2_conj(bn_fq2 *o, const bn_fq2 *a) {
    o->c0 = a->c0;
    bn_fq_neg(&o->c1, &a->c1);
}

void bn_fq2_pow(bn_fq2 *o, const bn_fq2 *a, const uint64_t *e, size_t n) {
    bn_fq2 r, b = *a;
    bn_fq2_one(&r);
    for (size_t i = n; i-- > 0;)
        for (int bit = 63; bit >= 0; bit--) {
            bn_fq2_sqr(&r, &r);
            if ((e[i] >> bit) & 1) bn_fq2_mul(&r, &r, &b);
        }
    *o = r;
}

/* ---------------------------------------------------------------- F_q6 */

void bn_fq6_zero(bn_fq6 *o) {
    bn_fq2_zero(&o->c0);
    bn_fq2_zero(&o->c1);
    bn_fq2_zero(&o->c2);
}

void bn_fq6_one(bn_fq6 *o) {
    bn_fq2_one(&o->c0);
    bn_fq2_zero(&o->c1);
    bn_fq2_zero(&o->c2);
}

int bn_fq6_is_zero(const bn_fq6 *a) {
    return bn_fq2_is_zero(&a->c0) && bn_fq2_is_zero(&a->c1) && bn_fq2_is_zero(&a->c2);
}

int bn_fq6_eq(const bn_fq6 *a, const bn_fq6 *b) {
    return bn_fq2_eq(&a->c0, &b->c0) && bn_fq2_eq(&a->c1, &b->c1) && bn_fq2_eq(&a->c2, &b->c2);
}

void bn_fq6_add(bn_fq6 *o, const bn_fq6 *a, const bn_fq6 *b) {
    bn_fq2_add(&o->c0, &a->c0, &b->c0);
    bn_fq2_add(&o->c1, &a->c1, &b->c1);
    bn_fq2_add(&o->c2, &a->c2, &b->c2);
}

void bn_fq6_sub(bn_fq6 *o, const bn_fq6 *a, const bn_fq6 *b) {
    bn_fq2_sub(&o->c0, &a->c0, &b->c0);
    bn_fq2_sub(&o->c1, &a->c1, &b->c1);
    bn_fq2_sub(&o->c2, &a->c2, &b->c2);
}

void bn_fq6_neg(bn_fq6 *o, const bn_fq6 *a) {
    bn_fq2_neg(&o->c0, &a->c0);
    bn_fq2_neg(&o->c1, &a->c1);
    bn_fq2_neg(&o->c2, &a->c2);
}

/* Karatsuba (Devegili et al., Section 4):
 *   c0 = v0 + xi ((a1 + a2)(b1 + b2) - v1 - v2)
 *   c1 = (a0 + a1)(b0 + b1) - v0 - v1 + xi v2
 *   c2 = (a0 + a2)(b0 + b2) - v0 - v2 + v1,   vi = ai bi */
void bn_fq6_mul(bn_fq6 *o, const bn_fq6 *a, const bn_fq6 *b) {
    bn_fq2 v0, v1, v2, s, t, c0, c1, c2;
    bn_fq2_mul(&v0, &a->c0, &b->c0);
    bn_fq2_mul(&v1, &a->c1, &b->c1);
    bn_fq2_mul(&v2, &a->c2, &b->c2);

    bn_fq2_add(&s, &a->c1, &a->c2);
    bn_fq2_add(&t, &b->c1, &b->c2);
    bn_fq2_mul(&c0, &s, &t);
    bn_fq2_sub(&c0, &c0, &v1);
    bn_fq2_sub(&c0, &c0, &v2);
    bn_fq2_mul_xi(&c0, &c0);
    bn_fq2_add(&c0, &c0, &v0);

    bn_fq2_add(&s, &a->c0, &a->c1);
    bn_fq2_add(&t, &b->c0, &b->c1);
    bn_fq2_mul(&c1, &s, &t);
    bn_fq2_sub(&c1, &c1, &v0);
    bn_fq2_sub(&c1, &c1, &v1);
    bn_fq2_mul_xi(&s, &v2);
    bn_fq2_add(&c1, &c1, &s);

    bn_fq2_add(&s, &a->c0, &a->c2);
    bn_fq2_add(&t, &b->c0, &b->c2);
    bn_fq2_mul(&c2, &s, &t);
    bn_fq2_sub(&c2, &c2, &v0);
    bn_fq2_sub(&c2, &c2, &v2);
    bn_fq2_add(&c2, &c2, &v1);

    o->c0 = c0;
    o->c1 = c1;
    o->c2 = c2;
}

/* CH-SQR2 (Chung and Hasan; Devegili et al., Section 4):
 *   c0 = s0 + xi s3, c1 = s1 + xi s4, c2 = s1 + s2 + s3 - s0 - s4 with
 *   s0 = a0^2, s1 = 2 a0 a1, s2 = (a0 - a1 + a2)^2, s3 = 2 a1 a2, s4 = a2^2 */
void bn_fq6_sqr(bn_fq6 *o, const bn_fq6 *a) {
    bn_fq2 s0, s1, s2, s3, s4, t;
    bn_fq2_sqr(&s0, &a->c0);
    bn_fq2_mul(&s1, &a->c0, &a->c1);
    bn_fq2_dbl(&s1, &s1);
    bn_fq2_sub(&s2, &a->c0, &a->c1);
    bn_fq2_add(&s2, &s2, &a->c2);
    bn_fq2_sqr(&s2, &s2);
    bn_fq2_mul(&s3, &a->c1, &a->c2);
    bn_fq2_dbl(&s3, &s3);
    bn_fq2_sqr(&s4, &a->c2);

    bn_fq2_mul_xi(&t, &s3);
    bn_fq2_add(&o->c0, &s0, &t);
    bn_fq2_mul_xi(&t, &s4);
    bn_fq2_add(&o->c1, &s1, &t);
    bn_fq2_add(&t, &s1, &s2);
    bn_fq2_add(&t, &t, &s3);
    bn_fq2_sub(&t, &t, &s0);
    bn_fq2_sub(&o->c2, &t, &s4);
}

/* (a0 + a1 v + a2 v^2) v = xi a2 + a0 v + a1 v^2 */
void bn_fq6_mul_v(bn_fq6 *o, const bn_fq6 *a) {
    bn_fq2 t;
    bn_fq2_mul_xi(&t, &a->c2);
    o->c2 = a->c1;
    o->c1 = a->c0;
    o->c0 = t;
}

/* bn_fq6_mul with b2 = 0 */
void bn_fq6_mul_01(bn_fq6 *o, const bn_fq6 *a, const bn_fq2 *b0, const bn_fq2 *b1) {
    bn_fq2 v0, v1, s, t, c0, c1, c2;
    bn_fq2_mul(&v0, &a->c0, b0);
    bn_fq2_mul(&v1, &a->c1, b1);

    bn_fq2_add(&s, &a->c1, &a->c2);
    bn_fq2_mul(&c0, &s, b1);
    bn_fq2_sub(&c0, &c0, &v1);
    bn_fq2_mul_xi(&c0, &c0);
    bn_fq2_add(&c0, &c0, &v0);

    bn_fq2_add(&s, &a->c0, &a->c1);
    bn_fq2_add(&t, b0, b1);
    bn_fq2_mul(&c1, &s, &t);
    bn_fq2_sub(&c1, &c1, &v0);
    bn_fq2_sub(&c1, &c1, &v1);

    bn_fq2_add(&s, &a->c0, &a->c2);
    bn_fq2_mul(&c2, &s, b0);
    bn_fq2_sub(&c2, &c2, &v0);
    bn_fq2_add(&c2, &c2, &v1);

    o->c0 = c0;
    o->c1 = c1;
    o->c2 = c2;
}

/* a^-1 = (t0 + t1 v + t2 v^2) / N with t0 = a0^2 - xi a1 a2,
 * t1 = xi a2^2 - a0 a1, t2 = a1^2 - a0 a2, N = a0 t0 + xi (a2 t1 + a1 t2) */
void bn_fq6_inv(bn_fq6 *o, const bn_fq6 *a) {
    bn_fq2 t0, t1, t2, s, n;
    bn_fq2_sqr(&t0, &a->c0);
    bn_fq2_mul(&s, &a->c1, &a->c2);
    bn_fq2_mul_xi(&s, &s);
    bn_fq2_sub(&t0, &t0, &s);

    bn_fq2_sqr(&t1, &a->c2);
    bn_fq2_mul_xi(&t1, &t1);
    bn_fq2_mul(&s, &a->c0, &a->c1);
    bn_fq2_sub(&t1, &t1, &s);

    bn_fq2_sqr(&t2, &a->c1);
    bn_fq2_mul(&s, &a->c0, &a->c2);
    bn_fq2_sub(&t2, &t2, &s);

    bn_fq2_mul(&n, &a->c2, &t1);
    bn_fq2_mul(&s, &a->c1, &t2);
    bn_fq2_add(&n, &n, &s);
    bn_fq2_mul_xi(&n, &n);
    bn_fq2_mul(&s, &a->c0, &t0);
    bn_fq2_add(&n, &n, &s);
    bn_fq2_inv(&n, &n);

    bn_fq2_mul(&o->c0, &t0, &n);
    bn_fq2_mul(&o->c1, &t1, &n);
    bn_fq2_mul(&o->c2, &t2, &n);
}

/* --------------------------------------------------- Frobenius constants */

/* gamma[k][j] = xi^(j (q^k - 1) / 6): (g w^j)^(q^k) = g^(q^k) w^j gamma[k][j]
 * since w^6 = xi. gamma[1][1] = xi^((q - 1) / 6) by exponentiation, then
 * gamma[1][j] = gamma[1][1]^j and, from (q^(k+1) - 1) = q (q^k - 1) + (q - 1),
 * gamma[k+1][j] = conj(gamma[k][j]) gamma[1][j]. */
static bn_fq2 bn_tower_gamma[12][6];
static pthread_once_t bn_tower_once = PTHREAD_ONCE_INIT;

static void bn_tower_init(void) {
    /* e = (q - 1) / 6: long division of q - 1 by 6 in 32-bit digits */
    uint64_t e[4];
    uint64_t rem = 0;
    for (int i = 3; i >= 0; i--) {
        uint64_t limb = BN_Q[i] - (i == 0); /* q is odd: no borrow */
        uint64_t hi = (rem << 32) | (limb >> 32);
        uint64_t qh = hi / 6;
        rem = hi % 6;
        uint64_t lo = (rem << 32) | (limb & 0xffffffffu);
        uint64_t ql = lo / 6;
        rem = lo % 6;
        e[i] = (qh << 32) | ql;
    }
    ZK_CHECK(rem == 0);

    bn_fq2 xi;
    bn_fq_from_u64(&xi.c0, 9);
    bn_fq_one(&xi.c1);
    for (int k = 0; k < 12; k++) bn_fq2_one(&bn_tower_gamma[k][0]);
    for (int j = 1; j < 6; j++) bn_fq2_one(&bn_tower_gamma[0][j]);
    bn_fq2_pow(&bn_tower_gamma[1][1], &xi, e, 4);
    for (int j = 2; j < 6; j++) bn_fq2_mul(&bn_tower_gamma[1][j], &bn_tower_gamma[1][j - 1], &bn_tower_gamma[1][1]);
    for (int k = 2; k < 12; k++)
        for (int j = 1; j < 6; j++) {
            bn_fq2 c;
            bn_fq2_conj(&c, &bn_tower_gamma[k - 1][j]);
            bn_fq2_mul(&bn_tower_gamma[k][j], &c, &bn_tower_gamma[1][j]);
        }
}

static const bn_fq2 (*bn_tower_frob_table(void))[6] {
    ZK_CHECK(pthread_once(&bn_tower_once, bn_tower_init) == 0);
    return (const bn_fq2(*)[6])bn_tower_gamma;
}

void bn_tower_frob_coeff(bn_fq2 *o, unsigned k, unsigned j) {
    ZK_CHECK(k < 12 && j < 6);
    *o = bn_tower_frob_table()[k][j];
}

/* g -> g^(q^k) on F_q2: the conjugate for odd k */
static void bn_fq2_frob(bn_fq2 *o, const bn_fq2 *a, unsigned k) {
    if (k & 1)
        bn_fq2_conj(o, a);
    else
        *o = *a;
}

void bn_fq6_frob(bn_fq6 *o, const bn_fq6 *a, unsigned k) {
    const bn_fq2(*g)[6] = bn_tower_frob_table();
    k %= 6; /* a^(q^6) = a in F_q6 */
    bn_fq2_frob(&o->c0, &a->c0, k);
    bn_fq2_frob(&o->c1, &a->c1, k);
    bn_fq2_frob(&o->c2, &a->c2, k);
    bn_fq2_mul(&o->c1, &o->c1, &g[k][2]); /* v = w^2 */
    bn_fq2_mul(&o->c2, &o->c2, &g[k][4]); /* v^2 = w^4 */
}

/* --------------------------------------------------------------- F_q12 */

void bn_fq12_zero(bn_fq12 *o) {
    bn_fq6_zero(&o->c0);
    bn_fq6_zero(&o->c1);
}

void bn_fq12_one(bn_fq12 *o) {
    bn_fq6_one(&o->c0);
    bn_fq6_zero(&o->c1);
}

int bn_fq12_is_one(const bn_fq12 *a) {
    bn_fq12 one;
    bn_fq12_one(&one);
    return bn_fq12_eq(a, &one);
}

int bn_fq12_eq(const bn_fq12 *a, const bn_fq12 *b) { return bn_fq6_eq(&a->c0, &b->c0) && bn_fq6_eq(&a->c1, &b->c1); }

void bn_fq12_add(bn_fq12 *o, const bn_fq12 *a, const bn_fq12 *b) {
    bn_fq6_add(&o->c0, &a->c0, &b->c0);
    bn_fq6_add(&o->c1, &a->c1, &b->c1);
}

void bn_fq12_sub(bn_fq12 *o, const bn_fq12 *a, const bn_fq12 *b) {
    bn_fq6_sub(&o->c0, &a->c0, &b->c0);
    bn_fq6_sub(&o->c1, &a->c1, &b->c1);
}

/* (a0 + a1 w)(b0 + b1 w) = a0 b0 + v a1 b1 + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) w */
void bn_fq12_mul(bn_fq12 *o, const bn_fq12 *a, const bn_fq12 *b) {
    bn_fq6 t0, t1, s, t;
    bn_fq6_mul(&t0, &a->c0, &b->c0);
    bn_fq6_mul(&t1, &a->c1, &b->c1);
    bn_fq6_add(&s, &a->c0, &a->c1);
    bn_fq6_add(&t, &b->c0, &b->c1);
    bn_fq6_mul(&s, &s, &t);
    bn_fq6_sub(&s, &s, &t0);
    bn_fq6_sub(&o->c1, &s, &t1);
    bn_fq6_mul_v(&t1, &t1);
    bn_fq6_add(&o->c0, &t0, &t1);
}

/* complex squaring: c0 = (a0 + a1)(a0 + v a1) - m - v m, c1 = 2 m, m = a0 a1 */
void bn_fq12_sqr(bn_fq12 *o, const bn_fq12 *a) {
    bn_fq6 m, s, t;
    bn_fq6_mul(&m, &a->c0, &a->c1);
    bn_fq6_add(&s, &a->c0, &a->c1);
    bn_fq6_mul_v(&t, &a->c1);
    bn_fq6_add(&t, &t, &a->c0);
    bn_fq6_mul(&s, &s, &t);
    bn_fq6_sub(&s, &s, &m);
    bn_fq6_mul_v(&t, &m);
    bn_fq6_sub(&o->c0, &s, &t);
    bn_fq6_add(&o->c1, &m, &m);
}

/* a (b0 + (b3 + b4 v) w): with B = b3 + b4 v,
 * c0 = a0 b0 + v a1 B, c1 = (a0 + a1)(b0 + B) - a0 b0 - a1 B */
void bn_fq12_mul_034(bn_fq12 *o, const bn_fq12 *a, const bn_fq2 *b0, const bn_fq2 *b3, const bn_fq2 *b4) {
    bn_fq6 x, y, e;
    bn_fq2 s;
    bn_fq2_mul(&x.c0, &a->c0.c0, b0);
    bn_fq2_mul(&x.c1, &a->c0.c1, b0);
    bn_fq2_mul(&x.c2, &a->c0.c2, b0);
    bn_fq6_mul_01(&y, &a->c1, b3, b4);
    bn_fq2_add(&s, b0, b3);
    bn_fq6_add(&e, &a->c0, &a->c1);
    bn_fq6_mul_01(&e, &e, &s, b4);
    bn_fq6_sub(&e, &e, &x);
    bn_fq6_sub(&o->c1, &e, &y);
    bn_fq6_mul_v(&y, &y);
    bn_fq6_add(&o->c0, &x, &y);
}

/* (a0 - a1 w) / (a0^2 - v a1^2) */
void bn_fq12_inv(bn_fq12 *o, const bn_fq12 *a) {
    bn_fq6 t0, t1;
    bn_fq6_sqr(&t0, &a->c0);
    bn_fq6_sqr(&t1, &a->c1);
    bn_fq6_mul_v(&t1, &t1);
    bn_fq6_sub(&t0, &t0, &t1);
    bn_fq6_inv(&t0, &t0);
    bn_fq6_mul(&o->c0, &a->c0, &t0);
    bn_fq6_mul(&t1, &a->c1, &t0);
    bn_fq6_neg(&o->c1, &t1);
}

void bn_fq12_conj(bn_fq12 *o, const bn_fq12 *a) {
    o->c0 = a->c0;
    bn_fq6_neg(&o->c1, &a->c1);
}

/* coefficient g_j of w^j goes to g_j^(q^k) gamma[k][j] */
void bn_fq12_frob(bn_fq12 *o, const bn_fq12 *a, unsigned k) {
    const bn_fq2(*g)[6] = bn_tower_frob_table();
    k %= 12;
    bn_fq12 r;
    bn_fq2_frob(&r.c0.c0, &a->c0.c0, k);
    bn_fq2_frob(&r.c1.c0, &a->c1.c0, k);
    bn_fq2_frob(&r.c0.c1, &a->c0.c1, k);
    bn_fq2_frob(&r.c1.c1, &a->c1.c1, k);
    bn_fq2_frob(&r.c0.c2, &a->c0.c2, k);
    bn_fq2_frob(&r.c1.c2, &a->c1.c2, k);
    bn_fq2_mul(&r.c1.c0, &r.c1.c0, &g[k][1]);
    bn_fq2_mul(&r.c0.c1, &r.c0.c1, &g[k][2]);
    bn_fq2_mul(&r.c1.c1, &r.c1.c1, &g[k][3]);
    bn_fq2_mul(&r.c0.c2, &r.c0.c2, &g[k][4]);
    bn_fq2_mul(&r.c1.c2, &r.c1.c2, &g[k][5]);
    *o = r;
}

/* (x + y s)^2 = (x^2 + xi y^2) + 2 x y s in F_q4 = F_q2[s]/(s^2 - xi) */
static void bn_fq4_sqr(bn_fq2 *o0, bn_fq2 *o1, const bn_fq2 *x, const bn_fq2 *y) {
    bn_fq2 m, s, t;
    bn_fq2_mul(&m, x, y);
    bn_fq2_add(&s, x, y);
    bn_fq2_mul_xi(&t, y);
    bn_fq2_add(&t, &t, x);
    bn_fq2_mul(&s, &s, &t); /* x^2 + xi y^2 + (1 + xi) x y */
    bn_fq2_sub(&s, &s, &m);
    bn_fq2_mul_xi(&t, &m);
    bn_fq2_sub(o0, &s, &t);
    bn_fq2_dbl(o1, &m);
}

/* Granger-Scott: a = A + B w + C w^2 with A = g0 + g3 s, B = g1 + g4 s,
 * C = g2 + g5 s in F_q4 = F_q2[s]/(s^2 - xi), s = w^3. For a in the
 * cyclotomic subgroup:
 *   A' = 3 A^2 - 2 conj(A), B' = 3 s C^2 + 2 conj(B), C' = 3 B^2 - 2 conj(C)
 * (conj: s -> -s). */
void bn_fq12_cyclo_sqr(bn_fq12 *o, const bn_fq12 *a) {
    const bn_fq2 *g0 = &a->c0.c0, *g1 = &a->c1.c0, *g2 = &a->c0.c1;
    const bn_fq2 *g3 = &a->c1.c1, *g4 = &a->c0.c2, *g5 = &a->c1.c2;
    bn_fq2 t0, t1, t2, t3, t4, t5, x;
    bn_fq4_sqr(&t0, &t1, g0, g3); /* A^2 */
    bn_fq4_sqr(&t2, &t3, g1, g4); /* B^2 */
    bn_fq4_sqr(&t4, &t5, g2, g5); /* C^2 */

    bn_fq12 r;
    /* A' = 3 A^2 - 2 conj(A):   g0' = 3 t0 - 2 g0,  g3' = 3 t1 + 2 g3 */
    bn_fq2_sub(&x, &t0, g0);
    bn_fq2_dbl(&x, &x);
    bn_fq2_add(&r.c0.c0, &x, &t0);
    bn_fq2_add(&x, &t1, g3);
    bn_fq2_dbl(&x, &x);
    bn_fq2_add(&r.c1.c1, &x, &t1);
    /* B' = 3 s C^2 + 2 conj(B): s C^2 = xi t5 + t4 s,
     *   g1' = 3 xi t5 + 2 g1,  g4' = 3 t4 - 2 g4 */
    bn_fq2 xt5;
    bn_fq2_mul_xi(&xt5, &t5);
    bn_fq2_add(&x, &xt5, g1);
    bn_fq2_dbl(&x, &x);
    bn_fq2_add(&r.c1.c0, &x, &xt5);
    bn_fq2_sub(&x, &t4, g4);
    bn_fq2_dbl(&x, &x);
    bn_fq2_add(&r.c0.c2, &x, &t4);
    /* C' = 3 B^2 - 2 conj(C):   g2' = 3 t2 - 2 g2,  g5' = 3 t3 + 2 g5 */
    bn_fq2_sub(&x, &t2, g2);
    bn_fq2_dbl(&x, &x);
    bn_fq2_add(&r.c0.c1, &x, &t2);
    bn_fq2_add(&x, &t3, g5);
    bn_fq2_dbl(&x, &x);
    bn_fq2_add(&r.c1.c2, &x, &t3);
    *o = r;
}

void bn_fq12_pow(bn_fq12 *o, const bn_fq12 *a, const uint64_t *e, size_t n) {
    bn_fq12 r, b = *a;
    bn_fq12_one(&r);
    int started = 0;
    for (size_t i = n; i-- > 0;)
        for (int bit = 63; bit >= 0; bit--) {
            if (started) bn_fq12_sqr(&r, &r);
            if ((e[i] >> bit) & 1) {
                bn_fq12_mul(&r, &r, &b);
                started = 1;
            }
        }
    *o = r;
}
