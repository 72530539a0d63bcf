/* cx.c -- the context of a CNN proof: claims, maps, merges, the sumcheck
 * wrappers and the soundness ledger (cx.h; papers/protocol.md sec. 7.2,
 * 7.6 and 7.8.3). */
#include "cx.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "../poly/mle.h"
#include "cnn_int.h"

double cx_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cx_claims_push(claims *l, const fp2 *pt, cx_v val, const cmap *map) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        ZK_CHECK(l->v);
    }
    l->v[l->n++] = (claim){.pt = pt, .val = val, .map = map};
}

void cx_chal(cx *c, double deg) {
    c->err += deg;
    if (deg > c->rbr) c->rbr = deg;
}

void cx_point(cx *c, unsigned nv, double J) {
    c->err += J * nv;
    if (nv && 3 + J + 1 > c->rbr) c->rbr = 3 + J + 1;
}

void cx_rounds(cx *c, unsigned n, unsigned deg) {
    c->err += (double)n * deg;
    if (n && deg > c->rbr) c->rbr = deg;
}

void *cx_alloc(cx *c, size_t bytes) {
    if (c->nar == c->car) {
        c->car = c->car ? 2 * c->car : 256;
        c->ar = realloc(c->ar, c->car * sizeof *c->ar);
        ZK_CHECK(c->ar);
    }
    void *p = zk_calloc(1, bytes ? bytes : 1);
    c->ar[c->nar++] = p;
    return p;
}
fp2 *cx_pt(cx *c, unsigned n) { return cx_alloc(c, (size_t)n * sizeof(fp2)); }

zk_err cx_fail(cx *c, const char *check) {
    if (c->where)
        zk_set_reason("%s (%s): %s check failed", c->where, c->what, check);
    else
        zk_set_reason("%s check failed", check);
    return ZK_EPROOF;
}

zk_err cx_xfer(cx *c, const char *label, fp2 *v, size_t n) {
    if (c->P) {
        tr_put_fp2(c->tr, label, v, n);
        return ZK_OK;
    }
    return tr_get_fp2(c->tr, label, v, n);
}

/* ---- the pool's entries (protocol.md sec. 9.8) */

/* The next entry C^[e] of the pool: 2 cells, in the order both roles run. */
static zk_err cx_entry(cx *c, size_t *e) {
    size_t off = c->z.used;
    if (!c->z.count && 2 > ((size_t)1 << c->z.mc) - off) {
        zk_set_reason("zero-knowledge mask pool of the key (2^%u cells) is too small for this proof", c->z.mc);
        return ZK_EFORMAT;
    }
    c->z.used += 2;
    *e = off / 2;
    return ZK_OK;
}

/* Prover: C^[e] (0 in the setup's dry run, which has no pool). */
static fp2 cx_entry_val(const cx *c, size_t e) {
    return c->z.M ? fp2_make(c->z.M[2 * e], c->z.M[2 * e + 1]) : fp2_zero();
}

/* Prover: the pool part's value sum_k w[k] C^[e[k]]. */
static fp2 cx_pool_val(const cx *c, cx_pool p) {
    fp2 s = fp2_zero();
    for (unsigned k = 0; k < p.n; k++) s = fp2_add(s, fp2_mul(p.w[k], cx_entry_val(c, p.e[k])));
    return s;
}

/* The pool part w C^[e] (arena). */
static cx_pool cx_pool_one(cx *c, size_t e, fp2 w) {
    size_t *pe = cx_alloc(c, sizeof *pe);
    fp2 *pw = cx_alloc(c, sizeof *pw);
    *pe = e;
    *pw = w;
    return (cx_pool){1, pe, pw};
}

/* Both roles: the linear claim sum_k p.w[k] C^[p.e[k]] = value, a claim of
 * the batch (sec. 9.8 (e)) in the order of creation. */
static void cx_lin_claim(cx *c, cx_pool p, fp2 value) {
    if (c->z.ncl == c->z.ccl) {
        c->z.ccl = c->z.ccl ? 2 * c->z.ccl : 64;
        c->z.cl = realloc(c->z.cl, c->z.ccl * sizeof *c->z.cl);
        ZK_CHECK(c->z.cl);
    }
    c->z.cl[c->z.ncl++] = (zsc_claim){.value = value, .nw = p.n, .wi = p.e, .ww = p.w};
}

zk_err cx_xfer_vn(cx *c, const char *label, const fp2 *v, size_t n, const int *bare, cx_v *out) {
    ZK_CHECK(n >= 1 && n <= 4);
    fp2 s[4];
    for (size_t j = 0; j < n; j++) out[j] = cx_v_of(fp2_zero()), s[j] = v[j]; /* defined on failure too */
    size_t e[4];
    int mk[4] = {0};
    for (size_t j = 0; j < n; j++) {
        mk[j] = c->z.on && !(bare && bare[j]);
        if (!mk[j]) continue;
        CX_TRY(cx_entry(c, &e[j]));
        if (c->P) s[j] = fp2_add(s[j], cx_entry_val(c, e[j]));
    }
    CX_TRY(cx_xfer(c, label, s, n));
    for (size_t j = 0; j < n; j++)
        out[j] = (cx_v){.v = s[j], .p = mk[j] ? cx_pool_one(c, e[j], fp2_one()) : (cx_pool){0, NULL, NULL}};
    return ZK_OK;
}

zk_err cx_xfer_v(cx *c, const char *label, fp2 v, cx_v *out) { return cx_xfer_vn(c, label, &v, 1, NULL, out); }

/* The pool part sa a + sb b (terms concatenated, weights scaled). */
static cx_pool cx_pool_lin(cx *c, cx_pool a, fp2 sa, cx_pool b, fp2 sb) {
    cx_pool o = {.n = a.n + b.n};
    if (!o.n) return o;
    size_t *e = cx_alloc(c, o.n * sizeof *e);
    fp2 *w = cx_alloc(c, o.n * sizeof *w);
    for (unsigned k = 0; k < a.n; k++) e[k] = a.e[k], w[k] = fp2_mul(sa, a.w[k]);
    for (unsigned k = 0; k < b.n; k++) e[a.n + k] = b.e[k], w[a.n + k] = fp2_mul(sb, b.w[k]);
    o.e = e;
    o.w = w;
    return o;
}

cx_v cx_v_add(cx *c, cx_v a, cx_v b) {
    return (cx_v){.v = fp2_add(a.v, b.v), .p = cx_pool_lin(c, a.p, fp2_one(), b.p, fp2_one())};
}

cx_v cx_v_sub(cx *c, cx_v a, cx_v b) {
    return (cx_v){.v = fp2_sub(a.v, b.v), .p = cx_pool_lin(c, a.p, fp2_one(), b.p, fp2_neg(fp2_one()))};
}

cx_v cx_v_scale(cx *c, cx_v a, fp2 s) {
    return (cx_v){.v = fp2_mul(a.v, s), .p = cx_pool_lin(c, a.p, s, (cx_pool){0, NULL, NULL}, fp2_zero())};
}

zk_err cx_check_eq(cx *c, cx_v x, fp2 want, const char *what) {
    if (x.p.n) { /* sec. 9.8 (e): sum x.p = x.v - want, a claim of the batch (both roles) */
        ZK_CHECK(c->z.on);
        cx_lin_claim(c, x.p, fp2_sub(x.v, want));
        return ZK_OK;
    }
    if (c->P || fp2_eq(x.v, want)) return ZK_OK;
    return cx_fail(c, what);
}

/* Without the zero-knowledge mode no value has a pool part. */
static void cx_no_pool(const cx *c, cx_v v) { ZK_CHECK(c->z.on || v.p.n == 0); }

const pcs_scheme *cx_scheme(const cx *c) { return c->z.on ? &pcs_ligero_zk : &pcs_ligero; }

zk_err cx_mask_take_deg(cx *c, unsigned n, unsigned d, const unsigned *deg, zsc_mask **mask, int *on) {
    *mask = NULL;
    *on = 0;
    if (!c->z.on || n == 0) return ZK_OK;
    size_t need = 2 * (deg ? zsc_mask_ncoef_deg(n, deg) : zsc_mask_ncoef(n, d)), off = c->z.used;
    if (!c->z.count && need > ((size_t)1 << c->z.mc) - off) {
        zk_set_reason("zero-knowledge mask pool of the key (2^%u cells) is too small for this proof", c->z.mc);
        return ZK_EFORMAT;
    }
    c->z.used += need;
    if (c->z.ncl == c->z.ccl) {
        c->z.ccl = c->z.ccl ? 2 * c->z.ccl : 64;
        c->z.cl = realloc(c->z.cl, c->z.ccl * sizeof *c->z.cl);
        ZK_CHECK(c->z.cl);
    }
    unsigned *dc = NULL;
    if (deg) {
        dc = cx_alloc(c, n * sizeof *dc);
        memcpy(dc, deg, n * sizeof *dc);
    }
    c->z.last = c->z.ncl;
    c->z.cl[c->z.ncl++] = (zsc_claim){.off = off, .n = n, .d = d, .point = NULL, .value = fp2_zero(), .deg = dc};
    cx_chal(c, 1); /* rho != 0 against G (zsc.h): 1 / (|F| - 1) = 1 / CX_FIELD */
    if (c->P) {
        if (deg) *mask = c->z.count ? zsc_mask_new_deg(n, deg, NULL) : zsc_mask_from_cells_deg(n, deg, c->z.M + off);
        else *mask = c->z.count ? zsc_mask_new(n, d, NULL) : zsc_mask_from_cells(n, d, c->z.M + off);
    }
    *on = 1;
    return ZK_OK;
}

void cx_mask_put(cx *c, const fp2 *pt, fp2 gr) {
    zsc_claim *cl = &c->z.cl[c->z.last];
    ZK_CHECK(cl->nw == 0 && cl->point == NULL); /* the mask taken last, not yet put */
    cl->point = pt;
    cl->value = gr;
}

zk_err cx_zk_commit(cx *c, pcs_state **mst, pcs_commitment *mcom) {
    *mst = NULL;
    if (!c->z.on || c->z.count) return ZK_OK;
    if (!c->P) return cnn_read_once(c->tr, &pcs_ligero_zk, mcom, c->z.mc + 1);
    size_t nm = (size_t)2 << c->z.mc;
    fm61 *M = zk_malloc_n(nm, sizeof *M);
    zsc_random_cells(M, nm, NULL);
    c->z.M = M;
    *mst = pcs_ligero_zk.commit(c->tr, M, c->z.mc + 1);
    return ZK_OK;
}

void cx_zk_release(cx *c, pcs_state *mst) {
    if (mst) pcs_ligero_zk.state_free(mst);
    if (c->z.M) {
        OPENSSL_cleanse((fm61 *)c->z.M, ((size_t)2 << c->z.mc) * sizeof *c->z.M);
        free((fm61 *)c->z.M);
        c->z.M = NULL;
    }
}

zk_err cx_zk_finish(cx *c, const pcs_state *mst, const pcs_commitment *mcom) {
    if (!c->z.on || c->z.count || c->z.ncl == 0) return ZK_OK;
    unsigned mc = c->z.mc;
    fp2 *tp = cx_pt(c, mc + 1), y;
    /* lambda (1), rho' not in {0, -1} (1 / (|F| - 2) <= 2 / CX_FIELD), the
     * degree-2 sumcheck over mc - 1 variables (zsc.h) */
    cx_chal(c, 1);
    cx_chal(c, 2);
    cx_rounds(c, mc - 1, 2);
    c->where = NULL;
    if (c->P) {
        zsc_ip_prove(c->tr, tp, &y, c->z.M, mc, c->z.cl, c->z.ncl);
        pcs_ligero_zk.open(c->tr, mst, tp);
        return ZK_OK;
    }
    zk_err e = zsc_ip_verify(c->tr, tp, &y, mc, c->z.cl, c->z.ncl);
    if (e == ZK_EPROOF) return cx_fail(c, "zero-knowledge mask batch");
    if (e == ZK_EINPUT) {
        zk_set_reason("zero-knowledge masks do not fit the key's pool");
        return ZK_EFORMAT;
    }
    CX_TRY(e);
    e = pcs_ligero_zk.verify(c->tr, mcom, tp, y);
    if (e == ZK_EPROOF) {
        char why[160];
        snprintf(why, sizeof why, "%s", zk_reason());
        zk_set_reason("mask commitment opening: %s", why);
    }
    return e;
}

zk_err cx_em_begin(cx *c, cx_em *m, const vp_term *terms, unsigned nterms, unsigned ntab, unsigned n, cx_pool P,
                   const int *masked, const fp2 *e) {
    ZK_CHECK(c->z.on && n >= 1 && n <= ZSC_MAX_VARS);
    memset(m, 0, sizeof *m);
    m->n = n;
    m->ntab = ntab;
    m->masked = masked;
    m->P = P;
    m->ab = P.n > 0;
    m->e = e;
    m->deg = cx_alloc(c, n * sizeof *m->deg);
    vp_round_degrees_ab(m->deg, terms, nterms, masked, m->ab, n);
    for (unsigned v = 0; v < n; v++) cx_rounds(c, 1, m->deg[v]);
    CX_TRY(cx_mask_take_deg(c, n, vp_degree(terms, nterms), m->deg, &m->mk, &m->on));
    m->ae = cx_alloc(c, ntab * sizeof *m->ae);
    m->a = cx_alloc(c, ntab * sizeof *m->a);
    zk_err er = m->ab ? cx_entry(c, &m->be) : ZK_OK; /* b, then the a's in table order */
    for (unsigned j = 0; j < ntab && er == ZK_OK; j++)
        if (masked[j]) er = cx_entry(c, &m->ae[j]);
    if (er) {
        zsc_mask_free(m->mk);
        m->mk = NULL;
        return er;
    }
    if (c->P) {
        for (unsigned j = 0; j < ntab; j++)
            if (masked[j]) m->a[j] = cx_entry_val(c, m->ae[j]);
        m->abs = (vp_absorb){.part = cx_pool_val(c, P), .b = m->ab ? cx_entry_val(c, m->be) : fp2_zero(), .e = e};
    }
    return ZK_OK;
}

zk_err cx_em_end(cx *c, cx_em *m, const fp2 *pt, fp2 gr, fp2 *red, fp2 *vals, const int *send, cx_pool *vpp) {
    if (m->on) cx_mask_put(c, pt, gr);
    if (m->ab) { /* sec. 9.8 (d): ell = P + b (r_0 - e_0), a linear claim of the batch */
        fp2 ell = m->abs.ell;
        CX_TRY(cx_xfer(c, "cnn/ell", &ell, 1));
        fp2 e0 = m->e ? m->e[0] : fp2_zero();
        if (!c->P) {
            fp2 E = fp2_one();
            if (m->e) E = mle_eq_eval(m->e, pt, m->n);
            else
                for (unsigned v = 0; v < m->n; v++) E = fp2_mul(E, fp2_sub(fp2_one(), pt[v]));
            *red = fp2_sub(*red, fp2_mul(E, ell));
        }
        cx_pool L = {.n = m->P.n + 1};
        size_t *le = cx_alloc(c, L.n * sizeof *le);
        fp2 *lw = cx_alloc(c, L.n * sizeof *lw);
        memcpy(le, m->P.e, m->P.n * sizeof *le);
        memcpy(lw, m->P.w, m->P.n * sizeof *lw);
        le[m->P.n] = m->be;
        lw[m->P.n] = fp2_sub(pt[0], e0);
        L.e = le;
        L.w = lw;
        cx_lin_claim(c, L, ell);
    }
    fp2 c0 = fp2_mul(pt[0], fp2_sub(fp2_one(), pt[0])); /* sec. 9.8 (a): x_0 (1 - x_0) at the point */
    for (unsigned j = 0; j < m->ntab; j++) {
        if (send[j]) CX_TRY(cx_xfer(c, "cnn/eval", &vals[j], 1));
        if (vpp) vpp[j] = m->masked[j] ? cx_pool_one(c, m->ae[j], c0) : (cx_pool){0, NULL, NULL};
    }
    return ZK_OK;
}

zk_err cx_sc(cx *c, fp2 **tabs, unsigned ntab, const vp_term *terms, unsigned nterms, unsigned n, cx_v cl_v,
             fp2 **pt, fp2 *red, fp2 *vals, const int *send, cx_pool *vpp) {
    return cx_sc_eq(c, tabs, ntab, terms, nterms, n, cl_v, 0, NULL, pt, red, vals, send, vpp);
}

/* The zero-knowledge mode's cx_sc_eq (protocol.md sec. 9.8): masked finals
 * (a) for the sent tables, the claim's pool part absorbed (d), and a
 * sumcheck of no variables run on one (every table constant in it, the
 * claim doubled). */
static zk_err cx_sc_eq_zk(cx *c, fp2 **tabs, unsigned ntab, const vp_term *terms, unsigned nterms, unsigned n,
                          cx_v cl_v, unsigned eqt, const fp2 *rho, fp2 **pt, fp2 *red, fp2 *vals, const int *send,
                          cx_pool *vpp) {
    int ext = n == 0;
    unsigned n1 = ext ? 1 : n;
    cx_v cv = ext ? cx_v_scale(c, cl_v, cx_int(2)) : cl_v;
    int *masked = cx_alloc(c, ntab * sizeof *masked);
    for (unsigned j = 0; j < ntab; j++) masked[j] = send[j] && !(rho && j == eqt);
    for (unsigned j = 0; j < ntab; j++) ZK_CHECK(vpp || !masked[j]); /* a masked final's pool part has a home */
    cx_em m;
    CX_TRY(cx_em_begin(c, &m, terms, nterms, ntab, n1, cv.p, masked, rho && !ext ? rho : NULL));
    fp2 *p1 = cx_pt(c, n1), gr = fp2_zero();
    if (c->P) {
        fp2 cl0 = fp2_sub(cv.v, m.abs.part);
        vp_absorb *ab = m.ab ? &m.abs : NULL;
        if (ext) {
            fp2 **T2 = zk_malloc_n(ntab, sizeof *T2);
            for (unsigned j = 0; j < ntab; j++) {
                T2[j] = zk_malloc_n(2, sizeof(fp2));
                T2[j][0] = T2[j][1] = rho && j == eqt ? fp2_one() : tabs[j][0];
            }
            vp_prove_em(c->tr, p1, vals, &gr, T2, ntab, terms, nterms, 1, cl0, m.mk, masked, m.a, ab);
            for (unsigned j = 0; j < ntab; j++) free(T2[j]);
            free(T2);
        } else if (rho) {
            vp_prove_eq_em(c->tr, p1, vals, &gr, tabs, ntab, terms, nterms, n, cl0, eqt, rho, m.mk, masked, m.a, ab);
        } else {
            vp_prove_em(c->tr, p1, vals, &gr, tabs, ntab, terms, nterms, n, cl0, m.mk, masked, m.a, ab);
        }
        zsc_mask_free(m.mk);
        *red = vp_combine(terms, nterms, vals);
    } else {
        *red = cv.v;
        zk_err e = zsc_verify_deg(c->tr, p1, red, &gr, m.deg, n1);
        if (e == ZK_EPROOF) return cx_fail(c, "sumcheck round");
        CX_TRY(e);
    }
    CX_TRY(cx_em_end(c, &m, p1, gr, red, vals, send, vpp));
    *pt = ext ? cx_pt(c, 0) : p1;
    return ZK_OK;
}

zk_err cx_sc_eq(cx *c, fp2 **tabs, unsigned ntab, const vp_term *terms, unsigned nterms, unsigned n, cx_v cl_v,
                unsigned eqt, const fp2 *rho, fp2 **pt, fp2 *red, fp2 *vals, const int *send, cx_pool *vpp) {
    cx_no_pool(c, cl_v);
    if (c->z.on) return cx_sc_eq_zk(c, tabs, ntab, terms, nterms, n, cl_v, eqt, rho, pt, red, vals, send, vpp);
    if (vpp)
        for (unsigned j = 0; j < ntab; j++) vpp[j] = (cx_pool){0, NULL, NULL};
    fp2 claim_v = cl_v.v;
    *pt = cx_pt(c, n);
    unsigned deg = vp_degree(terms, nterms);
    cx_rounds(c, n, deg);
    if (c->P) {
        fp2 gr;
        if (rho) vp_prove_eq_zk(c->tr, *pt, vals, &gr, tabs, ntab, terms, nterms, n, claim_v, eqt, rho, NULL);
        else vp_prove_zk(c->tr, *pt, vals, &gr, tabs, ntab, terms, nterms, n, claim_v, NULL);
        *red = vp_combine(terms, nterms, vals);
    } else {
        *red = claim_v;
        zk_err e = sc_verify(c->tr, *pt, red, deg, n);
        if (e == ZK_EPROOF) return cx_fail(c, "sumcheck round");
        CX_TRY(e);
    }
    for (unsigned j = 0; j < ntab; j++)
        if (send[j]) CX_TRY(cx_xfer(c, "cnn/eval", &vals[j], 1));
    return ZK_OK;
}

zk_err cx_sc_dot(cx *c, fp2 *wt, const fm61 *T, unsigned nv, cx_v cl_v, fp2 **pt, fp2 *red, fp2 *vals,
                 cx_pool *vpp) {
    cx_no_pool(c, cl_v);
    if (vpp) *vpp = (cx_pool){0, NULL, NULL};
    if (!c->z.on) {
        *pt = cx_pt(c, nv);
        cx_rounds(c, nv, 2);
        if (c->P) {
            fp2 fin[2], gr;
            fp2 *vbuf = zk_malloc_n(nv ? (size_t)1 << (nv - 1) : 1, sizeof *vbuf);
            sc_prove_base_zk(c->tr, *pt, fin, &gr, T, vbuf, wt, nv, cl_v.v, NULL);
            free(vbuf);
            vals[0] = fin[1];
            vals[1] = fin[0];
            *red = fp2_mul(vals[0], vals[1]);
        } else {
            *red = cl_v.v;
            zk_err e = sc_verify(c->tr, *pt, red, 2, nv);
            if (e == ZK_EPROOF) return cx_fail(c, "sumcheck round");
            CX_TRY(e);
        }
        return cx_xfer(c, "cnn/eval", &vals[1], 1);
    }
    /* sec. 9.8: tables 0 = wt (the verifier's), 1 = T, masked unless the
     * caller opens T at the point (vpp NULL) */
    int ext = nv == 0;
    ZK_CHECK(!ext || vpp); /* a bare final of one cell would be the cell itself */
    unsigned n1 = ext ? 1 : nv;
    cx_v cv = ext ? cx_v_scale(c, cl_v, cx_int(2)) : cl_v;
    int *masked = cx_alloc(c, 2 * sizeof *masked), send[2] = {0, 1};
    masked[1] = vpp != NULL;
    vp_term term = {.c = fp2_one(), .k = 2, .t = {0, 1}};
    cx_em m;
    CX_TRY(cx_em_begin(c, &m, &term, 1, 2, n1, cv.p, masked, NULL));
    fp2 *p1 = cx_pt(c, n1), gr = fp2_zero();
    if (c->P) {
        fp2 fin[2], w2[2], a2[2] = {m.a[1], fp2_zero()};
        fm61 T2[2];
        const fm61 *TT = T;
        fp2 *ww = wt;
        if (ext) {
            T2[0] = T2[1] = T[0];
            w2[0] = w2[1] = wt[0];
            TT = T2;
            ww = w2;
        }
        int mb[2] = {masked[1], 0};
        fp2 *vbuf = zk_malloc_n(n1 > 1 ? (size_t)1 << (n1 - 1) : 2, sizeof *vbuf); /* n = 1: sc_prove_base_em lifts both entries */
        sc_prove_base_em(c->tr, p1, fin, &gr, TT, vbuf, ww, n1, fp2_sub(cv.v, m.abs.part), m.mk, mb, a2,
                         m.ab ? &m.abs : NULL);
        zsc_mask_free(m.mk);
        free(vbuf);
        vals[0] = fin[1];
        vals[1] = fin[0];
        *red = fp2_mul(vals[0], vals[1]);
    } else {
        *red = cv.v;
        zk_err e = zsc_verify_deg(c->tr, p1, red, &gr, m.deg, n1);
        if (e == ZK_EPROOF) return cx_fail(c, "sumcheck round");
        CX_TRY(e);
    }
    cx_pool vp2[2];
    CX_TRY(cx_em_end(c, &m, p1, gr, red, vals, send, vp2));
    if (vpp) *vpp = vp2[1];
    *pt = ext ? cx_pt(c, 0) : p1;
    return ZK_OK;
}

zk_err cx_sc_check(cx *c, const vp_term *terms, unsigned nterms, const fp2 *vals, fp2 red, const char *what) {
    if (c->P) return ZK_OK;
    if (!fp2_eq(vp_combine(terms, nterms, vals), red)) return cx_fail(c, what);
    return ZK_OK;
}

fp2 cx_ind_eval(int64_t len, const fp2 *r, unsigned nv) {
    if (len >= ((int64_t)1 << nv)) return fp2_one();
    if (len <= 0) return fp2_zero();
    int64_t half = (int64_t)1 << (nv - 1);
    fp2 t = r[nv - 1], one = fp2_one();
    if (len <= half) return fp2_mul(fp2_sub(one, t), cx_ind_eval(len, r, nv - 1));
    return fp2_add(fp2_sub(one, t), fp2_mul(t, cx_ind_eval(len - half, r, nv - 1)));
}

fp2 cx_sel_eval(uint64_t idx, const fp2 *r, unsigned lo, unsigned hi) {
    fp2 s = fp2_one();
    for (unsigned j = lo; j < hi; j++) {
        fp2 t = ((idx >> (j - lo)) & 1) ? r[j] : fp2_sub(fp2_one(), r[j]);
        s = fp2_mul(s, t);
    }
    return s;
}

fp2 *cx_eq_new(const fp2 *r, unsigned n) {
    fp2 *e = zk_malloc_n((size_t)1 << n, sizeof *e);
    mle_eq_table(e, r, n);
    return e;
}

fp2 *cx_lift_new(const fm61 *t, unsigned n) {
    fp2 *o = zk_malloc_n((size_t)1 << n, sizeof *o);
    mle_lift(o, t, (size_t)1 << n);
    return o;
}

fp2 cx_map_apply(const cmap *mp, const fp2 *e, const fm61 *Tm, const fp2 *Tf) {
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

fp2 cx_map_pad(const cmap *mp, const fp2 *e) {
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

fp2 cx_map_value(const cmap *mp, const fp2 *pt, const fm61 *T) {
    fp2 *e = cx_eq_new(pt, mp->nv);
    fp2 v = cx_map_apply(mp, e, T, NULL);
    free(e);
    return v;
}

cmap *cx_map_new(cx *c, int64_t len, unsigned nv, unsigned fan, int with_coef) {
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
const cmap *cx_map_simplify(const cmap *mp, int64_t tlen, unsigned tnv) {
    if (mp->fan != 1 || mp->coef || mp->pad || mp->nv != tnv || mp->len != tlen) return mp;
    for (int64_t v = 0; v < mp->len; v++)
        if (mp->src[v] != v) return mp;
    return NULL;
}

zk_err cx_merge(cx *c, claims *l, const fm61 *T, unsigned nv, fp2 **pt, cx_v *val) {
    *pt = NULL;
    if (l->n == 0) return ZK_OK;
    if (l->n == 1 && !l->v[0].map) {
        *pt = (fp2 *)l->v[0].pt;
        *val = l->v[0].val;
        return ZK_OK;
    }
    double t0 = cx_now();
    fp2 alpha = tr_challenge(c->tr, "cnn/merge/alpha");
    cx_chal(c, (double)(l->n - 1)); /* sum_j alpha^j (claim_j - true_j) */
    size_t N = (size_t)1 << nv;
    fp2 coef = fp2_one();
    cx_v sum = cx_v_of(fp2_zero());
    fp2 *wt = c->P ? zk_calloc(N, sizeof *wt) : NULL;
    fp2 *cf = zk_malloc_n(l->n, sizeof *cf);
    for (size_t j = 0; j < l->n; j++) {
        const claim *cl = &l->v[j];
        cf[j] = coef;
        cx_v v = cl->val;
        if (cl->map) {
            fp2 *e = cx_eq_new(cl->pt, cl->map->nv);
            v = cx_v_addk(v, fp2_neg(cx_map_pad(cl->map, e)));
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
        sum = cx_v_add(c, sum, cx_v_scale(c, v, coef));
        coef = fp2_mul(coef, alpha);
    }
    vp_term term = {.c = fp2_one(), .k = 2, .t = {0, 1}};
    fp2 vals[2], red, *r;
    cx_pool fpp;
    zk_err e = cx_sc_dot(c, wt, T, nv, sum, &r, &red, vals, &fpp);
    free(wt);
    if (e == ZK_OK && !c->P) {
        fp2 *er = cx_eq_new(r, nv), w = fp2_zero();
        for (size_t j = 0; j < l->n; j++) {
            const claim *cl = &l->v[j];
            fp2 wj;
            if (cl->map) {
                fp2 *ep = cx_eq_new(cl->pt, cl->map->nv);
                cmap tmp = *cl->map;
                tmp.pad = 0;
                wj = cx_map_apply(&tmp, ep, NULL, er);
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
    if (c->st) c->st->t[CNN_PH_MERGE] += cx_now() - t0;
    CX_TRY(e);
    *pt = r;
    *val = (cx_v){.v = vals[1], .p = fpp};
    return ZK_OK;
}

void cx_claim_tensor(cx *c, int32_t t, const fp2 *pt, cx_v val, const cmap *map) {
    if (map) map = cx_map_simplify(map, q_numel(c->m, t), c->pl->tnv[t]);
    cx_claims_push(&c->tc[t], pt, val, map);
}

void cx_claim_region(cx *c, int r, const fp2 *pt, cx_v val, const cmap *map) {
    cx_claims_push(&c->rc[r], pt, val, map);
}

const fm61 *cx_reg_table(const cx *c, int r) {
    const pl_region *rg = &c->pl->reg[r];
    return (rg->poly == PL_W ? c->W : c->ADV) + rg->off;
}

zk_err cx_claim_qty(cx *c, const pl_qty *q, const fp2 *pt, cx_v val, const cmap *map) {
    cx_v rest = val;
    for (int j = 0; j < q->nl - 1; j++) {
        fp2 lv = fp2_zero();
        if (c->P) {
            const fm61 *R = cx_reg_table(c, q->reg[j]);
            lv = map ? cx_map_value(map, pt, R) : mle_eval_fm61(R, c->pl->reg[q->reg[j]].nv, pt);
        }
        cx_v l;
        CX_TRY(cx_xfer_v(c, "cnn/limb", lv, &l));
        cx_claim_region(c, q->reg[j], pt, l, map);
        rest = cx_v_sub(c, rest, cx_v_scale(c, l, cx_pow2((int)c->pl->lb * j)));
    }
    int last = q->nl - 1;
    cx_claim_region(c, q->reg[last], pt, cx_v_scale(c, rest, cx_inv_pow2((int)c->pl->lb * last)), map);
    return ZK_OK;
}

fp2 *cx_qty_table(const cx *c, const pl_qty *q, unsigned nv) {
    size_t N = (size_t)1 << nv;
    fp2 *t = zk_calloc(N, sizeof *t);
    for (int j = 0; j < q->nl; j++) {
        const fm61 *R = cx_reg_table(c, q->reg[j]);
        fm61 s = cx_pow2_fm61((int)c->pl->lb * j);
        for (size_t i = 0; i < N; i++) t[i] = fp2_add(t[i], fp2_from_fm61(fm61_mul(R[i], s)));
    }
    return t;
}

fp2 *cx_tensor_table(const cx *c, int32_t t) { return cx_lift_new(c->tv[t], c->pl->tnv[t]); }

void cx_free(cx *c) {
    free(c->z.cl);
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
