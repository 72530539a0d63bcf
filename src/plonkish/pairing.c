/* pairing.c -- BN254 G2 and the optimal ate pairing (see pairing.h).
 *
 * G2 arithmetic: Jacobian coordinates, a = 0 formulas of the Explicit-
 * Formulas Database (dbl-2009-l, add-2007-bl, madd-2007-bl).
 *
 * Miller loop: homogeneous projective T = (X : Y : Z) ~ (X/Z, Y/Z) on the
 * twist, lines from Costello, Lange and Naehrig, "Faster pairing
 * computations on curves with high-degree twists" (PKC 2010), in the form
 * of Aranha, Karabina, Longa, Gebotys and Lopez, "Faster explicit formulas
 * for computing pairings over ordinary curves" (Eurocrypt 2011), Section 4
 * (D-type twist). A line through points of the twist, evaluated at the
 * untwisted P = (xP, yP), is l0 yP + l3 xP w + l4 v w, up to a factor in
 * F_q2 that the final exponentiation removes: a sparse element (positions
 * 0, 3, 4) multiplied in with bn_fq12_mul_034.
 */
#include "pairing.h"

#include <pthread.h>
#include <string.h>

/* 6x + 2 = 29793968203157093288 and x = 4965661367192848881 in
 * non-adjacent form, least significant digit first (checked against the
 * integers at first use, bn_pc_init). */
static const signed char bn_ate_naf[66] = {
    0, 0,  0, 1, 0, 1, 0, -1, 0, 0,  -1, 0, 0, 0, 1,  0, 0, -1, 0, -1, 0, 0, 0,
    1, 0,  -1, 0, 0, 0, 0, -1, 0, 0,  1, 0, -1, 0, 0, 1, 0,  0, 0,  0, 0, -1, 0,
    0, -1, 0,  1, 0, -1, 0,  0, 0, -1, 0, -1, 0, 0, 0, 1, 0,  -1, 0, 1,
};
static const signed char bn_x_naf[63] = {
    1, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, -1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0,
    0, 0, 1, 0, -1, 0, -1, 0, -1, 0, 1, 0, 1, 0, 0, -1, 0, 1, 0, 1, 0, -1, 0, 0, 1, 0, 1, 0, 0, 0, 1,
};

/* The generator of G2 (EIP-197), coordinates c0 + c1 u as plain integers. */
static const uint64_t bn_g2_gen_limbs[4][4] = {
    {0x46debd5cd992f6edULL, 0x674322d4f75edaddULL, 0x426a00665e5c4479ULL, 0x1800deef121f1e76ULL}, /* x.c0 */
    {0x97e485b7aef312c2ULL, 0xf1aa493335a9e712ULL, 0x7260bfb731fb5d25ULL, 0x198e9393920d483aULL}, /* x.c1 */
    {0x4ce6cc0166fa7daaULL, 0xe3d1e7690c43d37bULL, 0x4aab71808dcb408fULL, 0x12c85ea5db8c6debULL}, /* y.c0 */
    {0x55acdadcd122975bULL, 0xbc4b313370b38ef3ULL, 0xec9e99ad690c3395ULL, 0x090689d0585ff075ULL}, /* y.c1 */
};

/* Constants in Montgomery form, computed once (pthread_once). */
static struct {
    bn_g2_aff gen;
    bn_fq2 b;        /* 3 / xi, the twist's coefficient */
    bn_fq two_inv;   /* 1/2 in F_q */
    bn_fq2 frob_x1;  /* xi^((q-1)/3): pi(x, y) = (conj(x) frob_x1, conj(y) frob_y1) */
    bn_fq2 frob_y1;  /* xi^((q-1)/2) */
    bn_fq2 frob_x2;  /* xi^((q^2-1)/3): pi^2(x, y) = (x frob_x2, y frob_y2) */
    bn_fq2 frob_y2;  /* xi^((q^2-1)/2) */
} bn_pc;
static pthread_once_t bn_pc_once = PTHREAD_ONCE_INIT;

/* sum_i d[i] 2^i, and whether no two adjacent digits are both nonzero */
static unsigned __int128 bn_naf_value(const signed char *d, size_t n, int *non_adjacent) {
    __int128 v = 0;
    *non_adjacent = 1;
    for (size_t i = n; i-- > 0;) {
        v = 2 * v + d[i];
        if (i + 1 < n && d[i] && d[i + 1]) *non_adjacent = 0;
    }
    return (unsigned __int128)v;
}

static void bn_pc_init(void) {
    const uint64_t x = 4965661367192848881ULL;
    int na1, na2;
    ZK_CHECK(bn_naf_value(bn_x_naf, sizeof bn_x_naf, &na1) == x && na1);
    ZK_CHECK(bn_naf_value(bn_ate_naf, sizeof bn_ate_naf, &na2) == 6 * (unsigned __int128)x + 2 && na2);
    ZK_CHECK(bn_ate_naf[sizeof bn_ate_naf - 1] == 1 && bn_x_naf[sizeof bn_x_naf - 1] == 1);

    ZK_CHECK(bn_fq_from_limbs(&bn_pc.gen.x.c0, bn_g2_gen_limbs[0]));
    ZK_CHECK(bn_fq_from_limbs(&bn_pc.gen.x.c1, bn_g2_gen_limbs[1]));
    ZK_CHECK(bn_fq_from_limbs(&bn_pc.gen.y.c0, bn_g2_gen_limbs[2]));
    ZK_CHECK(bn_fq_from_limbs(&bn_pc.gen.y.c1, bn_g2_gen_limbs[3]));
    bn_pc.gen.inf = 0;

    bn_fq2 xi, three;
    bn_fq_from_u64(&xi.c0, 9);
    bn_fq_one(&xi.c1);
    bn_fq_from_u64(&three.c0, 3);
    bn_fq_zero(&three.c1);
    bn_fq2_inv(&xi, &xi);
    bn_fq2_mul(&bn_pc.b, &three, &xi);

    bn_fq_from_u64(&bn_pc.two_inv, 2);
    bn_fq_inv(&bn_pc.two_inv, &bn_pc.two_inv);

    bn_tower_frob_coeff(&bn_pc.frob_x1, 1, 2);
    bn_tower_frob_coeff(&bn_pc.frob_y1, 1, 3);
    bn_tower_frob_coeff(&bn_pc.frob_x2, 2, 2);
    bn_tower_frob_coeff(&bn_pc.frob_y2, 2, 3);
}

static void bn_pc_get(void) { ZK_CHECK(pthread_once(&bn_pc_once, bn_pc_init) == 0); }

/* ------------------------------------------------------------------ G2 */

void bn_g2_generator_aff(bn_g2_aff *o) {
    bn_pc_get();
    *o = bn_pc.gen;
}

void bn_g2_generator(bn_g2 *o) {
    bn_g2_aff g;
    bn_g2_generator_aff(&g);
    bn_g2_from_aff(o, &g);
}

void bn_g2_set_inf(bn_g2 *o) {
    bn_fq2_one(&o->X);
    bn_fq2_one(&o->Y);
    bn_fq2_zero(&o->Z);
}

int bn_g2_is_inf(const bn_g2 *a) { return bn_fq2_is_zero(&a->Z); }

void bn_g2_from_aff(bn_g2 *o, const bn_g2_aff *a) {
    if (a->inf) {
        bn_g2_set_inf(o);
        return;
    }
    o->X = a->x;
    o->Y = a->y;
    bn_fq2_one(&o->Z);
}

void bn_g2_to_aff(bn_g2_aff *o, const bn_g2 *a) {
    if (bn_g2_is_inf(a)) {
        bn_fq2_zero(&o->x);
        bn_fq2_zero(&o->y);
        o->inf = 1;
        return;
    }
    bn_fq2 zi, zi2;
    bn_fq2_inv(&zi, &a->Z);
    bn_fq2_sqr(&zi2, &zi);
    bn_fq2_mul(&o->x, &a->X, &zi2);
    bn_fq2_mul(&zi2, &zi2, &zi);
    bn_fq2_mul(&o->y, &a->Y, &zi2);
    o->inf = 0;
}

int bn_g2_eq(const bn_g2 *a, const bn_g2 *b) {
    int ia = bn_g2_is_inf(a), ib = bn_g2_is_inf(b);
    if (ia || ib) return ia && ib;
    bn_fq2 za2, zb2, l, r;
    bn_fq2_sqr(&za2, &a->Z);
    bn_fq2_sqr(&zb2, &b->Z);
    bn_fq2_mul(&l, &a->X, &zb2);
    bn_fq2_mul(&r, &b->X, &za2);
    if (!bn_fq2_eq(&l, &r)) return 0;
    bn_fq2_mul(&zb2, &zb2, &b->Z);
    bn_fq2_mul(&za2, &za2, &a->Z);
    bn_fq2_mul(&l, &a->Y, &zb2);
    bn_fq2_mul(&r, &b->Y, &za2);
    return bn_fq2_eq(&l, &r);
}

int bn_g2_aff_eq(const bn_g2_aff *a, const bn_g2_aff *b) {
    if (a->inf || b->inf) return a->inf && b->inf;
    return bn_fq2_eq(&a->x, &b->x) && bn_fq2_eq(&a->y, &b->y);
}

int bn_g2_aff_on_curve(const bn_g2_aff *a) {
    if (a->inf) return 1;
    bn_pc_get();
    bn_fq2 l, r;
    bn_fq2_sqr(&l, &a->y);
    bn_fq2_sqr(&r, &a->x);
    bn_fq2_mul(&r, &r, &a->x);
    bn_fq2_add(&r, &r, &bn_pc.b);
    return bn_fq2_eq(&l, &r);
}

int bn_g2_aff_in_subgroup(const bn_g2_aff *a) {
    if (!bn_g2_aff_on_curve(a)) return 0;
    if (a->inf) return 1;
    bn_g2 p, t;
    bn_g2_from_aff(&p, a);
    bn_g2_mul_limbs(&t, &p, BN_R, 4);
    return bn_g2_is_inf(&t);
}

/* dbl-2009-l: A = X^2, B = Y^2, C = B^2, D = 2((X + B)^2 - A - C), E = 3A,
 * X3 = E^2 - 2D, Y3 = E (D - X3) - 8C, Z3 = 2 Y Z */
void bn_g2_dbl(bn_g2 *o, const bn_g2 *a) {
    if (bn_g2_is_inf(a)) {
        *o = *a;
        return;
    }
    bn_fq2 A, B, C, D, E, F, t;
    bn_fq2_sqr(&A, &a->X);
    bn_fq2_sqr(&B, &a->Y);
    bn_fq2_sqr(&C, &B);
    bn_fq2_add(&D, &a->X, &B);
    bn_fq2_sqr(&D, &D);
    bn_fq2_sub(&D, &D, &A);
    bn_fq2_sub(&D, &D, &C);
    bn_fq2_dbl(&D, &D);
    bn_fq2_dbl(&E, &A);
    bn_fq2_add(&E, &E, &A);
    bn_fq2_sqr(&F, &E);
    bn_fq2_mul(&t, &a->Y, &a->Z);
    bn_fq2_dbl(&o->Z, &t);
    bn_fq2_dbl(&t, &D);
    bn_fq2_sub(&o->X, &F, &t);
    bn_fq2_sub(&t, &D, &o->X);
    bn_fq2_mul(&t, &E, &t);
    bn_fq2_dbl(&C, &C);
    bn_fq2_dbl(&C, &C);
    bn_fq2_dbl(&C, &C);
    bn_fq2_sub(&o->Y, &t, &C);
}

/* add-2007-bl */
void bn_g2_add(bn_g2 *o, const bn_g2 *a, const bn_g2 *b) {
    if (bn_g2_is_inf(a)) {
        *o = *b;
        return;
    }
    if (bn_g2_is_inf(b)) {
        *o = *a;
        return;
    }
    bn_fq2 z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    bn_fq2_sqr(&z1z1, &a->Z);
    bn_fq2_sqr(&z2z2, &b->Z);
    bn_fq2_mul(&u1, &a->X, &z2z2);
    bn_fq2_mul(&u2, &b->X, &z1z1);
    bn_fq2_mul(&s1, &a->Y, &b->Z);
    bn_fq2_mul(&s1, &s1, &z2z2);
    bn_fq2_mul(&s2, &b->Y, &a->Z);
    bn_fq2_mul(&s2, &s2, &z1z1);
    bn_fq2_sub(&h, &u2, &u1);
    bn_fq2_sub(&rr, &s2, &s1);
    if (bn_fq2_is_zero(&h)) {
        if (bn_fq2_is_zero(&rr))
            bn_g2_dbl(o, a);
        else
            bn_g2_set_inf(o);
        return;
    }
    bn_fq2_dbl(&i, &h);
    bn_fq2_sqr(&i, &i);
    bn_fq2_mul(&j, &h, &i);
    bn_fq2_dbl(&rr, &rr);
    bn_fq2_mul(&v, &u1, &i);
    /* Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H (before X, Y are overwritten) */
    bn_fq2_add(&t, &a->Z, &b->Z);
    bn_fq2_sqr(&t, &t);
    bn_fq2_sub(&t, &t, &z1z1);
    bn_fq2_sub(&t, &t, &z2z2);
    bn_fq2_mul(&o->Z, &t, &h);
    bn_fq2_sqr(&t, &rr);
    bn_fq2_sub(&t, &t, &j);
    bn_fq2_sub(&t, &t, &v);
    bn_fq2_sub(&o->X, &t, &v);
    bn_fq2_sub(&t, &v, &o->X);
    bn_fq2_mul(&t, &rr, &t);
    bn_fq2_mul(&s1, &s1, &j);
    bn_fq2_dbl(&s1, &s1);
    bn_fq2_sub(&o->Y, &t, &s1);
}

/* madd-2007-bl (Z2 = 1) */
void bn_g2_add_aff(bn_g2 *o, const bn_g2 *a, const bn_g2_aff *b) {
    if (b->inf) {
        *o = *a;
        return;
    }
    if (bn_g2_is_inf(a)) {
        bn_g2_from_aff(o, b);
        return;
    }
    bn_fq2 z1z1, u2, s2, h, hh, i, j, rr, v, t, y1;
    bn_fq2_sqr(&z1z1, &a->Z);
    bn_fq2_mul(&u2, &b->x, &z1z1);
    bn_fq2_mul(&s2, &b->y, &a->Z);
    bn_fq2_mul(&s2, &s2, &z1z1);
    bn_fq2_sub(&h, &u2, &a->X);
    bn_fq2_sub(&rr, &s2, &a->Y);
    if (bn_fq2_is_zero(&h)) {
        if (bn_fq2_is_zero(&rr))
            bn_g2_dbl(o, a);
        else
            bn_g2_set_inf(o);
        return;
    }
    bn_fq2_sqr(&hh, &h);
    bn_fq2_dbl(&i, &hh);
    bn_fq2_dbl(&i, &i);
    bn_fq2_mul(&j, &h, &i);
    bn_fq2_dbl(&rr, &rr);
    bn_fq2_mul(&v, &a->X, &i);
    y1 = a->Y;
    bn_fq2_add(&t, &a->Z, &h);
    bn_fq2_sqr(&t, &t);
    bn_fq2_sub(&t, &t, &z1z1);
    bn_fq2_sub(&o->Z, &t, &hh);
    bn_fq2_sqr(&t, &rr);
    bn_fq2_sub(&t, &t, &j);
    bn_fq2_sub(&t, &t, &v);
    bn_fq2_sub(&o->X, &t, &v);
    bn_fq2_sub(&t, &v, &o->X);
    bn_fq2_mul(&t, &rr, &t);
    bn_fq2_mul(&y1, &y1, &j);
    bn_fq2_dbl(&y1, &y1);
    bn_fq2_sub(&o->Y, &t, &y1);
}

void bn_g2_neg(bn_g2 *o, const bn_g2 *a) {
    o->X = a->X;
    bn_fq2_neg(&o->Y, &a->Y);
    o->Z = a->Z;
}

void bn_g2_aff_neg(bn_g2_aff *o, const bn_g2_aff *a) {
    o->x = a->x;
    bn_fq2_neg(&o->y, &a->y);
    o->inf = a->inf;
}

void bn_g2_mul_limbs(bn_g2 *o, const bn_g2 *a, const uint64_t *e, size_t n) {
    bn_g2 r, b = *a;
    bn_g2_set_inf(&r);
    for (size_t i = n; i-- > 0;)
        for (int bit = 63; bit >= 0; bit--) {
            bn_g2_dbl(&r, &r);
            if ((e[i] >> bit) & 1) bn_g2_add(&r, &r, &b);
        }
    *o = r;
}

void bn_g2_mul(bn_g2 *o, const bn_g2 *a, const bn_fr *k) {
    uint64_t e[4];
    bn_fr_to_limbs(e, k);
    bn_g2_mul_limbs(o, a, e, 4);
}

void bn_g2_to_bytes(uint8_t out[128], const bn_g2_aff *a) {
    if (a->inf) {
        memset(out, 0, 128);
        return;
    }
    bn_fq_to_bytes(out, &a->x.c1);
    bn_fq_to_bytes(out + 32, &a->x.c0);
    bn_fq_to_bytes(out + 64, &a->y.c1);
    bn_fq_to_bytes(out + 96, &a->y.c0);
}

zk_err bn_g2_from_bytes(bn_g2_aff *o, const uint8_t in[128]) {
    int zero = 1;
    for (int i = 0; i < 128; i++) zero &= in[i] == 0;
    if (zero) {
        bn_fq2_zero(&o->x);
        bn_fq2_zero(&o->y);
        o->inf = 1;
        return ZK_OK;
    }
    bn_g2_aff p;
    p.inf = 0;
    zk_err e;
    if ((e = bn_fq_from_bytes(&p.x.c1, in)) != ZK_OK || (e = bn_fq_from_bytes(&p.x.c0, in + 32)) != ZK_OK ||
        (e = bn_fq_from_bytes(&p.y.c1, in + 64)) != ZK_OK || (e = bn_fq_from_bytes(&p.y.c0, in + 96)) != ZK_OK) {
        zk_set_reason("G2 point: coordinate not below q");
        return e;
    }
    if (!bn_g2_aff_on_curve(&p)) {
        zk_set_reason("G2 point not on the twist curve");
        return ZK_EINPUT;
    }
    if (!bn_g2_aff_in_subgroup(&p)) {
        zk_set_reason("G2 point not in the order-r subgroup");
        return ZK_EINPUT;
    }
    *o = p;
    return ZK_OK;
}

/* --------------------------------------------------------- Miller loop */

/* homogeneous projective point of the twist: (X/Z, Y/Z) */
typedef struct {
    bn_fq2 X, Y, Z;
} bn_g2_hom;

/* T <- 2T; line (tangent at T, times -2YZ):
 *   l0 = -2YZ, l3 = 3X^2, l4 = 3b'Z^2 - Y^2 (b' = 3/xi) */
static void bn_line_dbl(bn_g2_hom *T, bn_fq2 *l0, bn_fq2 *l3, bn_fq2 *l4) {
    bn_fq2 a, b, c, e, f, g, h, j, t;
    bn_fq2_mul(&a, &T->X, &T->Y);
    bn_fq2_mul_fq(&a, &a, &bn_pc.two_inv); /* XY/2 */
    bn_fq2_sqr(&b, &T->Y);                 /* Y^2 */
    bn_fq2_sqr(&c, &T->Z);                 /* Z^2 */
    bn_fq2_dbl(&e, &c);
    bn_fq2_add(&e, &e, &c);
    bn_fq2_mul(&e, &e, &bn_pc.b); /* 3 b' Z^2 */
    bn_fq2_dbl(&f, &e);
    bn_fq2_add(&f, &f, &e); /* 9 b' Z^2 */
    bn_fq2_add(&g, &b, &f);
    bn_fq2_mul_fq(&g, &g, &bn_pc.two_inv); /* (Y^2 + 9b'Z^2)/2 */
    bn_fq2_add(&h, &T->Y, &T->Z);
    bn_fq2_sqr(&h, &h);
    bn_fq2_sub(&h, &h, &b);
    bn_fq2_sub(&h, &h, &c); /* 2YZ */
    bn_fq2_sqr(&j, &T->X);  /* X^2 */

    bn_fq2_sub(l4, &e, &b);
    bn_fq2_dbl(l3, &j);
    bn_fq2_add(l3, l3, &j);
    bn_fq2_neg(l0, &h);

    bn_fq2_sub(&t, &b, &f);
    bn_fq2_mul(&T->X, &a, &t); /* XY/2 (Y^2 - 9b'Z^2) */
    bn_fq2_sqr(&t, &e);
    bn_fq2_dbl(&a, &t);
    bn_fq2_add(&t, &a, &t); /* 27 b'^2 Z^4 */
    bn_fq2_sqr(&g, &g);
    bn_fq2_sub(&T->Y, &g, &t);
    bn_fq2_mul(&T->Z, &b, &h); /* 2 Y^3 Z */
}

/* T <- T + Q; line (through T and Q, times lambda = X - xQ Z):
 *   l0 = lambda, l3 = -theta, l4 = theta xQ - lambda yQ, theta = Y - yQ Z */
static void bn_line_add(bn_g2_hom *T, const bn_g2_aff *Q, bn_fq2 *l0, bn_fq2 *l3, bn_fq2 *l4) {
    bn_fq2 theta, lambda, c, d, e, f, g, h, t;
    bn_fq2_mul(&t, &Q->y, &T->Z);
    bn_fq2_sub(&theta, &T->Y, &t);
    bn_fq2_mul(&t, &Q->x, &T->Z);
    bn_fq2_sub(&lambda, &T->X, &t);
    bn_fq2_sqr(&c, &theta);
    bn_fq2_sqr(&d, &lambda);
    bn_fq2_mul(&e, &lambda, &d);
    bn_fq2_mul(&f, &T->Z, &c);
    bn_fq2_mul(&g, &T->X, &d);
    bn_fq2_add(&h, &e, &f);
    bn_fq2_sub(&h, &h, &g);
    bn_fq2_sub(&h, &h, &g);
    bn_fq2_mul(&T->X, &lambda, &h);
    bn_fq2_sub(&t, &g, &h);
    bn_fq2_mul(&t, &theta, &t);
    bn_fq2_mul(&f, &e, &T->Y);
    bn_fq2_sub(&T->Y, &t, &f);
    bn_fq2_mul(&T->Z, &T->Z, &e);

    bn_fq2_mul(&t, &theta, &Q->x);
    bn_fq2_mul(&f, &lambda, &Q->y);
    bn_fq2_sub(l4, &t, &f);
    bn_fq2_neg(l3, &theta);
    *l0 = lambda;
}

/* f <- f * (l0 yP + l3 xP w + l4 v w) */
static void bn_line_eval(bn_fq12 *f, const bn_g1_aff *P, bn_fq2 *l0, bn_fq2 *l3, const bn_fq2 *l4) {
    bn_fq2_mul_fq(l0, l0, &P->y);
    bn_fq2_mul_fq(l3, l3, &P->x);
    bn_fq12_mul_034(f, f, l0, l3, l4);
}

/* pi(Q) = (conj(x) xi^((q-1)/3), conj(y) xi^((q-1)/2)) on the twist */
static void bn_g2_frob1(bn_g2_aff *o, const bn_g2_aff *q) {
    bn_fq2_conj(&o->x, &q->x);
    bn_fq2_mul(&o->x, &o->x, &bn_pc.frob_x1);
    bn_fq2_conj(&o->y, &q->y);
    bn_fq2_mul(&o->y, &o->y, &bn_pc.frob_y1);
    o->inf = q->inf;
}

/* -pi^2(Q) = (x xi^((q^2-1)/3), -y xi^((q^2-1)/2)) */
static void bn_g2_neg_frob2(bn_g2_aff *o, const bn_g2_aff *q) {
    bn_fq2_mul(&o->x, &q->x, &bn_pc.frob_x2);
    bn_fq2_mul(&o->y, &q->y, &bn_pc.frob_y2);
    bn_fq2_neg(&o->y, &o->y);
    o->inf = q->inf;
}

/* pairs per shared Miller loop (stack scratch; longer inputs are chunked) */
#define BN_MILLER_CHUNK 8

/* f = prod over k < n of the Miller functions, n <= BN_MILLER_CHUNK, no
 * point at infinity. */
static void bn_miller_chunk(bn_fq12 *f, const bn_g1_aff *p, const bn_g2_aff *q, size_t n) {
    bn_g2_hom T[BN_MILLER_CHUNK];
    bn_g2_aff qneg[BN_MILLER_CHUNK];
    bn_fq2 l0, l3, l4;
    for (size_t k = 0; k < n; k++) {
        T[k].X = q[k].x;
        T[k].Y = q[k].y;
        bn_fq2_one(&T[k].Z);
        bn_g2_aff_neg(&qneg[k], &q[k]);
    }
    bn_fq12_one(f);
    for (int i = (int)sizeof bn_ate_naf - 2; i >= 0; i--) {
        if (i != (int)sizeof bn_ate_naf - 2) bn_fq12_sqr(f, f);
        for (size_t k = 0; k < n; k++) {
            bn_line_dbl(&T[k], &l0, &l3, &l4);
            bn_line_eval(f, &p[k], &l0, &l3, &l4);
        }
        if (bn_ate_naf[i] != 0)
            for (size_t k = 0; k < n; k++) {
                bn_line_add(&T[k], bn_ate_naf[i] > 0 ? &q[k] : &qneg[k], &l0, &l3, &l4);
                bn_line_eval(f, &p[k], &l0, &l3, &l4);
            }
    }
    /* T = [6x+2]Q; the lines to T + pi(Q) and through T + pi(Q) - pi^2(Q) */
    for (size_t k = 0; k < n; k++) {
        bn_g2_aff q1, q2;
        bn_g2_frob1(&q1, &q[k]);
        bn_g2_neg_frob2(&q2, &q[k]);
        bn_line_add(&T[k], &q1, &l0, &l3, &l4);
        bn_line_eval(f, &p[k], &l0, &l3, &l4);
        bn_line_add(&T[k], &q2, &l0, &l3, &l4);
        bn_line_eval(f, &p[k], &l0, &l3, &l4);
    }
}

void bn_pairing_miller_loop(bn_fq12 *o, const bn_g1_aff *p, const bn_g2_aff *q, size_t n) {
    bn_pc_get();
    bn_g1_aff pc[BN_MILLER_CHUNK];
    bn_g2_aff qc[BN_MILLER_CHUNK];
    bn_fq12 acc, f;
    bn_fq12_one(&acc);
    size_t m = 0;
    for (size_t i = 0; i <= n; i++) {
        if (m == BN_MILLER_CHUNK || (i == n && m > 0)) {
            bn_miller_chunk(&f, pc, qc, m);
            bn_fq12_mul(&acc, &acc, &f);
            m = 0;
        }
        if (i == n) break;
        if (p[i].inf || q[i].inf) continue;
        ZK_VERIFY_CHECK(bn_g1_aff_on_curve(&p[i]) && bn_g2_aff_on_curve(&q[i]));
        pc[m] = p[i];
        qc[m] = q[i];
        m++;
    }
    *o = acc;
}

/* ------------------------------------------------ final exponentiation */

/* o = a^x for a in the cyclotomic subgroup (inverse = conjugate) */
static void bn_cyclo_exp_x(bn_fq12 *o, const bn_fq12 *a) {
    bn_fq12 r, ainv;
    bn_fq12_conj(&ainv, a);
    r = *a; /* top digit is 1 */
    for (int i = (int)sizeof bn_x_naf - 2; i >= 0; i--) {
        bn_fq12_cyclo_sqr(&r, &r);
        if (bn_x_naf[i] > 0)
            bn_fq12_mul(&r, &r, a);
        else if (bn_x_naf[i] < 0)
            bn_fq12_mul(&r, &r, &ainv);
    }
    *o = r;
}

/* Scott et al. (Pairing 2009), Section 5: with f in the cyclotomic
 * subgroup, f^((q^4 - q^2 + 1)/r) = y0 y1^2 y2^6 y3^12 y4^18 y5^30 y6^36,
 *   y0 = f^q f^(q^2) f^(q^3), y1 = 1/f, y2 = (f^(x^2))^(q^2),
 *   y3 = 1/(f^x)^q, y4 = 1/(f^x (f^(x^2))^q), y5 = 1/f^(x^2),
 *   y6 = 1/(f^(x^3) (f^(x^3))^q),
 * evaluated by the vectorial addition chain of that section. */
void bn_pairing_final_exp(bn_fq12 *o, const bn_fq12 *f) {
    bn_fq12 t0, t1, fp, fp2, fp3, fu, fu2, fu3, y0, y1, y2, y3, y4, y5, y6;
    /* easy part: f^((q^6 - 1)(q^2 + 1)) */
    bn_fq12_inv(&t0, f);
    bn_fq12_conj(&t1, f);
    bn_fq12_mul(&t1, &t1, &t0);
    bn_fq12_frob(&t0, &t1, 2);
    bn_fq12_mul(&t1, &t1, &t0);
    if (bn_fq6_is_zero(&t1.c0) && bn_fq6_is_zero(&t1.c1)) { /* f = 0 */
        *o = t1;
        return;
    }

    /* hard part */
    bn_fq12_frob(&fp, &t1, 1);
    bn_fq12_frob(&fp2, &t1, 2);
    bn_fq12_frob(&fp3, &fp2, 1);
    bn_cyclo_exp_x(&fu, &t1);
    bn_cyclo_exp_x(&fu2, &fu);
    bn_cyclo_exp_x(&fu3, &fu2);

    bn_fq12_mul(&y0, &fp, &fp2);
    bn_fq12_mul(&y0, &y0, &fp3);
    bn_fq12_conj(&y1, &t1);
    bn_fq12_frob(&y2, &fu2, 2);
    bn_fq12_frob(&y3, &fu, 1);
    bn_fq12_conj(&y3, &y3);
    bn_fq12_frob(&y4, &fu2, 1);
    bn_fq12_mul(&y4, &y4, &fu);
    bn_fq12_conj(&y4, &y4);
    bn_fq12_conj(&y5, &fu2);
    bn_fq12_frob(&y6, &fu3, 1);
    bn_fq12_mul(&y6, &y6, &fu3);
    bn_fq12_conj(&y6, &y6);

    bn_fq12_cyclo_sqr(&t0, &y6);
    bn_fq12_mul(&t0, &t0, &y4);
    bn_fq12_mul(&t0, &t0, &y5); /* y4 y5 y6^2 */
    bn_fq12_mul(&t1, &y3, &y5);
    bn_fq12_mul(&t1, &t1, &t0); /* y3 y4 y5^2 y6^2 */
    bn_fq12_mul(&t0, &t0, &y2); /* y2 y4 y5 y6^2 */
    bn_fq12_cyclo_sqr(&t1, &t1);
    bn_fq12_mul(&t1, &t1, &t0);
    bn_fq12_cyclo_sqr(&t1, &t1); /* y2^2 y3^4 y4^6 y5^10 y6^12 */
    bn_fq12_mul(&t0, &t1, &y1);
    bn_fq12_mul(&t1, &t1, &y0);
    bn_fq12_cyclo_sqr(&t0, &t0);
    bn_fq12_mul(o, &t0, &t1);
}

/* ------------------------------------------------------------- pairing */

void bn_pairing(bn_fq12 *o, const bn_g1_aff *p, const bn_g2_aff *q) {
    bn_fq12 f;
    bn_pairing_miller_loop(&f, p, q, 1);
    bn_pairing_final_exp(o, &f);
}

int bn_pairing_check(const bn_g1_aff *p, const bn_g2_aff *q, size_t n) {
    bn_fq12 f;
    bn_pairing_miller_loop(&f, p, q, n);
    bn_pairing_final_exp(&f, &f);
    return bn_fq12_is_one(&f);
}
