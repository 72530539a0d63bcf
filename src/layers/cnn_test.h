/* cnn_test.h -- test-only hooks of the CNN prover, for the tests and fuzz
 * targets; not part of the library's API (cnn.h). None is thread-safe;
 * each stays installed until it is removed (NULL) or reset. */
#ifndef GKRCNN_CNN_TEST_H
#define GKRCNN_CNN_TEST_H

#include "cnn.h"
#include "plan.h"

/* Malicious-prover hook: called once on the witness after q_run and before
 * anything is committed; it may change any witness value (tensors or
 * auxiliary arrays). NULL removes it. */
typedef void (*cnn_witness_hook)(void *ctx, const q_model *m, q_witness *w);
void cnn_set_witness_hook(cnn_witness_hook fn, void *ctx);

/* Malicious-prover hook: called on the auxiliary table ADV (2^anv entries,
 * laid out as pl describes, multiplicities included) after the prover built
 * it from the witness and before it is committed; it may change any entry.
 * NULL removes it. */
typedef void (*cnn_adv_hook)(void *ctx, const pl_plan *pl, fm61 *adv);
void cnn_set_adv_hook(cnn_adv_hook fn, void *ctx);

/* Installs fn on the prover's transcript (tr_set_tamper), so every
 * field-element message can be altered in flight. NULL removes it. */
void cnn_set_tamper(tr_tamper_fn fn, void *ctx);

/* Weight tables of at least 2^v entries are certified (default
 * CNN_WEIGHT_CERT_MIN_VARS); affects setup, key loading, proving and
 * verifying alike. */
void cnn_set_cert_min_vars(unsigned v);

/* Weight-range certificate (protocol.md sec. 7.1.1). cnn_set_weights_hook:
 * called by cnn_setup on the weight table W (2^wnv entries, laid out as the
 * model's plan pl says) before it is committed; it may change any entry,
 * which is then committed and certified as it stands (a key whose weights
 * break their ranges). cnn_set_wrange_hook: called on the certificate's own
 * table C (limbs and multiplicities, laid out by the certificate's plan
 * pl, wrange.c) before it is committed. NULL removes either. */
void cnn_set_weights_hook(cnn_adv_hook fn, void *ctx);
void cnn_set_wrange_hook(cnn_adv_hook fn, void *ctx);
/* Checks vk's weight-range certificate as loading the key does, and
 * reports -log2 of the error its ledger counted (interactive) and of its
 * largest single-challenge error. */
zk_err cnn_wrange_check(const cnn_key *vk, double *counted_bits, double *rbr_bits) ZK_WARN_UNUSED;

/* The soundness floor that loading a verifying key with weights applies
 * to the proofs' bound and to the weight-range certificate's ledger
 * (default CNN_MIN_SOUNDNESS_BITS; raising it makes honest keys fail as a
 * key below the floor would). */
void cnn_test_set_key_min_bits(double bits);

/* A class-only output (Q_OUT_CLASS): the prover states class c instead of
 * the argmax of its output (c < 0: the argmax, the default). The advice
 * (d, m) stays pl_adv's unless an adv hook rewrites it (test_class.c). */
void cnn_test_set_class(int64_t c);

/* With on = 1 the lookup's prover stores its leaves in F_{p^2}
 * (lu_leaves_full, lookup.c) instead of describing them in the base field:
 * the same proof bytes, slower; for tests that compare the two. Default 0. */
void cnn_test_lookup_stored(int on);

#ifdef ZK_VERIFY
/* ZK_VERIFY builds only: with on = 0, plans made from now on leave out the
 * range checks of Q_INT_CHECK tensors -- the protocol as it was before
 * issue 11 -- so the malicious-prover tests can show that their strategies
 * find forgeries there. Default 1. */
void cnn_test_int_checks(int on);
#endif

#endif
