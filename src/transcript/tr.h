/* tr.h -- the Fiat-Shamir transcript, which is also the proof.
 *
 * A transcript is a running SHA-256 state. Everything the verifier sees is
 * absorbed before any challenge that depends on it:
 *   - public data the verifier already holds (circuit digest, public
 *     inputs) with tr_absorb: hashed, not written to the proof;
 *   - prover messages (commitments, round polynomials, claimed
 *     evaluations) with tr_put_* on the prover side and tr_get_* on the
 *     verifier side: hashed AND written to / read from the proof bytes.
 * The proof is exactly the sequence of bytes the prover's tr_put_* calls
 * wrote; the verifier re-reads them in the same order and must consume
 * them all (tr_finish).
 *
 * Every absorbed item is framed as  tag || len(label) || label || len(data) || data
 * (lengths as 8-byte little-endian), so distinct call sequences never hash
 * the same byte string.
 *
 * Challenges: tr_challenge hashes the state with a squeeze counter into 32
 * bytes, reads two 61-bit words and rejects (re-squeezes) any word equal
 * to p, so each coordinate is uniform on [0, p). The squeeze output is then
 * absorbed, so later challenges depend on earlier ones.
 */
#ifndef GKRCNN_TR_H
#define GKRCNN_TR_H

#include "../fields/fp2.h"

enum { TR_PROVER = 1, TR_VERIFIER = 2 };

typedef struct tr tr_t;

/* Start a transcript with a protocol label (e.g. "gkrcnn/gkr/v2").
 * Prover: `proof` receives the bytes written (appended to).
 * Verifier: `proof`/`len` are the bytes to read; they must outlive tr. */
tr_t *tr_new_prover(const char *protocol, zk_buf *proof);
tr_t *tr_new_verifier(const char *protocol, const uint8_t *proof, size_t len);
void tr_free(tr_t *t);
int tr_is_prover(const tr_t *t);

/* Public data known to both sides; hashed, never written. */
void tr_absorb(tr_t *t, const char *label, const void *data, size_t len);
void tr_absorb_fm61(tr_t *t, const char *label, const fm61 *v, size_t n);
void tr_absorb_fp2(tr_t *t, const char *label, const fp2 *v, size_t n);
void tr_absorb_u64(tr_t *t, const char *label, uint64_t v);

/* Prover messages. */
void tr_put_bytes(tr_t *t, const char *label, const uint8_t *data, size_t len);
void tr_put_fm61(tr_t *t, const char *label, const fm61 *v, size_t n);
void tr_put_fp2(tr_t *t, const char *label, const fp2 *v, size_t n);

/* Malicious-prover hook for tests: called by tr_put_fp2 on a copy of each
 * message before it is hashed and written, with the message's label and
 * its occurrence number among messages of that label (0, 1, ...). The
 * hook may change the values (keeping them canonical). NULL removes it. */
typedef void (*tr_tamper_fn)(void *ctx, const char *label, size_t occurrence, fp2 *v, size_t n);
void tr_set_tamper(tr_t *t, tr_tamper_fn fn, void *ctx);

/* Verifier side of the same messages: read, decode strictly (canonical
 * field elements only), absorb. ZK_EFORMAT on truncation or a
 * non-canonical element; nothing is absorbed then. */
zk_err tr_get_bytes(tr_t *t, const char *label, uint8_t *out, size_t len) ZK_WARN_UNUSED;
zk_err tr_get_fm61(tr_t *t, const char *label, fm61 *out, size_t n) ZK_WARN_UNUSED;
zk_err tr_get_fp2(tr_t *t, const char *label, fp2 *out, size_t n) ZK_WARN_UNUSED;

/* Challenges (both sides). */
fp2 tr_challenge(tr_t *t, const char *label);
void tr_challenges(tr_t *t, const char *label, fp2 *out, size_t n);
/* A uniform integer in [0, bound), bound >= 1 (rejection sampling); used
 * for column queries of the commitment. */
uint64_t tr_challenge_index(tr_t *t, const char *label, uint64_t bound);

/* Verifier: ZK_EFORMAT unless every proof byte was consumed. */
zk_err tr_finish(const tr_t *t) ZK_WARN_UNUSED;
/* Bytes read so far (verifier) or written so far (prover). */
size_t tr_position(const tr_t *t);
/* Verifier: proof bytes not read yet (a bound on what later messages can
 * hold, checked before allocating for them); prover: 0. */
size_t tr_left(const tr_t *t);

#endif
