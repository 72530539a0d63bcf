/* pcs.h -- multilinear polynomial commitments for base-field tables.
 *
 * A scheme commits to a table t of 2^n elements of F_p (the multilinear
 * polynomial f with f(x) = t[x], see mle.h) and later proves f(z) = v for
 * a point z in F_{p^2}^n. All messages go through the transcript, so the
 * commitment and the opening are part of the proof bytes and are hashed
 * before any later challenge.
 *
 * The interface is a table of functions so that a second scheme can be
 * added beside the first (pcs_ligero, ligero.c).
 */
#ifndef GKRCNN_PCS_H
#define GKRCNN_PCS_H

#include "../transcript/tr.h"

#define PCS_DIGEST_BYTES 32

/* Verifier's view of a commitment (read from the proof). */
typedef struct {
    unsigned nvars;
    uint8_t root[PCS_DIGEST_BYTES];
} pcs_commitment;

/* Prover's state between commit and open (opaque; owns its memory). */
typedef struct pcs_state pcs_state;

typedef struct {
    const char *name;
    /* Prover: commit to t[0..2^n), n >= 1; writes the commitment to the
     * transcript ("pcs/root"). The table is copied; the caller keeps t. */
    pcs_state *(*commit)(tr_t *tr, const fm61 *t, unsigned n);
    /* Prover: prove f(z) at z[0..n). The claimed value must already be in
     * the transcript (the caller put it there). */
    void (*open)(tr_t *tr, const pcs_state *st, const fp2 *z);
    void (*state_free)(pcs_state *st);
    /* Verifier: read the commitment written by commit. */
    zk_err (*read_commitment)(tr_t *tr, pcs_commitment *out, unsigned n) ZK_WARN_UNUSED;
    /* Verifier: check the opening written by open proves f(z) = v.
     * ZK_EPROOF on a failed check, ZK_EFORMAT on malformed bytes. */
    zk_err (*verify)(tr_t *tr, const pcs_commitment *c, const fp2 *z, fp2 v) ZK_WARN_UNUSED;
} pcs_scheme;

extern const pcs_scheme pcs_ligero;

/* Column queries of the Ligero opening: (5/8)^153 = 2^-103.7, see
 * papers/protocol.md sec. 5-6. */
#define PCS_LIGERO_QUERIES 153

/* Largest table: 2^PCS_LIGERO_MAX_VARS base elements; beyond it
 * read_commitment and verify return ZK_EINPUT. The bound keeps the codeword
 * length K <= 2^19, so the proximity term K/|F| stays <= 2^-103 as the
 * soundness budget (papers/protocol.md sec. 6) assumes; it also bounds the
 * verifier's memory before anything is allocated. */
#define PCS_LIGERO_MAX_VARS 30

/* Parameters of the Ligero scheme for n variables (for docs and benches). */
typedef struct {
    unsigned nvars;
    unsigned log_rows;   /* packed rows: 2^log_rows rows of F_{p^2} */
    unsigned log_cols;   /* message length k = 2^log_cols */
    unsigned log_inv_rate; /* codeword length K = k << log_inv_rate */
    unsigned queries;    /* column openings */
} pcs_ligero_params;

pcs_ligero_params pcs_ligero_params_for(unsigned n);

#endif
