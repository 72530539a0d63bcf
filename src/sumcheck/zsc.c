#include "zsc.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <string.h>

#include "../poly/mle.h"

size_t zsc_mask_ncoef(unsigned n, unsigned d) { return (size_t)n * d + 1; }

size_t zsc_mask_ncoef_deg(unsigned n, const unsigned *deg) {
    size_t k = 1;
    for (unsigned v = 0; v < n; v++) k += deg[v];
    return k;
}

/* A uniform element of F_p: 61 bits of the rng or of RAND_bytes, drawn
 * again on the single value p. */
static fm61 zsc_random_fm61(zk_rng *rng) {
    for (;;) {
        uint64_t v;
        if (rng) {
            v = zk_rng_u64(rng);
        } else {
            uint8_t b[8];
            ZK_CHECK(RAND_bytes(b, (int)sizeof b) == 1);
            v = zk_load_le64(b);
        }
        v &= FM61_P;
        if (v < FM61_P) return v;
    }
}

void zsc_random_cells(fm61 *out, size_t len, zk_rng *rng) {
    if (rng) {
        for (size_t i = 0; i < len; i++) out[i] = zsc_random_fm61(rng);
        return;
    }
    /* OpenSSL's generator in blocks (one call per cell cost more than the
     * commitment of a small table); a masked value equal to p, probability
     * 2^-61, is drawn again */
    uint8_t b[4096];
    for (size_t i = 0; i < len;) {
        size_t n = len - i < sizeof b / 8 ? len - i : sizeof b / 8;
        ZK_CHECK(RAND_bytes(b, (int)(8 * n)) == 1);
        for (size_t j = 0; j < n; j++, i++) {
            uint64_t v = zk_load_le64(b + 8 * j) & FM61_P;
            out[i] = v < FM61_P ? v : zsc_random_fm61(NULL);
        }
    }
    OPENSSL_cleanse(b, sizeof b);
}

/* The degree of variable v of a claim, or of the degree vector deg (NULL:
 * d everywhere). */
static unsigned zsc_deg_at(const unsigned *deg, unsigned d, unsigned v) { return deg ? deg[v] : d; }

/* The mask of n variables, variable v of degree zsc_deg_at(deg, d, v), its
 * coefficients from the cells (2 per coefficient). */
static zsc_mask *zsc_mask_make(unsigned n, unsigned d, const unsigned *deg, const fm61 *cells) {
    ZK_CHECK(n <= ZSC_MAX_VARS && (n == 0 || deg || d));
    zsc_mask *m = zk_calloc(1, sizeof *m);
    m->n = n;
    m->d = deg ? (n ? deg[0] : 0) : d; /* made 0 below if the degrees differ */
    m->deg = zk_malloc_n(n, sizeof *m->deg);
    m->first = zk_malloc_n(n, sizeof *m->first);
    size_t nc = 1;
    for (unsigned v = 0; v < n; v++) {
        unsigned dv = zsc_deg_at(deg, d, v);
        ZK_CHECK(dv >= 1 && dv <= ZSC_MAX_DEGREE);
        if (dv != m->d) m->d = 0;
        m->deg[v] = dv;
        m->first[v] = nc;
        nc += dv;
    }
    m->c = zk_malloc_n(nc, sizeof *m->c);
    for (size_t i = 0; i < nc; i++) {
        ZK_CHECK(fm61_is_canonical(cells[2 * i]) && fm61_is_canonical(cells[2 * i + 1]));
        m->c[i] = fp2_make(cells[2 * i], cells[2 * i + 1]);
    }
    return m;
}

zsc_mask *zsc_mask_from_cells(unsigned n, unsigned d, const fm61 *cells) {
    ZK_CHECK(d >= 1 && d <= ZSC_MAX_DEGREE);
    return zsc_mask_make(n, d, NULL, cells);
}

zsc_mask *zsc_mask_from_cells_deg(unsigned n, const unsigned *deg, const fm61 *cells) {
    return zsc_mask_make(n, 0, deg, cells);
}

/* A mask of fresh uniform cells (2 (1 + sum of the degrees) of them). */
static zsc_mask *zsc_mask_fresh(unsigned n, unsigned d, const unsigned *deg, zk_rng *rng) {
    size_t nc = 2 * (deg ? zsc_mask_ncoef_deg(n, deg) : zsc_mask_ncoef(n, d));
    fm61 *cells = zk_malloc_n(nc, sizeof *cells);
    zsc_random_cells(cells, nc, rng);
    zsc_mask *m = zsc_mask_make(n, d, deg, cells);
    OPENSSL_cleanse(cells, nc * sizeof *cells);
    free(cells);
    return m;
}

zsc_mask *zsc_mask_new(unsigned n, unsigned d, zk_rng *rng) {
    ZK_CHECK(d >= 1 && d <= ZSC_MAX_DEGREE);
    return zsc_mask_fresh(n, d, NULL, rng);
}

zsc_mask *zsc_mask_new_deg(unsigned n, const unsigned *deg, zk_rng *rng) {
    ZK_CHECK(n == 0 || deg);
    return zsc_mask_fresh(n, 0, deg, rng);
}

/* 1 + sum of the mask's degrees */
static size_t zsc_ncoef_of(const zsc_mask *m) { return zsc_mask_ncoef_deg(m->n, m->deg); }

void zsc_mask_free(zsc_mask *m) {
    if (!m) return;
    OPENSSL_cleanse(m->c, zsc_ncoef_of(m) * sizeof *m->c); /* a mask must not outlive its proof */
    free(m->c);
    free(m->first);
    free(m->deg);
    free(m);
}

void zsc_mask_cells(fm61 *out, const zsc_mask *m) {
    for (size_t k = 0; k < zsc_ncoef_of(m); k++) {
        out[2 * k] = m->c[k].re;
        out[2 * k + 1] = m->c[k].im;
    }
}

/* g_v(X) = sum_{j=1..d_v} c_{v,j} X^j (Horner). */
static fp2 zsc_uni(const zsc_mask *m, unsigned v, fp2 X) {
    const fp2 *c = m->c + m->first[v];
    fp2 acc = fp2_zero();
    for (unsigned j = m->deg[v]; j >= 1; j--) acc = fp2_mul(fp2_add(acc, c[j - 1]), X);
    return acc;
}

/* g_v(1) = sum_j c_{v,j} */
static fp2 zsc_uni1(const zsc_mask *m, unsigned v) {
    const fp2 *c = m->c + m->first[v];
    fp2 s = fp2_zero();
    for (unsigned j = 0; j < m->deg[v]; j++) s = fp2_add(s, c[j]);
    return s;
}

static fm61 zsc_pow2(unsigned e) { return fm61_reduce64((uint64_t)1 << e); } /* e <= 63 */

fp2 zsc_mask_sum(const zsc_mask *m) {
    fp2 s = fp2_mul_fm61(m->c[0], zsc_pow2(m->n));
    if (m->n == 0) return s;
    fp2 t = fp2_zero();
    for (unsigned v = 0; v < m->n; v++) t = fp2_add(t, zsc_uni1(m, v));
    return fp2_add(s, fp2_mul_fm61(t, zsc_pow2(m->n - 1)));
}

fp2 zsc_mask_eval(const zsc_mask *m, const fp2 *r) {
    fp2 s = m->c[0];
    for (unsigned v = 0; v < m->n; v++) s = fp2_add(s, zsc_uni(m, v, r[v]));
    return s;
}

void zsc_mask_round(fp2 *out, const zsc_mask *m, unsigned v, const fp2 *point) {
    ZK_CHECK(v < m->n);
    fp2 base = m->c[0], low = fp2_zero();
    for (unsigned u = v + 1; u < m->n; u++) base = fp2_add(base, zsc_uni(m, u, point[u]));
    for (unsigned u = 0; u < v; u++) low = fp2_add(low, zsc_uni1(m, u));
    fm61 pv = zsc_pow2(v);
    fp2 rest = v ? fp2_mul_fm61(low, zsc_pow2(v - 1)) : fp2_zero();
    for (unsigned X = 0; X <= m->deg[v]; X++) {
        fp2 gx = fp2_add(base, zsc_uni(m, v, fp2_from_fm61(X)));
        out[X] = fp2_add(fp2_mul_fm61(gx, pv), rest);
    }
}

/* A challenge outside {0} (or {0, -1} with not_m1): drawn again under the
 * same label, on both sides alike. */
static fp2 zsc_draw(tr_t *tr, const char *label, int not_m1) {
    fp2 m1 = fp2_neg(fp2_one());
    for (;;) {
        fp2 x = tr_challenge(tr, label);
        if (!fp2_is_zero(x) && !(not_m1 && fp2_eq(x, m1))) return x;
    }
}

/* The step of zsc_rounds: the inner step's g(0), g(2..deg_v), plus rho
 * times the mask's round values (degree deg_v = the mask's in variable v);
 * point holds the variables bound so far. */
typedef struct {
    const zsc_mask *m;
    fp2 rho;
    const fp2 *point;
    sc_step_fn step;
    void *ctx;
} zsc_wrap;

static void zsc_step(void *ctx, fp2 *g, size_t h, const fp2 *r) {
    zsc_wrap *w = ctx;
    w->step(w->ctx, g, h, r);
    if (!h) return;
    unsigned v = (unsigned)__builtin_ctzll((unsigned long long)h); /* h = 2^v */
    fp2 mv[ZSC_MAX_DEGREE + 1];
    zsc_mask_round(mv, w->m, v, w->point);
    for (unsigned X = 0; X <= w->m->deg[v]; X++)
        if (X != 1) g[X] = fp2_add(g[X], fp2_mul(w->rho, mv[X]));
}

/* zsc_rounds (degv NULL: degree d in every round) and zsc_rounds_deg. */
static fp2 zsc_rounds_impl(tr_t *tr, fp2 *point, fp2 *gr, const zsc_mask *mask, unsigned n, unsigned d,
                           const unsigned *degv, fp2 claim, sc_step_fn step, void *ctx) {
    ZK_CHECK(mask->n == n);
    for (unsigned v = 0; v < n; v++) ZK_CHECK(mask->deg[v] == zsc_deg_at(degv, d, v));
    fp2 G = zsc_mask_sum(mask);
    tr_put_fp2(tr, "zsc/G", &G, 1);
    fp2 rho = zsc_draw(tr, "zsc/rho", 0);
    zsc_wrap w = {.m = mask, .rho = rho, .point = point, .step = step, .ctx = ctx};
    fp2 c0 = fp2_add(claim, fp2_mul(rho, G));
    fp2 c = degv ? sc_rounds_deg(tr, point, n, degv, c0, zsc_step, &w) : sc_rounds(tr, point, n, d, c0, zsc_step, &w);
    *gr = zsc_mask_eval(mask, point);
    tr_put_fp2(tr, "zsc/gr", gr, 1);
    return fp2_sub(c, fp2_mul(rho, *gr));
}

fp2 zsc_rounds(tr_t *tr, fp2 *point, fp2 *gr, const zsc_mask *mask, unsigned n, unsigned deg, fp2 claim,
               sc_step_fn step, void *ctx) {
    if (!mask) return sc_rounds(tr, point, n, deg, claim, step, ctx);
    return zsc_rounds_impl(tr, point, gr, mask, n, deg, NULL, claim, step, ctx);
}

fp2 zsc_rounds_deg(tr_t *tr, fp2 *point, fp2 *gr, const zsc_mask *mask, unsigned n, const unsigned *deg, fp2 claim,
                   sc_step_fn step, void *ctx) {
    if (!mask) return sc_rounds_deg(tr, point, n, deg, claim, step, ctx);
    ZK_CHECK(n == 0 || deg);
    return zsc_rounds_impl(tr, point, gr, mask, n, 0, deg, claim, step, ctx);
}

/* zsc_verify (degv NULL: degree d in every round) and zsc_verify_deg. */
static zk_err zsc_verify_impl(tr_t *tr, fp2 *point, fp2 *claim, fp2 *gr, unsigned d, const unsigned *degv,
                              unsigned n) {
    fp2 G, v;
    if (tr_get_fp2(tr, "zsc/G", &G, 1) != ZK_OK) {
        zk_set_reason("zk sumcheck: truncated or non-canonical mask sum");
        return ZK_EFORMAT;
    }
    fp2 rho = zsc_draw(tr, "zsc/rho", 0), c = fp2_add(*claim, fp2_mul(rho, G));
    zk_err e = degv ? sc_verify_deg(tr, point, &c, degv, n) : sc_verify(tr, point, &c, d, n);
    if (e != ZK_OK) return e;
    if (tr_get_fp2(tr, "zsc/gr", &v, 1) != ZK_OK) {
        zk_set_reason("zk sumcheck: truncated or non-canonical mask value");
        return ZK_EFORMAT;
    }
    *gr = v;
    *claim = fp2_sub(c, fp2_mul(rho, v));
    return ZK_OK;
}

zk_err zsc_verify(tr_t *tr, fp2 *point, fp2 *claim, fp2 *gr, unsigned deg, unsigned n) {
    return zsc_verify_impl(tr, point, claim, gr, deg, NULL, n);
}

zk_err zsc_verify_deg(tr_t *tr, fp2 *point, fp2 *claim, fp2 *gr, const unsigned *deg, unsigned n) {
    ZK_CHECK(n == 0 || deg);
    return zsc_verify_impl(tr, point, claim, gr, 0, deg, n);
}

/* ---- the batch: sum_k (C^ + rho' D^)(k) V(k) ---- */

/* 1 + the sum of a claim's degrees */
static size_t zsc_claim_ncoef(const zsc_claim *a) {
    return a->deg ? zsc_mask_ncoef_deg(a->n, a->deg) : zsc_mask_ncoef(a->n, a->d);
}

/* Whether every degree of a claim is in 1..ZSC_MAX_DEGREE (n <= ZSC_MAX_VARS). */
static int zsc_claim_degs_ok(const zsc_claim *a) {
    if (!a->deg) return a->d >= 1 && a->d <= ZSC_MAX_DEGREE;
    for (unsigned v = 0; v < a->n; v++)
        if (a->deg[v] < 1 || a->deg[v] > ZSC_MAX_DEGREE) return 0;
    return 1;
}

int zsc_layout_ok(const zsc_claim *claims, size_t nclaims, unsigned mc) {
    if (mc < 1 || mc > ZSC_MAX_VARS + 1) return 0;
    size_t N = (size_t)1 << mc;
    for (size_t s = 0; s < nclaims; s++) {
        const zsc_claim *a = &claims[s];
        if (a->nw) {
            if (!a->wi || !a->ww) return 0;
            for (size_t k = 0; k < a->nw; k++)
                if (a->wi[k] >= N / 2) return 0;
            continue;
        }
        if (a->n > ZSC_MAX_VARS || !zsc_claim_degs_ok(a) || a->off % 2 || (a->n && !a->point)) return 0;
        size_t len = 2 * zsc_claim_ncoef(a);
        if (a->off > N || len > N - a->off) return 0;
        for (size_t u = 0; u < s; u++) {
            const zsc_claim *b = &claims[u];
            if (b->nw) continue;
            size_t lb = 2 * zsc_claim_ncoef(b);
            if (a->off < b->off + lb && b->off < a->off + len) return 0;
        }
    }
    return 1;
}

/* w_k of one mask at its point: w_0 = 1, then r_v^1..r_v^{d_v} for each v
 * in turn (w_{1 + v d + j - 1} = r_v^j for a uniform mask). */
static void zsc_weights_one(fp2 *w, const zsc_claim *a) {
    w[0] = fp2_one();
    size_t k = 1;
    for (unsigned v = 0; v < a->n; v++) {
        fp2 p = fp2_one();
        for (unsigned j = 1; j <= zsc_deg_at(a->deg, a->d, v); j++) {
            p = fp2_mul(p, a->point[v]);
            w[k++] = p;
        }
    }
}

void zsc_ip_weights(fp2 *V, const zsc_claim *claims, size_t nclaims, const fp2 *lambda, unsigned mc) {
    size_t Nh = (size_t)1 << (mc - 1);
    for (size_t k = 0; k < Nh; k++) V[k] = fp2_zero();
    for (size_t s = 0; s < nclaims; s++) {
        const zsc_claim *a = &claims[s];
        if (a->nw) {
            for (size_t k = 0; k < a->nw; k++) V[a->wi[k]] = fp2_add(V[a->wi[k]], fp2_mul(lambda[s], a->ww[k]));
            continue;
        }
        size_t nc = zsc_claim_ncoef(a);
        fp2 *w = zk_malloc_n(nc, sizeof *w);
        zsc_weights_one(w, a);
        for (size_t k = 0; k < nc; k++) V[a->off / 2 + k] = fp2_add(V[a->off / 2 + k], fp2_mul(lambda[s], w[k]));
        free(w);
    }
}

fp2 zsc_ip_weights_eval(const zsc_claim *claims, size_t nclaims, const fp2 *lambda, const fp2 *z, unsigned mc) {
    /* eq(idx, z) = lo[idx mod 2^h] hi[idx >> h]: two tables of 2^(mv/2)
     * entries, one product per coefficient (instead of mv) */
    unsigned mv = mc - 1, h = mv / 2;
    fp2 *lo = zk_aligned_n((size_t)1 << h, sizeof *lo), *hi = zk_aligned_n((size_t)1 << (mv - h), sizeof *hi);
    mle_eq_table(lo, z, h);
    mle_eq_table(hi, z + h, mv - h);
    fp2 acc = fp2_zero();
    for (size_t s = 0; s < nclaims; s++) {
        const zsc_claim *a = &claims[s];
        size_t nc = a->nw ? a->nw : zsc_claim_ncoef(a);
        fp2 *w = zk_malloc_n(nc, sizeof *w), sum = fp2_zero();
        if (a->nw) memcpy(w, a->ww, nc * sizeof *w);
        else zsc_weights_one(w, a);
        for (size_t k = 0; k < nc; k++) {
            size_t idx = a->nw ? a->wi[k] : a->off / 2 + k;
            ZK_CHECK(idx >> mv == 0);
            fp2 e = fp2_mul(lo[idx & (((size_t)1 << h) - 1)], hi[idx >> h]);
            sum = fp2_add(sum, fp2_mul(w[k], e));
        }
        acc = fp2_add(acc, fp2_mul(lambda[s], sum));
        free(w);
    }
    free(lo);
    free(hi);
    return acc;
}

fp2 zsc_ip_x0(void) {
    /* i / (1 + i) = i (1 - i) / 2 = (1 + i) / 2 */
    fm61 half = fm61_inv(2);
    return fp2_make(half, half);
}

/* (1 + i)(1 + rho') */
static fp2 zsc_ip_scale(fp2 rho) { return fp2_mul(fp2_make(1, 1), fp2_add(fp2_one(), rho)); }

/* (x0, z, t) */
static void zsc_ip_point(fp2 *tpoint, const fp2 *z, unsigned mc, fp2 rho) {
    tpoint[0] = zsc_ip_x0();
    for (unsigned j = 0; j + 1 < mc; j++) tpoint[1 + j] = z[j];
    tpoint[mc] = fp2_mul(rho, fp2_inv(fp2_add(fp2_one(), rho)));
}

/* lambda_s and H' = sum_s lambda_s g_s(r_s); lambda: caller's, nclaims entries. */
static fp2 zsc_ip_lambdas(tr_t *tr, fp2 *lambda, const zsc_claim *claims, size_t nclaims) {
    tr_challenges(tr, "zsc/ip/lambda", lambda, nclaims);
    fp2 H = fp2_zero();
    for (size_t s = 0; s < nclaims; s++) H = fp2_add(H, fp2_mul(lambda[s], claims[s].value));
    return H;
}

void zsc_ip_prove(tr_t *tr, fp2 *tpoint, fp2 *eval, const fm61 *T, unsigned mc, const zsc_claim *claims,
                  size_t nclaims) {
    ZK_CHECK(zsc_layout_ok(claims, nclaims, mc));
    size_t N = (size_t)1 << mc, Nh = N / 2;
    fp2 *lambda = zk_malloc_n(nclaims ? nclaims : 1, sizeof *lambda);
    fp2 H = zsc_ip_lambdas(tr, lambda, claims, nclaims);
    fp2 *V = zk_aligned_n(Nh, sizeof *V), *W = zk_aligned_n(Nh, sizeof *W);
    zsc_ip_weights(V, claims, nclaims, lambda, mc);
    fp2 G = fp2_zero();
    for (size_t k = 0; k < Nh; k++) G = fp2_add(G, fp2_mul(fp2_make(T[N + 2 * k], T[N + 2 * k + 1]), V[k]));
    tr_put_fp2(tr, "zsc/ip/G", &G, 1);
    fp2 rho = zsc_draw(tr, "zsc/ip/rho", 1);
    for (size_t k = 0; k < Nh; k++)
        W[k] = fp2_add(fp2_make(T[2 * k], T[2 * k + 1]), fp2_mul(rho, fp2_make(T[N + 2 * k], T[N + 2 * k + 1])));
    fp2 z[ZSC_MAX_VARS + 2], fin[2], *tabs[2] = {W, V};
    sc_prove(tr, z, fin, tabs, 2, mc - 1, fp2_add(H, fp2_mul(rho, G)));
    *eval = fp2_mul(fin[0], fp2_inv(zsc_ip_scale(rho)));
    tr_put_fp2(tr, "zsc/ip/eval", eval, 1);
    zsc_ip_point(tpoint, z, mc, rho);
    OPENSSL_cleanse(W, Nh * sizeof *W); /* C + rho' D, folded: the masks */
    free(W);
    free(V);
    free(lambda);
}

zk_err zsc_ip_verify(tr_t *tr, fp2 *tpoint, fp2 *eval, unsigned mc, const zsc_claim *claims, size_t nclaims) {
    if (!zsc_layout_ok(claims, nclaims, mc)) {
        zk_set_reason("zk mask batch: masks do not fit the mask table");
        return ZK_EINPUT;
    }
    fp2 *lambda = zk_malloc_n(nclaims ? nclaims : 1, sizeof *lambda), G, y, z[ZSC_MAX_VARS + 2];
    fp2 c = zsc_ip_lambdas(tr, lambda, claims, nclaims);
    zk_err e = ZK_EFORMAT;
    if (tr_get_fp2(tr, "zsc/ip/G", &G, 1) != ZK_OK) {
        zk_set_reason("zk mask batch: truncated or non-canonical masked sum");
        goto out;
    }
    fp2 rho = zsc_draw(tr, "zsc/ip/rho", 1);
    c = fp2_add(c, fp2_mul(rho, G));
    if ((e = sc_verify(tr, z, &c, 2, mc - 1)) != ZK_OK) goto out;
    if (tr_get_fp2(tr, "zsc/ip/eval", &y, 1) != ZK_OK) {
        zk_set_reason("zk mask batch: truncated or non-canonical evaluation");
        e = ZK_EFORMAT;
        goto out;
    }
    fp2 Vz = zsc_ip_weights_eval(claims, nclaims, lambda, z, mc);
    if (!fp2_eq(c, fp2_mul(fp2_mul(zsc_ip_scale(rho), y), Vz))) {
        zk_set_reason("zk mask batch: final claim != (1+i)(1+rho') y V(z)");
        e = ZK_EPROOF;
        goto out;
    }
    zsc_ip_point(tpoint, z, mc, rho);
    *eval = y;
    e = ZK_OK;
out:
    free(lambda);
    return e;
}
