/* arith.c -- the PLONKish arithmetization of a quantized model; the row
 * layout is documented in arith.h. One function per op emits the rows of a
 * node; ar_node_rows computes the same count from the shapes alone (it is
 * bn_arith_rows, and bn_arith_build checks every node against it). */
#include "arith.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "../quant/qint.h"

#define AR_LB 16                 /* lookup table [0, 2^16) */
#define AR_FREE UINT32_MAX       /* a cell no gate reads: its own variable */

_Static_assert(BN_PLONK_LOOKUP_BITS == AR_LB, "the arithmetization assumes a 16-bit range table");

/* ------------------------------------------------------------ row counts */

/* v in [0, 2^bits), v already defined elsewhere */
static size_t ar_rc_rows(int bits) {
    if (bits <= AR_LB) return 1 + (bits < AR_LB);
    int nl = (bits + AR_LB - 1) / AR_LB, bt = bits - AR_LB * (nl - 1);
    return (size_t)nl + (bt < AR_LB);
}
/* v in [0, 2^bits) on the row that defines v */
static size_t ar_hrc_rows(int bits) { return bits <= AR_LB ? 1 + (bits < AR_LB) : 1 + ar_rc_rows(bits); }
static size_t ar_lc_rows(int64_t K) { return K <= 1 ? 1 : (size_t)(K / 2); }
static size_t ar_resc_rows(int k) { return k <= 0 ? 1 : ar_hrc_rows(k); }

static int64_t ar_plane(const nn_shape *X) {
    int64_t p = 1;
    for (int i = 2; i < X->ndim; i++) p *= X->d[i];
    return p;
}

static int ar_global(const q_node *nd) { return nd->op == NN_GLOBALAVGPOOL || nd->op == NN_GLOBALMAXPOOL; }

/* Window cells of the pools: number of positions, and the offset in x of
 * position p of output i (-1: padding). */
static int64_t ar_pool_cells(const q_model *m, const q_node *nd) {
    if (ar_global(nd)) return ar_plane(&m->tensors[nd->in[0]].shape);
    return nd->kernel[0] * nd->kernel[1];
}
static int64_t ar_pool_cell(const q_model *m, const q_node *nd, int64_t i, int64_t p) {
    if (ar_global(nd)) return i * ar_plane(&m->tensors[nd->in[0]].shape) + p;
    if (nd->op == NN_MAXPOOL) return q_max_cell(m, nd, i, p);
    const nn_shape *X = &m->tensors[nd->in[0]].shape, *Y = &m->tensors[(nd - m->nodes) + 1].shape;
    int64_t H = X->d[2], W = X->d[3], OH = Y->d[2], OW = Y->d[3];
    int64_t ox = i % OW, oy = (i / OW) % OH, nc = i / (OW * OH);
    int64_t iy = oy * nd->strides[0] - nd->pads[0] + (p / nd->kernel[1]) * nd->dil[0];
    int64_t ix = ox * nd->strides[1] - nd->pads[1] + (p % nd->kernel[1]) * nd->dil[1];
    if (iy < 0 || iy >= H || ix < 0 || ix >= W) return -1;
    return (nc * H + iy) * W + ix;
}
static int64_t ar_pool_real(const q_model *m, const q_node *nd, int64_t i) {
    int64_t P = ar_pool_cells(m, nd), r = 0;
    if (ar_global(nd)) return P;
    for (int64_t p = 0; p < P; p++) r += ar_pool_cell(m, nd, i, p) >= 0;
    return r;
}

/* real kernel taps of a Conv output position */
static int64_t ar_conv_taps(const q_node *nd, int64_t H, int64_t W, int64_t oy, int64_t ox) {
    int64_t ny = 0, nx = 0;
    for (int64_t ky = 0; ky < nd->kernel[0]; ky++) {
        int64_t iy = oy * nd->strides[0] - nd->pads[0] + ky * nd->dil[0];
        ny += iy >= 0 && iy < H;
    }
    for (int64_t kx = 0; kx < nd->kernel[1]; kx++) {
        int64_t ix = ox * nd->strides[1] - nd->pads[1] + kx * nd->dil[1];
        nx += ix >= 0 && ix < W;
    }
    return ny * nx;
}

static size_t ar_node_rows(const q_model *m, const q_node *nd) {
    int32_t ty = (int32_t)(nd - m->nodes) + 1;
    int64_t ny = q_numel(m, ty);
    const nn_shape *Y = &m->tensors[ty].shape;
    const nn_shape *X = nd->in[0] >= 0 ? &m->tensors[nd->in[0]].shape : NULL;
    int b_act = m->s.b_act, k = nd->k;
    size_t r = 0;
    switch (nd->op) {
    case NN_CONV: {
        int64_t N = X->d[0], Cg = X->d[1] / nd->group, M = Y->d[1];
        for (int64_t oy = 0; oy < Y->d[2]; oy++)
            for (int64_t ox = 0; ox < Y->d[3]; ox++)
                r += (size_t)(N * M) *
                     (ar_lc_rows(Cg * ar_conv_taps(nd, X->d[2], X->d[3], oy, ox)) + ar_resc_rows(k));
        return r;
    }
    case NN_FC: return (size_t)ny * (ar_lc_rows(nd->cshape.d[1]) + ar_resc_rows(k));
    case NN_MATMUL: return (size_t)ny * ((size_t)X->d[1] + ar_resc_rows(k));
    case NN_MUL:
    case NN_ADD:
    case NN_SUB:
    case NN_CONCAT:
    case NN_AFFINE: return (size_t)ny * (1 + ar_resc_rows(k));
    case NN_RELU: return (size_t)ny * (1 + ar_hrc_rows(b_act - 1));
    case NN_LEAKYRELU: return (size_t)ny * (3 + ar_hrc_rows(b_act - 1) + (k >= 1 ? ar_hrc_rows(k) + 3 : 2));
    case NN_MAXPOOL:
    case NN_GLOBALMAXPOOL:
        for (int64_t i = 0; i < ny; i++) {
            int64_t P = ar_pool_real(m, nd, i);
            r += (size_t)P * (ar_hrc_rows(b_act) + 1) + (P <= 1 ? 1 : (size_t)(P - 1));
        }
        return r;
    case NN_AVGPOOL:
    case NN_GLOBALAVGPOOL:
        for (int64_t i = 0; i < ny; i++) r += ar_lc_rows(ar_pool_real(m, nd, i)) + 2;
        return r;
    case NN_CLIP: { /* counted for the projection only (bn_arith_build refuses Clip): per
                     * element and active bound a Relu-like sign row with its range
                     * check (b_act bits; b_act - 1 at 0, as l_relu.c's clip_plan),
                     * and one row for y */
        int64_t A = q_act_bound(m);
        size_t per = 1;
        if (nd->iattr[0] > -A) per += 1 + ar_hrc_rows(nd->iattr[0] == 0 ? b_act - 1 : b_act);
        if (nd->iattr[1] < A - 1) per += 1 + ar_hrc_rows(nd->iattr[1] == 0 ? b_act - 1 : b_act);
        return (size_t)ny * per;
    }
    case NN_RESHAPE: return 0;
    case NN_PAD:
    case NN_TRANSPOSE:
    case NN_SLICE:
    case NN_RESIZE: /* copy constraints; one row fixes a Pad's value */
        for (int64_t i = 0; i < ny; i++)
            if (q_wire_src(m, nd, i) < 0) return 1;
        return 0;
    default: return 0;
    }
}

/* the integer check of a Q_INT_CHECK tensor (quant.h q_int_rules): y + A
 * in [0, 2^b_act) per element, on the rows after its node's */
static size_t ar_check_rows(const q_model *m, int32_t t, const q_int_rule *rule) {
    return rule[t] == Q_INT_CHECK ? (size_t)q_numel(m, t) * ar_hrc_rows(m->s.b_act) : 0;
}

/* the rules of every tensor (m->ntensors entries; free()) */
static q_int_rule *ar_rules(const q_model *m) {
    q_int_rule *r = zk_malloc_n(m->ntensors, sizeof *r);
    q_int_rules(m, r);
    return r;
}

/* whether the node (with its output's integer check, if any) marks any
 * row for lookup (then n >= 2^16: the table must fit, plonk.h) */
static int ar_node_lookups(const q_model *m, const q_node *nd, const q_int_rule *rule) {
    int32_t ty = (int32_t)(nd - m->nodes) + 1;
    if (q_numel(m, ty) == 0) return 0;
    if (rule[ty] == Q_INT_CHECK) return 1;
    switch (nd->op) {
    case NN_RELU: case NN_LEAKYRELU: case NN_MAXPOOL: case NN_GLOBALMAXPOOL: case NN_AVGPOOL:
    case NN_GLOBALAVGPOOL: case NN_CLIP: return 1;
    case NN_RESHAPE: case NN_PAD: case NN_TRANSPOSE: case NN_SLICE: case NN_RESIZE: return 0;
    default: return nd->k >= 1;
    }
}

static unsigned ar_log2(size_t n) {
    unsigned v = 0;
    while (((size_t)1 << v) < n) v++;
    return v;
}

unsigned bn_arith_log_n(const q_model *m) {
    unsigned v = ar_log2(bn_arith_rows(m));
    q_int_rule *rule = ar_rules(m);
    int lk = 0;
    for (size_t i = 0; i < m->nnodes; i++) lk |= ar_node_lookups(m, &m->nodes[i], rule);
    free(rule);
    if (lk && v < BN_PLONK_LOOKUP_BITS) v = BN_PLONK_LOOKUP_BITS;
    return v < BN_PLONK_ZK_MIN_LOG ? BN_PLONK_ZK_MIN_LOG : v; /* zk proofs need n >= 8 (plonk.h) */
}

size_t bn_arith_rows(const q_model *m) {
    q_int_rule *rule = ar_rules(m);
    size_t r = (size_t)(q_numel(m, 0) + q_numel(m, m->output));
    for (size_t i = 0; i < m->nnodes; i++) r += ar_node_rows(m, &m->nodes[i]) + ar_check_rows(m, (int32_t)i + 1, rule);
    free(rule);
    return r;
}

/* ------------------------------------------------------------- builder */

typedef struct {
    const q_model *m;
    const q_witness *w;  /* NULL: circuit only (values are 0) */
    bn_plonk_circuit *c;
    size_t n, row;
    uint32_t *var;       /* 3n cells, var[col * n + row] */
    int64_t *val;        /* value per variable */
    size_t nvar, capvar;
    size_t nlookup;      /* rows marked for lookup */
    uint32_t **tv;       /* variable of every element of every tensor */
    uint32_t land;       /* the variable wire c of the next row must hold (the
                            previous row has q_A = 1), or AR_FREE */
} ar_b;

/* wrapping arithmetic: values of an honest witness never wrap (quant.h
 * section 4); a dishonest one only has to fail the checks, not be UB */
static int64_t ar_add(int64_t x, int64_t y) { return (int64_t)((uint64_t)x + (uint64_t)y); }
static int64_t ar_mul(int64_t x, int64_t y) { return (int64_t)((uint64_t)x * (uint64_t)y); }
static int64_t ar_pow2(int k) { return (int64_t)1 << k; }

static uint32_t ar_var(ar_b *b, int64_t v) {
    if (b->nvar == b->capvar) {
        b->capvar = b->capvar ? 2 * b->capvar : 1024;
        b->val = zk_realloc_n(b->val, b->capvar, sizeof *b->val);
    }
    ZK_CHECK(b->nvar < AR_FREE);
    b->val[b->nvar] = b->w ? v : 0;
    return (uint32_t)b->nvar++;
}

/* one row: wires (variables or AR_FREE), selectors, lookup on wire a.
 * After an accumulate row (ar_mac) wire c must be b->land: a free c takes
 * it, any other variable there is a bug. */
static void ar_row(ar_b *b, uint32_t a, uint32_t bb, uint32_t c, int64_t ql, int64_t qr, int64_t qo, int64_t qm,
                   int64_t qc, int lookup) {
    ZK_CHECK(b->row < b->n);
    if (b->land != AR_FREE) {
        if (c == AR_FREE) c = b->land;
        ZK_CHECK(c == b->land);
        b->land = AR_FREE;
    }
    size_t r = b->row++;
    b->var[r] = a;
    b->var[b->n + r] = bb;
    b->var[2 * b->n + r] = c;
    bn_plonk_circuit_gate_i64(b->c, r, ql, qr, qo, qm, qc);
    if (lookup) {
        bn_plonk_circuit_lookup(b->c, r);
        b->nlookup++;
    }
}

/* the last row also has q_B = 1: its wire a is a bit (plonk.h) */
static void ar_bool(ar_b *b) { bn_plonk_circuit_bool(b->c, b->row - 1); }

/* an accumulate row (q_A = 1, plonk.h): q_L a + q_R b + q_O c + q_M a b + q_C
 * + c - c_next = 0, so the next row's wire c is next (a variable) */
static void ar_mac(ar_b *b, uint32_t a, uint32_t bb, uint32_t c, int64_t ql, int64_t qr, int64_t qo, int64_t qm,
                   int64_t qc, uint32_t next) {
    ar_row(b, a, bb, c, ql, qr, qo, qm, qc, 0);
    bn_plonk_circuit_accumulate_i64(b->c, b->row - 1, 1);
    b->land = next;
}

/* 2^(16-bits) v in the table too (v of bits < 16 bits, on its own row) */
static void ar_scaled(ar_b *b, uint32_t v, int bits) {
    int64_t s = ar_pow2(AR_LB - bits);
    ar_row(b, ar_var(b, ar_mul(b->val[v], s)), v, AR_FREE, 1, -s, 0, 0, 0, 1);
}

/* v in [0, 2^bits): 16-bit limbs summed into v on their lookup rows */
static void ar_rc(ar_b *b, uint32_t v, int bits) {
    if (bits <= AR_LB) {
        ar_row(b, v, AR_FREE, AR_FREE, 0, 0, 0, 0, 0, 1);
        if (bits < AR_LB) ar_scaled(b, v, bits);
        return;
    }
    int nl = (bits + AR_LB - 1) / AR_LB, bt = bits - AR_LB * (nl - 1);
    uint64_t x = (uint64_t)b->val[v];
    uint32_t l = ar_var(b, (int64_t)(x & 0xffff)), p = l;
    ar_row(b, l, AR_FREE, AR_FREE, 0, 0, 0, 0, 0, 1);
    for (int j = 1; j < nl; j++) {
        int64_t lv = (int64_t)((x >> (AR_LB * j)) & 0xffff);
        if (j == nl - 1) lv = (int64_t)(x >> (AR_LB * j)); /* the rest: out of range if v is */
        l = ar_var(b, lv);
        uint32_t q = j == nl - 1 ? v : ar_var(b, ar_add(b->val[p], ar_mul(lv, ar_pow2(AR_LB * j))));
        ar_row(b, l, p, q, ar_pow2(AR_LB * j), 1, -1, 0, 0, 1);
        p = q;
    }
    if (bt < AR_LB) ar_scaled(b, l, bt);
}

/* v in [0, 2^bits) with v on wire a of its defining row (gate sel, wires
 * bv, cv) */
static void ar_hrc(ar_b *b, uint32_t v, uint32_t bv, uint32_t cv, const int64_t sel[5], int bits) {
    ar_row(b, v, bv, cv, sel[0], sel[1], sel[2], sel[3], sel[4], bits <= AR_LB);
    if (bits < AR_LB) ar_scaled(b, v, bits);
    else if (bits > AR_LB) ar_rc(b, v, bits);
}

/* acc = C + sum_j w_j x_j; accv: q_run's value. Returns acc's variable.
 * K >= 3: accumulate rows (q_A = 1), the running sum in wire c of the next
 * row; the first row takes three terms (x_2 on wire c, q_O = w_2 - 1: with
 * q_A's c it is w_2 c) and the constant C, each later row two; acc lands on
 * wire c of the row after the chain, which the caller emits next (its c is
 * acc: the rescale or pool row), so K >= 3 costs floor(K / 2) rows. */
static uint32_t ar_lc(ar_b *b, const uint32_t *x, const int64_t *wc, int64_t K, int64_t C, int64_t accv) {
    uint32_t acc = ar_var(b, accv);
    if (K == 0) {
        ar_row(b, acc, AR_FREE, AR_FREE, 1, 0, 0, 0, -C, 0);
    } else if (K == 1) {
        ar_row(b, x[0], AR_FREE, acc, wc[0], 0, -1, 0, C, 0);
    } else if (K == 2) {
        ar_row(b, x[0], x[1], acc, wc[0], wc[1], -1, 0, C, 0);
    } else {
        int64_t sv = ar_add(C, ar_add(ar_mul(wc[0], b->val[x[0]]), ar_mul(wc[1], b->val[x[1]])));
        sv = ar_add(sv, ar_mul(wc[2], b->val[x[2]]));
        uint32_t s = K == 3 ? acc : ar_var(b, sv);
        ar_mac(b, x[0], x[1], x[2], wc[0], wc[1], ar_add(wc[2], -1), 0, C, s);
        for (int64_t j = 3; j < K; j += 2) {
            int two = j + 1 < K;
            sv = ar_add(sv, ar_mul(wc[j], b->val[x[j]]));
            if (two) sv = ar_add(sv, ar_mul(wc[j + 1], b->val[x[j + 1]]));
            uint32_t t = j + 1 + two >= K ? acc : ar_var(b, sv);
            ar_mac(b, x[j], two ? x[j + 1] : AR_FREE, s, wc[j], two ? wc[j + 1] : 0, 0, 0, 0, t);
            s = t;
        }
    }
    return acc;
}

/* y from acc by the shift k (quant.h section 1) */
static void ar_rescale(ar_b *b, uint32_t acc, uint32_t y, int k, int64_t remv) {
    if (k <= 0) {
        ar_row(b, y, AR_FREE, acc, 1, 0, -ar_pow2(-k), 0, 0, 0);
        return;
    }
    const int64_t sel[5] = {1, ar_pow2(k), -1, 0, -ar_pow2(k - 1)};
    ar_hrc(b, ar_var(b, remv), y, acc, sel, k);
}

/* tensor t proven an integer in [-A, A) (quant.h, Q_INT_CHECK): per
 * element y, v = y + A on wire a of the row v - y - A = 0 (b = y), v in
 * [0, 2^b_act) by ar_hrc (b_act = 16: that row is v's lookup row) */
static void ar_int_check(ar_b *b, int32_t t) {
    int64_t A = q_act_bound(b->m), ny = q_numel(b->m, t);
    const int64_t sel[5] = {1, -1, 0, 0, -A};
    for (int64_t i = 0; i < ny; i++) {
        uint32_t y = b->tv[t][i];
        ar_hrc(b, ar_var(b, ar_add(b->val[y], A)), y, AR_FREE, sel, b->m->s.b_act);
    }
}

/* witness accessors (0 without a witness) */
static int64_t ar_t(const ar_b *b, int32_t t, int64_t i) { return b->w ? b->w->t[t][i] : 0; }
static int64_t ar_aux(const ar_b *b, const int64_t *arr, int64_t i) { return b->w && arr ? arr[i] : 0; }

static uint32_t *ar_out_vars(ar_b *b, int32_t ty) {
    int64_t ny = q_numel(b->m, ty);
    uint32_t *v = b->tv[ty] = zk_malloc_n((size_t)(ny ? ny : 1), sizeof *v);
    for (int64_t i = 0; i < ny; i++) v[i] = ar_var(b, ar_t(b, ty, i));
    return v;
}

#define AR_REFUSE(...)              \
    do {                            \
        zk_set_reason(__VA_ARGS__); \
        return ZK_EINPUT;           \
    } while (0)

static zk_err ar_node(ar_b *b, size_t ni) {
    const q_model *m = b->m;
    const q_node *nd = &m->nodes[ni];
    const q_nwit *nw = b->w ? &b->w->nodes[ni] : NULL;
    const int64_t *wacc = nw ? nw->acc : NULL, *wrem = nw ? nw->rem : NULL, *wsign = nw ? nw->sign : NULL,
                  *warg = nw ? nw->arg : NULL;
    int32_t ty = (int32_t)ni + 1, tx = nd->in[0];
    int64_t ny = q_numel(m, ty);
    const nn_shape *Y = &m->tensors[ty].shape;
    const nn_shape *X = tx >= 0 ? &m->tensors[tx].shape : NULL;
    const uint32_t *xv = tx >= 0 ? b->tv[tx] : NULL;
    int k = nd->k, b_act = m->s.b_act;
    switch (nd->op) {
    case NN_CONV: {
        int64_t N = X->d[0], C = X->d[1], H = X->d[2], W = X->d[3];
        int64_t M = Y->d[1], OH = Y->d[2], OW = Y->d[3], kh = nd->kernel[0], kw = nd->kernel[1];
        int64_t G = nd->group, Cg = C / G, Mg = M / G;
        uint32_t *y = ar_out_vars(b, ty), *tap = zk_malloc_n((size_t)(Cg * kh * kw), sizeof *tap);
        int64_t *wc = zk_malloc_n((size_t)(Cg * kh * kw), sizeof *wc);
        for (int64_t n = 0; n < N; n++)
            for (int64_t o = 0; o < M; o++) {
                int64_t grp = o / Mg;
                const int64_t *wo = nd->w + o * Cg * kh * kw;
                for (int64_t oy = 0; oy < OH; oy++)
                    for (int64_t ox = 0; ox < OW; ox++) {
                        int64_t K = 0, idx = ((n * M + o) * OH + oy) * OW + ox;
                        for (int64_t c = 0; c < Cg; c++)
                            for (int64_t ky = 0; ky < kh; ky++) {
                                int64_t iy = oy * nd->strides[0] - nd->pads[0] + ky * nd->dil[0];
                                if (iy < 0 || iy >= H) continue;
                                for (int64_t kx = 0; kx < kw; kx++) {
                                    int64_t ix = ox * nd->strides[1] - nd->pads[1] + kx * nd->dil[1];
                                    if (ix < 0 || ix >= W) continue;
                                    tap[K] = xv[((n * C + grp * Cg + c) * H + iy) * W + ix];
                                    wc[K++] = wo[(c * kh + ky) * kw + kx];
                                }
                            }
                        uint32_t acc = ar_lc(b, tap, wc, K, nd->b ? nd->b[o] : 0, ar_aux(b, wacc, idx));
                        ar_rescale(b, acc, y[idx], k, ar_aux(b, wrem, idx));
                    }
            }
        free(tap);
        free(wc);
        return ZK_OK;
    }
    case NN_FC: {
        int64_t M = nd->cshape.d[0], K = nd->cshape.d[1], N = ny / M;
        uint32_t *y = ar_out_vars(b, ty);
        for (int64_t n = 0; n < N; n++)
            for (int64_t o = 0; o < M; o++) {
                int64_t idx = n * M + o;
                uint32_t acc = ar_lc(b, xv + n * K, nd->w + o * K, K, nd->b ? nd->b[o] : 0, ar_aux(b, wacc, idx));
                ar_rescale(b, acc, y[idx], k, ar_aux(b, wrem, idx));
            }
        return ZK_OK;
    }
    case NN_MATMUL: {
        int64_t N = X->d[0], K = X->d[1], M = Y->d[1];
        const uint32_t *bv = b->tv[nd->in[1]];
        uint32_t *y = ar_out_vars(b, ty);
        for (int64_t n = 0; n < N; n++)
            for (int64_t o = 0; o < M; o++) {
                int64_t idx = n * M + o;
                uint32_t acc;
                if (K == 1) {
                    acc = ar_var(b, ar_aux(b, wacc, idx));
                    ar_row(b, xv[n], bv[o], acc, 0, 0, -1, 1, 0, 0);
                } else {
                    /* accumulate rows: c_next = c + a b; the first row's c
                     * is free (q_O = -1 cancels q_A's c); acc lands on the
                     * rescale row */
                    acc = ar_var(b, ar_aux(b, wacc, idx));
                    uint32_t s = AR_FREE;
                    int64_t sv = 0;
                    for (int64_t j = 0; j < K; j++) {
                        uint32_t av = xv[n * K + j], bb = bv[j * M + o];
                        sv = ar_add(sv, ar_mul(b->val[av], b->val[bb]));
                        uint32_t t = j == K - 1 ? acc : ar_var(b, sv);
                        ar_mac(b, av, bb, s, 0, 0, j == 0 ? -1 : 0, 1, 0, t);
                        s = t;
                    }
                }
                ar_rescale(b, acc, y[idx], k, ar_aux(b, wrem, idx));
            }
        return ZK_OK;
    }
    case NN_MUL:
    case NN_ADD:
    case NN_SUB: {
        q_bcast bc;
        ZK_CHECK(q_bcast_init(&bc, q_operand_shape(m, nd, 0), q_operand_shape(m, nd, 1), Y));
        if (nd->in[0] < 0 && nd->in[1] < 0) AR_REFUSE("node %s (%s): both operands are constants", nd->name, nn_op_name(nd->op));
        const uint32_t *av = nd->in[0] >= 0 ? b->tv[nd->in[0]] : NULL, *bv = nd->in[1] >= 0 ? b->tv[nd->in[1]] : NULL;
        int64_t s0 = ar_pow2(nd->align[0]), s1 = (nd->op == NN_SUB ? -1 : 1) * ar_pow2(nd->align[1]);
        uint32_t *y = ar_out_vars(b, ty);
        for (int64_t i = 0; i < ny; i++) {
            int64_t oa, ob;
            q_bcast_off(&bc, i, &oa, &ob);
            uint32_t acc = ar_var(b, ar_aux(b, wacc, i));
            if (nd->op == NN_MUL) {
                if (av && bv) ar_row(b, av[oa], bv[ob], acc, 0, 0, -1, 1, 0, 0);
                else if (av) ar_row(b, av[oa], AR_FREE, acc, nd->w[ob], 0, -1, 0, 0, 0);
                else ar_row(b, bv[ob], AR_FREE, acc, nd->w[oa], 0, -1, 0, 0, 0);
            } else {
                if (av && bv) ar_row(b, av[oa], bv[ob], acc, s0, s1, -1, 0, 0, 0);
                else if (av) ar_row(b, av[oa], AR_FREE, acc, s0, 0, -1, 0, nd->w[ob] * s1, 0);
                else ar_row(b, bv[ob], AR_FREE, acc, s1, 0, -1, 0, nd->w[oa] * s0, 0);
            }
            ar_rescale(b, acc, y[i], k, ar_aux(b, wrem, i));
        }
        return ZK_OK;
    }
    case NN_AFFINE: {
        int64_t C = X->d[1], inner = ar_plane(X);
        uint32_t *y = ar_out_vars(b, ty);
        for (int64_t i = 0; i < ny; i++) {
            int64_t c = (i / inner) % C;
            uint32_t acc = ar_var(b, ar_aux(b, wacc, i));
            ar_row(b, xv[i], AR_FREE, acc, nd->w[c], 0, -1, 0, nd->b[c], 0);
            ar_rescale(b, acc, y[i], k, ar_aux(b, wrem, i));
        }
        return ZK_OK;
    }
    case NN_RELU:
    case NN_LEAKYRELU: {
        uint32_t *y = ar_out_vars(b, ty);
        /* x = (2s - 1) u + s - 1, u on the lookup row */
        const int64_t usel[5] = {-1, 1, -1, 2, -1};
        for (int64_t i = 0; i < ny; i++) {
            int64_t xs = ar_t(b, tx, i), sv = ar_aux(b, wsign, i);
            uint32_t x = xv[i], s = ar_var(b, sv);
            uint32_t acc = AR_FREE;
            if (nd->op == NN_LEAKYRELU) {
                acc = ar_var(b, ar_aux(b, wacc, i));
                ar_row(b, x, AR_FREE, acc, nd->alpha, 0, -1, 0, 0, 0);
            }
            /* u = (2s - 1) x + s - 1: x if s = 1, -x - 1 if s = 0 */
            uint32_t u = ar_var(b, ar_add(ar_mul(ar_add(ar_mul(2, sv), -1), xs), ar_add(sv, -1)));
            ar_hrc(b, u, s, x, usel, b_act - 1);
            if (nd->op == NN_RELU) {
                ar_row(b, s, x, y[i], 0, 0, -1, 1, 0, 0); /* y = s x, s a bit */
                ar_bool(b);
                continue;
            }
            /* s (y - x) = 0 */
            uint32_t t = ar_var(b, ar_mul(sv, xs));
            ar_row(b, s, x, t, 0, 0, -1, 1, 0, 0); /* t = s x, s a bit */
            ar_bool(b);
            ar_row(b, s, y[i], t, 0, 0, -1, 1, 0, 0);
            /* (1 - s) E = 0 */
            int64_t yv = ar_t(b, ty, i), E;
            if (k >= 1) {
                uint32_t rem = ar_var(b, ar_aux(b, wrem, i));
                int64_t vv = ar_add(ar_mul(yv, ar_pow2(k)), b->val[rem]);
                uint32_t v = ar_var(b, vv);
                const int64_t vsel[5] = {1, ar_pow2(k), -1, 0, 0};
                ar_hrc(b, rem, y[i], v, vsel, k);
                E = ar_add(vv, -ar_add(b->val[acc], ar_pow2(k - 1)));
                uint32_t e = ar_var(b, E);
                ar_row(b, v, acc, e, 1, -1, -1, 0, -ar_pow2(k - 1), 0);
                ar_row(b, s, e, AR_FREE, 0, 1, 0, -1, 0, 0);
                ar_row(b, s, rem, AR_FREE, 0, 0, 0, 1, 0, 0); /* s rem = 0: rem = 0 where x >= 0 */
            } else {
                E = ar_add(yv, -ar_mul(b->val[acc], ar_pow2(-k)));
                uint32_t e = ar_var(b, E);
                ar_row(b, y[i], acc, e, 1, -ar_pow2(-k), -1, 0, 0, 0);
                ar_row(b, s, e, AR_FREE, 0, 1, 0, -1, 0, 0);
            }
        }
        return ZK_OK;
    }
    case NN_MAXPOOL:
    case NN_GLOBALMAXPOOL: {
        int64_t P = ar_pool_cells(m, nd);
        uint32_t *y = ar_out_vars(b, ty), *e = zk_malloc_n((size_t)P, sizeof *e);
        const int64_t dsel[5] = {1, 1, -1, 0, 0}; /* d + x - y = 0 */
        for (int64_t i = 0; i < ny; i++) {
            int64_t ne = 0, yv = ar_t(b, ty, i), g = ar_aux(b, warg, i);
            for (int64_t p = 0; p < P; p++) {
                int64_t c = ar_pool_cell(m, nd, i, p);
                if (c < 0) continue;
                uint32_t d = ar_var(b, ar_add(yv, -ar_t(b, tx, c)));
                ar_hrc(b, d, xv[c], y[i], dsel, b_act);
                uint32_t ep = e[ne++] = ar_var(b, p == g);
                ar_row(b, ep, d, AR_FREE, 0, 0, 0, 1, 0, 0); /* e d = 0, e a bit */
                ar_bool(b);
            }
            /* sum e = 1 */
            if (ne == 1) {
                ar_row(b, e[0], AR_FREE, AR_FREE, 1, 0, 0, 0, -1, 0);
            } else {
                uint32_t s = e[0];
                int64_t sv = b->val[e[0]];
                for (int64_t j = 1; j < ne; j++) {
                    if (j == ne - 1) {
                        ar_row(b, e[j], s, AR_FREE, 1, 1, 0, 0, -1, 0);
                    } else {
                        sv = ar_add(sv, b->val[e[j]]);
                        uint32_t t = ar_var(b, sv);
                        ar_row(b, e[j], s, t, 1, 1, -1, 0, 0, 0);
                        s = t;
                    }
                }
            }
        }
        free(e);
        return ZK_OK;
    }
    case NN_AVGPOOL:
    case NN_GLOBALAVGPOOL: {
        int64_t P = ar_pool_cells(m, nd);
        for (int64_t i = 0; i < ny; i++)
            if (2 * q_avg_count(m, nd, i) > ar_pow2(AR_LB))
                AR_REFUSE("node %s (%s): an average over %lld cells needs a remainder range over 2^%d", nd->name,
                          nn_op_name(nd->op), (long long)q_avg_count(m, nd, i), AR_LB);
        uint32_t *y = ar_out_vars(b, ty), *cell = zk_malloc_n((size_t)P, sizeof *cell);
        int64_t *one = zk_malloc_n((size_t)P, sizeof *one);
        for (int64_t j = 0; j < P; j++) one[j] = 1;
        for (int64_t i = 0; i < ny; i++) {
            int64_t K = 0, n = q_avg_count(m, nd, i);
            for (int64_t p = 0; p < P; p++) {
                int64_t c = ar_pool_cell(m, nd, i, p);
                if (c >= 0) cell[K++] = xv[c];
            }
            uint32_t acc = ar_lc(b, cell, one, K, 0, ar_aux(b, wacc, i));
            uint32_t rem = ar_var(b, ar_aux(b, wrem, i));
            ar_row(b, rem, y[i], acc, 1, 2 * n, -2, 0, -n, 1);
            ar_row(b, ar_var(b, ar_add(2 * n - 1, -b->val[rem])), rem, AR_FREE, 1, 1, 0, 0, -(2 * n - 1), 1);
        }
        free(cell);
        free(one);
        return ZK_OK;
    }
    case NN_RESHAPE:
        b->tv[ty] = zk_malloc_n((size_t)(ny ? ny : 1), sizeof *b->tv[ty]);
        memcpy(b->tv[ty], xv, (size_t)ny * sizeof *xv);
        return ZK_OK;
    case NN_CONCAT: { /* Add's rows with each output reading one operand cell (or the constant) */
        const uint32_t *av = nd->in[0] >= 0 ? b->tv[nd->in[0]] : NULL, *bv = nd->in[1] >= 0 ? b->tv[nd->in[1]] : NULL;
        const nn_shape *A0 = q_operand_shape(m, nd, 0), *B0 = q_operand_shape(m, nd, 1);
        uint32_t *y = ar_out_vars(b, ty);
        for (int64_t i = 0; i < ny; i++) {
            int64_t off;
            int j = nn_concat_src(nd->iattr[0], A0, B0, Y, i, &off);
            const uint32_t *v = j ? bv : av;
            int64_t sj = ar_pow2(nd->align[j]);
            uint32_t acc = ar_var(b, ar_aux(b, wacc, i));
            if (v) ar_row(b, v[off], AR_FREE, acc, sj, 0, -1, 0, 0, 0);
            else ar_row(b, acc, AR_FREE, AR_FREE, 1, 0, 0, 0, -nd->w[off] * sj, 0);
            ar_rescale(b, acc, y[i], k, ar_aux(b, wrem, i));
        }
        return ZK_OK;
    }
    case NN_PAD:
    case NN_TRANSPOSE:
    case NN_SLICE:
    case NN_RESIZE: {
        uint32_t *y = b->tv[ty] = zk_malloc_n((size_t)(ny ? ny : 1), sizeof *y), pv = AR_FREE;
        for (int64_t i = 0; i < ny; i++) {
            int64_t src = q_wire_src(m, nd, i);
            if (src < 0 && pv == AR_FREE) {
                pv = ar_var(b, nd->pad);
                ar_row(b, pv, AR_FREE, AR_FREE, 1, 0, 0, 0, -nd->pad, 0);
            }
            y[i] = src >= 0 ? xv[src] : pv;
        }
        return ZK_OK;
    }
    default: AR_REFUSE("node %s: op %s is not arithmetized by the PLONK baseline", nd->name, nn_op_name(nd->op));
    }
}

zk_err bn_arith_build(bn_plonk_circuit **c, bn_fr **a, bn_fr **b, bn_fr **cw, bn_fr **pub, size_t *n_pub,
                      const q_model *m, const q_witness *w) {
    *c = NULL;
    *a = *b = *cw = *pub = NULL;
    int64_t n_in = q_numel(m, 0), n_out = q_numel(m, m->output);
    *n_pub = (size_t)(n_in + n_out);
    if (m->skeleton) AR_REFUSE("the model has no constants (a skeleton): the PLONK circuit needs the weights");
    if (w && (w->ntensors != m->ntensors || w->nnodes != m->nnodes))
        AR_REFUSE("the witness does not match the model");
    for (size_t i = 0; i < m->nnodes; i++) {
        const q_node *nd = &m->nodes[i];
        switch (nd->op) {
        case NN_CONV: case NN_FC: case NN_MATMUL: case NN_MUL: case NN_ADD: case NN_SUB: case NN_AFFINE:
        case NN_RELU: case NN_LEAKYRELU: case NN_MAXPOOL: case NN_GLOBALMAXPOOL: case NN_AVGPOOL:
        case NN_GLOBALAVGPOOL: case NN_RESHAPE: case NN_PAD: case NN_TRANSPOSE: case NN_SLICE: case NN_RESIZE:
        case NN_CONCAT: break;
        default: AR_REFUSE("node %s: op %s is not arithmetized by the PLONK baseline", nd->name, nn_op_name(nd->op));
        }
    }
    size_t rows = bn_arith_rows(m);
    unsigned log_n = bn_arith_log_n(m);
    if (log_n > BN_PLONK_MAX_LOG)
        AR_REFUSE("the PLONK table needs %zu rows (2^%u), over the baseline's 2^%d", rows, log_n, BN_PLONK_MAX_LOG);
    {
        /* refuse before memory runs out: keygen and proving take about
         * BN_ARITH_BYTES_PER_ROW per table row (measured, results.md sec. 4) */
        double need = ldexp((double)BN_ARITH_BYTES_PER_ROW, (int)log_n);
        long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
        double have = pages > 0 && psz > 0 ? (double)pages * (double)psz : 0;
        if (have > 0 && need > have)
            AR_REFUSE("the PLONK table of 2^%u rows needs about %.0f GB to prove, more than this machine's %.0f GB", log_n,
                      need / 1e9, have / 1e9);
    }
    q_int_rule *rule = ar_rules(m);
    ar_b B = {.m = m, .w = w, .land = AR_FREE};
    B.c = bn_plonk_circuit_new(log_n, *n_pub);
    B.n = B.c->n;
    B.var = zk_malloc_n(3 * B.n, sizeof *B.var);
    B.tv = zk_calloc(m->ntensors, sizeof *B.tv);
    zk_err e = ZK_OK;
    /* public rows; the output's variables are filled in at the end */
    uint32_t *in = B.tv[0] = zk_malloc_n((size_t)(n_in ? n_in : 1), sizeof *in);
    for (int64_t i = 0; i < n_in; i++) {
        in[i] = ar_var(&B, ar_t(&B, 0, i));
        ar_row(&B, in[i], AR_FREE, AR_FREE, 1, 0, 0, 0, 0, 0);
    }
    for (int64_t j = 0; j < n_out; j++) ar_row(&B, AR_FREE, AR_FREE, AR_FREE, 1, 0, 0, 0, 0, 0);
    for (size_t i = 0; i < m->nnodes && !e; i++) {
        size_t r0 = B.row, l0 = B.nlookup;
        e = ar_node(&B, i);
        ZK_CHECK(e || B.land == AR_FREE); /* every chain lands in its node */
        if (!e && rule[i + 1] == Q_INT_CHECK) ar_int_check(&B, (int32_t)i + 1);
        ZK_CHECK(e || B.row - r0 == ar_node_rows(m, &m->nodes[i]) + ar_check_rows(m, (int32_t)i + 1, rule));
        ZK_CHECK(e || (B.nlookup > l0) == ar_node_lookups(m, &m->nodes[i], rule));
    }
    if (!e) {
        ZK_CHECK(B.row == rows);
        /* every accumulate row's next row is one of this table's (no chain
         * is left open): the arithmetization never uses the wrap-around */
        ZK_CHECK(B.land == AR_FREE);
        for (int64_t j = 0; j < n_out; j++) B.var[(size_t)(n_in + j)] = B.tv[m->output][j];
        /* padding rows and unread cells: one variable each */
        for (size_t col = 0; col < 3; col++)
            for (size_t r = 0; r < B.n; r++)
                if (r >= rows || B.var[col * B.n + r] == AR_FREE) B.var[col * B.n + r] = ar_var(&B, 0);
        e = bn_plonk_circuit_wire(B.c, B.var, 3 * B.n);
    }
    if (!e && w) {
        bn_fr *col[3];
        for (int j = 0; j < 3; j++) {
            col[j] = zk_malloc_n(B.n, sizeof *col[j]);
            for (size_t r = 0; r < B.n; r++) bn_fr_from_i64(&col[j][r], B.val[B.var[j * B.n + r]]);
        }
        *a = col[0];
        *b = col[1];
        *cw = col[2];
        bn_fr *p = *pub = zk_malloc_n(*n_pub ? *n_pub : 1, sizeof *p);
        const int64_t *out = q_output(m, w);
        for (int64_t i = 0; i < n_in; i++) bn_fr_from_i64(&p[i], w->t[0][i]);
        for (int64_t j = 0; j < n_out; j++) bn_fr_from_i64(&p[n_in + j], out[j]);
    }
    for (size_t t = 0; t < m->ntensors; t++) free(B.tv[t]);
    free(B.tv);
    free(rule);
    free(B.var);
    free(B.val);
    if (e) bn_plonk_circuit_free(B.c);
    else *c = B.c;
    return e;
}
