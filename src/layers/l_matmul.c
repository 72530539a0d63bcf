/* l_matmul.c -- matrix products: Conv, FC (ONNX Gemm), MatMul; and the
 * rescale step they share with Mul, Affine, Add and Sub (papers/protocol.md
 * sec. 7.3 "Rescale" and "Matrix products"; sec. 7.8.5 gives every message).
 *
 * Relation (quant.h sec. 3): acc = Z o zmap + bias, where
 *   Z[p + P'(m' + M'g)] = sum_kp sum_c A_kp[c + Q'(p + P'g)] B_kp[c + Q'(m' + M'g)]
 * (p the output position, g the group, m' the output channel in the group,
 * c the input channel in the group, kp the kernel position; A_kp the input
 * through the im2col map of kp; B_kp weight region kp, or for MatMul the
 * second operand through a transpose map); then the rescale
 * y 2^k + rem = acc + 2^(k-1) (k >= 1) or y = acc 2^-k (k <= 0).
 *
 * Sub-protocol, from the merged output claim y(rho) = v:
 *   rescale (rd_rescale): the prover sends a = acc(rho) (cnn/acc); the
 *     remainder's limbs get rem(rho) = a + 2^(k-1) I(rho) - 2^k v;
 *   bias: the prover sends z = (Z o zmap)(rho) (cnn/mm/z), the bias region
 *     gets a - z; Z's claim is merged to one point (rho_p, rho_m, rho_g);
 *   one sumcheck over (c, g), degree 2 (3 with groups):
 *     Z(rho_p, rho_m, rho_g) = sum_{c,g} [eq(rho_g, g)] sum_kp A_kp(c, rho_p, g) B_kp(c, rho_m, g);
 *     the prover sends every A_kp and B_kp at its point (cnn/eval): claims
 *     on the input (im2col maps) and on the weight regions (MatMul: on the
 *     second operand).
 * Per-tensor constraints: rem in [0, 2^k) by the lookup, in limbs (plan.c);
 * the output, when no reader proves it an integer, by the integer check.
 * Soundness: the sumcheck's qv + gv rounds of degree <= 3 and Z's merge
 * (counted by cx_sc and cx_merge); the plan counts 1 + K sumchecks.
 */
#include <stdlib.h>
#include <string.h>

#include "../poly/mle.h"
#include "layers.h"

/* Geometry, then the weight regions: K kernel positions (nv = qv + mv +
 * gv), then the bias (Conv, FC). */
static zk_err mm_plan(pl_plan *p, const layer_node *ln) {
    const q_node *nd = ln->nd;
    pl_node *pn = &p->node[ln->i];
    const nn_shape *Y = &p->m->tensors[ln->ty].shape;
    const nn_shape *X = &p->m->tensors[nd->in[0]].shape;
    switch (nd->op) {
    case NN_CONV:
        pn->kind = PL_MM_CONV;
        pn->G = nd->group;
        pn->Mg = Y->d[1] / nd->group;
        pn->Q = X->d[1] / nd->group;
        pn->P = Y->d[0] * Y->d[2] * Y->d[3];
        pn->K = nd->kernel[0] * nd->kernel[1];
        break;
    case NN_FC:
        pn->kind = PL_MM_FC;
        pn->G = 1;
        pn->Mg = nd->cshape.d[0];
        pn->Q = nd->cshape.d[1];
        pn->P = ln->ny / pn->Mg;
        pn->K = 1;
        break;
    case NN_MATMUL:
        pn->kind = PL_MM_MATMUL;
        pn->G = 1;
        pn->Mg = Y->d[1];
        pn->Q = X->d[1];
        pn->P = X->d[0];
        pn->K = 1;
        break;
    default: ZK_CHECK(0 && "not a matrix product");
    }
    pn->gv = pl_log2(pn->G);
    pn->mv = pl_log2(pn->Mg);
    pn->qv = pl_log2(pn->Q);
    pn->pv = pl_log2(pn->P);
    if (pn->kind != PL_MM_MATMUL) {
        unsigned nv = pn->qv + pn->mv + pn->gv;
        if (nv > 30) {
            zk_set_reason("node %s: weight block of 2^%u entries is too large", nd->name, nv);
            return ZK_EINPUT;
        }
        for (int64_t k = 0; k < pn->K; k++) {
            int r = pl_add_region(p, PL_W, nv, (int64_t)1 << nv);
            if (k == 0) pn->wreg = r;
        }
        if (nd->nb) pn->breg = pl_add_region(p, PL_W, pl_log2((int64_t)nd->nb), (int64_t)nd->nb);
    }
    return ZK_OK;
}

/* Conv and FC: weight[g Mg + m'][c][ky][kx] at c + Qp (m' + Mp g) of region kp. */
static void mm_weights(const pl_plan *p, const layer_node *ln, fm61 *W) {
    const pl_node *pn = &p->node[ln->i];
    if (pn->kind != PL_MM_CONV && pn->kind != PL_MM_FC) return;
    int64_t kh = pn->kind == PL_MM_CONV ? ln->nd->kernel[0] : 1, kw = pn->kind == PL_MM_CONV ? ln->nd->kernel[1] : 1;
    int64_t Qp = (int64_t)1 << pn->qv, Mp = (int64_t)1 << pn->mv, K = kh * kw, M = pn->G * pn->Mg;
    /* one kernel position's region at a time, written in order */
    for (int64_t kp = 0; kp < K; kp++) {
        fm61 *R = W + p->reg[pn->wreg + kp].off;
        const int64_t *w = ln->nd->w + kp;
#pragma omp parallel for schedule(static) if (M * pn->Q >= 65536)
        for (int64_t mo = 0; mo < M; mo++) {
            int64_t g = mo / pn->Mg, mg = mo % pn->Mg;
            fm61 *dst = R + Qp * (mg + Mp * g);
            const int64_t *src = w + mo * pn->Q * K;
            for (int64_t c = 0; c < pn->Q; c++) dst[c] = fm61_from_i64(src[c * K]);
        }
    }
}

/* y = rescale(acc): from the claim y(rho) = v, claims on rem and returns
 * acc(rho) (sent by the prover when there is a remainder). */
zk_err rd_rescale(cx *c, const layer_node *ln, const fp2 *rho, cx_v v, cx_v *acc_v) {
    const q_node *nd = ln->nd;
    const pl_node *pn = &c->pl->node[ln->i];
    if (nd->k <= 0) { /* y = acc * 2^-k exactly */
        *acc_v = cx_v_scale(c, v, cx_inv_pow2(-nd->k));
        return ZK_OK;
    }
    fp2 a = fp2_zero();
    if (c->P) {
        fm61 *t = zk_calloc((size_t)1 << ln->nv, sizeof *t);
        for (int64_t o = 0; o < ln->ny; o++) t[o] = fm61_from_i64(c->w->nodes[ln->i].acc[o]);
        a = mle_eval_fm61(t, ln->nv, rho);
        free(t);
    }
    cx_v av;
    CX_TRY(cx_xfer_v(c, "cnn/acc", a, &av));
    /* y 2^k + rem = acc + 2^(k-1) on [0, numel) */
    cx_v rem = cx_v_sub(c, cx_v_addk(av, fp2_mul(cx_pow2(nd->k - 1), cx_ind_eval(ln->ny, rho, ln->nv))),
                        cx_v_scale(c, v, cx_pow2(nd->k)));
    CX_TRY(cx_claim_qty(c, &pn->rem, rho, rem, NULL));
    *acc_v = av;
    return ZK_OK;
}

/* Matmul layers: acc = Z o zmap + bias,  Z[p + Pp (m' + Mp g)] =
 * sum_kp sum_c A_kp[c + Qp (p + Pp g)] B_kp[c + Qp (m' + Mp g)]. */
static zk_err rd_matmul(cx *c, const layer_node *ln, const fp2 *rho, cx_v a) {
    const q_node *nd = ln->nd;
    const pl_node *pn = &c->pl->node[ln->i];
    int32_t tx = nd->in[0];
    const nn_shape *X = &c->m->tensors[tx].shape, *Y = &c->m->tensors[ln->ty].shape;
    int64_t Pp = (int64_t)1 << pn->pv, Mp = (int64_t)1 << pn->mv, Qp = (int64_t)1 << pn->qv;
    unsigned znv = pn->pv + pn->mv + pn->gv;
    int64_t M = pn->G * pn->Mg;
    /* zmap and bias map over the acc layout */
    cmap *zm = cx_map_new(c, ln->ny, ln->nv, 1, 0);
    cmap *bm = pn->breg >= 0 ? cx_map_new(c, ln->ny, ln->nv, 1, 0) : NULL;
    for (int64_t o = 0; o < ln->ny; o++) {
        int64_t n, mo, p;
        if (pn->kind == PL_MM_CONV) {
            int64_t HW = Y->d[2] * Y->d[3];
            n = o / (M * HW);
            mo = (o / HW) % M;
            p = n * HW + o % HW;
        } else {
            n = o / M;
            mo = o % M;
            p = n;
        }
        int64_t g = mo / pn->Mg, mg = mo % pn->Mg;
        zm->src[o] = p + Pp * (mg + Mp * g);
        if (bm) bm->src[o] = mo;
    }
    /* Z table (prover) */
    fm61 *Z = NULL;
    if (c->P) {
        Z = zk_calloc((size_t)1 << znv, sizeof *Z);
        const int64_t *acc = c->w->nodes[ln->i].acc;
        for (int64_t o = 0; o < ln->ny; o++)
            Z[zm->src[o]] = fm61_from_i64(acc[o] - (bm ? nd->b[bm->src[o]] : 0));
    }
    cx_v zv = a;
    if (bm) {
        CX_TRY(cx_xfer_v(c, "cnn/mm/z", c->P ? cx_map_value(zm, rho, Z) : fp2_zero(), &zv));
        cx_claim_region(c, pn->breg, rho, cx_v_sub(c, a, zv), bm);
    }
    claims zl = {0};
    /* Z's real entries are the ny images of zmap; an entry beyond them has a
     * padding p, m' or g, where A or B is zero, so Z is zero there */
    cx_claims_push(&zl, rho, zv, cx_map_simplify(zm, ln->ny, znv));
    fp2 *zpt;
    cx_v zval;
    zk_err e = cx_merge(c, &zl, Z, znv, &zpt, &zval);
    free(zl.v);
    free(Z);
    CX_TRY(e);
    const fp2 *rp = zpt, *rm = zpt + pn->pv, *rg = zpt + pn->pv + pn->mv;
    /* sumcheck over (c, g): tables E (if groups), a_kp, b_kp */
    unsigned n2 = pn->qv + pn->gv;
    size_t N2 = (size_t)1 << n2;
    unsigned K = (unsigned)pn->K, ntab = 2 * K + (pn->gv ? 1 : 0);
    fp2 **tabs = zk_calloc(ntab, sizeof *tabs);
    vp_term *terms = zk_calloc(K, sizeof *terms);
    int *send = zk_calloc(ntab, sizeof *send);
    fp2 *vals = zk_calloc(ntab, sizeof *vals);
    for (unsigned k = 0; k < K; k++) {
        terms[k].c = fp2_one();
        terms[k].k = pn->gv ? 3 : 2;
        terms[k].t[0] = 2 * k;
        terms[k].t[1] = 2 * k + 1;
        terms[k].t[2] = 2 * K;
        send[2 * k] = send[2 * k + 1] = 1;
    }
    /* the A maps, one per kernel position: virtual c + Qp (p + Pp g) */
    unsigned anv = pn->qv + pn->pv + pn->gv;
    int64_t alen = Qp * Pp * (((int64_t)1) << pn->gv);
    cmap **am = zk_calloc(K, sizeof *am);
    int64_t kh = pn->kind == PL_MM_CONV ? nd->kernel[0] : 1, kw = pn->kind == PL_MM_CONV ? nd->kernel[1] : 1;
    for (unsigned k = 0; k < K; k++) {
        cmap *mp = am[k] = cx_map_new(c, alen, anv, 1, 0);
        for (int64_t v = 0; v < alen; v++) mp->src[v] = -1;
        int64_t ky = k / kw, kx = k % kw;
        for (int64_t g = 0; g < pn->G; g++)
            for (int64_t p = 0; p < pn->P; p++)
                for (int64_t ch = 0; ch < pn->Q; ch++) {
                    int64_t src;
                    if (pn->kind == PL_MM_CONV) {
                        int64_t OH = Y->d[2], OW = Y->d[3], H = X->d[2], Wd = X->d[3], C = X->d[1];
                        int64_t n = p / (OH * OW), oy = (p / OW) % OH, ox = p % OW;
                        int64_t iy = oy * nd->strides[0] - nd->pads[0] + ky * nd->dil[0];
                        int64_t ix = ox * nd->strides[1] - nd->pads[1] + kx * nd->dil[1];
                        src = (iy < 0 || iy >= H || ix < 0 || ix >= Wd) ? -1
                                                                        : ((n * C + g * pn->Q + ch) * H + iy) * Wd + ix;
                    } else {
                        src = p * pn->Q + ch;
                    }
                    mp->src[ch + Qp * (p + Pp * g)] = src;
                }
    }
    (void)kh;
    /* B: weight regions, or for MatMul the map c + Qp m' -> b[c M + m'] */
    cmap *bmap = NULL;
    if (pn->kind == PL_MM_MATMUL) {
        bmap = cx_map_new(c, Qp * Mp, pn->qv + pn->mv, 1, 0);
        for (int64_t v = 0; v < Qp * Mp; v++) {
            int64_t ch = v % Qp, mg = v / Qp;
            bmap->src[v] = (ch < pn->Q && mg < pn->Mg) ? ch * pn->Mg + mg : -1;
        }
    }
    if (c->P) {
        fp2 *epg = cx_eq_new(rp, pn->pv), *emg = cx_eq_new(rm, pn->mv);
        fp2 *eg = pn->gv ? cx_eq_new(rg, pn->gv) : NULL;
        const fm61 *x = c->tv[tx];
        for (unsigned k = 0; k < K; k++) {
            fp2 *ta = tabs[2 * k] = zk_calloc(N2, sizeof(fp2));
            fp2 *tb = tabs[2 * k + 1] = zk_calloc(N2, sizeof(fp2));
            const cmap *mp = am[k];
#pragma omp parallel for schedule(static) if (N2 >= 64)
            for (size_t cg = 0; cg < N2; cg++) {
                int64_t ch = (int64_t)(cg % (size_t)Qp), g = (int64_t)(cg / (size_t)Qp);
                fp2 s = fp2_zero();
                for (int64_t p = 0; p < pn->P; p++) {
                    int64_t sidx = mp->src[ch + Qp * (p + Pp * g)];
                    if (sidx >= 0) s = fp2_add(s, fp2_mul_fm61(epg[p], x[sidx]));
                }
                ta[cg] = s;
                fp2 t = fp2_zero();
                if (pn->kind == PL_MM_MATMUL) {
                    const fm61 *bt = c->tv[nd->in[1]];
                    for (int64_t mg = 0; mg < pn->Mg; mg++) {
                        int64_t sidx = bmap->src[ch + Qp * mg];
                        if (sidx >= 0) t = fp2_add(t, fp2_mul_fm61(emg[mg], bt[sidx]));
                    }
                } else {
                    const fm61 *B = cx_reg_table(c, pn->wreg + (int)k);
                    for (int64_t mg = 0; mg < pn->Mg; mg++)
                        t = fp2_add(t, fp2_mul_fm61(emg[mg], B[ch + Qp * (mg + Mp * g)]));
                }
                tb[cg] = t;
            }
        }
        if (pn->gv) {
            fp2 *E = tabs[2 * K] = zk_malloc_n(N2, sizeof(fp2));
            for (size_t cg = 0; cg < N2; cg++) E[cg] = eg[cg / (size_t)Qp];
        }
        free(epg);
        free(emg);
        free(eg);
    }
    fp2 *r, red;
    cx_pool *vpp = zk_calloc(ntab, sizeof *vpp);
    e = cx_sc(c, tabs, ntab, terms, K, n2, zval, &r, &red, vals, send, vpp);
    for (unsigned j = 0; j < ntab; j++) free(tabs[j]);
    free(tabs);
    if (e == ZK_OK) {
        if (pn->gv) vals[2 * K] = mle_eq_eval(r + pn->qv, rg, pn->gv);
        e = cx_sc_check(c, terms, K, vals, red, "matrix-product sumcheck");
    }
    if (e == ZK_OK) {
        /* A point: (r_c, rho_p, r_g); B point: (r_c, rho_m, r_g) */
        fp2 *pa = cx_pt(c, anv), *pb = cx_pt(c, pn->qv + pn->mv + pn->gv);
        memcpy(pa, r, pn->qv * sizeof(fp2));
        memcpy(pa + pn->qv, rp, pn->pv * sizeof(fp2));
        memcpy(pa + pn->qv + pn->pv, r + pn->qv, pn->gv * sizeof(fp2));
        memcpy(pb, r, pn->qv * sizeof(fp2));
        memcpy(pb + pn->qv, rm, pn->mv * sizeof(fp2));
        memcpy(pb + pn->qv + pn->mv, r + pn->qv, pn->gv * sizeof(fp2));
        for (unsigned k = 0; k < K; k++) {
            cx_claim_tensor(c, tx, pa, cx_fin(vals, vpp, 2 * k), am[k]);
            if (pn->kind == PL_MM_MATMUL) cx_claim_tensor(c, nd->in[1], pb, cx_fin(vals, vpp, 2 * k + 1), bmap);
            else cx_claim_region(c, pn->wreg + (int)k, pb, cx_fin(vals, vpp, 2 * k + 1), NULL);
        }
    }
    free(vpp);
    free(am);
    free(terms);
    free(send);
    free(vals);
    return e;
}

static zk_err mm_reduce(cx *c, const layer_node *ln, const fp2 *rho, cx_v v) {
    cx_v a;
    CX_TRY(rd_rescale(c, ln, rho, v, &a));
    return rd_matmul(c, ln, rho, a);
}

static void mm_count(const pl_plan *p, const layer_node *ln, layer_count *n) {
    const pl_node *pn = &p->node[ln->i];
    layer_count_node(ln, n, 1 + (double)pn->K, pn->qv + pn->gv + pn->pv + pn->mv, (double)pn->K, 0);
}

const layer_kind layer_conv = {.phase = CNN_PH_CONV, .rescales = 1, .plan = mm_plan, .weights = mm_weights,
                               .reduce = mm_reduce, .count = mm_count};
const layer_kind layer_fc = {.phase = CNN_PH_FC, .rescales = 1, .plan = mm_plan, .weights = mm_weights,
                             .reduce = mm_reduce, .count = mm_count};
const layer_kind layer_matmul = {.phase = CNN_PH_FC, .rescales = 1, .plan = mm_plan, .reduce = mm_reduce,
                                 .count = mm_count};
