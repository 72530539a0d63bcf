/* ntt.c -- iterative in-place radix-2 NTT over F_{p^2} (see ntt.h).
 *
 * Decimation in frequency (Gentleman-Sande): the stage with half-size h
 * maps each pair (u, v) = (a[s + j], a[s + j + h]), j < h, to
 *     (u + v,  (u - v) * w_{2h}^j),     w_{2h} = w^(n / 2h),
 * for h = n/2, n/4, ..., 1; the output is in bit-reversed order. The
 * twiddles of stage h are stored contiguously, tw[h + j] = w_{2h}^j, so the
 * whole table has n entries. The last two stages (h = 2, 1) use only the
 * twiddles 1 and w_4 = +-i and run as one radix-4 pass without
 * multiplications. The vector kernel also fuses the other stages in pairs
 * (radix 4, see ntt_radix4_avx512).
 *
 * The AVX-512 kernel (selected at run time) processes four fp2 per 512-bit
 * vector in their memory layout {re, im}: a product x * (c + d i) is
 * [a c - b d, b c + a d] = mulmod([a, b], [c, c]) -/+ mulmod([b, a], [d, d]),
 * with an 8-lane 61-bit modular multiplication built from four 32x32-bit
 * products (ntt_v_mulmod). All vector results are canonical, so both kernels
 * produce identical outputs.
 */
#include "../fields/fm61v.h"
#include "ntt.h"

#include <pthread.h>
#include <string.h>

struct ntt_plan {
    unsigned log_n;
    size_t n;
    fp2 *tw;          /* tw[h + j] = w_{2h}^j, 1 <= h < n, j < h */
    fp2 *tw3;         /* tw3[h/2 + j] = w_{2h}^(3j), 2 <= h < n, j < h/2 (radix-4) */
    uint32_t *bitrev; /* n entries */
    int w4_is_i;      /* w_4 = i (1) or -i (0); only when n >= 4 */
};

struct ntt_rs {
    unsigned log_k, log_blowup;
    size_t k, blowup;
    ntt_plan *plan; /* size k, root omega^B */
    fp2 *shift;     /* shift[r k + c] = omega^(r c), r < B, c < k */
};

/* ---------- portable kernel ---------- */

static inline fp2 ntt_mul_i(fp2 x) { return fp2_make(fm61_neg(x.im), x.re); }  /* x * i */
static inline fp2 ntt_mul_ni(fp2 x) { return fp2_make(x.im, fm61_neg(x.re)); } /* x * -i */

/* Stages h = 2 and h = 1 on each group of four: a radix-4 butterfly with
 * twiddles 1, 1, w_4 and 1. Requires n >= 4. */
static void ntt_tail4(fp2 *a, size_t n, int w4_is_i) {
    for (size_t s = 0; s < n; s += 4) {
        fp2 a0 = a[s], a1 = a[s + 1], a2 = a[s + 2], a3 = a[s + 3];
        fp2 b0 = fp2_add(a0, a2), b2 = fp2_sub(a0, a2);
        fp2 b1 = fp2_add(a1, a3), d = fp2_sub(a1, a3);
        fp2 b3 = w4_is_i ? ntt_mul_i(d) : ntt_mul_ni(d);
        a[s] = fp2_add(b0, b1);
        a[s + 1] = fp2_sub(b0, b1);
        a[s + 2] = fp2_add(b2, b3);
        a[s + 3] = fp2_sub(b2, b3);
    }
}

/* Stages h = n/2 .. hmin (hmin >= 1). */
static void ntt_stages_portable(const fp2 *tw, fp2 *a, size_t n, size_t hmin) {
    for (size_t h = n >> 1; h >= hmin && h >= 1; h >>= 1) {
        const fp2 *t = tw + h;
        for (size_t s = 0; s < n; s += 2 * h) {
            fp2 *x = a + s, *y = a + s + h;
            for (size_t j = 0; j < h; j++) {
                fp2 u = x[j], v = y[j];
                x[j] = fp2_add(u, v);
                y[j] = fp2_mul(fp2_sub(u, v), t[j]);
            }
        }
    }
}

void ntt_dif_portable(const ntt_plan *p, fp2 *a) {
    if (p->n < 4) {
        ntt_stages_portable(p->tw, a, p->n, 1);
        return;
    }
    ntt_stages_portable(p->tw, a, p->n, 4);
    ntt_tail4(a, p->n, p->w4_is_i);
}

/* ---------- AVX-512 kernel ---------- */

#ifdef FM61V_AVX512
#define NTT_AVX512 1
#define NTT_TARGET FM61V_TARGET

/* x * y mod p in each 64-bit lane, canonical, for x, y < p; yh = y >> 32
 * (precomputed by the caller): fm61v.h's product, then a canonical fold. */
NTT_TARGET static inline __m512i ntt_v_mulmod(__m512i x, __m512i y, __m512i yh) {
    return fm61v_canon(fm61v_mul_raw(x, y, yh));
}

/* Four fp2 products x[q] * t[q], both in {re, im} layout. */
NTT_TARGET static inline __m512i ntt_v_cmul(__m512i x, __m512i t) {
    const __m512i P = _mm512_set1_epi64((long long)FM61_P);
    __m512i tc = _mm512_unpacklo_epi64(t, t); /* [c, c] */
    __m512i td = _mm512_unpackhi_epi64(t, t); /* [d, d] */
    __m512i xs = _mm512_permutex_epi64(x, 0xB1); /* [b, a] */
    __m512i p1 = ntt_v_mulmod(x, tc, _mm512_srli_epi64(tc, 32));  /* [ac, bc] */
    __m512i p2 = ntt_v_mulmod(xs, td, _mm512_srli_epi64(td, 32)); /* [bd, ad] */
    /* real lanes: ac + (p - bd); imaginary lanes: bc + ad; both < 2p */
    __m512i q = _mm512_mask_sub_epi64(p2, 0x55, P, p2);
    __m512i s = _mm512_add_epi64(p1, q);
    return _mm512_min_epu64(s, _mm512_sub_epi64(s, P));
}

/* x * w_4 in each fp2 lane: w_4 = i maps [a, b] to [-b, a], w_4 = -i maps
 * it to [b, -a]; negmask selects the lanes to negate after the swap. */
NTT_TARGET static inline __m512i ntt_v_mulw4(__m512i x, __mmask8 negmask) {
    const __m512i P = _mm512_set1_epi64((long long)FM61_P);
    __m512i xs = _mm512_permutex_epi64(x, 0xB1);
    __m512i ng = _mm512_sub_epi64(P, xs);           /* in [1, p] */
    ng = _mm512_min_epu64(ng, _mm512_sub_epi64(ng, P)); /* p -> 0 */
    return _mm512_mask_blend_epi64(negmask, xs, ng);
}

/* Stages h = 2 and h = 1 on each group of four fp2 (one vector). */
NTT_TARGET static void ntt_tail4_avx512(fp2 *a, size_t n, __mmask8 negmask) {
    for (size_t s = 0; s < n; s += 4) {
        __m512i v = _mm512_loadu_si512((const void *)(a + s));      /* [a0 a1 a2 a3] */
        __m512i lo = _mm512_shuffle_i64x2(v, v, 0x44);               /* [a0 a1 a0 a1] */
        __m512i hi = _mm512_shuffle_i64x2(v, v, 0xEE);               /* [a2 a3 a2 a3] */
        __m512i y = _mm512_mask_blend_epi64(0xF0, fm61v_add(lo, hi), fm61v_sub(lo, hi)); /* [b0 b1 b2 d] */
        y = _mm512_mask_blend_epi64(0xC0, y, ntt_v_mulw4(y, negmask)); /* b3 = d w_4 */
        __m512i lo2 = _mm512_shuffle_i64x2(y, y, 0xA0);              /* [b0 b0 b2 b2] */
        __m512i hi2 = _mm512_shuffle_i64x2(y, y, 0xF5);              /* [b1 b1 b3 b3] */
        _mm512_storeu_si512((void *)(a + s), _mm512_mask_blend_epi64(0xCC, fm61v_add(lo2, hi2), fm61v_sub(lo2, hi2)));
    }
}

/* Stages h and h/2 fused (radix 4), h >= 8. For j < h/2 and
 * x_q = a[s + j + q h/2], t = w_{2h}^j:
 *   a[s + j]         = (x0 + x2) + (x1 + x3)
 *   a[s + j + h/2]   = ((x0 + x2) - (x1 + x3)) t^2
 *   a[s + j + h]     = ((x0 - x2) + w_4 (x1 - x3)) t
 *   a[s + j + 3h/2]  = ((x0 - x2) - w_4 (x1 - x3)) t^3
 * which is what the two radix-2 stages compute, with 3 multiplications
 * instead of 4 and one pass over memory instead of two. */
NTT_TARGET static void ntt_radix4_avx512(const ntt_plan *p, fp2 *a, size_t h, __mmask8 negmask) {
    size_t n = p->n, q = h >> 1;
    const fp2 *t1 = p->tw + h, *t2 = p->tw + q, *t3 = p->tw3 + q;
    for (size_t s = 0; s < n; s += 2 * h) {
        fp2 *a0 = a + s, *a1 = a0 + q, *a2 = a0 + h, *a3 = a2 + q;
        for (size_t j = 0; j < q; j += 4) {
            __m512i x0 = _mm512_loadu_si512((const void *)(a0 + j));
            __m512i x1 = _mm512_loadu_si512((const void *)(a1 + j));
            __m512i x2 = _mm512_loadu_si512((const void *)(a2 + j));
            __m512i x3 = _mm512_loadu_si512((const void *)(a3 + j));
            __m512i s0 = fm61v_add(x0, x2), s1 = fm61v_add(x1, x3);
            __m512i d0 = fm61v_sub(x0, x2), d1 = ntt_v_mulw4(fm61v_sub(x1, x3), negmask);
            _mm512_storeu_si512((void *)(a0 + j), fm61v_add(s0, s1));
            _mm512_storeu_si512((void *)(a1 + j),
                                ntt_v_cmul(fm61v_sub(s0, s1), _mm512_loadu_si512((const void *)(t2 + j))));
            _mm512_storeu_si512((void *)(a2 + j),
                                ntt_v_cmul(fm61v_add(d0, d1), _mm512_loadu_si512((const void *)(t1 + j))));
            _mm512_storeu_si512((void *)(a3 + j),
                                ntt_v_cmul(fm61v_sub(d0, d1), _mm512_loadu_si512((const void *)(t3 + j))));
        }
    }
}

/* One radix-2 stage h >= 4. */
NTT_TARGET static void ntt_radix2_avx512(const ntt_plan *p, fp2 *a, size_t h) {
    size_t n = p->n;
    const fp2 *t = p->tw + h;
    for (size_t s = 0; s < n; s += 2 * h) {
        fp2 *x = a + s, *y = a + s + h;
        for (size_t j = 0; j < h; j += 4) {
            __m512i u = _mm512_loadu_si512((const void *)(x + j));
            __m512i v = _mm512_loadu_si512((const void *)(y + j));
            __m512i w = _mm512_loadu_si512((const void *)(t + j));
            _mm512_storeu_si512((void *)(x + j), fm61v_add(u, v));
            _mm512_storeu_si512((void *)(y + j), ntt_v_cmul(fm61v_sub(u, v), w));
        }
    }
}

/* n >= 8: one radix-2 stage if log_n is odd, radix-4 pairs down to h = 8,
 * then the vector tail for h = 2, 1. */
NTT_TARGET static void ntt_dif_avx512(const ntt_plan *p, fp2 *a) {
    size_t n = p->n, h = n >> 1;
    __mmask8 negmask = p->w4_is_i ? 0x55 : 0xAA;
    if ((p->log_n & 1) != 0) {
        ntt_radix2_avx512(p, a, h);
        h >>= 1;
    }
    for (; h >= 8; h >>= 2) ntt_radix4_avx512(p, a, h, negmask);
    ntt_tail4_avx512(a, n, negmask);
}

NTT_TARGET static void ntt_mul_avx512(fp2 *out, const fp2 *a, const fp2 *b, size_t n) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m512i x = _mm512_loadu_si512((const void *)(a + i));
        __m512i y = _mm512_loadu_si512((const void *)(b + i));
        _mm512_storeu_si512((void *)(out + i), ntt_v_cmul(x, y));
    }
    for (; i < n; i++) out[i] = fp2_mul(a[i], b[i]);
}

static int ntt_have_avx512(void) { return __builtin_cpu_supports("avx512f") != 0; }
#else
static int ntt_have_avx512(void) { return 0; }
#endif

#ifdef NTT_AVX512
/* One radix-2 stage h >= 4 on the block x[0 .. 2h). */
NTT_TARGET static void ntt_block_avx512(const fp2 *t, fp2 *x, size_t h) {
    for (size_t j = 0; j < h; j += 4) {
        __m512i u = _mm512_loadu_si512((const void *)(x + j));
        __m512i v = _mm512_loadu_si512((const void *)(x + j + h));
        __m512i w = _mm512_loadu_si512((const void *)(t + j));
        _mm512_storeu_si512((void *)(x + j), fm61v_add(u, v));
        _mm512_storeu_si512((void *)(x + j + h), ntt_v_cmul(fm61v_sub(u, v), w));
    }
}
#endif

/* The in-memory layout of fp2 must be {re, im} as two 64-bit words for the
 * vector kernel. */
_Static_assert(sizeof(fp2) == 16, "fp2 must be two 64-bit words");

/* ---------- plans ---------- */

ntt_plan *ntt_plan_new(unsigned log_n) {
    ZK_CHECK(log_n <= NTT_MAX_LOG);
    ntt_plan *p = zk_calloc(1, sizeof *p);
    size_t n = (size_t)1 << log_n;
    p->log_n = log_n;
    p->n = n;
    p->tw = zk_aligned_n(n, sizeof *p->tw);
    p->tw3 = zk_aligned_n(n / 2 + 1, sizeof *p->tw3);
    p->tw3[0] = fp2_one(); /* unused */
    p->bitrev = zk_malloc_n(n, sizeof *p->bitrev);
    p->tw[0] = fp2_one(); /* unused */
    if (n >= 2) {
        /* top stage: tw[n/2 + j] = w^j */
        size_t h = n >> 1;
        fp2 w = fp2_root_of_unity(log_n), x = fp2_one();
        for (size_t j = 0; j < h; j++) {
            p->tw[h + j] = x;
            x = fp2_mul(x, w);
        }
        ZK_CHECK(fp2_eq(x, fp2_make(FM61_P - 1, 0))); /* w^(n/2) = -1 */
        /* lower stages take every (n/2h)-th power */
        for (size_t hh = h >> 1; hh >= 1; hh >>= 1)
            for (size_t j = 0; j < hh; j++) p->tw[hh + j] = p->tw[h + j * (h / hh)];
        /* t^3 = t * t^2 for the radix-4 stages */
        for (size_t hh = h; hh >= 2; hh >>= 1)
            for (size_t j = 0; j < hh / 2; j++) p->tw3[hh / 2 + j] = fp2_mul(p->tw[hh + j], p->tw[hh / 2 + j]);
    }
    if (n >= 4) {
        fp2 w4 = p->tw[3];
        ZK_CHECK(fp2_eq(w4, fp2_make(0, 1)) || fp2_eq(w4, fp2_make(0, FM61_P - 1)));
        p->w4_is_i = fp2_eq(w4, fp2_make(0, 1));
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t r = 0;
        for (unsigned b = 0; b < log_n; b++) r |= (uint32_t)((i >> b) & 1) << (log_n - 1 - b);
        p->bitrev[i] = r;
    }
    return p;
}

void ntt_plan_free(ntt_plan *p) {
    if (!p) return;
    free(p->tw);
    free(p->tw3);
    free(p->bitrev);
    free(p);
}

size_t ntt_plan_size(const ntt_plan *p) { return p->n; }
const uint32_t *ntt_plan_bitrev(const ntt_plan *p) { return p->bitrev; }

/* ---------- transforms ---------- */

int ntt_uses_avx512(void) { return ntt_have_avx512(); }

void ntt_dif(const ntt_plan *p, fp2 *a) {
#ifdef NTT_AVX512
    if (p->n >= 8 && ntt_have_avx512()) {
        ntt_dif_avx512(p, a);
        return;
    }
#endif
    ntt_dif_portable(p, a);
}

/* Stage h maps each block [b, b + 2h) on its own, and output slot i ends
 * in the block that holds it at every stage; so the stages need only the
 * blocks holding a wanted slot: all of them while there are fewer blocks
 * than slots, then at most ns per stage (about 3n products instead of the
 * full transform's 5.25n for ns = 18, n = 2^14). */
void ntt_dif_pruned(const ntt_plan *p, fp2 *a, const uint32_t *slot, size_t ns) {
    int vec = 0;
#ifdef NTT_AVX512
    vec = ntt_have_avx512();
#endif
    size_t h = p->n >> 1;
#ifdef NTT_AVX512
    /* while every block of size h holds a slot, stages h and h/2 are full:
     * the full transform's radix-4 kernel */
    while (vec && h >= 16) {
        size_t blocks = 0, last = SIZE_MAX;
        for (size_t q = 0; q < ns; q++)
            if ((slot[q] & ~(h - 1)) != last) blocks++, last = slot[q] & ~(h - 1);
        if (blocks != p->n / h) break;
        ntt_radix4_avx512(p, a, h, p->w4_is_i ? 0x55 : 0xAA);
        h >>= 2;
    }
#endif
    for (; h >= 1; h >>= 1) {
        const fp2 *t = p->tw + h;
        size_t last = SIZE_MAX;
        for (size_t q = 0; q < ns; q++) {
            size_t b = slot[q] & ~(2 * h - 1);
            if (b == last) continue;
            last = b;
            fp2 *x = a + b;
#ifdef NTT_AVX512
            if (vec && h >= 4) {
                ntt_block_avx512(t, x, h);
                continue;
            }
#endif
            for (size_t j = 0; j < h; j++) {
                fp2 u = x[j], v = x[j + h];
                x[j] = fp2_add(u, v);
                x[j + h] = fp2_mul(fp2_sub(u, v), t[j]);
            }
        }
    }
    (void)vec;
}

static void ntt_permute(const ntt_plan *p, fp2 *a) {
    for (size_t i = 0; i < p->n; i++) {
        size_t r = p->bitrev[i];
        if (i < r) {
            fp2 t = a[i];
            a[i] = a[r];
            a[r] = t;
        }
    }
}

void ntt_forward(const ntt_plan *p, fp2 *a) {
    ntt_dif(p, a);
    ntt_permute(p, a);
}

/* NTT^-1(a)[c] = n^-1 sum_j a[j] w^(-c j) = n^-1 NTT(a)[(n - c) mod n]. */
void ntt_inverse(const ntt_plan *p, fp2 *a) {
    size_t n = p->n;
    ntt_forward(p, a);
    for (size_t i = 1, j = n - 1; i < j; i++, j--) {
        fp2 t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
    /* n^-1 = 2^(61 - log_n) since 2^61 = 1 (mod p) */
    fm61 ninv = fm61_reduce64((uint64_t)1 << (61 - p->log_n));
    for (size_t i = 0; i < n; i++) a[i] = fp2_mul_fm61(a[i], ninv);
}

void ntt_mul(fp2 *out, const fp2 *a, const fp2 *b, size_t n) {
#ifdef NTT_AVX512
    if (ntt_have_avx512()) {
        ntt_mul_avx512(out, a, b, n);
        return;
    }
#endif
    for (size_t i = 0; i < n; i++) out[i] = fp2_mul(a[i], b[i]);
}

/* ---------- Reed-Solomon ---------- */

ntt_rs *ntt_rs_new(unsigned log_k, unsigned log_blowup) {
    ZK_CHECK(log_k + log_blowup <= NTT_MAX_LOG);
    ntt_rs *rs = zk_calloc(1, sizeof *rs);
    rs->log_k = log_k;
    rs->log_blowup = log_blowup;
    rs->k = (size_t)1 << log_k;
    rs->blowup = (size_t)1 << log_blowup;
    rs->plan = ntt_plan_new(log_k);
    fp2 omega = fp2_root_of_unity(log_k + log_blowup);
    /* the size-k transform must use omega^B */
    fp2 wk = omega;
    for (unsigned i = 0; i < log_blowup; i++) wk = fp2_sqr(wk);
    ZK_CHECK(fp2_eq(wk, fp2_root_of_unity(log_k)));
    rs->shift = zk_aligned_n(rs->blowup * rs->k, sizeof *rs->shift);
    fp2 wr = fp2_one(); /* omega^r */
    for (size_t r = 0; r < rs->blowup; r++) {
        fp2 x = fp2_one();
        for (size_t c = 0; c < rs->k; c++) {
            rs->shift[r * rs->k + c] = x;
            x = fp2_mul(x, wr);
        }
        wr = fp2_mul(wr, omega);
    }
    return rs;
}

static pthread_mutex_t ntt_rs_lock = PTHREAD_MUTEX_INITIALIZER;
static ntt_rs *ntt_rs_cache[NTT_MAX_LOG + 1][NTT_RS_SHARED_MAX_BLOWUP + 1];

const ntt_rs *ntt_rs_shared(unsigned log_k, unsigned log_blowup) {
    ZK_CHECK(log_blowup <= NTT_RS_SHARED_MAX_BLOWUP && log_k + log_blowup <= NTT_MAX_LOG);
    ZK_CHECK(pthread_mutex_lock(&ntt_rs_lock) == 0);
    ntt_rs *rs = ntt_rs_cache[log_k][log_blowup];
    if (!rs) rs = ntt_rs_cache[log_k][log_blowup] = ntt_rs_new(log_k, log_blowup);
    ZK_CHECK(pthread_mutex_unlock(&ntt_rs_lock) == 0);
    return rs;
}

void ntt_rs_free(ntt_rs *rs) {
    if (!rs) return;
    ntt_plan_free(rs->plan);
    free(rs->shift);
    free(rs);
}

const ntt_plan *ntt_rs_plan(const ntt_rs *rs) { return rs->plan; }

const fp2 *ntt_rs_shift(const ntt_rs *rs, unsigned r) {
    ZK_CHECK(r < rs->blowup);
    return rs->shift + (size_t)r * rs->k;
}

void ntt_rs_coset(const ntt_rs *rs, fp2 *out, const fp2 *msg, unsigned r) {
    ZK_CHECK(r < rs->blowup);
    if (r == 0) {
        if (out != msg) memcpy(out, msg, rs->k * sizeof *out);
    } else {
        ntt_mul(out, msg, rs->shift + (size_t)r * rs->k, rs->k);
    }
    ntt_dif(rs->plan, out);
}

void ntt_rs_coset_pruned(const ntt_rs *rs, fp2 *out, const fp2 *msg, unsigned r, const uint32_t *slot, size_t ns) {
    ZK_CHECK(r < rs->blowup);
    if (r == 0) {
        if (out != msg) memcpy(out, msg, rs->k * sizeof *out);
    } else {
        ntt_mul(out, msg, rs->shift + (size_t)r * rs->k, rs->k);
    }
    ntt_dif_pruned(rs->plan, out, slot, ns);
}

void ntt_rs_encode(const ntt_rs *rs, fp2 *out, const fp2 *msg) {
    size_t k = rs->k, B = rs->blowup;
    fp2 *buf = zk_aligned_n(k, sizeof *buf);
    const uint32_t *rev = rs->plan->bitrev;
    for (size_t r = 0; r < B; r++) {
        ntt_rs_coset(rs, buf, msg, (unsigned)r);
        for (size_t s = 0; s < k; s++) out[s * B + r] = buf[rev[s]];
    }
    free(buf);
}
