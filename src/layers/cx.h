/* cx.h -- internal to src/layers: the context both roles of a CNN proof
 * share, and the claims every layer reduces (papers/protocol.md sec. 7.2,
 * 7.6 and 7.8.3). The layer sub-protocols (l_*.c), the lookup, the
 * openings and cnn_run are each written once for both roles on it: the
 * prover (c->P) computes and sends; the verifier reads the same messages,
 * recomputes what it can and checks.
 *
 * Claims. A claim on a target (a tensor, a region of W or ADV, a node's
 * matmul output Z) is a linear functional with a claimed value:
 *   identity:  T(pt) = val                    (pt has nv(T) coordinates)
 *   map:       sum_v eq(pt, v) sum_f coef[v,f] * (src[v,f] >= 0 ? T[src[v,f]] : pad) = val
 * Every layer turns one point claim on its output into claims on its
 * inputs, its weights and its auxiliary values. Before a target is used,
 * its claims are merged into one point claim by a random combination and a
 * degree-2 sumcheck (cx_merge).
 *
 * Ledger (protocol.md sec. 6 and 7.6). Every challenge adds the degree of
 * the polynomial whose roots it must avoid to c->err and raises c->rbr to
 * it; cx_sc, cx_sc_dot and cx_merge count their own, a layer counts the
 * rest with cx_chal and cx_point. Both roles add the same terms on the
 * same path.
 *
 * Memory: maps and points live in the context's arena (cx_alloc) until
 * cx_free; claim lists are the context's. Errors: ZK_EPROOF with a reason
 * naming the node (c->where, c->what) and the check (cx_fail).
 */
#ifndef GKRCNN_LAYERS_CX_H
#define GKRCNN_LAYERS_CX_H

#include <math.h>

#include "../pcs/pcs.h"
#include "../sumcheck/vp.h"
#include "../sumcheck/zsc.h"
#include "plan.h"

/* A pool part (papers/protocol.md sec. 9.8 (b)): sum_k w[k] C^[e[k]], the
 * entries C^[e] = C[2e] + i C[2e+1] of the zero-knowledge mask pool; arena
 * memory. n = 0: none (always, outside part 2's masking). */
typedef struct {
    unsigned n;
    const size_t *e;
    const fp2 *w;
} cx_pool;

/* A value the verifier holds: the public number v and its pool part, the
 * value's true part being v - P (a masked evaluation s = T~(r) + a is
 * (s, a)). Linear arithmetic acts on both parts (cx_v_add etc.). */
typedef struct {
    fp2 v;
    cx_pool p;
} cx_v;

/* A map: virtual entry v < len reads fan sources. */
typedef struct {
    int64_t len;     /* virtual entries (<= 2^nv) */
    unsigned nv, fan;
    int64_t *src;    /* len * fan; -1: pad */
    fm61 *coef;      /* len * fan, or NULL: all 1 */
    fm61 pad;
} cmap;

typedef struct {
    const fp2 *pt;
    cx_v val;
    const cmap *map; /* NULL: identity */
} claim;

typedef struct {
    claim *v;
    size_t n, cap;
} claims;

/* A lower bound on |F_{p^2}| = (2^61 - 1)^2 = 2^122 - 2^62 + 1. */
#define CX_FIELD (ldexp(1.0, 122) * (1 - ldexp(1.0, -60)))

/* Zero-knowledge mode (protocol.md sec. 9.5): the mask pool. Every
 * sumcheck of at least one round takes the next 2 (n d + 1) cells of the
 * pool C (2^mc cells) as its Libra mask (zsc.h), in the order both roles
 * run them; the table M = [C ; D] (D uniform, 2^mc cells) is committed
 * with the hiding Ligero after ADV and before any challenge, and the
 * masks' values are proven by one batch (zsc_ip) and one opening of M at
 * the end (cx_zk_finish). */
typedef struct {
    int on;           /* zero-knowledge mode */
    int count;        /* prover, setup's dry run: fresh masks, only the pool's use counted (no M) */
    unsigned mc;      /* C has 2^mc cells */
    size_t used;      /* cells taken so far */
    size_t last;      /* the claim of the mask taken last (cx_mask_put) */
    const fm61 *M;    /* prover: [C ; D], 2^(mc + 1) cells */
    zsc_claim *cl;    /* one claim per mask taken, in order */
    size_t ncl, ccl;
} cx_zk;

typedef struct {
    tr_t *tr;
    int P;                    /* 1: prover */
    cx_zk z;                  /* zero-knowledge mode (z.on) */
    const q_model *m;
    const pl_plan *pl;
    fm61 **tv;                /* tensor tables, 2^tnv entries (prover: all; verifier: input and output) */
    const q_witness *w;       /* prover */
    fm61 *W, *ADV;            /* prover */
    claims *tc, *rc;          /* per tensor, per region */
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

#define CX_TRY(e)                     \
    do {                              \
        zk_err e_ = (e);              \
        if (e_ != ZK_OK) return e_;   \
    } while (0)

/* Small field constants (k <= 60). */
static inline fm61 cx_pow2_fm61(int k) { return (fm61)1 << k; }
static inline fp2 cx_int(int64_t v) { return fp2_from_fm61(fm61_from_i64(v)); }
static inline fp2 cx_pow2(int k) { return fp2_from_fm61(cx_pow2_fm61(k)); }
static inline fp2 cx_inv_pow2(int k) { return fp2_from_fm61(fm61_inv(cx_pow2_fm61(k))); }

/* Wall-clock seconds, for cnn_stats. */
double cx_now(void);

/* Frees the context's arena, claim lists and tensor tables (not c itself). */
void cx_free(cx *c);

/* ---- ledger */

/* A challenge that must avoid the roots of a polynomial of degree deg. */
void cx_chal(cx *c, double deg);
/* J identities, multilinear in each coordinate, tested at a point whose nv
 * coordinates sumcheck rounds drew: J nv in all; each of those rounds then
 * avoids degree at most 3 (its own) + J + 1 (a tensor check, ychk_claim,
 * may test one more identity at the same point). */
void cx_point(cx *c, unsigned nv, double J);
/* A sumcheck of n rounds of degree deg: n deg; each round avoids deg. */
void cx_rounds(cx *c, unsigned n, unsigned deg);

/* ---- messages and checks */

/* Zeroed arena memory, freed by cx_free; cx_pt: a point of n coordinates. */
void *cx_alloc(cx *c, size_t bytes);
fp2 *cx_pt(cx *c, unsigned n);
/* Sets the reason "<where> (<what>): <check> check failed"; ZK_EPROOF. */
zk_err cx_fail(cx *c, const char *check) ZK_WARN_UNUSED;
/* Prover sends / verifier reads n elements. */
zk_err cx_xfer(cx *c, const char *label, fp2 *v, size_t n) ZK_WARN_UNUSED;
/* Evaluations sent on their own (protocol.md sec. 9.8 (c)): in the
 * zero-knowledge mode each value j not marked bare[j] (bare NULL: none
 * is) takes an entry a of the pool and is sent as s = v + C^[a], its value
 * (s, a); else v is sent and the value is (v, none). n <= 4 values, one
 * message. The prover passes v, the verifier anything; out[] is defined on
 * failure too (0, no pool part). */
zk_err cx_xfer_vn(cx *c, const char *label, const fp2 *v, size_t n, const int *bare, cx_v *out) ZK_WARN_UNUSED;
zk_err cx_xfer_v(cx *c, const char *label, fp2 v, cx_v *out) ZK_WARN_UNUSED;

/* ---- values (cx_v) */

/* Verifier: the value x's true part must equal want (a public number);
 * else the check `what` failed. With a pool part (zero-knowledge mode) the
 * check becomes the linear claim sum x.p = x.v - want of the batch, made by
 * both roles (protocol.md sec. 9.8 (e)), and fails there, at the end. */
zk_err cx_check_eq(cx *c, cx_v x, fp2 want, const char *what) ZK_WARN_UNUSED;

static inline cx_v cx_v_of(fp2 v) { return (cx_v){.v = v, .p = {0, NULL, NULL}}; }
/* a + b, a - b, s a, a + k (k public): pool parts in the arena */
cx_v cx_v_add(cx *c, cx_v a, cx_v b);
cx_v cx_v_sub(cx *c, cx_v a, cx_v b);
cx_v cx_v_scale(cx *c, cx_v a, fp2 s);
static inline cx_v cx_v_addk(cx_v a, fp2 k) { return (cx_v){.v = fp2_add(a.v, k), .p = a.p}; }
/* Final j of a sumcheck: its public value and pool part. */
static inline cx_v cx_fin(const fp2 *vals, const cx_pool *vpp, unsigned j) {
    return (cx_v){.v = vals[j], .p = vpp ? vpp[j] : (cx_pool){0, NULL, NULL}};
}

/* Sumcheck of sum_x terms(x) = claim on n variables. Prover: tabs (2^n each,
 * consumed). On return pt (n coords, arena) and vals[j] = T_j(pt): the
 * prover sends vals[j] for every j with send[j] (label cnn/eval); the
 * verifier reads them; the caller fills the others and calls cx_sc_check.
 * vpp (ntab entries; NULL only outside the zero-knowledge mode) gets the
 * sent values' pool parts (cx_fin).
 * Zero-knowledge mode (protocol.md sec. 9.8): every sent table but the eq
 * table is masked (a), the claim's pool part is absorbed (d: label
 * cnn/ell, a linear claim), and with n = 0 the sumcheck runs on one
 * variable in which every table is constant (claim doubled), so that the
 * masked finals enter the caller's check linearly; *red is then the claim
 * on terms(vals) alone, as without the mode. */
zk_err cx_sc(cx *c, fp2 **tabs, unsigned ntab, const vp_term *terms, unsigned nterms, unsigned n, cx_v claim_v,
             fp2 **pt, fp2 *red, fp2 *vals, const int *send, cx_pool *vpp) ZK_WARN_UNUSED;
/* The same when table eqt is eq(rho, .) and a factor of every term (vp_prove_eq):
 * the prover need not build tabs[eqt]; vals[eqt] = eq(rho, pt). */
zk_err cx_sc_eq(cx *c, fp2 **tabs, unsigned ntab, const vp_term *terms, unsigned nterms, unsigned n, cx_v claim_v,
                unsigned eqt, const fp2 *rho, fp2 **pt, fp2 *red, fp2 *vals, const int *send,
                cx_pool *vpp) ZK_WARN_UNUSED;
/* The degree-2 sumcheck sum_x wt(x) T(x) = claim with T a base-field table
 * (prover: sc_prove_base, no lifted copy of T). vals[0] = wt(pt) (the
 * caller computes it on the verifier side), vals[1] = T(pt), sent, with
 * its pool part in *vpp. vpp NULL: the caller opens T's commitment at pt,
 * so T(pt) is sent bare (zero-knowledge mode: the opening shows it anyway,
 * made uniform by the table's pad region, sec. 9.5); the claim's pool part
 * is absorbed either way. */
zk_err cx_sc_dot(cx *c, fp2 *wt, const fm61 *T, unsigned nv, cx_v claim_v, fp2 **pt, fp2 *red, fp2 *vals,
                 cx_pool *vpp) ZK_WARN_UNUSED;
/* Verifier: the reduced claim red must equal terms(vals); else the check `what` failed. */
zk_err cx_sc_check(cx *c, const vp_term *terms, unsigned nterms, const fp2 *vals, fp2 red, const char *what)
    ZK_WARN_UNUSED;

/* ---- zero-knowledge mode (c->z.on; protocol.md sec. 9.5) */

/* The next mask of a sumcheck of n rounds, of degree deg[v] in variable
 * v (deg NULL: d in every one): on ZK_OK *mask is NULL when the mode is
 * off or n = 0 (nothing to mask) and for the verifier; else the prover's
 * mask (caller frees). Both roles record the mask's claim (cx_mask_put
 * fills its point and value) and count rho. ZK_EFORMAT ("mask pool ...
 * too small") when the pool is used up: the key's pool was measured on
 * this plan, so only a key made for another model gets there. *on:
 * whether a mask was taken. */
zk_err cx_mask_take_deg(cx *c, unsigned n, unsigned d, const unsigned *deg, zsc_mask **mask, int *on) ZK_WARN_UNUSED;
void cx_mask_put(cx *c, const fp2 *pt, fp2 gr);

/* One zero-knowledge sumcheck's part-2 bookkeeping (protocol.md sec. 9.8),
 * for provers that run their own rounds (the lookup's fraction layers;
 * cx_sc_eq and cx_sc_dot use it inside). cx_em_begin (n >= 1, the mode on):
 * the round degrees (vp_round_degrees_ab) into the ledger, the Libra mask
 * with them, then the entry b when P is not empty, then an entry a[j] per
 * masked[j] (arena; masked is kept); the prover gets m->mk, m->a and m->abs
 * (E's point e, NULL: 0). The caller runs its rounds (verifier:
 * zsc_verify_deg with m->deg), then cx_em_end: the mask's claim, ell sent
 * (cnn/ell) with its linear claim (verifier: red -= E(pt) ell), the finals
 * vals[j] of send[j] sent (cnn/eval), vpp[j] the masked ones' pool parts
 * x_0 (1 - x_0) a[j]. */
typedef struct {
    unsigned n, ntab;
    unsigned *deg;
    zsc_mask *mk;
    int on, ab;
    const int *masked;
    size_t *ae, be;
    fp2 *a;
    cx_pool P;
    vp_absorb abs;
    const fp2 *e;
} cx_em;
zk_err cx_em_begin(cx *c, cx_em *m, const vp_term *terms, unsigned nterms, unsigned ntab, unsigned n, cx_pool P,
                   const int *masked, const fp2 *e) ZK_WARN_UNUSED;
zk_err cx_em_end(cx *c, cx_em *m, const fp2 *pt, fp2 gr, fp2 *red, fp2 *vals, const int *send,
                 cx_pool *vpp) ZK_WARN_UNUSED;
/* The mask table M = [C ; D] before any challenge: the prover draws it
 * (OpenSSL; c->z.M) and commits it hiding (*mst), the verifier reads its
 * commitment (*mcom); nothing outside the mode or in a dry run.
 * cx_zk_release wipes and frees the prover's M and state. */
zk_err cx_zk_commit(cx *c, pcs_state **mst, pcs_commitment *mcom) ZK_WARN_UNUSED;
void cx_zk_release(cx *c, pcs_state *mst);
/* After the last sumcheck: the batch of the masks' values (zsc_ip) and the
 * opening of M (mst: prover's hiding state; mcom: verifier's commitment). */
zk_err cx_zk_finish(cx *c, const pcs_state *mst, const pcs_commitment *mcom) ZK_WARN_UNUSED;
/* The scheme tables are committed with: pcs_ligero_zk in the mode, else pcs_ligero. */
const pcs_scheme *cx_scheme(const cx *c);

/* ---- multilinear helpers */

/* MLE of the indicator of [0, len) on nv variables, at r. O(nv). */
fp2 cx_ind_eval(int64_t len, const fp2 *r, unsigned nv);
/* eq(bits of idx over coordinates [lo, hi)), i.e. the selector of an aligned block. */
fp2 cx_sel_eval(uint64_t idx, const fp2 *r, unsigned lo, unsigned hi);
/* New tables of 2^n entries (caller frees): eq(r, .); t lifted to F_{p^2}. */
fp2 *cx_eq_new(const fp2 *r, unsigned n);
fp2 *cx_lift_new(const fm61 *t, unsigned n);

/* ---- maps */

/* A map of len entries over nv variables with fan sources each (src
 * zeroed, coefficients if with_coef, pad 0), in the arena. */
cmap *cx_map_new(cx *c, int64_t len, unsigned nv, unsigned fan, int with_coef);
/* sum_v e[v] sum_f coef (src >= 0 ? T[src] : pad), with T given as fm61 (Tm) or fp2 (Tf). */
fp2 cx_map_apply(const cmap *mp, const fp2 *e, const fm61 *Tm, const fp2 *Tf);
/* the pad part of a map claim: sum_v e[v] sum_{f: src < 0} coef * pad */
fp2 cx_map_pad(const cmap *mp, const fp2 *e);
/* Prover: the value of a claim with map mp at pt on table T. */
fp2 cx_map_value(const cmap *mp, const fp2 *pt, const fm61 *T);
/* mp, or NULL when it is the identity on all tlen real entries of a table
 * of tnv variables (protocol.md sec. 7.8.3). */
const cmap *cx_map_simplify(const cmap *mp, int64_t tlen, unsigned tnv);

/* ---- claims */

void cx_claims_push(claims *l, const fp2 *pt, cx_v val, const cmap *map);
/* Merges the claims of list l on a table T (prover: fm61 values, 2^nv
 * entries) into one point claim (*pt, *val). No claims: *pt = NULL. */
zk_err cx_merge(cx *c, claims *l, const fm61 *T, unsigned nv, fp2 **pt, cx_v *val) ZK_WARN_UNUSED;
/* A claim on tensor t (its map simplified against the tensor). */
void cx_claim_tensor(cx *c, int32_t t, const fp2 *pt, cx_v val, const cmap *map);
/* A claim on region r (its map as given). */
void cx_claim_region(cx *c, int r, const fp2 *pt, cx_v val, const cmap *map);
/* Claims on a quantity (sum of lb-bit limbs) at pt with optional map (pad
 * 0): the prover sends every limb's value but the last, which is implied. */
zk_err cx_claim_qty(cx *c, const pl_qty *q, const fp2 *pt, cx_v val, const cmap *map) ZK_WARN_UNUSED;

/* ---- prover tables */

/* Region r's entries in W or ADV. */
const fm61 *cx_reg_table(const cx *c, int r);
/* The quantity's values as an fp2 table of 2^nv entries (caller frees). */
fp2 *cx_qty_table(const cx *c, const pl_qty *q, unsigned nv);
/* Tensor t lifted to F_{p^2} (caller frees). */
fp2 *cx_tensor_table(const cx *c, int32_t t);

#endif
