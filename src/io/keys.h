/* keys.h -- the proving-key file written by `gkrcnn setup`.
 *
 *   "GKRCNNPK" || u32 version (KEYS_VERSION) || u64 len || q_model bytes
 *
 * The proving key holds the quantized model (q_model_serialize). The CNN
 * prover (issue 4) will add the circuit and the weight commitment as
 * further sections, and a verifying key beside it. Decoding is strict:
 * wrong magic or version, truncation, trailing bytes and a model that
 * fails q_model_validate are rejected with a one-line reason.
 */
#ifndef GKRCNN_KEYS_H
#define GKRCNN_KEYS_H

#include "../quant/quant.h"

#define KEYS_PK_MAGIC "GKRCNNPK"
#define KEYS_VERSION 1u

void keys_pk_serialize(zk_buf *out, const q_model *m);
zk_err keys_pk_deserialize(q_model **m, const uint8_t *data, size_t len) ZK_WARN_UNUSED;

#endif
