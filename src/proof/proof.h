/* proof.h -- the proof file container.
 *
 *   offset 0   8 bytes  magic "GKRCNNPF"
 *          8   u32      format version (PROOF_VERSION)
 *         12   u32      kind (what the body proves, PROOF_KIND_*)
 *         16   u64      body length in bytes
 *         24   body     the transcript bytes written by the prover
 * Integers are little-endian. Decoding is strict: wrong magic, unknown
 * version or kind, a length that disagrees with the file (truncation or
 * trailing bytes) are all rejected.
 */
#ifndef GKRCNN_PROOF_H
#define GKRCNN_PROOF_H

#include "../core/zk.h"

#define PROOF_MAGIC "GKRCNNPF"
#define PROOF_VERSION 2u /* 2: Ligero openings without u0 (protocol.md sec. 5) */
#define PROOF_HEADER_BYTES 24
enum { PROOF_KIND_CIRCUIT = 1, /* a layered circuit (circuit-prove) */
       PROOF_KIND_CNN = 2 /* CNN inference (prove; body: cnn_prove's transcript) */ };

/* out receives header || body. */
void proof_wrap(zk_buf *out, uint32_t kind, const uint8_t *body, size_t len);
/* On ZK_OK, *body / *blen point into file. ZK_EFORMAT with a reason. */
zk_err proof_unwrap(const uint8_t **body, size_t *blen, const uint8_t *file, size_t len, uint32_t kind) ZK_WARN_UNUSED;

#endif
