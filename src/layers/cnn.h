/* cnn.h -- proofs of quantized CNN inference: one sub-protocol per network
 * layer over the integer witness of src/quant (q_run), the weights
 * committed once at setup, the prover's auxiliary values (remainders,
 * signs, max-pool choices) committed per proof and range-checked by a
 * logUp-GKR lookup. papers/protocol.md sec. 7 states the protocol; the
 * labels below are the transcript labels it uses.
 *
 * Keys.
 *   proving key (pk):   the quantized model with its constants;
 *   verifying key (vk): the model's skeleton (q_model_serialize_skeleton:
 *                       shapes, scales, shifts, no constant values), the
 *                       weight commitment (Ligero root over the weight
 *                       table of cnn_setup), and the circuit digest
 *                       SHA-256("gkrcnn/cnn/v2" || skeleton || weight-table
 *                       size || root), which the verifier recomputes.
 * A zero-knowledge key (q_settings.zk_mc) commits W hiding, for a budget of
 * openings that the proving key counts (cnn_key.wused; protocol.md 9.5).
 * The verifying key carries a weight-range certificate (below): loading it
 * checks that the committed weights are integers in the ranges from which
 * the verifier's own field bound (quant.h sec. 4, q_model_check_ranges)
 * follows. The rest of the key (shapes, scales, the model it describes) is
 * the model owner's choice, as with any per-circuit key.
 *
 * Statement. "The committed model, on input x, outputs y": x and y are
 * carried in the proof (labels cnn/input, cnn/output) and bound into the
 * transcript after the circuit digest and the weight root and before the
 * auxiliary commitment and any challenge.
 *
 * Errors: cnn_verify returns ZK_EPROOF with a one-line reason naming the
 * layer (node name and op) or the step whose check failed, ZK_EFORMAT for
 * malformed bytes; never aborts on proof data.
 *
 * The hooks the tests and fuzz targets use (malicious provers, tampered
 * messages, the certificate threshold) are in cnn_test.h, not here.
 */
#ifndef GKRCNN_CNN_H
#define GKRCNN_CNN_H

#include "../pcs/pcs.h"
#include "../quant/quant.h"


#define CNN_PK_MAGIC "GKRCNNPK"
#define CNN_VK_MAGIC "GKRCNNVK"
#define CNN_KEY_VERSION 5u /* the vk's; 4: the weight-range certificate; 5: large Clips by table */
#define CNN_PK_VERSION 7u  /* 4: the weight commitment's Merkle leaves; 5: the weight-range certificate; 6: large Clips by table;
                            * 7: the weight commitment's encoded matrix */
/* A zero-knowledge key with weights (hiding weight commitment, below) is
 * written with these versions; every other key keeps the ones above and
 * its bytes. */
#define CNN_KEY_VERSION_ZKW 7u /* 7: the hiding W always certified, its codeword up to 2^20 cells */
#define CNN_PK_VERSION_ZKW 9u /* 9: the weight commitment's encoded matrix */
/* A proving key keeps its weight commitment's encoded matrix (every
 * codeword column, as its leaf hashes it) when that takes at most this many
 * bytes (LeNet-5: 13.1 MB hiding, 4.2 MB plain; VGG-16's would be hundreds
 * of MB): a proof then copies its queried columns instead of encoding every
 * row of W at them. */
#define CNN_PK_ENCODED_MAX ((size_t)1 << 24)
/* The opening budget of a zero-knowledge key's weight commitment when
 * setup is not given one (cnn_setup; protocol.md sec. 9.5 has the cost of
 * other budgets): the weight-range certificate's opening and 7 proofs. */
#define CNN_WEIGHT_ZK_DEFAULT_OPENINGS 8u
/* Weight tables of at least 2^CNN_WEIGHT_CERT_MIN_VARS entries get a
 * certified commitment (pcs.h): setup makes the proximity certificate, the
 * keys carry it, loading a vk checks it, and every proof then opens the
 * weights with PCS_LIGERO_CERT_OPEN_QUERIES column queries instead of
 * PCS_LIGERO_QUERIES (protocol.md sec. 5). Below it the certificate would
 * cost the verifier more than the shorter openings save. A zero-knowledge
 * key's hiding W is certified at every size (cnn_weights_certified: its
 * budget makes every row t = B q + 711 longer, and the certified q is
 * about half). */
#define CNN_WEIGHT_CERT_MIN_VARS 20

typedef struct {
    q_model *m;            /* full model (pk) or skeleton (vk); owned */
    unsigned w_nvars;      /* weight table 2^w_nvars entries; 0: no constants */
    pcs_commitment wcom;   /* weight commitment (when w_nvars > 0) */
    uint8_t *wcert;        /* its proximity certificate (certified tables), owned */
    size_t wcert_len;
    uint8_t *wleaves;      /* pk: the commitment's Merkle leaf digests (pcs_ligero_leaves), owned */
    size_t wleaves_len;
    const uint8_t *wenc;   /* pk: the commitment's encoded matrix (pcs_ligero_encoded) when it takes at most
                            * CNN_PK_ENCODED_MAX bytes, else NULL; inside wenc_buf */
    size_t wenc_len;
    uint8_t *wenc_buf;     /* owned: the block holding wenc (its own allocation, or the key file's
                            * mapping given to cnn_pk_deserialize_mapped) */
    size_t wenc_map_len;   /* not 0: wenc_buf is that mapping, of this length (munmap) */
    uint8_t *wrange;       /* the weight-range certificate (when w_nvars > 0), owned */
    size_t wrange_len;
    uint8_t digest[32];    /* circuit digest (see above) */
    /* A zero-knowledge key with weights (m->s.zk_mc, w_nvars > 0): W is
     * committed with pcs_ligero_zk (wcom.zk = 1) for wcom.openings openings
     * in all, the weight-range certificate's and one per proof; W has a
     * random pad region (plan.h, wpad) drawn from the seed. */
    uint8_t wseed[PCS_LIGERO_ZK_SEED_BYTES]; /* pk: the commitment's seed (secret: W's masks and pad) */
    unsigned *wused;       /* pk: openings served so far, a counter behind the const key: every proof
                            * takes slot *wused and advances it (owned; NULL for other keys) */
    size_t wused_at;       /* pk read by cnn_pk_deserialize: offset of the u32 count in its bytes (0: none) */
} cnn_key;

void cnn_key_free(cnn_key *k);

/* -log2 of an upper bound on the probability that a false statement is
 * accepted (interactive soundness; protocol.md sec. 7.6). setup refuses a
 * model below CNN_MIN_SOUNDNESS_BITS. */
#define CNN_MIN_SOUNDNESS_BITS 100
double cnn_soundness_bits(const cnn_key *k);

/* The weight-range certificate (protocol.md sec. 7.1.1): setup proves
 * once that every committed constant lies in its range (q_const_bits:
 * weights b_w-bit two's complement, biases acc_bits + 1 bits, ...) and
 * that W is 0 beyond its regions; loading a vk checks it (and
 * q_model_check_ranges on the skeleton), so that the field bound of quant.h
 * sec. 4 holds for the committed weights without the verifier seeing them.
 * -log2 of the bound on its error (interactive); 0 for a model without
 * weights. setup refuses a model below CNN_MIN_SOUNDNESS_BITS. */
double cnn_wrange_bits(const cnn_key *k);

/* Fiat-Shamir (protocol.md sec. 6): -log2 of a bound, from the plan, on
 * the error of any single challenge of a proof of this model (its
 * round-by-round soundness). A prover making T hash calls gets a false
 * statement accepted with probability at most T * 2^-bits; the CLI prints
 * the figure for T = 2^CNN_FS_LOG2_CALLS. */
double cnn_rbr_bits(const cnn_key *k);
#define CNN_FS_LOG2_CALLS 64

/* Setup: takes ownership of m (validated, with constants), builds the
 * weight table and commits to it. ZK_EINPUT with a reason when the model
 * cannot be proved (e.g. an average pool whose divisor 2n exceeds 2^16). */
zk_err cnn_setup(cnn_key **pk, q_model *m) ZK_WARN_UNUSED;
/* The same with the opening budget of a zero-knowledge key's weight
 * commitment (1..PCS_LIGERO_ZK_MAX_OPENINGS, counting the weight-range
 * certificate's opening: budget - 1 proofs; ignored for other keys);
 * cnn_setup uses CNN_WEIGHT_ZK_DEFAULT_OPENINGS. */
zk_err cnn_setup_zk(cnn_key **pk, q_model *m, unsigned w_budget) ZK_WARN_UNUSED;
/* Proofs a zero-knowledge proving key with weights can still make (its
 * budget less its count); -1 for a key without a hiding weight commitment
 * (no bound). */
long cnn_key_proofs_left(const cnn_key *pk);

/* Key files. pk: magic | u32 version (CNN_PK_VERSION) | u64 len | q_model
 * bytes | root(32) | u32 w_nvars | u64 leaves_len | Merkle leaf digests |
 * u64 enc_len | zero bytes up to a multiple of 16 from the key's start |
 * encoded matrix (enc_len 0, or pcs_ligero_encoded_bytes: CNN_PK_ENCODED_MAX) |
 * u64 range_len | weight-range certificate | u64 cert_len | certificate;
 * vk: magic | u32 version (CNN_KEY_VERSION) | u64 len | skeleton bytes |
 * root(32) | u32 w_nvars | u64 range_len | weight-range certificate |
 * u64 cert_len | certificate. The leaves (32 bytes per codeword column,
 * 2 MB for VGG-16) and the weight-range certificate are present exactly
 * when w_nvars > 0, the (proximity) certificate exactly for certified
 * weight tables (CNN_WEIGHT_CERT_MIN_VARS; every hiding W). A zero-knowledge key with
 * weights (hiding W; versions CNN_KEY_VERSION_ZKW, CNN_PK_VERSION_ZKW) has
 * after w_nvars: vk: u32 budget; pk: u32 budget | u32 used | seed(32);
 * its leaves are pcs_ligero_zk_leaves_bytes and its certificate the hiding
 * one. A prover that rewrites a pk file after proving may update just the
 * 4 bytes of the count at wused_at (the CLI does, under a lock). Strict decoding (ZK_EFORMAT
 * with a reason); loading a vk checks the proximity certificate against
 * the root, then the skeleton's field bound with its constants anywhere in
 * their certified ranges (q_model_check_ranges) and the weight-range
 * certificate: a key that fails any of these is refused (ZK_EFORMAT,
 * "unusable key"). Loading a pk recomputes nothing. cnn_prover_new recommits the
 * weights and refuses a pk whose weights disagree with its root; cnn_prove
 * (cnn_prover_new_lazy) refuses one whose leaves disagree with it, and
 * one whose weights disagree with a leaf its opening sends; with the
 * key's encoded matrix, its openings copy their columns from it, and it
 * refuses a proof whose columns disagree with their leaves or with the
 * combinations of the weights it sends (pcs_ligero_attach_encoded). */
void cnn_pk_serialize(zk_buf *out, const cnn_key *pk);
void cnn_vk_serialize(zk_buf *out, const cnn_key *pk);
zk_err cnn_pk_deserialize(cnn_key **pk, const uint8_t *data, size_t len) ZK_WARN_UNUSED;
/* The same from a mapping of the key file (mmap, PROT_READ, page-aligned,
 * len bytes), which it takes over: kept by the key (munmap by
 * cnn_key_free) when the key holds the encoded matrix, which then stays
 * in the mapping (a proof touches only its queried columns' pages),
 * else unmapped before it returns, also on error. The file must not
 * shrink while the key lives (a truncated mapping faults: SIGBUS). */
zk_err cnn_pk_deserialize_mapped(cnn_key **pk, void *map, size_t len) ZK_WARN_UNUSED;
zk_err cnn_vk_deserialize(cnn_key **vk, const uint8_t *data, size_t len) ZK_WARN_UNUSED;

/* Prover phases, in seconds (wall clock), and sizes. */
enum { CNN_PH_WITNESS, CNN_PH_COMMIT, CNN_PH_CONV, CNN_PH_FC, CNN_PH_ACT, CNN_PH_POOL, CNN_PH_OTHER,
       CNN_PH_MERGE, CNN_PH_LOOKUP, CNN_PH_OPEN, CNN_NPHASES };
extern const char *const cnn_phase_names[CNN_NPHASES];

typedef struct {
    double t[CNN_NPHASES];
    double total;
    size_t proof_bytes;   /* transcript bytes (without the file header) */
    size_t adv_cells;     /* committed auxiliary cells (2^n) */
    size_t w_cells;       /* committed weight cells (2^n) */
    size_t lookups;       /* lookup leaves (2^n) */
    /* -log2 of the soundness error counted challenge by challenge on this
     * proof's path (the degree each challenge must avoid, plus the Ligero
     * terms; protocol.md sec. 7.6). cnn_soundness_bits, the bound setup
     * enforces, is computed from the plan alone and must not exceed it:
     * the tests check that on every model they prove. */
    double counted_bits;
    /* -log2 of the largest single-challenge error on this proof's path
     * (cnn_rbr_bits bounds it from the plan; the tests check it). */
    double rbr_bits;
    /* a zero-knowledge key with weights: the mask slot this proof's weight
     * opening used (the key's count before the proof); -1 otherwise */
    long w_slot;
} cnn_stats;

/* Prover: quantized input (numel of tensor 0, -2^(b_act-1) <= q < 2^(b_act-1)) ->
 * proof body (the transcript bytes; wrap it with proof_wrap,
 * PROOF_KIND_CNN). *wit_out (optional) receives the witness (the output
 * is q_output(m, wit)). ZK_EINPUT with a reason when inference fails
 * (value out of the calibrated range). st may be NULL.
 * A zero-knowledge key with weights: the proof takes the key's next mask
 * slot of the weight commitment and advances *pk->wused (also when it
 * fails after that); ZK_EINPUT "the weight commitment's opening budget (N)
 * is used up; run setup again" when none is left, and ZK_EINPUT when this
 * process has already opened that commitment at that slot (a stale copy
 * of the key: its count is behind). A caller that keeps the key in a file
 * must write the advanced count before it releases the proof. */
zk_err cnn_prove(zk_buf *proof, const cnn_key *pk, const int64_t *input_q, q_witness **wit_out, cnn_stats *st)
    ZK_WARN_UNUSED;

/* A prover that keeps one proving key's weight table and its commitment
 * (the Ligero encoding, for VGG-16 0.5 GB and most of a cold proof's
 * commit phase) across proofs: cnn_prover_new builds and checks them
 * against the key's root (ZK_EFORMAT if they disagree), then
 * cnn_prover_prove gives the same proofs as cnn_prove, whose stats count
 * the weight commitment and cnn_prover_prove's do not. pk must outlive the
 * prover. cnn_prove is cnn_prover_new, one proof, cnn_prover_free. */
typedef struct cnn_prover cnn_prover;
zk_err cnn_prover_new(cnn_prover **pv, const cnn_key *pk) ZK_WARN_UNUSED;
/* A prover for few proofs: it builds the weight table but does not encode
 * it; the tree comes from the key's leaves, and each proof's weight
 * opening encodes the rows once to read its queried columns (the NTTs;
 * no 4x-size matrix, no hashing). The same proofs. cnn_prove uses it. */
zk_err cnn_prover_new_lazy(cnn_prover **pv, const cnn_key *pk) ZK_WARN_UNUSED;
zk_err cnn_prover_prove(cnn_prover *pv, zk_buf *proof, const int64_t *input_q, q_witness **wit_out, cnn_stats *st)
    ZK_WARN_UNUSED;
void cnn_prover_free(cnn_prover *pv);
void cnn_prover_set_input_seed(cnn_prover *pv, const uint8_t *seed);
void cnn_prover_set_output_seed(cnn_prover *pv, const uint8_t *seed);

/* Verifier: on ZK_OK, *input_q and *output_q (optional, malloc'd; numel of
 * tensor 0 and of the output tensor) are the statement the proof attests.
 * For a key with a private input (q_settings.in_vis) *input_q is NULL: the
 * statement's input is a commitment (cnn_verify_private). */
zk_err cnn_verify(const cnn_key *vk, const uint8_t *proof, size_t len, int64_t **input_q, int64_t **output_q)
    ZK_WARN_UNUSED;

/* A private input (Q_IN_PRIVATE; protocol.md sec. 9.6) or output
 * (Q_OUT_PRIVATE; sec. 9.7). The statement holds, in place of the tensor,
 * the root of a hiding commitment (pcs_ligero_zk, one opening) to its
 * quantized values, made from a 32-byte seed:
 *   cnn_verify_private: verifies as cnn_verify (*input_q / *output_q NULL
 *     for a private one) and writes the proof's roots of the private ones
 *     (ZK_EINPUT for a key with neither private);
 *   cnn_input_root, cnn_output_root: the root of that commitment for given
 *     values and seed (the opening: whoever has the seed and the values can
 *     check that a proof was about them). The seed fixes all of the
 *     commitment's randomness, so the seed and the proof together give the
 *     committed values away (protocol.md sec. 9.6): the seed is as secret
 *     as the values;
 *   cnn_prover_set_input_seed, cnn_prover_set_output_seed: the seed of the
 *     next proof's commitment, for that one proof only (two proofs from
 *     one seed would open one budget-1 commitment twice and give the table
 *     away); without it, or after that proof, each proof draws a fresh one,
 *     which nobody keeps. */
zk_err cnn_verify_private(const cnn_key *vk, const uint8_t *proof, size_t len, int64_t **input_q,
                          int64_t **output_q, uint8_t in_root[PCS_DIGEST_BYTES], uint8_t out_root[PCS_DIGEST_BYTES])
    ZK_WARN_UNUSED;
zk_err cnn_input_root(uint8_t root[PCS_DIGEST_BYTES], const cnn_key *k, const int64_t *input_q, const uint8_t *seed)
    ZK_WARN_UNUSED;
zk_err cnn_output_root(uint8_t root[PCS_DIGEST_BYTES], const cnn_key *k, const int64_t *output_q, const uint8_t *seed)
    ZK_WARN_UNUSED;

#endif
