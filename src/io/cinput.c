#include "cinput.h"

#include <string.h>

#define CINPUT_MAGIC "GKRCINP1"

static int cinput_wanted(const gkr_circuit *c, size_t l, int public_only) {
    gkr_kind k = c->layers[l].kind;
    return public_only ? k == GKR_INPUT_PUBLIC : k != GKR_GATES;
}

void cinput_serialize(zk_buf *out, const gkr_circuit *c, const fm61 *const *values, int public_only) {
    uint32_t count = 0;
    for (size_t l = 0; l < c->nlayers; l++) count += (uint32_t)cinput_wanted(c, l, public_only);
    zk_buf_put(out, CINPUT_MAGIC, 8);
    zk_buf_put_u32(out, count);
    for (size_t l = 0; l < c->nlayers; l++) {
        if (!cinput_wanted(c, l, public_only)) continue;
        size_t n = (size_t)1 << c->layers[l].nvars;
        zk_buf_put_u32(out, (uint32_t)l);
        zk_buf_put_u64(out, n);
        for (size_t i = 0; i < n; i++) zk_buf_put_u64(out, values[l][i]);
    }
}

void cinput_free(fm61 **values, size_t nlayers) {
    if (!values) return;
    for (size_t l = 0; l < nlayers; l++) free(values[l]);
    free(values);
}

zk_err cinput_deserialize(fm61 ***values, const gkr_circuit *c, const uint8_t *data, size_t len, int public_only) {
    zk_rd r;
    zk_rd_init(&r, data, len);
    char magic[8];
    uint32_t count;
    if (zk_rd_get(&r, magic, 8) != ZK_OK || memcmp(magic, CINPUT_MAGIC, 8) != 0) {
        zk_set_reason("not a gkrcnn circuit input file (bad magic)");
        return ZK_EFORMAT;
    }
    if (zk_rd_u32(&r, &count) != ZK_OK) {
        zk_set_reason("input file truncated");
        return ZK_EFORMAT;
    }
    fm61 **v = zk_calloc(c->nlayers, sizeof *v);
    size_t next = 0; /* records must name the wanted layers in order */
    for (uint32_t rec = 0; rec <= count; rec++) {
        while (next < c->nlayers && !cinput_wanted(c, next, public_only)) next++;
        if (rec == count) {
            if (next != c->nlayers) {
                zk_set_reason("input file lacks layer %zu", next);
                goto bad;
            }
            break;
        }
        uint32_t layer;
        uint64_t n;
        if (zk_rd_u32(&r, &layer) != ZK_OK || zk_rd_u64(&r, &n) != ZK_OK) {
            zk_set_reason("input file truncated");
            goto bad;
        }
        if (next >= c->nlayers || layer != next) {
            zk_set_reason("input file: unexpected record for layer %u", layer);
            goto bad;
        }
        size_t want = (size_t)1 << c->layers[layer].nvars;
        if (n != want) {
            zk_set_reason("input file: layer %u has %llu values, the circuit needs %zu", layer, (unsigned long long)n,
                          want);
            goto bad;
        }
        if (want > zk_rd_left(&r) / 8) {
            zk_set_reason("input file truncated in layer %u", layer);
            goto bad;
        }
        v[layer] = zk_malloc_n(want, sizeof *v[layer]);
        for (size_t i = 0; i < want; i++) {
            uint8_t b[8];
            if (zk_rd_get(&r, b, 8) != ZK_OK || fm61_decode(&v[layer][i], b) != ZK_OK) {
                zk_set_reason("input file: layer %u value %zu is not a canonical field element", layer, i);
                goto bad;
            }
        }
        next++;
    }
    if (zk_rd_left(&r) != 0) {
        zk_set_reason("input file: %zu trailing bytes", zk_rd_left(&r));
        goto bad;
    }
    *values = v;
    return ZK_OK;
bad:
    cinput_free(v, c->nlayers);
    return ZK_EFORMAT;
}
