/* proto.c -- the CNN proof: one function per layer kind, written once for
 * both roles. The prover (c->P) computes and sends; the verifier reads the
 * same messages, recomputes what it can and checks. papers/protocol.md
 * sec. 7 follows this file step by step.
 *
 * Claims. A claim on a target (a tensor, a region of W or ADV, a node's
 * matmul output Z) is a linear functional with a claimed value:
 *   identity:  T(pt) = val                    (pt has nv(T) coordinates)
 *   map:       sum_v eq(pt, v) sum_f coef[v,f] * (src[v,f] >= 0 ? T[src[v,f]] : pad) = val
 * Every layer turns one point claim on its output into claims on its
 * inputs, its weights and its auxiliary values. Before a target is used,
 * its claims are merged into one point claim by a random combination and a
 * degree-2 sumcheck (cx_merge). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>

#include "../poly/mle.h"
#include "../quant/qint.h"
#include "../sumcheck/vp.h"
#include "plan.h"

#define CNN_PROTOCOL "gkrcnn/cnn/v2"

const char *const cnn_phase_names[CNN_NPHASES] = {"witness", "commit", "conv", "fc", "activation", "pool",
                                                   "other",   "merge",  "lookup", "open"};

static cnn_witness_hook cnn_hook;
static void *cnn_hook_ctx;
void cnn_set_witness_hook(cnn_witness_hook fn, void *ctx) {
    cnn_hook = fn;
    cnn_hook_ctx = ctx;
}

static cnn_adv_hook cnn_advh;
static void *cnn_advh_ctx;
void cnn_set_adv_hook(cnn_adv_hook fn, void *ctx) {
    cnn_advh = fn;
    cnn_advh_ctx = ctx;
}

static tr_tamper_fn cnn_tamper;
static void *cnn_tamper_ctx;
void cnn_set_tamper(tr_tamper_fn fn, void *ctx) {
    cnn_tamper = fn;
    cnn_tamper_ctx = ctx;
}

static double cnn_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------ claims */

typedef struct {
    int64_t len;     /* virtual entries (<= 2^nv) */
    unsigned nv, fan;
    int64_t *src;    /* len * fan; -1: pad */
    fm61 *coef;      /* len * fan, or NULL: all 1 */
    fm61 pad;
} cmap;

typedef struct {
    const fp2 *pt;
    fp2 val;
    const cmap *map; /* NULL: identity */
} claim;

typedef struct {
    claim *v;
    size_t n, cap;
} claims;

static void claims_push(claims *l, const fp2 *pt, fp2 val, const cmap *map) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        ZK_CHECK(l->v);
    }
    l->v[l->n++] = (claim){.pt = pt, .val = val, .map = map};
}

/* ------------------------------------------------------------ context */

/* A lower bound on |F_{p^2}| = (2^61 - 1)^2 = 2^122 - 2^62 + 1. */
#define CX_FIELD (ldexp(1.0, 122) * (1 - ldexp(1.0, -60)))

typedef struct {
    tr_t *tr;
    int P;                    /* 1: prover */
    const q_model *m;
    const pl_plan *pl;
    fm61 **tv;                /* tensor tables, 2^tnv entries (prover: all; verifier: input and output) */
    const q_witness *w;       /* prover */
    fm61 *W, *ADV;            /* prover */
    claims *tc, *rc;          /* per tensor, per region */
    claims wblk, ablk;        /* block claims on W and ADV: pt over the region, map = NULL, region index in val? */
    int *wblk_reg, *ablk_reg; /* region of each block claim */
    void **ar;                /* arena */
    size_t nar, car;
    cnn_stats *st;
    const char *where;        /* node name for reasons */
    const char *what;
    /* Soundness ledger (protocol.md sec. 7.6): the sum, over every
     * challenge drawn so far, of the degree of the polynomial whose root it
     * must avoid; that challenge fails with probability at most degree/|F|.
     * Both roles add the same terms on the same path. */
    double err;
    /* The largest degree a single challenge must avoid (rbr / |F| is the
     * round-by-round error that Fiat-Shamir multiplies by the prover's
     * hash calls, protocol.md sec. 6). */
    double rbr;
} cx;

/* A challenge that must avoid the roots of a polynomial of degree deg. */
static void cx_chal(cx *c, double deg) {
    c->err += deg;
    if (deg > c->rbr) c->rbr = deg;
}

/* J identities, multilinear in each coordinate, tested at a point whose nv
 * coordinates sumcheck rounds drew: J nv in all; each of those rounds then
 * avoids degree at most 3 (its own) + J + 1 (a tensor check, ychk_claim,
 * may test one more identity at the same point). */
static void cx_point(cx *c, unsigned nv, double J) {
    c->err += J * nv;
    if (nv && 3 + J + 1 > c->rbr) c->rbr = 3 + J + 1;
}

static void *cx_alloc(cx *c, size_t bytes) {
    if (c->nar == c->car) {
        c->car = c->car ? 2 * c->car : 256;
        c->ar = realloc(c->ar, c->car * sizeof *c->ar);
        ZK_CHECK(c->ar);
    }
    void *p = zk_calloc(1, bytes ? bytes : 1);
    c->ar[c->nar++] = p;
    return p;
}
static fp2 *cx_pt(cx *c, unsigned n) { return cx_alloc(c, (size_t)n * sizeof(fp2)); }

static fp2 fp2_i64(int64_t v) { return fp2_from_fm61(fm61_from_i64(v)); }
static fm61 fm61_pow2(int k) { return (fm61)1 << k; } /* k <= 60 */
static fp2 fp2_pow2(int k) { return fp2_from_fm61(fm61_pow2(k)); }
static fp2 fp2_inv_pow2(int k) { return fp2_from_fm61(fm61_inv(fm61_pow2(k))); }

static zk_err cx_fail(cx *c, const char *check) {
    if (c->where)
        zk_set_reason("%s (%s): %s check failed", c->where, c->what, check);
    else
        zk_set_reason("%s check failed", check);
    return ZK_EPROOF;
}

/* Prover sends / verifier reads n elements. */
static zk_err cx_xfer(cx *c, const char *label, fp2 *v, size_t n) {
    if (c->P) {
        tr_put_fp2(c->tr, label, v, n);
        return ZK_OK;
    }
    return tr_get_fp2(c->tr, label, v, n);
}

#define TRY(e)                        \
    do {                              \
        zk_err e_ = (e);              \
        if (e_ != ZK_OK) return e_;   \
    } while (0)

/* Sumcheck of sum_x terms(x) = claim on n variables. Prover: tabs (2^n each,
 * consumed). On return pt (n coords, arena) and vals[j] = T_j(pt): the
 * prover sends vals[j] for every j with send[j] (label cnn/eval); the
 * verifier reads them; the caller fills the others and calls cx_sc_check. */
static zk_err cx_sc(cx *c, fp2 **tabs, unsigned ntab, const vp_term *terms, unsigned nterms, unsigned n, fp2 claim_v,
                    fp2 **pt, fp2 *red, fp2 *vals, const int *send) {
    *pt = cx_pt(c, n);
    c->err += (double)n * vp_degree(terms, nterms); /* n rounds */
    if (n && vp_degree(terms, nterms) > c->rbr) c->rbr = vp_degree(terms, nterms);
    if (c->P) {
        vp_prove(c->tr, *pt, vals, tabs, ntab, terms, nterms, n, claim_v);
        *red = vp_combine(terms, nterms, vals);
    } else {
        *red = claim_v;
        zk_err e = sc_verify(c->tr, *pt, red, vp_degree(terms, nterms), n);
        if (e == ZK_EPROOF) return cx_fail(c, "sumcheck round");
        TRY(e);
    }
    for (unsigned j = 0; j < ntab; j++)
        if (send[j]) TRY(cx_xfer(c, "cnn/eval", &vals[j], 1));
    return ZK_OK;
}

/* The degree-2 sumcheck sum_x wt(x) T(x) = claim with T a base-field table
 * (prover: sc_prove_base, no lifted copy of T). vals[0] = wt(pt) (the
 * caller computes it on the verifier side), vals[1] = T(pt), sent. */
static zk_err cx_sc_dot(cx *c, fp2 *wt, const fm61 *T, unsigned nv, fp2 claim_v, fp2 **pt, fp2 *red, fp2 *vals) {
    *pt = cx_pt(c, nv);
    c->err += 2.0 * nv; /* nv rounds of degree 2 */
    if (nv && 2 > c->rbr) c->rbr = 2;
    if (c->P) {
        fp2 fin[2];
        fp2 *vbuf = zk_malloc_n(nv ? (size_t)1 << (nv - 1) : 1, sizeof *vbuf);
        sc_prove_base(c->tr, *pt, fin, T, vbuf, wt, nv, claim_v);
        free(vbuf);
        vals[0] = fin[1];
        vals[1] = fin[0];
        *red = fp2_mul(vals[0], vals[1]);
    } else {
        *red = claim_v;
        zk_err e = sc_verify(c->tr, *pt, red, 2, nv);
        if (e == ZK_EPROOF) return cx_fail(c, "sumcheck round");
        TRY(e);
    }
    return cx_xfer(c, "cnn/eval", &vals[1], 1);
}

static zk_err cx_sc_check(cx *c, const vp_term *terms, unsigned nterms, const fp2 *vals, fp2 red, const char *what) {
    if (c->P) return ZK_OK;
    if (!fp2_eq(vp_combine(terms, nterms, vals), red)) return cx_fail(c, what);
    return ZK_OK;
}

/* MLE of the indicator of [0, len) on nv variables, at r. O(nv). */
static fp2 ind_eval(int64_t len, const fp2 *r, unsigned nv) {
    if (len >= ((int64_t)1 << nv)) return fp2_one();
    if (len <= 0) return fp2_zero();
    int64_t half = (int64_t)1 << (nv - 1);
    fp2 t = r[nv - 1], one = fp2_one();
    if (len <= half) return fp2_mul(fp2_sub(one, t), ind_eval(len, r, nv - 1));
    return fp2_add(fp2_sub(one, t), fp2_mul(t, ind_eval(len - half, r, nv - 1)));
}

/* eq(bits of idx over coordinates [lo, hi)), i.e. the selector of an aligned block. */
static fp2 sel_eval(uint64_t idx, const fp2 *r, unsigned lo, unsigned hi) {
    fp2 s = fp2_one();
    for (unsigned j = lo; j < hi; j++) {
        fp2 t = ((idx >> (j - lo)) & 1) ? r[j] : fp2_sub(fp2_one(), r[j]);
        s = fp2_mul(s, t);
    }
    return s;
}

static fp2 *eq_new(const fp2 *r, unsigned n) {
    fp2 *e = zk_malloc_n((size_t)1 << n, sizeof *e);
    mle_eq_table(e, r, n);
    return e;
}

static fp2 *lift_new(const fm61 *t, unsigned n) {
    fp2 *o = zk_malloc_n((size_t)1 << n, sizeof *o);
    mle_lift(o, t, (size_t)1 << n);
    return o;
}

/* sum_v e[v] sum_f coef (src >= 0 ? T[src] : pad), with T given as fm61 (Tm) or fp2 (Tf). */
static fp2 map_apply(const cmap *mp, const fp2 *e, const fm61 *Tm, const fp2 *Tf) {
    fp2 s = fp2_zero();
#pragma omp parallel if (mp->len * mp->fan >= 65536)
    {
        fp2 loc = fp2_zero();
#pragma omp for schedule(static)
        for (int64_t v = 0; v < mp->len; v++) {
            fp2 acc = fp2_zero();
            for (unsigned f = 0; f < mp->fan; f++) {
                int64_t k = v * mp->fan + f, sidx = mp->src[k];
                fp2 t;
                if (sidx >= 0) t = Tm ? fp2_from_fm61(Tm[sidx]) : Tf[sidx];
                else t = fp2_from_fm61(mp->pad);
                if (mp->coef) t = fp2_mul_fm61(t, mp->coef[k]);
                acc = fp2_add(acc, t);
            }
            loc = fp2_add(loc, fp2_mul(acc, e[v]));
        }
#pragma omp critical(cnn_map_apply)
        s = fp2_add(s, loc);
    }
    return s;
}

/* the pad part of a map claim: sum_v e[v] sum_{f: src < 0} coef * pad */
static fp2 map_pad(const cmap *mp, const fp2 *e) {
    if (mp->pad == 0) return fp2_zero();
    fp2 s = fp2_zero();
    for (int64_t v = 0; v < mp->len; v++)
        for (unsigned f = 0; f < mp->fan; f++) {
            int64_t k = v * mp->fan + f;
            if (mp->src[k] >= 0) continue;
            fm61 cf = mp->coef ? fm61_mul(mp->coef[k], mp->pad) : mp->pad;
            s = fp2_add(s, fp2_mul_fm61(e[v], cf));
        }
    return s;
}

/* Prover: the value of a claim with map mp at pt on table T. */
static fp2 map_value(const cmap *mp, const fp2 *pt, const fm61 *T) {
    fp2 *e = eq_new(pt, mp->nv);
    fp2 v = map_apply(mp, e, T, NULL);
    free(e);
    return v;
}

static cmap *map_new(cx *c, int64_t len, unsigned nv, unsigned fan, int with_coef) {
    cmap *mp = cx_alloc(c, sizeof *mp);
    mp->len = len;
    mp->nv = nv;
    mp->fan = fan;
    mp->src = cx_alloc(c, (size_t)len * fan * sizeof *mp->src);
    if (with_coef) mp->coef = cx_alloc(c, (size_t)len * fan * sizeof *mp->coef);
    return mp;
}

/* A map that is the identity on all tlen real entries of a table on the
 * same variables is dropped (NULL), which saves a merge sumcheck: the
 * claim then also reads the table's entries from tlen on, which only meet
 * the claim's own padding (protocol.md sec. 7.2). A map covering fewer
 * entries than the table has real ones (a Pad that crops the tail) stays:
 * dropping it would read real cells the claim leaves out. */
static const cmap *map_simplify(const cmap *mp, int64_t tlen, unsigned tnv) {
    if (mp->fan != 1 || mp->coef || mp->pad || mp->nv != tnv || mp->len != tlen) return mp;
    for (int64_t v = 0; v < mp->len; v++)
        if (mp->src[v] != v) return mp;
    return NULL;
}

/* Merges the claims of list l on a table T (prover: fm61 values, 2^nv
 * entries) into one point claim (*pt, *val). No claims: *pt = NULL. */
static zk_err cx_merge(cx *c, claims *l, const fm61 *T, unsigned nv, fp2 **pt, fp2 *val) {
    *pt = NULL;
    if (l->n == 0) return ZK_OK;
    if (l->n == 1 && !l->v[0].map) {
        *pt = (fp2 *)l->v[0].pt;
        *val = l->v[0].val;
        return ZK_OK;
    }
    double t0 = cnn_now();
    fp2 alpha = tr_challenge(c->tr, "cnn/merge/alpha");
    cx_chal(c, (double)(l->n - 1)); /* sum_j alpha^j (claim_j - true_j) */
    size_t N = (size_t)1 << nv;
    fp2 sum = fp2_zero(), coef = fp2_one();
    fp2 *wt = c->P ? zk_calloc(N, sizeof *wt) : NULL;
    fp2 *cf = zk_malloc_n(l->n, sizeof *cf);
    for (size_t j = 0; j < l->n; j++) {
        const claim *cl = &l->v[j];
        cf[j] = coef;
        fp2 v = cl->val;
        if (cl->map) {
            fp2 *e = eq_new(cl->pt, cl->map->nv);
            v = fp2_sub(v, map_pad(cl->map, e));
            if (c->P) {
                const cmap *mp = cl->map;
                for (int64_t x = 0; x < mp->len; x++) {
                    fp2 ex = fp2_mul(e[x], coef);
                    for (unsigned f = 0; f < mp->fan; f++) {
                        int64_t k = x * mp->fan + f;
                        if (mp->src[k] < 0) continue;
                        fp2 add = mp->coef ? fp2_mul_fm61(ex, mp->coef[k]) : ex;
                        wt[mp->src[k]] = fp2_add(wt[mp->src[k]], add);
                    }
                }
            }
            free(e);
        } else if (c->P) {
            mle_eq_table_add(wt, cl->pt, nv, coef);
        }
        sum = fp2_add(sum, fp2_mul(coef, v));
        coef = fp2_mul(coef, alpha);
    }
    vp_term term = {.c = fp2_one(), .k = 2, .t = {0, 1}};
    fp2 vals[2], red, *r;
    zk_err e = cx_sc_dot(c, wt, T, nv, sum, &r, &red, vals);
    free(wt);
    if (e == ZK_OK && !c->P) {
        fp2 *er = eq_new(r, nv), w = fp2_zero();
        for (size_t j = 0; j < l->n; j++) {
            const claim *cl = &l->v[j];
            fp2 wj;
            if (cl->map) {
                fp2 *ep = eq_new(cl->pt, cl->map->nv);
                cmap tmp = *cl->map;
                tmp.pad = 0;
                wj = map_apply(&tmp, ep, NULL, er);
                free(ep);
            } else {
                wj = mle_eq_eval(cl->pt, r, nv);
            }
            w = fp2_add(w, fp2_mul(cf[j], wj));
        }
        free(er);
        vals[0] = w;
        e = cx_sc_check(c, &term, 1, vals, red, "claim merge");
    }
    free(cf);
    if (c->st) c->st->t[CNN_PH_MERGE] += cnn_now() - t0;
    TRY(e);
    *pt = r;
    *val = vals[1];
    return ZK_OK;
}

/* ------------------------------------------------------------ targets */

static void claim_tensor(cx *c, int32_t t, const fp2 *pt, fp2 val, const cmap *map) {
    if (map) map = map_simplify(map, q_numel(c->m, t), c->pl->tnv[t]);
    claims_push(&c->tc[t], pt, val, map);
}

static const fm61 *reg_table(const cx *c, int r) {
    const pl_region *rg = &c->pl->reg[r];
    return (rg->poly == PL_W ? c->W : c->ADV) + rg->off;
}

/* Claims on a quantity (sum of lb-bit limbs, lb the plan's limb width,
 * 8..16) at pt with optional map (pad 0): the prover sends every limb's
 * value but the last, which is implied. */
static zk_err claim_qty(cx *c, const pl_qty *q, const fp2 *pt, fp2 val, const cmap *map) {
    fp2 rest = val;
    for (int j = 0; j < q->nl - 1; j++) {
        fp2 lv = fp2_zero();
        if (c->P) {
            const fm61 *R = reg_table(c, q->reg[j]);
            lv = map ? map_value(map, pt, R) : mle_eval_fm61(R, c->pl->reg[q->reg[j]].nv, pt);
        }
        TRY(cx_xfer(c, "cnn/limb", &lv, 1));
        claims_push(&c->rc[q->reg[j]], pt, lv, map);
        rest = fp2_sub(rest, fp2_mul(lv, fp2_pow2((int)c->pl->lb * j)));
    }
    int last = q->nl - 1;
    fp2 lv = fp2_mul(rest, fp2_inv_pow2((int)c->pl->lb * last));
    claims_push(&c->rc[q->reg[last]], pt, lv, map);
    return ZK_OK;
}

/* Prover: the quantity's values as an fp2 table of 2^nv entries. */
static fp2 *qty_table(const cx *c, const pl_qty *q, unsigned nv) {
    size_t N = (size_t)1 << nv;
    fp2 *t = zk_calloc(N, sizeof *t);
    for (int j = 0; j < q->nl; j++) {
        const fm61 *R = reg_table(c, q->reg[j]);
        fm61 s = fm61_pow2((int)c->pl->lb * j);
        for (size_t i = 0; i < N; i++) t[i] = fp2_add(t[i], fp2_from_fm61(fm61_mul(R[i], s)));
    }
    return t;
}

static fp2 *tensor_table(const cx *c, int32_t t) { return lift_new(c->tv[t], c->pl->tnv[t]); }

/* ------------------------------------------------------------ layers */

/* y = rescale(acc): from the claim y(rho) = v, claims on rem and returns
 * acc(rho) (sent by the prover when there is a remainder). */
static zk_err rd_rescale(cx *c, size_t i, const fp2 *rho, fp2 v, fp2 *acc_v) {
    const q_node *nd = &c->m->nodes[i];
    const pl_node *pn = &c->pl->node[i];
    int32_t ty = (int32_t)i + 1;
    unsigned nv = c->pl->tnv[ty];
    if (nd->k <= 0) { /* y = acc * 2^-k exactly */
        *acc_v = fp2_mul(v, fp2_inv_pow2(-nd->k));
        return ZK_OK;
    }
    fp2 a = fp2_zero();
    if (c->P) {
        int64_t ny = q_numel(c->m, ty);
        fm61 *t = zk_calloc((size_t)1 << nv, sizeof *t);
        for (int64_t o = 0; o < ny; o++) t[o] = fm61_from_i64(c->w->nodes[i].acc[o]);
        a = mle_eval_fm61(t, nv, rho);
        free(t);
    }
    TRY(cx_xfer(c, "cnn/acc", &a, 1));
    /* y 2^k + rem = acc + 2^(k-1) on [0, numel) */
    fp2 rem = fp2_sub(fp2_add(a, fp2_mul(fp2_pow2(nd->k - 1), ind_eval(q_numel(c->m, ty), rho, nv))),
                      fp2_mul(fp2_pow2(nd->k), v));
    TRY(claim_qty(c, &pn->rem, rho, rem, NULL));
    *acc_v = a;
    return ZK_OK;
}

/* Matmul layers: acc = Z o zmap + bias,  Z[p + Pp (m' + Mp g)] =
 * sum_kp sum_c A_kp[c + Qp (p + Pp g)] B_kp[c + Qp (m' + Mp g)]. */
static zk_err rd_matmul(cx *c, size_t i, const fp2 *rho, fp2 a) {
    const q_model *m = c->m;
    const q_node *nd = &m->nodes[i];
    const pl_node *pn = &c->pl->node[i];
    int32_t ty = (int32_t)i + 1, tx = nd->in[0];
    unsigned ynv = c->pl->tnv[ty];
    int64_t ny = q_numel(m, ty);
    const nn_shape *X = &m->tensors[tx].shape, *Y = &m->tensors[ty].shape;
    int64_t Pp = (int64_t)1 << pn->pv, Mp = (int64_t)1 << pn->mv, Qp = (int64_t)1 << pn->qv;
    unsigned znv = pn->pv + pn->mv + pn->gv;
    int64_t M = pn->G * pn->Mg;
    /* zmap and bias map over the acc layout */
    cmap *zm = map_new(c, ny, ynv, 1, 0);
    cmap *bm = pn->breg >= 0 ? map_new(c, ny, ynv, 1, 0) : NULL;
    for (int64_t o = 0; o < ny; o++) {
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
        const int64_t *acc = c->w->nodes[i].acc;
        for (int64_t o = 0; o < ny; o++)
            Z[zm->src[o]] = fm61_from_i64(acc[o] - (bm ? nd->b[bm->src[o]] : 0));
    }
    fp2 zv = a;
    if (bm) {
        if (c->P) zv = map_value(zm, rho, Z);
        TRY(cx_xfer(c, "cnn/mm/z", &zv, 1));
        claims_push(&c->rc[pn->breg], rho, fp2_sub(a, zv), bm);
    }
    claims zl = {0};
    /* Z's real entries are the ny images of zmap; an entry beyond them has a
     * padding p, m' or g, where A or B is zero, so Z is zero there */
    claims_push(&zl, rho, zv, map_simplify(zm, ny, znv));
    fp2 *zpt, zval;
    zk_err e = cx_merge(c, &zl, Z, znv, &zpt, &zval);
    free(zl.v);
    free(Z);
    TRY(e);
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
        cmap *mp = am[k] = map_new(c, alen, anv, 1, 0);
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
        bmap = map_new(c, Qp * Mp, pn->qv + pn->mv, 1, 0);
        for (int64_t v = 0; v < Qp * Mp; v++) {
            int64_t ch = v % Qp, mg = v / Qp;
            bmap->src[v] = (ch < pn->Q && mg < pn->Mg) ? ch * pn->Mg + mg : -1;
        }
    }
    if (c->P) {
        fp2 *epg = eq_new(rp, pn->pv), *emg = eq_new(rm, pn->mv);
        fp2 *eg = pn->gv ? eq_new(rg, pn->gv) : NULL;
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
                    const fm61 *B = reg_table(c, pn->wreg + (int)k);
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
    e = cx_sc(c, tabs, ntab, terms, K, n2, zval, &r, &red, vals, send);
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
            claim_tensor(c, tx, pa, vals[2 * k], am[k]);
            if (pn->kind == PL_MM_MATMUL) claim_tensor(c, nd->in[1], pb, vals[2 * k + 1], bmap);
            else claims_push(&c->rc[pn->wreg + (int)k], pb, vals[2 * k + 1], NULL);
        }
    }
    free(am);
    free(terms);
    free(send);
    free(vals);
    return e;
}

/* Broadcast map of operand j of a binary node over the output layout. */
static cmap *bcast_map(cx *c, size_t i, int j) {
    const q_model *m = c->m;
    const q_node *nd = &m->nodes[i];
    int32_t ty = (int32_t)i + 1;
    int64_t ny = q_numel(m, ty);
    q_bcast bc;
    ZK_CHECK(q_bcast_init(&bc, q_operand_shape(m, nd, 0), q_operand_shape(m, nd, 1), &m->tensors[ty].shape));
    cmap *mp = map_new(c, ny, c->pl->tnv[ty], 1, 0);
    for (int64_t o = 0; o < ny; o++) {
        int64_t oa, ob;
        q_bcast_off(&bc, o, &oa, &ob);
        mp->src[o] = j ? ob : oa;
    }
    return mp;
}

/* A claim on operand j of a binary node (tensor or constant region). */
static void claim_operand(cx *c, size_t i, int j, const fp2 *pt, fp2 val, cmap *mp) {
    const q_node *nd = &c->m->nodes[i];
    if (nd->in[j] >= 0) claim_tensor(c, nd->in[j], pt, val, mp);
    else {
        const pl_region *rg = &c->pl->reg[c->pl->node[i].creg];
        claims_push(&c->rc[c->pl->node[i].creg], pt, val, map_simplify(mp, rg->len, rg->nv));
    }
}

/* Prover: the operand's broadcast values as an fp2 table over the output. */
static fp2 *operand_table(const cx *c, size_t i, int j, const cmap *mp) {
    const q_node *nd = &c->m->nodes[i];
    const fm61 *T = nd->in[j] >= 0 ? c->tv[nd->in[j]] : reg_table(c, c->pl->node[i].creg);
    fp2 *t = zk_calloc((size_t)1 << mp->nv, sizeof *t);
    for (int64_t o = 0; o < mp->len; o++) t[o] = fp2_from_fm61(T[mp->src[o]]);
    return t;
}

static zk_err rd_mul(cx *c, size_t i, const fp2 *rho, fp2 a) {
    unsigned nv = c->pl->tnv[i + 1];
    cmap *ma = bcast_map(c, i, 0), *mb = bcast_map(c, i, 1);
    fp2 *tabs[3] = {NULL, NULL, NULL};
    if (c->P) {
        tabs[0] = eq_new(rho, nv);
        tabs[1] = operand_table(c, i, 0, ma);
        tabs[2] = operand_table(c, i, 1, mb);
    }
    vp_term t = {.c = fp2_one(), .k = 3, .t = {0, 1, 2}};
    int send[3] = {0, 1, 1};
    fp2 vals[3], red, *r;
    zk_err e = cx_sc(c, tabs, 3, &t, 1, nv, a, &r, &red, vals, send);
    for (int j = 0; j < 3; j++) free(tabs[j]);
    TRY(e);
    vals[0] = mle_eq_eval(rho, r, nv);
    TRY(cx_sc_check(c, &t, 1, vals, red, "product sumcheck"));
    claim_operand(c, i, 0, r, vals[1], ma);
    claim_operand(c, i, 1, r, vals[2], mb);
    return ZK_OK;
}

static zk_err rd_addsub(cx *c, size_t i, const fp2 *rho, fp2 a) {
    const q_node *nd = &c->m->nodes[i];
    cmap *ma = bcast_map(c, i, 0), *mb = bcast_map(c, i, 1);
    fp2 av = fp2_zero();
    if (c->P) {
        const fm61 *T = nd->in[0] >= 0 ? c->tv[nd->in[0]] : reg_table(c, c->pl->node[i].creg);
        av = map_value(ma, rho, T);
    }
    TRY(cx_xfer(c, "cnn/add/a", &av, 1));
    /* acc = 2^al0 A +- 2^al1 B */
    fp2 bv = fp2_mul(fp2_sub(a, fp2_mul(av, fp2_pow2(nd->align[0]))), fp2_inv_pow2(nd->align[1]));
    if (nd->op == NN_SUB) bv = fp2_neg(bv);
    claim_operand(c, i, 0, rho, av, ma);
    claim_operand(c, i, 1, rho, bv, mb);
    return ZK_OK;
}

static zk_err rd_affine(cx *c, size_t i, const fp2 *rho, fp2 a) {
    const q_model *m = c->m;
    const q_node *nd = &m->nodes[i];
    const pl_node *pn = &c->pl->node[i];
    int32_t ty = (int32_t)i + 1;
    unsigned nv = c->pl->tnv[ty];
    int64_t ny = q_numel(m, ty);
    const nn_shape *X = &m->tensors[nd->in[0]].shape;
    int64_t C = X->d[1], inner = 1;
    for (int d = 2; d < X->ndim; d++) inner *= X->d[d];
    cmap *cm = map_new(c, ny, nv, 1, 0);
    for (int64_t o = 0; o < ny; o++) cm->src[o] = (o / inner) % C;
    fp2 tvv = fp2_zero();
    if (c->P) tvv = map_value(cm, rho, reg_table(c, pn->breg));
    TRY(cx_xfer(c, "cnn/affine/t", &tvv, 1));
    claims_push(&c->rc[pn->breg], rho, tvv, cm);
    fp2 *tabs[3] = {NULL, NULL, NULL};
    if (c->P) {
        tabs[0] = eq_new(rho, nv);
        tabs[1] = tensor_table(c, nd->in[0]);
        tabs[2] = zk_calloc((size_t)1 << nv, sizeof(fp2));
        const fm61 *S = reg_table(c, pn->creg);
        for (int64_t o = 0; o < ny; o++) tabs[2][o] = fp2_from_fm61(S[cm->src[o]]);
    }
    vp_term t = {.c = fp2_one(), .k = 3, .t = {0, 1, 2}};
    int send[3] = {0, 1, 1};
    fp2 vals[3], red, *r;
    zk_err e = cx_sc(c, tabs, 3, &t, 1, nv, fp2_sub(a, tvv), &r, &red, vals, send);
    for (int j = 0; j < 3; j++) free(tabs[j]);
    TRY(e);
    vals[0] = mle_eq_eval(rho, r, nv);
    TRY(cx_sc_check(c, &t, 1, vals, red, "scale sumcheck"));
    claim_tensor(c, nd->in[0], r, vals[1], NULL);
    claims_push(&c->rc[pn->creg], r, vals[2], cm);
    return ZK_OK;
}

/* ReLU (alpha = NULL) and LeakyRelu:
 *   y = s x + (1 - s) kappa (alpha x + c - rem),  u = (2s - 1) x + s - 1,
 * both checked by one sumcheck  sum_o eq(rho, o) [y-part + beta (u - (2s-1)x - s + 1)] = v. */
static zk_err rd_relu(cx *c, size_t i, const fp2 *rho, fp2 v) {
    const q_model *m = c->m;
    const q_node *nd = &m->nodes[i];
    const pl_node *pn = &c->pl->node[i];
    int32_t ty = (int32_t)i + 1;
    unsigned nv = c->pl->tnv[ty];
    int64_t ny = q_numel(m, ty);
    int leaky = nd->op == NN_LEAKYRELU, hasrem = pn->rem.nl > 0;
    fp2 beta = tr_challenge(c->tr, "cnn/relu/beta");
    fp2 one = fp2_one(), two_b = fp2_dbl(beta);
    fp2 kappa = fp2_zero(), cc = fp2_zero(), al = fp2_zero();
    if (leaky) {
        kappa = nd->k >= 1 ? fp2_inv_pow2(nd->k) : fp2_pow2(-nd->k);
        cc = nd->k >= 1 ? fp2_pow2(nd->k - 1) : fp2_zero();
        al = fp2_i64(nd->alpha);
    }
    fp2 ka = fp2_mul(kappa, al), kc = fp2_mul(kappa, cc);
    /* tables: 0 eq, 1 s, 2 x, 3 u, 4 I, 5 rem */
    enum { T_EQ, T_S, T_X, T_U, T_I, T_R };
    vp_term t[10];
    unsigned nt = 0;
    t[nt++] = (vp_term){.c = fp2_sub(fp2_sub(one, ka), two_b), .k = 3, .t = {T_EQ, T_S, T_X}};
    t[nt++] = (vp_term){.c = fp2_add(ka, beta), .k = 2, .t = {T_EQ, T_X}};
    t[nt++] = (vp_term){.c = fp2_add(kc, beta), .k = 2, .t = {T_EQ, T_I}};
    t[nt++] = (vp_term){.c = fp2_neg(fp2_add(kc, beta)), .k = 2, .t = {T_EQ, T_S}};
    t[nt++] = (vp_term){.c = beta, .k = 2, .t = {T_EQ, T_U}};
    /* s is a bit: beta^2 (s^2 - s) */
    fp2 b2 = fp2_sqr(beta);
    t[nt++] = (vp_term){.c = b2, .k = 3, .t = {T_EQ, T_S, T_S}};
    t[nt++] = (vp_term){.c = fp2_neg(b2), .k = 2, .t = {T_EQ, T_S}};
    if (hasrem) {
        t[nt++] = (vp_term){.c = fp2_neg(kappa), .k = 2, .t = {T_EQ, T_R}};
        t[nt++] = (vp_term){.c = kappa, .k = 3, .t = {T_EQ, T_S, T_R}};
    }
    unsigned ntab = hasrem ? 6 : 5;
    fp2 *tabs[6] = {0};
    if (c->P) {
        tabs[T_EQ] = eq_new(rho, nv);
        tabs[T_S] = qty_table(c, &pn->sign, nv);
        tabs[T_X] = tensor_table(c, nd->in[0]);
        tabs[T_U] = qty_table(c, &pn->u, nv);
        tabs[T_I] = zk_calloc((size_t)1 << nv, sizeof(fp2));
        for (int64_t o = 0; o < ny; o++) tabs[T_I][o] = one;
        if (hasrem) tabs[T_R] = qty_table(c, &pn->rem, nv);
    }
    int send[6] = {0, 1, 1, 1, 0, 1};
    fp2 vals[6], red, *r;
    zk_err e = cx_sc(c, tabs, ntab, t, nt, nv, v, &r, &red, vals, send);
    for (unsigned j = 0; j < ntab; j++) free(tabs[j]);
    TRY(e);
    vals[T_EQ] = mle_eq_eval(rho, r, nv);
    vals[T_I] = ind_eval(ny, r, nv);
    cx_point(c, nv, 1); /* the constraints' MLEs at rho */
    cx_chal(c, 2);      /* then a degree-2 polynomial in beta */
    TRY(cx_sc_check(c, t, nt, vals, red, "sign sumcheck"));
    TRY(claim_qty(c, &pn->sign, r, vals[T_S], NULL));
    TRY(claim_qty(c, &pn->u, r, vals[T_U], NULL));
    if (hasrem) TRY(claim_qty(c, &pn->rem, r, vals[T_R], NULL));
    claim_tensor(c, nd->in[0], r, vals[T_X], NULL);
    return ZK_OK;
}

static zk_err rd_maxpool(cx *c, size_t i, const fp2 *rho, fp2 v) {
    const q_model *m = c->m;
    const q_node *nd = &m->nodes[i];
    const pl_node *pn = &c->pl->node[i];
    int32_t ty = (int32_t)i + 1, tx = nd->in[0];
    unsigned nv = c->pl->tnv[ty];
    int64_t ny = q_numel(m, ty), P = pn->ncell;
    fm61 negA = fm61_from_i64(-q_act_bound(m));
    /* y = X_p + d_p for every cell p (X_p = x at the cell, -A at padding) */
    fp2 *dv = zk_calloc((size_t)P, sizeof *dv), *ev = zk_calloc((size_t)P, sizeof *ev);
    zk_err e = ZK_OK;
    for (int64_t p = 0; p < P && e == ZK_OK; p++) {
        cmap *mp = map_new(c, ny, nv, 1, 0);
        mp->pad = negA;
        for (int64_t o = 0; o < ny; o++) mp->src[o] = q_max_cell(m, nd, o, pn->cell[p]);
        if (c->P) {
            fp2 *tq = qty_table(c, &pn->d[p], nv);
            dv[p] = mle_eval_fp2(tq, nv, rho);
            free(tq);
        }
        e = cx_xfer(c, "cnn/max/d", &dv[p], 1);
        if (e) break;
        e = claim_qty(c, &pn->d[p], rho, dv[p], NULL);
        claim_tensor(c, tx, rho, fp2_sub(v, dv[p]), mp);
    }
    /* one-hot choice: sum_p e_p = 1 on [0, ny) */
    fp2 es = fp2_zero();
    for (int64_t p = 0; p < P && e == ZK_OK; p++) {
        if (c->P) {
            fp2 *tq = qty_table(c, &pn->e[p], nv);
            ev[p] = mle_eval_fp2(tq, nv, rho);
            free(tq);
        }
        e = cx_xfer(c, "cnn/max/e", &ev[p], 1);
        es = fp2_add(es, ev[p]);
        if (e == ZK_OK) e = claim_qty(c, &pn->e[p], rho, ev[p], NULL);
    }
    /* y = X_p + d_p for every p, and sum_p e_p = I, each tested at rho */
    /* with the choice zero-check below: P + 2 identities at rho */
    cx_point(c, nv, (double)P + 2);
    if (e == ZK_OK && !c->P && !fp2_eq(es, ind_eval(ny, rho, nv))) e = cx_fail(c, "max-pool one-hot");
    free(dv);
    free(ev);
    TRY(e);
    /* the chosen cell is a maximum and the choices are bits:
     * sum_o eq(rho, o) sum_p [beta^p e_p d_p + beta^(P+p) (e_p^2 - e_p)] = 0 */
    fp2 beta = tr_challenge(c->tr, "cnn/max/beta");
    cx_chal(c, 2.0 * (double)P - 1); /* degree 2P - 1 in beta (the MLEs at rho: counted above) */
    unsigned ntab = (unsigned)(1 + 2 * P);
    fp2 **tabs = zk_calloc(ntab, sizeof *tabs);
    vp_term *t = zk_calloc((size_t)(3 * P), sizeof *t);
    int *send = zk_calloc(ntab, sizeof *send);
    fp2 *vals = zk_calloc(ntab, sizeof *vals), bp = fp2_one(), bq = fp2_one();
    for (int64_t p = 0; p < P; p++) bq = fp2_mul(bq, beta);
    for (int64_t p = 0; p < P; p++) {
        unsigned te = (unsigned)(1 + 2 * p);
        t[p] = (vp_term){.c = bp, .k = 3, .t = {0, te, te + 1}};
        t[P + p] = (vp_term){.c = bq, .k = 3, .t = {0, te, te}};
        t[2 * P + p] = (vp_term){.c = fp2_neg(bq), .k = 2, .t = {0, te}};
        bp = fp2_mul(bp, beta);
        bq = fp2_mul(bq, beta);
        send[1 + 2 * p] = send[2 + 2 * p] = 1;
        if (c->P) {
            tabs[1 + 2 * p] = qty_table(c, &pn->e[p], nv);
            tabs[2 + 2 * p] = qty_table(c, &pn->d[p], nv);
        }
    }
    if (c->P) tabs[0] = eq_new(rho, nv);
    fp2 *r, red;
    e = cx_sc(c, tabs, ntab, t, (unsigned)(3 * P), nv, fp2_zero(), &r, &red, vals, send);
    for (unsigned j = 0; j < ntab; j++) free(tabs[j]);
    free(tabs);
    if (e == ZK_OK) {
        vals[0] = mle_eq_eval(rho, r, nv);
        e = cx_sc_check(c, t, (unsigned)(3 * P), vals, red, "max-pool choice sumcheck");
    }
    for (int64_t p = 0; p < P && e == ZK_OK; p++) {
        e = claim_qty(c, &pn->e[p], r, vals[1 + 2 * p], NULL);
        if (e == ZK_OK) e = claim_qty(c, &pn->d[p], r, vals[2 + 2 * p], NULL);
    }
    free(t);
    free(send);
    free(vals);
    return e;
}

/* 2n y + rem = 2 acc + n, acc = sum of the window's real cells:
 *   y(rho) = sum_o eq(rho,o) c_o (2 acc_o + n_o - rem_o),  c_o = 1 / (2 n_o). */
static zk_err rd_avgpool(cx *c, size_t i, const fp2 *rho, fp2 v) {
    const q_model *m = c->m;
    const q_node *nd = &m->nodes[i];
    const pl_node *pn = &c->pl->node[i];
    int32_t ty = (int32_t)i + 1;
    unsigned nv = c->pl->tnv[ty];
    int64_t ny = q_numel(m, ty), P = pn->ncell;
    cmap *rm = map_new(c, ny, nv, 1, 1);
    cmap *xm = map_new(c, ny, nv, (unsigned)P, 1);
    for (int64_t o = 0; o < ny; o++) {
        fm61 co = fm61_inv(fm61_from_i64(2 * q_avg_count(m, nd, o)));
        rm->src[o] = o;
        rm->coef[o] = co;
        for (int64_t p = 0; p < P; p++) {
            xm->src[o * P + p] = q_max_cell(m, nd, o, pn->cell[p]);
            xm->coef[o * P + p] = fm61_add(co, co);
        }
    }
    fp2 R = fp2_zero();
    if (c->P) R = map_value(rm, rho, reg_table(c, pn->rem.reg[0]));
    TRY(cx_xfer(c, "cnn/avg/rem", &R, 1));
    claims_push(&c->rc[pn->rem.reg[0]], rho, R, rm);
    /* sum_o eq c_o n_o = I(rho) / 2 */
    fp2 half = fp2_from_fm61(fm61_inv(2));
    fp2 xv = fp2_add(fp2_sub(v, fp2_mul(ind_eval(ny, rho, nv), half)), R);
    claim_tensor(c, nd->in[0], rho, xv, xm);
    return ZK_OK;
}

/* A tensor no relation proves an integer (rule Q_INT_CHECK, quant.h;
 * protocol.md 7.7): its merged claim y(rho) = v also becomes the claim
 * Y(rho) = v + A I(rho) on its committed copy Y = y + A, whose limbs the
 * lookup keeps in [0, 2A). The producer's reduction then proves the same
 * value for the y its relation defines, so y = Y - A on the hypercube
 * (error nv / |F| at rho). */
static zk_err ychk_claim(cx *c, size_t i, const fp2 *rho, fp2 v) {
    const pl_qty *q = &c->pl->node[i].ychk;
    if (!q->nl) return ZK_OK;
    unsigned nv = c->pl->tnv[i + 1];
    cx_point(c, nv, 1);
    fp2 off = fp2_mul(fp2_i64(q_act_bound(c->m)), ind_eval(q_numel(c->m, (int32_t)i + 1), rho, nv));
    return claim_qty(c, q, rho, fp2_add(v, off), NULL);
}

static zk_err rd_node(cx *c, size_t i, const fp2 *rho, fp2 v) {
    const q_node *nd = &c->m->nodes[i];
    const pl_node *pn = &c->pl->node[i];
    double t0 = cnn_now();
    int ph = CNN_PH_OTHER;
    c->where = nd->name;
    c->what = nn_op_name(nd->op);
    zk_err e = ZK_OK;
    fp2 a;
    switch (nd->op) {
    case NN_CONV:
    case NN_FC:
    case NN_MATMUL:
        ph = nd->op == NN_CONV ? CNN_PH_CONV : CNN_PH_FC;
        e = rd_rescale(c, i, rho, v, &a);
        if (e == ZK_OK) e = rd_matmul(c, i, rho, a);
        break;
    case NN_MUL:
    case NN_AFFINE:
    case NN_ADD:
    case NN_SUB:
        e = rd_rescale(c, i, rho, v, &a);
        if (e == ZK_OK)
            e = nd->op == NN_MUL ? rd_mul(c, i, rho, a) : nd->op == NN_AFFINE ? rd_affine(c, i, rho, a) : rd_addsub(c, i, rho, a);
        break;
    case NN_RELU:
    case NN_LEAKYRELU:
        ph = CNN_PH_ACT;
        e = rd_relu(c, i, rho, v);
        break;
    case NN_MAXPOOL:
    case NN_GLOBALMAXPOOL:
        ph = CNN_PH_POOL;
        e = rd_maxpool(c, i, rho, v);
        break;
    case NN_AVGPOOL:
    case NN_GLOBALAVGPOOL:
        ph = CNN_PH_POOL;
        e = rd_avgpool(c, i, rho, v);
        break;
    case NN_RESHAPE: claim_tensor(c, nd->in[0], rho, v, NULL); break;
    case NN_PAD: {
        int32_t ty = (int32_t)i + 1;
        int64_t ny = q_numel(c->m, ty);
        cmap *mp = map_new(c, ny, c->pl->tnv[ty], 1, 0);
        mp->pad = fm61_from_i64(nd->pad);
        for (int64_t o = 0; o < ny; o++) mp->src[o] = q_pad_src(c->m, nd, o);
        claim_tensor(c, nd->in[0], rho, v, mp);
        break;
    }
    default: zk_set_reason("layer %s: op %s has no circuit", nd->name, nn_op_name(nd->op)); return ZK_EINPUT;
    }
    (void)pn;
    if (c->st) c->st->t[ph] += cnn_now() - t0;
    if (e == ZK_OK) c->where = NULL;
    return e;
}

/* ------------------------------------------------------------ lookups */


/* Prover of one fraction layer: sum_x eq(r, x) [pe qo + po qe + lam qe qo](x)
 * = claim over j variables, with the same messages as vp_prove on the five
 * tables (E, pe, po, qe, qo) but without an eq table to fold: in the round
 * binding variable v, eq(r, x) = C * eq(r_v, X) * eq(r_<v, x_<v), so
 * g(X) = C eq(r_v, X) G(X) with G of degree 2 over a sum weighted by
 * eq(r_<v, .) (Gruen's factoring). Tables are consumed; finals: pe, po,
 * qe, qo at the point. */
static void lu_layer_prove(tr_t *tr, fp2 *point, fp2 *fin, fp2 *T[4], const fp2 *r, unsigned j, fp2 lam) {
    size_t N = (size_t)1 << j;
    fp2 *el = zk_malloc_n(N > 1 ? N / 2 : 1, sizeof *el);
    if (j) mle_eq_table(el, r, j - 1); /* eq(r_<j-1, .) */
    fp2 C = fp2_one(), one = fp2_one();
    for (unsigned s = 0; s < j; s++) {
        unsigned v = j - 1 - s;
        size_t h = (size_t)1 << v;
        if (s) /* eq(r_<v, .) from eq(r_<v+1, .) by summing out variable v */
            for (size_t i = 0; i < h; i++) el[i] = fp2_add(el[i], el[i + h]);
        fp2 G[3] = {fp2_zero(), fp2_zero(), fp2_zero()};
#pragma omp parallel if (h >= 4096)
        {
            fp2 l0 = fp2_zero(), l1 = fp2_zero(), l2 = fp2_zero();
#pragma omp for schedule(static) nowait
            for (size_t i = 0; i < h; i++) {
                fp2 a0 = T[0][i], a1 = T[0][i + h], b0 = T[1][i], b1 = T[1][i + h];
                fp2 c0 = T[2][i], c1 = T[2][i + h], d0 = T[3][i], d1 = T[3][i + h];
                /* F = pe qo + qe (po + lam qo) at X = 0, 1, 2 */
                fp2 f0 = fp2_add(fp2_mul(a0, d0), fp2_mul(c0, fp2_add(b0, fp2_mul(lam, d0))));
                fp2 f1 = fp2_add(fp2_mul(a1, d1), fp2_mul(c1, fp2_add(b1, fp2_mul(lam, d1))));
                fp2 a2 = fp2_sub(fp2_dbl(a1), a0), b2 = fp2_sub(fp2_dbl(b1), b0);
                fp2 c2 = fp2_sub(fp2_dbl(c1), c0), d2 = fp2_sub(fp2_dbl(d1), d0);
                fp2 f2 = fp2_add(fp2_mul(a2, d2), fp2_mul(c2, fp2_add(b2, fp2_mul(lam, d2))));
                l0 = fp2_add(l0, fp2_mul(el[i], f0));
                l1 = fp2_add(l1, fp2_mul(el[i], f1));
                l2 = fp2_add(l2, fp2_mul(el[i], f2));
            }
#pragma omp critical(lu_layer)
            {
                G[0] = fp2_add(G[0], l0);
                G[1] = fp2_add(G[1], l1);
                G[2] = fp2_add(G[2], l2);
            }
        }
        /* G(3) = G(0) - 3 G(1) + 3 G(2); e(X) = (1 - r_v) + X (2 r_v - 1) */
        fp2 G3 = fp2_add(G[0], fp2_mul_fm61(fp2_sub(G[2], G[1]), 3));
        fp2 e0 = fp2_sub(one, r[v]), de = fp2_sub(fp2_dbl(r[v]), one), g[4];
        fp2 Gs[4] = {G[0], G[1], G[2], G3}, ex = e0;
        for (int X = 0; X < 4; X++) {
            g[X] = fp2_mul(C, fp2_mul(ex, Gs[X]));
            ex = fp2_add(ex, de);
        }
        tr_put_fp2(tr, "sc/round", g, 4);
        fp2 rho = tr_challenge(tr, "sc/r");
        point[v] = rho;
        C = fp2_mul(C, fp2_add(e0, fp2_mul(rho, de)));
        for (int k = 0; k < 4; k++) mle_fold(T[k], h, rho);
    }
    for (int k = 0; k < 4; k++) fin[k] = T[k][0];
    free(el);
}

/* logUp (Haboeck 2022) with a GKR for the fraction sum (Papini-Haboeck
 * 2023): sum over all column entries of 1 / (X - value) equals
 * sum_t m_t / (X - t) over the table [0, 2^lb). Leaves: column blocks
 * (p = 1, q = X - value), the table block (p = -m_t, q = X - t), unused
 * (p = 0, q = 1). Layer j node x has children 2x, 2x + 1 in layer j + 1.
 * With pl->lu_two the leaves are doubled: the upper half (leaf bit lnv = 1)
 * repeats them with a second challenge X2 and numerators times beta, so
 * the root sums F(X) + beta F(X2) (protocol.md sec. 7.4). */
static zk_err lookup(cx *c) {
    const pl_plan *pl = c->pl;
    double t0 = cnn_now();
    unsigned L = pl->lnv, H = pl->lu_two ? 2 : 1, LT = L + (H == 2);
    fp2 X[2], wt[2] = {fp2_one(), fp2_one()};
    X[0] = tr_challenge(c->tr, "cnn/lu/x");
    if (H == 2) {
        X[1] = tr_challenge(c->tr, "cnn/lu/x2");
        wt[1] = tr_challenge(c->tr, "cnn/lu/beta");
    }
    /* the rational identity at X: 2^L; with X2 and beta, (2^L)^2 / |F| + 1
     * (protocol.md sec. 7.4); in degree units over |F| */
    cx_chal(c, H == 2 ? ldexp(1.0, (int)L) * (ldexp(1.0, (int)L) / CX_FIELD) + 1 : ldexp(1.0, (int)L));
    fp2 **pl_ = NULL, **ql_ = NULL;
    if (c->P) {
        pl_ = zk_calloc(LT + 1, sizeof *pl_);
        ql_ = zk_calloc(LT + 1, sizeof *ql_);
        size_t N = (size_t)1 << LT;
        fp2 *p = pl_[LT] = zk_calloc(N, sizeof(fp2)), *q = ql_[LT] = zk_malloc_n(N, sizeof(fp2));
#pragma omp parallel for schedule(static) if (N >= 65536)
        for (size_t k = 0; k < N; k++) q[k] = fp2_one();
        /* half hh (leaf bit L) at base hh 2^L: challenge X[hh], weight wt[hh] */
        for (size_t ci = 0; ci < pl->ncol; ci++) {
            const pl_col *col = &pl->col[ci];
            const pl_region *rg = &pl->reg[col->reg];
            const fm61 *R = reg_table(c, col->reg);
            fm61 sc = fm61_from_i64(col->scale);
#pragma omp parallel for schedule(static) if (rg->nv >= 16)
            for (size_t k = 0; k < ((size_t)1 << rg->nv); k++) {
                fm61 val = fm61_mul(sc, R[k]);
                if (col->off && (int64_t)k < rg->len) val = fm61_add(val, fm61_from_i64(col->off[k]));
                for (unsigned hh = 0; hh < H; hh++) {
                    size_t at = ((size_t)hh << L) + col->leaf + k;
                    p[at] = wt[hh];
                    q[at] = fp2_sub(X[hh], fp2_from_fm61(val));
                }
            }
        }
        const fm61 *mt = reg_table(c, pl->mreg);
        for (size_t k = 0; k < ((size_t)1 << pl->lb); k++)
            for (unsigned hh = 0; hh < H; hh++) {
                size_t at = ((size_t)hh << L) + pl->tleaf + k;
                p[at] = fp2_neg(fp2_mul_fm61(wt[hh], mt[k]));
                q[at] = fp2_sub(X[hh], fp2_from_fm61((fm61)k));
            }
        for (unsigned j = LT; j-- > 0;) {
            size_t h = (size_t)1 << j;
            pl_[j] = zk_malloc_n(h, sizeof(fp2));
            ql_[j] = zk_malloc_n(h, sizeof(fp2));
            const fp2 *cp = pl_[j + 1], *cq = ql_[j + 1];
#pragma omp parallel for schedule(static) if (h >= 4096)
            for (size_t x = 0; x < h; x++) {
                pl_[j][x] = fp2_add(fp2_mul(cp[2 * x], cq[2 * x + 1]), fp2_mul(cp[2 * x + 1], cq[2 * x]));
                ql_[j][x] = fp2_mul(cq[2 * x], cq[2 * x + 1]);
            }
        }
    }
    fp2 root[2] = {fp2_zero(), fp2_zero()};
    if (c->P) root[0] = pl_[0][0], root[1] = ql_[0][0];
    zk_err e = cx_xfer(c, "cnn/lu/root", root, 2);
    if (e == ZK_OK && !c->P && (!fp2_is_zero(root[0]) || fp2_is_zero(root[1])))
        e = cx_fail(c, "range-check (lookup sum)");
    fp2 P = root[0], Q = root[1];
    fp2 *r = cx_pt(c, LT), *rn = cx_pt(c, LT);
    for (unsigned j = 0; j < LT && e == ZK_OK; j++) {
        fp2 lam = tr_challenge(c->tr, "cnn/lu/lambda");
        cx_chal(c, 1); /* P + lam Q */
        size_t h = (size_t)1 << j;
        enum { E, PE, PO, QE, QO };
        fp2 *tabs[5] = {0};
        if (c->P) {
            for (int k = 1; k < 5; k++) tabs[k] = zk_malloc_n(h, sizeof(fp2));
#pragma omp parallel for schedule(static) if (h >= 65536)
            for (size_t x = 0; x < h; x++) {
                tabs[PE][x] = pl_[j + 1][2 * x];
                tabs[PO][x] = pl_[j + 1][2 * x + 1];
                tabs[QE][x] = ql_[j + 1][2 * x];
                tabs[QO][x] = ql_[j + 1][2 * x + 1];
            }
        }
        vp_term t[3] = {{.c = fp2_one(), .k = 3, .t = {E, PE, QO}},
                        {.c = fp2_one(), .k = 3, .t = {E, PO, QE}},
                        {.c = lam, .k = 3, .t = {E, QE, QO}}};
        int send[5] = {0, 1, 1, 1, 1};
        fp2 vals[5], red, *rr;
        fp2 lclaim = fp2_add(P, fp2_mul(lam, Q));
        red = lclaim;
        if (c->P) {
            rr = cx_pt(c, j);
            c->err += 3.0 * j; /* as cx_sc counts the verifier's rounds */
            if (j && 3 > c->rbr) c->rbr = 3;
            lu_layer_prove(c->tr, rr, vals + 1, tabs + 1, r, j, lam);
            for (int k = 1; k < 5; k++) e = e ? e : cx_xfer(c, "cnn/eval", &vals[k], 1);
        } else {
            e = cx_sc(c, tabs, 5, t, 3, j, lclaim, &rr, &red, vals, send);
        }
        for (int k = 0; k < 5; k++) free(tabs[k]);
        if (e) break;
        vals[E] = mle_eq_eval(r, rr, j);
        if (!c->P) e = cx_sc_check(c, t, 3, vals, red, "range-check (lookup layer)");
        if (e) break;
        fp2 mu = tr_challenge(c->tr, "cnn/lu/mu");
        cx_chal(c, 1); /* the line through the two children's claims */
        P = fp2_add(vals[PE], fp2_mul(mu, fp2_sub(vals[PO], vals[PE])));
        Q = fp2_add(vals[QE], fp2_mul(mu, fp2_sub(vals[QO], vals[QE])));
        rn[0] = mu;
        memcpy(rn + 1, rr, j * sizeof(fp2));
        fp2 *sw = r;
        r = rn;
        rn = sw;
    }
    if (c->P) {
        for (unsigned j = 0; j <= LT; j++) {
            free(pl_[j]);
            free(ql_[j]);
        }
        free(pl_);
        free(ql_);
    }
    TRY(e);
    /* leaves at r: region values sent once per region. With selectors sel
     * of the blocks (over leaf bits up to lnv), one half's leaf MLEs are
     *   P~ = sum_col sel - sum_tab sel m~,   Q~(X) = X S - V + (1 - S),
     * S = sum of all sel, V = sum_col sel val~ + sum_tab sel id~. */
    fp2 Pexp = fp2_zero(), V = fp2_zero(), selsum = fp2_zero();
    int *sent = zk_calloc(pl->nreg, sizeof *sent);
    fp2 *rv = zk_calloc(pl->nreg, sizeof *rv);
    for (size_t ci = 0; ci <= pl->ncol && e == ZK_OK; ci++) {
        int reg = ci < pl->ncol ? pl->col[ci].reg : pl->mreg;
        const pl_region *rg = &pl->reg[reg];
        if (!sent[reg]) {
            if (c->P) rv[reg] = mle_eval_fm61(reg_table(c, reg), rg->nv, r);
            e = cx_xfer(c, "cnn/lu/leaf", &rv[reg], 1);
            if (e) break;
            sent[reg] = 1;
            claims_push(&c->rc[reg], r, rv[reg], NULL);
        }
        uint64_t leaf = ci < pl->ncol ? pl->col[ci].leaf : pl->tleaf;
        fp2 sel = sel_eval(leaf >> rg->nv, r, rg->nv, L);
        selsum = fp2_add(selsum, sel);
        if (ci < pl->ncol) {
            const pl_col *col = &pl->col[ci];
            fp2 val = fp2_mul(fp2_i64(col->scale), rv[reg]);
            if (col->off) {
                fm61 *o = zk_calloc((size_t)1 << rg->nv, sizeof *o);
                for (int64_t k = 0; k < rg->len; k++) o[k] = fm61_from_i64(col->off[k]);
                val = fp2_add(val, mle_eval_fm61(o, rg->nv, r));
                free(o);
            }
            Pexp = fp2_add(Pexp, sel);
            V = fp2_add(V, fp2_mul(sel, val));
        } else {
            fp2 id = fp2_zero();
            for (unsigned k = 0; k < pl->lb; k++) id = fp2_add(id, fp2_mul(fp2_pow2((int)k), r[k]));
            Pexp = fp2_sub(Pexp, fp2_mul(sel, rv[reg]));
            V = fp2_add(V, fp2_mul(sel, id));
        }
    }
    free(sent);
    free(rv);
    fp2 rest = fp2_sub(fp2_one(), fp2_add(selsum, V)); /* Q~(X) = X S + rest */
    fp2 Qexp = fp2_add(fp2_mul(X[0], selsum), rest);
    if (H == 2) { /* the halves, selected by leaf bit lnv: r[L] */
        fp2 lo = fp2_sub(fp2_one(), r[L]);
        Pexp = fp2_mul(Pexp, fp2_add(lo, fp2_mul(r[L], wt[1])));
        Qexp = fp2_add(fp2_mul(lo, Qexp), fp2_mul(r[L], fp2_add(fp2_mul(X[1], selsum), rest)));
    }
    if (e == ZK_OK && !c->P && (!fp2_eq(Pexp, P) || !fp2_eq(Qexp, Q))) e = cx_fail(c, "range-check (lookup leaves)");
    if (c->st) c->st->t[CNN_PH_LOOKUP] += cnn_now() - t0;
    return e;
}

/* ------------------------------------------------------------ commitments */

/* All region claims of one table -> one point -> opening. */
static zk_err finish_poly(cx *c, int poly, unsigned nv, const pcs_state *st, const pcs_commitment *com) {
    const pl_plan *pl = c->pl;
    const fm61 *T = poly == PL_W ? c->W : c->ADV;
    /* merge per region, then combine the region points as block claims */
    size_t nb = 0;
    fp2 **bpt = zk_calloc(pl->nreg, sizeof *bpt);
    fp2 *bval = zk_calloc(pl->nreg, sizeof *bval);
    int *breg = zk_calloc(pl->nreg, sizeof *breg);
    zk_err e = ZK_OK;
    for (size_t r = 0; r < pl->nreg && e == ZK_OK; r++) {
        if (pl->reg[r].poly != poly) continue;
        fp2 *pt, val;
        int own = pl->reg[r].node;
        c->where = own >= 0 ? c->m->nodes[own].name : "lookup multiplicities";
        c->what = own >= 0 ? (poly == PL_W ? "weights" : "auxiliary values") : "table";
        e = cx_merge(c, &c->rc[r], c->P ? T + pl->reg[r].off : NULL, pl->reg[r].nv, &pt, &val);
        if (e == ZK_OK && pt) {
            bpt[nb] = pt;
            bval[nb] = val;
            breg[nb++] = (int)r;
        }
    }
    double t0 = cnn_now();
    fp2 *z = NULL, zval = fp2_zero();
    if (e == ZK_OK && nb) {
        fp2 alpha = tr_challenge(c->tr, "cnn/blk/alpha");
        cx_chal(c, (double)(nb - 1));
        size_t N = (size_t)1 << nv;
        fp2 *tabs[1] = {NULL};
        fp2 *cf = zk_malloc_n(nb, sizeof *cf), coef = fp2_one(), sum = fp2_zero();
        if (c->P) tabs[0] = zk_calloc(N, sizeof(fp2));
        for (size_t b = 0; b < nb; b++) {
            cf[b] = coef;
            const pl_region *rg = &pl->reg[breg[b]];
            if (c->P) mle_eq_table_add(tabs[0] + rg->off, bpt[b], rg->nv, coef);
            sum = fp2_add(sum, fp2_mul(coef, bval[b]));
            coef = fp2_mul(coef, alpha);
        }
        vp_term term = {.c = fp2_one(), .k = 2, .t = {0, 1}};
        fp2 vals[2], red;
        e = cx_sc_dot(c, tabs[0], T, nv, sum, &z, &red, vals);
        free(tabs[0]);
        if (e == ZK_OK) {
            fp2 w = fp2_zero();
            for (size_t b = 0; b < nb && !c->P; b++) {
                const pl_region *rg = &pl->reg[breg[b]];
                fp2 s = fp2_mul(mle_eq_eval(bpt[b], z, rg->nv), sel_eval(rg->off >> rg->nv, z, rg->nv, nv));
                w = fp2_add(w, fp2_mul(cf[b], s));
            }
            vals[0] = w;
            c->where = NULL;
            e = cx_sc_check(c, &term, 1, vals, red, poly == PL_W ? "weight-claim merge" : "auxiliary-claim merge");
            zval = vals[1];
        }
        free(cf);
    }
    if (e == ZK_OK && nb) {
        if (c->P) pcs_ligero.open(c->tr, st, z);
        else {
            e = pcs_ligero.verify(c->tr, com, z, zval);
            if (e == ZK_EPROOF) {
                char why[160];
                snprintf(why, sizeof why, "%s", zk_reason());
                zk_set_reason("%s commitment opening: %s", poly == PL_W ? "weight" : "auxiliary", why);
            }
        }
    }
    if (c->st) c->st->t[CNN_PH_OPEN] += cnn_now() - t0;
    free(bpt);
    free(bval);
    free(breg);
    return e;
}

/* ------------------------------------------------------------ the proof */

/* Stores quantity q's value v (a field element) at entry o of its limb
 * regions: one limb holds v itself; several hold the lb-bit groups of v's
 * centered lift (an integer in range for an honest witness; for any other
 * value the limbs do not add up to v, or fall outside the table, and the
 * proof fails). */
static void adv_put(fm61 *A, const pl_plan *pl, const pl_qty *q, int64_t o, fm61 v) {
    if (q->nl == 1) {
        A[pl->reg[q->reg[0]].off + (uint64_t)o] = v;
        return;
    }
    uint64_t bits = (uint64_t)fm61_to_i64(v), lmask = ((uint64_t)1 << pl->lb) - 1;
    for (int j = 0; j < q->nl; j++)
        A[pl->reg[q->reg[j]].off + (uint64_t)o] = fm61_from_i64((int64_t)((bits >> (pl->lb * j)) & lmask));
}

/* Auxiliary table from the witness (prover). Every value is computed in
 * the field from the witness arrays (which a malicious-prover test may fill
 * with any field elements); values outside their ranges are stored as they
 * are: their multiplicities are not counted and the lookup fails. */
static fm61 *build_adv(const cx *c) {
    const q_model *m = c->m;
    const pl_plan *pl = c->pl;
    const q_witness *w = c->w;
    fm61 *A = zk_calloc((size_t)1 << pl->anv, sizeof *A);
    fm61 negA = fm61_from_i64(-q_act_bound(m));
    for (size_t i = 0; i < m->nnodes; i++) {
        const q_node *nd = &m->nodes[i];
        const pl_node *pn = &pl->node[i];
        const q_nwit *nw = &w->nodes[i];
        int64_t ny = q_numel(m, (int32_t)i + 1);
        const int64_t *y = w->t[i + 1], *x = nd->in[0] >= 0 ? w->t[nd->in[0]] : NULL;
        for (int64_t o = 0; o < ny; o++) {
            if (pn->rem.nl && nw->rem) adv_put(A, pl, &pn->rem, o, fm61_from_i64(nw->rem[o]));
            if (pn->sign.nl) { /* u = s x + (1 - s)(-x - 1) */
                fm61 s = fm61_from_i64(nw->sign[o]), xv = fm61_from_i64(x[o]);
                fm61 neg = fm61_sub(fm61_neg(xv), 1);
                adv_put(A, pl, &pn->sign, o, s);
                adv_put(A, pl, &pn->u, o, fm61_add(neg, fm61_mul(s, fm61_sub(xv, neg))));
            }
            if (pn->ychk.nl) adv_put(A, pl, &pn->ychk, o, fm61_sub(fm61_from_i64(y[o]), negA));
            for (int64_t p = 0; p < pn->ncell && pn->d; p++) {
                int64_t cell = q_max_cell(m, nd, o, pn->cell[p]);
                fm61 d = fm61_sub(fm61_from_i64(y[o]), cell >= 0 ? fm61_from_i64(x[cell]) : negA);
                adv_put(A, pl, &pn->d[p], o, d);
                A[pl->reg[pn->e[p].reg[0]].off + (uint64_t)o] = nw->arg[o] == pn->cell[p];
            }
        }
    }
    /* multiplicities */
    fm61 *mt = A + pl->reg[pl->mreg].off;
    uint64_t *cnt = zk_calloc((size_t)1 << pl->lb, sizeof *cnt);
    for (size_t ci = 0; ci < pl->ncol; ci++) {
        const pl_col *col = &pl->col[ci];
        const pl_region *rg = &pl->reg[col->reg];
        const fm61 *R = A + rg->off;
        fm61 sc = fm61_from_i64(col->scale);
        for (size_t k = 0; k < ((size_t)1 << rg->nv); k++) {
            fm61 val = fm61_mul(sc, R[k]);
            if (col->off && (int64_t)k < rg->len) val = fm61_add(val, fm61_from_i64(col->off[k]));
            if (val < ((fm61)1 << pl->lb)) cnt[val]++;
        }
    }
    for (size_t k = 0; k < ((size_t)1 << pl->lb); k++) mt[k] = fm61_reduce64(cnt[k]);
    free(cnt);
    return A;
}

static void cx_free(cx *c) {
    for (size_t j = 0; j < c->nar; j++) free(c->ar[j]);
    free(c->ar);
    if (c->tc)
        for (size_t t = 0; t < c->m->ntensors; t++) free(c->tc[t].v);
    if (c->rc)
        for (size_t r = 0; r < c->pl->nreg; r++) free(c->rc[r].v);
    free(c->tc);
    free(c->rc);
    if (c->tv)
        for (size_t t = 0; t < c->m->ntensors; t++) free(c->tv[t]);
    free(c->tv);
}

static fm61 *tensor_fm61(const q_model *m, const pl_plan *pl, int32_t t, const int64_t *v) {
    fm61 *o = zk_calloc((size_t)1 << pl->tnv[t], sizeof *o);
    int64_t n = q_numel(m, t);
    for (int64_t i = 0; i < n; i++) o[i] = fm61_from_i64(v[i]);
    return o;
}

/* The shared body: statement, commitments, layers, lookups, openings. */
static zk_err cnn_run(cx *c, const cnn_key *key, pcs_state *wst, int64_t *in_q, int64_t *out_q) {
    const q_model *m = c->m;
    const pl_plan *pl = c->pl;
    tr_absorb(c->tr, "cnn/digest", key->digest, sizeof key->digest);
    /* statement: input and output, sent as field elements of canonical small integers */
    int64_t nin = q_numel(m, 0), nout = q_numel(m, m->output);
    int64_t A = q_act_bound(m);
    for (int s = 0; s < 2; s++) {
        int64_t n = s ? nout : nin;
        int64_t *q = s ? out_q : in_q;
        fm61 *buf = zk_malloc_n((size_t)n, sizeof *buf);
        if (c->P) {
            for (int64_t j = 0; j < n; j++) buf[j] = fm61_from_i64(q[j]);
            tr_put_fm61(c->tr, s ? "cnn/output" : "cnn/input", buf, (size_t)n);
        } else {
            zk_err e = tr_get_fm61(c->tr, s ? "cnn/output" : "cnn/input", buf, (size_t)n);
            for (int64_t j = 0; j < n && e == ZK_OK; j++) {
                q[j] = fm61_to_i64(buf[j]);
                if (q[j] < -A || q[j] >= A) { /* [-A, A), q_run's range (quant.h) */
                    zk_set_reason("proof's %s element %lld is outside the activation range", s ? "output" : "input",
                                  (long long)j);
                    e = ZK_EPROOF;
                }
            }
            if (e) {
                free(buf);
                return e;
            }
        }
        free(buf);
    }
    if (!c->P) {
        c->tv[0] = tensor_fm61(m, pl, 0, in_q);
        c->tv[m->output] = tensor_fm61(m, pl, m->output, out_q);
    }
    /* auxiliary commitment */
    double t0 = cnn_now();
    pcs_state *ast = NULL;
    pcs_commitment acom;
    if (c->P) ast = pcs_ligero.commit(c->tr, c->ADV, pl->anv);
    else TRY(pcs_ligero.read_commitment(c->tr, &acom, pl->anv));
    if (c->st) c->st->t[CNN_PH_COMMIT] += cnn_now() - t0;
    zk_err e = ZK_OK;
    /* output claim at a random point */
    unsigned onv = pl->tnv[m->output];
    fp2 *r0 = cx_pt(c, onv);
    tr_challenges(c->tr, "cnn/r0", r0, onv);
    cx_chal(c, onv); /* the output tensor's MLE against the public output's */
    claims_push(&c->tc[m->output], r0, mle_eval_fm61(c->tv[m->output], onv, r0), NULL);
    for (size_t i = m->nnodes; i-- > 0 && e == ZK_OK;) {
        int32_t ty = (int32_t)i + 1;
        fp2 *pt, val;
        c->where = m->nodes[i].name;
        c->what = nn_op_name(m->nodes[i].op);
        e = cx_merge(c, &c->tc[ty], c->P ? c->tv[ty] : NULL, pl->tnv[ty], &pt, &val);
        if (e == ZK_OK && pt) e = ychk_claim(c, i, pt, val);
        if (e == ZK_OK && pt) e = rd_node(c, i, pt, val);
    }
    c->where = NULL;
    /* the public input: every claim evaluated directly */
    for (size_t j = 0; j < c->tc[0].n && e == ZK_OK; j++) {
        const claim *cl = &c->tc[0].v[j];
        fp2 v = cl->map ? map_value(cl->map, cl->pt, c->tv[0]) : mle_eval_fm61(c->tv[0], pl->tnv[0], cl->pt);
        if (!c->P && !fp2_eq(v, cl->val)) {
            zk_set_reason("input layer check failed (claim %zu)", j);
            e = ZK_EPROOF;
        }
    }
    if (e == ZK_OK) e = lookup(c);
    if (e == ZK_OK && pl->wnv) e = finish_poly(c, PL_W, pl->wnv, wst, &key->wcom);
    if (e == ZK_OK) e = finish_poly(c, PL_ADV, pl->anv, ast, &acom);
    if (ast) pcs_ligero.state_free(ast);
    return e;
}

static void cnn_digest(uint8_t out[32], const q_model *m, unsigned wnv, const pcs_commitment *wcom) {
    zk_buf b;
    zk_buf_init(&b);
    zk_buf_put(&b, CNN_PROTOCOL, strlen(CNN_PROTOCOL));
    q_model_serialize_skeleton(&b, m);
    zk_buf_put_u32(&b, wnv);
    zk_buf_put(&b, wcom->root, sizeof wcom->root);
    SHA256(b.data, b.len, out);
    zk_buf_free(&b);
}

/* Whether the weight commitment of a table of 2^wnv entries is certified
 * (pcs.h): from 2^CNN_WEIGHT_CERT_MIN_VARS entries on (tests may lower the
 * threshold to exercise certified keys on small models). */
static unsigned cnn_cert_min_vars = CNN_WEIGHT_CERT_MIN_VARS;
void cnn_set_cert_min_vars(unsigned v) { cnn_cert_min_vars = v; }
static int weights_certified(unsigned wnv) { return wnv >= cnn_cert_min_vars; }

/* Commit to the weight table W (pl_weights) in its own transcript (the
 * root goes into the key, and from there into the digest). For a
 * certified table the certificate is appended to *cert when cert is
 * non-NULL. */
static pcs_state *commit_weights(const pl_plan *pl, const fm61 *W, pcs_commitment *com, zk_buf *cert) {
    zk_buf tmp;
    zk_buf_init(&tmp);
    tr_t *t = tr_new_prover("gkrcnn/cnn/weights", &tmp);
    int certified = weights_certified(pl->wnv);
    pcs_state *st = certified ? pcs_ligero.commit_certified(t, cert, W, pl->wnv) : pcs_ligero.commit(t, W, pl->wnv);
    ZK_CHECK(tmp.len == PCS_DIGEST_BYTES);
    com->nvars = pl->wnv;
    com->certified = certified;
    memcpy(com->root, tmp.data, PCS_DIGEST_BYTES);
    tr_free(t);
    zk_buf_free(&tmp);
    return st;
}

void cnn_key_free(cnn_key *k) {
    if (!k) return;
    q_model_free(k->m);
    free(k->wcert);
    free(k);
}

/* Upper bound on the soundness error of one proof, as -log2 (protocol.md
 * sec. 7.6). Rounds and identities are over-counted on purpose. */
static double plan_soundness_bits(const pl_plan *pl) {
    const q_model *m = pl->m;
    double p2 = CX_FIELD, rounds = 0, ids = 0;
    for (size_t t = 0; t < m->ntensors; t++) rounds += 4.0 * pl->tnv[t];
    for (size_t i = 0; i < m->nnodes; i++) {
        const pl_node *pn = &pl->node[i];
        unsigned nv = pl->tnv[i + 1];
        double cells = (double)(pn->ncell ? pn->ncell : 1) + (double)pn->K;
        rounds += 4.0 * cells * (nv + pn->qv + pn->gv + pn->pv + pn->mv + 2);
        ids += 8.0 * cells * (nv + 64);
        if (pn->ychk.nl) ids += nv; /* y = Y - A at the merged point */
    }
    for (size_t r = 0; r < pl->nreg; r++) rounds += 2.0 * pl->reg[r].nv;
    unsigned LT = pl->lnv + (pl->lu_two ? 1 : 0); /* lookup tree depth */
    rounds += 2.0 * (pl->wnv + pl->anv) + (double)LT * LT;
    ids += pl->tnv[m->output]; /* r0 */
    /* logUp: one challenge 2^lnv / p^2; two, combined by beta:
     * (2^lnv / p^2)^2 + 1 / p^2 (protocol.md sec. 7.4) */
    double lu = pl->lu_two ? ldexp(1.0, (int)pl->lnv) / p2 * ldexp(1.0, (int)pl->lnv) + 1.0 : ldexp(1.0, (int)pl->lnv);
    double eps = (3.0 * rounds + ids + lu) / p2;
    if (pl->wnv) eps += pcs_ligero.error(pl->wnv, weights_certified(pl->wnv));
    eps += pcs_ligero.error(pl->anv, 0);
    return -log2(eps);
}

/* A bound on the largest degree one challenge of a proof must avoid
 * (protocol.md sec. 6), over every path the plan allows: the ledger's
 * terms (cx_chal, cx_point, the sumcheck rounds) at their largest. */
static double plan_rbr_degree(const pl_plan *pl) {
    const q_model *m = pl->m;
    double d = 3 + 1 + 1, ncl = 1; /* a round with one identity at its point and a tensor check */
    for (size_t i = 0; i < m->nnodes; i++) {
        const pl_node *pn = &pl->node[i];
        double P = (double)pn->ncell;
        if (pn->d) { /* max pools: P + 2 identities at rho; degree 2P - 1 in beta */
            d = fmax(d, 3 + (P + 2) + 1);
            d = fmax(d, 2 * P - 1);
        }
        ncl += 2.0 * (double)pn->K + 24.0 * (P + 1) + 40; /* at most this node's claims */
    }
    ncl += (double)pl->nreg;
    d = fmax(d, ncl);                        /* a merge of m claims: m - 1 */
    d = fmax(d, (double)pl->nreg);           /* the block merges */
    d = fmax(d, (double)pl->tnv[m->output]); /* r0 */
    d = fmax(d, pl->lu_two ? ldexp(1.0, (int)pl->lnv) * (ldexp(1.0, (int)pl->lnv) / CX_FIELD) + 1
                           : ldexp(1.0, (int)pl->lnv));
    return d;
}

static double plan_rbr_bits(const pl_plan *pl) {
    double e = plan_rbr_degree(pl) / CX_FIELD;
    if (pl->wnv) e = fmax(e, pcs_ligero.rbr_error(pl->wnv, weights_certified(pl->wnv)));
    e = fmax(e, pcs_ligero.rbr_error(pl->anv, 0));
    return -log2(e);
}

double cnn_rbr_bits(const cnn_key *k) {
    pl_plan *pl;
    if (pl_build(&pl, k->m) != ZK_OK) return 0;
    double b = plan_rbr_bits(pl);
    pl_free(pl);
    return b;
}

double cnn_soundness_bits(const cnn_key *k) {
    pl_plan *pl;
    if (pl_build(&pl, k->m) != ZK_OK) return 0;
    double b = plan_soundness_bits(pl);
    pl_free(pl);
    return b;
}

zk_err cnn_setup(cnn_key **out, q_model *m) {
    pl_plan *pl;
    zk_err e = pl_build(&pl, m);
    if (e) {
        q_model_free(m);
        return e;
    }
    double bits = plan_soundness_bits(pl);
    if (bits < CNN_MIN_SOUNDNESS_BITS) {
        zk_set_reason("the model needs 2^%u lookups: soundness %.1f bits is below %d", pl->lnv, bits,
                      CNN_MIN_SOUNDNESS_BITS);
        pl_free(pl);
        q_model_free(m);
        return ZK_EINPUT;
    }
    cnn_key *k = zk_calloc(1, sizeof *k);
    k->m = m;
    k->w_nvars = pl->wnv;
    if (pl->wnv) {
        zk_buf cert;
        zk_buf_init(&cert);
        fm61 *W = pl_weights(pl);
        pcs_ligero.state_free(commit_weights(pl, W, &k->wcom, &cert));
        free(W);
        k->wcert = cert.data; /* NULL (and length 0) for an uncertified table */
        k->wcert_len = cert.len;
    }
    cnn_digest(k->digest, m, k->w_nvars, &k->wcom);
    pl_free(pl);
    *out = k;
    return ZK_OK;
}

/* A prover for one proving key: the plan, the weight table and its
 * commitment state, built once. */
struct cnn_prover {
    const cnn_key *pk;
    pl_plan *pl;
    fm61 *W;        /* weight table (NULL: no weights) */
    pcs_state *wst; /* its Ligero encoding and Merkle tree */
    double t_commit;
};

zk_err cnn_prover_new(cnn_prover **out, const cnn_key *pk) {
    *out = NULL;
    if (pk->m->skeleton) {
        zk_set_reason("a verifying key cannot prove");
        return ZK_EINPUT;
    }
    zk_threads(); /* applies GKRCNN_THREADS */
    cnn_prover *pv = zk_calloc(1, sizeof *pv);
    pv->pk = pk;
    zk_err e = pl_build(&pv->pl, pk->m);
    if (e) {
        free(pv);
        return e;
    }
    double t0 = cnn_now();
    if (pv->pl->wnv) {
        pcs_commitment com;
        pv->W = pl_weights(pv->pl);
        pv->wst = commit_weights(pv->pl, pv->W, &com, NULL);
        if (memcmp(com.root, pk->wcom.root, PCS_DIGEST_BYTES) != 0 || pk->w_nvars != pv->pl->wnv ||
            com.certified != pk->wcom.certified) {
            zk_set_reason("proving key: the weights do not match the key's weight commitment");
            cnn_prover_free(pv);
            return ZK_EFORMAT;
        }
    }
    pv->t_commit = cnn_now() - t0;
    *out = pv;
    return ZK_OK;
}

void cnn_prover_free(cnn_prover *pv) {
    if (!pv) return;
    if (pv->wst) pcs_ligero.state_free(pv->wst);
    free(pv->W);
    pl_free(pv->pl);
    free(pv);
}

zk_err cnn_prover_prove(cnn_prover *pv, zk_buf *proof, const int64_t *input_q, q_witness **wit_out, cnn_stats *st) {
    const q_model *m = pv->pk->m;
    const pl_plan *pl = pv->pl;
    double t_start = cnn_now(), t0 = t_start;
    cx c = {.P = 1, .m = m, .pl = pl, .W = pv->W, .st = st};
    if (st) memset(st, 0, sizeof *st);
    q_witness *w;
    TRY(q_run(&w, m, input_q));
    if (cnn_hook) cnn_hook(cnn_hook_ctx, m, w);
    c.w = w;
    c.tv = zk_calloc(m->ntensors, sizeof *c.tv);
    for (size_t t = 0; t < m->ntensors; t++) c.tv[t] = tensor_fm61(m, pl, (int32_t)t, w->t[t]);
    c.tc = zk_calloc(m->ntensors, sizeof *c.tc);
    c.rc = zk_calloc(pl->nreg, sizeof *c.rc);
    c.ADV = build_adv(&c);
    if (cnn_advh) cnn_advh(cnn_advh_ctx, pl, c.ADV);
    if (st) st->t[CNN_PH_WITNESS] = cnn_now() - t0;
    size_t start = proof->len;
    c.tr = tr_new_prover(CNN_PROTOCOL, proof);
    if (cnn_tamper) tr_set_tamper(c.tr, cnn_tamper, cnn_tamper_ctx);
    zk_err e = cnn_run(&c, pv->pk, pv->wst, w->t[0], w->t[m->output]);
    tr_free(c.tr);
    if (st) {
        double eps = c.err / CX_FIELD + pcs_ligero.error(pl->anv, 0);
        if (pl->wnv) eps += pcs_ligero.error(pl->wnv, weights_certified(pl->wnv));
        st->counted_bits = -log2(eps);
        double rbr = c.rbr / CX_FIELD;
        if (pl->wnv) rbr = fmax(rbr, pcs_ligero.rbr_error(pl->wnv, weights_certified(pl->wnv)));
        st->rbr_bits = -log2(fmax(rbr, pcs_ligero.rbr_error(pl->anv, 0)));
        st->total = cnn_now() - t_start;
        st->proof_bytes = proof->len - start;
        st->adv_cells = (size_t)1 << pl->anv;
        st->w_cells = pl->wnv ? (size_t)1 << pl->wnv : 0;
        st->lookups = (size_t)1 << pl->lnv;
    }
    free(c.ADV);
    cx_free(&c);
    if (e == ZK_OK && wit_out) *wit_out = w;
    else q_witness_free(w);
    return e;
}

zk_err cnn_prove(zk_buf *proof, const cnn_key *pk, const int64_t *input_q, q_witness **wit_out, cnn_stats *st) {
    double t0 = cnn_now();
    cnn_prover *pv;
    TRY(cnn_prover_new(&pv, pk));
    double t_new = cnn_now() - t0;
    zk_err e = cnn_prover_prove(pv, proof, input_q, wit_out, st);
    if (st) { /* the weights' commitment counts in this proof */
        st->t[CNN_PH_COMMIT] += pv->t_commit;
        st->total += t_new;
    }
    cnn_prover_free(pv);
    return e;
}

zk_err cnn_verify(const cnn_key *vk, const uint8_t *proof, size_t len, int64_t **input_q, int64_t **output_q) {
    const q_model *m = vk->m;
    zk_threads();
    uint8_t dg[32];
    cnn_digest(dg, m, vk->w_nvars, &vk->wcom);
    if (memcmp(dg, vk->digest, 32) != 0) {
        zk_set_reason("verifying key: digest does not match its contents");
        return ZK_EFORMAT;
    }
    pl_plan *pl;
    zk_err e = pl_build(&pl, m);
    if (e) return e == ZK_EINPUT ? ZK_EFORMAT : e;
    if (pl->wnv != vk->w_nvars) {
        pl_free(pl);
        zk_set_reason("verifying key: weight table size disagrees with the model");
        return ZK_EFORMAT;
    }
    cx c = {.P = 0, .m = m, .pl = pl};
    c.tv = zk_calloc(m->ntensors, sizeof *c.tv);
    c.tc = zk_calloc(m->ntensors, sizeof *c.tc);
    c.rc = zk_calloc(pl->nreg, sizeof *c.rc);
    int64_t *in = zk_malloc_n((size_t)q_numel(m, 0), sizeof *in);
    int64_t *outv = zk_malloc_n((size_t)q_numel(m, m->output), sizeof *outv);
    c.tr = tr_new_verifier(CNN_PROTOCOL, proof, len);
    e = cnn_run(&c, vk, NULL, in, outv);
    if (e == ZK_OK) {
        e = tr_finish(c.tr);
        if (e) zk_set_reason("proof has trailing bytes");
    }
    tr_free(c.tr);
    cx_free(&c);
    pl_free(pl);
    if (e == ZK_OK && input_q) *input_q = in;
    else free(in);
    if (e == ZK_OK && output_q) *output_q = outv;
    else free(outv);
    return e;
}

/* ------------------------------------------------------------ keys */

static void key_put(zk_buf *out, const char *magic, const cnn_key *k, int skel) {
    zk_buf body;
    zk_buf_init(&body);
    if (skel) q_model_serialize_skeleton(&body, k->m);
    else q_model_serialize(&body, k->m);
    zk_buf_put(out, magic, 8);
    zk_buf_put_u32(out, CNN_KEY_VERSION);
    zk_buf_put_u64(out, body.len);
    zk_buf_put(out, body.data, body.len);
    zk_buf_put(out, k->wcom.root, PCS_DIGEST_BYTES);
    zk_buf_put_u32(out, k->w_nvars);
    zk_buf_put_u64(out, k->wcert_len);
    zk_buf_put(out, k->wcert, k->wcert_len);
    zk_buf_free(&body);
}

void cnn_pk_serialize(zk_buf *out, const cnn_key *pk) { key_put(out, CNN_PK_MAGIC, pk, 0); }
void cnn_vk_serialize(zk_buf *out, const cnn_key *pk) { key_put(out, CNN_VK_MAGIC, pk, 1); }

static zk_err key_get(cnn_key **out, const uint8_t *data, size_t len, int skel) {
    const char *what = skel ? "verifying key" : "proving key";
    zk_rd r;
    zk_rd_init(&r, data, len);
    char magic[8];
    uint32_t ver, wnv;
    uint64_t n, clen;
    if (zk_rd_get(&r, magic, 8) != ZK_OK || memcmp(magic, skel ? CNN_VK_MAGIC : CNN_PK_MAGIC, 8) != 0) {
        zk_set_reason("not a gkrcnn %s (bad magic)", what);
        return ZK_EFORMAT;
    }
    if (zk_rd_u32(&r, &ver) != ZK_OK || ver != CNN_KEY_VERSION) {
        zk_set_reason("unsupported %s version (run setup again)", what);
        return ZK_EFORMAT;
    }
    if (zk_rd_u64(&r, &n) != ZK_OK || n > zk_rd_left(&r) || zk_rd_left(&r) - n < PCS_DIGEST_BYTES + 4 + 8) {
        zk_set_reason("%s truncated or has trailing bytes", what);
        return ZK_EFORMAT;
    }
    q_model *m;
    zk_err e = skel ? q_model_deserialize_skeleton(&m, data + r.pos, (size_t)n) : q_model_deserialize(&m, data + r.pos, (size_t)n);
    if (e) return e;
    r.pos += (size_t)n;
    cnn_key *k = zk_calloc(1, sizeof *k);
    k->m = m;
    ZK_CHECK(zk_rd_get(&r, k->wcom.root, PCS_DIGEST_BYTES) == ZK_OK && zk_rd_u32(&r, &wnv) == ZK_OK &&
             zk_rd_u64(&r, &clen) == ZK_OK);
    if (wnv > PCS_LIGERO_MAX_VARS) {
        cnn_key_free(k);
        zk_set_reason("%s: weight table size out of range", what);
        return ZK_EFORMAT;
    }
    int certified = wnv > 0 && weights_certified(wnv);
    if (clen != zk_rd_left(&r) || (clen > 0) != certified) {
        cnn_key_free(k);
        zk_set_reason("%s: weight commitment certificate %s", what,
                      clen != zk_rd_left(&r) ? "truncated or followed by trailing bytes"
                                             : (certified ? "missing" : "present for an uncertified table"));
        return ZK_EFORMAT;
    }
    k->w_nvars = wnv;
    k->wcom.nvars = wnv;
    if (certified) {
        k->wcert = zk_malloc_n((size_t)clen, 1);
        k->wcert_len = (size_t)clen;
        ZK_CHECK(zk_rd_get(&r, k->wcert, (size_t)clen) == ZK_OK);
        if (!skel) k->wcom.certified = 1; /* the prover's own key */
        else if ((e = pcs_ligero.check_certificate(&k->wcom, k->wcert, k->wcert_len)) != ZK_OK) {
            char why[200];
            snprintf(why, sizeof why, "%s", zk_reason());
            cnn_key_free(k);
            zk_set_reason("verifying key: the weight commitment's certificate is invalid: %s", why);
            return ZK_EFORMAT;
        }
    }
    cnn_digest(k->digest, m, wnv, &k->wcom);
    *out = k;
    return ZK_OK;
}

zk_err cnn_pk_deserialize(cnn_key **pk, const uint8_t *data, size_t len) { return key_get(pk, data, len, 0); }
zk_err cnn_vk_deserialize(cnn_key **vk, const uint8_t *data, size_t len) { return key_get(vk, data, len, 1); }
