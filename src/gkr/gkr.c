/* The GKR protocol for layered circuits with cross-layer wiring.
 *
 * References: Goldwasser, Kalai, Rothblum (STOC 2008); Thaler, "Proofs,
 * Arguments, and Zero-Knowledge" ch. 4.6; Libra (Xie et al., CRYPTO 2019)
 * sec. 3 for the two-phase linear-time prover; zkCNN (Liu, Xie, Zhang,
 * CCS 2021) sec. 3 for inputs taken from any earlier layer. The protocol
 * as implemented, round by round, is papers/protocol.md sec. 4.
 *
 * Layer l (a gate layer, nvars = n) arrives with claims V_l(r_k) = v_k,
 * k = 0..m-1. With alpha_0 = 1 and alpha_k (k >= 1) drawn from the
 * transcript, the combined claim is
 *     C = sum_k alpha_k v_k = sum_g G(g) out(g),   G(g) = sum_k alpha_k eq(r_k, g),
 * and, writing out(g) as its gate terms,
 *     C = sum_mul coef G(out) V_xs(x) V_ys(y) + sum_add coef G(out) V_src(in) + K,
 * where K = sum_const coef G(out) is computed by the verifier.
 *   1. Prover sends A = sum_add coef G(out) V_src(in)            ("gkr/add_sum").
 *   2. Phase 1 (if the layer has mul gates): sumcheck over x in {0,1}^{n_xs}
 *         sum_x V_xs(x) h1(x) = C - K - A,   h1(x) = sum_{mul at x} coef G(out) V_ys(y),
 *      ending at point u with reduced claim e1; prover sends v_u = V_xs(u)
 *      ("gkr/vx"). Without mul gates the verifier checks C - K - A = 0, e1 = 0.
 *   3. Verifier draws rho. For each source layer j (ascending),
 *         f_j(y) = v_u sum_{mul, ys=j, at y} coef G(out) eq(u, x)
 *                + rho sum_{add, src=j, at y} coef G(out),
 *      prover sends c_j = sum_y f_j(y) V_j(y) ("gkr/src_claims"); verifier
 *      checks sum_j c_j = e1 + rho A. This checks e1 = v_u h1(u) and A
 *      together: rho is drawn after both are fixed.
 *   4. Phase 2, for each j: sumcheck sum_y f_j(y) V_j(y) = c_j ending at v_j;
 *      prover sends w_j = V_j(v_j) ("gkr/vy"); verifier computes f_j(v_j)
 *      from the wiring and checks the reduced claim equals f_j(v_j) w_j.
 *   New claims, appended in this order: V_j(v_j) = w_j for each source j
 *   (ascending), then V_xs(u) = v_u; checked at those layers, which are
 *   handled from the top down (layers no claim reaches are skipped).
 * Committed input layers combine their claims the same way and reduce them
 * to one point with a degree-2 sumcheck on G(x) V(x), then open the
 * commitment there. Public input layers are checked by direct evaluation.
 */
#include <string.h>

#include "../poly/mle.h"
#include "../sumcheck/sc.h"
#include "gkr.h"

#ifdef _OPENMP
#include <omp.h>
static int gkr_tid(void) { return omp_get_thread_num(); }
static int gkr_nthreads(void) { return omp_get_num_threads(); }
#else
static int gkr_tid(void) { return 0; }
static int gkr_nthreads(void) { return 1; }
#endif

/* Gate passes below this many terms run on one thread. */
#define GKR_PAR_MIN 4096

/* Gate passes gather and scatter at random indices; with arbitrary wiring
 * they are bound by memory latency, so each pass prefetches the entries a
 * gate GKR_PF positions ahead will touch. */
#define GKR_PF 32
#define GKR_PREFETCH(p) __builtin_prefetch((p), 0, 1)
#define GKR_PREFETCHW(p) __builtin_prefetch((p), 1, 1)

typedef struct {
    fp2 *pt; /* nvars coordinates, owned */
    fp2 val;
} gkr_claim;

typedef struct {
    gkr_claim *c;
    size_t n;
} gkr_claims;

/* Scratch pad for one proof or verification, sized by the largest layer
 * and allocated once (no allocation per layer in the hot path, and the
 * same allocations in the same order for every proof, so a prover that
 * proves again reuses the same heap memory instead of faulting in fresh
 * pages). F holds the tables of all source layers of the current layer
 * side by side, at offsets off[j] (SIZE_MAX for a layer that is not a
 * source, GKR_OFF_POINT for a source whose table the verifier does not
 * build, below). The prover uses G, ta, tb and F; the verifier G, eq and F.
 * The source layers of gate layer l are srcs[src_at[l] .. src_at[l+1]),
 * ascending; src_tab[k] says whether srcs[k]'s table is built (always, for
 * the prover).
 *
 * The verifier reads its eq-type tables (G over a gate layer, eq(u, .) over
 * its left-input layer, eq(v_j, .) over each source layer) only at the
 * indices the gates name. It builds a table of 2^n entries only when that
 * costs about what evaluating it at each of the R gate indices would
 * (2^n <= n R: the table "pays") or when it is small (n <= GKR_VTAB_VARS);
 * otherwise it evaluates sum_k w_k eq(r_k, i) at each gate index i (O(n)
 * each). The source tables of one gate layer are all held at once (F), so
 * the small ones that do not pay are built, in increasing source order,
 * only while they total at most 2^GKR_VTAB_VARS entries: without that
 * bound, 4095 sources of 16 variables read by one gate each (a 230 KB
 * circuit) took 4 GiB of F. Its memory is then bounded by the circuit file
 * (R gate terms of >= 12 bytes each), not by the layer sizes the file
 * declares: a short circuit file declaring a layer of 2^28 values, or many
 * layers of 2^16, costs the verifier no 4 GiB table. */
typedef struct {
    fp2 *G, *eq, *ta, *tb;
    fp2 *F;
    size_t *off;
    uint32_t *srcs;
    uint8_t *src_tab;
    size_t *src_at;
} gkr_scratch;

#define GKR_OFF_POINT (SIZE_MAX - 1)
#define GKR_VTAB_VARS 16

static int gkr_vtab_off; /* tests: gkr_verifier_tables(0) */

void gkr_verifier_tables(int on) { gkr_vtab_off = !on; }

/* Verifier: does the table of a layer of n variables read at refs gate
 * indices cost no more than evaluating it at each of them? */
static int gkr_table_pays(unsigned n, size_t refs) { return ((uint64_t)1 << n) <= (uint64_t)refs * n; }

/* Verifier: build the table of a layer of n variables read at refs gate indices? */
static int gkr_use_table(unsigned n, size_t refs) {
    if (gkr_vtab_off) return 0;
    return n <= GKR_VTAB_VARS || gkr_table_pays(n, refs);
}

static size_t gkr_size(const gkr_circuit *c, size_t l) { return (size_t)1 << c->layers[l].nvars; }

/* The source layers of every layer (those its gates read as right input
 * or add input) in one scan of the gates; refs[j] counts the gate terms of
 * layer l that read j. Returns the largest total size of one layer's
 * source tables (for the verifier, of those it builds). */
static size_t gkr_find_sources(gkr_scratch *s, const gkr_circuit *c, int verifier) {
    size_t L = c->nlayers, n = 0, cap = 0, Fmax = 0;
    size_t *refs = zk_calloc(L, sizeof *refs);
    s->srcs = NULL;
    s->src_tab = NULL;
    s->src_at = zk_malloc_n(L + 1, sizeof *s->src_at);
    for (size_t l = 0; l < L; l++) {
        const gkr_layer *Ly = &c->layers[l];
        s->src_at[l] = n;
        for (size_t g = 0; g < Ly->nmul; g++) refs[Ly->mul[g].ysrc]++;
        for (size_t g = 0; g < Ly->nadd; g++) refs[Ly->add[g].src]++;
        size_t total = 0, small = 0; /* small: entries of tables built only for being small */
        for (size_t j = 0; j < l; j++) {
            if (!refs[j]) continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                s->srcs = zk_realloc_n(s->srcs, cap, sizeof *s->srcs);
                s->src_tab = zk_realloc_n(s->src_tab, cap, sizeof *s->src_tab);
            }
            int tab = !verifier || gkr_use_table(c->layers[j].nvars, refs[j]);
            if (verifier && tab && !gkr_table_pays(c->layers[j].nvars, refs[j])) {
                if (gkr_size(c, j) > ((size_t)1 << GKR_VTAB_VARS) - small)
                    tab = 0;
                else
                    small += gkr_size(c, j);
            }
            s->src_tab[n] = (uint8_t)tab;
            s->srcs[n++] = (uint32_t)j;
            if (tab) total += gkr_size(c, j);
            refs[j] = 0;
        }
        if (total > Fmax) Fmax = total;
    }
    s->src_at[L] = n;
    free(refs);
    return Fmax;
}

static void gkr_scratch_init(gkr_scratch *s, const gkr_circuit *c) {
    unsigned maxv = 0;
    for (size_t l = 0; l < c->nlayers; l++)
        if (c->layers[l].nvars > maxv) maxv = c->layers[l].nvars;
    size_t max = (size_t)1 << maxv;
    s->G = zk_aligned_n(max, sizeof(fp2));
    s->eq = NULL;
    s->ta = zk_aligned_n(max, sizeof(fp2));
    s->tb = zk_aligned_n(max, sizeof(fp2));
    size_t Fmax = gkr_find_sources(s, c, 0);
    s->F = Fmax ? zk_aligned_n(Fmax, sizeof(fp2)) : NULL;
    s->off = zk_malloc_n(c->nlayers, sizeof *s->off);
}

/* The entries of the verifier's tables (gkr_use_table): G and eq(u, .),
 * the largest of any gate layer, and F, the largest total of one layer's
 * source tables; s receives the source lists. Allocates nothing sized by
 * the layers. */
static void gkr_vsizes(gkr_scratch *s, const gkr_circuit *c, size_t *Gmax, size_t *eqmax, size_t *Fmax) {
    memset(s, 0, sizeof *s);
    *Gmax = *eqmax = 0;
    for (size_t l = 0; l < c->nlayers; l++) {
        const gkr_layer *L = &c->layers[l];
        if (L->kind != GKR_GATES) continue;
        if (gkr_use_table(L->nvars, L->nmul + L->nadd + L->ncst) && gkr_size(c, l) > *Gmax) *Gmax = gkr_size(c, l);
        if (L->nmul && gkr_use_table(c->layers[L->xsrc].nvars, L->nmul) && gkr_size(c, L->xsrc) > *eqmax)
            *eqmax = gkr_size(c, L->xsrc);
    }
    *Fmax = gkr_find_sources(s, c, 1);
}

static void gkr_scratch_free(gkr_scratch *s);

size_t gkr_verifier_table_bytes(const gkr_circuit *c) {
    gkr_scratch s;
    size_t Gmax, eqmax, Fmax;
    gkr_vsizes(&s, c, &Gmax, &eqmax, &Fmax);
    gkr_scratch_free(&s);
    return (Gmax + eqmax + Fmax) * sizeof(fp2);
}

/* The verifier's scratch: only the tables it builds (gkr_use_table), and
 * no abort when they cannot be had: ZK_ENOMEM with a reason. */
static zk_err gkr_vscratch_init(gkr_scratch *s, const gkr_circuit *c) {
    size_t Gmax, eqmax, Fmax;
    gkr_vsizes(s, c, &Gmax, &eqmax, &Fmax);
    s->off = zk_malloc_n(c->nlayers, sizeof *s->off);
    s->G = Gmax ? zk_try_aligned_n(Gmax, sizeof(fp2)) : NULL;
    s->eq = eqmax ? zk_try_aligned_n(eqmax, sizeof(fp2)) : NULL;
    s->F = Fmax ? zk_try_aligned_n(Fmax, sizeof(fp2)) : NULL;
    if ((Gmax && !s->G) || (eqmax && !s->eq) || (Fmax && !s->F)) {
        zk_set_reason("verifier: cannot allocate the %.0f MiB of tables this circuit needs",
                      (double)(Gmax + eqmax + Fmax) * sizeof(fp2) / (1 << 20));
        return ZK_ENOMEM;
    }
    return ZK_OK;
}

static void gkr_scratch_free(gkr_scratch *s) {
    free(s->src_tab);
    free(s->G);
    free(s->eq);
    free(s->ta);
    free(s->tb);
    free(s->F);
    free(s->off);
    free(s->srcs);
    free(s->src_at);
}

static void gkr_claim_push(gkr_claims *cl, const fp2 *pt, unsigned nvars, fp2 val) {
    cl->c = zk_realloc_n(cl->c, cl->n + 1, sizeof *cl->c);
    fp2 *copy = zk_malloc_n(nvars ? nvars : 1, sizeof *copy);
    if (nvars) memcpy(copy, pt, nvars * sizeof *copy);
    cl->c[cl->n++] = (gkr_claim){copy, val};
}

static void gkr_claims_free(gkr_claims *cls, size_t nlayers) {
    for (size_t l = 0; l < nlayers; l++) {
        for (size_t k = 0; k < cls[l].n; k++) free(cls[l].c[k].pt);
        free(cls[l].c);
    }
    free(cls);
}

/* Both sides: draw alpha_1.. (alpha_0 = 1), return C = sum alpha_k v_k and,
 * if G != NULL, fill G[g] = sum_k alpha_k eq(r_k, g). alpha receives
 * cl->n entries. */
static fp2 gkr_combine(tr_t *tr, fp2 *G, fp2 *alpha, const gkr_claims *cl, unsigned nvars) {
    alpha[0] = fp2_one();
    for (size_t k = 1; k < cl->n; k++) alpha[k] = tr_challenge(tr, "gkr/alpha");
    fp2 C = fp2_zero();
    for (size_t k = 0; k < cl->n; k++) C = fp2_add(C, fp2_mul(alpha[k], cl->c[k].val));
    if (G) { /* one pass over G for all the claims */
        const fp2 **pts = zk_malloc_n(cl->n, sizeof *pts);
        for (size_t k = 0; k < cl->n; k++) pts[k] = cl->c[k].pt;
        mle_eq_table_sum(G, pts, alpha, cl->n, nvars);
        free(pts);
    }
    return C;
}

/* An eq-type table over a layer of n variables: the full table tab, or
 * (tab = NULL, verifier only, see gkr_scratch) sum_{k<m} w_k eq(pts_k, i)
 * evaluated at each index i asked for (w = NULL: all weights 1). */
typedef struct {
    const fp2 *tab;
    const fp2 *const *pts;
    const fp2 *w;
    size_t m;
    unsigned n;
} gkr_eqv;

static fp2 gkr_eqv_point(const gkr_eqv *e, uint64_t i) {
    fp2 sum = fp2_zero();
    for (size_t k = 0; k < e->m; k++) {
        const fp2 *r = e->pts[k];
        fp2 p = fp2_one();
        for (unsigned j = 0; j < e->n; j++) p = fp2_mul(p, (i >> j) & 1 ? r[j] : fp2_sub(fp2_one(), r[j]));
        sum = fp2_add(sum, e->w ? fp2_mul(e->w[k], p) : p);
    }
    return sum;
}

static inline fp2 gkr_eqv_at(const gkr_eqv *e, uint64_t i) {
    return __builtin_expect(e->tab != NULL, 1) ? e->tab[i] : gkr_eqv_point(e, i);
}

/* coef * G(out) (verifier), skipping the multiplication for the common coef = 1 */
static inline fp2 gkr_cg(const gkr_eqv *G, uint32_t out, fm61 coef) {
    fp2 g = gkr_eqv_at(G, out);
    return coef == 1 ? g : fp2_mul_fm61(g, coef);
}

static fp2 gkr_const_sum(const gkr_layer *L, const gkr_eqv *G) {
    fp2 K = fp2_zero();
    for (size_t g = 0; g < L->ncst; g++) K = fp2_add(K, fp2_mul_fm61(gkr_eqv_at(G, L->cst[g].out), L->cst[g].coef));
    return K;
}

/* t~(r) for a base-field table of 2^n entries in O(2^(n/2)) memory: with
 * a = ceil(n/2) low variables, t~(r) = sum_hi eq(r_hi, hi) sum_lo eq(r_lo, lo)
 * t[hi 2^a + lo]. The verifier evaluates the outputs and the public inputs
 * so, allocating nothing of their size. */
static fp2 gkr_eval_fm61(const fm61 *t, unsigned n, const fp2 *r) {
    unsigned a = (n + 1) / 2, b = n - a;
    size_t nlo = (size_t)1 << a, nhi = (size_t)1 << b;
    fp2 *el = zk_aligned_n(nlo + nhi, sizeof *el), *eh = el + nlo;
    mle_eq_table(el, r, a);
    mle_eq_table(eh, r + a, b);
    fp2 sum = fp2_zero();
    for (size_t hi = 0; hi < nhi; hi++) {
        const fm61 *row = t + hi * nlo;
        fp2 inner = fp2_zero();
        for (size_t blk = 0; blk < nlo; blk += 64) {
            size_t end = blk + 64 < nlo ? blk + 64 : nlo;
            fm61_u128 re = 0, im = 0; /* 64 products < 2^122 each */
            for (size_t lo = blk; lo < end; lo++) {
                re += (fm61_u128)el[lo].re * row[lo];
                im += (fm61_u128)el[lo].im * row[lo];
            }
            inner = fp2_add(inner, fp2_make(fm61_reduce128(re), fm61_reduce128(im)));
        }
        sum = fp2_add(sum, fp2_mul(inner, eh[hi]));
    }
    free(el);
    return sum;
}

/* Lay out the source tables of layer l in s->F: off[j] for every layer j
 * that the gates read as right input or add input; returns their count and
 * the total length (*total). */
static size_t gkr_layout_sources(gkr_scratch *s, const gkr_circuit *c, size_t l, size_t *total) {
    for (size_t j = 0; j < c->nlayers; j++) s->off[j] = SIZE_MAX;
    size_t at = 0;
    for (size_t k = s->src_at[l]; k < s->src_at[l + 1]; k++) {
        if (!s->src_tab[k]) { /* verifier: evaluated per gate */
            s->off[s->srcs[k]] = GKR_OFF_POINT;
            continue;
        }
        s->off[s->srcs[k]] = at;
        at += gkr_size(c, s->srcs[k]);
    }
    *total = at;
    return s->src_at[l + 1] - s->src_at[l];
}

/* coef V (coef = 1 for most gates): the base-field factor of a gate term */
static inline fm61 gkr_cv(fm61 coef, fm61 v) { return coef == 1 ? v : fm61_mul(coef, v); }

/* A = sum_add coef G(out) V_src(in)  (prover only). The terms G(out) (coef V)
 * are base x extension products, summed unreduced in 128 bits (64 of
 * them, each part < 2^122, fit) and reduced once per 64 gates. */
static fp2 gkr_add_sum(const gkr_layer *L, const fp2 *G, const gkr_witness *w) {
    fp2 A = fp2_zero();
#pragma omp parallel if (L->nadd >= GKR_PAR_MIN)
    {
        fp2 loc = fp2_zero();
#pragma omp for schedule(static) nowait
        for (size_t blk = 0; blk < L->nadd; blk += 64) {
            size_t end = blk + 64 < L->nadd ? blk + 64 : L->nadd;
            fm61_u128 re = 0, im = 0;
            for (size_t g = blk; g < end; g++) {
                const gkr_add *a = &L->add[g];
                if (g + GKR_PF < L->nadd) GKR_PREFETCH(&w->v[a[GKR_PF].src][a[GKR_PF].in]);
                fm61 v = gkr_cv(a->coef, w->v[a->src][a->in]);
                re += (fm61_u128)G[a->out].re * v;
                im += (fm61_u128)G[a->out].im * v;
            }
            loc = fp2_add(loc, fp2_make(fm61_reduce128(re), fm61_reduce128(im)));
        }
#pragma omp critical(gkr_add_sum)
        A = fp2_add(A, loc);
    }
    return A;
}

/* Scatter passes write to random destinations. Each thread owns a
 * contiguous range of destination indices and scans all gates, handling
 * only those that land in its range: no races, no private copies, and the
 * result does not depend on the thread count. */
#define GKR_RANGE(size)                                              \
    int nt_ = gkr_nthreads(), t_ = gkr_tid();                        \
    size_t lo_ = (size) * (size_t)t_ / (size_t)nt_;                  \
    size_t hi_ = (size) * (size_t)(t_ + 1) / (size_t)nt_
#define GKR_MINE(d) ((d) >= lo_ && (d) < hi_)

/* h1(x) = sum_{mul at x} coef G(out) V_ys(y) over layer xsrc (prover). */
static void gkr_build_h1(fp2 *h1, size_t xsize, const gkr_layer *L, const fp2 *G, const gkr_witness *w) {
    memset(h1, 0, xsize * sizeof *h1);
#pragma omp parallel if (L->nmul >= GKR_PAR_MIN)
    {
        GKR_RANGE(xsize);
        for (size_t g = 0; g < L->nmul; g++) {
            const gkr_mul *m = &L->mul[g];
            if (g + GKR_PF < L->nmul && GKR_MINE(m[GKR_PF].x)) {
                GKR_PREFETCHW(&h1[m[GKR_PF].x]);
                GKR_PREFETCH(&w->v[m[GKR_PF].ysrc][m[GKR_PF].y]);
            }
            if (!GKR_MINE(m->x)) continue;
            h1[m->x] = fp2_add(h1[m->x], fp2_mul_fm61(G[m->out], gkr_cv(m->coef, w->v[m->ysrc][m->y])));
        }
    }
}

/* All f_j at once into s->F (prover):
 *   f_j(y) = sum_{mul, ys=j, at y} coef G(out) vu_eqU(x) + rho sum_{add, src=j, at y} coef G(out),
 * where vu_eqU = v_u eq(u, .), read from its half tables (cache-resident;
 * a full table would cost a random memory access per gate). eqU may be
 * NULL when the layer has no mul gates. */
static void gkr_build_f(gkr_scratch *s, size_t total, const gkr_layer *L, const fp2 *G, const mle_eq_halves *eqU,
                        fp2 rho) {
    fp2 *F = s->F;
    const size_t *off = s->off;
    if (total == 0) return; /* no sources (constant gates only); F may be NULL */
    memset(F, 0, total * sizeof *F);
    mle_coef rc = mle_coef_of(rho);
#pragma omp parallel if (L->nmul + L->nadd >= GKR_PAR_MIN)
    {
        GKR_RANGE(total);
        for (size_t g = 0; g < L->nmul; g++) {
            const gkr_mul *m = &L->mul[g];
            if (g + GKR_PF < L->nmul) {
                size_t dp = off[m[GKR_PF].ysrc] + m[GKR_PF].y;
                if (GKR_MINE(dp)) GKR_PREFETCHW(&F[dp]);
            }
            size_t d = off[m->ysrc] + m->y;
            if (!GKR_MINE(d)) continue;
            fp2 e = mle_mul_coef(mle_eq_halves_at(eqU, m->x), mle_coef_of(G[m->out]));
            F[d] = fp2_add(F[d], m->coef == 1 ? e : fp2_mul_fm61(e, m->coef));
        }
        for (size_t g = 0; g < L->nadd; g++) {
            const gkr_add *a = &L->add[g];
            if (g + GKR_PF < L->nadd) {
                size_t dp = off[a[GKR_PF].src] + a[GKR_PF].in;
                if (GKR_MINE(dp)) GKR_PREFETCHW(&F[dp]);
            }
            size_t d = off[a->src] + a->in;
            if (!GKR_MINE(d)) continue;
            fp2 e = mle_mul_coef(G[a->out], rc);
            F[d] = fp2_add(F[d], a->coef == 1 ? e : fp2_mul_fm61(e, a->coef));
        }
    }
}

/* Verifier: for every source j, fm[j] = sum_{mul, ys=j} coef G(out) eq(u,x) eq(v_j,y)
 * and fa[j] = sum_{add, src=j} coef G(out) eq(v_j,in), with src[j] the
 * eq(v_j, .) of source j (nlayers entries, the others unused). One pass
 * over the gates for all sources. */
static void gkr_eval_wiring(fp2 *fm, fp2 *fa, const gkr_layer *L, size_t nlayers, const gkr_eqv *G,
                            const gkr_eqv *eqU, const gkr_eqv *src) {
    for (size_t j = 0; j < nlayers; j++) fm[j] = fa[j] = fp2_zero();
#pragma omp parallel if (L->nmul + L->nadd >= GKR_PAR_MIN)
    {
        fp2 *lm = zk_calloc(nlayers, sizeof *lm), *la = zk_calloc(nlayers, sizeof *la);
#pragma omp for schedule(static) nowait
        for (size_t g = 0; g < L->nmul; g++) {
            const gkr_mul *m = &L->mul[g];
            if (g + GKR_PF < L->nmul) {
                const gkr_eqv *sv = &src[m[GKR_PF].ysrc];
                if (eqU->tab) GKR_PREFETCH(&eqU->tab[m[GKR_PF].x]);
                if (sv->tab) GKR_PREFETCH(&sv->tab[m[GKR_PF].y]);
            }
            fp2 t = fp2_mul(gkr_cg(G, m->out, m->coef), gkr_eqv_at(eqU, m->x));
            lm[m->ysrc] = fp2_add(lm[m->ysrc], fp2_mul(t, gkr_eqv_at(&src[m->ysrc], m->y)));
        }
#pragma omp for schedule(static) nowait
        for (size_t g = 0; g < L->nadd; g++) {
            const gkr_add *a = &L->add[g];
            if (g + GKR_PF < L->nadd) {
                const gkr_eqv *sv = &src[a[GKR_PF].src];
                if (sv->tab) GKR_PREFETCH(&sv->tab[a[GKR_PF].in]);
            }
            la[a->src] = fp2_add(la[a->src], fp2_mul(gkr_cg(G, a->out, a->coef), gkr_eqv_at(&src[a->src], a->in)));
        }
#pragma omp critical(gkr_wiring)
        for (size_t j = 0; j < nlayers; j++) {
            fm[j] = fp2_add(fm[j], lm[j]);
            fa[j] = fp2_add(fa[j], la[j]);
        }
        free(lm);
        free(la);
    }
}

/* ------------------------------------------------------------------ */
/* Prover                                                              */
/* ------------------------------------------------------------------ */

static void gkr_prove_gates(tr_t *tr, gkr_scratch *s, const gkr_circuit *c, const gkr_witness *w, size_t l,
                            gkr_claims *cls) {
    const gkr_layer *L = &c->layers[l];
    fp2 *G = s->G;
    fp2 *alpha = zk_malloc_n(cls[l].n, sizeof *alpha);
    fp2 C = gkr_combine(tr, G, alpha, &cls[l], L->nvars);
    const gkr_eqv Gv = {.tab = G};
    fp2 K = gkr_const_sum(L, &Gv);
    /* 1. the add-gate part of the claim */
    fp2 A = gkr_add_sum(L, G, w);
    tr_put_fp2(tr, "gkr/add_sum", &A, 1);

    /* 2. phase 1 over the left inputs */
    unsigned nx = L->nmul ? c->layers[L->xsrc].nvars : 0;
    fp2 *u = zk_malloc_n(nx + 1, sizeof *u);
    fp2 vu = fp2_zero();
    mle_eq_halves eqU;
    if (L->nmul) {
        size_t xsize = gkr_size(c, L->xsrc);
        gkr_build_h1(s->tb, xsize, L, G, w);
        fp2 fin[2];
        sc_prove_base(tr, u, fin, w->v[L->xsrc], s->ta, s->tb, nx, fp2_sub(fp2_sub(C, K), A));
        vu = fin[0];
        tr_put_fp2(tr, "gkr/vx", &vu, 1);
        const fp2 *up = u;
        mle_eq_halves_init(&eqU, &up, &vu, 1, nx); /* v_u eq(u, .): f_j needs the product */
    }

    /* 3. per-source claims */
    fp2 rho = tr_challenge(tr, "gkr/rho");
    size_t total;
    size_t nsrc = gkr_layout_sources(s, c, l, &total);
    gkr_build_f(s, total, L, G, L->nmul ? &eqU : NULL, rho);
    if (L->nmul) mle_eq_halves_free(&eqU);
    /* c_j = sum_y f_j(y) V_j(y) is g(0) + g(1) of the first round of source
     * j's phase-2 sumcheck: one pass gives both (sums[3k..3k+2]). */
    fp2 *cj = zk_malloc_n(nsrc ? nsrc : 1, sizeof *cj);
    fp2 *sums = zk_malloc_n(3 * (nsrc ? nsrc : 1), sizeof *sums);
    for (size_t j = 0, k = 0; j < l; j++) {
        if (s->off[j] == SIZE_MAX) continue;
        sc_base_sums(sums + 3 * k, w->v[j], s->F + s->off[j], c->layers[j].nvars);
        cj[k] = fp2_add(sums[3 * k], sums[3 * k + 1]);
        k++;
    }
    tr_put_fp2(tr, "gkr/src_claims", cj, nsrc);

    /* 4. phase 2, one sumcheck per source layer */
    for (size_t j = 0, k = 0; j < l; j++) {
        if (s->off[j] == SIZE_MAX) continue;
        unsigned nj = c->layers[j].nvars;
        fp2 fin[2];
        fp2 *v = zk_malloc_n(nj + 1, sizeof *v);
        sc_prove_base_sums(tr, v, fin, w->v[j], s->ta, s->F + s->off[j], nj, sums + 3 * k++);
        tr_put_fp2(tr, "gkr/vy", &fin[0], 1);
        gkr_claim_push(&cls[j], v, nj, fin[0]);
        free(v);
    }
    if (L->nmul) gkr_claim_push(&cls[L->xsrc], u, nx, vu);
    free(sums);
    free(cj);
    free(u);
    free(alpha);
}

/* Committed input layer: reduce the claims to one point, then open. */
static void gkr_prove_committed(tr_t *tr, gkr_scratch *s, const gkr_circuit *c, const gkr_witness *w, size_t l,
                                gkr_claims *cl, const pcs_scheme *pcs, const pcs_state *st) {
    unsigned n = c->layers[l].nvars;
    if (cl->n == 1) {
        pcs->open(tr, st, cl->c[0].pt);
        return;
    }
    fp2 *alpha = zk_malloc_n(cl->n, sizeof *alpha);
    fp2 C = gkr_combine(tr, s->G, alpha, cl, n);
    fp2 fin[2];
    fp2 *z = zk_malloc_n(n, sizeof *z);
    sc_prove_base(tr, z, fin, w->v[l], s->tb, s->G, n, C);
    tr_put_fp2(tr, "gkr/vin", &fin[0], 1);
    pcs->open(tr, st, z);
    free(z);
    free(alpha);
}

void gkr_prove(tr_t *tr, const gkr_circuit *c, const gkr_witness *w, const pcs_scheme *pcs) {
    ZK_CHECK(w->nlayers == c->nlayers);
    size_t L = c->nlayers;
    tr_absorb(tr, "gkr/circuit", c->digest, sizeof c->digest);
    for (size_t l = 0; l < L; l++)
        if (c->layers[l].kind == GKR_INPUT_PUBLIC) tr_absorb_fm61(tr, "gkr/public", w->v[l], gkr_size(c, l));
    /* the scratch pad first: the big allocations then come in the same
     * order in every proof, and the heap serves them from the same memory */
    gkr_scratch s;
    gkr_scratch_init(&s, c);
    pcs_state **st = zk_calloc(L, sizeof *st);
    for (size_t l = 0; l < L; l++)
        if (c->layers[l].kind == GKR_INPUT_COMMITTED) st[l] = pcs->commit(tr, w->v[l], c->layers[l].nvars);

    const gkr_layer *out = gkr_output_layer(c);
    tr_put_fm61(tr, "gkr/output", w->v[L - 1], gkr_size(c, L - 1));
    fp2 *r0 = zk_malloc_n(out->nvars + 1, sizeof *r0);
    tr_challenges(tr, "gkr/r0", r0, out->nvars);
    gkr_claims *cls = zk_calloc(L, sizeof *cls);
    /* V_out(r0), as mle_eval_fm61, folding in the scratch pad */
    fp2 v0 = fp2_from_fm61(w->v[L - 1][0]);
    if (out->nvars) {
        size_t h = gkr_size(c, L - 1) / 2;
        mle_fold_fm61(s.ta, w->v[L - 1], h, r0[out->nvars - 1]);
        for (unsigned j = out->nvars - 1; j-- > 0;) mle_fold(s.ta, h >>= 1, r0[j]);
        v0 = s.ta[0];
    }
    gkr_claim_push(&cls[L - 1], r0, out->nvars, v0);
    free(r0);

    for (size_t l = L; l-- > 0;) {
        if (cls[l].n == 0) continue;
        switch (c->layers[l].kind) {
        case GKR_GATES: gkr_prove_gates(tr, &s, c, w, l, cls); break;
        case GKR_INPUT_COMMITTED: gkr_prove_committed(tr, &s, c, w, l, &cls[l], pcs, st[l]); break;
        case GKR_INPUT_PUBLIC: break; /* the verifier evaluates these itself */
        }
    }
    gkr_scratch_free(&s);
    for (size_t l = 0; l < L; l++) pcs->state_free(st[l]);
    free(st);
    gkr_claims_free(cls, L);
}

/* ------------------------------------------------------------------ */
/* Verifier                                                            */
/* ------------------------------------------------------------------ */

#define GKR_FAIL(err, ...)              \
    do {                                \
        zk_set_reason(__VA_ARGS__);     \
        e = (err);                      \
        goto done;                      \
    } while (0)

/* Re-prefix a reason set by a sub-protocol with the layer it belongs to. */
static void gkr_reason_prefix(size_t l, const char *what) {
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", zk_reason());
    zk_set_reason("layer %zu: %s: %s", l, what, tmp);
}

static zk_err gkr_verify_gates(tr_t *tr, gkr_scratch *s, const gkr_circuit *c, size_t l, gkr_claims *cls) {
    const gkr_layer *L = &c->layers[l];
    zk_err e = ZK_OK;
    fp2 *G = s->G;
    fp2 *alpha = zk_malloc_n(cls[l].n, sizeof *alpha);
    unsigned nx = L->nmul ? c->layers[L->xsrc].nvars : 0;
    fp2 *u = zk_malloc_n(nx + 1, sizeof *u);
    fp2 *cj = NULL, *red = NULL, *wv = NULL, *fm = NULL, *fa = NULL;
    fp2 **pts = NULL;
    gkr_eqv *srcv = NULL;
    size_t nsrc = 0;

    /* G in full, or at the gate outputs only (gkr_scratch) */
    const fp2 **cpts = zk_malloc_n(cls[l].n, sizeof *cpts);
    for (size_t k = 0; k < cls[l].n; k++) cpts[k] = cls[l].c[k].pt;
    int gtab = gkr_use_table(L->nvars, L->nmul + L->nadd + L->ncst);
    fp2 C = gkr_combine(tr, gtab ? G : NULL, alpha, &cls[l], L->nvars);
    const gkr_eqv Gv = {.tab = gtab ? G : NULL, .pts = cpts, .w = alpha, .m = cls[l].n, .n = L->nvars};
    fp2 K = gkr_const_sum(L, &Gv);
    const fp2 *up = u;
    gkr_eqv Uv = {.tab = NULL, .pts = &up, .w = NULL, .m = 1, .n = nx};
    fp2 A;
    if (tr_get_fp2(tr, "gkr/add_sum", &A, 1) != ZK_OK) GKR_FAIL(ZK_EFORMAT, "layer %zu: truncated add-gate sum", l);

    /* phase 1 */
    fp2 e1 = fp2_zero(), vu = fp2_zero();
    fp2 rest = fp2_sub(fp2_sub(C, K), A);
    if (L->nmul) {
        e1 = rest;
        zk_err se = sc_verify(tr, u, &e1, 2, nx);
        if (se != ZK_OK) {
            gkr_reason_prefix(l, "phase-1 sumcheck");
            e = se;
            goto done;
        }
        if (tr_get_fp2(tr, "gkr/vx", &vu, 1) != ZK_OK) GKR_FAIL(ZK_EFORMAT, "layer %zu: truncated V(u)", l);
        if (gkr_use_table(nx, L->nmul)) {
            mle_eq_table(s->eq, u, nx);
            Uv.tab = s->eq;
        }
    } else if (!fp2_is_zero(rest)) {
        GKR_FAIL(ZK_EPROOF, "layer %zu: add and constant gates do not match the claim", l);
    }

    /* per-source claims must add up to e1 + rho A */
    fp2 rho = tr_challenge(tr, "gkr/rho");
    size_t total;
    nsrc = gkr_layout_sources(s, c, l, &total);
    cj = zk_malloc_n(nsrc ? nsrc : 1, sizeof *cj);
    if (tr_get_fp2(tr, "gkr/src_claims", cj, nsrc) != ZK_OK)
        GKR_FAIL(ZK_EFORMAT, "layer %zu: truncated source claims", l);
    fp2 sum = fp2_zero();
    for (size_t k = 0; k < nsrc; k++) sum = fp2_add(sum, cj[k]);
    if (!fp2_eq(sum, fp2_add(e1, fp2_mul(rho, A))))
        GKR_FAIL(ZK_EPROOF, "layer %zu: source claims do not add up to the phase-1 claim", l);

    /* phase 2: all sumchecks first, then one pass over the wiring */
    red = zk_malloc_n(nsrc ? nsrc : 1, sizeof *red);
    wv = zk_malloc_n(nsrc ? nsrc : 1, sizeof *wv);
    pts = zk_calloc(nsrc ? nsrc : 1, sizeof *pts);
    srcv = zk_calloc(l ? l : 1, sizeof *srcv);
    for (size_t j = 0, k = 0; j < l; j++) {
        if (s->off[j] == SIZE_MAX) continue;
        unsigned nj = c->layers[j].nvars;
        pts[k] = zk_malloc_n(nj + 1, sizeof *pts[k]);
        red[k] = cj[k];
        zk_err se = sc_verify(tr, pts[k], &red[k], 2, nj);
        if (se != ZK_OK) {
            char what[64];
            snprintf(what, sizeof what, "phase-2 sumcheck (source layer %zu)", j);
            gkr_reason_prefix(l, what);
            e = se;
            goto done;
        }
        if (tr_get_fp2(tr, "gkr/vy", &wv[k], 1) != ZK_OK) GKR_FAIL(ZK_EFORMAT, "layer %zu: truncated V(v)", l);
        srcv[j] = (gkr_eqv){.tab = NULL, .pts = (const fp2 *const *)&pts[k], .w = NULL, .m = 1, .n = nj};
        if (s->off[j] != GKR_OFF_POINT) {
            mle_eq_table(s->F + s->off[j], pts[k], nj);
            srcv[j].tab = s->F + s->off[j];
        }
        k++;
    }
    fm = zk_malloc_n(l, sizeof *fm);
    fa = zk_malloc_n(l, sizeof *fa);
    gkr_eval_wiring(fm, fa, L, l, &Gv, &Uv, srcv);
    for (size_t j = 0, k = 0; j < l; j++) {
        if (s->off[j] == SIZE_MAX) continue;
        /* f_j(v_j) = v_u fm_j + rho fa_j; the reduced claim must be f_j(v_j) V_j(v_j) */
        fp2 fv = fp2_add(fp2_mul(vu, fm[j]), fp2_mul(rho, fa[j]));
        if (!fp2_eq(red[k], fp2_mul(fv, wv[k])))
            GKR_FAIL(ZK_EPROOF, "layer %zu: phase-2 final check failed (source layer %zu)", l, j);
        k++;
    }
    for (size_t j = 0, k = 0; j < l; j++) {
        if (s->off[j] == SIZE_MAX) continue;
        gkr_claim_push(&cls[j], pts[k], c->layers[j].nvars, wv[k]);
        k++;
    }
    if (L->nmul) gkr_claim_push(&cls[L->xsrc], u, nx, vu);

done:
    if (pts)
        for (size_t k = 0; k < nsrc; k++) free(pts[k]);
    free(pts);
    free(srcv);
    free(cpts);
    free(fm);
    free(fa);
    free(wv);
    free(red);
    free(cj);
    free(u);
    free(alpha);
    return e;
}

static zk_err gkr_verify_committed(tr_t *tr, const gkr_circuit *c, size_t l, const gkr_claims *cl,
                                   const pcs_scheme *pcs, const pcs_commitment *cm) {
    unsigned n = c->layers[l].nvars;
    zk_err e;
    if (cl->n == 1) {
        e = pcs->verify(tr, cm, cl->c[0].pt, cl->c[0].val);
        if (e != ZK_OK) gkr_reason_prefix(l, "commitment opening");
        return e;
    }
    fp2 *alpha = zk_malloc_n(cl->n, sizeof *alpha);
    fp2 *z = zk_malloc_n(n, sizeof *z);
    fp2 claim = gkr_combine(tr, NULL, alpha, cl, n);
    e = sc_verify(tr, z, &claim, 2, n);
    if (e != ZK_OK) {
        gkr_reason_prefix(l, "input claim-reduction sumcheck");
        goto done;
    }
    fp2 vin;
    if (tr_get_fp2(tr, "gkr/vin", &vin, 1) != ZK_OK) GKR_FAIL(ZK_EFORMAT, "layer %zu: truncated input value", l);
    fp2 Gz = fp2_zero();
    for (size_t k = 0; k < cl->n; k++) Gz = fp2_add(Gz, fp2_mul(alpha[k], mle_eq_eval(cl->c[k].pt, z, n)));
    if (!fp2_eq(claim, fp2_mul(Gz, vin)))
        GKR_FAIL(ZK_EPROOF, "layer %zu: input claim-reduction final check failed", l);
    e = pcs->verify(tr, cm, z, vin);
    if (e != ZK_OK) gkr_reason_prefix(l, "commitment opening");
done:
    free(z);
    free(alpha);
    return e;
}

zk_err gkr_verify(tr_t *tr, fm61 *outputs, const gkr_circuit *c, const fm61 *const *public, const pcs_scheme *pcs) {
    return gkr_verify_statement(tr, outputs, NULL, c, public, pcs);
}

zk_err gkr_verify_statement(tr_t *tr, fm61 *outputs, pcs_commitment *commitments, const gkr_circuit *c,
                            const fm61 *const *public, const pcs_scheme *pcs) {
    size_t L = c->nlayers;
    zk_err e = ZK_OK;
    const gkr_layer *out = gkr_output_layer(c);
    size_t osize = gkr_size(c, L - 1);
    fm61 *ov = NULL;
    fp2 *r0 = zk_malloc_n(out->nvars + 1, sizeof *r0);
    pcs_commitment *cm = zk_calloc(L, sizeof *cm);
    gkr_claims *cls = zk_calloc(L, sizeof *cls);
    gkr_scratch s;
    memset(&s, 0, sizeof s);

    tr_absorb(tr, "gkr/circuit", c->digest, sizeof c->digest);
    for (size_t l = 0; l < L; l++)
        if (c->layers[l].kind == GKR_INPUT_PUBLIC) tr_absorb_fm61(tr, "gkr/public", public[l], gkr_size(c, l));
    for (size_t l = 0; l < L; l++) {
        if (c->layers[l].kind != GKR_INPUT_COMMITTED) continue;
        e = pcs->read_commitment(tr, &cm[l], c->layers[l].nvars);
        if (e != ZK_OK) {
            gkr_reason_prefix(l, "commitment");
            goto done;
        }
    }
    /* nothing sized by the circuit is allocated before the proof has shown
     * it is long enough to hold the outputs */
    if (osize > tr_left(tr) / 8) GKR_FAIL(ZK_EFORMAT, "proof too short for the circuit's %zu outputs", osize);
    ov = zk_malloc_n(osize, sizeof *ov);
    if (tr_get_fm61(tr, "gkr/output", ov, osize) != ZK_OK) GKR_FAIL(ZK_EFORMAT, "truncated or non-canonical outputs");
    tr_challenges(tr, "gkr/r0", r0, out->nvars);
    e = gkr_vscratch_init(&s, c);
    if (e != ZK_OK) goto done;
    gkr_claim_push(&cls[L - 1], r0, out->nvars, gkr_eval_fm61(ov, out->nvars, r0));

    for (size_t l = L; l-- > 0;) {
        if (cls[l].n == 0) continue;
        switch (c->layers[l].kind) {
        case GKR_GATES: e = gkr_verify_gates(tr, &s, c, l, cls); break;
        case GKR_INPUT_COMMITTED: e = gkr_verify_committed(tr, c, l, &cls[l], pcs, &cm[l]); break;
        case GKR_INPUT_PUBLIC:
            for (size_t k = 0; k < cls[l].n && e == ZK_OK; k++)
                if (!fp2_eq(gkr_eval_fm61(public[l], c->layers[l].nvars, cls[l].c[k].pt), cls[l].c[k].val)) {
                    zk_set_reason("layer %zu: claim on the public input does not match it", l);
                    e = ZK_EPROOF;
                }
            break;
        }
        if (e != ZK_OK) goto done;
    }
    if (outputs) memcpy(outputs, ov, osize * sizeof *ov);
    if (commitments) memcpy(commitments, cm, L * sizeof *cm);
done:
    gkr_scratch_free(&s);
    gkr_claims_free(cls, L);
    free(cm);
    free(r0);
    free(ov);
    return e;
}
