#include "keys.h"

#include <string.h>

void keys_pk_serialize(zk_buf *out, const q_model *m) {
    zk_buf body;
    zk_buf_init(&body);
    q_model_serialize(&body, m);
    zk_buf_put(out, KEYS_PK_MAGIC, 8);
    zk_buf_put_u32(out, KEYS_VERSION);
    zk_buf_put_u64(out, body.len);
    zk_buf_put(out, body.data, body.len);
    zk_buf_free(&body);
}

zk_err keys_pk_deserialize(q_model **m, const uint8_t *data, size_t len) {
    zk_rd r;
    zk_rd_init(&r, data, len);
    char magic[8];
    uint32_t version;
    uint64_t n;
    if (zk_rd_get(&r, magic, 8) != ZK_OK || memcmp(magic, KEYS_PK_MAGIC, 8) != 0) {
        zk_set_reason("not a gkrcnn proving key (bad magic)");
        return ZK_EFORMAT;
    }
    if (zk_rd_u32(&r, &version) != ZK_OK || version != KEYS_VERSION) {
        zk_set_reason("unsupported proving-key version");
        return ZK_EFORMAT;
    }
    if (zk_rd_u64(&r, &n) != ZK_OK || n != zk_rd_left(&r)) {
        zk_set_reason("proving key truncated or has trailing bytes");
        return ZK_EFORMAT;
    }
    return q_model_deserialize(m, data + r.pos, (size_t)n);
}
