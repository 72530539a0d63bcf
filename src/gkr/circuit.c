/* Circuit representation, validation, serialization and evaluation. */
#include <openssl/evp.h>
#include <string.h>

#include "gkr.h"

#define GKR_CIRCUIT_MAGIC "GKRCIRC1"
#define GKR_CIRCUIT_VERSION 1u

gkr_circuit *gkr_circuit_new(size_t nlayers) {
    ZK_CHECK(nlayers >= 1 && nlayers <= GKR_MAX_LAYERS);
    gkr_circuit *c = zk_calloc(1, sizeof *c);
    c->layers = zk_calloc(nlayers, sizeof *c->layers);
    c->nlayers = nlayers;
    return c;
}

void gkr_circuit_free(gkr_circuit *c) {
    if (!c) return;
    for (size_t l = 0; l < c->nlayers; l++) {
        free(c->layers[l].mul);
        free(c->layers[l].add);
        free(c->layers[l].cst);
    }
    free(c->layers);
    free(c);
}

/* Capacity doubling: capacity is the next power of two >= n. */
static void *gkr_grow(void *p, size_t n, size_t size) {
    if (n == 0 || (n & (n - 1)) == 0) return zk_realloc_n(p, n ? 2 * n : 1, size);
    return p;
}

void gkr_layer_add_mul(gkr_layer *l, uint32_t out, uint32_t x, uint32_t ysrc, uint32_t y, fm61 coef) {
    l->mul = gkr_grow(l->mul, l->nmul, sizeof *l->mul);
    l->mul[l->nmul++] = (gkr_mul){.out = out, .x = x, .y = y, .ysrc = ysrc, .coef = coef};
}

void gkr_layer_add_add(gkr_layer *l, uint32_t out, uint32_t src, uint32_t in, fm61 coef) {
    l->add = gkr_grow(l->add, l->nadd, sizeof *l->add);
    l->add[l->nadd++] = (gkr_add){.out = out, .in = in, .src = src, .coef = coef};
}

void gkr_layer_add_const(gkr_layer *l, uint32_t out, fm61 coef) {
    l->cst = gkr_grow(l->cst, l->ncst, sizeof *l->cst);
    l->cst[l->ncst++] = (gkr_const){.out = out, .coef = coef};
}

static size_t gkr_layer_size(const gkr_circuit *c, size_t l) { return (size_t)1 << c->layers[l].nvars; }

/* Structural check of layer l; sets a reason and returns ZK_EINPUT. */
static zk_err gkr_layer_check(const gkr_circuit *c, size_t l) {
    const gkr_layer *L = &c->layers[l];
    if (L->kind != GKR_INPUT_PUBLIC && L->kind != GKR_INPUT_COMMITTED && L->kind != GKR_GATES) {
        zk_set_reason("circuit layer %zu: unknown kind %d", l, (int)L->kind);
        return ZK_EINPUT;
    }
    if (L->nvars > GKR_MAX_VARS) {
        zk_set_reason("circuit layer %zu: %u variables exceeds the limit %d", l, L->nvars, GKR_MAX_VARS);
        return ZK_EINPUT;
    }
    if (L->kind != GKR_GATES) {
        if (L->nmul || L->nadd || L->ncst) {
            zk_set_reason("circuit layer %zu: input layer has gates", l);
            return ZK_EINPUT;
        }
        if (L->kind == GKR_INPUT_COMMITTED && L->nvars < 1) {
            zk_set_reason("circuit layer %zu: committed layer needs at least 1 variable", l);
            return ZK_EINPUT;
        }
        return ZK_OK;
    }
    size_t size = gkr_layer_size(c, l);
    if (L->nmul && L->xsrc >= l) {
        zk_set_reason("circuit layer %zu: mul source layer %u is not earlier", l, L->xsrc);
        return ZK_EINPUT;
    }
    for (size_t g = 0; g < L->nmul; g++) {
        const gkr_mul *m = &L->mul[g];
        if (m->ysrc >= l || m->out >= size || m->x >= gkr_layer_size(c, L->xsrc) ||
            m->y >= gkr_layer_size(c, m->ysrc) || !fm61_is_canonical(m->coef)) {
            zk_set_reason("circuit layer %zu: mul gate %zu out of range", l, g);
            return ZK_EINPUT;
        }
    }
    for (size_t g = 0; g < L->nadd; g++) {
        const gkr_add *a = &L->add[g];
        if (a->src >= l || a->out >= size || a->in >= gkr_layer_size(c, a->src) || !fm61_is_canonical(a->coef)) {
            zk_set_reason("circuit layer %zu: add gate %zu out of range", l, g);
            return ZK_EINPUT;
        }
    }
    for (size_t g = 0; g < L->ncst; g++) {
        if (L->cst[g].out >= size || !fm61_is_canonical(L->cst[g].coef)) {
            zk_set_reason("circuit layer %zu: const gate %zu out of range", l, g);
            return ZK_EINPUT;
        }
    }
    return ZK_OK;
}

zk_err gkr_circuit_seal(gkr_circuit *c) {
    if (c->nlayers < 1 || c->nlayers > GKR_MAX_LAYERS) {
        zk_set_reason("circuit: %zu layers is out of range", c->nlayers);
        return ZK_EINPUT;
    }
    for (size_t l = 0; l < c->nlayers; l++) {
        zk_err e = gkr_layer_check(c, l);
        if (e != ZK_OK) return e;
    }
    uint64_t total = 0;
    for (size_t l = 0; l < c->nlayers; l++) total += (uint64_t)1 << c->layers[l].nvars;
    if (total > (uint64_t)1 << GKR_MAX_TOTAL_VARS) {
        zk_set_reason("circuit: %llu values in all layers exceeds the limit 2^%d", (unsigned long long)total,
                      GKR_MAX_TOTAL_VARS);
        return ZK_EINPUT;
    }
    if (c->layers[c->nlayers - 1].kind != GKR_GATES) {
        zk_set_reason("circuit: the last (output) layer must be a gate layer");
        return ZK_EINPUT;
    }
    zk_buf b;
    zk_buf_init(&b);
    gkr_circuit_serialize(&b, c);
    unsigned int len = 0;
    ZK_CHECK(EVP_Digest(b.data, b.len, c->digest, &len, zk_sha256(), NULL) == 1 && len == 32);
    zk_buf_free(&b);
    return ZK_OK;
}

void gkr_circuit_serialize(zk_buf *out, const gkr_circuit *c) {
    zk_buf_put(out, GKR_CIRCUIT_MAGIC, 8);
    zk_buf_put_u32(out, GKR_CIRCUIT_VERSION);
    zk_buf_put_u32(out, (uint32_t)c->nlayers);
    for (size_t l = 0; l < c->nlayers; l++) {
        const gkr_layer *L = &c->layers[l];
        zk_buf_put_u32(out, (uint32_t)L->kind);
        zk_buf_put_u32(out, L->nvars);
        zk_buf_put_u32(out, L->xsrc);
        zk_buf_put_u64(out, L->nmul);
        zk_buf_put_u64(out, L->nadd);
        zk_buf_put_u64(out, L->ncst);
        for (size_t g = 0; g < L->nmul; g++) {
            zk_buf_put_u32(out, L->mul[g].out);
            zk_buf_put_u32(out, L->mul[g].x);
            zk_buf_put_u32(out, L->mul[g].ysrc);
            zk_buf_put_u32(out, L->mul[g].y);
            zk_buf_put_u64(out, L->mul[g].coef);
        }
        for (size_t g = 0; g < L->nadd; g++) {
            zk_buf_put_u32(out, L->add[g].out);
            zk_buf_put_u32(out, L->add[g].src);
            zk_buf_put_u32(out, L->add[g].in);
            zk_buf_put_u64(out, L->add[g].coef);
        }
        for (size_t g = 0; g < L->ncst; g++) {
            zk_buf_put_u32(out, L->cst[g].out);
            zk_buf_put_u64(out, L->cst[g].coef);
        }
    }
}

/* A gate count is accepted only if the remaining bytes can hold it, so a
 * hostile header cannot make us allocate more than the file's size. */
static zk_err gkr_rd_count(zk_rd *r, size_t *out, size_t gate_bytes) {
    uint64_t n;
    if (zk_rd_u64(r, &n) != ZK_OK) return ZK_EFORMAT;
    if (n > zk_rd_left(r) / gate_bytes) return ZK_EFORMAT;
    *out = (size_t)n;
    return ZK_OK;
}

static zk_err gkr_rd_fm61(zk_rd *r, fm61 *out) {
    uint8_t b[8];
    if (zk_rd_get(r, b, 8) != ZK_OK) return ZK_EFORMAT;
    return fm61_decode(out, b);
}

static zk_err gkr_circuit_parse(gkr_circuit **out, zk_rd *r) {
    char magic[8];
    uint32_t version, nlayers;
    if (zk_rd_get(r, magic, 8) != ZK_OK || memcmp(magic, GKR_CIRCUIT_MAGIC, 8) != 0) {
        zk_set_reason("circuit: bad magic (not a gkrcnn circuit file)");
        return ZK_EFORMAT;
    }
    if (zk_rd_u32(r, &version) != ZK_OK || version != GKR_CIRCUIT_VERSION) {
        zk_set_reason("circuit: unsupported version");
        return ZK_EFORMAT;
    }
    if (zk_rd_u32(r, &nlayers) != ZK_OK || nlayers < 1 || nlayers > GKR_MAX_LAYERS) {
        zk_set_reason("circuit: bad layer count");
        return ZK_EFORMAT;
    }
    gkr_circuit *c = gkr_circuit_new(nlayers);
    *out = c;
    for (size_t l = 0; l < nlayers; l++) {
        gkr_layer *L = &c->layers[l];
        uint32_t kind, nvars;
        if (zk_rd_u32(r, &kind) != ZK_OK || zk_rd_u32(r, &nvars) != ZK_OK || zk_rd_u32(r, &L->xsrc) != ZK_OK)
            goto trunc;
        L->kind = (gkr_kind)kind;
        L->nvars = nvars;
        if (gkr_rd_count(r, &L->nmul, 24) != ZK_OK) goto trunc;
        if (gkr_rd_count(r, &L->nadd, 20) != ZK_OK) goto trunc;
        if (gkr_rd_count(r, &L->ncst, 12) != ZK_OK) goto trunc;
        if ((uint64_t)L->nmul * 24 + (uint64_t)L->nadd * 20 + (uint64_t)L->ncst * 12 > zk_rd_left(r)) goto trunc;
        L->mul = zk_malloc_n(L->nmul ? L->nmul : 1, sizeof *L->mul);
        L->add = zk_malloc_n(L->nadd ? L->nadd : 1, sizeof *L->add);
        L->cst = zk_malloc_n(L->ncst ? L->ncst : 1, sizeof *L->cst);
        for (size_t g = 0; g < L->nmul; g++) {
            gkr_mul *m = &L->mul[g];
            if (zk_rd_u32(r, &m->out) || zk_rd_u32(r, &m->x) || zk_rd_u32(r, &m->ysrc) || zk_rd_u32(r, &m->y) ||
                gkr_rd_fm61(r, &m->coef))
                goto trunc;
        }
        for (size_t g = 0; g < L->nadd; g++) {
            gkr_add *a = &L->add[g];
            if (zk_rd_u32(r, &a->out) || zk_rd_u32(r, &a->src) || zk_rd_u32(r, &a->in) || gkr_rd_fm61(r, &a->coef))
                goto trunc;
        }
        for (size_t g = 0; g < L->ncst; g++)
            if (zk_rd_u32(r, &L->cst[g].out) || gkr_rd_fm61(r, &L->cst[g].coef)) goto trunc;
    }
    if (zk_rd_left(r) != 0) {
        zk_set_reason("circuit: %zu trailing bytes", zk_rd_left(r));
        return ZK_EFORMAT;
    }
    return ZK_OK;
trunc:
    zk_set_reason("circuit: truncated or non-canonical data");
    return ZK_EFORMAT;
}

zk_err gkr_circuit_deserialize(gkr_circuit **out, const uint8_t *data, size_t len) {
    zk_rd r;
    zk_rd_init(&r, data, len);
    gkr_circuit *c = NULL;
    zk_err e = gkr_circuit_parse(&c, &r);
    if (e == ZK_OK) {
        e = gkr_circuit_seal(c);
        if (e != ZK_OK) e = ZK_EFORMAT;
    }
    if (e != ZK_OK) {
        gkr_circuit_free(c);
        return e;
    }
    *out = c;
    return ZK_OK;
}

size_t gkr_circuit_gates(const gkr_circuit *c) {
    size_t n = 0;
    for (size_t l = 0; l < c->nlayers; l++) n += c->layers[l].nmul + c->layers[l].nadd + c->layers[l].ncst;
    return n;
}

const gkr_layer *gkr_output_layer(const gkr_circuit *c) { return &c->layers[c->nlayers - 1]; }

gkr_witness *gkr_witness_new(const gkr_circuit *c, const fm61 *const *inputs) {
    gkr_witness *w = zk_calloc(1, sizeof *w);
    w->nlayers = c->nlayers;
    w->v = zk_calloc(c->nlayers, sizeof *w->v);
    for (size_t l = 0; l < c->nlayers; l++) {
        const gkr_layer *L = &c->layers[l];
        size_t size = gkr_layer_size(c, l);
        fm61 *v = w->v[l] = zk_aligned_n(size, sizeof *v);
        if (L->kind != GKR_GATES) {
            ZK_CHECK(inputs && inputs[l]);
            for (size_t i = 0; i < size; i++) {
                ZK_CHECK(fm61_is_canonical(inputs[l][i]));
                v[i] = inputs[l][i];
            }
            continue;
        }
        memset(v, 0, size * sizeof *v);
        const fm61 *vx = L->nmul ? w->v[L->xsrc] : NULL;
        for (size_t g = 0; g < L->nmul; g++) {
            const gkr_mul *m = &L->mul[g];
            v[m->out] = fm61_add(v[m->out], fm61_mul(m->coef, fm61_mul(vx[m->x], w->v[m->ysrc][m->y])));
        }
        for (size_t g = 0; g < L->nadd; g++) {
            const gkr_add *a = &L->add[g];
            v[a->out] = fm61_add(v[a->out], fm61_mul(a->coef, w->v[a->src][a->in]));
        }
        for (size_t g = 0; g < L->ncst; g++) v[L->cst[g].out] = fm61_add(v[L->cst[g].out], L->cst[g].coef);
    }
    return w;
}

void gkr_witness_free(gkr_witness *w) {
    if (!w) return;
    for (size_t l = 0; l < w->nlayers; l++) free(w->v[l]);
    free(w->v);
    free(w);
}

static fm61 gkr_rand_fm61(zk_rng *rng) { return fm61_reduce64(zk_rng_u64(rng) >> 3); }

gkr_circuit *gkr_circuit_random(zk_rng *rng, unsigned width, unsigned depth) {
    ZK_CHECK(width >= 1 && width <= GKR_MAX_VARS && depth >= 1);
    gkr_circuit *c = gkr_circuit_new(depth + 2);
    c->layers[0].kind = GKR_INPUT_COMMITTED;
    c->layers[0].nvars = width;
    c->layers[1].kind = GKR_INPUT_PUBLIC;
    c->layers[1].nvars = width;
    uint32_t size = 1u << width;
    for (size_t l = 2; l < c->nlayers; l++) {
        gkr_layer *L = &c->layers[l];
        L->kind = GKR_GATES;
        L->nvars = width;
        /* the first gate layer multiplies committed values by public ones */
        uint32_t prev = l == 2 ? 0 : (uint32_t)(l - 1);
        L->xsrc = prev;
        for (uint32_t g = 0; g < size; g++) {
            uint64_t r = zk_rng_u64(rng);
            /* skip connection (as in a residual block): 1 in 8 gates also
             * read the layer two below; the first gate layer reads both inputs */
            uint32_t src = l == 2 ? (uint32_t)(zk_rng_u64(rng) % 2) : (r & 7) == 0 ? (uint32_t)(l - 2) : prev;
            uint32_t a = (uint32_t)(zk_rng_u64(rng) & (size - 1));
            uint32_t b = (uint32_t)(zk_rng_u64(rng) & (size - 1));
            fm61 coef = (r >> 3 & 3) == 0 ? gkr_rand_fm61(rng) : 1;
            switch ((r >> 5) % 5) {
            case 0:
            case 1: /* multiplication gate */
                gkr_layer_add_mul(L, g, a, src, b, coef);
                break;
            case 2: /* fan-in-two addition: two add terms on one output */
                gkr_layer_add_add(L, g, prev, a, coef);
                gkr_layer_add_add(L, g, src, b, 1);
                break;
            case 3: /* subtraction against a constant */
                gkr_layer_add_add(L, g, src, a, 1);
                gkr_layer_add_const(L, g, fm61_neg(coef));
                break;
            default: /* x*y + z */
                gkr_layer_add_mul(L, g, a, prev, b, 1);
                gkr_layer_add_add(L, g, src, a ^ b, coef);
            }
        }
    }
    ZK_CHECK(gkr_circuit_seal(c) == ZK_OK);
    return c;
}

fm61 **gkr_inputs_random(zk_rng *rng, const gkr_circuit *c) {
    fm61 **in = zk_calloc(c->nlayers, sizeof *in);
    for (size_t l = 0; l < c->nlayers; l++) {
        if (c->layers[l].kind == GKR_GATES) continue;
        size_t n = gkr_layer_size(c, l);
        in[l] = zk_malloc_n(n, sizeof *in[l]);
        for (size_t i = 0; i < n; i++) in[l][i] = gkr_rand_fm61(rng);
    }
    return in;
}

void gkr_inputs_free(fm61 **in, size_t nlayers) {
    if (!in) return;
    for (size_t l = 0; l < nlayers; l++) free(in[l]);
    free(in);
}
