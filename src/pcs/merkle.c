/* merkle.c -- SHA-256 Merkle trees (see merkle.h) with OpenSSL's EVP API.
 *
 * Layout: nodes in heap order, 2^(depth+1) digests; node 1 is the root,
 * node x has children 2x and 2x+1, leaf i is node 2^depth + i (node 0 is
 * unused; with depth 0 the single leaf is node 1, the root). Each thread
 * keeps its own EVP_MD_CTX and re-initialises it per hash; the digest
 * object is fetched once per process (zk_sha256).
 */
#include "merkle.h"

#include <openssl/evp.h>
#include <string.h>

struct merkle_tree {
    unsigned depth;
    uint8_t *nodes;
};

enum { MERKLE_LEAF_TAG = 0x00, MERKLE_NODE_TAG = 0x01 };

/* Parallel loops over fewer hashes than this run on one thread. */
#define MERKLE_PAR_MIN 1024

/* out = SHA-256(tag || a || b) */
static void merkle_hash_with(EVP_MD_CTX *ctx, const EVP_MD *md, uint8_t out[MERKLE_DIGEST_BYTES], uint8_t tag,
                             const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
    unsigned int len = 0;
    ZK_CHECK(EVP_DigestInit_ex(ctx, md, NULL) == 1);
    ZK_CHECK(EVP_DigestUpdate(ctx, &tag, 1) == 1);
    if (alen) ZK_CHECK(EVP_DigestUpdate(ctx, a, alen) == 1);
    if (blen) ZK_CHECK(EVP_DigestUpdate(ctx, b, blen) == 1);
    ZK_CHECK(EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == MERKLE_DIGEST_BYTES);
}

/* node x <- H(0x01 || node 2x || node 2x+1) */
static void merkle_hash_node_with(EVP_MD_CTX *ctx, const EVP_MD *md, uint8_t *nodes, size_t x) {
    merkle_hash_with(ctx, md, nodes + x * MERKLE_DIGEST_BYTES, MERKLE_NODE_TAG, nodes + 2 * x * MERKLE_DIGEST_BYTES,
                     MERKLE_DIGEST_BYTES, nodes + (2 * x + 1) * MERKLE_DIGEST_BYTES, MERKLE_DIGEST_BYTES);
}

static void merkle_hash_once(uint8_t out[MERKLE_DIGEST_BYTES], uint8_t tag, const uint8_t *a, size_t alen,
                             const uint8_t *b, size_t blen) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ZK_CHECK(ctx != NULL);
    merkle_hash_with(ctx, zk_sha256(), out, tag, a, alen, b, blen);
    EVP_MD_CTX_free(ctx);
}

void merkle_hash_leaf(uint8_t out[MERKLE_DIGEST_BYTES], const uint8_t *data, size_t len) {
    merkle_hash_once(out, MERKLE_LEAF_TAG, data, len, NULL, 0);
}

void merkle_hash_node(uint8_t out[MERKLE_DIGEST_BYTES], const uint8_t left[MERKLE_DIGEST_BYTES],
                      const uint8_t right[MERKLE_DIGEST_BYTES]) {
    merkle_hash_once(out, MERKLE_NODE_TAG, left, MERKLE_DIGEST_BYTES, right, MERKLE_DIGEST_BYTES);
}

/* The tree over 2^depth leaves: leaf i hashed from data (leaf_len bytes
 * each), or, with data NULL, the leaf digests already in place. */
static merkle_tree *merkle_build(const uint8_t *data, size_t leaf_len, const uint8_t *leaves, unsigned depth) {
    ZK_CHECK(depth <= MERKLE_MAX_DEPTH);
    size_t nleaves = (size_t)1 << depth;
    ZK_CHECK(leaf_len == 0 || nleaves <= SIZE_MAX / leaf_len);
    merkle_tree *t = zk_calloc(1, sizeof *t);
    t->depth = depth;
    t->nodes = zk_malloc_n(2 * nleaves, MERKLE_DIGEST_BYTES);
    const EVP_MD *md = zk_sha256();
    uint8_t *nodes = t->nodes;
    if (leaves) memcpy(nodes + nleaves * MERKLE_DIGEST_BYTES, leaves, nleaves * MERKLE_DIGEST_BYTES);
    /* Leaves and the wide levels in parallel; the narrow top levels (fewer
     * than MERKLE_PAR_MIN nodes) on one thread, without a barrier each. */
    size_t top = nleaves >> 1;
#pragma omp parallel if (nleaves >= MERKLE_PAR_MIN)
    {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        ZK_CHECK(ctx != NULL);
        if (!leaves) {
#pragma omp for schedule(static)
            for (size_t i = 0; i < nleaves; i++)
                merkle_hash_with(ctx, md, nodes + (nleaves + i) * MERKLE_DIGEST_BYTES, MERKLE_LEAF_TAG,
                                 data + i * leaf_len, leaf_len, NULL, 0);
        }
        /* the implicit barrier of each loop orders the levels */
        for (size_t lo = nleaves >> 1; lo >= MERKLE_PAR_MIN; lo >>= 1) {
#pragma omp for schedule(static)
            for (size_t x = lo; x < 2 * lo; x++)
                merkle_hash_node_with(ctx, md, nodes, x);
        }
        EVP_MD_CTX_free(ctx);
    }
    while (top >= MERKLE_PAR_MIN) top >>= 1;
    if (top >= 1) {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        ZK_CHECK(ctx != NULL);
        for (size_t lo = top; lo >= 1; lo >>= 1)
            for (size_t x = lo; x < 2 * lo; x++) merkle_hash_node_with(ctx, md, nodes, x);
        EVP_MD_CTX_free(ctx);
    }
    return t;
}

merkle_tree *merkle_new(const uint8_t *data, size_t leaf_len, unsigned depth) {
    return merkle_build(data, leaf_len, NULL, depth);
}

merkle_tree *merkle_from_leaves(const uint8_t *leaves, unsigned depth) { return merkle_build(NULL, 0, leaves, depth); }

const uint8_t *merkle_leaves(const merkle_tree *t) {
    return t->nodes + ((size_t)1 << t->depth) * MERKLE_DIGEST_BYTES;
}

void merkle_free(merkle_tree *t) {
    if (!t) return;
    free(t->nodes);
    free(t);
}

unsigned merkle_depth(const merkle_tree *t) { return t->depth; }

const uint8_t *merkle_root(const merkle_tree *t) { return t->nodes + MERKLE_DIGEST_BYTES; }

void merkle_path(const merkle_tree *t, uint8_t *out, size_t index) {
    ZK_CHECK(index < ((size_t)1 << t->depth));
    size_t x = ((size_t)1 << t->depth) + index;
    for (unsigned l = 0; l < t->depth; l++, x >>= 1)
        memcpy(out + l * MERKLE_DIGEST_BYTES, t->nodes + (x ^ 1) * MERKLE_DIGEST_BYTES, MERKLE_DIGEST_BYTES);
}

zk_err merkle_verify(const uint8_t root[MERKLE_DIGEST_BYTES], unsigned depth, size_t index,
                     const uint8_t leaf[MERKLE_DIGEST_BYTES], const uint8_t *path) {
    if (depth > MERKLE_MAX_DEPTH || index >= ((size_t)1 << depth)) return ZK_EPROOF;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ZK_CHECK(ctx != NULL);
    const EVP_MD *md = zk_sha256();
    uint8_t cur[MERKLE_DIGEST_BYTES];
    memcpy(cur, leaf, MERKLE_DIGEST_BYTES);
    for (unsigned l = 0; l < depth; l++, index >>= 1) {
        const uint8_t *sib = path + l * MERKLE_DIGEST_BYTES;
        if (index & 1)
            merkle_hash_with(ctx, md, cur, MERKLE_NODE_TAG, sib, MERKLE_DIGEST_BYTES, cur,
                             MERKLE_DIGEST_BYTES);
        else
            merkle_hash_with(ctx, md, cur, MERKLE_NODE_TAG, cur, MERKLE_DIGEST_BYTES, sib,
                             MERKLE_DIGEST_BYTES);
    }
    EVP_MD_CTX_free(ctx);
    /* digests are public, so a variable-time comparison is fine */
    return memcmp(cur, root, MERKLE_DIGEST_BYTES) == 0 ? ZK_OK : ZK_EPROOF;
}
