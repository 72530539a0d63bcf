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
 * challenges combined by a third (proto.c, lookup; protocol.md sec. 7.4):
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
} pl_node;

enum { PL_MM_CONV = 1, PL_MM_FC, PL_MM_MATMUL };

typedef struct {
    int reg;         /* ADV region */
    int64_t scale;   /* value = scale * R[i] + off[i] */
    int64_t *off;    /* NULL or len entries (owned) */
    uint64_t leaf;   /* block offset among the lookup leaves (multiple of 2^nv) */
} pl_col;

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
    uint64_t tleaf;         /* leaf offset of the table block */
    unsigned lnv;           /* lookup leaves 2^lnv (per challenge) */
    int lu_two;             /* two logUp challenges (lnv >= PL_LU_TWO_MIN): 2^(lnv+1) leaves in all */
    unsigned wnv, anv;      /* W and ADV tables: 2^wnv, 2^anv (wnv = 0: no constants) */
    int cur;                /* node whose regions are being added (pl_build) */
    unsigned lb;            /* limb bits: the lookup table is [0, 2^lb) (pl_build picks it) */
} pl_plan;

unsigned pl_log2(int64_t n); /* smallest v with 2^v >= n (n >= 1) */


/* ZK_EINPUT with a reason when the model has something the circuits
 * cannot prove. */
zk_err pl_build(pl_plan **out, const q_model *m) ZK_WARN_UNUSED;
void pl_free(pl_plan *p);

/* Malicious-prover hook for tests: called on the auxiliary table ADV
 * (2^anv entries, laid out as pl describes, multiplicities included) after
 * the prover built it from the witness and before it is committed; it may
 * change any entry. NULL removes it. Not thread-safe. */
typedef void (*cnn_adv_hook)(void *ctx, const pl_plan *pl, fm61 *adv);
void cnn_set_adv_hook(cnn_adv_hook fn, void *ctx);

#ifdef ZK_VERIFY
/* Tests only (ZK_VERIFY builds): with on = 0, plans made from now on leave
 * out the range checks of Q_INT_CHECK tensors -- the protocol as it was
 * before issue 11 -- so the malicious-prover tests can show that their
 * strategies find forgeries there. Default 1. Not thread-safe. */
void cnn_test_int_checks(int on);
#endif

/* The weight table (2^wnv entries) from a model with constants. */
fm61 *pl_weights(const pl_plan *p);

#endif
