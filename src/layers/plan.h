/* plan.h -- internal to src/layers: the layout that prover and verifier
 * derive identically from the model (full or skeleton): the multilinear
 * variable counts of every tensor, the regions of the two committed
 * tables (weights W, per-proof auxiliary values ADV), what each node keeps
 * where, and the lookup columns of the range checks.
 *
 * Layouts (mle.h: variable j = bit j of the index).
 *   Tensor t: its row-major elements, zero-padded to 2^nv(t).
 *   A region is an aligned block [off, off + 2^nv) of W or ADV; regions
 *   are placed largest first, so every offset is a multiple of the size.
 *   Conv kernel position kp = ky*kw + kx has its own weight region, laid
 *   out as  c + Qp*(m' + Mp*g)  (c < C/G input channel of the group,
 *   m' < M/G output channel of the group g, Qp, Mp, Gp the powers of two
 *   above C/G, M/G, G); FC the same with kp = 0 and c = k < K.
 *   Bias, Affine scale/shift, and Mul/Add/Sub constants: their elements.
 *   A quantity checked to b bits is stored in ceil(b/lb) limb regions,
 *   value = sum_j 2^(lb j) limb_j, lb the plan's limb width (8..16).
 */
#ifndef GKRCNN_LAYERS_PLAN_H
#define GKRCNN_LAYERS_PLAN_H

#include "cnn.h"

enum { PL_W = 0, PL_ADV = 1 };

typedef struct {
    int poly;       /* PL_W or PL_ADV */
    uint64_t off;   /* multiple of 2^nv */
    unsigned nv;
    int64_t len;    /* real entries (<= 2^nv) */
    int node;       /* owning node, -1 for the lookup multiplicities */
} pl_region;

#define PL_MAX_LIMBS 8 /* shifts <= 59 bits in limbs of >= 8 bits */
#define PL_LB_MIN 8
#define PL_LB_MAX 16
/* From 2^PL_LU_TWO_MIN lookup leaves on, the logUp argument runs with two
 * challenges combined by a third (lookup.c; protocol.md sec. 7.4):
 * one challenge leaves an error of 2^lnv / p^2, above 2^-104 from here. */
#define PL_LU_TWO_MIN 18

typedef struct {
    int nl;                 /* limbs (0: absent) */
    int reg[PL_MAX_LIMBS];  /* ADV regions */
    int bits;               /* checked range [0, 2^bits) (avg rem: 0, see pl_col) */
} pl_qty;

typedef struct {
    int kind;       /* PL_MM_* below, or 0 */
    /* matmul geometry (Conv, FC, MatMul) */
    int64_t G, Mg, Q, P, K;     /* groups, outputs per group, inner length, rows, kernel positions */
    unsigned gv, mv, qv, pv;    /* their variable counts */
    int wreg;                   /* first of K weight regions (-1 for MatMul) */
    int breg;                   /* bias (Conv/FC), shift T (Affine), or -1 */
    int creg;                   /* Affine scale S, Mul/Add/Sub constant, or -1 */
    pl_qty rem, sign, u;        /* rescale remainder; ReLU/LeakyRelu sign and u */
    pl_qty ychk;                /* the output's y + A in b_act bits, where its rule is Q_INT_CHECK (quant.h) */
    int64_t ncell;              /* max/avg pools: live window cells */
    int64_t *cell;              /* their window positions (ky * kw + kx, or plane offset) */
    pl_qty *d, *e;              /* max pools: differences and choice bits, ncell each */
    int lreg[2];                /* table ops: ADV regions of the table index i and the value y (a pair column) */
    int ltab;                   /* table ops: their table (pl_tab) */
    int ncmp;                   /* Clip: comparisons (0..2), at cmp[j]: signs sign, sign2, magnitudes u, u2 */
    int bytab;                  /* Clip: proven by its table instead (q_clip_table): lreg, ltab as a table op's */
    int64_t cmp[2];
    pl_qty sign2, u2;
    int accreg;                 /* PRelu: ADV region of acc = slope x (no range: its sumcheck defines it) */
    int sreg[10];               /* Softmax, LogSoftmax: regions, and their quantities and tables (l_softmax.c) */
    pl_qty sq[5];
    int stab[2];
} pl_node;

enum { PL_MM_CONV = 1, PL_MM_FC, PL_MM_MATMUL };

typedef struct {
    int reg;         /* ADV region (W in the weight-range certificate's plan, wrange.c) */
    int64_t scale;   /* value = scale * R[i] + off[i] + coff */
    int64_t *off;    /* NULL or len entries (owned) */
    int64_t coff;    /* a constant offset of all 2^nv entries (0 in every proof's plan) */
    uint64_t leaf;   /* block offset among the lookup leaves (multiple of 2^nv) */
} pl_col;

/* A pair column of the table lookups (plan.c; protocol.md sec. 7.4): its
 * entries (A[k], B[k]), A and B two ADV regions of one shape, must be rows
 * of table tab. */
typedef struct {
    int rega, regb;
    int tab;
    uint64_t leaf;   /* block offset among the lookup leaves */
} pl_fcol;

/* A function table: kind PL_TAB_LUT, q_lut_table of node `node` (nodes
 * with the same op, parameters, scales and shift share one), a
 * Softmax's exp table (PL_TAB_EXP) or LogSoftmax's log table (PL_TAB_LOG,
 * q_smax_table; shared by nodes with equal tables), or a Clip's table
 * (PL_TAB_CLIP, q_clip_value over x in [-A, A), nv = b_act; shared by
 * Clips with the same bounds and input scale): 2^nv rows (a_k, b_k),
 * a_k = k + lo (lo = -2^(nv-1) for PL_TAB_LUT and PL_TAB_CLIP, else 0) and b_k its value;
 * a position without a value repeats the first row that has one (position
 * `first`), so that no other input can be looked up. Tag tab + 1 sets its
 * rows apart from the range table's and every other table's (lookup.c). */
enum { PL_TAB_LUT, PL_TAB_EXP, PL_TAB_LOG, PL_TAB_CLIP };
typedef struct {
    int node, kind;
    int64_t lo;
    unsigned nv;
    int64_t first;
    int mreg;        /* multiplicity region (ADV, 2^nv entries) */
    uint64_t leaf;
    fm61 *a, *b;     /* the rows, filled by pl_build for the plan it returns */
} pl_tab;

typedef struct {
    const q_model *m;
    unsigned *tnv;          /* per tensor */
    q_int_rule *rule;       /* per tensor: how it is proven an integer in range (quant.h, protocol.md 7.7) */
    pl_region *reg;
    size_t nreg, capreg;
    pl_node *node;
    pl_col *col;
    size_t ncol, capcol;
    int mreg;               /* multiplicity region (2^16 entries) */
    pl_fcol *fcol;          /* pair columns and function tables (table ops), after the range columns */
    size_t nfcol, capfcol;
    pl_tab *tab;
    size_t ntab;
    uint64_t tleaf;         /* leaf offset of the table block */
    unsigned lnv;           /* lookup leaves 2^lnv (per challenge) */
    int lu_two;             /* two logUp challenges (lnv >= PL_LU_TWO_MIN): 2^(lnv+1) leaves in all */
    unsigned wnv, anv;      /* W and ADV tables: 2^wnv, 2^anv (wnv = 0: no constants) */
    int cur;                /* node whose regions are being added (pl_build) */
    unsigned lb;            /* limb bits: the lookup table is [0, 2^lb) (pl_build picks it) */
    /* A class-only output (Q_OUT_CLASS; protocol.md sec. 7.8.4): with c the
     * class, m = y_c, d_j = m - y_j - [j < c] in b_act bits over the
     * output's variables (cls_d), and m in the first cell of a 2-cell
     * region (cls_m; -1 for a public output). */
    pl_qty cls_d;
    int cls_m;
    /* The zero-knowledge mode (q_settings.zk_mc; protocol.md sec. 9.5): a
     * region of 2^PL_ZK_PAD_NV cells that no claim reads, which the prover
     * fills at random so that the one value ADV's hiding opening shows,
     * ADV~(z), is uniform; -1 otherwise. */
    int zk_pad;
    /* The same for W (protocol.md sec. 7.1.1, 9.5): in a zero-knowledge key
     * with constants, a W region of 2^PL_ZK_WPAD_NV cells after every other
     * W region is created, which the weight-range certificate leaves
     * unconstrained and no claim reads; setup fills it at random (from the
     * hiding weight commitment's seed, cnn_weights_pad) so that the values
     * W~(z) that the budget's openings show are uniform; -1 otherwise. A
     * plan with wpad >= 0 commits W with pcs_ligero_zk. */
    int wpad;
    /* A private input (Q_IN_PRIVATE; protocol.md sec. 9.6): its copy
     * x + A in b_act bits over the input's variables, range-checked like
     * ychk; absent (nl = 0) for a public input. */
    pl_qty in_chk;
} pl_plan;

#define PL_ZK_PAD_NV 6
/* 2^7 = 2 PCS_LIGERO_ZK_MAX_OPENINGS cells: two base-field cells per F_{p^2} value of the largest budget */
#define PL_ZK_WPAD_NV 7

unsigned pl_log2(int64_t n); /* smallest v with 2^v >= n (n >= 1) */


/* ZK_EINPUT with a reason when the model has something the circuits
 * cannot prove. For each node, in order: the rescale remainder (ops whose
 * table entry rescales, k >= 1), the integer check (rule Q_INT_CHECK), then
 * the kind's own plan (layers.h); protocol.md sec. 7.8.2 lists the order. */
zk_err pl_build(pl_plan **out, const q_model *m) ZK_WARN_UNUSED;
void pl_free(pl_plan *p);

/* Building blocks of a node's plan (the current node is p->cur):
 * pl_add_region: a region of 2^nv entries (len real) of W or ADV; returns
 * its index. pl_add_col: a lookup column scale * R[i] + off[i] (off: NULL
 * or len entries, owned by the plan) over region reg. pl_qty_new: a
 * quantity of `bits` bits in limb regions of nv variables, with their
 * columns. pl_bit_new: a bit, one region and no column (its layer's
 * sumcheck checks b (b - 1) = 0). */
int pl_add_region(pl_plan *p, int poly, unsigned nv, int64_t len);
void pl_add_col(pl_plan *p, int reg, int64_t scale, int64_t *off);
/* A column scale * R[i] + coff over all 2^nv entries of region reg. */
void pl_add_col_const(pl_plan *p, int reg, int64_t scale, int64_t coff);
pl_qty pl_qty_new(pl_plan *p, int bits, unsigned nv, int64_t len);
pl_qty pl_bit_new(pl_plan *p, unsigned nv, int64_t len);
/* pl_lut_table: the table of node i (a new one, or the one an earlier node
 * with the same function, parameters, scales and shift made); pl_add_fcol:
 * a pair column over regions a, b (same nv) looked up in table tab. */
int pl_lut_table(pl_plan *p, size_t i);
int pl_table(pl_plan *p, size_t i, int kind);
void pl_add_fcol(pl_plan *p, int a, int b, int tab);

/* Entry k (< 2^nv) of column col over its region's values R. */
static inline fm61 pl_col_value(const pl_plan *p, const pl_col *col, const fm61 *R, size_t k) {
    fm61 val = fm61_mul(fm61_from_i64(col->scale), R[k]);
    if (col->off && (int64_t)k < p->reg[col->reg].len) val = fm61_add(val, fm61_from_i64(col->off[k]));
    return col->coff ? fm61_add(val, fm61_from_i64(col->coff)) : val;
}

/* Places the regions of ADV (and of W when place_w; else their offsets
 * and wnv stay as the caller set them) and the lookup blocks, as pl_build
 * does (protocol.md sec. 7.8.2, "Placement", "Lookup leaves"), and sets
 * lnv and lu_two. ZK_EINPUT with a reason when a table or the lookup is
 * too large (the caller frees the plan). */
zk_err pl_layout(pl_plan *p, int place_w) ZK_WARN_UNUSED;

/* The weight table (2^wnv entries) from a model with constants. */
fm61 *pl_weights(const pl_plan *p);

/* The auxiliary table ADV (2^anv entries) from a witness, multiplicities
 * included (prover). Every value is computed in the field from the
 * witness arrays (which a malicious-prover test may fill with any field
 * elements); values outside their ranges are stored as they are: their
 * multiplicities are not counted and the lookup fails. */
fm61 *pl_adv(const pl_plan *p, const q_witness *w);
/* The range table's multiplicities (region mreg of A): how many entries
 * of the columns lie at each t < 2^lb; an entry outside [0, 2^lb) is not
 * counted (and the lookup fails). Columns read their region in W or A. */
void pl_count_range(const pl_plan *p, const fm61 *W, fm61 *A);
/* Stores quantity q's value v at entry o of its limb regions in A: one
 * limb holds v itself; several hold the lb-bit groups of v's centered
 * lift (an integer in range for an honest witness; for any other value
 * the limbs do not add up to v, or fall outside the table, and the proof
 * fails). */
void pl_qty_put(fm61 *A, const pl_plan *p, const pl_qty *q, int64_t o, fm61 v);

#endif
