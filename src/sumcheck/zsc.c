#include "zsc.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "../poly/mle.h"

size_t zsc_mask_ncoef(unsigned n, unsigned d) { return (size_t)n * d + 1; }

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
    for (size_t i = 0; i < len; i++) out[i] = zsc_random_fm61(rng);
}

static zsc_mask *zsc_mask_alloc(unsigned n, unsigned d) {
    ZK_CHECK(n <= ZSC_MAX_VARS && d >= 1 && d <= SC_MAX_DEGREE);
    zsc_mask *m = zk_calloc(1, sizeof *m);
    m->n = n;
    m->d = d;
    m->c = zk_malloc_n(zsc_mask_ncoef(n, d), sizeof *m->c);
    return m;
}

zsc_mask *zsc_mask_from_cells(unsigned n, unsigned d, const fm61 *cells) {
    zsc_mask *m = zsc_mask_alloc(n, d);
    for (size_t k = 0; k < zsc_mask_ncoef(n, d); k++) {
        ZK_CHECK(fm61_is_canonical(cells[2 * k]) && fm61_is_canonical(cells[2 * k + 1]));
        m->c[k] = fp2_make(cells[2 * k], cells[2 * k + 1]);
    }
    return m;
}

zsc_mask *zsc_mask_new(unsigned n, unsigned d, zk_rng *rng) {
    size_t nc = 2 * zsc_mask_ncoef(n, d);
    fm61 *cells = zk_malloc_n(nc, sizeof *cells);
    zsc_random_cells(cells, nc, rng);
    zsc_mask *m = zsc_mask_from_cells(n, d, cells);
    free(cells);
    return m;
}

void zsc_mask_free(zsc_mask *m) {
    if (!m) return;
    OPENSSL_cleanse(m->c, zsc_mask_ncoef(m->n, m->d) * sizeof *m->c); /* a mask must not outlive its proof */
    free(m->c);
    free(m);
}

void zsc_mask_cells(fm61 *out, const zsc_mask *m) {
    for (size_t k = 0; k < zsc_mask_ncoef(m->n, m->d); k++) {
        out[2 * k] = m->c[k].re;
        out[2 * k + 1] = m->c[k].im;
    }
}

/* g_v(X) = sum_{j=1..d} c_{v,j} X^j (Horner). */
static fp2 zsc_uni(const zsc_mask *m, unsigned v, fp2 X) {
    const fp2 *c = m->c + 1 + (size_t)v * m->d;
    fp2 acc = fp2_zero();
    for (unsigned j = m->d; j >= 1; j--) acc = fp2_mul(fp2_add(acc, c[j - 1]), X);
    return acc;
}

/* g_v(1) = sum_j c_{v,j} */
static fp2 zsc_uni1(const zsc_mask *m, unsigned v) {
    const fp2 *c = m->c + 1 + (size_t)v * m->d;
    fp2 s = fp2_zero();
    for (unsigned j = 0; j < m->d; j++) s = fp2_add(s, c[j]);
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
    for (unsigned X = 0; X <= m->d; X++) {
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

/* The step of zsc_rounds: the inner step's g(0), g(2..deg), plus rho times
 * the mask's round values; point holds the variables bound so far. */
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
    fp2 mv[SC_MAX_DEGREE + 1];
    zsc_mask_round(mv, w->m, v, w->point);
    for (unsigned X = 0; X <= w->m->d; X++)
        if (X != 1) g[X] = fp2_add(g[X], fp2_mul(w->rho, mv[X]));
}

fp2 zsc_rounds(tr_t *tr, fp2 *point, fp2 *gr, const zsc_mask *mask, unsigned n, unsigned deg, fp2 claim,
               sc_step_fn step, void *ctx) {
    if (!mask) return sc_rounds(tr, point, n, deg, claim, step, ctx);
    ZK_CHECK(mask->n == n && mask->d == deg);
    fp2 G = zsc_mask_sum(mask);
    tr_put_fp2(tr, "zsc/G", &G, 1);
    fp2 rho = zsc_draw(tr, "zsc/rho", 0);
    zsc_wrap w = {.m = mask, .rho = rho, .point = point, .step = step, .ctx = ctx};
    fp2 c = sc_rounds(tr, point, n, deg, fp2_add(claim, fp2_mul(rho, G)), zsc_step, &w);
    *gr = zsc_mask_eval(mask, point);
    tr_put_fp2(tr, "zsc/gr", gr, 1);
    return fp2_sub(c, fp2_mul(rho, *gr));
}

zk_err zsc_verify(tr_t *tr, fp2 *point, fp2 *claim, fp2 *gr, unsigned deg, unsigned n) {
    fp2 G, v;
    if (tr_get_fp2(tr, "zsc/G", &G, 1) != ZK_OK) {
        zk_set_reason("zk sumcheck: truncated or non-canonical mask sum");
        return ZK_EFORMAT;
    }
    fp2 rho = zsc_draw(tr, "zsc/rho", 0), c = fp2_add(*claim, fp2_mul(rho, G));
    zk_err e = sc_verify(tr, point, &c, deg, n);
    if (e != ZK_OK) return e;
    if (tr_get_fp2(tr, "zsc/gr", &v, 1) != ZK_OK) {
        zk_set_reason("zk sumcheck: truncated or non-canonical mask value");
        return ZK_EFORMAT;
    }
    *gr = v;
    *claim = fp2_sub(c, fp2_mul(rho, v));
    return ZK_OK;
}

/* ---- the batch: sum_k (C^ + rho' D^)(k) V(k) ---- */

int zsc_layout_ok(const zsc_claim *claims, size_t nclaims, unsigned mc) {
    if (mc < 1 || mc > ZSC_MAX_VARS + 1) return 0;
    size_t N = (size_t)1 << mc;
    for (size_t s = 0; s < nclaims; s++) {
        const zsc_claim *a = &claims[s];
        if (a->n > ZSC_MAX_VARS || a->d < 1 || a->d > SC_MAX_DEGREE || a->off % 2 || (a->n && !a->point))
            return 0;
        size_t len = 2 * zsc_mask_ncoef(a->n, a->d);
        if (a->off > N || len > N - a->off) return 0;
        for (size_t u = 0; u < s; u++) {
            const zsc_claim *b = &claims[u];
            size_t lb = 2 * zsc_mask_ncoef(b->n, b->d);
            if (a->off < b->off + lb && b->off < a->off + len) return 0;
        }
    }
    return 1;
}

/* w_k of one mask at its point: w_0 = 1, w_{1 + v d + j - 1} = r_v^j. */
static void zsc_weights_one(fp2 *w, const zsc_claim *a) {
    w[0] = fp2_one();
    for (unsigned v = 0; v < a->n; v++) {
        fp2 p = fp2_one();
        for (unsigned j = 1; j <= a->d; j++) {
            p = fp2_mul(p, a->point[v]);
            w[1 + (size_t)v * a->d + j - 1] = p;
        }
    }
}

void zsc_ip_weights(fp2 *V, const zsc_claim *claims, size_t nclaims, const fp2 *lambda, unsigned mc) {
    size_t Nh = (size_t)1 << (mc - 1);
    for (size_t k = 0; k < Nh; k++) V[k] = fp2_zero();
    for (size_t s = 0; s < nclaims; s++) {
        const zsc_claim *a = &claims[s];
        size_t nc = zsc_mask_ncoef(a->n, a->d);
        fp2 *w = zk_malloc_n(nc, sizeof *w);
        zsc_weights_one(w, a);
        for (size_t k = 0; k < nc; k++) V[a->off / 2 + k] = fp2_add(V[a->off / 2 + k], fp2_mul(lambda[s], w[k]));
        free(w);
    }
}

fp2 zsc_ip_weights_eval(const zsc_claim *claims, size_t nclaims, const fp2 *lambda, const fp2 *z, unsigned mc) {
    unsigned mv = mc - 1;
    fp2 one = fp2_one(), acc = fp2_zero();
    for (size_t s = 0; s < nclaims; s++) {
        const zsc_claim *a = &claims[s];
        size_t nc = zsc_mask_ncoef(a->n, a->d);
        fp2 *w = zk_malloc_n(nc, sizeof *w), sum = fp2_zero();
        zsc_weights_one(w, a);
        for (size_t k = 0; k < nc; k++) {
            size_t idx = a->off / 2 + k;
            fp2 e = one;
            for (unsigned j = 0; j < mv; j++) e = fp2_mul(e, (idx >> j) & 1 ? z[j] : fp2_sub(one, z[j]));
            sum = fp2_add(sum, fp2_mul(w[k], e));
        }
        acc = fp2_add(acc, fp2_mul(lambda[s], sum));
        free(w);
    }
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
