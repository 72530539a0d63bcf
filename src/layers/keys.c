/* keys.c -- setup, the circuit digest, the key files and the soundness
 * bounds computed from the plan (papers/protocol.md sec. 6, 7.1, 7.1.1,
 * 7.6 and 7.8.1). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "cnn_int.h"
#include "cnn_test.h"
#include "layers.h"

void cnn_digest(uint8_t out[32], const q_model *m, unsigned wnv, const pcs_commitment *wcom) {
    zk_buf b;
    zk_buf_init(&b);
    zk_buf_put(&b, CNN_PROTOCOL, strlen(CNN_PROTOCOL));
    q_model_serialize_skeleton(&b, m);
    zk_buf_put_u32(&b, wnv);
    zk_buf_put(&b, wcom->root, sizeof wcom->root);
    if (wcom->zk) zk_buf_put_u32(&b, wcom->openings); /* a hiding W's budget (its parameters) */
    SHA256(b.data, b.len, out);
    zk_buf_free(&b);
}

void cnn_key_free(cnn_key *k) {
    if (!k) return;
    q_model_free(k->m);
    free(k->wcert);
    free(k->wleaves);
    if (k->wenc_map_len) munmap(k->wenc_buf, k->wenc_map_len);
    else zk_free_secret(k->wenc_buf); /* a hiding W's: its masks and salts */
    free(k->wrange);
    free(k->wused);
    OPENSSL_cleanse(k->wseed, sizeof k->wseed);
    free(k);
}

/* Node i's share of the bounds below, from its entry in the layer table. */
static layer_count layer_count_of(const pl_plan *pl, size_t i) {
    layer_count n = {0, 0, 0, 0};
    const layer_kind *lk = layer_of(pl->m->nodes[i].op);
    layer_node ln = layer_node_of(pl, i);
    if (lk && lk->count) lk->count(pl, &ln, &n);
    return n;
}

/* One logUp challenge's degree (lookup.c): 2^lnv, or 3 2^lnv with pair
 * columns (gamma may merge two rows, 2 2^lnv, then X, 2^lnv). */
static double plan_lu_one(const pl_plan *pl) { return ldexp(1.0, (int)pl->lnv) * (pl->ntab ? 3 : 1); }

/* Upper bound on the soundness error of one proof, as -log2 (protocol.md
 * sec. 7.6). Rounds and identities are over-counted on purpose. wb: the
 * opening budget of a hiding W (pl->wpad >= 0). */
static double plan_soundness_bits(const pl_plan *pl, unsigned wb) {
    const q_model *m = pl->m;
    double p2 = CX_FIELD, rounds = 0, ids = 0;
    for (size_t t = 0; t < m->ntensors; t++) rounds += 4.0 * pl->tnv[t];
    for (size_t i = 0; i < m->nnodes; i++) {
        layer_count n = layer_count_of(pl, i);
        rounds += n.rounds;
        ids += n.ids;
        if (pl->node[i].ychk.nl) ids += pl->tnv[i + 1]; /* y = Y - A at the merged point */
    }
    for (size_t r = 0; r < pl->nreg; r++) rounds += 2.0 * pl->reg[r].nv;
    unsigned LT = pl->lnv + (pl->lu_two ? 1 : 0); /* lookup tree depth */
    rounds += 2.0 * (pl->wnv + pl->anv) + (double)LT * LT;
    ids += pl->tnv[m->output]; /* r0 */
    /* logUp: one challenge 2^lnv / p^2; two, combined by beta:
     * (2^lnv / p^2)^2 + 1 / p^2 (protocol.md sec. 7.4); with pair columns
     * 3 2^lnv in place of 2^lnv */
    double one = plan_lu_one(pl);
    double lu = pl->lu_two ? one / p2 * one + 1.0 : one;
    double eps = (3.0 * rounds + ids + lu) / p2, rbr = 0;
    cnn_openings_error(pl, (unsigned)m->s.zk_mc, wb, &eps, &rbr);
    if (m->s.zk_mc) { /* protocol.md sec. 9.5: the masks' rho (at most 2^mc / 4 masks of >= 4 cells), the
                       * batch (lambda, rho', 2 (mc - 1)); the openings are cnn_openings_error's, above */
        unsigned mc = (unsigned)m->s.zk_mc;
        eps += (ldexp(1.0, (int)mc - 2) + 3.0 + 2.0 * mc) / p2;
        /* sec. 9.8: per masked sumcheck (at most 2^mc / 4) a last round of
         * degree up to d + 2, or one round of degree <= 5 where it had none
         * (among them the lookup root's Q u = 1) */
        eps += 5.0 * ldexp(1.0, (int)mc - 2) / p2;
        if (pl->in_chk.nl) /* a private input: its identity at the merged point and its sumcheck (sec. 9.8 (f)) */
            eps += (pl->tnv[0] + 3.0 * (pl->tnv[0] + 1)) / p2;
        if (m->s.out_vis == Q_OUT_PRIVATE) /* a private output's sumcheck (r0 is counted above) */
            eps += 3.0 * (pl->tnv[m->output] + 1) / p2;
    }
    return -log2(eps);
}

/* A bound on the largest degree one challenge of a proof must avoid
 * (protocol.md sec. 6), over every path the plan allows: the ledger's
 * terms (cx_chal, cx_point, the sumcheck rounds) at their largest. */
static double plan_rbr_degree(const pl_plan *pl) {
    const q_model *m = pl->m;
    double d = 3 + 1 + 1, ncl = 1; /* a round with one identity at its point and a tensor check */
    for (size_t i = 0; i < m->nnodes; i++) { /* the nodes' own degrees (a max pool's) and claims */
        layer_count n = layer_count_of(pl, i);
        d = fmax(d, n.deg);
        ncl += n.claims;
    }
    ncl += (double)pl->nreg;
    if (pl->cls_m >= 0) ncl += 3; /* a class-only output's claims (cx_class) */
    d = fmax(d, ncl);                        /* a merge of m claims: m - 1 */
    d = fmax(d, (double)pl->nreg);           /* the block merges */
    d = fmax(d, (double)pl->tnv[m->output]); /* r0 */
    double one = plan_lu_one(pl);
    d = fmax(d, pl->lu_two ? one * (one / CX_FIELD) + 1 : one);
    if (m->s.zk_mc) d = fmax(d, 5.0); /* sec. 9.8: masked last rounds (<= 5) */
    return d;
}

static double plan_rbr_bits(const pl_plan *pl, unsigned wb) {
    /* (the masks' rho and the batch's challenges have degree <= 2, within the plan's degrees) */
    double e = plan_rbr_degree(pl) / CX_FIELD, eps = 0;
    cnn_openings_error(pl, (unsigned)pl->m->s.zk_mc, wb, &eps, &e);
    return -log2(e);
}

/* bits(plan of the key's model); 0 when the plan fails. */
static double key_bits(const cnn_key *k, double (*bits)(const pl_plan *, unsigned)) {
    pl_plan *pl;
    if (pl_build(&pl, k->m) != ZK_OK) return 0;
    double b = bits(pl, k->wcom.openings);
    pl_free(pl);
    return b;
}

double cnn_rbr_bits(const cnn_key *k) { return key_bits(k, plan_rbr_bits); }
double cnn_soundness_bits(const cnn_key *k) { return key_bits(k, plan_soundness_bits); }
double cnn_wrange_bits(const cnn_key *k) { return key_bits(k, cnn_wrange_plan_bits); }

/* A zero-knowledge key's mask pool (protocol.md sec. 9.5): the cells one
 * proof's sumchecks take, measured by a dry run (cnn_zk_measure), rounded
 * up to 2^zk_mc; the soundness floor is checked again with the pool's
 * terms (pl reads the model's settings). A key without the mode is left
 * alone. */
static zk_err zk_pool(cnn_key *k, const pl_plan *pl) {
    q_model *m = k->m;
    if (!m->s.zk_mc) return ZK_OK;
    size_t cells;
    CX_TRY(cnn_zk_measure(k, &cells));
    int mc = 1;
    while (((size_t)1 << mc) < cells) mc++;
    if (mc > Q_ZK_MAX_MC) {
        zk_set_reason("zero-knowledge mode: the masks need 2^%d cells, more than 2^%d", mc, Q_ZK_MAX_MC);
        return ZK_EINPUT;
    }
    m->s.zk_mc = mc;
    double bits = plan_soundness_bits(pl, k->wcom.openings);
    if (bits < CNN_MIN_SOUNDNESS_BITS) {
        zk_set_reason("zero-knowledge mode: soundness %.1f bits is below %d", bits, CNN_MIN_SOUNDNESS_BITS);
        return ZK_EINPUT;
    }
    return ZK_OK;
}

/* The weight commitment's Ligero shape: hiding (budget b) or plain. */
static pcs_ligero_params key_wparams(unsigned wnv, int zkw, int certified, unsigned b) {
    return zkw ? pcs_ligero_zk_params_for(wnv, certified, b) : pcs_ligero_params_for(wnv, certified);
}

zk_err cnn_setup(cnn_key **out, q_model *m) { return cnn_setup_zk(out, m, CNN_WEIGHT_ZK_DEFAULT_OPENINGS); }

zk_err cnn_setup_zk(cnn_key **out, q_model *m, unsigned wb) {
    pl_plan *pl;
    /* validated again under the final settings: a caller may have chosen the
     * zero-knowledge mode after quantizing, and a zk key's acc_bits is the
     * public width (q_model_validate) */
    zk_err e = q_model_validate(m);
    if (e == ZK_OK) e = q_model_check_ranges(m);
    if (e || (e = pl_build(&pl, m))) {
        q_model_free(m);
        return e;
    }
    int zkw = pl->wpad >= 0; /* a zero-knowledge key with weights: W hiding, budget wb */
    if (zkw && (wb < 1 || wb > PCS_LIGERO_ZK_MAX_OPENINGS)) {
        zk_set_reason("the weight commitment's opening budget %u is outside 1..%d", wb, PCS_LIGERO_ZK_MAX_OPENINGS);
        pl_free(pl);
        q_model_free(m);
        return ZK_EINPUT;
    }
    if (!zkw) wb = 0;
    double bits = plan_soundness_bits(pl, wb), rbits = pl->wnv ? cnn_wrange_plan_bits(pl, wb) : INFINITY;
    if (bits < CNN_MIN_SOUNDNESS_BITS || rbits < CNN_MIN_SOUNDNESS_BITS) {
        if (bits < CNN_MIN_SOUNDNESS_BITS)
            zk_set_reason("the model needs 2^%u lookups: soundness %.1f bits is below %d", pl->lnv, bits,
                          CNN_MIN_SOUNDNESS_BITS);
        else if (rbits > 0)
            zk_set_reason("the weight-range certificate's soundness %.1f bits is below %d", rbits, CNN_MIN_SOUNDNESS_BITS);
        pl_free(pl);
        q_model_free(m);
        return ZK_EINPUT;
    }
    cnn_key *k = zk_calloc(1, sizeof *k);
    k->m = m;
    k->w_nvars = pl->wnv;
    if (pl->wnv) {
        zk_buf cert, range;
        zk_buf_init(&cert);
        zk_buf_init(&range);
        fm61 *W = pl_weights(pl);
        if (zkw) { /* the commitment's seed, which also draws the pad */
            ZK_CHECK(RAND_bytes(k->wseed, (int)sizeof k->wseed) == 1);
            cnn_weights_pad(pl, W, k->wseed);
            k->wused = zk_calloc(1, sizeof *k->wused);
        }
        cnn_weights_hook_run(pl, W);
        pcs_state *st = cnn_commit_weights(pl, W, &k->wcom, &cert, wb, zkw ? k->wseed : NULL);
        k->wleaves_len = zkw ? pcs_ligero_zk_leaves_bytes(pl->wnv, k->wcom.certified, wb)
                             : pcs_ligero_leaves_bytes(pl->wnv, k->wcom.certified);
        k->wleaves = zk_malloc_n(k->wleaves_len, 1);
        memcpy(k->wleaves, pcs_ligero_leaves(st), k->wleaves_len);
        pcs_ligero_params wp = key_wparams(pl->wnv, zkw, k->wcom.certified, wb);
        if (pcs_ligero_encoded_bytes(&wp) <= CNN_PK_ENCODED_MAX) {
            k->wenc_len = pcs_ligero_encoded_bytes(&wp);
            k->wenc_buf = zk_aligned_n(k->wenc_len, 1);
            memcpy(k->wenc_buf, pcs_ligero_encoded(st), k->wenc_len);
            k->wenc = k->wenc_buf;
        }
        e = zk_pool(k, pl);
        if (e == ZK_OK) {
            cnn_digest(k->digest, m, k->w_nvars, &k->wcom);
            e = cnn_wrange_prove(&range, pl, W, st, k->digest);
        }
        if (e == ZK_OK && zkw) { /* the certificate took slot 0 of the budget */
            *k->wused = pcs_ligero_zk_used(st);
            ZK_CHECK(*k->wused == 1 && cnn_weights_slot_take(k->wcom.root, 0) == ZK_OK);
        }
        cnn_weights_scheme(pl)->state_free(st);
        OPENSSL_cleanse(W, ((size_t)1 << pl->wnv) * sizeof *W);
        free(W);
        k->wcert = cert.data; /* NULL (and length 0) for an uncertified table */
        k->wcert_len = cert.len;
        k->wrange = range.data;
        k->wrange_len = range.len;
        if (e) {
            pl_free(pl);
            cnn_key_free(k);
            return e;
        }
    }
    if (!pl->wnv && (e = zk_pool(k, pl)) != ZK_OK) {
        pl_free(pl);
        cnn_key_free(k);
        return e;
    }
    cnn_digest(k->digest, m, k->w_nvars, &k->wcom);
    pl_free(pl);
    *out = k;
    return ZK_OK;
}

long cnn_key_proofs_left(const cnn_key *pk) {
    if (!pk->wcom.zk || !pk->wused) return -1;
    return pk->wcom.openings > *pk->wused ? (long)(pk->wcom.openings - *pk->wused) : 0;
}

/* ------------------------------------------------------------ key files */

static void key_put(zk_buf *out, const char *magic, const cnn_key *k, int skel) {
    size_t start = out->len;
    zk_buf body;
    zk_buf_init(&body);
    if (skel) q_model_serialize_skeleton(&body, k->m);
    else q_model_serialize(&body, k->m);
    zk_buf_put(out, magic, 8);
    int zkw = k->wcom.zk;
    zk_buf_put_u32(out, skel ? (zkw ? CNN_KEY_VERSION_ZKW : CNN_KEY_VERSION) : (zkw ? CNN_PK_VERSION_ZKW : CNN_PK_VERSION));
    zk_buf_put_u64(out, body.len);
    zk_buf_put(out, body.data, body.len);
    zk_buf_put(out, k->wcom.root, PCS_DIGEST_BYTES);
    zk_buf_put_u32(out, k->w_nvars);
    if (zkw) { /* the hiding W: its budget; the prover's count and seed */
        zk_buf_put_u32(out, k->wcom.openings);
        if (!skel) {
            zk_buf_put_u32(out, k->wused ? *k->wused : k->wcom.openings);
            zk_buf_put(out, k->wseed, sizeof k->wseed);
        }
    }
    if (!skel) {
        zk_buf_put_u64(out, k->wleaves_len);
        zk_buf_put(out, k->wleaves, k->wleaves_len);
        static const uint8_t zero[16];
        zk_buf_put_u64(out, k->wenc_len);
        zk_buf_put(out, zero, (16 - (out->len - start) % 16) % 16);
        zk_buf_put(out, k->wenc, k->wenc_len);
    }
    zk_buf_put_u64(out, k->wrange_len);
    zk_buf_put(out, k->wrange, k->wrange_len);
    zk_buf_put_u64(out, k->wcert_len);
    zk_buf_put(out, k->wcert, k->wcert_len);
    zk_buf_free(&body);
}

void cnn_pk_serialize(zk_buf *out, const cnn_key *pk) { key_put(out, CNN_PK_MAGIC, pk, 0); }
void cnn_vk_serialize(zk_buf *out, const cnn_key *pk) { key_put(out, CNN_VK_MAGIC, pk, 1); }

static double key_min_bits = CNN_MIN_SOUNDNESS_BITS; /* cnn_test_set_key_min_bits */

void cnn_test_set_key_min_bits(double bits) { key_min_bits = bits; }

/* A verifying key's weights: the skeleton's field bound with every
 * constant anywhere in its certified range, then the weight-range
 * certificate (protocol.md sec. 7.1.1); ZK_EFORMAT with a reason: the key
 * is unusable. */
static zk_err wrange_check(const cnn_key *k, double *counted_bits, double *rbr_bits) {
    zk_err e = q_model_check_ranges(k->m);
    pl_plan *pl = NULL;
    const char *step = "its weights' ranges do not bound the relations";
    if (e == ZK_OK && k->w_nvars) {
        step = "its weight-range certificate cannot be checked";
        if ((e = pl_build(&pl, k->m)) == ZK_OK && pl->wnv != k->w_nvars) {
            zk_set_reason("the weight table's size disagrees with the model");
            e = ZK_EFORMAT;
        }
        if (e == ZK_OK) {
            step = "its weight-range certificate is invalid";
            double cb = 0;
            e = cnn_wrange_verify(k, pl, &cb, rbr_bits);
            if (counted_bits) *counted_bits = cb;
            /* setup refuses models below the floor; a key made otherwise is
             * refused here: the proofs' bound (the plan's) and the
             * certificate's ledger */
            double pb = plan_soundness_bits(pl, k->wcom.openings);
            if (e == ZK_OK && (pb < key_min_bits || cb < key_min_bits)) {
                step = "its soundness is below the floor";
                zk_set_reason("%.1f bits for its proofs, %.1f for its weight-range certificate; at least %.0f needed",
                              pb, cb, key_min_bits);
                e = ZK_EFORMAT;
            }
        }
    }
    pl_free(pl);
    if (e == ZK_OK) return ZK_OK;
    char why[200];
    snprintf(why, sizeof why, "%s", zk_reason());
    zk_set_reason("verifying key: %s: %s", step, why);
    return ZK_EFORMAT;
}

zk_err cnn_wrange_check(const cnn_key *vk, double *counted_bits, double *rbr_bits) {
    return wrange_check(vk, counted_bits, rbr_bits);
}

/* map: NULL, or *map is data, a mapping handed over
 * (cnn_pk_deserialize_mapped): the key takes it (*map = NULL) to keep the
 * encoded matrix where it lies. */
static zk_err key_get(cnn_key **out, const uint8_t *data, size_t len, int skel, uint8_t **map) {
    const char *what = skel ? "verifying key" : "proving key";
    zk_rd r;
    zk_rd_init(&r, data, len);
    char magic[8];
    uint32_t ver, wnv;
    uint64_t n, clen;
    if (zk_rd_get(&r, magic, 8) != ZK_OK || memcmp(magic, skel ? CNN_VK_MAGIC : CNN_PK_MAGIC, 8) != 0) {
        zk_set_reason("not a gkrcnn %s (bad magic)", what);
        return ZK_EFORMAT;
    }
    uint32_t v0 = skel ? CNN_KEY_VERSION : CNN_PK_VERSION, vz = skel ? CNN_KEY_VERSION_ZKW : CNN_PK_VERSION_ZKW;
    if (zk_rd_u32(&r, &ver) != ZK_OK || (ver != v0 && ver != vz)) {
        zk_set_reason("unsupported %s version (run setup again)", what);
        return ZK_EFORMAT;
    }
    if (zk_rd_u64(&r, &n) != ZK_OK || n > zk_rd_left(&r) || zk_rd_left(&r) - n < PCS_DIGEST_BYTES + 4 + 8) {
        zk_set_reason("%s truncated or has trailing bytes", what);
        return ZK_EFORMAT;
    }
    q_model *m;
    zk_err e = skel ? q_model_deserialize_skeleton(&m, data + r.pos, (size_t)n) : q_model_deserialize(&m, data + r.pos, (size_t)n);
    if (e) return e;
    r.pos += (size_t)n;
    cnn_key *k = zk_calloc(1, sizeof *k);
    k->m = m;
    ZK_CHECK(zk_rd_get(&r, k->wcom.root, PCS_DIGEST_BYTES) == ZK_OK && zk_rd_u32(&r, &wnv) == ZK_OK);
    if (wnv > PCS_LIGERO_MAX_VARS) {
        cnn_key_free(k);
        zk_set_reason("%s: weight table size out of range", what);
        return ZK_EFORMAT;
    }
    int zkw = wnv > 0 && m->s.zk_mc != 0; /* a hiding W (protocol.md sec. 9.5): its own versions and fields */
    int certified = cnn_weights_certified(wnv, zkw);
    if (zkw != (ver == vz)) {
        cnn_key_free(k);
        zk_set_reason("unsupported %s version (run setup again)", what);
        return ZK_EFORMAT;
    }
    if (zkw) {
        uint32_t b, used = 0;
        int cut = zk_rd_u32(&r, &b) != ZK_OK;
        size_t at = r.pos;
        cut = cut || (!skel && (zk_rd_u32(&r, &used) != ZK_OK || zk_rd_get(&r, k->wseed, sizeof k->wseed) != ZK_OK));
        if (cut || b < 1 || b > PCS_LIGERO_ZK_MAX_OPENINGS || used > b) {
            cnn_key_free(k);
            zk_set_reason("%s: weight commitment's %s", what,
                          cut ? "budget, count or seed truncated"
                              : (used > b ? "count of openings exceeds its budget" : "opening budget out of range"));
            return ZK_EFORMAT;
        }
        k->wcom.zk = 1;
        k->wcom.openings = b;
        if (!skel) {
            k->wused = zk_calloc(1, sizeof *k->wused);
            *k->wused = used;
            k->wused_at = at;
        }
    }
    if (!skel) { /* the leaves: exactly those of a weight commitment of this size */
        uint64_t llen;
        size_t want = !wnv ? 0 : zkw ? pcs_ligero_zk_leaves_bytes(wnv, certified, k->wcom.openings)
                                     : pcs_ligero_leaves_bytes(wnv, certified);
        if (zk_rd_u64(&r, &llen) != ZK_OK || llen != want || zk_rd_left(&r) < llen) {
            cnn_key_free(k);
            zk_set_reason("%s: weight commitment leaves truncated or of the wrong size", what);
            return ZK_EFORMAT;
        }
        k->wleaves_len = (size_t)llen;
        k->wleaves = zk_malloc_n(llen ? (size_t)llen : 1, 1);
        ZK_CHECK(zk_rd_get(&r, k->wleaves, (size_t)llen) == ZK_OK);
        /* the encoded matrix: none, or exactly the commitment's, after zeros up to a multiple of 16 */
        uint64_t elen;
        size_t ewant = 0, pad;
        if (wnv) {
            pcs_ligero_params wp = key_wparams(wnv, zkw, certified, k->wcom.openings);
            ewant = pcs_ligero_encoded_bytes(&wp);
        }
        int bad = zk_rd_u64(&r, &elen) != ZK_OK || (elen != 0 && elen != ewant);
        pad = (16 - r.pos % 16) % 16;
        bad = bad || zk_rd_left(&r) < pad || zk_rd_left(&r) - pad < elen;
        for (size_t i = 0; !bad && i < pad; i++) bad = data[r.pos + i] != 0;
        if (bad) {
            cnn_key_free(k);
            zk_set_reason("%s: weight commitment's encoded matrix truncated or of the wrong size", what);
            return ZK_EFORMAT;
        }
        r.pos += pad;
        k->wenc_len = (size_t)elen;
        if (elen && map && *map == data && (uintptr_t)(data + r.pos) % 16 == 0) {
            k->wenc_buf = *map;
            k->wenc_map_len = len;
            *map = NULL;
            k->wenc = k->wenc_buf + r.pos;
        } else if (elen) {
            k->wenc_buf = zk_aligned_n((size_t)elen, 1);
            memcpy(k->wenc_buf, data + r.pos, (size_t)elen);
            k->wenc = k->wenc_buf;
        }
        r.pos += (size_t)elen;
    }
    uint64_t rlen = 0; /* the weight-range certificate: present exactly when there is a W */
    int cut = zk_rd_u64(&r, &rlen) != ZK_OK || rlen > zk_rd_left(&r);
    if (cut || (rlen > 0) != (wnv > 0)) {
        cnn_key_free(k);
        zk_set_reason("%s: weight-range certificate %s", what,
                      cut ? "truncated" : wnv ? "missing" : "present for a model without weights");
        return ZK_EFORMAT;
    }
    k->wrange_len = (size_t)rlen;
    k->wrange = zk_malloc_n(rlen ? (size_t)rlen : 1, 1);
    ZK_CHECK(zk_rd_get(&r, k->wrange, (size_t)rlen) == ZK_OK);
    if (zk_rd_u64(&r, &clen) != ZK_OK) {
        cnn_key_free(k);
        zk_set_reason("%s truncated", what);
        return ZK_EFORMAT;
    }
    if (clen != zk_rd_left(&r) || (clen > 0) != certified) {
        cnn_key_free(k);
        zk_set_reason("%s: weight commitment certificate %s", what,
                      clen != zk_rd_left(&r) ? "truncated or followed by trailing bytes"
                                             : (certified ? "missing" : "present for an uncertified table"));
        return ZK_EFORMAT;
    }
    k->w_nvars = wnv;
    k->wcom.nvars = wnv;
    if (certified) {
        k->wcert = zk_malloc_n((size_t)clen, 1);
        k->wcert_len = (size_t)clen;
        ZK_CHECK(zk_rd_get(&r, k->wcert, (size_t)clen) == ZK_OK);
        if (!skel) k->wcom.certified = 1; /* the prover's own key */
        else if ((e = (zkw ? &pcs_ligero_zk : &pcs_ligero)->check_certificate(&k->wcom, k->wcert, k->wcert_len)) != ZK_OK) {
            char why[200];
            snprintf(why, sizeof why, "%s", zk_reason());
            cnn_key_free(k);
            zk_set_reason("verifying key: the weight commitment's certificate is invalid: %s", why);
            return ZK_EFORMAT;
        }
    }
    cnn_digest(k->digest, m, wnv, &k->wcom);
    if (skel && (e = wrange_check(k, NULL, NULL)) != ZK_OK) {
        cnn_key_free(k);
        return e;
    }
    *out = k;
    return ZK_OK;
}

zk_err cnn_pk_deserialize(cnn_key **pk, const uint8_t *data, size_t len) { return key_get(pk, data, len, 0, NULL); }
zk_err cnn_vk_deserialize(cnn_key **vk, const uint8_t *data, size_t len) { return key_get(vk, data, len, 1, NULL); }

zk_err cnn_pk_deserialize_mapped(cnn_key **pk, void *map, size_t len) {
    uint8_t *m = map;
    zk_err e = key_get(pk, m, len, 0, &m);
    if (m) munmap(m, len);
    return e;
}
