/* cinput.h -- input-value files for a GKR circuit (CLI circuit-* commands).
 *
 *   "GKRCINP1" || u32 count || count records:
 *       u32 layer || u64 n || n values (u64 little-endian, canonical mod p)
 * A full input file holds every input layer of the circuit; a public file
 * holds exactly the public input layers. Records are in increasing layer
 * order, each with n = 2^nvars of its layer. Strict decoding.
 */
#ifndef GKRCNN_CINPUT_H
#define GKRCNN_CINPUT_H

#include "../gkr/gkr.h"

/* Write the input layers of c (public_only: just the public ones). */
void cinput_serialize(zk_buf *out, const gkr_circuit *c, const fm61 *const *values, int public_only);
/* Parse into a per-layer array (NULL for absent layers); free with
 * cinput_free(values, c->nlayers). ZK_EFORMAT with a reason. */
zk_err cinput_deserialize(fm61 ***values, const gkr_circuit *c, const uint8_t *data, size_t len, int public_only)
    ZK_WARN_UNUSED;
void cinput_free(fm61 **values, size_t nlayers);

#endif
