/* open.c -- the commitments' side of the proof: the weight commitment made
 * at setup, and the openings of W and ADV that end every proof
 * (papers/protocol.md sec. 7.1, 7.5 and 7.8.7; the Ligero commitment is
 * src/pcs, sec. 5).
 *
 * Opening a table: every region's claims are merged to one point
 * (cx_merge; a region with no claim is left out, and a table none of whose
 * regions has a claim is not opened); the region points are combined by
 * alpha <- cnn/blk/alpha (drawn even for one region) into one degree-2
 * sumcheck over the whole table, whose verifier weight is
 * sum_b alpha^b eq(r_b, z_lo) sel_b(z_hi); the table is opened at its
 * final point z: W against the key's root (certified for 2^20 entries and
 * more), ADV against the proof's.
 * Soundness: each merge and the block sumcheck (cx_merge, cx_sc_dot),
 * alpha nb - 1, and the Ligero terms (pcs_ligero.error, added by cnn.c).
 *
 * A zero-knowledge key's W (protocol.md sec. 9.5) is committed with
 * pcs_ligero_zk for a budget of openings, and has a pad region of random
 * cells (plan.h, wpad; cnn_weights_pad) that no claim reads: its block
 * weight is 0 like any region without a claim, so it changes no relation,
 * and it makes each opened W~(z) uniform (the errors: cnn_weights_error).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "../poly/mle.h"
#include "cnn_int.h"
#include "cnn_test.h"

static unsigned cnn_cert_min_vars = CNN_WEIGHT_CERT_MIN_VARS;
void cnn_set_cert_min_vars(unsigned v) { cnn_cert_min_vars = v; }
/* A hiding W is always certified: its budget of b openings gives every row
 * t = b q random coefficients (q the queries of one opening), and the
 * certified opening's q is about half the uncertified one's, at every size
 * (pcs.h; protocol.md sec. 9.5 has the sizes). */
int cnn_weights_certified(unsigned wnv, int zk) { return wnv > 0 && (zk || wnv >= cnn_cert_min_vars); }

pcs_state *cnn_commit_weights(const pl_plan *pl, const fm61 *W, pcs_commitment *com, zk_buf *cert, unsigned budget,
                              const uint8_t *seed) {
    zk_buf tmp;
    zk_buf_init(&tmp);
    tr_t *t = tr_new_prover("gkrcnn/cnn/weights", &tmp);
    int zk = pl->wpad >= 0, certified = cnn_weights_certified(pl->wnv, zk);
    pcs_state *st;
    if (zk) /* "pcs/root", then the budget (4 bytes) */
        st = pcs_ligero_zk_commit(t, cert, W, pl->wnv, certified, budget, seed);
    else
        st = certified ? pcs_ligero.commit_certified(t, cert, W, pl->wnv) : pcs_ligero.commit(t, W, pl->wnv);
    ZK_CHECK(tmp.len == PCS_DIGEST_BYTES + (zk ? 4u : 0u));
    *com = (pcs_commitment){.nvars = pl->wnv, .certified = certified, .zk = zk, .openings = zk ? budget : 0};
    memcpy(com->root, tmp.data, PCS_DIGEST_BYTES);
    tr_free(t);
    zk_buf_free(&tmp);
    return st;
}

void cnn_seed_cells(fm61 *out, size_t n, const char *label, const uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES]) {
    size_t ll = strlen(label);
    ZK_CHECK(ll <= 32);
    uint8_t in[32 + PCS_LIGERO_ZK_SEED_BYTES + 8], h[SHA256_DIGEST_LENGTH];
    memcpy(in, label, ll);
    memcpy(in + ll, seed, PCS_LIGERO_ZK_SEED_BYTES);
    uint8_t *ix = in + ll + PCS_LIGERO_ZK_SEED_BYTES;
    size_t len = ll + PCS_LIGERO_ZK_SEED_BYTES + 8;
    for (uint32_t i = 0; i < (uint32_t)n; i++) {
        uint64_t v = FM61_P;
        for (uint32_t ctr = 0; v >= FM61_P; ctr++) { /* 61 bits of SHA-256(label || seed || u32 i || u32 ctr), p drawn again */
            zk_store_le64(ix, (uint64_t)i | (uint64_t)ctr << 32);
            SHA256(in, len, h);
            v = zk_load_le64(h) & FM61_P;
        }
        out[i] = v;
    }
    OPENSSL_cleanse(in, sizeof in);
    OPENSSL_cleanse(h, sizeof h);
}

void cnn_weights_pad(const pl_plan *pl, fm61 *W, const uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES]) {
    if (pl->wpad < 0) return;
    const pl_region *rg = &pl->reg[pl->wpad];
    cnn_seed_cells(W + rg->off, (size_t)1 << rg->nv, "gkrcnn/cnn/wpad", seed);
}

const pcs_scheme *cnn_weights_scheme(const pl_plan *pl) { return pl->wpad >= 0 ? &pcs_ligero_zk : &pcs_ligero; }

double cnn_weights_error(const pl_plan *pl, unsigned budget) {
    int certified = cnn_weights_certified(pl->wnv, pl->wpad >= 0);
    return pl->wpad >= 0 ? pcs_ligero_zk_error(pl->wnv, certified, budget) : pcs_ligero.error(pl->wnv, certified);
}

double cnn_weights_rbr_error(const pl_plan *pl, unsigned budget) {
    int zk = pl->wpad >= 0, certified = cnn_weights_certified(pl->wnv, zk);
    double e = zk ? pcs_ligero_zk_rbr_error(pl->wnv, certified, budget) : pcs_ligero.rbr_error(pl->wnv, certified);
    if (certified) { /* the key's certificate has rounds of its own, ground once at setup: gamma (K/|F|) and its 711
                      * queries at proximity 1/10 as a whole (pcs.h; the schemes' rbr_error leave them out) */
        pcs_ligero_params p = zk ? pcs_ligero_zk_params_for(pl->wnv, 1, budget) : pcs_ligero_params_for(pl->wnv, 1);
        double K = ldexp(1.0, (int)(p.log_cols + p.log_inv_rate));
        e = fmax(e, fmax(K / CX_FIELD, pow(9.0 / 10.0, PCS_LIGERO_CERT_QUERIES)));
    }
    return e;
}

zk_err cnn_read_once(tr_t *tr, const pcs_scheme *S, pcs_commitment *com, unsigned n) {
    zk_err e = S->read_commitment(tr, com, n);
    if (e == ZK_OK && com->zk && com->openings != 1) {
        zk_set_reason("a proof's own hiding commitment names a budget of %u openings, not 1", com->openings);
        e = ZK_EPROOF;
    }
    return e;
}

double cnn_once_error(int zk, unsigned n) { return zk ? pcs_ligero_zk_error(n, 0, 1) : pcs_ligero.error(n, 0); }
double cnn_once_rbr_error(int zk, unsigned n) { return zk ? pcs_ligero_zk_rbr_error(n, 0, 1) : pcs_ligero.rbr_error(n, 0); }

void cnn_openings_error(const pl_plan *pl, unsigned mc, unsigned wb, double *eps, double *rbr) {
    const q_model *m = pl->m;
    int zk = mc != 0;
    unsigned n[4] = {pl->anv, mc + 1, pl->tnv[0] + 1, pl->tnv[m->output] + 1}; /* ADV, M, input, output */
    int on[4] = {1, zk, zk && pl->in_chk.nl, zk && m->s.out_vis == Q_OUT_PRIVATE};
    if (pl->wnv) {
        *eps += cnn_weights_error(pl, wb);
        *rbr = fmax(*rbr, cnn_weights_rbr_error(pl, wb));
    }
    for (int i = 0; i < 4; i++)
        if (on[i]) {
            *eps += cnn_once_error(zk, n[i]);
            *rbr = fmax(*rbr, cnn_once_rbr_error(zk, n[i]));
        }
}

/* All region claims of one table -> one point -> opening. */
zk_err cx_open(cx *c, int poly, unsigned nv, const pcs_scheme *S, const pcs_state *st, const pcs_commitment *com) {
    const pl_plan *pl = c->pl;
    const fm61 *T = poly == PL_W ? c->W : c->ADV;
    /* merge per region, then combine the region points as block claims */
    size_t nb = 0;
    fp2 **bpt = zk_calloc(pl->nreg, sizeof *bpt);
    cx_v *bval = zk_calloc(pl->nreg, sizeof *bval);
    int *breg = zk_calloc(pl->nreg, sizeof *breg);
    zk_err e = ZK_OK;
    for (size_t r = 0; r < pl->nreg && e == ZK_OK; r++) {
        if (pl->reg[r].poly != poly) continue;
        fp2 *pt;
        cx_v val;
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
    double t0 = cx_now();
    fp2 *z = NULL, zval = fp2_zero();
    if (e == ZK_OK && nb) {
        fp2 alpha = tr_challenge(c->tr, "cnn/blk/alpha");
        cx_chal(c, (double)(nb - 1));
        size_t N = (size_t)1 << nv;
        fp2 *tabs[1] = {NULL};
        fp2 *cf = zk_malloc_n(nb, sizeof *cf), coef = fp2_one();
        cx_v sum = cx_v_of(fp2_zero());
        /* the regions are disjoint blocks: each written once, the rest zeroed */
        uint8_t *cov = NULL;
        if (c->P) {
            tabs[0] = zk_malloc_n(N, sizeof(fp2));
            cov = zk_calloc(pl->nreg, 1);
        }
        for (size_t b = 0; b < nb; b++) {
            cf[b] = coef;
            const pl_region *rg = &pl->reg[breg[b]];
            if (c->P) {
                mle_eq_table_scaled(tabs[0] + rg->off, bpt[b], rg->nv, coef);
                cov[breg[b]] = 1;
            }
            sum = cx_v_add(c, sum, cx_v_scale(c, bval[b], coef));
            coef = fp2_mul(coef, alpha);
        }
        if (c->P) { /* zero what no written block covers: the other regions' blocks and the tail */
            uint64_t end = 0;
            for (size_t r = 0; r < pl->nreg; r++) {
                const pl_region *rg = &pl->reg[r];
                if (rg->poly != poly) continue;
                uint64_t e1 = rg->off + ((uint64_t)1 << rg->nv);
                if (e1 > end) end = e1;
                if (!cov[r]) memset(tabs[0] + rg->off, 0, ((size_t)1 << rg->nv) * sizeof(fp2));
            }
            if (end < N) memset(tabs[0] + end, 0, (N - end) * sizeof(fp2));
            free(cov);
        }
        vp_term term = {.c = fp2_one(), .k = 2, .t = {0, 1}};
        fp2 vals[2], red;
        e = cx_sc_dot(c, tabs[0], T, nv, sum, &z, &red, vals, NULL);
        free(tabs[0]);
        if (e == ZK_OK) {
            fp2 w = fp2_zero();
            for (size_t b = 0; b < nb && !c->P; b++) {
                const pl_region *rg = &pl->reg[breg[b]];
                fp2 s = fp2_mul(mle_eq_eval(bpt[b], z, rg->nv), cx_sel_eval(rg->off >> rg->nv, z, rg->nv, nv));
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
        if (c->P) {
            if (!c->z.count) S->open(c->tr, st, z); /* a dry run (cx_zk.count) opens nothing */
        }
        else {
            e = S->verify(c->tr, com, z, zval);
            if (e == ZK_EPROOF) {
                char why[160];
                snprintf(why, sizeof why, "%s", zk_reason());
                zk_set_reason("%s commitment opening: %s", poly == PL_W ? "weight" : "auxiliary", why);
            }
        }
    }
    if (c->st) c->st->t[CNN_PH_OPEN] += cx_now() - t0;
    free(bpt);
    free(bval);
    free(breg);
    return e;
}
