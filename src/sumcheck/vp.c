#include "vp.h"

#include <limits.h>
#include <string.h>

#include "../poly/mle.h"
#include "em.h"
#include "zsc.h"

#define VP_PAR_MIN (1u << 12)

unsigned vp_degree(const vp_term *terms, unsigned nterms) {
    unsigned d = 1;
    for (unsigned t = 0; t < nterms; t++)
        if (terms[t].k > d) d = terms[t].k;
    return d;
}

fp2 vp_combine(const vp_term *terms, unsigned nterms, const fp2 *vals) {
    fp2 s = fp2_zero();
    for (unsigned t = 0; t < nterms; t++) {
        fp2 p = terms[t].c;
        for (unsigned j = 0; j < terms[t].k; j++) p = fp2_mul(p, vals[terms[t].t[j]]);
        s = fp2_add(s, p);
    }
    return s;
}

/* g(X) for X = 0, 2, ..., d (slot 1 unused): sum over i < h of the terms
 * with every table restricted to the line T[i] + X (T[i+h] - T[i]). */
static void vp_round(fp2 g[SC_MAX_DEGREE + 1], fp2 *const *tables, unsigned ntab, const vp_term *terms,
                     unsigned nterms, unsigned d, size_t h) {
    for (unsigned X = 0; X <= d; X++) g[X] = fp2_zero();
#pragma omp parallel if (h >= VP_PAR_MIN)
    {
        fp2 loc[SC_MAX_DEGREE + 1];
        for (unsigned X = 0; X <= d; X++) loc[X] = fp2_zero();
        fp2 *val = zk_malloc_n((size_t)ntab * (SC_MAX_DEGREE + 1), sizeof *val);
        uint8_t *used = zk_calloc(ntab, 1);
        for (unsigned t = 0; t < nterms; t++)
            for (unsigned j = 0; j < terms[t].k; j++) used[terms[t].t[j]] = 1;
#pragma omp for schedule(static)
        for (size_t i = 0; i < h; i++) {
            for (unsigned j = 0; j < ntab; j++) {
                if (!used[j]) continue;
                fp2 *v = val + (size_t)j * (SC_MAX_DEGREE + 1);
                fp2 a = tables[j][i], b = tables[j][i + h], df = fp2_sub(b, a);
                v[0] = a;
                v[1] = b;
                for (unsigned X = 2; X <= d; X++) v[X] = fp2_add(v[X - 1], df);
            }
            for (unsigned t = 0; t < nterms; t++) {
                const vp_term *tm = &terms[t];
                for (unsigned X = 0; X <= d; X++) {
                    if (X == 1) continue;
                    fp2 p = val[(size_t)tm->t[0] * (SC_MAX_DEGREE + 1) + X];
                    for (unsigned j = 1; j < tm->k; j++)
                        p = fp2_mul(p, val[(size_t)tm->t[j] * (SC_MAX_DEGREE + 1) + X]);
                    loc[X] = fp2_add(loc[X], fp2_mul(p, tm->c));
                }
            }
        }
#pragma omp critical(vp_round)
        for (unsigned X = 0; X <= d; X++) g[X] = fp2_add(g[X], loc[X]);
        free(val);
        free(used);
    }
}

/* The step of vp_prove (sc_rounds): bind every table, then sum. */
typedef struct {
    fp2 *const *tables;
    unsigned ntab, nterms, d;
    const vp_term *terms;
} vp_ctx;

static void vp_step(void *ctx, fp2 *g, size_t h, const fp2 *r) {
    const vp_ctx *t = ctx;
    if (r)
        for (unsigned j = 0; j < t->ntab; j++) mle_fold(t->tables[j], h ? 2 * h : 1, *r);
    if (h) vp_round(g, t->tables, t->ntab, t->terms, t->nterms, t->d, h);
}

void vp_prove(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const *tables, unsigned ntab, const vp_term *terms,
              unsigned nterms, unsigned n, fp2 claim) {
    vp_prove_zk(tr, point, finals, NULL, tables, ntab, terms, nterms, n, claim, NULL);
}

/* ---- evaluation masks (vp.h; papers/protocol.md sec. 9.8 (a)) ----
 *
 * The rounds binding x_{n-1}, ..., x_1 are the unmasked ones (the mask
 * x_0 (1 - x_0) a vanishes at x_0 = 0, 1). em_step runs the inner step as
 * it is and, in the last round (h = 1: every table holds T(x_0 = 0),
 * T(x_0 = 1), the eq factor is eq(rho_>0, r_>0) eq(rho_0, X)), writes the
 * masked round's values at X = 0, 2, ..., d0 over the inner ones. */

static fp2 em_eq1(fp2 rho, fp2 x) {
    fp2 one = fp2_one();
    return fp2_add(fp2_mul(fp2_sub(one, rho), fp2_sub(one, x)), fp2_mul(rho, x));
}

static void em_last(const em_wrap *w, fp2 *g);

/* The coordinate v of the absorbing term's point (0 without one). */
static fp2 em_e(const vp_absorb *ab, unsigned v) { return ab->e ? ab->e[v] : fp2_zero(); }

/* The absorbing term's share of the round binding v = log2 h (vp.h):
 * prod_{i>v} eq1(e_i, r_i) eq1(e_v, X) (P, or P + b (X - e_0) when v = 0). */
static void em_absorb(const em_wrap *w, fp2 *g, size_t h, unsigned d) {
    const vp_absorb *ab = w->ab;
    unsigned v = (unsigned)__builtin_ctzll((unsigned long long)h);
    fp2 pre = fp2_one();
    for (unsigned i = v + 1; i < w->n; i++) pre = fp2_mul(pre, em_eq1(em_e(ab, i), w->point[i]));
    for (unsigned X = 0; X <= d; X++) {
        if (X == 1) continue;
        fp2 x = fp2_from_fm61((fm61)X), l = ab->part;
        if (v == 0) l = fp2_add(l, fp2_mul(ab->b, fp2_sub(x, em_e(ab, 0))));
        g[X] = fp2_add(g[X], fp2_mul(pre, fp2_mul(em_eq1(em_e(ab, v), x), l)));
    }
}

static void em_step(void *ctx, fp2 *g, size_t h, const fp2 *r) {
    const em_wrap *w = ctx;
    w->step(w->ctx, g, h, r);
    if (!h) return;
    if (h == 1 && (w->masked || w->d0 > w->d)) em_last(w, g); /* (an absorbing term can raise a degree-1 last round) */
    if (w->ab) em_absorb(w, g, h, h == 1 ? w->d0 : w->d);
}

/* The masked last round over the inner step's values. */
static void em_last(const em_wrap *w, fp2 *g) {
    fp2 pre = fp2_one();
    if (w->eq)
        for (unsigned v = 1; v < w->n; v++) pre = fp2_mul(pre, em_eq1(w->rho[v], w->point[v]));
    for (unsigned X = 0; X <= w->d0; X++) {
        if (X == 1) continue;
        fp2 x = fp2_from_fm61((fm61)X), z = fp2_mul(x, fp2_sub(fp2_one(), x)), s = fp2_zero();
        for (unsigned t = 0; t < w->nterms; t++) {
            const vp_term *tm = &w->terms[t];
            fp2 p = tm->c;
            for (unsigned j = 0; j < tm->k; j++) {
                unsigned k = tm->t[j];
                fp2 v;
                if (w->eq && k == w->e) {
                    v = em_eq1(w->rho[0], x);
                } else {
                    const fp2 *T = w->tables[k];
                    v = fp2_add(T[0], fp2_mul(x, fp2_sub(T[1], T[0])));
                    if (w->masked && w->masked[k]) v = fp2_add(v, fp2_mul(z, w->a[k]));
                }
                p = fp2_mul(p, v);
            }
            s = fp2_add(s, p);
        }
        g[X] = fp2_mul(pre, s);
    }
}

void vp_round_degrees_ab(unsigned *deg, const vp_term *terms, unsigned nterms, const int *masked, int ab,
                         unsigned n) {
    vp_round_degrees(deg, terms, nterms, masked, n);
    if (ab && n && deg[0] < 2) deg[0] = 2;
}

unsigned vp_last_degree(const vp_term *terms, unsigned nterms, const int *masked) {
    unsigned d = vp_degree(terms, nterms);
    if (!masked) return d;
    for (unsigned t = 0; t < nterms; t++) {
        unsigned k = terms[t].k;
        for (unsigned j = 0; j < terms[t].k; j++) k += masked[terms[t].t[j]] ? 1 : 0;
        if (k > d) d = k;
    }
    return d;
}

void vp_round_degrees(unsigned *deg, const vp_term *terms, unsigned nterms, const int *masked, unsigned n) {
    unsigned d = vp_degree(terms, nterms);
    for (unsigned v = 0; v < n; v++) deg[v] = v ? d : vp_last_degree(terms, nterms, masked);
}

/* The rounds of a vp prover's step, with the masks of `masked` when given. */
void em_rounds(tr_t *tr, fp2 *point, fp2 *gr, const zsc_mask *mask, unsigned n, fp2 claim, sc_step_fn step,
               void *ctx, em_wrap *w) {
    unsigned d = vp_degree(w->terms, w->nterms);
    if (!w->masked && !w->ab) {
        zsc_rounds(tr, point, gr, mask, n, d, claim, step, ctx);
        return;
    }
    ZK_CHECK(n >= 1 && n <= ZSC_MAX_VARS);
    unsigned deg[ZSC_MAX_VARS];
    vp_round_degrees_ab(deg, w->terms, w->nterms, w->masked, w->ab != NULL, n);
    ZK_CHECK(deg[0] <= SC_MAX_ROUND_DEGREE);
    w->step = step;
    w->ctx = ctx;
    w->d = d;
    w->d0 = deg[0];
    w->n = n;
    w->point = point;
    if (w->ab) claim = fp2_add(claim, w->ab->part);
    zsc_rounds_deg(tr, point, gr, mask, n, deg, claim, em_step, w);
    if (w->ab) w->ab->ell = fp2_add(w->ab->part, fp2_mul(w->ab->b, fp2_sub(point[0], em_e(w->ab, 0))));
}

/* finals[j] += point_0 (1 - point_0) a[j] for the masked tables. */
void em_finals(fp2 *finals, unsigned ntab, const int *masked, const fp2 *a, const fp2 *point) {
    if (!masked) return;
    fp2 z = fp2_mul(point[0], fp2_sub(fp2_one(), point[0]));
    for (unsigned j = 0; j < ntab; j++)
        if (masked[j]) finals[j] = fp2_add(finals[j], fp2_mul(z, a[j]));
}

void vp_prove_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const *tables, unsigned ntab, const vp_term *terms,
                 unsigned nterms, unsigned n, fp2 claim, const zsc_mask *mask) {
    vp_prove_em(tr, point, finals, gr, tables, ntab, terms, nterms, n, claim, mask, NULL, NULL, NULL);
}

void vp_prove_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const *tables, unsigned ntab, const vp_term *terms,
                 unsigned nterms, unsigned n, fp2 claim, const zsc_mask *mask, const int *masked, const fp2 *a,
                 vp_absorb *ab) {
    unsigned d = vp_degree(terms, nterms);
    ZK_CHECK(d <= SC_MAX_DEGREE);
    for (unsigned t = 0; t < nterms; t++) {
        ZK_CHECK(terms[t].k >= 1 && terms[t].k <= 3);
        for (unsigned j = 0; j < terms[t].k; j++) ZK_CHECK(terms[t].t[j] < ntab);
    }
    vp_ctx t = {.tables = tables, .ntab = ntab, .nterms = nterms, .d = d, .terms = terms};
    em_wrap w = {.tables = tables, .terms = terms, .nterms = nterms, .masked = masked, .a = a, .ab = ab};
    em_rounds(tr, point, gr, mask, n, claim, vp_step, &t, &w);
    for (unsigned j = 0; j < ntab; j++) finals[j] = tables[j][0];
    em_finals(finals, ntab, masked, a, point);
}

/* ---- vp_prove_eq: one factor of every term is eq(rho, .) ----
 *
 * Gruen's form (as in frac.c): in the round binding variable v (h = 2^v
 * pairs), eq(rho, x) = c eq(rho_v, X) eq(rho_<v, x_<v), c the product of
 * the bound variables' factors, so with the terms' other factors F,
 *     g(X) = c eq(rho_v, X) G(X),   G(X) = sum_{i<h} w[i] F_i(X),
 * w = eq(rho_<v, .), and G has degree d - 1. A pass computes G at
 * X = 0, 2, ..., d-1; G(1) = g(1) / (c rho_v) with g(1) = claim - g(0)
 * (a pass computes it too when c rho_v = 0), and G(d) follows from G's
 * degree (sc_interpolate). The eq table is never built; each round's pass
 * also binds the previous round's variable in every table and halves w
 * (one read of each table per round). */

#define VPE_BLK 256 /* pairs per block: a multiple of the vector width 8 */

/* A term without its eq factor, terms with the same other factors merged. */
typedef struct {
    unsigned nf;   /* other factors: 0..2 */
    unsigned f[2]; /* their slots among the used tables */
    fp2 c;
} vpe_term;

typedef struct {
    fp2 *const *T;  /* the used tables (nu), in slot order */
    unsigned nu, nt;
    const vpe_term *t;
    fp2 *w;
    size_t h;
    fp2 r;
    int fold;        /* bind the previous variable first */
    unsigned np;     /* points X = 0, 2, ..., np (np = d - 1), and 1 with need1 */
    int need1;
} vpe_pass;

/* Scalar kernel: acc[X] += sum over pairs of the block. */
static void vpe_blk(fp2 *acc, const vpe_pass *p, size_t lo, size_t hi, fp2 *val) {
    size_t h = p->h;
    unsigned nu = p->nu, npt = SC_MAX_DEGREE + 1;
    mle_coef rc = mle_coef_of(p->r);
    for (size_t i = lo; i < hi; i++) {
        for (unsigned u = 0; u < nu; u++) {
            fp2 *t = p->T[u], a, b;
            if (p->fold) {
                a = t[i] = mle_fold1(t[i], t[i + 2 * h], rc);
                b = t[i + h] = mle_fold1(t[i + h], t[i + 3 * h], rc);
            } else {
                a = t[i], b = t[i + h];
            }
            fp2 df = fp2_sub(b, a), *v = val + (size_t)u * npt;
            v[0] = a, v[1] = b;
            for (unsigned X = 2; X <= p->np; X++) v[X] = fp2_add(v[X - 1], df);
        }
        fp2 w = p->w[i];
        if (p->fold) w = p->w[i] = fp2_add(w, p->w[i + h]);
        for (unsigned X = 0; X <= p->np; X++) {
            if (X == 1 && !p->need1) continue;
            fp2 s = fp2_zero();
            for (unsigned k = 0; k < p->nt; k++) {
                const vpe_term *tm = &p->t[k];
                fp2 q = tm->c;
                for (unsigned j = 0; j < tm->nf; j++) q = fp2_mul(q, val[(size_t)tm->f[j] * npt + X]);
                s = fp2_add(s, q);
            }
            acc[X] = fp2_add(acc[X], fp2_mul(w, s));
        }
    }
}

#ifdef MLE_AVX512
MLE_TARGET static void vpe_blk_avx512(fp2 *acc, const vpe_pass *p, size_t lo, size_t hi, mle_v2 *val) {
    size_t h = p->h;
    unsigned nu = p->nu, npt = SC_MAX_DEGREE + 1;
    mle_vcoef rc = mle_vcoef_of(p->r);
    mle_vcoef cf[64];
    for (unsigned k = 0; k < p->nt; k++) cf[k] = mle_vcoef_of(p->t[k].c);
    __m512i s[2 * (SC_MAX_DEGREE + 1)];
    for (unsigned k = 0; k < 2 * npt; k++) s[k] = _mm512_setzero_si512();
    for (size_t i = lo; i < hi; i += 8) {
        for (unsigned u = 0; u < nu; u++) {
            fp2 *t = p->T[u];
            mle_v2 a, b, *v = val + (size_t)u * npt;
            if (p->fold) {
                a = mle_v_fold1(mle_v_load(t + i), mle_v_load(t + i + 2 * h), &rc);
                b = mle_v_fold1(mle_v_load(t + i + h), mle_v_load(t + i + 3 * h), &rc);
                mle_v_store(t + i, a);
                mle_v_store(t + i + h, b);
            } else {
                a = mle_v_load(t + i), b = mle_v_load(t + i + h);
            }
            mle_v2 df = {fm61v_sub(b.re, a.re), fm61v_sub(b.im, a.im)};
            v[0] = a, v[1] = b;
            for (unsigned X = 2; X <= p->np; X++) {
                v[X].re = fm61v_add(v[X - 1].re, df.re);
                v[X].im = fm61v_add(v[X - 1].im, df.im);
            }
        }
        mle_v2 w = mle_v_load(p->w + i);
        if (p->fold) {
            mle_v2 w1 = mle_v_load(p->w + i + h);
            w.re = fm61v_add(w.re, w1.re);
            w.im = fm61v_add(w.im, w1.im);
            mle_v_store(p->w + i, w);
        }
        for (unsigned X = 0; X <= p->np; X++) {
            if (X == 1 && !p->need1) continue;
            mle_v2 sum = {_mm512_setzero_si512(), _mm512_setzero_si512()};
            for (unsigned k = 0; k < p->nt; k++) {
                const vpe_term *tm = &p->t[k];
                mle_v2 q;
                if (tm->nf == 0) {
                    q.re = _mm512_set1_epi64((long long)tm->c.re);
                    q.im = _mm512_set1_epi64((long long)tm->c.im);
                } else {
                    q = mle_v_mul_coef(val[(size_t)tm->f[0] * npt + X], &cf[k]);
                    if (tm->nf == 2) q = mle_v_mul2(q, val[(size_t)tm->f[1] * npt + X]);
                }
                sum.re = fm61v_fold(_mm512_add_epi64(sum.re, q.re));
                sum.im = fm61v_fold(_mm512_add_epi64(sum.im, q.im));
            }
            mle_v2 ws = mle_v_mul2(w, sum);
            s[2 * X] = mle_v_acc(s[2 * X], ws.re);
            s[2 * X + 1] = mle_v_acc(s[2 * X + 1], ws.im);
        }
    }
    for (unsigned X = 0; X <= p->np; X++)
        acc[X] = fp2_add(acc[X], fp2_make(mle_v_hsum(s[2 * X]), mle_v_hsum(s[2 * X + 1])));
}
#endif

/* G[X] for X = 0, 2..np (and 1 with need1): one parallel pass. */
static void vpe_run(fp2 *G, const vpe_pass *p) {
    size_t h = p->h;
    unsigned npt = SC_MAX_DEGREE + 1;
    int vec = 0;
#ifdef MLE_AVX512
    vec = h >= 8 && p->nt <= 64 && mle_have_avx512();
#endif
    for (unsigned X = 0; X < npt; X++) G[X] = fp2_zero();
#pragma omp parallel if (h >= VP_PAR_MIN)
    {
        fp2 loc[SC_MAX_DEGREE + 1];
        for (unsigned X = 0; X < npt; X++) loc[X] = fp2_zero();
        size_t vb = (size_t)p->nu * npt * (vec ? 128 : sizeof(fp2)); /* an mle_v2 is 128 bytes */
        void *val = zk_aligned_n(vb ? vb : 64, 1);
#pragma omp for schedule(static) nowait
        for (size_t lo = 0; lo < h; lo += VPE_BLK) {
            size_t hi = lo + VPE_BLK < h ? lo + VPE_BLK : h;
#ifdef MLE_AVX512
            if (vec) {
                vpe_blk_avx512(loc, p, lo, hi, val);
                continue;
            }
#endif
            vpe_blk(loc, p, lo, hi, val);
        }
#pragma omp critical(vp_eq_round)
        for (unsigned X = 0; X < npt; X++) G[X] = fp2_add(G[X], loc[X]);
        free(val);
    }
    (void)vec;
}

typedef struct {
    vpe_pass p;
    fp2 *const *all; /* every table (tables[e] not used) */
    unsigned ntab, e, d;
    const fp2 *rho;
    fp2 c, claim, g[SC_MAX_DEGREE + 1];
    unsigned v;
    int first;
} vpe_ctx;

static void vpe_step(void *ctx, fp2 *g, size_t h, const fp2 *rb) {
    vpe_ctx *s = ctx;
    fp2 one = fp2_one();
    unsigned d = s->d;
    if (rb) {
        s->claim = sc_interpolate(s->g, d, *rb);
        fp2 e0 = fp2_sub(one, s->rho[s->v]), de = fp2_sub(fp2_dbl(s->rho[s->v]), one);
        s->c = fp2_mul(s->c, fp2_add(e0, fp2_mul(*rb, de)));
        /* tables no term reads are bound on their own */
        for (unsigned j = 0; j < s->ntab; j++) {
            int used = 0;
            for (unsigned u = 0; u < s->p.nu; u++) used |= s->p.T[u] == s->all[j];
            if (j != s->e && !used) mle_fold(s->all[j], h ? 2 * h : 1, *rb);
        }
        if (!h) {
            for (unsigned u = 0; u < s->p.nu; u++) mle_fold(s->p.T[u], 1, *rb);
            return;
        }
        s->v--;
        s->p.fold = 1;
        s->p.r = *rb;
    }
    ZK_CHECK(h == (size_t)1 << s->v);
    fp2 rv = s->rho[s->v], crv = fp2_mul(s->c, rv), G[SC_MAX_DEGREE + 1];
    s->p.h = h;
    s->p.np = d - 1;
    s->p.need1 = d >= 2 && fp2_is_zero(crv);
    vpe_run(G, &s->p);
    s->p.fold = 0;
    fp2 e0 = fp2_sub(one, rv), de = fp2_sub(fp2_dbl(rv), one);
    g[0] = fp2_mul(s->c, fp2_mul(e0, G[0]));
    g[1] = fp2_sub(s->claim, g[0]);
    if (d >= 2) {
        if (!s->p.need1) G[1] = fp2_mul(g[1], fp2_inv(crv));
        /* G has degree d - 1: its values at 0..d-1 give G(d) */
        G[d] = sc_interpolate(G, d - 1, fp2_from_fm61((fm61)d));
    } else {
        G[1] = G[0];
    }
    fp2 ex = e0;
    for (unsigned X = 0; X <= d; X++, ex = fp2_add(ex, de))
        if (X != 1) g[X] = fp2_mul(s->c, fp2_mul(ex, G[X]));
    for (unsigned X = 0; X <= d; X++) s->g[X] = g[X];
}

void vp_prove_eq(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const *tables, unsigned ntab, const vp_term *terms,
                 unsigned nterms, unsigned n, fp2 claim, unsigned e, const fp2 *rho) {
    vp_prove_eq_zk(tr, point, finals, NULL, tables, ntab, terms, nterms, n, claim, e, rho, NULL);
}

void vp_prove_eq_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const *tables, unsigned ntab,
                    const vp_term *terms, unsigned nterms, unsigned n, fp2 claim, unsigned e, const fp2 *rho,
                    const zsc_mask *mask) {
    vp_prove_eq_em(tr, point, finals, gr, tables, ntab, terms, nterms, n, claim, e, rho, mask, NULL, NULL, NULL);
}

void vp_prove_eq_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const *tables, unsigned ntab,
                    const vp_term *terms, unsigned nterms, unsigned n, fp2 claim, unsigned e, const fp2 *rho,
                    const zsc_mask *mask, const int *masked, const fp2 *a, vp_absorb *ab) {
    unsigned d = vp_degree(terms, nterms);
    ZK_CHECK(d <= SC_MAX_DEGREE && e < ntab && nterms >= 1);
    /* the used tables (slots) and the terms without their eq factor */
    unsigned *slot = zk_malloc_n(ntab, sizeof *slot);
    fp2 **T = zk_malloc_n(ntab, sizeof *T);
    vpe_term *t = zk_malloc_n(nterms, sizeof *t);
    unsigned nu = 0, nt = 0;
    for (unsigned j = 0; j < ntab; j++) slot[j] = UINT_MAX;
    for (unsigned k = 0; k < nterms; k++) {
        const vp_term *tm = &terms[k];
        ZK_CHECK(tm->k >= 1 && tm->k <= 3);
        vpe_term q = {.nf = 0, .c = tm->c};
        unsigned ne = 0;
        for (unsigned j = 0; j < tm->k; j++) {
            unsigned x = tm->t[j];
            ZK_CHECK(x < ntab);
            if (x == e) {
                ne++;
                continue;
            }
            if (slot[x] == UINT_MAX) slot[x] = nu, T[nu++] = tables[x];
            q.f[q.nf++] = slot[x];
        }
        ZK_CHECK(ne == 1); /* eq(rho, .) exactly once in every term */
        if (q.nf == 2 && q.f[0] > q.f[1]) {
            unsigned sw = q.f[0];
            q.f[0] = q.f[1], q.f[1] = sw;
        }
        unsigned m = 0;
        while (m < nt && !(t[m].nf == q.nf && (q.nf < 1 || t[m].f[0] == q.f[0]) && (q.nf < 2 || t[m].f[1] == q.f[1])))
            m++;
        if (m < nt) t[m].c = fp2_add(t[m].c, q.c);
        else t[nt++] = q;
    }
    vpe_ctx s = {.p = {.T = T, .nu = nu, .nt = nt, .t = t}, .all = tables, .ntab = ntab, .e = e, .d = d,
                 .rho = rho, .c = fp2_one(), .claim = claim, .v = n ? n - 1 : 0};
    s.p.w = zk_aligned_n(n ? (size_t)1 << (n - 1) : 1, sizeof(fp2));
    if (n) mle_eq_table(s.p.w, rho, n - 1); /* eq(rho_<n-1, .) */
    ZK_CHECK(!masked || !masked[e]);
    em_wrap w = {.tables = tables, .terms = terms, .nterms = nterms, .masked = masked, .a = a, .eq = 1, .e = e,
                 .rho = rho, .ab = ab};
    em_rounds(tr, point, gr, mask, n, claim, vpe_step, &s, &w);
    for (unsigned j = 0; j < ntab; j++) finals[j] = j == e ? mle_eq_eval(rho, point, n) : tables[j][0];
    em_finals(finals, ntab, masked, a, point);
    free(s.p.w);
    free(t);
    free(T);
    free(slot);
}
