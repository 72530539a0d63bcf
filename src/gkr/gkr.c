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
 *   New claims: V_xs(u) = v_u and V_j(v_j) = w_j, checked at those layers.
 * Committed input layers combine their claims the same way and reduce them
 * to one point with a degree-2 sumcheck on G(x) V(x), then open the
 * commitment there. Public input layers are checked by direct evaluation.
 */
#include <string.h>

#include "../poly/mle.h"
#include "../sumcheck/sc.h"
#include "gkr.h"

typedef struct {
    fp2 *pt; /* nvars coordinates, owned */
    fp2 val;
} gkr_claim;

typedef struct {
    gkr_claim *c;
    size_t n;
} gkr_claims;

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

static size_t gkr_size(const gkr_circuit *c, size_t l) { return (size_t)1 << c->layers[l].nvars; }

/* Both sides: draw alpha_1.. (alpha_0 = 1), return C = sum alpha_k v_k and,
 * if G != NULL, fill G[g] = sum_k alpha_k eq(r_k, g). alpha is written to
 * alpha_out (cl->n entries). */
static fp2 gkr_combine(tr_t *tr, fp2 *G, fp2 *alpha, const gkr_claims *cl, unsigned nvars) {
    alpha[0] = fp2_one();
    for (size_t k = 1; k < cl->n; k++) alpha[k] = tr_challenge(tr, "gkr/alpha");
    fp2 C = fp2_zero();
    for (size_t k = 0; k < cl->n; k++) C = fp2_add(C, fp2_mul(alpha[k], cl->c[k].val));
    if (G) {
        mle_eq_table_scaled(G, cl->c[0].pt, nvars, alpha[0]);
        for (size_t k = 1; k < cl->n; k++) mle_eq_table_add(G, cl->c[k].pt, nvars, alpha[k]);
    }
    return C;
}

static fp2 gkr_const_sum(const gkr_layer *L, const fp2 *G) {
    fp2 K = fp2_zero();
    for (size_t g = 0; g < L->ncst; g++) K = fp2_add(K, fp2_mul_fm61(G[L->cst[g].out], L->cst[g].coef));
    return K;
}

/* Which earlier layers the gates of L read as y-inputs or add inputs. */
static uint8_t *gkr_sources(const gkr_layer *L, size_t l) {
    uint8_t *src = zk_calloc(l ? l : 1, 1);
    for (size_t g = 0; g < L->nmul; g++) src[L->mul[g].ysrc] = 1;
    for (size_t g = 0; g < L->nadd; g++) src[L->add[g].src] = 1;
    return src;
}

static fp2 *gkr_lift(const fm61 *v, size_t n) {
    fp2 *t = zk_aligned_n(n, sizeof *t);
    mle_lift(t, v, n);
    return t;
}

/* f_j over layer j (see step 3); eqU may be NULL when the layer has no mul. */
static void gkr_build_fj(fp2 *f, size_t fsize, const gkr_layer *L, uint32_t j, const fp2 *G, const fp2 *eqU, fp2 vu,
                         fp2 rho) {
    memset(f, 0, fsize * sizeof *f);
    for (size_t g = 0; g < L->nmul; g++) {
        const gkr_mul *m = &L->mul[g];
        if (m->ysrc != j) continue;
        fp2 t = fp2_mul(fp2_mul_fm61(G[m->out], m->coef), eqU[m->x]);
        f[m->y] = fp2_add(f[m->y], fp2_mul(t, vu));
    }
    for (size_t g = 0; g < L->nadd; g++) {
        const gkr_add *a = &L->add[g];
        if (a->src != j) continue;
        f[a->in] = fp2_add(f[a->in], fp2_mul(fp2_mul_fm61(G[a->out], a->coef), rho));
    }
}

/* ------------------------------------------------------------------ */
/* Prover                                                              */
/* ------------------------------------------------------------------ */

static void gkr_prove_gates(tr_t *tr, const gkr_circuit *c, const gkr_witness *w, size_t l, gkr_claims *cls) {
    const gkr_layer *L = &c->layers[l];
    unsigned n = L->nvars;
    size_t size = gkr_size(c, l);
    fp2 *G = zk_aligned_n(size, sizeof *G);
    fp2 *alpha = zk_malloc_n(cls[l].n, sizeof *alpha);
    fp2 C = gkr_combine(tr, G, alpha, &cls[l], n);
    fp2 K = gkr_const_sum(L, G);

    /* 1. the add-gate part of the claim */
    fp2 A = fp2_zero();
    for (size_t g = 0; g < L->nadd; g++) {
        const gkr_add *a = &L->add[g];
        A = fp2_add(A, fp2_mul_fm61(fp2_mul_fm61(G[a->out], a->coef), w->v[a->src][a->in]));
    }
    tr_put_fp2(tr, "gkr/add_sum", &A, 1);

    /* 2. phase 1 over the left inputs */
    unsigned nx = L->nmul ? c->layers[L->xsrc].nvars : 0;
    fp2 *u = zk_malloc_n(nx + 1, sizeof *u);
    fp2 vu = fp2_zero();
    if (L->nmul) {
        size_t xsize = gkr_size(c, L->xsrc);
        fp2 *h1 = zk_aligned_n(xsize, sizeof *h1);
        memset(h1, 0, xsize * sizeof *h1);
        for (size_t g = 0; g < L->nmul; g++) {
            const gkr_mul *m = &L->mul[g];
            fp2 t = fp2_mul_fm61(fp2_mul_fm61(G[m->out], m->coef), w->v[m->ysrc][m->y]);
            h1[m->x] = fp2_add(h1[m->x], t);
        }
        fp2 *Vx = gkr_lift(w->v[L->xsrc], xsize);
        fp2 *tabs[2] = {Vx, h1};
        fp2 fin[2];
        sc_prove(tr, u, fin, tabs, 2, nx, fp2_sub(fp2_sub(C, K), A));
        vu = fin[0];
        tr_put_fp2(tr, "gkr/vx", &vu, 1);
        free(Vx);
        free(h1);
    }

    /* 3. per-source claims */
    fp2 rho = tr_challenge(tr, "gkr/rho");
    fp2 *eqU = NULL;
    if (L->nmul) {
        eqU = zk_aligned_n(gkr_size(c, L->xsrc), sizeof *eqU);
        mle_eq_table(eqU, u, nx);
    }
    uint8_t *src = gkr_sources(L, l);
    size_t nsrc = 0;
    for (size_t j = 0; j < l; j++) nsrc += src[j];
    fp2 **f = zk_calloc(nsrc ? nsrc : 1, sizeof *f);
    fp2 *cj = zk_malloc_n(nsrc ? nsrc : 1, sizeof *cj);
    for (size_t j = 0, s = 0; j < l; j++) {
        if (!src[j]) continue;
        size_t jsize = gkr_size(c, j);
        f[s] = zk_aligned_n(jsize, sizeof *f[s]);
        gkr_build_fj(f[s], jsize, L, (uint32_t)j, G, eqU, vu, rho);
        fp2 sum = fp2_zero();
        for (size_t y = 0; y < jsize; y++) sum = fp2_add(sum, fp2_mul_fm61(f[s][y], w->v[j][y]));
        cj[s++] = sum;
    }
    tr_put_fp2(tr, "gkr/src_claims", cj, nsrc);

    /* 4. phase 2, one sumcheck per source layer */
    for (size_t j = 0, s = 0; j < l; j++) {
        if (!src[j]) continue;
        unsigned nj = c->layers[j].nvars;
        fp2 *Vj = gkr_lift(w->v[j], gkr_size(c, j));
        fp2 *tabs[2] = {f[s], Vj};
        fp2 fin[2];
        fp2 *v = zk_malloc_n(nj + 1, sizeof *v);
        sc_prove(tr, v, fin, tabs, 2, nj, cj[s]);
        tr_put_fp2(tr, "gkr/vy", &fin[1], 1);
        gkr_claim_push(&cls[j], v, nj, fin[1]);
        free(v);
        free(Vj);
        free(f[s]);
        s++;
    }
    if (L->nmul) gkr_claim_push(&cls[L->xsrc], u, nx, vu);

    free(f);
    free(cj);
    free(src);
    free(eqU);
    free(u);
    free(alpha);
    free(G);
}

/* Committed input layer: reduce the claims to one point, then open. */
static void gkr_prove_committed(tr_t *tr, const gkr_circuit *c, const gkr_witness *w, size_t l, gkr_claims *cl,
                                const pcs_scheme *pcs, const pcs_state *st) {
    unsigned n = c->layers[l].nvars;
    if (cl->n == 1) {
        pcs->open(tr, st, cl->c[0].pt);
        return;
    }
    size_t size = gkr_size(c, l);
    fp2 *G = zk_aligned_n(size, sizeof *G);
    fp2 *alpha = zk_malloc_n(cl->n, sizeof *alpha);
    fp2 C = gkr_combine(tr, G, alpha, cl, n);
    fp2 *V = gkr_lift(w->v[l], size);
    fp2 *tabs[2] = {G, V};
    fp2 fin[2];
    fp2 *z = zk_malloc_n(n, sizeof *z);
    sc_prove(tr, z, fin, tabs, 2, n, C);
    tr_put_fp2(tr, "gkr/vin", &fin[1], 1);
    pcs->open(tr, st, z);
    free(z);
    free(V);
    free(alpha);
    free(G);
}

void gkr_prove(tr_t *tr, const gkr_circuit *c, const gkr_witness *w, const pcs_scheme *pcs) {
    ZK_CHECK(w->nlayers == c->nlayers);
    size_t L = c->nlayers;
    tr_absorb(tr, "gkr/circuit", c->digest, sizeof c->digest);
    for (size_t l = 0; l < L; l++)
        if (c->layers[l].kind == GKR_INPUT_PUBLIC) tr_absorb_fm61(tr, "gkr/public", w->v[l], gkr_size(c, l));
    pcs_state **st = zk_calloc(L, sizeof *st);
    for (size_t l = 0; l < L; l++)
        if (c->layers[l].kind == GKR_INPUT_COMMITTED) st[l] = pcs->commit(tr, w->v[l], c->layers[l].nvars);

    const gkr_layer *out = gkr_output_layer(c);
    tr_put_fm61(tr, "gkr/output", w->v[L - 1], gkr_size(c, L - 1));
    fp2 *r0 = zk_malloc_n(out->nvars + 1, sizeof *r0);
    tr_challenges(tr, "gkr/r0", r0, out->nvars);
    gkr_claims *cls = zk_calloc(L, sizeof *cls);
    gkr_claim_push(&cls[L - 1], r0, out->nvars, mle_eval_fm61(w->v[L - 1], out->nvars, r0));
    free(r0);

    for (size_t l = L; l-- > 0;) {
        if (cls[l].n == 0) continue;
        switch (c->layers[l].kind) {
        case GKR_GATES: gkr_prove_gates(tr, c, w, l, cls); break;
        case GKR_INPUT_COMMITTED: gkr_prove_committed(tr, c, w, l, &cls[l], pcs, st[l]); break;
        case GKR_INPUT_PUBLIC: break; /* the verifier evaluates these itself */
        }
    }
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

static zk_err gkr_verify_gates(tr_t *tr, const gkr_circuit *c, size_t l, gkr_claims *cls) {
    const gkr_layer *L = &c->layers[l];
    unsigned n = L->nvars;
    zk_err e = ZK_OK;
    fp2 *G = zk_aligned_n(gkr_size(c, l), sizeof *G);
    fp2 *alpha = zk_malloc_n(cls[l].n, sizeof *alpha);
    unsigned nx = L->nmul ? c->layers[L->xsrc].nvars : 0;
    fp2 *u = zk_malloc_n(nx + 1, sizeof *u);
    fp2 *eqU = NULL, *cj = NULL, *eqV = NULL, *v = NULL;
    uint8_t *src = NULL;

    fp2 C = gkr_combine(tr, G, alpha, &cls[l], n);
    fp2 K = gkr_const_sum(L, G);
    fp2 A;
    if (tr_get_fp2(tr, "gkr/add_sum", &A, 1) != ZK_OK) GKR_FAIL(ZK_EFORMAT, "layer %zu: truncated add-gate sum", l);

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
    } else if (!fp2_is_zero(rest)) {
        GKR_FAIL(ZK_EPROOF, "layer %zu: add and constant gates do not match the claim", l);
    }

    fp2 rho = tr_challenge(tr, "gkr/rho");
    if (L->nmul) {
        eqU = zk_aligned_n(gkr_size(c, L->xsrc), sizeof *eqU);
        mle_eq_table(eqU, u, nx);
    }
    src = gkr_sources(L, l);
    size_t nsrc = 0;
    for (size_t j = 0; j < l; j++) nsrc += src[j];
    cj = zk_malloc_n(nsrc ? nsrc : 1, sizeof *cj);
    if (tr_get_fp2(tr, "gkr/src_claims", cj, nsrc) != ZK_OK)
        GKR_FAIL(ZK_EFORMAT, "layer %zu: truncated source claims", l);
    fp2 total = fp2_zero();
    for (size_t s = 0; s < nsrc; s++) total = fp2_add(total, cj[s]);
    if (!fp2_eq(total, fp2_add(e1, fp2_mul(rho, A))))
        GKR_FAIL(ZK_EPROOF, "layer %zu: source claims do not add up to the phase-1 claim", l);

    for (size_t j = 0, s = 0; j < l; j++) {
        if (!src[j]) continue;
        unsigned nj = c->layers[j].nvars;
        free(v);
        v = zk_malloc_n(nj + 1, sizeof *v);
        fp2 claim = cj[s++];
        zk_err se = sc_verify(tr, v, &claim, 2, nj);
        if (se != ZK_OK) {
            char what[64];
            snprintf(what, sizeof what, "phase-2 sumcheck (source layer %zu)", j);
            gkr_reason_prefix(l, what);
            e = se;
            goto done;
        }
        fp2 wj;
        if (tr_get_fp2(tr, "gkr/vy", &wj, 1) != ZK_OK) GKR_FAIL(ZK_EFORMAT, "layer %zu: truncated V(v)", l);
        /* f_j(v_j) from the wiring: sum over gates of G(out) eq(u,x) eq(v_j,y) */
        free(eqV);
        eqV = zk_aligned_n(gkr_size(c, j), sizeof *eqV);
        mle_eq_table(eqV, v, nj);
        fp2 fm = fp2_zero(), fa = fp2_zero();
        for (size_t g = 0; g < L->nmul; g++) {
            const gkr_mul *m = &L->mul[g];
            if (m->ysrc != j) continue;
            fp2 t = fp2_mul(fp2_mul_fm61(G[m->out], m->coef), eqU[m->x]);
            fm = fp2_add(fm, fp2_mul(t, eqV[m->y]));
        }
        for (size_t g = 0; g < L->nadd; g++) {
            const gkr_add *a = &L->add[g];
            if (a->src != j) continue;
            fa = fp2_add(fa, fp2_mul(fp2_mul_fm61(G[a->out], a->coef), eqV[a->in]));
        }
        fp2 fv = fp2_add(fp2_mul(vu, fm), fp2_mul(rho, fa));
        if (!fp2_eq(claim, fp2_mul(fv, wj)))
            GKR_FAIL(ZK_EPROOF, "layer %zu: phase-2 final check failed (source layer %zu)", l, j);
        gkr_claim_push(&cls[j], v, nj, wj);
    }
    if (L->nmul) gkr_claim_push(&cls[L->xsrc], u, nx, vu);

done:
    free(v);
    free(eqV);
    free(cj);
    free(src);
    free(eqU);
    free(u);
    free(alpha);
    free(G);
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
    size_t L = c->nlayers;
    zk_err e = ZK_OK;
    const gkr_layer *out = gkr_output_layer(c);
    size_t osize = gkr_size(c, L - 1);
    fm61 *ov = zk_malloc_n(osize, sizeof *ov);
    fp2 *r0 = zk_malloc_n(out->nvars + 1, sizeof *r0);
    pcs_commitment *cm = zk_calloc(L, sizeof *cm);
    gkr_claims *cls = zk_calloc(L, sizeof *cls);

    tr_absorb(tr, "gkr/circuit", c->digest, sizeof c->digest);
    for (size_t l = 0; l < L; l++)
        if (c->layers[l].kind == GKR_INPUT_PUBLIC) tr_absorb_fm61(tr, "gkr/public", public[l], gkr_size(c, l));
    for (size_t l = 0; l < L; l++)
        if (c->layers[l].kind == GKR_INPUT_COMMITTED && pcs->read_commitment(tr, &cm[l], c->layers[l].nvars) != ZK_OK)
            GKR_FAIL(ZK_EFORMAT, "layer %zu: truncated commitment", l);
    if (tr_get_fm61(tr, "gkr/output", ov, osize) != ZK_OK) GKR_FAIL(ZK_EFORMAT, "truncated or non-canonical outputs");
    tr_challenges(tr, "gkr/r0", r0, out->nvars);
    gkr_claim_push(&cls[L - 1], r0, out->nvars, mle_eval_fm61(ov, out->nvars, r0));

    for (size_t l = L; l-- > 0;) {
        if (cls[l].n == 0) continue;
        switch (c->layers[l].kind) {
        case GKR_GATES: e = gkr_verify_gates(tr, c, l, cls); break;
        case GKR_INPUT_COMMITTED: e = gkr_verify_committed(tr, c, l, &cls[l], pcs, &cm[l]); break;
        case GKR_INPUT_PUBLIC:
            for (size_t k = 0; k < cls[l].n && e == ZK_OK; k++)
                if (!fp2_eq(mle_eval_fm61(public[l], c->layers[l].nvars, cls[l].c[k].pt), cls[l].c[k].val)) {
                    zk_set_reason("layer %zu: claim on the public input does not match it", l);
                    e = ZK_EPROOF;
                }
            break;
        }
        if (e != ZK_OK) goto done;
    }
    if (outputs) memcpy(outputs, ov, osize * sizeof *ov);
done:
    gkr_claims_free(cls, L);
    free(cm);
    free(r0);
    free(ov);
    return e;
}
