/* pcs.h -- multilinear polynomial commitments for base-field tables.
 *
 * A scheme commits to a table t of 2^n elements of F_p (the multilinear
 * polynomial f with f(x) = t[x], see mle.h) and later proves f(z) = v for
 * a point z in F_{p^2}^n. All messages go through the transcript, so the
 * commitment and the opening are part of the proof bytes and are hashed
 * before any later challenge.
 *
 * THE OPENING POINT MUST BE RANDOM. Every caller opens at a point whose
 * coordinates are verifier challenges drawn after the commitment was put
 * in the transcript (the last sumcheck's point, in GKR and in the CNN
 * protocol). The Ligero opening relies on it: its proximity test is the
 * evaluation's own row combination, which is sound only for a random
 * point (ligero.c, SOUNDNESS). Opening at a point chosen by the prover or
 * fixed in advance is not covered.
 *
 * A commitment may also carry a proximity CERTIFICATE, made once by the
 * prover right after committing (its own transcript, bound to the root)
 * and checked once by the verifier. It shows that the committed matrix is
 * close to the code, so openings of a certified commitment need fewer
 * column queries; the CNN prover certifies its weight commitment at setup
 * and ships the certificate in the verifying key.
 *
 * HIDING. pcs_ligero_zk is the same commitment made zero-knowledge
 * (ligero.c, HIDING; papers/protocol.md sec. 5.1): each row gets t random extra
 * coefficients, each Merkle leaf a random salt, and every row combination
 * the prover reveals a committed random mask row (the mask's share s of
 * the value is sent before its coefficient gamma is drawn). What a
 * verifier sees of a hiding commitment and its openings can be simulated
 * from the claimed values alone, as long as the commitment serves at most
 * the number of openings it was committed for (its budget, chosen at
 * commit time and sent with the root; the prover refuses one more). A
 * table committed once and opened by many proofs (a model's weights)
 * therefore stays hidden for that many proofs only: a key must keep the
 * count (pcs_ligero_zk_used) and be recommitted when it runs out. The
 * plain scheme's bytes are unchanged; the verifier takes the mode from the
 * commitment it read (pcs_commitment.zk).
 *
 * The interface is a table of functions so that a second scheme can be
 * added beside the first (pcs_ligero, ligero.c).
 */
#ifndef GKRCNN_PCS_H
#define GKRCNN_PCS_H

#include "../transcript/tr.h"

#define PCS_DIGEST_BYTES 32

/* Verifier's view of a commitment (read from the proof or a key). */
typedef struct {
    unsigned nvars;
    int certified; /* 1 only after check_certificate accepted a certificate for it */
    uint8_t root[PCS_DIGEST_BYTES];
    int zk;            /* a hiding commitment (pcs_ligero_zk), 0 for pcs_ligero */
    unsigned openings; /* zk: the opening budget it was committed with (read with the root) */
} pcs_commitment;

/* Prover's state between commit and open (opaque; owns its memory). */
typedef struct pcs_state pcs_state;

typedef struct {
    const char *name;
    /* Prover: commit to t[0..2^n), n >= 1; writes the commitment to the
     * transcript ("pcs/root"). The table is copied; the caller keeps t. */
    pcs_state *(*commit)(tr_t *tr, const fm61 *t, unsigned n);
    /* Prover: commit as commit() does, in the shape of a certified
     * commitment, and append the proximity certificate to *cert (when cert
     * is NULL none is made: a prover recommitting a table it certified
     * before; pcs_ligero only: pcs_ligero_zk draws a fresh seed, so its
     * root is not the certified one, and a hiding state is rebuilt with
     * pcs_ligero_zk_state_from_leaves instead). Openings from the returned
     * state are certified openings. */
    pcs_state *(*commit_certified)(tr_t *tr, zk_buf *cert, const fm61 *t, unsigned n);
    /* Prover: prove f(z) at z[0..n), z random (above). The claimed value
     * must already be in the transcript (the caller put it there). */
    void (*open)(tr_t *tr, const pcs_state *st, const fp2 *z);
    void (*state_free)(pcs_state *st);
    /* Verifier: read the commitment written by commit (certified = 0). */
    zk_err (*read_commitment)(tr_t *tr, pcs_commitment *out, unsigned n) ZK_WARN_UNUSED;
    /* Verifier: check a certificate for c (c->nvars and c->root set); on
     * success sets c->certified = 1. ZK_EPROOF on a failed check,
     * ZK_EFORMAT on malformed bytes, ZK_EINPUT on an unsupported n. */
    zk_err (*check_certificate)(pcs_commitment *c, const uint8_t *cert, size_t len) ZK_WARN_UNUSED;
    /* Verifier: check the opening written by open proves f(z) = v (a
     * certified opening iff c->certified). ZK_EPROOF on a failed check,
     * ZK_EFORMAT on malformed bytes. */
    zk_err (*verify)(tr_t *tr, const pcs_commitment *c, const fp2 *z, fp2 v) ZK_WARN_UNUSED;
    /* Upper bound on the probability that one opening of a false value is
     * accepted (interactive; for certified commitments including the
     * certificate's own error). For soundness budgets. */
    double (*error)(unsigned n, int certified);
    /* The largest error of any single challenge of one opening (the
     * round-by-round error; with Fiat-Shamir a prover making T hash calls
     * gains at most a factor T on it, protocol.md sec. 6): the proximity
     * step's 2K/|F| per row coordinate, or the column queries as a whole.
     * A certified opening has only its queries (the certificate is setup's,
     * checked once with the key). */
    double (*rbr_error)(unsigned n, int certified);
} pcs_scheme;

extern const pcs_scheme pcs_ligero;
/* The hiding variant (ligero.c, HIDING; papers/protocol.md sec. 5.1). Its commit and
 * commit_certified serve PCS_LIGERO_ZK_DEFAULT_OPENINGS openings with a
 * fresh seed; pcs_ligero_zk_commit below chooses the budget. Its error and
 * rbr_error are the worst over every budget up to
 * PCS_LIGERO_ZK_MAX_OPENINGS (pcs_ligero_zk_error gives one budget's). */
extern const pcs_scheme pcs_ligero_zk;

/* Column queries (papers/protocol.md sec. 5-6; rate 1/4, distance > 3/4):
 *   plain opening:        (1 - 3/8)^160   = 2^-108.5  (unique-decoding radius 3/8)
 *   certificate:          (1 - 1/10)^711  = 2^-108.1  (proximity 1/10)
 *   certified opening:    (1 - 13/20)^72  = 2^-109.0  (distance 3/4 - 1/10) */
#define PCS_LIGERO_QUERIES 160
#define PCS_LIGERO_CERT_QUERIES 711
#define PCS_LIGERO_CERT_OPEN_QUERIES 72

/* Transcript protocol label of a certificate. */
#define PCS_LIGERO_CERT_PROTOCOL "gkrcnn/pcs/ligero-cert/v1"

/* Largest table: 2^PCS_LIGERO_MAX_VARS base elements; beyond it
 * read_commitment, check_certificate and verify return ZK_EINPUT. The
 * bound keeps the opening's proximity term 2 l K / p^2 (l row variables,
 * K codeword length) at most 2^-100.8 (pcs_ligero.error), and bounds the
 * verifier's memory before anything is allocated. */
#define PCS_LIGERO_MAX_VARS 25

/* A prover state for a table committed before, without its encoded
 * matrix: from the Merkle leaf digests of that commitment (for n and
 * certified as then; pcs_ligero_leaves_bytes of them, copied). Opening
 * from it gives the same bytes as from the committing state: it computes
 * u1, u2 from the table and encodes every row once (the NTTs, no hashing,
 * no K x m matrix) to read the queried columns. t is kept, not copied: it
 * must stay unchanged until state_free. pcs_ligero_root is the root the
 * leaves give (the caller compares it with the commitment it trusts);
 * pcs_ligero_mismatches counts the columns sent so far whose digest is not
 * their leaf (not 0: t is not the committed table, and the opening fails).
 * pcs_ligero_leaves: a committing state's leaf digests, to keep. */
size_t pcs_ligero_leaves_bytes(unsigned n, int certified);
const uint8_t *pcs_ligero_leaves(const pcs_state *st);
pcs_state *pcs_ligero_state_from_leaves(const fm61 *t, unsigned n, int certified, const uint8_t *leaves);
const uint8_t *pcs_ligero_root(const pcs_state *st);
size_t pcs_ligero_mismatches(const pcs_state *st);

/* Parameters of the Ligero scheme for n variables (for docs and benches). */
typedef struct {
    unsigned nvars;
    unsigned log_rows;   /* packed rows: 2^log_rows rows of F_{p^2} */
    unsigned log_cols;   /* message length k = 2^log_cols */
    unsigned log_inv_rate; /* codeword length K = k << log_inv_rate (2; hiding: 2..6) */
    unsigned queries;    /* column openings of one opening */
    int certified;
    /* hiding mode only (all 0 for pcs_ligero): */
    int zk;
    unsigned openings;      /* the opening budget */
    unsigned mask_len;      /* t: random coefficients per row (code dimension k + t < K) */
    unsigned mask_rows;     /* random rows after the data rows: 2 per opening, 1 for the certificate */
    unsigned log_data_cols; /* table cells per packed row: 2^log_data_cols <= k (= log_cols when n - 1 >= log_cols) */
} pcs_ligero_params;

pcs_ligero_params pcs_ligero_params_for(unsigned n, int certified);
/* The encoded matrix, for a prover that keeps it with the leaves: a
 * committing state's (plain or hiding), pcs_ligero_encoded_bytes(&params)
 * bytes, the K columns in order, each as its leaf hashes it (hiding: salt,
 * data rows, mask rows); NULL for a state from leaves. Attached to a state
 * from leaves of the same commitment (borrowed: enc stays unchanged and
 * alive until state_free; 16-byte aligned), an opening copies its queried
 * columns from enc instead of encoding the table's rows at them, and
 * writes the same bytes. Each column it sends is then checked against its
 * leaf and against the combinations it sent (the verifier's test of step
 * 4): a matrix that is not the encoding of the table (and, hiding, of the
 * seed's masks) counts in pcs_ligero_mismatches like a table that is not
 * the committed one. */
size_t pcs_ligero_encoded_bytes(const pcs_ligero_params *p);
const uint8_t *pcs_ligero_encoded(const pcs_state *st);
void pcs_ligero_attach_encoded(pcs_state *st, const uint8_t *enc);
/* Bytes of one opening and of a certificate (both exact). */
size_t pcs_ligero_opening_bytes(const pcs_ligero_params *p);
size_t pcs_ligero_certificate_bytes(const pcs_ligero_params *p);

/* ---- hiding mode (ligero.c, HIDING) ----
 *
 * The code is RS[K, k + t]: each row gets t = openings * queries
 * (+ PCS_LIGERO_ZK_CERT_QUERIES when certified) random coefficients, which
 * bounds the distinct columns a commitment ever opens, so every opened
 * column is uniform; K = 4k as in the plain scheme (rate (k + t)/K, just
 * above 1/4 for large tables), up to 64k for small tables (encoded matrix
 * within 2^15 cells; certified, a setup-time commitment: 2^20 cells). The query count q is derived per shape (not a
 * constant): a wrong combination differs from the checked one in a >= e
 * positions, e = floor((K - k - t)/2) the unique-decoding radius
 * (certified: a = K - k - t + 1 - floor(K/10)), and q is the least with
 * ((K - a)/K)^q <= 2^-PCS_LIGERO_ZK_QUERY_BITS, t and q settled together:
 *   plain opening, budget 1:  q = 160..172 for n >= 14 (K = 4k; 2^-108.0..2^-108.4),
 *                             q = 118..188 for n <= 13 (K = 4k..64k)
 *   certificate:              (1 - 1/10)^711 = 2^-108.1 (proximity 1/10)
 *   certified opening, b = 1: q = 73..94 for n >= 18 (K = 4k),
 *                             q = 38..58 for n <= 17 (K = 8k..64k)
 * (papers/protocol.md sec. 5.1 has the table: proofs are 1.01-1.10x the
 * plain ones for n >= 16, certified 1.04-1.18x for n = 20..24).
 * A commitment serves at most `openings` openings (its budget, fixed at
 * commit time: each opening uses two committed mask rows). */
#define PCS_LIGERO_ZK_QUERY_BITS 108
#define PCS_LIGERO_ZK_CERT_QUERIES 711
#define PCS_LIGERO_ZK_MAX_OPENINGS 64
#define PCS_LIGERO_ZK_DEFAULT_OPENINGS 1
#define PCS_LIGERO_ZK_SEED_BYTES 32
#define PCS_LIGERO_ZK_SALT_BYTES 16
#define PCS_LIGERO_ZK_CERT_PROTOCOL "gkrcnn/pcs/ligero-zk-cert/v1"

pcs_ligero_params pcs_ligero_zk_params_for(unsigned n, int certified, unsigned openings);
double pcs_ligero_zk_error(unsigned n, int certified, unsigned openings);
/* pcs_ligero_zk.error and .rbr_error are the worst over every budget (a
 * verifier that does not fix the budget); these are one budget's. */
double pcs_ligero_zk_rbr_error(unsigned n, int certified, unsigned openings);

/* Prover: a hiding commitment to t[0..2^n) serving `openings` openings
 * (1..PCS_LIGERO_ZK_MAX_OPENINGS), certified iff `certified` (with cert
 * non-NULL the certificate is appended to *cert). All of the commitment's
 * randomness (the rows' extra coefficients, the mask rows, the leaf salts)
 * is expanded from a 32-byte seed: seed NULL draws a fresh one from
 * OpenSSL's RAND_bytes (what a prover does); a given seed makes the
 * commitment reproducible (tests; a seed must never serve two
 * commitments). Writes "pcs/root" and "pcs/zk/openings". Open with
 * pcs_ligero_zk.open; more than `openings` openings abort (ZK_CHECK). */
pcs_state *pcs_ligero_zk_commit(tr_t *tr, zk_buf *cert, const fm61 *t, unsigned n, int certified,
                                unsigned openings, const uint8_t *seed);
/* The seed of a hiding state (PCS_LIGERO_ZK_SEED_BYTES; secret: it
 * reveals the table's masks) and the openings it has served so far,
 * counting those before it was rebuilt. */
const uint8_t *pcs_ligero_zk_seed(const pcs_state *st);
unsigned pcs_ligero_zk_used(const pcs_state *st);
/* A hiding state rebuilt without its encoded matrix, as
 * pcs_ligero_state_from_leaves (same bytes as the committing state would
 * give): from the table, the seed and the leaf digests
 * (pcs_ligero_zk_leaves_bytes, copied) of that commitment, `used` being the
 * openings it has already served (a key keeps this count and stores
 * pcs_ligero_zk_used after each proof: reusing a mask slot would reveal
 * the difference of two row combinations). The table is copied. */
size_t pcs_ligero_zk_leaves_bytes(unsigned n, int certified, unsigned openings);
/* Moves a hiding state's count of served openings forward to `used`
 * (a key's count advanced elsewhere, e.g. by another prover of the same
 * key): the next opening takes slot `used`. Never backwards (aborts:
 * that would reuse a slot), at most the budget. */
void pcs_ligero_zk_set_used(const pcs_state *st, unsigned used);
pcs_state *pcs_ligero_zk_state_from_leaves(const fm61 *t, unsigned n, int certified, unsigned openings,
                                           const uint8_t *seed, const uint8_t *leaves, unsigned used);

#endif
