/* gkr.h -- layered arithmetic circuits and the GKR protocol over M61.
 *
 * Circuit (fixed, public): layers in evaluation order 0 .. L-1. Layer l
 * holds 2^nvars values (entries that no gate writes are 0). A layer is
 *   - a public input layer: values known to the verifier;
 *   - a committed input layer: values committed with a polynomial
 *     commitment (model weights, private inputs);
 *   - a gate layer: each value is a sum of gate terms, each reading from
 *     strictly earlier layers (zkCNN-style wiring across layers):
 *        mul   out += coef * V_xsrc[x] * V_ysrc[y]   (xsrc fixed per layer)
 *        add   out += coef * V_src[in]
 *        const out += coef
 * Several gates may write the same output; their terms add up. The last
 * layer is the output layer; its values are public outputs and are sent in
 * the proof.
 *
 * Witness (per evaluation): the values of every layer.
 *
 * Protocol: see gkr.c and papers/protocol.md sec. "GKR". Everything the
 * verifier sees is in the transcript: the circuit digest and public
 * inputs (absorbed), commitments, outputs, round messages and claimed
 * evaluations (proof messages).
 */
#ifndef GKRCNN_GKR_H
#define GKRCNN_GKR_H

#include "../pcs/pcs.h"

#define GKR_MAX_VARS 28       /* at most 2^28 values per layer */
#define GKR_MAX_TOTAL_VARS 29 /* at most 2^29 values in all layers together */
#define GKR_MAX_LAYERS 4096

typedef enum { GKR_INPUT_PUBLIC = 1, GKR_INPUT_COMMITTED = 2, GKR_GATES = 3 } gkr_kind;

typedef struct {
    uint32_t out, x, y, ysrc;
    fm61 coef;
} gkr_mul;

typedef struct {
    uint32_t out, in, src;
    fm61 coef;
} gkr_add;

typedef struct {
    uint32_t out;
    fm61 coef;
} gkr_const;

typedef struct {
    gkr_kind kind;
    unsigned nvars;
    uint32_t xsrc;  /* gate layers with mul gates: source of every left input */
    gkr_mul *mul;
    size_t nmul;
    gkr_add *add;
    size_t nadd;
    gkr_const *cst;
    size_t ncst;
} gkr_layer;

typedef struct {
    gkr_layer *layers;
    size_t nlayers;
    uint8_t digest[32]; /* SHA-256 of the serialization; set by gkr_circuit_seal */
} gkr_circuit;

/* ---- circuit ---- */

/* An empty circuit with room for nlayers layers (all zeroed). */
gkr_circuit *gkr_circuit_new(size_t nlayers);
void gkr_circuit_free(gkr_circuit *c);
/* Append gates to a layer (arrays grow as needed). */
void gkr_layer_add_mul(gkr_layer *l, uint32_t out, uint32_t x, uint32_t ysrc, uint32_t y, fm61 coef);
void gkr_layer_add_add(gkr_layer *l, uint32_t out, uint32_t src, uint32_t in, fm61 coef);
void gkr_layer_add_const(gkr_layer *l, uint32_t out, fm61 coef);
/* Check structure (sources earlier, indices in range, kinds consistent)
 * and compute the digest. ZK_EINPUT with a reason if malformed. */
zk_err gkr_circuit_seal(gkr_circuit *c) ZK_WARN_UNUSED;

/* Serialization: "GKRCIRC1" || u32 version || u32 nlayers || layers. */
void gkr_circuit_serialize(zk_buf *out, const gkr_circuit *c);
/* Strict decoding of untrusted bytes; the result is sealed. */
zk_err gkr_circuit_deserialize(gkr_circuit **out, const uint8_t *data, size_t len) ZK_WARN_UNUSED;

size_t gkr_circuit_gates(const gkr_circuit *c);
const gkr_layer *gkr_output_layer(const gkr_circuit *c);

/* ---- witness ---- */

typedef struct {
    size_t nlayers;
    fm61 **v; /* v[l] has 2^nvars(l) values */
} gkr_witness;

/* Evaluate the circuit. inputs[l] gives the 2^nvars values of each input
 * layer l (entries for gate layers are ignored). Values must be canonical. */
gkr_witness *gkr_witness_new(const gkr_circuit *c, const fm61 *const *inputs);
void gkr_witness_free(gkr_witness *w);

/* ---- protocol ---- */

#define GKR_PROTOCOL "gkrcnn/gkr/v2"

/* Prover: appends the whole proof to the transcript (which writes the
 * proof bytes). The circuit must be sealed and w computed from it. */
void gkr_prove(tr_t *tr, const gkr_circuit *c, const gkr_witness *w, const pcs_scheme *pcs);

/* Verifier: public[l] are the values of each public input layer (NULL for
 * other layers). On ZK_OK, outputs (2^nvars of the output layer entries,
 * may be NULL) receives the outputs the proof attests. ZK_EPROOF or
 * ZK_EFORMAT on rejection, with zk_reason() naming the failed check.
 * The caller runs tr_finish afterwards to reject trailing bytes. */
zk_err gkr_verify(tr_t *tr, fm61 *outputs, const gkr_circuit *c, const fm61 *const *public,
                  const pcs_scheme *pcs) ZK_WARN_UNUSED;

/* As gkr_verify, and on ZK_OK commitments[l] (an array of nlayers, may be
 * NULL) receives the commitment of each committed input layer l: with the
 * outputs, this is what the proof attests ("the circuit on the public
 * inputs and on the tables committed under these roots gives these
 * outputs"). A caller that must pin a published commitment compares the
 * root; entries of other layers are zeroed. */
zk_err gkr_verify_statement(tr_t *tr, fm61 *outputs, pcs_commitment *commitments, const gkr_circuit *c,
                            const fm61 *const *public, const pcs_scheme *pcs) ZK_WARN_UNUSED;

/* Tests only: with 0, the verifier builds none of its eq-type tables and
 * evaluates every entry a gate reads on its own (the path it takes for
 * sparse layers, see gkr.c); 1 restores the default. Proof bytes and
 * verdicts do not depend on it. Not thread-safe. */
void gkr_verifier_tables(int on);

/* The bytes of eq-type tables the verifier allocates for circuit c (under
 * the current gkr_verifier_tables setting); allocates none of them. For
 * tests and for callers that budget memory: it is bounded by the circuit's
 * gate count, not by the layer sizes it declares (papers/protocol.md 4.2). */
size_t gkr_verifier_table_bytes(const gkr_circuit *c);

/* A random circuit for tests and benchmarks: `width` vars per layer,
 * `depth` gate layers above a committed (layer 0) and a public (layer 1)
 * input layer, 2^width gate outputs per layer, a mix of mul/add/const with
 * random wiring to the previous layer and, for 1 gate in 8, to the layer
 * two below (a skip connection). */
gkr_circuit *gkr_circuit_random(zk_rng *rng, unsigned width, unsigned depth);

/* Random canonical values for every input layer of c (NULL entries for
 * gate layers), as gkr_witness_new takes them; free with gkr_inputs_free. */
fm61 **gkr_inputs_random(zk_rng *rng, const gkr_circuit *c);
void gkr_inputs_free(fm61 **in, size_t nlayers);

#endif
