/* merkle.h -- binary SHA-256 Merkle trees over fixed-size leaves.
 *
 * Hashes are domain-separated by a prefix byte:
 *     leaf  = SHA-256(0x00 || leaf bytes)
 *     node  = SHA-256(0x01 || left || right)
 * so a leaf can never be confused with an internal node. A tree has
 * 2^depth leaves (depth >= 0; a single leaf is its own root). An
 * authentication path for leaf `index` lists the depth sibling digests from
 * the leaf level up to the children of the root.
 */
#ifndef GKRCNN_MERKLE_H
#define GKRCNN_MERKLE_H

#include "../core/zk.h"

#define MERKLE_DIGEST_BYTES 32
#define MERKLE_MAX_DEPTH 40

typedef struct merkle_tree merkle_tree;

/* Build the tree over 2^depth leaves; leaf i is data[i*leaf_len .. (i+1)*leaf_len).
 * Leaves are hashed in parallel (OpenMP); the result does not depend on the
 * thread count. The data is not kept: the tree holds only digests. */
merkle_tree *merkle_new(const uint8_t *data, size_t leaf_len, unsigned depth);
/* The same tree from its 2^depth leaf digests (32 bytes each, copied). */
merkle_tree *merkle_from_leaves(const uint8_t *leaves, unsigned depth);
void merkle_free(merkle_tree *t);

unsigned merkle_depth(const merkle_tree *t);
const uint8_t *merkle_root(const merkle_tree *t);
/* The 2^depth leaf digests, in order (owned by the tree). */
const uint8_t *merkle_leaves(const merkle_tree *t);
/* Write the depth * 32 bytes of the path of leaf index < 2^depth. */
void merkle_path(const merkle_tree *t, uint8_t *out, size_t index);

void merkle_hash_leaf(uint8_t out[MERKLE_DIGEST_BYTES], const uint8_t *data, size_t len);
void merkle_hash_node(uint8_t out[MERKLE_DIGEST_BYTES], const uint8_t left[MERKLE_DIGEST_BYTES],
                      const uint8_t right[MERKLE_DIGEST_BYTES]);

/* Check that `leaf` (a leaf digest) sits at `index` under `root` with the
 * given path (depth * 32 bytes). ZK_OK or ZK_EPROOF; an index >= 2^depth or
 * depth > MERKLE_MAX_DEPTH is ZK_EPROOF as well. */
zk_err merkle_verify(const uint8_t root[MERKLE_DIGEST_BYTES], unsigned depth, size_t index,
                     const uint8_t leaf[MERKLE_DIGEST_BYTES], const uint8_t *path) ZK_WARN_UNUSED;

#endif
