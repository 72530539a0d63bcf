#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "../quant/qint.h"

static int pl_int_checks = 1;
#ifdef ZK_VERIFY
void cnn_test_int_checks(int on) { pl_int_checks = on; }
#endif

unsigned pl_log2(int64_t n) {
    unsigned v = 0;
    while (((int64_t)1 << v) < n) v++;
    return v;
}

static int pl_add_region(pl_plan *p, int poly, unsigned nv, int64_t len) {
    if (p->nreg == p->capreg) {
        p->capreg = p->capreg ? 2 * p->capreg : 64;
        p->reg = realloc(p->reg, p->capreg * sizeof *p->reg);
        ZK_CHECK(p->reg);
    }
    p->reg[p->nreg] = (pl_region){.poly = poly, .nv = nv, .len = len, .node = p->cur};
    return (int)p->nreg++;
}

static void pl_add_col(pl_plan *p, int reg, int64_t scale, int64_t *off) {
    if (p->ncol == p->capcol) {
        p->capcol = p->capcol ? 2 * p->capcol : 64;
        p->col = realloc(p->col, p->capcol * sizeof *p->col);
        ZK_CHECK(p->col);
    }
    p->col[p->ncol++] = (pl_col){.reg = reg, .scale = scale, .off = off};
}

/* A quantity of `bits` bits over the node output (len entries, nv vars). */
static pl_qty pl_qty_new(pl_plan *p, int bits, unsigned nv, int64_t len) {
    int lb = (int)p->lb;
    pl_qty q = {.nl = (bits + lb - 1) / lb, .bits = bits};
    ZK_CHECK(bits >= 1 && q.nl <= PL_MAX_LIMBS);
    for (int j = 0; j < q.nl; j++) {
        q.reg[j] = pl_add_region(p, PL_ADV, nv, len);
        int bl = j < q.nl - 1 ? lb : bits - lb * (q.nl - 1);
        pl_add_col(p, q.reg[j], 1, NULL);
        if (bl < lb) pl_add_col(p, q.reg[j], (int64_t)1 << (lb - bl), NULL);
    }
    return q;
}

/* A bit: one region, no lookup column; the layer's sumcheck checks
 * b (b - 1) = 0 (a zero-check is cheaper than two lookups). */
static pl_qty pl_bit_new(pl_plan *p, unsigned nv, int64_t len) {
    pl_qty q = {.nl = 1, .bits = 1};
    q.reg[0] = pl_add_region(p, PL_ADV, nv, len);
    return q;
}

static int pl_cmp_nv_desc(const void *a, const void *b, void *ctx) {
    const unsigned *nv = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (nv[i] != nv[j]) return nv[i] > nv[j] ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* Places blocks of sizes 2^nv[i] largest first; returns the total size's
 * variable count (0 for no blocks, else >= min_nv). */
static unsigned pl_place(uint64_t *off, const unsigned *nv, size_t n, unsigned min_nv) {
    if (!n) return 0;
    size_t *ord = zk_malloc_n(n, sizeof *ord);
    for (size_t i = 0; i < n; i++) ord[i] = i;
    qsort_r(ord, n, sizeof *ord, pl_cmp_nv_desc, (void *)nv);
    uint64_t at = 0;
    for (size_t i = 0; i < n; i++) {
        off[ord[i]] = at;
        at += (uint64_t)1 << nv[ord[i]];
    }
    free(ord);
    unsigned v = pl_log2((int64_t)at);
    return v < min_nv ? min_nv : v;
}

/* Window cells that are a real input cell for at least one output (a cell
 * that is padding everywhere can never be the maximum or add to a sum). */
static int64_t *pl_live_cells(const q_model *m, const q_node *nd, int64_t all, int64_t *nlive) {
    int64_t ny = q_numel(m, (int32_t)(nd - m->nodes) + 1), n = 0;
    const nn_shape *Y = &m->tensors[(nd - m->nodes) + 1].shape;
    int64_t plane = (nd->op == NN_GLOBALAVGPOOL || nd->op == NN_GLOBALMAXPOOL) ? 1 : Y->d[2] * Y->d[3];
    int64_t *c = zk_malloc_n((size_t)all, sizeof *c);
    for (int64_t p = 0; p < all; p++)
        for (int64_t o = 0; o < plane && o < ny; o++) /* the first plane has every window position */
            if (q_max_cell(m, nd, o, p) >= 0) {
                c[n++] = p;
                break;
            }
    *nlive = n;
    return c;
}

#define PL_FAIL(...)                \
    do {                            \
        zk_set_reason(__VA_ARGS__); \
        pl_free(p);                 \
        return ZK_EINPUT;           \
    } while (0)

static zk_err pl_build_lb(pl_plan **out, const q_model *m, unsigned lb) {
    pl_plan *p = zk_calloc(1, sizeof *p);
    p->m = m;
    p->lb = lb;
    p->tnv = zk_calloc(m->ntensors, sizeof *p->tnv);
    for (size_t t = 0; t < m->ntensors; t++) {
        int64_t n = q_numel(m, (int32_t)t);
        if (n > ((int64_t)1 << 30)) PL_FAIL("tensor %s has %lld elements, over the prover's 2^30", m->tensors[t].name, (long long)n);
        p->tnv[t] = pl_log2(n < 1 ? 1 : n);
    }
    p->rule = zk_calloc(m->ntensors, sizeof *p->rule);
    q_int_rules(m, p->rule);
    p->node = zk_calloc(m->nnodes, sizeof *p->node);
    int b_act = m->s.b_act;
    for (size_t i = 0; i < m->nnodes; i++) {
        const q_node *nd = &m->nodes[i];
        pl_node *pn = &p->node[i];
        pn->wreg = pn->breg = pn->creg = -1;
        p->cur = (int)i;
        int32_t ty = (int32_t)i + 1;
        unsigned ynv = p->tnv[ty];
        int64_t ny = q_numel(m, ty);
        const nn_shape *Y = &m->tensors[ty].shape;
        const nn_shape *X = nd->in[0] >= 0 ? &m->tensors[nd->in[0]].shape : NULL;
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
            pn->P = ny / pn->Mg;
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
        default: break;
        }
        if (pn->kind) {
            pn->gv = pl_log2(pn->G);
            pn->mv = pl_log2(pn->Mg);
            pn->qv = pl_log2(pn->Q);
            pn->pv = pl_log2(pn->P);
            if (pn->kind != PL_MM_MATMUL) {
                unsigned nv = pn->qv + pn->mv + pn->gv;
                if (nv > 30) PL_FAIL("node %s: weight block of 2^%u entries is too large", nd->name, nv);
                for (int64_t k = 0; k < pn->K; k++) {
                    int r = pl_add_region(p, PL_W, nv, (int64_t)1 << nv);
                    if (k == 0) pn->wreg = r;
                }
                if (nd->nb) pn->breg = pl_add_region(p, PL_W, pl_log2((int64_t)nd->nb), (int64_t)nd->nb);
            }
        }
        if (nd->op == NN_AFFINE) {
            pn->creg = pl_add_region(p, PL_W, pl_log2((int64_t)nd->nw), (int64_t)nd->nw);
            pn->breg = pl_add_region(p, PL_W, pl_log2((int64_t)nd->nb), (int64_t)nd->nb);
        }
        if ((nd->op == NN_MUL || nd->op == NN_ADD || nd->op == NN_SUB) && nd->nw)
            pn->creg = pl_add_region(p, PL_W, pl_log2((int64_t)nd->nw), (int64_t)nd->nw);
        int rescales = q_op_rescales(nd->op) || nd->op == NN_LEAKYRELU;
        if (rescales && nd->k >= 1) pn->rem = pl_qty_new(p, nd->k, ynv, ny);
        /* an output no relation proves an integer: y + A in [0, 2A) */
        if (p->rule[ty] == Q_INT_CHECK && pl_int_checks) pn->ychk = pl_qty_new(p, b_act, ynv, ny);
        if (nd->op == NN_RELU || nd->op == NN_LEAKYRELU) {
            pn->sign = pl_bit_new(p, ynv, ny);
            pn->u = pl_qty_new(p, b_act - 1, ynv, ny);
        }
        if (nd->op == NN_MAXPOOL || nd->op == NN_GLOBALMAXPOOL) {
            pn->cell = pl_live_cells(m, nd, q_max_cells(m, nd), &pn->ncell);
            if (pn->ncell > 4096)
                PL_FAIL("node %s: max-pool window of %lld real cells is over 4096", nd->name, (long long)pn->ncell);
            pn->d = zk_calloc((size_t)pn->ncell, sizeof *pn->d);
            pn->e = zk_calloc((size_t)pn->ncell, sizeof *pn->e);
            for (int64_t c = 0; c < pn->ncell; c++) {
                pn->d[c] = pl_qty_new(p, b_act, ynv, ny);
                pn->e[c] = pl_bit_new(p, ynv, ny);
            }
        }
        if (nd->op == NN_AVGPOOL || nd->op == NN_GLOBALAVGPOOL) {
            pn->cell = pl_live_cells(m, nd,
                                     nd->op == NN_AVGPOOL ? nd->kernel[0] * nd->kernel[1]
                                                          : q_numel(m, nd->in[0]) / (X->d[0] * X->d[1]),
                                     &pn->ncell);
            int64_t nmax = 0;
            int64_t *off = zk_malloc_n((size_t)ny, sizeof *off);
            for (int64_t o = 0; o < ny; o++) {
                int64_t n = q_avg_count(m, nd, o);
                if (n > nmax) nmax = n;
                off[o] = 2 * n - 1;
            }
            if (2 * nmax > ((int64_t)1 << p->lb)) {
                free(off);
                PL_FAIL("node %s: average over %lld cells needs a remainder range over 2^%u", nd->name, (long long)nmax,
                        p->lb);
            }
            /* rem in [0, 2n): rem and 2n - 1 - rem both in [0, 2^16) */
            pn->rem.nl = 1;
            pn->rem.bits = 0;
            pn->rem.reg[0] = pl_add_region(p, PL_ADV, ynv, ny);
            pl_add_col(p, pn->rem.reg[0], 1, NULL);
            pl_add_col(p, pn->rem.reg[0], -1, off);
        }
    }
    p->cur = -1;
    p->mreg = pl_add_region(p, PL_ADV, p->lb, (int64_t)1 << p->lb);

    /* place the regions of each table */
    for (int poly = 0; poly < 2; poly++) {
        size_t n = 0;
        for (size_t r = 0; r < p->nreg; r++) n += p->reg[r].poly == poly;
        unsigned *nv = zk_calloc(n ? n : 1, sizeof *nv);
        uint64_t *off = zk_calloc(n ? n : 1, sizeof *off);
        size_t *idx = zk_calloc(n ? n : 1, sizeof *idx);
        size_t j = 0;
        for (size_t r = 0; r < p->nreg; r++)
            if (p->reg[r].poly == poly) idx[j] = r, nv[j++] = p->reg[r].nv;
        unsigned tot = pl_place(off, nv, n, 2);
        for (j = 0; j < n; j++) p->reg[idx[j]].off = off[j];
        if (poly == PL_W) p->wnv = tot;
        else p->anv = tot;
        free(nv);
        free(off);
        free(idx);
    }
    if (p->wnv > PCS_LIGERO_MAX_VARS || p->anv > PCS_LIGERO_MAX_VARS)
        PL_FAIL("committed table of 2^%u entries is over 2^%d", p->wnv > p->anv ? p->wnv : p->anv, PCS_LIGERO_MAX_VARS);
    /* lookup leaves: one block per column, then the table block */
    {
        size_t n = p->ncol + 1;
        unsigned *nv = zk_malloc_n(n, sizeof *nv);
        uint64_t *off = zk_malloc_n(n, sizeof *off);
        for (size_t c = 0; c < p->ncol; c++) nv[c] = p->reg[p->col[c].reg].nv;
        nv[p->ncol] = p->lb;
        p->lnv = pl_place(off, nv, n, 1);
        for (size_t c = 0; c < p->ncol; c++) p->col[c].leaf = off[c];
        p->tleaf = off[p->ncol];
        free(nv);
        free(off);
    }
    if (p->lnv > 32) PL_FAIL("2^%u lookups are too many", p->lnv);
    p->lu_two = p->lnv >= PL_LU_TWO_MIN;
    *out = p;
    return ZK_OK;
}

void pl_free(pl_plan *p) {
    if (!p) return;
    if (p->node)
        for (size_t i = 0; i < p->m->nnodes; i++) {
            free(p->node[i].d);
            free(p->node[i].e);
            free(p->node[i].cell);
        }
    for (size_t c = 0; c < p->ncol; c++) free(p->col[c].off);
    free(p->node);
    free(p->col);
    free(p->reg);
    free(p->tnv);
    free(p->rule);
    free(p);
}

fm61 *pl_weights(const pl_plan *p) {
    const q_model *m = p->m;
    ZK_CHECK(!m->skeleton && p->wnv > 0);
    fm61 *W = zk_calloc((size_t)1 << p->wnv, sizeof *W);
    for (size_t i = 0; i < m->nnodes; i++) {
        const q_node *nd = &m->nodes[i];
        const pl_node *pn = &p->node[i];
        if (pn->kind == PL_MM_CONV || pn->kind == PL_MM_FC) {
            int64_t kh = pn->kind == PL_MM_CONV ? nd->kernel[0] : 1, kw = pn->kind == PL_MM_CONV ? nd->kernel[1] : 1;
            int64_t Qp = (int64_t)1 << pn->qv, Mp = (int64_t)1 << pn->mv;
            for (int64_t mo = 0; mo < pn->G * pn->Mg; mo++) {
                int64_t g = mo / pn->Mg, mg = mo % pn->Mg;
                for (int64_t c = 0; c < pn->Q; c++)
                    for (int64_t kp = 0; kp < kh * kw; kp++) {
                        const pl_region *r = &p->reg[pn->wreg + kp];
                        W[r->off + (uint64_t)(c + Qp * (mg + Mp * g))] =
                            fm61_from_i64(nd->w[(mo * pn->Q + c) * kh * kw + kp]);
                    }
            }
        }
        if (pn->breg >= 0)
            for (size_t j = 0; j < nd->nb; j++) W[p->reg[pn->breg].off + j] = fm61_from_i64(nd->b[j]);
        if (pn->creg >= 0)
            for (size_t j = 0; j < nd->nw; j++) W[p->reg[pn->creg].off + j] = fm61_from_i64(nd->w[j]);
    }
    return W;
}

/* The limb width (= log2 of the lookup table) is chosen per model: the
 * width in [PL_LB_MIN, PL_LB_MAX] with the fewest lookup leaves, then the
 * smallest auxiliary table, then the widest limbs. A 2^16 table costs 2^16
 * leaves on every proof, which dominates small models; wide tables pay off
 * when many values are checked. */
zk_err pl_build(pl_plan **out, const q_model *m) {
    pl_plan *best = NULL;
    zk_err first = ZK_OK;
    char why[256] = "";
    for (unsigned lb = PL_LB_MAX; lb >= PL_LB_MIN; lb--) {
        pl_plan *p;
        zk_err e = pl_build_lb(&p, m, lb);
        if (e) {
            if (lb == PL_LB_MAX) {
                first = e;
                snprintf(why, sizeof why, "%s", zk_reason());
            }
            continue;
        }
        if (!best || p->lnv < best->lnv || (p->lnv == best->lnv && p->anv < best->anv)) {
            pl_free(best);
            best = p;
        } else {
            pl_free(p);
        }
    }
    if (!best) {
        zk_set_reason("%s", why);
        return first ? first : ZK_EINPUT;
    }
    *out = best;
    return ZK_OK;
}
