/* plan.c -- the layout prover and verifier derive from the model (plan.h;
 * papers/protocol.md sec. 7.8.2), and the two committed tables built on it:
 * W from the model's constants, ADV from a witness. The per-op parts come
 * from the layer table (layers.h). */
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../quant/qint.h"
#include "cnn_test.h"
#include "layers.h"

static int pl_int_checks = 1;
#ifdef ZK_VERIFY
void cnn_test_int_checks(int on) { pl_int_checks = on; }
#endif

unsigned pl_log2(int64_t n) {
    unsigned v = 0;
    while (((int64_t)1 << v) < n) v++;
    return v;
}

int pl_add_region(pl_plan *p, int poly, unsigned nv, int64_t len) {
    if (p->nreg == p->capreg) {
        p->capreg = p->capreg ? 2 * p->capreg : 64;
        p->reg = realloc(p->reg, p->capreg * sizeof *p->reg);
        ZK_CHECK(p->reg);
    }
    p->reg[p->nreg] = (pl_region){.poly = poly, .nv = nv, .len = len, .node = p->cur};
    return (int)p->nreg++;
}

void pl_add_col(pl_plan *p, int reg, int64_t scale, int64_t *off) {
    if (p->ncol == p->capcol) {
        p->capcol = p->capcol ? 2 * p->capcol : 64;
        p->col = realloc(p->col, p->capcol * sizeof *p->col);
        ZK_CHECK(p->col);
    }
    p->col[p->ncol++] = (pl_col){.reg = reg, .scale = scale, .off = off};
}

void pl_add_col_const(pl_plan *p, int reg, int64_t scale, int64_t coff) {
    pl_add_col(p, reg, scale, NULL);
    p->col[p->ncol - 1].coff = coff;
}

pl_qty pl_qty_new(pl_plan *p, int bits, unsigned nv, int64_t len) {
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

/* A bit has no lookup column: a zero-check is cheaper than two lookups. */
pl_qty pl_bit_new(pl_plan *p, unsigned nv, int64_t len) {
    pl_qty q = {.nl = 1, .bits = 1};
    q.reg[0] = pl_add_region(p, PL_ADV, nv, len);
    return q;
}

/* Two nodes share a table of a kind when what the table depends on
 * agrees: a table op's f, parameters, input and output scales and shift
 * (then q_lut_entry agrees everywhere); an exp table's input scale, f_e
 * and s (b_act is the model's); a log table's input and output scales, f_e
 * and s2; a Clip table's input scale and bounds. */
static int pl_same_table(const q_model *m, int kind, const q_node *a, const q_node *b) {
    if (m->tensors[a->in[0]].f != m->tensors[b->in[0]].f) return 0;
    switch (kind) {
    case PL_TAB_LUT:
        return a->op == b->op && m->tensors[(a - m->nodes) + 1].f == m->tensors[(b - m->nodes) + 1].f &&
               memcmp(a->iattr, b->iattr, sizeof a->iattr) == 0;
    case PL_TAB_EXP: return a->iattr[2] == b->iattr[2] && a->iattr[3] == b->iattr[3];
    case PL_TAB_CLIP: return a->iattr[0] == b->iattr[0] && a->iattr[1] == b->iattr[1];
    default:
        return a->iattr[2] == b->iattr[2] && a->iattr[4] == b->iattr[4] &&
               m->tensors[(a - m->nodes) + 1].f == m->tensors[(b - m->nodes) + 1].f;
    }
}

int pl_table(pl_plan *p, size_t i, int kind) {
    const q_node *nd = &p->m->nodes[i];
    for (size_t t = 0; t < p->ntab; t++)
        if (p->tab[t].kind == kind && pl_same_table(p->m, kind, &p->m->nodes[p->tab[t].node], nd)) return (int)t;
    unsigned nv = (unsigned)(kind == PL_TAB_LUT ? q_lut_bits(p->m, nd)
                             : kind == PL_TAB_EXP ? q_smax_exp_bits(p->m, nd)
                             : kind == PL_TAB_CLIP ? p->m->s.b_act : Q_SMAX_TAB_BITS);
    int centred = kind == PL_TAB_LUT || kind == PL_TAB_CLIP;
    p->tab = zk_realloc_n(p->tab, p->ntab + 1, sizeof *p->tab);
    p->tab[p->ntab] = (pl_tab){.node = (int)i, .kind = kind, .lo = centred ? -((int64_t)1 << (nv - 1)) : 0,
                               .nv = nv, .first = -1, .mreg = -1};
    return (int)p->ntab++;
}

int pl_lut_table(pl_plan *p, size_t i) { return pl_table(p, i, PL_TAB_LUT); }

void pl_add_fcol(pl_plan *p, int a, int b, int tab) {
    if (p->nfcol == p->capfcol) {
        p->capfcol = p->capfcol ? 2 * p->capfcol : 8;
        p->fcol = zk_realloc_n(p->fcol, p->capfcol, sizeof *p->fcol);
    }
    p->fcol[p->nfcol++] = (pl_fcol){.rega = a, .regb = b, .tab = tab};
}

/* The rows of every table (pl_tab), from the model's table function;
 * ZK_EINPUT when one has no row (a key setup would not write). */
static zk_err pl_tab_fill(pl_plan *p) {
    for (size_t t = 0; t < p->ntab; t++) {
        pl_tab *tb = &p->tab[t];
        int64_t first, N = (int64_t)1 << tb->nv;
        const q_node *nd = &p->m->nodes[tb->node];
        int64_t *F;
        if (tb->kind == PL_TAB_CLIP) { /* every row has a value */
            F = zk_malloc_n((size_t)N, sizeof *F);
            for (int64_t k = 0; k < N; k++) F[k] = q_clip_value(nd, k + tb->lo);
            first = 0;
        } else {
            F = tb->kind == PL_TAB_LUT ? q_lut_table(p->m, nd, &first) : q_smax_table(p->m, nd, tb->kind == PL_TAB_LOG, &first);
        }
        if (first < 0) {
            free(F);
            zk_set_reason("node %s (%s): its table has no row within the activation range", nd->name, nn_op_name(nd->op));
            return ZK_EINPUT;
        }
        tb->first = first;
        tb->a = zk_malloc_n((size_t)N, sizeof *tb->a);
        tb->b = zk_malloc_n((size_t)N, sizeof *tb->b);
        for (int64_t k = 0; k < N; k++) {
            int64_t at = F[k] == Q_LUT_NONE ? first : k;
            tb->a[k] = fm61_from_i64(at + tb->lo);
            tb->b[k] = fm61_from_i64(F[at]);
        }
        free(F);
    }
    return ZK_OK;
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

/* ZK_EINPUT with a reason (the caller frees the plan). */
static zk_err pl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static zk_err pl_fail(const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    zk_set_reason("%s", buf);
    return ZK_EINPUT;
}

zk_err pl_layout(pl_plan *p, int place_w) {
    for (int poly = place_w ? PL_W : PL_ADV; poly < 2; poly++) {
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
        return pl_fail("committed table of 2^%u entries is over 2^%d", p->wnv > p->anv ? p->wnv : p->anv, PCS_LIGERO_MAX_VARS);
    /* lookup leaves: one block per column, the table block, then one block
     * per pair column and per function table */
    {
        size_t n = p->ncol + 1 + p->nfcol + p->ntab, f0 = p->ncol + 1, t0 = f0 + p->nfcol;
        unsigned *nv = zk_malloc_n(n, sizeof *nv);
        uint64_t *off = zk_malloc_n(n, sizeof *off);
        for (size_t c = 0; c < p->ncol; c++) nv[c] = p->reg[p->col[c].reg].nv;
        nv[p->ncol] = p->lb;
        for (size_t c = 0; c < p->nfcol; c++) nv[f0 + c] = p->reg[p->fcol[c].rega].nv;
        for (size_t t = 0; t < p->ntab; t++) nv[t0 + t] = p->tab[t].nv;
        p->lnv = pl_place(off, nv, n, 1);
        for (size_t c = 0; c < p->ncol; c++) p->col[c].leaf = off[c];
        p->tleaf = off[p->ncol];
        for (size_t c = 0; c < p->nfcol; c++) p->fcol[c].leaf = off[f0 + c];
        for (size_t t = 0; t < p->ntab; t++) p->tab[t].leaf = off[t0 + t];
        free(nv);
        free(off);
    }
    if (p->lnv > 32) return pl_fail("2^%u lookups are too many", p->lnv);
    p->lu_two = p->lnv >= PL_LU_TWO_MIN;
    return ZK_OK;
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
        const layer_kind *lk = layer_of(nd->op);
        pl_node *pn = &p->node[i];
        pn->wreg = pn->breg = pn->creg = -1;
        p->cur = (int)i;
        int32_t ty = (int32_t)i + 1;
        unsigned ynv = p->tnv[ty];
        int64_t ny = q_numel(m, ty);
        if (lk && lk->rescales && nd->k >= 1) pn->rem = pl_qty_new(p, nd->k, ynv, ny);
        /* an output no relation proves an integer: y + A in [0, 2A) */
        if (p->rule[ty] == Q_INT_CHECK && pl_int_checks) pn->ychk = pl_qty_new(p, b_act, ynv, ny);
        layer_node ln = layer_node_of(p, i);
        zk_err e = lk && lk->plan ? lk->plan(p, &ln) : ZK_OK;
        if (e) {
            pl_free(p);
            return e;
        }
    }
    p->cls_m = -1;
    if (m->s.out_vis == Q_OUT_CLASS) { /* the argmax's values, the output node's */
        if (q_numel(m, m->output) < 2) PL_FAIL("a class-only output needs at least 2 outputs, the model has 1");
        p->cur = (int)m->output - 1;
        p->cls_d = pl_qty_new(p, b_act, p->tnv[m->output], q_numel(m, m->output));
        p->cls_m = pl_add_region(p, PL_ADV, 1, 1);
    }
    p->cur = -1;
    if (m->s.out_vis == Q_OUT_PRIVATE && q_numel(m, m->output) < 2)
        PL_FAIL("a private output needs at least 2 elements, the model's has 1");
    if (m->s.in_vis == Q_IN_PRIVATE) {
        if (q_numel(m, 0) < 2) PL_FAIL("a private input needs at least 2 elements, the model's has 1");
        p->in_chk = pl_qty_new(p, b_act, p->tnv[0], q_numel(m, 0));
    }
    p->zk_pad = m->s.zk_mc ? pl_add_region(p, PL_ADV, PL_ZK_PAD_NV, (int64_t)1 << PL_ZK_PAD_NV) : -1;
    p->wpad = -1;
    for (size_t r = 0; r < p->nreg && m->s.zk_mc && p->wpad < 0; r++) /* a zk key's W pad (protocol.md sec. 9.5) */
        if (p->reg[r].poly == PL_W) p->wpad = pl_add_region(p, PL_W, PL_ZK_WPAD_NV, (int64_t)1 << PL_ZK_WPAD_NV);
    p->mreg = pl_add_region(p, PL_ADV, p->lb, (int64_t)1 << p->lb);
    for (size_t t = 0; t < p->ntab; t++) p->tab[t].mreg = pl_add_region(p, PL_ADV, p->tab[t].nv, (int64_t)1 << p->tab[t].nv);

    zk_err e = pl_layout(p, 1);
    if (e) {
        pl_free(p);
        return e;
    }
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
    for (size_t t = 0; t < p->ntab; t++) {
        free(p->tab[t].a);
        free(p->tab[t].b);
    }
    free(p->tab);
    free(p->fcol);
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
        const layer_kind *lk = layer_of(nd->op);
        layer_node ln = layer_node_of(p, i);
        if (lk && lk->weights) lk->weights(p, &ln, W);
        if (pn->breg >= 0)
            for (size_t j = 0; j < nd->nb; j++) W[p->reg[pn->breg].off + j] = fm61_from_i64(nd->b[j]);
        if (pn->creg >= 0)
            for (size_t j = 0; j < nd->nw; j++) W[p->reg[pn->creg].off + j] = fm61_from_i64(nd->w[j]);
    }
    return W;
}

void pl_qty_put(fm61 *A, const pl_plan *p, const pl_qty *q, int64_t o, fm61 v) {
    if (q->nl == 1) {
        A[p->reg[q->reg[0]].off + (uint64_t)o] = v;
        return;
    }
    uint64_t bits = (uint64_t)fm61_to_i64(v), lmask = ((uint64_t)1 << p->lb) - 1;
    for (int j = 0; j < q->nl; j++)
        A[p->reg[q->reg[j]].off + (uint64_t)o] = fm61_from_i64((int64_t)((bits >> (p->lb * j)) & lmask));
}

void pl_count_range(const pl_plan *p, const fm61 *W, fm61 *A) {
    fm61 *mt = A + p->reg[p->mreg].off;
    uint64_t *cnt = zk_calloc((size_t)1 << p->lb, sizeof *cnt);
    for (size_t ci = 0; ci < p->ncol; ci++) {
        const pl_col *col = &p->col[ci];
        const pl_region *rg = &p->reg[col->reg];
        const fm61 *R = (rg->poly == PL_W ? W : A) + rg->off;
        for (size_t k = 0; k < ((size_t)1 << rg->nv); k++) {
            fm61 val = pl_col_value(p, col, R, k);
            if (val < ((fm61)1 << p->lb)) cnt[val]++;
        }
    }
    for (size_t k = 0; k < ((size_t)1 << p->lb); k++) mt[k] = fm61_reduce64(cnt[k]);
    free(cnt);
}

fm61 *pl_adv(const pl_plan *p, const q_witness *w) {
    const q_model *m = p->m;
    fm61 *A = zk_calloc((size_t)1 << p->anv, sizeof *A);
    fm61 negA = fm61_from_i64(-q_act_bound(m));
    for (size_t i = 0; i < m->nnodes; i++) {
        const pl_node *pn = &p->node[i];
        const q_nwit *nw = &w->nodes[i];
        const layer_kind *lk = layer_of(m->nodes[i].op);
        int64_t ny = q_numel(m, (int32_t)i + 1);
        const int64_t *y = w->t[i + 1];
        for (int64_t o = 0; o < ny; o++) {
            if (pn->rem.nl && nw->rem) pl_qty_put(A, p, &pn->rem, o, fm61_from_i64(nw->rem[o]));
            if (pn->ychk.nl) pl_qty_put(A, p, &pn->ychk, o, fm61_sub(fm61_from_i64(y[o]), negA));
        }
        layer_node ln = layer_node_of(p, i);
        if (lk && lk->adv) lk->adv(p, w, &ln, A);
    }
    if (p->in_chk.nl) /* a private input's x + A */
        for (int64_t o = 0; o < q_numel(m, 0); o++) pl_qty_put(A, p, &p->in_chk, o, fm61_sub(fm61_from_i64(w->t[0][o]), negA));
    if (p->cls_m >= 0) { /* d_j = y_c - y_j - [j < c], m = y_c */
        int64_t n = q_numel(m, m->output);
        const int64_t *y = w->t[m->output];
        int64_t c = q_argmax(y, n);
        for (int64_t j = 0; j < n; j++) pl_qty_put(A, p, &p->cls_d, j, fm61_from_i64(y[c] - y[j] - (j < c)));
        A[p->reg[p->cls_m].off] = fm61_from_i64(y[c]);
    }
    pl_count_range(p, NULL, A);
    /* the function tables: row a - lo when the pair is that row */
    for (size_t t = 0; t < p->ntab; t++) {
        const pl_tab *tb = &p->tab[t];
        size_t N = (size_t)1 << tb->nv;
        uint64_t *tc = zk_calloc(N, sizeof *tc);
        for (size_t ci = 0; ci < p->nfcol; ci++) {
            const pl_fcol *fc = &p->fcol[ci];
            if (fc->tab != (int)t) continue;
            const fm61 *Ra = A + p->reg[fc->rega].off, *Rb = A + p->reg[fc->regb].off;
            for (size_t k = 0; k < ((size_t)1 << p->reg[fc->rega].nv); k++) {
                int64_t at = fm61_to_i64(Ra[k]) - tb->lo;
                if (at >= 0 && at < (int64_t)N && tb->a[at] == Ra[k] && tb->b[at] == Rb[k]) tc[at]++;
            }
        }
        fm61 *tm = A + p->reg[tb->mreg].off;
        for (size_t k = 0; k < N; k++) tm[k] = fm61_reduce64(tc[k]);
        free(tc);
    }
    return A;
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
    zk_err e = pl_tab_fill(best);
    if (e) {
        pl_free(best);
        return e;
    }
    *out = best;
    return ZK_OK;
}
