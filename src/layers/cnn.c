/* cnn.c -- the CNN proof (cnn.h): the statement, the commitments, the
 * layers from the output back to the input (the layer table, layers.h),
 * the lookup and the openings, written once for both roles (cnn_run);
 * the prover and verifier entry points around it. papers/protocol.md sec.
 * 7.8 follows cnn_run message by message; the tests' hooks (cnn_test.h)
 * live here too. */
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "../poly/mle.h"
#include "../quant/qint.h"
#include "cnn_int.h"
#include "cnn_test.h"
#include "layers.h"

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

static int64_t cnn_forced_class = -1;
void cnn_test_set_class(int64_t c) { cnn_forced_class = c; }

static tr_tamper_fn cnn_tamper;
static void *cnn_tamper_ctx;
void cnn_set_tamper(tr_tamper_fn fn, void *ctx) {
    cnn_tamper = fn;
    cnn_tamper_ctx = ctx;
}

static fm61 *tensor_fm61(const q_model *m, const pl_plan *pl, int32_t t, const int64_t *v) {
    fm61 *o = zk_calloc((size_t)1 << pl->tnv[t], sizeof *o);
    int64_t n = q_numel(m, t);
    for (int64_t i = 0; i < n; i++) o[i] = fm61_from_i64(v[i]);
    return o;
}

/* A class-only output (protocol.md sec. 7.8.4): the class c is the
 * argmax of y (ties to the lowest index) iff, with m = y_c and
 * d_j = m - y_j - [j < c], every d_j is in [0, 2^b_act) and d_c = 0 (y's
 * entries are integers in [-A, A) by their rule, q_int_rules). At r0 the
 * prover sends y~(r0) and d~(r0) (cnn/class/yd); the identity
 * d~ + y~ + lt_c~ = m ind_n~ (lt_c, ind_n the indicators of [0, c) and
 * [0, n)) becomes a claim on m's region (entries m, e; the prover's e is
 * 0) at the point 1 - ind_n~(r0), whose MLE there is m ind_n~(r0) +
 * e (1 - ind_n~(r0)): beyond n the identity makes d_j = e, range-checked
 * and read by nothing else. Then d at the Boolean point c is claimed 0.
 * The identity, multilinear in r0, was counted by the caller (cx_chal). */
static zk_err cx_class(cx *c, const fp2 *r0, int64_t cl) {
    const q_model *m = c->m;
    const pl_plan *pl = c->pl;
    unsigned onv = pl->tnv[m->output];
    int64_t n = q_numel(m, m->output);
    c->where = m->nodes[m->output - 1].name;
    c->what = "class";
    fp2 yd[2];
    if (c->P) {
        yd[0] = mle_eval_fm61(c->tv[m->output], onv, r0);
        fp2 *dt = cx_qty_table(c, &pl->cls_d, onv);
        yd[1] = mle_eval_fp2(dt, onv, r0);
        free(dt);
    }
    cx_v ydv[2];
    CX_TRY(cx_xfer_vn(c, "cnn/class/yd", yd, 2, NULL, ydv));
    cx_claims_push(&c->tc[m->output], r0, ydv[0], NULL);
    CX_TRY(cx_claim_qty(c, &pl->cls_d, r0, ydv[1], NULL));
    fp2 ind = cx_ind_eval(n, r0, onv);
    fp2 *pm = cx_pt(c, 1);
    pm[0] = fp2_sub(fp2_one(), ind);
    cx_claim_region(c, pl->cls_m, pm, cx_v_addk(cx_v_add(c, ydv[0], ydv[1]), cx_ind_eval(cl, r0, onv)), NULL);
    fp2 *pc = cx_pt(c, onv);
    for (unsigned v = 0; v < onv; v++) pc[v] = ((uint64_t)cl >> v) & 1 ? fp2_one() : fp2_zero();
    CX_TRY(cx_claim_qty(c, &pl->cls_d, pc, cx_v_of(fp2_zero()), NULL));
    c->where = NULL;
    return ZK_OK;
}

/* A private input's or output's commitment (protocol.md sec. 9.6, 9.7): the
 * prover's seed (NULL: fresh) and state; the root both roles see. */
typedef struct {
    const uint8_t *seed;
    pcs_state *st;
    pcs_commitment com;
    uint8_t root[PCS_DIGEST_BYTES];
} cnn_input_com;

/* A private input's or output's committed table (protocol.md sec. 9.8
 * (f)): 2^(tnv+1) cells, the tensor's table (tab, 2^tnv cells: its values,
 * 0 beyond them) and above it a pad of min(2^6, 2^tnv) cells from the
 * commitment's seed (cnn_seed_cells, "gkrcnn/cnn/tpad"), then zeros. No
 * claim reads the upper half (the tensor sumcheck's weight is 0 there), and
 * the pad makes the one value the opening shows uniform. Caller frees. */
static fm61 *tensor_ztable(const fm61 *tab, unsigned tnv, const uint8_t *seed) {
    size_t h = (size_t)1 << tnv;
    fm61 *T = zk_calloc(2 * h, sizeof *T);
    memcpy(T, tab, h * sizeof *T);
    cnn_seed_cells(T + h, h < 64 ? h : 64, "gkrcnn/cnn/tpad", seed);
    return T;
}

/* The prover's half: tensor t's values as its table with the pad, committed
 * hiding in tr with that seed (NULL: a fresh one); the table wiped and
 * freed (the state keeps its own copy). Also what cnn_input_root /
 * cnn_output_root recompute. */
static pcs_state *tensor_zk_commit(tr_t *tr, const q_model *m, const pl_plan *pl, int32_t t, const int64_t *v,
                                   const uint8_t *seed) {
    uint8_t fresh[PCS_LIGERO_ZK_SEED_BYTES];
    if (!seed) {
        ZK_CHECK(RAND_bytes(fresh, sizeof fresh) == 1);
        seed = fresh;
    }
    unsigned nv = pl->tnv[t];
    fm61 *tab = tensor_fm61(m, pl, t, v), *T = tensor_ztable(tab, nv, seed);
    pcs_state *st = pcs_ligero_zk_commit(tr, NULL, T, nv + 1, 0, 1, seed);
    OPENSSL_cleanse(tab, ((size_t)1 << nv) * sizeof *tab);
    OPENSSL_cleanse(T, ((size_t)2 << nv) * sizeof *T);
    OPENSSL_cleanse(fresh, sizeof fresh);
    free(tab);
    free(T);
    return st;
}

static zk_err cx_tensor_commit(cx *c, int32_t t, const int64_t *v, cnn_input_com *ic) {
    const pl_plan *pl = c->pl;
    if (c->P) {
        ic->st = tensor_zk_commit(c->tr, c->m, pl, t, v, ic->seed);
        memcpy(ic->root, pcs_ligero_root(ic->st), PCS_DIGEST_BYTES);
        return ZK_OK;
    }
    CX_TRY(cnn_read_once(c->tr, &pcs_ligero_zk, &ic->com, pl->tnv[t] + 1));
    memcpy(ic->root, ic->com.root, PCS_DIGEST_BYTES);
    return ZK_OK;
}

/* Opens such a commitment at pt with value val (the caller sent val). */
static zk_err cx_tensor_open(cx *c, cnn_input_com *ic, const fp2 *pt, fp2 val, const char *what) {
    if (c->P) {
        pcs_ligero_zk.open(c->tr, ic->st, pt);
        return ZK_OK;
    }
    zk_err e = pcs_ligero_zk.verify(c->tr, &ic->com, pt, val);
    if (e == ZK_EPROOF) {
        char why[160];
        snprintf(why, sizeof why, "%s", zk_reason());
        zk_set_reason("%s commitment opening: %s", what, why);
    }
    return e;
}

/* A claim (pt, val) on private tensor t proven against its commitment
 * (protocol.md sec. 9.8 (f)): the degree-2 sumcheck
 *     sum_x wt(x) T(x) = val,   wt(x) = eq(pt, x_<tnv) (1 - x_tnv)
 * over the committed table T (tensor_ztable), which absorbs val's pool
 * part, and T's hiding opening at its final point z, where the value
 * T(z) is sent bare (uniform: the pad's cells have weight eq(z, .)). */
static zk_err cx_tensor_prove(cx *c, cnn_input_com *ic, int32_t t, const fp2 *pt, cx_v val, const char *what) {
    unsigned nv = c->pl->tnv[t];
    fm61 *T = NULL;
    fp2 *wt = NULL, *z, red, vals[2];
    if (c->P) {
        T = tensor_ztable(c->tv[t], nv, pcs_ligero_zk_seed(ic->st));
        wt = zk_calloc((size_t)2 << nv, sizeof *wt);
        mle_eq_table(wt, pt, nv);
    }
    zk_err e = cx_sc_dot(c, wt, T, nv + 1, val, &z, &red, vals, NULL);
    free(wt);
    if (T) {
        OPENSSL_cleanse(T, ((size_t)2 << nv) * sizeof *T);
        free(T);
    }
    if (e == ZK_OK && !c->P) {
        vp_term term = {.c = fp2_one(), .k = 2, .t = {0, 1}};
        vals[0] = fp2_mul(mle_eq_eval(pt, z, nv), fp2_sub(fp2_one(), z[nv]));
        e = cx_sc_check(c, &term, 1, vals, red, "commitment claim");
    }
    CX_TRY(e);
    return cx_tensor_open(c, ic, z, vals[1], what);
}

/* A private input's claims, after the layers: merged into one point, whose
 * value becomes a claim on the range-checked copy x + A (in_chk, as
 * ychk_claim does for a tensor) and is proven by the hiding opening of the
 * input's own commitment. */
static zk_err cx_private_input(cx *c, cnn_input_com *ic) {
    const pl_plan *pl = c->pl;
    unsigned nv = pl->tnv[0];
    fp2 *pt;
    cx_v val;
    c->where = "input";
    c->what = "private input";
    CX_TRY(cx_merge(c, &c->tc[0], c->P ? c->tv[0] : NULL, nv, &pt, &val));
    c->where = NULL;
    if (!pt) return ZK_OK; /* nothing reads the input */
    cx_point(c, nv, 1);
    fp2 off = fp2_mul(cx_int(q_act_bound(c->m)), cx_ind_eval(q_numel(c->m, 0), pt, nv));
    CX_TRY(cx_claim_qty(c, &pl->in_chk, pt, cx_v_addk(val, off), NULL));
    c->where = "input";
    zk_err e = cx_tensor_prove(c, ic, 0, pt, val, "input");
    c->where = NULL;
    return e;
}

/* The shared body: statement, commitments, layers, lookups, openings. */
static zk_err cnn_run(cx *c, const cnn_key *key, pcs_state *wst, int64_t *in_q, int64_t *out_q, cnn_input_com *ic,
                      cnn_input_com *oc) {
    const q_model *m = c->m;
    const pl_plan *pl = c->pl;
    tr_absorb(c->tr, "cnn/digest", key->digest, sizeof key->digest);
    /* statement: input and output (or the output's class), sent as field
     * elements of canonical small integers; a private input as the root of
     * its hiding commitment */
    int64_t nin = q_numel(m, 0), nout = q_numel(m, m->output);
    int64_t A = q_act_bound(m);
    int cls = pl->cls_m >= 0, priv = pl->in_chk.nl > 0, opriv = m->s.out_vis == Q_OUT_PRIVATE;
    if (priv) CX_TRY(cx_tensor_commit(c, 0, in_q, ic));
    for (int s = priv; s < 2 - (cls || opriv); s++) {
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
    if (opriv) CX_TRY(cx_tensor_commit(c, m->output, out_q, oc)); /* a private output: its commitment */
    int64_t cls_c = 0; /* the class (prover: out_q is the output tensor; verifier: out_q[0] gets the class) */
    if (cls) {
        fm61 cv = fm61_from_i64(c->P ? (cls_c = cnn_forced_class >= 0 ? cnn_forced_class : q_argmax(out_q, nout)) : 0);
        if (c->P) tr_put_fm61(c->tr, "cnn/class", &cv, 1);
        else {
            CX_TRY(tr_get_fm61(c->tr, "cnn/class", &cv, 1));
            if (cv >= (fm61)nout) {
                zk_set_reason("proof's class %llu is not an index of the %lld outputs", (unsigned long long)cv,
                              (long long)nout);
                return ZK_EPROOF;
            }
            out_q[0] = cls_c = (int64_t)cv;
        }
    }
    if (!c->P) {
        if (!priv) c->tv[0] = tensor_fm61(m, pl, 0, in_q);
        if (!cls && !opriv) c->tv[m->output] = tensor_fm61(m, pl, m->output, out_q);
    }
    /* auxiliary commitment; in zero-knowledge mode hiding, and the mask
     * table M = [C ; D] beside it (protocol.md sec. 9.5) */
    double t0 = cx_now();
    const pcs_scheme *S = cx_scheme(c);
    pcs_state *ast = NULL, *mst = NULL;
    pcs_commitment acom, mcom;
    if (c->P) ast = S->commit(c->tr, c->ADV, pl->anv);
    else CX_TRY(cnn_read_once(c->tr, S, &acom, pl->anv));
    CX_TRY(cx_zk_commit(c, &mst, &mcom));
    if (c->st) c->st->t[CNN_PH_COMMIT] += cx_now() - t0;
    zk_err e = ZK_OK;
    /* output claim at a random point */
    unsigned onv = pl->tnv[m->output];
    fp2 *r0 = cx_pt(c, onv);
    tr_challenges(c->tr, "cnn/r0", r0, onv);
    cx_chal(c, onv); /* the output tensor's MLE against the public output's, or the argmax identity */
    if (opriv) { /* the witness output at r0 = the committed one (protocol.md sec. 9.7) */
        fp2 v = c->P ? mle_eval_fm61(c->tv[m->output], onv, r0) : fp2_zero();
        cx_v vv;
        CX_TRY(cx_xfer_v(c, "cnn/output/eval", v, &vv));
        c->where = "output";
        c->what = "private output";
        CX_TRY(cx_tensor_prove(c, oc, m->output, r0, vv, "output"));
        c->where = NULL;
        cx_claims_push(&c->tc[m->output], r0, vv, NULL);
    } else if (!cls) {
        cx_claims_push(&c->tc[m->output], r0, cx_v_of(mle_eval_fm61(c->tv[m->output], onv, r0)), NULL);
    } else {
        CX_TRY(cx_class(c, r0, cls_c));
    }
    for (size_t i = m->nnodes; i-- > 0 && e == ZK_OK;) {
        int32_t ty = (int32_t)i + 1;
        fp2 *pt;
        cx_v val;
        c->where = m->nodes[i].name;
        c->what = nn_op_name(m->nodes[i].op);
        e = cx_merge(c, &c->tc[ty], c->P ? c->tv[ty] : NULL, pl->tnv[ty], &pt, &val);
        if (e == ZK_OK && pt) e = layer_reduce(c, i, pt, val);
    }
    c->where = NULL;
    /* a private input: its claims merged and opened; a public one: every
     * claim evaluated directly */
    if (priv && e == ZK_OK) e = cx_private_input(c, ic);
    for (size_t j = 0; j < c->tc[0].n && e == ZK_OK && !priv; j++) {
        const claim *cl = &c->tc[0].v[j];
        fp2 v = cl->map ? cx_map_value(cl->map, cl->pt, c->tv[0]) : mle_eval_fm61(c->tv[0], pl->tnv[0], cl->pt);
        if (cl->val.p.n) { /* zero-knowledge mode: a linear claim of the batch (sec. 9.8 (e)) */
            c->where = "input";
            c->what = "input layer";
            e = cx_check_eq(c, cl->val, v, "input layer");
            c->where = NULL;
        } else if (!c->P && !fp2_eq(v, cl->val.v)) {
            zk_set_reason("input layer check failed (claim %zu)", j);
            e = ZK_EPROOF;
        }
    }
    if (e == ZK_OK) e = cx_lookup(c);
    if (e == ZK_OK && pl->wnv) e = cx_open(c, PL_W, pl->wnv, cnn_weights_scheme(pl), wst, &key->wcom);
    if (e == ZK_OK) e = cx_open(c, PL_ADV, pl->anv, S, ast, &acom);
    if (e == ZK_OK) {
        t0 = cx_now();
        e = cx_zk_finish(c, mst, &mcom);
        if (c->st) c->st->t[CNN_PH_OPEN] += cx_now() - t0;
    }
    if (ast) S->state_free(ast);
    cx_zk_release(c, mst);
    return e;
}

/* The hiding weight commitments this process has opened: root and the
 * next slot not yet used. A proof that would take a slot below it (a
 * second copy of a key whose count is stale) is refused: reusing a mask
 * slot reveals the difference of two row combinations (protocol.md sec.
 * 9.4.4). The key files' count (the CLI, under a lock) covers other
 * processes; this covers one process's copies of a key. */
typedef struct {
    uint8_t root[PCS_DIGEST_BYTES];
    unsigned next;
} cnn_wslot;
static cnn_wslot *wslot_tab;
static size_t wslot_n;
static pthread_mutex_t wslot_mu = PTHREAD_MUTEX_INITIALIZER;

zk_err cnn_weights_slot_take(const uint8_t root[PCS_DIGEST_BYTES], unsigned slot) {
    zk_err e = ZK_OK;
    pthread_mutex_lock(&wslot_mu);
    size_t i = 0;
    while (i < wslot_n && memcmp(wslot_tab[i].root, root, PCS_DIGEST_BYTES) != 0) i++;
    if (i == wslot_n) {
        wslot_tab = zk_realloc_n(wslot_tab, ++wslot_n, sizeof *wslot_tab);
        memcpy(wslot_tab[i].root, root, PCS_DIGEST_BYTES);
        wslot_tab[i].next = 0;
    }
    if (slot < wslot_tab[i].next) {
        zk_set_reason("the weight commitment's mask slot %u was already used in this process (the proving key's "
                      "count is stale: load the key written after the last proof)", slot);
        e = ZK_EINPUT;
    } else {
        wslot_tab[i].next = slot + 1;
    }
    pthread_mutex_unlock(&wslot_mu);
    return e;
}

/* A prover for one proving key: the plan, the weight table and its
 * commitment state, built once. */
struct cnn_prover {
    const cnn_key *pk;
    pl_plan *pl;
    fm61 *W;        /* weight table (NULL: no weights) */
    pcs_state *wst; /* its Ligero encoding and Merkle tree (a hiding W: rebuilt from the key's leaves) */
    double t_commit;
    int count;      /* setup's dry run of the zero-knowledge mode (cnn_zk_measure) */
    size_t used;    /* its pool use, in cells */
    int has_seed[2]; /* a private input's / output's commitment seed for the next proof only (else fresh) */
    uint8_t seed[2][PCS_LIGERO_ZK_SEED_BYTES];
};

static void prover_seed(cnn_prover *pv, int j, const uint8_t *seed) {
    pv->has_seed[j] = seed != NULL;
    if (seed) memcpy(pv->seed[j], seed, sizeof pv->seed[j]);
    else OPENSSL_cleanse(pv->seed[j], sizeof pv->seed[j]);
}
void cnn_prover_set_input_seed(cnn_prover *pv, const uint8_t *seed) { prover_seed(pv, 0, seed); }
void cnn_prover_set_output_seed(cnn_prover *pv, const uint8_t *seed) { prover_seed(pv, 1, seed); }

/* The root of the commitment cx_tensor_commit makes of tensor t's values v. */
static zk_err tensor_root(uint8_t root[PCS_DIGEST_BYTES], const cnn_key *k, int32_t t, const int64_t *v,
                          const uint8_t *seed) {
    const char *what = t == 0 ? "input" : "output";
    int priv = t == 0 ? k->m->s.in_vis == Q_IN_PRIVATE : k->m->s.out_vis == Q_OUT_PRIVATE;
    if (!priv) {
        zk_set_reason("the key's %s is not private: it has no %s commitment", what, what);
        return ZK_EINPUT;
    }
    pl_plan *pl;
    CX_TRY(pl_build(&pl, k->m));
    int64_t A = q_act_bound(k->m), n = q_numel(k->m, t);
    for (int64_t j = 0; j < n; j++)
        if (v[j] < -A || v[j] >= A) {
            pl_free(pl);
            zk_set_reason("%s element %lld is outside the activation range", what, (long long)j);
            return ZK_EINPUT;
        }
    zk_buf b;
    zk_buf_init(&b);
    tr_t *tr = tr_new_prover("gkrcnn/cnn/tensor-root", &b);
    pcs_state *st = tensor_zk_commit(tr, k->m, pl, t, v, seed);
    memcpy(root, pcs_ligero_root(st), PCS_DIGEST_BYTES);
    pcs_ligero_zk.state_free(st);
    tr_free(tr);
    zk_buf_free(&b);
    pl_free(pl);
    return ZK_OK;
}

zk_err cnn_input_root(uint8_t root[PCS_DIGEST_BYTES], const cnn_key *k, const int64_t *input_q, const uint8_t *seed) {
    return tensor_root(root, k, 0, input_q, seed);
}
zk_err cnn_output_root(uint8_t root[PCS_DIGEST_BYTES], const cnn_key *k, const int64_t *output_q, const uint8_t *seed) {
    return tensor_root(root, k, k->m->output, output_q, seed);
}

static zk_err cnn_prover_make(cnn_prover **out, const cnn_key *pk, int lazy) {
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
    double t0 = cx_now();
    if (pv->pl->wnv) {
        pcs_commitment com;
        const pl_plan *pl = pv->pl;
        int zk = pl->wpad >= 0, certified = cnn_weights_certified(pl->wnv, zk), bad;
        pv->W = pl_weights(pl);
        if (zk && (!pk->wcom.zk || !pk->wused || pk->wleaves_len != pcs_ligero_zk_leaves_bytes(pl->wnv, certified,
                                                                                              pk->wcom.openings))) {
            bad = 1;
        } else if (zk) { /* a hiding W: the pad from the seed; the state from the key's leaves, or recommitted
                          * from the seed (the same root), at the key's count */
            cnn_weights_pad(pl, pv->W, pk->wseed);
            if (lazy) {
                pv->wst = pcs_ligero_zk_state_from_leaves(pv->W, pl->wnv, certified, pk->wcom.openings, pk->wseed,
                                                          pk->wleaves, *pk->wused);
                if (pk->wenc) pcs_ligero_attach_encoded(pv->wst, pk->wenc);
            } else {
                pv->wst = cnn_commit_weights(pl, pv->W, &com, NULL, pk->wcom.openings, pk->wseed);
                pcs_ligero_zk_set_used(pv->wst, *pk->wused);
            }
            bad = memcmp(pcs_ligero_root(pv->wst), pk->wcom.root, PCS_DIGEST_BYTES) != 0;
        } else if (lazy && pk->wleaves_len == pcs_ligero_leaves_bytes(pl->wnv, certified)) {
            /* the tree from the key's leaves; the weights are checked against
             * the leaves of the columns each opening sends */
            pv->wst = pcs_ligero_state_from_leaves(pv->W, pl->wnv, certified, pk->wleaves);
            if (pk->wenc) pcs_ligero_attach_encoded(pv->wst, pk->wenc);
            bad = memcmp(pcs_ligero_root(pv->wst), pk->wcom.root, PCS_DIGEST_BYTES) != 0;
        } else {
            pv->wst = cnn_commit_weights(pl, pv->W, &com, NULL, 0, NULL);
            bad = memcmp(com.root, pk->wcom.root, PCS_DIGEST_BYTES) != 0 || com.certified != pk->wcom.certified;
        }
        if (bad || pk->w_nvars != pl->wnv || certified != pk->wcom.certified || zk != pk->wcom.zk) {
            zk_set_reason("proving key: the weights do not match the key's weight commitment");
            cnn_prover_free(pv);
            return ZK_EFORMAT;
        }
    }
    pv->t_commit = cx_now() - t0;
    *out = pv;
    return ZK_OK;
}

zk_err cnn_zk_measure(const cnn_key *pk, size_t *cells) {
    cnn_prover *pv;
    *cells = 0;
    CX_TRY(cnn_prover_make(&pv, pk, 1));
    pv->count = 1;
    int64_t n = q_numel(pk->m, 0);
    int64_t *in = zk_calloc((size_t)n, sizeof *in);
    zk_buf proof;
    zk_buf_init(&proof);
    zk_err e = cnn_prover_prove(pv, &proof, in, NULL, NULL);
    *cells = pv->used;
    zk_buf_free(&proof);
    free(in);
    cnn_prover_free(pv);
    if (e) {
        char why[200];
        snprintf(why, sizeof why, "%s", zk_reason());
        zk_set_reason("measuring the zero-knowledge mask pool (a proof of the all-zero input): %s", why);
    }
    return e;
}

zk_err cnn_prover_new(cnn_prover **out, const cnn_key *pk) { return cnn_prover_make(out, pk, 0); }
zk_err cnn_prover_new_lazy(cnn_prover **out, const cnn_key *pk) { return cnn_prover_make(out, pk, 1); }

void cnn_prover_free(cnn_prover *pv) {
    if (!pv) return;
    if (pv->wst) cnn_weights_scheme(pv->pl)->state_free(pv->wst);
    OPENSSL_cleanse(pv->seed, sizeof pv->seed);
    if (pv->W) OPENSSL_cleanse(pv->W, ((size_t)1 << pv->pl->wnv) * sizeof *pv->W); /* the weights are the key's secret */
    free(pv->W);
    pl_free(pv->pl);
    free(pv);
}

zk_err cnn_prover_prove(cnn_prover *pv, zk_buf *proof, const int64_t *input_q, q_witness **wit_out, cnn_stats *st) {
    const q_model *m = pv->pk->m;
    const pl_plan *pl = pv->pl;
    double t_start = cx_now(), t0 = t_start;
    cx c = {.P = 1, .m = m, .pl = pl, .W = pv->W, .st = st};
    c.z = (cx_zk){.on = m->s.zk_mc != 0, .count = pv->count, .mc = (unsigned)m->s.zk_mc};
    if (st) {
        memset(st, 0, sizeof *st);
        st->w_slot = -1;
    }
    if (pl->wpad >= 0 && !pv->count) { /* a hiding W: this proof's mask slot (protocol.md sec. 9.5) */
        const cnn_key *pk = pv->pk;
        unsigned slot = pcs_ligero_zk_used(pv->wst);
        if (*pk->wused > slot) slot = *pk->wused; /* another prover of this key went further */
        if (slot >= pk->wcom.openings) {
            zk_set_reason("the weight commitment's opening budget (%u) is used up; run setup again", pk->wcom.openings);
            return ZK_EINPUT;
        }
        CX_TRY(cnn_weights_slot_take(pk->wcom.root, slot));
        pcs_ligero_zk_set_used(pv->wst, slot);
        *pk->wused = slot + 1;
        if (st) st->w_slot = slot;
    }
    q_witness *w;
    CX_TRY(q_run(&w, m, input_q));
    if (cnn_hook) cnn_hook(cnn_hook_ctx, m, w);
    c.w = w;
    c.tv = zk_calloc(m->ntensors, sizeof *c.tv);
    for (size_t t = 0; t < m->ntensors; t++) c.tv[t] = tensor_fm61(m, pl, (int32_t)t, w->t[t]);
    c.tc = zk_calloc(m->ntensors, sizeof *c.tc);
    c.rc = zk_calloc(pl->nreg, sizeof *c.rc);
    c.ADV = pl_adv(pl, w);
    if (pl->zk_pad >= 0) /* protocol.md sec. 9.5: cells no claim reads, at random */
        zsc_random_cells(c.ADV + pl->reg[pl->zk_pad].off, (size_t)1 << PL_ZK_PAD_NV, NULL);
    if (cnn_advh) cnn_advh(cnn_advh_ctx, pl, c.ADV);
    if (st) st->t[CNN_PH_WITNESS] = cx_now() - t0;
    size_t start = proof->len;
    c.tr = tr_new_prover(CNN_PROTOCOL, proof);
    if (cnn_tamper) tr_set_tamper(c.tr, cnn_tamper, cnn_tamper_ctx);
    cnn_input_com ic = {.seed = pv->has_seed[0] ? pv->seed[0] : NULL}, oc = {.seed = pv->has_seed[1] ? pv->seed[1] : NULL};
    zk_err e = cnn_run(&c, pv->pk, pv->wst, w->t[0], w->t[m->output], &ic, &oc);
    if (ic.st) pcs_ligero_zk.state_free(ic.st);
    if (oc.st) pcs_ligero_zk.state_free(oc.st);
    /* a seed serves one commitment (two openings of one would give the
     * table away: protocol.md sec. 9.6): the next proof draws its own */
    prover_seed(pv, 0, NULL);
    prover_seed(pv, 1, NULL);
    tr_free(c.tr);
    pv->used = c.z.used;
    /* a lazy prover's weights vs the key's leaves (not in setup's dry run,
     * whose proof is discarded: a test hook may have changed W before it was committed) */
    if (e == ZK_OK && !pv->count && pv->wst && pcs_ligero_mismatches(pv->wst)) {
        zk_set_reason("proving key: the weights do not match the key's weight commitment");
        e = ZK_EFORMAT;
    }
    if (st) {
        double eps = c.err / CX_FIELD, rbr = c.rbr / CX_FIELD;
        cnn_openings_error(pl, c.z.on ? c.z.mc : 0, pv->pk->wcom.openings, &eps, &rbr);
        st->counted_bits = -log2(eps);
        st->rbr_bits = -log2(rbr);
        st->total = cx_now() - t_start;
        st->proof_bytes = proof->len - start;
        st->adv_cells = (size_t)1 << pl->anv;
        st->w_cells = pl->wnv ? (size_t)1 << pl->wnv : 0;
        st->lookups = (size_t)1 << pl->lnv;
    }
    if (c.z.on) { /* the witness, as far as this function made it (a returned one is the caller's) */
        zk_free_secret(c.ADV);
        c.ADV = NULL;
        for (size_t t = 0; t < m->ntensors; t++) {
            zk_free_secret(c.tv[t]);
            c.tv[t] = NULL;
        }
    }
    free(c.ADV);
    cx_free(&c);
    if (e == ZK_OK && wit_out) *wit_out = w;
    else if (c.z.on) q_witness_free_secret(w);
    else q_witness_free(w);
    return e;
}

zk_err cnn_prove(zk_buf *proof, const cnn_key *pk, const int64_t *input_q, q_witness **wit_out, cnn_stats *st) {
    double t0 = cx_now();
    cnn_prover *pv;
    CX_TRY(cnn_prover_new_lazy(&pv, pk));
    double t_new = cx_now() - t0;
    zk_err e = cnn_prover_prove(pv, proof, input_q, wit_out, st);
    if (st) { /* the weights' commitment counts in this proof */
        st->t[CNN_PH_COMMIT] += pv->t_commit;
        st->total += t_new;
    }
    cnn_prover_free(pv);
    return e;
}

static zk_err cnn_verify_core(const cnn_key *vk, const uint8_t *proof, size_t len, int64_t **input_q,
                              int64_t **output_q, uint8_t *in_root, uint8_t *out_root) {
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
    if (pl->wnv != vk->w_nvars || (pl->wnv && (pl->wpad >= 0) != vk->wcom.zk)) {
        zk_set_reason("verifying key: weight table %s disagrees with the model", pl->wnv != vk->w_nvars ? "size" : "mode");
        pl_free(pl);
        return ZK_EFORMAT;
    }
    cx c = {.P = 0, .m = m, .pl = pl};
    c.z = (cx_zk){.on = m->s.zk_mc != 0, .mc = (unsigned)m->s.zk_mc};
    c.tv = zk_calloc(m->ntensors, sizeof *c.tv);
    c.tc = zk_calloc(m->ntensors, sizeof *c.tc);
    c.rc = zk_calloc(pl->nreg, sizeof *c.rc);
    int64_t *in = zk_malloc_n((size_t)q_numel(m, 0), sizeof *in);
    int64_t *outv = zk_malloc_n((size_t)q_numel(m, m->output), sizeof *outv);
    c.tr = tr_new_verifier(CNN_PROTOCOL, proof, len);
    cnn_input_com ic, oc;
    memset(&ic, 0, sizeof ic);
    memset(&oc, 0, sizeof oc);
    e = cnn_run(&c, vk, NULL, in, outv, &ic, &oc);
    if (e == ZK_OK) {
        e = tr_finish(c.tr);
        if (e) zk_set_reason("proof has trailing bytes");
    }
    tr_free(c.tr);
    cx_free(&c);
    int priv = pl->in_chk.nl > 0;
    pl_free(pl);
    int opriv = m->s.out_vis == Q_OUT_PRIVATE;
    if (e == ZK_OK && in_root) memcpy(in_root, ic.root, PCS_DIGEST_BYTES);
    if (e == ZK_OK && out_root) memcpy(out_root, oc.root, PCS_DIGEST_BYTES);
    if (e == ZK_OK && input_q && !priv) *input_q = in;
    else {
        if (input_q) *input_q = NULL;
        free(in);
    }
    if (e == ZK_OK && output_q && !opriv) *output_q = outv;
    else {
        if (output_q) *output_q = NULL;
        free(outv);
    }
    return e;
}

zk_err cnn_verify(const cnn_key *vk, const uint8_t *proof, size_t len, int64_t **input_q, int64_t **output_q) {
    return cnn_verify_core(vk, proof, len, input_q, output_q, NULL, NULL);
}

zk_err cnn_verify_private(const cnn_key *vk, const uint8_t *proof, size_t len, int64_t **input_q,
                          int64_t **output_q, uint8_t in_root[PCS_DIGEST_BYTES], uint8_t out_root[PCS_DIGEST_BYTES]) {
    if (vk->m->s.in_vis != Q_IN_PRIVATE && vk->m->s.out_vis != Q_OUT_PRIVATE) {
        zk_set_reason("the key's input and output are not private: use cnn_verify");
        return ZK_EINPUT;
    }
    return cnn_verify_core(vk, proof, len, input_q, output_q, in_root, out_root);
}
