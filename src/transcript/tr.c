#include "tr.h"
#include "tr_test.h"

#include <openssl/evp.h>
#include <string.h>

struct tr {
    EVP_MD_CTX *h;
    EVP_MD_CTX *sq;     /* a squeeze's copy of h, kept for the next one */
    int mode;
    zk_buf *out;        /* prover */
    zk_rd in;           /* verifier */
    uint64_t nsqueeze;
    tr_tamper_fn tamper; /* tests only */
    void *tamper_ctx;
    tr_program_fn program; /* tests only (tr_test.h) */
    void *program_ctx;
    struct tr_label_count {
        const char *label;
        size_t count;
    } seen[32];
};

void tr_set_tamper(tr_t *t, tr_tamper_fn fn, void *ctx) {
    ZK_CHECK(t->mode == TR_PROVER);
    t->tamper = fn;
    t->tamper_ctx = ctx;
    memset(t->seen, 0, sizeof t->seen);
}

#ifdef ZK_VERIFY /* test builds only: a release library cannot be made to program its challenges */
void tr_set_program(tr_t *t, tr_program_fn fn, void *ctx) {
    t->program = fn;
    t->program_ctx = ctx;
}
#endif

/* Occurrence number of a label (labels are string literals, compared by content). */
static size_t tr_occurrence(tr_t *t, const char *label) {
    for (size_t i = 0; i < sizeof t->seen / sizeof t->seen[0]; i++) {
        if (!t->seen[i].label) t->seen[i].label = label;
        if (strcmp(t->seen[i].label, label) == 0) return t->seen[i].count++;
    }
    ZK_CHECK(0 && "too many distinct labels for the tamper hook");
    return 0;
}

enum { TAG_PUBLIC = 1, TAG_MESSAGE = 2, TAG_SQUEEZE = 3, TAG_DIGEST = 4 };

static void tr_update(tr_t *t, const void *data, size_t len) {
    ZK_CHECK(EVP_DigestUpdate(t->h, data, len) == 1);
}

static void tr_update_u64(tr_t *t, uint64_t v) {
    uint8_t b[8];
    zk_store_le64(b, v);
    tr_update(t, b, 8);
}

/* tag || len(label) || label || len(data): the data follows in one or more
 * tr_update calls. */
static void tr_frame(tr_t *t, int tag, const char *label, size_t len) {
    uint8_t tg = (uint8_t)tag;
    size_t ll = strlen(label);
    tr_update(t, &tg, 1);
    tr_update_u64(t, ll);
    tr_update(t, label, ll);
    tr_update_u64(t, len);
}

static tr_t *tr_new(const char *protocol, int mode) {
    tr_t *t = zk_calloc(1, sizeof *t);
    t->h = EVP_MD_CTX_new();
    ZK_CHECK(t->h != NULL);
    ZK_CHECK(EVP_DigestInit_ex(t->h, zk_sha256(), NULL) == 1);
    t->mode = mode;
    tr_absorb(t, "protocol", protocol, strlen(protocol));
    return t;
}

tr_t *tr_new_prover(const char *protocol, zk_buf *proof) {
    ZK_CHECK(proof != NULL);
    tr_t *t = tr_new(protocol, TR_PROVER);
    t->out = proof;
    return t;
}

tr_t *tr_new_verifier(const char *protocol, const uint8_t *proof, size_t len) {
    tr_t *t = tr_new(protocol, TR_VERIFIER);
    zk_rd_init(&t->in, proof, len);
    return t;
}

void tr_free(tr_t *t) {
    if (!t) return;
    EVP_MD_CTX_free(t->h);
    EVP_MD_CTX_free(t->sq);
    free(t);
}

int tr_is_prover(const tr_t *t) { return t->mode == TR_PROVER; }

void tr_absorb(tr_t *t, const char *label, const void *data, size_t len) {
    tr_frame(t, TAG_PUBLIC, label, len);
    if (len) tr_update(t, data, len);
}

/* Field arrays are hashed in their canonical byte encoding, in chunks. */
static void tr_update_fm61(tr_t *t, const fm61 *v, size_t n) {
    uint8_t buf[8 * 256];
    while (n) {
        size_t k = n < 256 ? n : 256;
        for (size_t i = 0; i < k; i++) {
            ZK_CHECK(fm61_is_canonical(v[i]));
            fm61_encode(buf + 8 * i, v[i]);
        }
        tr_update(t, buf, 8 * k);
        v += k;
        n -= k;
    }
}

static void tr_update_fp2(tr_t *t, const fp2 *v, size_t n) {
    uint8_t buf[16 * 128];
    while (n) {
        size_t k = n < 128 ? n : 128;
        for (size_t i = 0; i < k; i++) {
            ZK_CHECK(fm61_is_canonical(v[i].re) && fm61_is_canonical(v[i].im));
            fp2_encode(buf + 16 * i, v[i]);
        }
        tr_update(t, buf, 16 * k);
        v += k;
        n -= k;
    }
}

void tr_absorb_fm61(tr_t *t, const char *label, const fm61 *v, size_t n) {
    tr_frame(t, TAG_PUBLIC, label, 8 * n);
    tr_update_fm61(t, v, n);
}

void tr_absorb_fp2(tr_t *t, const char *label, const fp2 *v, size_t n) {
    tr_frame(t, TAG_PUBLIC, label, 16 * n);
    tr_update_fp2(t, v, n);
}

void tr_absorb_u64(tr_t *t, const char *label, uint64_t v) {
    uint8_t b[8];
    zk_store_le64(b, v);
    tr_absorb(t, label, b, 8);
}

void tr_put_bytes(tr_t *t, const char *label, const uint8_t *data, size_t len) {
    ZK_CHECK(t->mode == TR_PROVER);
    tr_frame(t, TAG_MESSAGE, label, len);
    if (len) tr_update(t, data, len);
    zk_buf_put(t->out, data, len);
}

void tr_put_fm61(tr_t *t, const char *label, const fm61 *v, size_t n) {
    ZK_CHECK(t->mode == TR_PROVER);
    tr_frame(t, TAG_MESSAGE, label, 8 * n);
    tr_update_fm61(t, v, n);
    for (size_t i = 0; i < n; i++) zk_buf_put_u64(t->out, v[i]);
}

void tr_put_fp2(tr_t *t, const char *label, const fp2 *v, size_t n) {
    ZK_CHECK(t->mode == TR_PROVER);
    if (t->tamper) {
        fp2 *copy = zk_malloc_n(n ? n : 1, sizeof *copy);
        if (n) memcpy(copy, v, n * sizeof *v);
        t->tamper(t->tamper_ctx, label, tr_occurrence(t, label), copy, n);
        tr_tamper_fn fn = t->tamper;
        t->tamper = NULL;
        tr_put_fp2(t, label, copy, n);
        t->tamper = fn;
        free(copy);
        return;
    }
    tr_frame(t, TAG_MESSAGE, label, 16 * n);
    tr_update_fp2(t, v, n);
    for (size_t i = 0; i < n; i++) {
        uint8_t b[16];
        fp2_encode(b, v[i]);
        zk_buf_put(t->out, b, 16);
    }
}

zk_err tr_get_bytes(tr_t *t, const char *label, uint8_t *out, size_t len) {
    ZK_CHECK(t->mode == TR_VERIFIER);
    if (len > zk_rd_left(&t->in)) return ZK_EFORMAT;
    if (len) memcpy(out, t->in.data + t->in.pos, len); /* data may be NULL for an empty proof */
    t->in.pos += len;
    tr_frame(t, TAG_MESSAGE, label, len);
    if (len) tr_update(t, out, len);
    return ZK_OK;
}

zk_err tr_get_fm61(tr_t *t, const char *label, fm61 *out, size_t n) {
    ZK_CHECK(t->mode == TR_VERIFIER);
    if (n > zk_rd_left(&t->in) / 8) return ZK_EFORMAT;
    /* no pointer arithmetic when n = 0: data is NULL for an empty proof */
    for (size_t i = 0; i < n; i++)
        if (fm61_decode(&out[i], t->in.data + t->in.pos + 8 * i) != ZK_OK) return ZK_EFORMAT;
    t->in.pos += 8 * n;
    tr_frame(t, TAG_MESSAGE, label, 8 * n);
    tr_update_fm61(t, out, n);
    return ZK_OK;
}

zk_err tr_get_fp2(tr_t *t, const char *label, fp2 *out, size_t n) {
    ZK_CHECK(t->mode == TR_VERIFIER);
    if (n > zk_rd_left(&t->in) / 16) return ZK_EFORMAT;
    /* no pointer arithmetic when n = 0: data is NULL for an empty proof */
    for (size_t i = 0; i < n; i++)
        if (fp2_decode(&out[i], t->in.data + t->in.pos + 16 * i) != ZK_OK) return ZK_EFORMAT;
    t->in.pos += 16 * n;
    tr_frame(t, TAG_MESSAGE, label, 16 * n);
    tr_update_fp2(t, out, n);
    return ZK_OK;
}

/* One squeeze: SHA-256(state || SQUEEZE frame(label) || counter), then the
 * 32-byte output is absorbed into the state. */
static void tr_squeeze(tr_t *t, const char *label, uint8_t out[32]) {
    if (!t->sq) ZK_CHECK((t->sq = EVP_MD_CTX_new()) != NULL);
    EVP_MD_CTX *c = t->sq;
    ZK_CHECK(EVP_MD_CTX_copy_ex(c, t->h) == 1);
    EVP_MD_CTX *saved = t->h;
    t->h = c;
    tr_frame(t, TAG_SQUEEZE, label, 8);
    tr_update_u64(t, t->nsqueeze++);
    unsigned int len = 0;
    ZK_CHECK(EVP_DigestFinal_ex(c, out, &len) == 1 && len == 32);
    t->h = saved;
    tr_frame(t, TAG_DIGEST, label, 32);
    tr_update(t, out, 32);
}

/* Uniform element of [0, p): take 61 bits, reject the single value p. */
static fm61 tr_sample_fm61(tr_t *t, const char *label) {
    for (;;) {
        uint8_t d[32];
        tr_squeeze(t, label, d);
        for (int k = 0; k < 4; k++) {
            uint64_t v = zk_load_le64(d + 8 * k) & FM61_P;
            if (v < FM61_P) return v;
        }
    }
}

fp2 tr_challenge(tr_t *t, const char *label) {
    uint8_t d[32];
    fp2 v;
    if (t->program && t->program(t->program_ctx, label, &v)) { /* tests only (tr_test.h) */
        ZK_CHECK(fm61_is_canonical(v.re) && fm61_is_canonical(v.im));
        fp2_encode(d, v);
        tr_frame(t, TAG_DIGEST, label, 16);
        tr_update(t, d, 16);
        return v;
    }
    tr_squeeze(t, label, d);
    uint64_t a = zk_load_le64(d) & FM61_P, b = zk_load_le64(d + 8) & FM61_P;
    /* each word equals p with probability 2^-61; resample only that word */
    if (a == FM61_P) a = tr_sample_fm61(t, label);
    if (b == FM61_P) b = tr_sample_fm61(t, label);
    return fp2_make(a, b);
}

void tr_challenges(tr_t *t, const char *label, fp2 *out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = tr_challenge(t, label);
}

uint64_t tr_challenge_index(tr_t *t, const char *label, uint64_t bound) {
    ZK_CHECK(bound >= 1);
    /* reject values >= the largest multiple of bound below 2^64 */
    uint64_t lim = UINT64_MAX - (UINT64_MAX % bound + 1) % bound;
    for (;;) {
        uint8_t d[32];
        tr_squeeze(t, label, d);
        for (int k = 0; k < 4; k++) {
            uint64_t v = zk_load_le64(d + 8 * k);
            if (v <= lim) return v % bound;
        }
    }
}

zk_err tr_finish(const tr_t *t) {
    if (t->mode == TR_VERIFIER && zk_rd_left(&t->in) != 0) return ZK_EFORMAT;
    return ZK_OK;
}

size_t tr_position(const tr_t *t) { return t->mode == TR_PROVER ? t->out->len : t->in.pos; }

size_t tr_left(const tr_t *t) { return t->mode == TR_VERIFIER ? zk_rd_left(&t->in) : 0; }
