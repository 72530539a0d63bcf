/* cnn_int.h -- internal to src/layers: what the proof's files share
 * besides the context (cx.h) and the layer table (layers.h).
 *
 *   cnn.c     cnn_run (the proof, message by message: protocol.md sec.
 *             7.8), the prover and verifier entry points
 *   lookup.c  the range checks (logUp), cx_lookup
 *   open.c    the weight commitment and the openings of W and ADV, cx_open
 *   keys.c    setup, the circuit digest, key files, the soundness bounds
 *   wrange.c  the weight-range certificate of a verifying key
 */
#ifndef GKRCNN_LAYERS_CNN_INT_H
#define GKRCNN_LAYERS_CNN_INT_H

#include "cx.h"

/* The transcript's protocol label, also the digest's prefix. */
#define CNN_PROTOCOL "gkrcnn/cnn/v2"

/* Both roles: the lookup of every range-checked column (protocol.md sec.
 * 7.4, 7.8.6), after the layers; claims on the ADV regions it reads. */
zk_err cx_lookup(cx *c) ZK_WARN_UNUSED;

/* Both roles: the claims on every region of table poly (PL_W or PL_ADV, 2^nv
 * entries) merged into one point and the table opened there (protocol.md
 * sec. 7.5, 7.8.7); st (prover) or com (verifier) is its commitment in
 * scheme S (pcs_ligero, or pcs_ligero_zk for a hiding ADV). */
zk_err cx_open(cx *c, int poly, unsigned nv, const pcs_scheme *S, const pcs_state *st, const pcs_commitment *com)
    ZK_WARN_UNUSED;

/* Setup of a zero-knowledge key (pk->m->s.zk_mc != 0): one dry-run proof
 * on the all-zero input counts the cells of the mask pool the plan's
 * sumchecks take (the protocol's path does not depend on the values);
 * *cells receives it. ZK_EINPUT with a reason when that inference fails. */
zk_err cnn_zk_measure(const cnn_key *pk, size_t *cells) ZK_WARN_UNUSED;

/* Whether the weight commitment of a table of 2^wnv entries is certified
 * (pcs.h): a hiding one (zk) always, a plain one from
 * 2^CNN_WEIGHT_CERT_MIN_VARS entries on (tests may lower that threshold,
 * cnn_test.h). */
int cnn_weights_certified(unsigned wnv, int zk);

/* Commits to the weight table W (pl_weights, with cnn_weights_pad) in its
 * own transcript (the root goes into the key, and from there into the
 * digest): plain, or, when the plan has a W pad (a zero-knowledge key),
 * hiding (pcs_ligero_zk_commit) with `budget` openings and the given seed
 * (NULL: a fresh one; pcs_ligero_zk_seed gives it back). For a certified
 * table the certificate (the scheme's) is appended to *cert when cert is
 * non-NULL. The caller frees the state. */
pcs_state *cnn_commit_weights(const pl_plan *pl, const fm61 *W, pcs_commitment *com, zk_buf *cert, unsigned budget,
                              const uint8_t *seed);
/* A zero-knowledge key's W pad (pl->wpad; nothing without one): its cells
 * are 61-bit words of SHA-256("gkrcnn/cnn/wpad" || seed || u32 i || u32
 * ctr), ctr the first giving a value below p; seed is the hiding weight
 * commitment's (secret), so the prover rebuilds W from the key. */
void cnn_weights_pad(const pl_plan *pl, fm61 *W, const uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES]);
/* The zero-knowledge mode's proof that the lookup root's Q (its masked
 * value q; prover: qt, the true Q) is not 0 (lookup.c; protocol.md sec.
 * 9.8 (g)): u = 1/Q sent masked, the sumcheck Q u = 1, two linear claims. */
zk_err cx_root_nonzero(cx *c, cx_v q, fp2 qt) ZK_WARN_UNUSED;
/* n cells, 61-bit words of SHA-256(label || seed || u32 i || u32 ctr) as
 * above (label at most 32 bytes): W's pad ("gkrcnn/cnn/wpad") and a
 * private input's or output's ("gkrcnn/cnn/tpad", protocol.md sec. 9.8 (f)). */
void cnn_seed_cells(fm61 *out, size_t n, const char *label, const uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES]);
/* W's scheme (pcs_ligero_zk with a W pad, else pcs_ligero), one opening's
 * error for a hiding commitment of `budget` openings (pcs_ligero_zk_error;
 * plain: pcs_ligero.error) and the largest single-challenge error. */
const pcs_scheme *cnn_weights_scheme(const pl_plan *pl);
double cnn_weights_error(const pl_plan *pl, unsigned budget);
double cnn_weights_rbr_error(const pl_plan *pl, unsigned budget);
/* A proof's own tables (ADV, the mask table M, a private input's or
 * output's, the weight-range certificate's C) are committed for exactly one
 * opening: cnn_read_once reads such a commitment (S->read_commitment) and,
 * for a hiding one, refuses any other budget (ZK_EPROOF), so that its
 * error is the one-opening shape's: cnn_once_error and cnn_once_rbr_error
 * (pcs_ligero_zk_error(n, 0, 1) for zk, else pcs_ligero's). */
zk_err cnn_read_once(tr_t *tr, const pcs_scheme *S, pcs_commitment *com, unsigned n) ZK_WARN_UNUSED;
double cnn_once_error(int zk, unsigned n);
double cnn_once_rbr_error(int zk, unsigned n);
/* A proof's commitment openings under plan pl (mc: the mask pool's 2^mc,
 * 0 without the zero-knowledge mode; wb: W's budget): *eps gains the sum
 * of their errors (W's, ADV's, and in zk M's and a private input's and
 * output's), *rbr becomes the largest of itself and their single-challenge
 * terms. The prover's ledger report and the plan bound both use it. */
void cnn_openings_error(const pl_plan *pl, unsigned mc, unsigned wb, double *eps, double *rbr);
/* Records that this process opens the hiding weight commitment with this
 * root at `slot` (cnn.c); ZK_EINPUT with a reason when it already opened
 * it at that slot or a later one. */
zk_err cnn_weights_slot_take(const uint8_t root[PCS_DIGEST_BYTES], unsigned slot) ZK_WARN_UNUSED;

/* The circuit digest SHA-256(CNN_PROTOCOL || skeleton || u32 wnv || root),
 * and u32 budget after the root when W is committed hiding (wcom->zk). */
void cnn_digest(uint8_t out[32], const q_model *m, unsigned wnv, const pcs_commitment *wcom);

/* The weight-range certificate (wrange.c; protocol.md sec. 7.1.1): its
 * transcript's protocol label. */
#define CNN_WRANGE_PROTOCOL "gkrcnn/cnn/wrange/v1"
/* Prover (setup): appends to *cert the certificate that every entry of W
 * (2^pl->wnv entries, the model plan pl's weight table, committed in wst
 * with the root in the circuit digest) lies in its range. ZK_EINPUT with a
 * reason when a range cannot be certified. */
zk_err cnn_wrange_prove(zk_buf *cert, const pl_plan *pl, const fm61 *W, const pcs_state *wst, const uint8_t digest[32])
    ZK_WARN_UNUSED; /* a hiding W (pl->wpad >= 0): the opening takes wst's next slot */
/* Verifier (vk load): checks vk->wrange against the key's digest and weight
 * commitment (pl: the plan of vk->m). ZK_EPROOF or ZK_EFORMAT with a reason
 * when it fails, ZK_EINPUT when the ranges cannot be certified. Optional
 * counted_bits, rbr_bits: -log2 of the error the ledger counted on its path
 * (interactive) and of its largest single-challenge error. */
zk_err cnn_wrange_verify(const cnn_key *vk, const pl_plan *pl, double *counted_bits, double *rbr_bits) ZK_WARN_UNUSED;
/* -log2 of the plan's bound on the certificate's error (interactive); 0
 * when pl has no weights or the ranges cannot be certified. budget: W's
 * opening budget when it is hiding (pl->wpad >= 0). */
double cnn_wrange_plan_bits(const pl_plan *pl, unsigned budget);
/* Runs the test hook of cnn_set_weights_hook (cnn_test.h), if any, on W. */
void cnn_weights_hook_run(const pl_plan *pl, fm61 *W);

#endif
