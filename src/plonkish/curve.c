/* curve.c -- the BN254 group G1 (curve.h): Jacobian arithmetic, scalar
 * multiplication and Pippenger's multi-scalar multiplication.
 *
 * Formulas for a = 0 short Weierstrass curves from the Explicit-Formulas
 * Database (hyperelliptic.org/EFD/g1p/auto-shortw-jacobian-0.html):
 * dbl-2009-l (2M + 5S), add-2007-bl (11M + 5S), madd-2007-bl (7M + 4S).
 *
 * The MSM is the bucket method (N. Pippenger, "On the evaluation of powers
 * and related problems", FOCS 1976, in the form used by every pairing
 * library) with signed window digits, so 2^(c-1) buckets per window; for large windows
 * the buckets are affine points updated with batched inversions (the
 * "batch-affine" accumulation of gnark-crypto and barretenberg).
 * Everything here is variable-time.
 */
#include "curve.h"

#include <string.h>

/* ---------- basic points ---------- */

void bn_g1_generator(bn_g1 *o) {
    bn_fq_from_u64(&o->X, 1);
    bn_fq_from_u64(&o->Y, 2);
    bn_fq_one(&o->Z);
}

void bn_g1_set_inf(bn_g1 *o) {
    bn_fq_one(&o->X);
    bn_fq_one(&o->Y);
    bn_fq_zero(&o->Z);
}

int bn_g1_is_inf(const bn_g1 *a) { return bn_fq_is_zero(&a->Z); }

void bn_g1_from_aff(bn_g1 *o, const bn_g1_aff *a) {
    if (a->inf) {
        bn_g1_set_inf(o);
        return;
    }
    o->X = a->x;
    o->Y = a->y;
    bn_fq_one(&o->Z);
}

static void g1_aff_set_inf(bn_g1_aff *o) {
    bn_fq_zero(&o->x);
    bn_fq_zero(&o->y);
    o->inf = 1;
}

/* o = (X / z^2, Y / z^3) given zi = 1/Z */
static void g1_to_aff_zinv(bn_g1_aff *o, const bn_g1 *a, const bn_fq *zi) {
    bn_fq zi2, zi3;
    bn_fq_sqr(&zi2, zi);
    bn_fq_mul(&zi3, &zi2, zi);
    bn_fq_mul(&o->x, &a->X, &zi2);
    bn_fq_mul(&o->y, &a->Y, &zi3);
    o->inf = 0;
}

void bn_g1_to_aff(bn_g1_aff *o, const bn_g1 *a) {
    if (bn_g1_is_inf(a)) {
        g1_aff_set_inf(o);
        return;
    }
    bn_fq zi;
    bn_fq_inv(&zi, &a->Z);
    g1_to_aff_zinv(o, a, &zi);
}

/* One chunk of bn_g1_batch_to_aff: Montgomery's trick, with o[i].x holding
 * the product of the non-zero Z of a[0..i-1] between the two passes. */
static void g1_batch_to_aff_chunk(bn_g1_aff *o, const bn_g1 *a, size_t n) {
    bn_fq acc, inv, zi;
    bn_fq_one(&acc);
    for (size_t i = 0; i < n; i++) {
        if (bn_g1_is_inf(&a[i])) continue;
        o[i].x = acc;
        bn_fq_mul(&acc, &acc, &a[i].Z);
    }
    bn_fq_inv(&inv, &acc);
    for (size_t i = n; i-- > 0;) {
        if (bn_g1_is_inf(&a[i])) {
            g1_aff_set_inf(&o[i]);
            continue;
        }
        bn_fq_mul(&zi, &inv, &o[i].x); /* 1 / Z_i */
        bn_fq_mul(&inv, &inv, &a[i].Z);
        g1_to_aff_zinv(&o[i], &a[i], &zi);
    }
}

/* Points per inversion in bn_g1_batch_to_aff: chunks run in parallel. */
#define G1_BATCH_CHUNK 4096

void bn_g1_batch_to_aff(bn_g1_aff *o, const bn_g1 *a, size_t n) {
    size_t nchunks = (n + G1_BATCH_CHUNK - 1) / G1_BATCH_CHUNK;
#pragma omp parallel for schedule(dynamic, 1) num_threads(zk_threads()) if (nchunks > 1)
    for (size_t c = 0; c < nchunks; c++) {
        size_t lo = c * G1_BATCH_CHUNK, len = n - lo < G1_BATCH_CHUNK ? n - lo : G1_BATCH_CHUNK;
        g1_batch_to_aff_chunk(o + lo, a + lo, len);
    }
}

int bn_g1_eq(const bn_g1 *a, const bn_g1 *b) {
    int ia = bn_g1_is_inf(a), ib = bn_g1_is_inf(b);
    if (ia || ib) return ia && ib;
    /* X1 Z2^2 == X2 Z1^2 and Y1 Z2^3 == Y2 Z1^3 */
    bn_fq z1z1, z2z2, u1, u2, s1, s2;
    bn_fq_sqr(&z1z1, &a->Z);
    bn_fq_sqr(&z2z2, &b->Z);
    bn_fq_mul(&u1, &a->X, &z2z2);
    bn_fq_mul(&u2, &b->X, &z1z1);
    if (!bn_fq_eq(&u1, &u2)) return 0;
    bn_fq_mul(&s1, &a->Y, &z2z2);
    bn_fq_mul(&s1, &s1, &b->Z);
    bn_fq_mul(&s2, &b->Y, &z1z1);
    bn_fq_mul(&s2, &s2, &a->Z);
    return bn_fq_eq(&s1, &s2);
}

int bn_g1_aff_on_curve(const bn_g1_aff *a) {
    if (a->inf) return 1;
    bn_fq lhs, rhs, b;
    bn_fq_sqr(&lhs, &a->y);
    bn_fq_sqr(&rhs, &a->x);
    bn_fq_mul(&rhs, &rhs, &a->x);
    bn_fq_from_u64(&b, 3);
    bn_fq_add(&rhs, &rhs, &b);
    return bn_fq_eq(&lhs, &rhs);
}

/* ---------- group law ---------- */

/* dbl-2009-l. Z = 0 stays Z = 0; G1 has no point with Y = 0. */
void bn_g1_dbl(bn_g1 *o, const bn_g1 *a) {
    bn_fq A, B, C, D, E, F, t;
    bn_fq_sqr(&A, &a->X);
    bn_fq_sqr(&B, &a->Y);
    bn_fq_sqr(&C, &B);
    bn_fq_add(&D, &a->X, &B); /* D = 2((X + B)^2 - A - C) */
    bn_fq_sqr(&D, &D);
    bn_fq_sub(&D, &D, &A);
    bn_fq_sub(&D, &D, &C);
    bn_fq_dbl(&D, &D);
    bn_fq_dbl(&E, &A); /* E = 3A */
    bn_fq_add(&E, &E, &A);
    bn_fq_sqr(&F, &E);
    bn_fq_mul(&o->Z, &a->Y, &a->Z); /* Z3 = 2 Y Z (a's Y, Z are not read again) */
    bn_fq_dbl(&o->Z, &o->Z);
    bn_fq_dbl(&t, &D); /* X3 = F - 2D */
    bn_fq_sub(&o->X, &F, &t);
    bn_fq_sub(&t, &D, &o->X); /* Y3 = E (D - X3) - 8C */
    bn_fq_mul(&t, &E, &t);
    bn_fq_dbl(&C, &C);
    bn_fq_dbl(&C, &C);
    bn_fq_dbl(&C, &C);
    bn_fq_sub(&o->Y, &t, &C);
}

/* add-2007-bl, with the exceptional cases a = inf, b = inf, a = b, a = -b. */
void bn_g1_add(bn_g1 *o, const bn_g1 *a, const bn_g1 *b) {
    if (bn_g1_is_inf(a)) {
        *o = *b;
        return;
    }
    if (bn_g1_is_inf(b)) {
        *o = *a;
        return;
    }
    bn_fq z1z1, z2z2, u1, u2, s1, s2, h, i, j, r, v, t;
    bn_fq_sqr(&z1z1, &a->Z);
    bn_fq_sqr(&z2z2, &b->Z);
    bn_fq_mul(&u1, &a->X, &z2z2);
    bn_fq_mul(&u2, &b->X, &z1z1);
    bn_fq_mul(&s1, &a->Y, &b->Z);
    bn_fq_mul(&s1, &s1, &z2z2);
    bn_fq_mul(&s2, &b->Y, &a->Z);
    bn_fq_mul(&s2, &s2, &z1z1);
    bn_fq_sub(&h, &u2, &u1);
    bn_fq_sub(&r, &s2, &s1);
    if (bn_fq_is_zero(&h)) {
        if (bn_fq_is_zero(&r))
            bn_g1_dbl(o, a);
        else
            bn_g1_set_inf(o);
        return;
    }
    bn_fq_dbl(&r, &r);
    bn_fq_dbl(&i, &h); /* I = (2H)^2 */
    bn_fq_sqr(&i, &i);
    bn_fq_mul(&j, &h, &i);
    bn_fq_mul(&v, &u1, &i);
    bn_fq_add(&t, &a->Z, &b->Z); /* Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H */
    bn_fq_sqr(&t, &t);
    bn_fq_sub(&t, &t, &z1z1);
    bn_fq_sub(&t, &t, &z2z2);
    bn_fq_mul(&o->Z, &t, &h);
    bn_fq_sqr(&t, &r); /* X3 = r^2 - J - 2V */
    bn_fq_sub(&t, &t, &j);
    bn_fq_sub(&t, &t, &v);
    bn_fq_sub(&o->X, &t, &v);
    bn_fq_sub(&t, &v, &o->X); /* Y3 = r (V - X3) - 2 S1 J */
    bn_fq_mul(&t, &r, &t);
    bn_fq_mul(&s1, &s1, &j);
    bn_fq_dbl(&s1, &s1);
    bn_fq_sub(&o->Y, &t, &s1);
}

/* madd-2007-bl (b affine, Z2 = 1), same exceptional cases. */
void bn_g1_add_aff(bn_g1 *o, const bn_g1 *a, const bn_g1_aff *b) {
    if (b->inf) {
        *o = *a;
        return;
    }
    if (bn_g1_is_inf(a)) {
        bn_g1_from_aff(o, b);
        return;
    }
    bn_fq z1z1, u2, s2, h, hh, i, j, r, v, t;
    bn_fq_sqr(&z1z1, &a->Z);
    bn_fq_mul(&u2, &b->x, &z1z1);
    bn_fq_mul(&s2, &b->y, &a->Z);
    bn_fq_mul(&s2, &s2, &z1z1);
    bn_fq_sub(&h, &u2, &a->X);
    bn_fq_sub(&r, &s2, &a->Y);
    if (bn_fq_is_zero(&h)) {
        if (bn_fq_is_zero(&r))
            bn_g1_dbl(o, a);
        else
            bn_g1_set_inf(o);
        return;
    }
    bn_fq_dbl(&r, &r);
    bn_fq_sqr(&hh, &h);
    bn_fq_dbl(&i, &hh); /* I = 4 HH */
    bn_fq_dbl(&i, &i);
    bn_fq_mul(&j, &h, &i);
    bn_fq_mul(&v, &a->X, &i);
    bn_fq_mul(&s2, &a->Y, &j); /* 2 Y1 J, before a's Y may be overwritten */
    bn_fq_dbl(&s2, &s2);
    bn_fq_add(&t, &a->Z, &h); /* Z3 = (Z1 + H)^2 - Z1Z1 - HH */
    bn_fq_sqr(&t, &t);
    bn_fq_sub(&t, &t, &z1z1);
    bn_fq_sub(&o->Z, &t, &hh);
    bn_fq_sqr(&t, &r); /* X3 = r^2 - J - 2V */
    bn_fq_sub(&t, &t, &j);
    bn_fq_sub(&t, &t, &v);
    bn_fq_sub(&o->X, &t, &v);
    bn_fq_sub(&t, &v, &o->X); /* Y3 = r (V - X3) - 2 Y1 J */
    bn_fq_mul(&t, &r, &t);
    bn_fq_sub(&o->Y, &t, &s2);
}

void bn_g1_neg(bn_g1 *o, const bn_g1 *a) {
    o->X = a->X;
    bn_fq_neg(&o->Y, &a->Y);
    o->Z = a->Z;
}

/* ---------- scalar multiplication ---------- */

/* Fixed 4-bit windows over the plain integer of k, most significant first. */
void bn_g1_mul(bn_g1 *o, const bn_g1 *a, const bn_fr *k) {
    uint64_t s[4];
    bn_fr_to_limbs(s, k);
    bn_g1 tab[16], acc;
    bn_g1_set_inf(&tab[0]);
    tab[1] = *a;
    for (int i = 2; i < 16; i++) {
        if (i % 2 == 0)
            bn_g1_dbl(&tab[i], &tab[i / 2]);
        else
            bn_g1_add(&tab[i], &tab[i - 1], a);
    }
    bn_g1_set_inf(&acc);
    int started = 0;
    for (int w = 63; w >= 0; w--) {
        if (started)
            for (int d = 0; d < 4; d++) bn_g1_dbl(&acc, &acc);
        unsigned nib = (unsigned)(s[w / 16] >> (4 * (w % 16))) & 15;
        if (nib) {
            bn_g1_add(&acc, &acc, &tab[nib]);
            started = 1;
        }
    }
    *o = acc;
}

/* ---------- multi-scalar multiplication ---------- */

/* Below this many points the MSM is a sum of scalar multiplications. */
#define G1_MSM_NAIVE_MAX 8
/* Window sizes tried: 4 (so at most 64 windows: one carry bit each in a
 * uint64_t) to 16 (2^15 buckets). */
#define G1_MSM_C_MIN 4
#define G1_MSM_C_MAX 16
/* Scalars are < r < 2^254; signed digits need one more bit of room. */
#define G1_MSM_BITS 255
/* Windows of at least G1_MSM_AFF_C_MIN bits accumulate in affine
 * coordinates with batched inversions (below, batches short enough to keep
 * conflicts rare are too short to pay for the inversion), smaller ones in
 * Jacobian coordinates. */
#define G1_MSM_AFF_C_MIN 9
/* Buckets are prefetched this many points ahead. */
#define G1_MSM_PREFETCH 8

/* Additions per batched inversion for 2^(c-1) buckets. A longer batch B
 * shares the inversion (about 320M) among more additions, but a point
 * whose bucket is already queued (probability about B / 2^c) takes a
 * Jacobian mixed addition (about 5M more); the sum 320/B + 5B/2^c is
 * smallest near B = sqrt(2^(c+6)). At most half the buckets. */
static size_t g1_msm_batch(unsigned c) {
    size_t b = (size_t)1 << ((c + 6) / 2), half = (size_t)1 << (c - 2);
    return b < half ? b : half;
}

/* Rough cost of one window in field multiplications: per point and window
 * a mixed Jacobian addition (7M + 4S, and the field additions) or a
 * batched affine one (5M + 1S and the additions, the share of the
 * inversion, the conflicts); per bucket a mixed and a full addition in the
 * reduction. Calibrated against measurements for n = 2^10 to 2^20. */
static double g1_msm_cost(size_t n, unsigned c) {
    double nb = (double)((size_t)1 << (c - 1)), per_point = 12.0;
    if (c >= G1_MSM_AFF_C_MIN) {
        double b = (double)g1_msm_batch(c);
        per_point = 7.0 + 320.0 / b + 5.0 * b / (2.0 * nb);
    }
    double w = (double)((G1_MSM_BITS + c - 1) / c);
    return w * (per_point * (double)n + 32.0 * nb);
}

/* The window size minimizing g1_msm_cost: about log2(n) - 3. */
static unsigned g1_msm_window(size_t n) {
    unsigned best = G1_MSM_C_MIN;
    for (unsigned c = G1_MSM_C_MIN + 1; c <= G1_MSM_C_MAX; c++)
        if (g1_msm_cost(n, c) < g1_msm_cost(n, best)) best = c;
    return best;
}

/* Bits [pos, pos + c) of the 256-bit integer s (zero beyond bit 255). */
static inline uint32_t g1_msm_bits(const uint64_t s[4], unsigned pos, unsigned c) {
    unsigned li = pos >> 6, sh = pos & 63;
    if (li >= 4) return 0;
    uint64_t v = s[li] >> sh;
    if (sh + c > 64 && li + 1 < 4) v |= s[li + 1] << (64 - sh);
    return (uint32_t)(v & (((uint64_t)1 << c) - 1));
}

/* Signed digits: window j holds d_j = raw_j + cin_j - 2^c cin_{j+1} in
 * [-2^(c-1), 2^(c-1)], where cin_{j+1} = (raw_j + cin_j > 2^(c-1)) and bit j
 * of the carry mask is cin_j. As c * nwin >= 255 and k < 2^254, the top
 * window never carries out. */
static uint64_t g1_msm_carries(const uint64_t s[4], unsigned c, unsigned nwin) {
    uint64_t mask = 0;
    uint32_t carry = 0, half = 1u << (c - 1);
    for (unsigned j = 0; j < nwin; j++) {
        uint32_t raw = g1_msm_bits(s, j * c, c) + carry;
        carry = raw > half;
        if (carry && j + 1 < nwin) mask |= (uint64_t)1 << (j + 1);
    }
    ZK_CHECK(carry == 0);
    return mask;
}

static inline int32_t g1_msm_digit(const uint64_t s[4], uint64_t carries, unsigned j, unsigned c) {
    int32_t d = (int32_t)g1_msm_bits(s, j * c, c) + (int32_t)((carries >> j) & 1);
    if (j + 1 < 64 && ((carries >> (j + 1)) & 1)) d -= (int32_t)1 << c;
    return d;
}

/* Per-thread scratch for the window sums (allocated once per MSM). */
typedef struct {
    size_t nb, batch;  /* buckets, additions per batched inversion */
    bn_g1 *jac;        /* Jacobian buckets (all of them, or the spill) */
    bn_g1_aff *aff;    /* affine buckets (affine path) */
    uint32_t *stamp;   /* batch number of a bucket's pending addition */
    uint32_t *ebucket; /* pending additions: bucket, point index, flags */
    uint32_t *epoint;
    uint8_t *eflag;    /* 1: negate the point, 2: doubling */
    bn_fq *den, *pre;  /* denominators, prefix products */
} g1_msm_scratch;

static void g1_msm_scratch_init(g1_msm_scratch *s, unsigned c) {
    memset(s, 0, sizeof *s);
    s->nb = (size_t)1 << (c - 1);
    s->jac = zk_malloc_n(s->nb, sizeof *s->jac);
    if (c < G1_MSM_AFF_C_MIN) return;
    s->batch = g1_msm_batch(c);
    s->aff = zk_malloc_n(s->nb, sizeof *s->aff);
    s->stamp = zk_malloc_n(s->nb, sizeof *s->stamp);
    s->ebucket = zk_malloc_n(s->batch, sizeof *s->ebucket);
    s->epoint = zk_malloc_n(s->batch, sizeof *s->epoint);
    s->eflag = zk_malloc_n(s->batch, sizeof *s->eflag);
    s->den = zk_malloc_n(s->batch, sizeof *s->den);
    s->pre = zk_malloc_n(s->batch, sizeof *s->pre);
}

static void g1_msm_scratch_free(g1_msm_scratch *s) {
    free(s->jac);
    free(s->aff);
    free(s->stamp);
    free(s->ebucket);
    free(s->epoint);
    free(s->eflag);
    free(s->den);
    free(s->pre);
}

/* sum_b (b + 1) bucket_b by running suffix sums; aff may be NULL. */
static void g1_msm_reduce(bn_g1 *out, const bn_g1 *jac, const bn_g1_aff *aff, size_t nb) {
    bn_g1 run, sum;
    bn_g1_set_inf(&run);
    bn_g1_set_inf(&sum);
    for (size_t b = nb; b-- > 0;) {
        bn_g1_add(&run, &run, &jac[b]);
        if (aff) bn_g1_add_aff(&run, &run, &aff[b]);
        bn_g1_add(&sum, &sum, &run);
    }
    *out = sum;
}

/* Window j in Jacobian coordinates: bucket b collects, by mixed additions,
 * the points whose digit is +-(b + 1) (negated for negative digits). */
static void g1_msm_window_jac(bn_g1 *out, g1_msm_scratch *s, const bn_g1_aff *p, const uint64_t *limbs,
                              const uint64_t *carries, size_t n, unsigned j, unsigned c) {
    for (size_t b = 0; b < s->nb; b++) bn_g1_set_inf(&s->jac[b]);
    for (size_t i = 0; i < n; i++) {
        int32_t d = g1_msm_digit(limbs + 4 * i, carries[i], j, c);
        if (d == 0 || p[i].inf) continue;
        bn_g1_aff q = p[i];
        if (d < 0) bn_fq_neg(&q.y, &q.y);
        size_t b = (size_t)(d < 0 ? -d : d) - 1;
        bn_g1_add_aff(&s->jac[b], &s->jac[b], &q);
    }
    g1_msm_reduce(out, s->jac, NULL, s->nb);
}

/* Apply the cnt queued affine additions bucket += point with one shared
 * inversion (Montgomery's trick): lambda = (y2 - y1) / (x2 - x1), or
 * 3 x1^2 / (2 y1) for a doubling; x3 = lambda^2 - x1 - x2,
 * y3 = lambda (x1 - x3) - y1. */
static void g1_msm_flush(g1_msm_scratch *s, const bn_g1_aff *p, size_t cnt) {
    if (cnt == 0) return;
    bn_fq acc, inv, dinv, num, lam, x2, y2, t;
    bn_fq_one(&acc);
    for (size_t e = 0; e < cnt; e++) {
        s->pre[e] = acc;
        bn_fq_mul(&acc, &acc, &s->den[e]);
    }
    bn_fq_inv(&inv, &acc);
    for (size_t e = cnt; e-- > 0;) {
        bn_fq_mul(&dinv, &inv, &s->pre[e]);
        bn_fq_mul(&inv, &inv, &s->den[e]);
        bn_g1_aff *bk = &s->aff[s->ebucket[e]];
        if (s->eflag[e] & 2) { /* doubling */
            bn_fq_sqr(&num, &bk->x);
            bn_fq_dbl(&t, &num);
            bn_fq_add(&num, &num, &t);
            x2 = bk->x;
        } else {
            const bn_g1_aff *pt = &p[s->epoint[e]];
            x2 = pt->x;
            if (s->eflag[e] & 1) { /* y2 - y1 = -(y + y1) */
                bn_fq_add(&num, &pt->y, &bk->y);
                bn_fq_neg(&num, &num);
            } else {
                bn_fq_sub(&num, &pt->y, &bk->y);
            }
        }
        bn_fq_mul(&lam, &num, &dinv);
        bn_fq_sqr(&t, &lam);
        bn_fq_sub(&t, &t, &bk->x);
        bn_fq_sub(&t, &t, &x2); /* x3 */
        bn_fq_sub(&y2, &bk->x, &t);
        bn_fq_mul(&y2, &lam, &y2);
        bn_fq_sub(&bk->y, &y2, &bk->y);
        bk->x = t;
    }
}

/* Window j in affine coordinates (the batch-affine method, as in gnark-crypto
 * and barretenberg): each point's addition to its bucket is queued with its
 * denominator, and a batch shares one inversion. A bucket already queued in
 * the current batch takes the point in its Jacobian spill bucket instead
 * (mixed addition), so every batch touches a bucket at most once; so do
 * the exceptional cases that need no inversion (empty bucket, P + (-P)). */
static void g1_msm_window_aff(bn_g1 *out, g1_msm_scratch *s, const bn_g1_aff *p, const uint64_t *limbs,
                              const uint64_t *carries, size_t n, unsigned j, unsigned c) {
    for (size_t b = 0; b < s->nb; b++) {
        bn_g1_set_inf(&s->jac[b]);
        s->aff[b].inf = 1;
        s->stamp[b] = 0;
    }
    uint32_t epoch = 1;
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + G1_MSM_PREFETCH < n) { /* the bucket a few points ahead */
            int32_t dp = g1_msm_digit(limbs + 4 * (i + G1_MSM_PREFETCH), carries[i + G1_MSM_PREFETCH], j, c);
            if (dp != 0) __builtin_prefetch(&s->aff[(dp < 0 ? -dp : dp) - 1]);
        }
        int32_t d = g1_msm_digit(limbs + 4 * i, carries[i], j, c);
        if (d == 0 || p[i].inf) continue;
        int neg = d < 0;
        size_t b = (size_t)(neg ? -d : d) - 1;
        bn_g1_aff *bk = &s->aff[b];
        if (s->stamp[b] == epoch) { /* already queued in this batch */
            bn_g1_aff q = p[i];
            if (neg) bn_fq_neg(&q.y, &q.y);
            bn_g1_add_aff(&s->jac[b], &s->jac[b], &q);
            continue;
        }
        if (bk->inf) {
            bk->x = p[i].x;
            if (neg)
                bn_fq_neg(&bk->y, &p[i].y);
            else
                bk->y = p[i].y;
            bk->inf = 0;
            continue;
        }
        uint8_t flag = (uint8_t)neg;
        if (bn_fq_eq(&bk->x, &p[i].x)) {
            bn_fq y2;
            if (neg)
                bn_fq_neg(&y2, &p[i].y);
            else
                y2 = p[i].y;
            if (!bn_fq_eq(&bk->y, &y2)) { /* bucket + (-bucket) */
                bk->inf = 1;
                continue;
            }
            flag |= 2;
            bn_fq_dbl(&s->den[cnt], &bk->y);
        } else {
            bn_fq_sub(&s->den[cnt], &p[i].x, &bk->x);
        }
        s->ebucket[cnt] = (uint32_t)b;
        s->epoint[cnt] = (uint32_t)i;
        s->eflag[cnt] = flag;
        s->stamp[b] = epoch;
        if (++cnt == s->batch) {
            g1_msm_flush(s, p, cnt);
            cnt = 0;
            epoch++;
        }
    }
    g1_msm_flush(s, p, cnt);
    g1_msm_reduce(out, s->jac, s->aff, s->nb);
}

/* Pippenger: windows are independent tasks (any thread count gives the
 * same tasks, and they are combined in a fixed order, so the Jacobian
 * result itself does not depend on the thread count). */
void bn_g1_msm(bn_g1 *o, const bn_g1_aff *p, const bn_fr *k, size_t n) {
    if (n <= G1_MSM_NAIVE_MAX) {
        bn_g1 acc, t;
        bn_g1_set_inf(&acc);
        for (size_t i = 0; i < n; i++) {
            bn_g1_from_aff(&t, &p[i]);
            bn_g1_mul(&t, &t, &k[i]);
            bn_g1_add(&acc, &acc, &t);
        }
        *o = acc;
        return;
    }
    ZK_CHECK(n <= UINT32_MAX);
    unsigned c = g1_msm_window(n);
    unsigned nwin = (G1_MSM_BITS + c - 1) / c;
    uint64_t *limbs = zk_malloc_n(n, 4 * sizeof *limbs);
    uint64_t *carries = zk_malloc_n(n, sizeof *carries);
    bn_g1 *win = zk_malloc_n(nwin, sizeof *win);
#pragma omp parallel num_threads(zk_threads())
    {
#pragma omp for schedule(static)
        for (size_t i = 0; i < n; i++) {
            bn_fr_to_limbs(limbs + 4 * i, &k[i]);
            carries[i] = g1_msm_carries(limbs + 4 * i, c, nwin);
        }
        g1_msm_scratch s;
        g1_msm_scratch_init(&s, c);
#pragma omp for schedule(dynamic, 1)
        for (unsigned j = 0; j < nwin; j++) {
            if (s.aff)
                g1_msm_window_aff(&win[j], &s, p, limbs, carries, n, j, c);
            else
                g1_msm_window_jac(&win[j], &s, p, limbs, carries, n, j, c);
        }
        g1_msm_scratch_free(&s);
    }
    bn_g1 acc = win[nwin - 1];
    for (unsigned j = nwin - 1; j-- > 0;) {
        for (unsigned d = 0; d < c; d++) bn_g1_dbl(&acc, &acc);
        bn_g1_add(&acc, &acc, &win[j]);
    }
    *o = acc;
    free(limbs);
    free(carries);
    free(win);
}

/* ---------- encoding ---------- */

void bn_g1_to_bytes(uint8_t out[64], const bn_g1_aff *a) {
    if (a->inf) {
        memset(out, 0, 64);
        return;
    }
    bn_fq_to_bytes(out, &a->x);
    bn_fq_to_bytes(out + 32, &a->y);
}

zk_err bn_g1_from_bytes(bn_g1_aff *o, const uint8_t in[64]) {
    uint8_t any = 0;
    for (int i = 0; i < 64; i++) any |= in[i];
    bn_g1_aff t;
    if (!any) {
        g1_aff_set_inf(&t);
    } else {
        t.inf = 0;
        if (bn_fq_from_bytes(&t.x, in) != ZK_OK || bn_fq_from_bytes(&t.y, in + 32) != ZK_OK) {
            zk_set_reason("G1 point: coordinate not below q");
            return ZK_EFORMAT;
        }
        if (!bn_g1_aff_on_curve(&t)) {
            zk_set_reason("G1 point: not on the curve y^2 = x^3 + 3");
            return ZK_EFORMAT;
        }
    }
    *o = t;
    return ZK_OK;
}
