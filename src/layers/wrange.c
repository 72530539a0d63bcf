/* wrange.c -- the weight-range certificate: setup proves, once, that every
 * entry of the committed weight table W lies in its declared integer
 * range, and loading a verifying key checks it (papers/protocol.md sec.
 * 7.1.1; the key bytes are sec. 7.8.1).
 *
 * Relation. W (2^wnv entries, the weight commitment's table, laid out by
 * the model's plan) is covered by the plan's W regions, each an aligned
 * block of 2^nv entries, and by the tail blocks after the last region.
 * Every entry of a region's block (its padding included) is a b-bit two's
 * complement integer, w in [-2^(b-1), 2^(b-1)), with b = q_const_bits of
 * the constant it holds (quant.h: b_w for weights, acc_bits + 1 for biases,
 * Affine shifts and Add/Sub constants, b_act for a Concat constant); every
 * tail entry is 0.
 *
 * Sub-protocol (its own transcript CNN_WRANGE_PROTOCOL): absorb the circuit
 * digest (wr/digest: skeleton, wnv, W's root); the prover commits to C,
 * its table of limbs and multiplicities (pcs/root); if W has a tail,
 * z <- wr/tail and every tail block gets the claim W_block(z) = 0; the
 * logUp of lookup.c on the columns below (cx_lookup); for a limbed region
 * the claim W_reg(r) = sum_j 2^(lb j) L_j(r) - 2^(b-1) at the lookup's
 * point r; the openings of open.c: W against the key's root, then C
 * against the certificate's (cx_open). Columns, with the table [0, 2^lb):
 *   b <= lb: w + 2^(b-1), and for b < lb also 2^(lb-b) (w + 2^(b-1)),
 *            straight on the W region (public constant offsets, pl_col.coff);
 *   b > lb:  w + 2^(b-1) = sum_j 2^(lb j) L_j, limbs L_j in C (a quantity
 *            of b bits, pl_qty_new), b <= 60 so the sum does not wrap.
 * lb in 8..16 gives the fewest lookup leaves, then the smallest C, then
 * the widest limbs, as for a proof's plan.
 * A zero-knowledge key (protocol.md sec. 9.5, 9.8): W's pad region is left
 * out (a W region of the certificate's plan without column or claim, so
 * unconstrained; the tail starts after it), W's opening is a hiding one
 * (slot 0 of W's budget), C is committed hiding (budget 1) with a pad
 * region of 2^6 random cells (zk_pad), and the certificate runs the CNN
 * proof's zero-knowledge mode with a mask pool of its own: the prover
 * measures it by a dry run and sends zk_mc (wr/zk/mc, u32), commits the
 * mask table M = [C ; D] hiding after C, and ends with the masks' batch
 * and M's opening (cx_zk_finish).
 * Soundness: the ledger of cx.h (the lookup, the tail's vector challenge
 * sum of its blocks' nv, each limb identity nv, the merges and the block
 * sumchecks) plus the two Ligero openings; wr_bound_bits bounds it from
 * the plan (over-counting), and setup refuses a bound below
 * CNN_MIN_SOUNDNESS_BITS.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cnn_int.h"
#include "cnn_test.h"

/* A quantity of b bits must not wrap: its limbs add up to less than 2^b <= 2^60 < p. */
#define WR_MAX_BITS 60

static cnn_adv_hook wr_whook, wr_chook;
static void *wr_whook_ctx, *wr_chook_ctx;
void cnn_set_weights_hook(cnn_adv_hook fn, void *ctx) {
    wr_whook = fn;
    wr_whook_ctx = ctx;
}
void cnn_set_wrange_hook(cnn_adv_hook fn, void *ctx) {
    wr_chook = fn;
    wr_chook_ctx = ctx;
}
void cnn_weights_hook_run(const pl_plan *pl, fm61 *W) {
    if (wr_whook) wr_whook(wr_whook_ctx, pl, W);
}

/* The certificate's plan: its W regions are the model plan's (same
 * offsets, len = 2^nv), then the tail blocks; its ADV is C. */
typedef struct {
    pl_plan *pl;
    size_t nw;   /* the model plan's W regions, in its order: */
    int *reg;    /* their index in pl */
    int *bits;   /* their range: [-2^(bits-1), 2^(bits-1)) */
    pl_qty *q;   /* their limbs in C (nl = 0: columns on W itself) */
    size_t nt;   /* the tail blocks (regions of pl), proven 0 */
    int *tail;
} wr_plan;

static void wr_plan_free(wr_plan *w) {
    pl_free(w->pl);
    free(w->reg);
    free(w->bits);
    free(w->q);
    free(w->tail);
    memset(w, 0, sizeof *w);
}

/* The range of the model plan's W region r (the constant it holds). */
static int wr_region_bits(const pl_plan *mp, size_t r) {
    const pl_region *rg = &mp->reg[r];
    ZK_CHECK(rg->poly == PL_W && rg->node >= 0);
    const pl_node *pn = &mp->node[rg->node];
    const q_node *nd = &mp->m->nodes[rg->node];
    if ((int)r == pn->breg) return q_const_bits(mp->m, nd, 1);
    ZK_CHECK((int)r == pn->creg || (pn->wreg >= 0 && (int)r >= pn->wreg && (int64_t)r < pn->wreg + pn->K));
    return q_const_bits(mp->m, nd, 0);
}

static zk_err wr_plan_lb(wr_plan *w, const pl_plan *mp, unsigned lb) {
    memset(w, 0, sizeof *w);
    pl_plan *p = w->pl = zk_calloc(1, sizeof *p);
    p->m = mp->m;
    p->lb = lb;
    p->zk_pad = -1; /* a zk key's: after the layout's other regions (below) */
    p->wpad = -1;
    p->wnv = mp->wnv;
    size_t n = 0;
    for (size_t r = 0; r < mp->nreg; r++) n += mp->reg[r].poly == PL_W; /* (the pad counted: an upper bound) */
    w->reg = zk_calloc(n ? n : 1, sizeof *w->reg);
    w->bits = zk_calloc(n ? n : 1, sizeof *w->bits);
    w->q = zk_calloc(n ? n : 1, sizeof *w->q);
    uint64_t end = 0, N = (uint64_t)1 << mp->wnv;
    for (size_t r = 0; r < mp->nreg; r++) {
        const pl_region *rg = &mp->reg[r];
        if (rg->poly != PL_W) continue;
        if ((int)r == mp->wpad) { /* a zk key's W pad: a region without claims (zero weight in the opening), no range */
            p->cur = -1;
            int g = pl_add_region(p, PL_W, rg->nv, (int64_t)1 << rg->nv);
            p->reg[g].off = rg->off;
            if (rg->off + ((uint64_t)1 << rg->nv) > end) end = rg->off + ((uint64_t)1 << rg->nv);
            continue;
        }
        int b = wr_region_bits(mp, r);
        if (b < 1 || b > WR_MAX_BITS) {
            zk_set_reason("node %s: its constants' range of %d bits cannot be certified", mp->m->nodes[rg->node].name, b);
            return ZK_EINPUT;
        }
        size_t i = w->nw++;
        p->cur = rg->node;
        int g = w->reg[i] = pl_add_region(p, PL_W, rg->nv, (int64_t)1 << rg->nv);
        p->reg[g].off = rg->off;
        w->bits[i] = b;
        if (b <= (int)lb) {
            pl_add_col_const(p, g, 1, (int64_t)1 << (b - 1));
            if (b < (int)lb) pl_add_col_const(p, g, (int64_t)1 << (lb - (unsigned)b), (int64_t)1 << (lb - 1));
        } else {
            w->q[i] = pl_qty_new(p, b, rg->nv, (int64_t)1 << rg->nv);
        }
        if (rg->off + ((uint64_t)1 << rg->nv) > end) end = rg->off + ((uint64_t)1 << rg->nv);
    }
    p->cur = -1;
    /* the tail [end, 2^wnv) in aligned blocks, each as large as its offset allows */
    for (uint64_t at = end; at < N;) {
        unsigned v = (unsigned)__builtin_ctzll(at);
        while (at + ((uint64_t)1 << v) > N) v--;
        w->tail = zk_realloc_n(w->tail, w->nt + 1, sizeof *w->tail);
        int g = w->tail[w->nt++] = pl_add_region(p, PL_W, v, (int64_t)1 << v);
        p->reg[g].off = at;
        at += (uint64_t)1 << v;
    }
    p->mreg = pl_add_region(p, PL_ADV, lb, (int64_t)1 << lb);
    if (mp->wpad >= 0) p->zk_pad = pl_add_region(p, PL_ADV, PL_ZK_PAD_NV, (int64_t)1 << PL_ZK_PAD_NV);
    return pl_layout(p, 0);
}

/* The limb width with the fewest lookup leaves, then the smallest C, then
 * the widest (as pl_build chooses a proof's). */
static zk_err wr_plan_build(wr_plan *out, const pl_plan *mp) {
    wr_plan best = {0};
    char why[256] = "";
    for (unsigned lb = PL_LB_MAX; lb >= PL_LB_MIN; lb--) {
        wr_plan w;
        if (wr_plan_lb(&w, mp, lb) != ZK_OK) {
            if (!why[0]) snprintf(why, sizeof why, "%s", zk_reason());
            wr_plan_free(&w);
            continue;
        }
        if (!best.pl || w.pl->lnv < best.pl->lnv || (w.pl->lnv == best.pl->lnv && w.pl->anv < best.pl->anv)) {
            wr_plan_free(&best);
            best = w;
        } else {
            wr_plan_free(&w);
        }
    }
    if (!best.pl) {
        zk_set_reason("weight range: %s", why);
        return ZK_EINPUT;
    }
    *out = best;
    return ZK_OK;
}

/* Prover: C, the limbs of every limbed region and the multiplicities. */
static fm61 *wr_adv(const wr_plan *w, const fm61 *W) {
    const pl_plan *p = w->pl;
    fm61 *C = zk_calloc((size_t)1 << p->anv, sizeof *C);
    for (size_t i = 0; i < w->nw; i++) {
        if (!w->q[i].nl) continue;
        const pl_region *rg = &p->reg[w->reg[i]];
        fm61 half = fm61_from_i64((int64_t)1 << (w->bits[i] - 1));
        for (size_t k = 0; k < ((size_t)1 << rg->nv); k++) pl_qty_put(C, p, &w->q[i], (int64_t)k, fm61_add(W[rg->off + k], half));
    }
    pl_count_range(p, W, C);
    return C;
}

/* The certificate, both roles: prover wst (W's state), verifier wcom (W's
 * commitment, certified iff the key's proximity certificate was accepted).
 * zk: W is hiding (a zero-knowledge key): its opening is a hiding one (a
 * slot of its budget), and C is committed hiding too (budget 1). */
static zk_err wr_run(cx *c, const wr_plan *w, const uint8_t digest[32], const pcs_state *wst, const pcs_commitment *wcom,
                     int zk) {
    const pl_plan *p = w->pl;
    const pcs_scheme *WS = zk ? &pcs_ligero_zk : &pcs_ligero;
    tr_absorb(c->tr, "wr/digest", digest, 32);
    pcs_state *cst = NULL;
    pcs_commitment ccom;
    if (c->P) cst = c->z.count ? NULL : WS->commit(c->tr, c->ADV, p->anv);
    else CX_TRY(cnn_read_once(c->tr, WS, &ccom, p->anv));
    pcs_state *mst = NULL; /* zk: the mask table's (cx.h), after its size */
    pcs_commitment mcom;
    if (c->z.on && !c->z.count) {
        uint8_t mcb[4];
        if (c->P) {
            for (int k = 0; k < 4; k++) mcb[k] = (uint8_t)(c->z.mc >> (8 * k));
            tr_put_bytes(c->tr, "wr/zk/mc", mcb, 4);
        } else {
            CX_TRY(tr_get_bytes(c->tr, "wr/zk/mc", mcb, 4));
            uint32_t mc = (uint32_t)mcb[0] | (uint32_t)mcb[1] << 8 | (uint32_t)mcb[2] << 16 | (uint32_t)mcb[3] << 24;
            if (mc < 1 || mc > Q_ZK_MAX_MC) {
                zk_set_reason("weight-range certificate: mask pool 2^%u outside 2^1..2^%d", mc, Q_ZK_MAX_MC);
                return ZK_EFORMAT;
            }
            c->z.mc = mc;
        }
    }
    CX_TRY(cx_zk_commit(c, &mst, &mcom));
    if (w->nt) { /* W is 0 beyond its regions: W_block(z) = 0 for each tail block */
        fp2 *z = cx_pt(c, p->wnv);
        tr_challenges(c->tr, "wr/tail", z, p->wnv);
        double deg = 0;
        for (size_t t = 0; t < w->nt; t++) {
            deg += p->reg[w->tail[t]].nv;
            cx_claim_region(c, w->tail[t], z, cx_v_of(fp2_zero()), NULL);
        }
        cx_chal(c, deg);
    }
    zk_err e = cx_lookup(c);
    /* a limbed region: W_reg + 2^(b-1) = sum_j 2^(lb j) L_j at the lookup's
     * point, from the limb values its leaves sent (each limb's one claim) */
    double J = 0;
    for (size_t i = 0; i < w->nw && e == ZK_OK; i++) {
        const pl_qty *q = &w->q[i];
        if (!q->nl) continue;
        cx_v val = cx_v_of(fp2_neg(cx_int((int64_t)1 << (w->bits[i] - 1))));
        for (int j = 0; j < q->nl; j++) {
            const claims *l = &c->rc[q->reg[j]];
            ZK_CHECK(l->n == 1 && l->v[0].pt == c->rc[q->reg[0]].v[0].pt);
            val = cx_v_add(c, val, cx_v_scale(c, l->v[0].val, cx_pow2((int)p->lb * j)));
        }
        cx_claim_region(c, w->reg[i], c->rc[q->reg[0]].v[0].pt, val, NULL);
        c->err += p->reg[w->reg[i]].nv; /* the identity, multilinear, at a point drawn after W and C */
        J++;
    }
    if (J > 0) c->rbr = fmax(c->rbr, 3 + J + 1); /* each of the point's rounds also avoids the J identities */
    if (e == ZK_OK) e = cx_open(c, PL_W, p->wnv, WS, wst, wcom);
    if (e == ZK_OK) e = cx_open(c, PL_ADV, p->anv, WS, cst, &ccom);
    if (e == ZK_OK) e = cx_zk_finish(c, mst, &mcom);
    if (cst) WS->state_free(cst);
    cx_zk_release(c, mst);
    return e;
}

/* A zero-knowledge certificate's mask pool, 2^mc cells: a dry run of the
 * prover (cx_zk.count, nothing opened) on a transcript thrown away; the
 * pool's use depends on the plan only, so W and C may be NULL (zeros). */
static zk_err wr_pool_mc(const wr_plan *w, const uint8_t digest[32], const fm61 *W, const fm61 *C, unsigned *mc) {
    const pl_plan *p = w->pl;
    fm61 *W0 = W ? NULL : zk_calloc((size_t)1 << p->wnv, sizeof *W0), *C0 = C ? NULL : zk_calloc((size_t)1 << p->anv, sizeof *C0);
    uint8_t dg[32] = {0};
    zk_buf tmp;
    zk_buf_init(&tmp);
    cx d = {.P = 1, .m = p->m, .pl = p, .W = W ? (fm61 *)W : W0, .ADV = C ? (fm61 *)C : C0, .z = {.on = 1, .count = 1}};
    d.rc = zk_calloc(p->nreg, sizeof *d.rc);
    d.tr = tr_new_prover(CNN_WRANGE_PROTOCOL, &tmp);
    zk_err e = wr_run(&d, w, digest ? digest : dg, NULL, NULL, 1);
    for (*mc = 1; ((size_t)1 << *mc) < d.z.used; (*mc)++) {}
    tr_free(d.tr);
    cx_free(&d);
    zk_buf_free(&tmp);
    free(W0);
    free(C0);
    if (e == ZK_OK && *mc > Q_ZK_MAX_MC) {
        zk_set_reason("weight-range certificate: the masks need 2^%u cells, more than 2^%d", *mc, Q_ZK_MAX_MC);
        e = ZK_EINPUT;
    }
    return e;
}

/* -log2 of the plan's bound on the certificate's error (interactive,
 * over-counted as cnn_soundness_bits does): LT^2 lookup rounds, 2 nv
 * rounds and nv identity variables per region, 2 (wnv + anv) block
 * rounds (each round degree <= 3); lambda, mu per lookup layer, one alpha
 * per region; the logUp identity; the Ligero openings of W and C (hiding
 * ones for a zk key's hiding W, budget wb; C's: one opening, cnn_read_once). */
static double wr_bound_bits(const wr_plan *w, const pl_plan *mp, unsigned wb) {
    const pl_plan *p = w->pl;
    unsigned LT = p->lnv + (p->lu_two ? 1 : 0);
    double rounds = (double)LT * LT + 2.0 * (p->wnv + p->anv), ids = 2.0 * LT + (double)p->nreg;
    for (size_t r = 0; r < p->nreg; r++) {
        rounds += 2.0 * p->reg[r].nv;
        ids += p->reg[r].nv;
    }
    double one = ldexp(1.0, (int)p->lnv);
    double lu = p->lu_two ? one / CX_FIELD * one + 1.0 : one;
    double eps = (3.0 * rounds + ids + lu) / CX_FIELD + cnn_weights_error(mp, wb) + cnn_once_error(mp->wpad >= 0, p->anv);
    if (mp->wpad >= 0) { /* the zk mode (sec. 9.5, 9.8) with the pool an honest prover measures: per mask
                          * (at most 2^mc / 4) its rho and at most 5 more in a last round, the batch, M's opening */
        unsigned mc;
        if (wr_pool_mc(w, NULL, NULL, NULL, &mc) != ZK_OK) return 0;
        double pool = ldexp(1.0, (int)mc);
        eps += (6.0 * pool / 4 + 3.0 + 2.0 * mc) / CX_FIELD + cnn_once_error(1, mc + 1);
    }
    return -log2(eps);
}

zk_err cnn_wrange_prove(zk_buf *cert, const pl_plan *mp, const fm61 *W, const pcs_state *wst, const uint8_t digest[32]) {
    wr_plan w;
    CX_TRY(wr_plan_build(&w, mp));
    fm61 *C = wr_adv(&w, W);
    if (wr_chook) wr_chook(wr_chook_ctx, w.pl, C);
    int zk = mp->wpad >= 0;
    if (zk) zsc_random_cells(C + w.pl->reg[w.pl->zk_pad].off, (size_t)1 << PL_ZK_PAD_NV, NULL);
    zk_err e = ZK_OK;
    unsigned mc = 0;
    if (zk) e = wr_pool_mc(&w, digest, W, C, &mc);
    cx c = {.P = 1, .m = mp->m, .pl = w.pl, .W = (fm61 *)W, .ADV = C, .z = {.on = zk, .mc = mc}};
    c.rc = zk_calloc(w.pl->nreg, sizeof *c.rc);
    c.tr = tr_new_prover(CNN_WRANGE_PROTOCOL, cert);
    if (e == ZK_OK) e = wr_run(&c, &w, digest, wst, NULL, zk);
    tr_free(c.tr);
    cx_free(&c);
    OPENSSL_cleanse(C, ((size_t)1 << w.pl->anv) * sizeof *C);
    free(C);
    wr_plan_free(&w);
    return e;
}

zk_err cnn_wrange_verify(const cnn_key *vk, const pl_plan *mp, double *counted_bits, double *rbr_bits) {
    wr_plan w;
    CX_TRY(wr_plan_build(&w, mp));
    int zk = mp->wpad >= 0;
    cx c = {.P = 0, .m = vk->m, .pl = w.pl, .z = {.on = zk}};
    c.rc = zk_calloc(w.pl->nreg, sizeof *c.rc);
    c.tr = tr_new_verifier(CNN_WRANGE_PROTOCOL, vk->wrange, vk->wrange_len);
    zk_err e = ZK_OK;
    if (zk != vk->wcom.zk) {
        zk_set_reason("the weight commitment's mode disagrees with the model's zero-knowledge setting");
        e = ZK_EFORMAT;
    }
    if (e == ZK_OK) e = wr_run(&c, &w, vk->digest, NULL, &vk->wcom, zk);
    if (e == ZK_OK && (e = tr_finish(c.tr)) != ZK_OK) zk_set_reason("trailing bytes");
    double we = cnn_weights_error(mp, vk->wcom.openings);
    double me = zk ? cnn_once_error(1, c.z.mc + 1) : 0, mr = zk ? cnn_once_rbr_error(1, c.z.mc + 1) : 0;
    if (counted_bits) *counted_bits = -log2(c.err / CX_FIELD + we + cnn_once_error(zk, w.pl->anv) + me);
    if (rbr_bits)
        *rbr_bits = -log2(fmax(fmax(fmax(c.rbr / CX_FIELD, cnn_weights_rbr_error(mp, vk->wcom.openings)),
                                    cnn_once_rbr_error(zk, w.pl->anv)),
                               mr));
    tr_free(c.tr);
    cx_free(&c);
    wr_plan_free(&w);
    return e;
}

double cnn_wrange_plan_bits(const pl_plan *mp, unsigned wb) {
    wr_plan w;
    if (!mp->wnv || wr_plan_build(&w, mp) != ZK_OK) return 0;
    double b = wr_bound_bits(&w, mp, wb);
    wr_plan_free(&w);
    return b;
}
