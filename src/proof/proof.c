#include "proof.h"

#include <string.h>

void proof_wrap(zk_buf *out, uint32_t kind, const uint8_t *body, size_t len) {
    zk_buf_put(out, PROOF_MAGIC, 8);
    zk_buf_put_u32(out, PROOF_VERSION);
    zk_buf_put_u32(out, kind);
    zk_buf_put_u64(out, len);
    zk_buf_put(out, body, len);
}

zk_err proof_unwrap(const uint8_t **body, size_t *blen, const uint8_t *file, size_t len, uint32_t kind) {
    zk_rd r;
    zk_rd_init(&r, file, len);
    char magic[8];
    uint32_t version, k;
    uint64_t n;
    if (zk_rd_get(&r, magic, 8) != ZK_OK || memcmp(magic, PROOF_MAGIC, 8) != 0) {
        zk_set_reason("not a gkrcnn proof (bad magic)");
        return ZK_EFORMAT;
    }
    if (zk_rd_u32(&r, &version) != ZK_OK || version != PROOF_VERSION) {
        zk_set_reason("unsupported proof format version");
        return ZK_EFORMAT;
    }
    if (zk_rd_u32(&r, &k) != ZK_OK || k != kind) {
        zk_set_reason("proof is of another kind (%u, expected %u)", k, kind);
        return ZK_EFORMAT;
    }
    if (zk_rd_u64(&r, &n) != ZK_OK || n != zk_rd_left(&r)) {
        zk_set_reason("proof length field disagrees with the file size (truncated or trailing bytes)");
        return ZK_EFORMAT;
    }
    *body = file + r.pos;
    *blen = (size_t)n;
    return ZK_OK;
}
