/* tr_test.h -- a test-only hook of the transcript, kept out of tr.h: no
 * library code includes this header.
 *
 * Programmed challenges. A zero-knowledge simulator (tests/test_zsc.c)
 * chooses the verifier's challenges itself; in the interactive protocol
 * that Fiat-Shamir compiles, an honest verifier's coins are uniform and
 * independent of the messages, and programming them is how the simulator
 * of an honest-verifier zero-knowledge proof is stated. With a program set,
 * every challenge tr_challenge (and tr_challenges) returns is the next one
 * `fn` writes, on the prover and the verifier side alike; the value is
 * absorbed like a squeeze output, so the transcript stays a hash chain.
 * fn returns 0 to fall back to the hash (e.g. when its list is used up).
 * tr_challenge_index is not affected. NULL removes the program. Defined
 * only in test builds (-DZK_VERIFY, make test): a release library has no
 * way to program its challenges. */
#ifndef GKRCNN_TR_TEST_H
#define GKRCNN_TR_TEST_H

#include "tr.h"

typedef int (*tr_program_fn)(void *ctx, const char *label, fp2 *out);
void tr_set_program(tr_t *t, tr_program_fn fn, void *ctx);

#endif
