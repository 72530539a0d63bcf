/* ligero.c -- a Ligero / Brakedown-style multilinear commitment over
 * F_{p^2} with base-field packing (pcs_ligero, see pcs.h).
 *
 * Construction: Ames, Hazay, Ishai, Venkitasubramaniam, "Ligero:
 * lightweight sublinear arguments without a trusted setup", CCS 2017
 * (sec. 4: interleaved Reed-Solomon code, testing by a random linear
 * combination plus column queries); Golovnev, Lee, Setty, Thaler, Wahby,
 * "Brakedown: linear-time and field-agnostic SNARKs for R1CS", CRYPTO 2023
 * (sec. 4: the commitment to a multilinear polynomial as a matrix whose
 * evaluation is a vector-matrix-vector product).
 *
 * TABLE AND MATRIX. t has N = 2^n base-field entries, n >= 1. Index bits:
 * bit 0 is the packing bit b, bits 1..c the column (k = 2^c columns), bits
 * c+1..n-1 the row (m = 2^a rows, a + c = n - 1). The packed matrix is
 *     P[row][col] = t[2 (row k + col)] + i t[2 (row k + col) + 1]   in F_{p^2},
 * which is exactly the memory layout of fp2 {re, im}: the prover reads t
 * as an m x k array of fp2 and keeps only the encoded matrix.
 * The packing is a bijection F_p^2 <-> F_{p^2}: every F_{p^2} matrix is
 * the packing of exactly one base-field table.
 *
 * COMMIT. Each row of P is the coefficient vector of a polynomial of degree
 * < k; its Reed-Solomon codeword of rate 1/4 has K = 4k entries,
 *     Enc(row)[j] = sum_{c<k} row[c] omega^(c j),  omega = fp2_root_of_unity(log2 K),
 * position j being the evaluation at omega^j (ntt_rs_encode; the prover
 * computes the same values coset by coset with ntt_rs_coset). The encoded
 * m x K matrix U is stored column-major. Merkle leaf j is
 * SHA-256(0x00 || column j as m 16-byte fp2 encodings), nodes are
 * SHA-256(0x01 || left || right) (merkle.h); the root is the commitment
 * ("pcs/root").
 *
 * OPENING at z in F_{p^2}^n, the claimed value v already in the transcript.
 * Write z = (z_0, z_col, z_row) with z_col = z[1..c], z_row = z[c+1..n-1],
 * z' = (z_col, z_row), e = eq table of z_row (m entries), ebar = conj(e)
 * (the eq table of conj(z_row), conjugation being a field automorphism).
 *   1. gamma[0..m) <- transcript ("pcs/gamma").
 *   2. prover sends u0 = gamma^T P, u1 = e^T P, u2 = ebar^T P ("pcs/u0..2").
 *   3. verifier computes y1 = sum_c u1[c] eq(z_col, c) and
 *      y2 = sum_c u2[c] conj(eq(z_col, c)), and checks
 *      v = (1 - z_0) M0 + z_0 M1 with M0 = (y1 + conj(y2)) / 2,
 *      M1 = (y1 - conj(y2)) / (2i).
 *   4. query indices: all K columns in order if q >= K, otherwise q draws
 *      of tr_challenge_index(K) ("pcs/query"), with replacement.
 *   5. prover sends each queried column ("pcs/col") and its Merkle path
 *      ("pcs/path").
 *   6. verifier checks each path and, for each queried j,
 *      Enc(u0)[j] = sum_i gamma_i U[i][j], Enc(u1)[j] = sum_i e_i U[i][j],
 *      Enc(u2)[j] = sum_i ebar_i U[i][j].
 *
 * WHY STEP 3 IS RIGHT. Let M0, M1 be the multilinear polynomials of the
 * even (b = 0) and odd (b = 1) halves of t, in the n-1 variables z'. Then
 * P = M0 + i M1 as polynomials, and since variable 0 is bit 0,
 *     f(z) = (1 - z_0) M0(z') + z_0 M1(z').
 * For honest u1, u2:  y1 = sum_{row,col} e[row] eq(z_col, col) P[row][col] = P(z'),
 * y2 = sum conj(e[row] eq(z_col, col)) P[row][col] = P(conj z').
 * M0, M1 have base-field coefficients, so M_b(conj z') = conj(M_b(z')) and
 *     conj(y2) = conj(M0(conj z') + i M1(conj z')) = M0(z') - i M1(z').
 * Hence y1 + conj(y2) = 2 M0(z') and y1 - conj(y2) = 2i M1(z'). (1/2 = 2^60
 * in F_p because 2^61 = 1.)
 *
 * SOUNDNESS (for papers/protocol.md). The code RS[F_{p^2}, <omega>, k] has
 * rate rho = 1/4 and relative distance > 1 - rho = 3/4; its unique decoding
 * radius is delta = (1 - rho)/2 = 3/8.
 *   - Proximity. If the committed matrix U is delta-far from the
 *     interleaved code RS^m, then by the proximity gap for Reed-Solomon
 *     codes in the unique decoding regime (Ben-Sasson, Carmon, Ishai,
 *     Kopparty, Saraf, "Proximity gaps for Reed-Solomon codes", FOCS 2020,
 *     Thm 1.2 / Thm 4.1, applied to the span of the rows) the combination
 *     gamma^T U is delta-close to RS with probability at most
 *     K/|F| ~ K/2^122 over gamma. Otherwise Enc(u0) differs from gamma^T U
 *     in at least delta K positions and each query catches it with
 *     probability >= delta: the test passes with probability at most
 *     (1 - 3/8)^153 = 2^-103.7.
 *   - Evaluation. If U is delta-close to RS^m it determines unique rows
 *     (hence, by the packing bijection, a unique table t'). If u1 != e^T P'
 *     then Enc(u1) and e^T Enc(P') are distinct codewords, differing in
 *     > 3/4 K positions, of which at most 3/8 K are outside the agreement
 *     set of U; so Enc(u1) != e^T U in >= delta K positions and the same
 *     per-query bound (5/8)^153 applies; likewise for u2. With u1, u2 right,
 *     step 3 is an identity, so v = f'(z).
 *   - Total: about K/2^122 + 2^-103.7 per proof attempt (with Fiat-Shamir,
 *     a prover doing 2^s hash evaluations gains a factor 2^s).
 * Small tables: when K <= 153 every column is opened and the tests above
 * become exact (no probability from the queries).
 *
 * PARAMETERS. Rate 1/4, 153 queries (papers/protocol.md sec. 6: with the
 * GKR terms this keeps the whole proof above 100 bits); the split of n-1 into log_rows +
 * log_cols minimises the opening size 3*16*k + q'*(16*m + 32*log2 K) bytes,
 * q' = min(q, K): log_cols = floor((n + 5)/2) for n >= 12 (n = 20: 2^7 x 2^12,
 * 566 KB; n = 24: 2^9 x 2^14, 2.07 MB), and log_cols = 0 for n <= 11, where
 * K = 4 and all four columns are opened.
 *
 * PROVER COST. Commit: m size-k NTTs per coset (4 cosets, the first
 * without the shift), O(N log N) field operations, and SHA-256 over the
 * 4N/2 * 16 = 32N bytes of the encoded matrix. Open: three row
 * combinations, computed from the coset-0 columns of the encoded matrix
 * (pcs_ligero_combine), O(N), then 153 column copies.
 */
#include "../poly/mle.h"
#include "merkle.h"
#include "ntt.h"
#include "pcs.h"

#include <string.h>
#include <sys/mman.h>

#define PCS_LIGERO_LOG_INV_RATE 2
/* Rows per block in the encoder: one block's transposed write of a
 * codeword position is 4 fp2 = one 64-byte cache line. */
#define PCS_LIGERO_ROW_BLOCK 4
/* Parallel loops only pay off above this many matrix entries. */
#define PCS_LIGERO_PAR_MIN ((size_t)1 << 14)

_Static_assert(sizeof(fp2) == 16, "fp2 must be {re, im} without padding");
_Static_assert(PCS_DIGEST_BYTES == MERKLE_DIGEST_BYTES, "commitment is a Merkle root");
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "pcs_ligero hashes fp2 arrays in place: their memory must be the little-endian encoding"
#endif

struct pcs_state {
    pcs_ligero_params prm;
    fp2 *enc;          /* K x m, column-major: enc[j m + row] = Enc(row)[j] */
    merkle_tree *tree; /* over the K columns */
    ntt_rs *rs;        /* the encoder (its size-k plan serves the opening) */
};

/* The encoded matrix: from 4 MiB on, 2 MiB-aligned and, on Linux, backed
 * by transparent huge pages where the system allows it (far fewer page
 * faults and TLB misses); smaller ones 64-byte aligned. Freed with free(). */
static void *pcs_ligero_alloc_big(size_t n, size_t size) {
    const size_t align = (size_t)2 << 20;
    ZK_CHECK(size == 0 || n <= (SIZE_MAX - align) / size);
    size_t bytes = n * size;
    if (bytes < 2 * align) return zk_aligned_n(n, size);
    bytes = (bytes + align - 1) & ~(align - 1);
    void *p = aligned_alloc(align, bytes);
    ZK_CHECK(p != NULL);
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint; failure is harmless */
#endif
    return p;
}

static size_t pcs_ligero_proof_bytes(unsigned log_rows, unsigned log_cols, unsigned queries) {
    size_t k = (size_t)1 << log_cols, m = (size_t)1 << log_rows;
    unsigned log_K = log_cols + PCS_LIGERO_LOG_INV_RATE;
    size_t K = (size_t)1 << log_K;
    size_t q = queries < K ? queries : K;
    return 3 * 16 * k + q * (16 * m + MERKLE_DIGEST_BYTES * (size_t)log_K);
}

pcs_ligero_params pcs_ligero_params_for(unsigned n) {
    ZK_CHECK(n >= 1 && n <= PCS_LIGERO_MAX_VARS);
    pcs_ligero_params p;
    p.nvars = n;
    p.log_inv_rate = PCS_LIGERO_LOG_INV_RATE;
    p.queries = PCS_LIGERO_QUERIES;
    unsigned best = 0;
    size_t best_bytes = SIZE_MAX;
    for (unsigned c = 0; c <= n - 1; c++) {
        size_t b = pcs_ligero_proof_bytes(n - 1 - c, c, p.queries);
        if (b < best_bytes) {
            best_bytes = b;
            best = c;
        }
    }
    p.log_cols = best;
    p.log_rows = n - 1 - best;
    return p;
}

/* Number of queries and their indices (both sides draw them the same way). */
static size_t pcs_ligero_queries(tr_t *tr, size_t *idx, const pcs_ligero_params *prm) {
    size_t K = (size_t)1 << (prm->log_cols + prm->log_inv_rate);
    if (prm->queries >= K) {
        for (size_t j = 0; j < K; j++) idx[j] = j;
        return K;
    }
    for (size_t i = 0; i < prm->queries; i++) idx[i] = (size_t)tr_challenge_index(tr, "pcs/query", K);
    return prm->queries;
}

/* sum_i a[i] b[i] with lazy reduction. */
static fp2 pcs_ligero_dot(const fp2 *a, const fp2 *b, size_t n) {
    fp2 sum = fp2_zero();
    for (size_t i0 = 0; i0 < n; i0 += FP2_ACC_MAX) {
        size_t i1 = i0 + FP2_ACC_MAX < n ? i0 + FP2_ACC_MAX : n;
        fp2_acc acc;
        fp2_acc_zero(&acc);
        for (size_t i = i0; i < i1; i++) fp2_acc_mul(&acc, a[i], b[i]);
        sum = fp2_add(sum, fp2_acc_reduce(&acc));
    }
    return sum;
}

/* ---------- prover ---------- */

/* enc <- Enc of every row of packed, column-major. Each task encodes a
 * block of rows coset by coset and writes them out transposed. */
static void pcs_ligero_encode(fp2 *enc, const fp2 *packed, const ntt_rs *rs, size_t m, size_t k) {
    const size_t B = (size_t)1 << PCS_LIGERO_LOG_INV_RATE;
    const size_t nblk = (m + PCS_LIGERO_ROW_BLOCK - 1) / PCS_LIGERO_ROW_BLOCK;
    const uint32_t *rev = ntt_plan_bitrev(ntt_rs_plan(rs));
#pragma omp parallel if (m * k >= PCS_LIGERO_PAR_MIN)
    {
        fp2 *buf = zk_aligned_n(PCS_LIGERO_ROW_BLOCK * k, sizeof *buf);
#pragma omp for schedule(static)
        for (size_t blk = 0; blk < nblk; blk++) {
            size_t r0 = blk * PCS_LIGERO_ROW_BLOCK;
            size_t nb = m - r0 < PCS_LIGERO_ROW_BLOCK ? m - r0 : PCS_LIGERO_ROW_BLOCK;
            for (size_t r = 0; r < B; r++) {
                for (size_t b = 0; b < nb; b++) ntt_rs_coset(rs, buf + b * k, packed + (r0 + b) * k, (unsigned)r);
                /* buf[b k + rev[s]] = Enc(row r0 + b)[s B + r] */
                for (size_t s = 0; s < k; s++) {
                    fp2 *dst = enc + (s * B + r) * m + r0;
                    const fp2 *src = buf + rev[s];
                    for (size_t b = 0; b < nb; b++) dst[b] = src[b * k];
                }
            }
        }
        free(buf);
    }
}

static pcs_state *pcs_ligero_commit(tr_t *tr, const fm61 *t, unsigned n) {
    pcs_state *st = zk_calloc(1, sizeof *st);
    st->prm = pcs_ligero_params_for(n);
    const pcs_ligero_params *prm = &st->prm;
    size_t m = (size_t)1 << prm->log_rows, k = (size_t)1 << prm->log_cols;
    unsigned log_K = prm->log_cols + prm->log_inv_rate;
    size_t K = (size_t)1 << log_K;
#ifdef ZK_VERIFY
    for (size_t x = 0; x < 2 * m * k; x++) ZK_CHECK(fm61_is_canonical(t[x]));
#endif
    /* t read as m x k fp2 is the packed matrix P (same memory layout) */
    const fp2 *packed = (const fp2 *)(const void *)t;
    st->enc = pcs_ligero_alloc_big(K * m, sizeof *st->enc);
    st->rs = ntt_rs_new(prm->log_cols, prm->log_inv_rate);
    pcs_ligero_encode(st->enc, packed, st->rs, m, k);
    st->tree = merkle_new((const uint8_t *)st->enc, m * sizeof(fp2), log_K);
    tr_put_bytes(tr, "pcs/root", merkle_root(st->tree), MERKLE_DIGEST_BYTES);
    return st;
}

/* The row combinations w_l^T P for the weights w_0 = gamma, w_1 = e,
 * w_2 = ebar (wts = w_0 | w_1 | w_2, m each), computed from the encoded
 * matrix: coset 0 of the code (positions j = B s) holds the size-k NTT of
 * every row, and encoding is linear, so
 *     NTT(w^T P)[s] = sum_row w[row] enc[B s m + row]
 * (a dot product with one contiguous column); an inverse NTT gives w^T P.
 * The table itself need not be kept. */
static void pcs_ligero_combine(fp2 *u, const pcs_state *st, const fp2 *wts) {
    size_t m = (size_t)1 << st->prm.log_rows, k = (size_t)1 << st->prm.log_cols;
    size_t B = (size_t)1 << st->prm.log_inv_rate;
    const fp2 *enc = st->enc;
#pragma omp parallel for schedule(static) if (m * k >= PCS_LIGERO_PAR_MIN)
    for (size_t s = 0; s < k; s++) {
        const fp2 *col = enc + s * B * m;
        fp2 sum[3] = {fp2_zero(), fp2_zero(), fp2_zero()};
        for (size_t r0 = 0; r0 < m; r0 += FP2_ACC_MAX) {
            size_t r1 = r0 + FP2_ACC_MAX < m ? r0 + FP2_ACC_MAX : m;
            fp2_acc acc[3];
            for (int l = 0; l < 3; l++) fp2_acc_zero(&acc[l]);
            for (size_t r = r0; r < r1; r++) {
                fp2 x = col[r];
                fp2_acc_mul(&acc[0], wts[r], x);
                fp2_acc_mul(&acc[1], wts[m + r], x);
                fp2_acc_mul(&acc[2], wts[2 * m + r], x);
            }
            for (int l = 0; l < 3; l++) sum[l] = fp2_add(sum[l], fp2_acc_reduce(&acc[l]));
        }
        for (int l = 0; l < 3; l++) u[(size_t)l * k + s] = sum[l];
    }
    for (int l = 0; l < 3; l++) ntt_inverse(ntt_rs_plan(st->rs), u + (size_t)l * k);
}

static void pcs_ligero_open(tr_t *tr, const pcs_state *st, const fp2 *z) {
    const pcs_ligero_params *prm = &st->prm;
    size_t m = (size_t)1 << prm->log_rows, k = (size_t)1 << prm->log_cols;
    unsigned log_K = prm->log_cols + prm->log_inv_rate;
    size_t K = (size_t)1 << log_K;

    fp2 *wts = zk_aligned_n(3 * m, sizeof *wts); /* gamma | e | ebar */
    tr_challenges(tr, "pcs/gamma", wts, m);
    mle_eq_table(wts + m, z + 1 + prm->log_cols, prm->log_rows);
    for (size_t r = 0; r < m; r++) wts[2 * m + r] = fp2_conj(wts[m + r]);

    fp2 *u = zk_aligned_n(3 * k, sizeof *u); /* u0 | u1 | u2 */
    pcs_ligero_combine(u, st, wts);
    tr_put_fp2(tr, "pcs/u0", u, k);
    tr_put_fp2(tr, "pcs/u1", u + k, k);
    tr_put_fp2(tr, "pcs/u2", u + 2 * k, k);

    size_t nq_max = prm->queries < K ? prm->queries : K;
    size_t *idx = zk_malloc_n(nq_max, sizeof *idx);
    size_t nq = pcs_ligero_queries(tr, idx, prm);
    uint8_t *path = zk_malloc_n(log_K, MERKLE_DIGEST_BYTES);
    for (size_t i = 0; i < nq; i++) {
        tr_put_fp2(tr, "pcs/col", st->enc + idx[i] * m, m);
        merkle_path(st->tree, path, idx[i]);
        tr_put_bytes(tr, "pcs/path", path, (size_t)log_K * MERKLE_DIGEST_BYTES);
    }
    free(path);
    free(idx);
    free(u);
    free(wts);
}

static void pcs_ligero_state_free(pcs_state *st) {
    if (!st) return;
    free(st->enc);
    merkle_free(st->tree);
    ntt_rs_free(st->rs);
    free(st);
}

/* ---------- verifier ---------- */

static zk_err pcs_ligero_read_commitment(tr_t *tr, pcs_commitment *out, unsigned n) {
    if (n < 1 || n > PCS_LIGERO_MAX_VARS) {
        zk_set_reason("pcs: unsupported number of variables %u", n);
        return ZK_EINPUT;
    }
    uint8_t root[PCS_DIGEST_BYTES];
    if (tr_get_bytes(tr, "pcs/root", root, sizeof root) != ZK_OK) {
        zk_set_reason("pcs: truncated commitment");
        return ZK_EFORMAT;
    }
    out->nvars = n;
    memcpy(out->root, root, sizeof root);
    return ZK_OK;
}

static zk_err pcs_ligero_verify(tr_t *tr, const pcs_commitment *cm, const fp2 *z, fp2 v) {
    unsigned n = cm->nvars;
    if (n < 1 || n > PCS_LIGERO_MAX_VARS) {
        zk_set_reason("pcs: unsupported number of variables %u", n);
        return ZK_EINPUT;
    }
    const pcs_ligero_params prm = pcs_ligero_params_for(n);
    size_t m = (size_t)1 << prm.log_rows, k = (size_t)1 << prm.log_cols;
    unsigned log_K = prm.log_cols + prm.log_inv_rate;
    size_t K = (size_t)1 << log_K;
    zk_err err = ZK_OK;

    fp2 *gamma = zk_aligned_n(3 * m, sizeof *gamma), *e = gamma + m, *ebar = gamma + 2 * m;
    fp2 *u = zk_aligned_n(3 * k, sizeof *u);
    fp2 *eqc = zk_aligned_n(k, sizeof *eqc);
    fp2 *cw = NULL, *col = NULL;
    size_t *idx = NULL;
    uint8_t *path = NULL;
    ntt_rs *rs = NULL;

    tr_challenges(tr, "pcs/gamma", gamma, m);
    static const char *const ulabel[3] = {"pcs/u0", "pcs/u1", "pcs/u2"};
    for (int l = 0; l < 3; l++) {
        if (tr_get_fp2(tr, ulabel[l], u + (size_t)l * k, k) != ZK_OK) {
            zk_set_reason("pcs: truncated or non-canonical row combination u%d", l);
            err = ZK_EFORMAT;
            goto done;
        }
    }

    /* step 3: the claimed value from u1 and u2 */
    {
        mle_eq_table(eqc, z + 1, prm.log_cols);
        fp2 y1 = fp2_zero(), y2 = fp2_zero();
        for (size_t c = 0; c < k; c++) {
            y1 = fp2_add(y1, fp2_mul(u[k + c], eqc[c]));
            y2 = fp2_add(y2, fp2_mul(u[2 * k + c], fp2_conj(eqc[c])));
        }
        const fm61 half = (fm61)1 << 60; /* 2 * 2^60 = 2^61 = 1 */
        fp2 y2c = fp2_conj(y2);
        fp2 m0 = fp2_mul_fm61(fp2_add(y1, y2c), half);
        fp2 d = fp2_sub(y1, y2c); /* 2i M1; M1 = d * (-i) / 2 */
        fp2 m1 = fp2_mul_fm61(fp2_make(d.im, fm61_neg(d.re)), half);
        fp2 expect = fp2_add(m0, fp2_mul(z[0], fp2_sub(m1, m0)));
        if (!fp2_eq(expect, v)) {
            zk_set_reason("pcs: opened value does not match the claimed evaluation");
            err = ZK_EPROOF;
            goto done;
        }
    }

    /* step 6 preparation: the codewords of u0, u1, u2 and the row weights */
    mle_eq_table(e, z + 1 + prm.log_cols, prm.log_rows);
    for (size_t i = 0; i < m; i++) ebar[i] = fp2_conj(e[i]);
    rs = ntt_rs_new(prm.log_cols, prm.log_inv_rate);
    cw = zk_aligned_n(3 * K, sizeof *cw);
    for (int l = 0; l < 3; l++) ntt_rs_encode(rs, cw + (size_t)l * K, u + (size_t)l * k);

    size_t nq_max = prm.queries < K ? prm.queries : K;
    idx = zk_malloc_n(nq_max, sizeof *idx);
    size_t nq = pcs_ligero_queries(tr, idx, &prm);
    col = zk_aligned_n(m, sizeof *col);
    path = zk_malloc_n(log_K, MERKLE_DIGEST_BYTES);
    for (size_t i = 0; i < nq; i++) {
        size_t j = idx[i];
        if (tr_get_fp2(tr, "pcs/col", col, m) != ZK_OK) {
            zk_set_reason("pcs: query %zu: truncated or non-canonical column", i);
            err = ZK_EFORMAT;
            goto done;
        }
        if (tr_get_bytes(tr, "pcs/path", path, (size_t)log_K * MERKLE_DIGEST_BYTES) != ZK_OK) {
            zk_set_reason("pcs: query %zu: truncated Merkle path", i);
            err = ZK_EFORMAT;
            goto done;
        }
        uint8_t leaf[MERKLE_DIGEST_BYTES];
        merkle_hash_leaf(leaf, (const uint8_t *)col, m * sizeof *col);
        if (merkle_verify(cm->root, log_K, j, leaf, path) != ZK_OK) {
            zk_set_reason("pcs: query %zu: column %zu does not match the Merkle root", i, j);
            err = ZK_EPROOF;
            goto done;
        }
        static const char *const what[3] = {"proximity (u0)", "evaluation (u1)", "evaluation (u2)"};
        for (int l = 0; l < 3; l++) {
            fp2 s = pcs_ligero_dot(gamma + (size_t)l * m, col, m);
            if (!fp2_eq(s, cw[(size_t)l * K + j])) {
                zk_set_reason("pcs: query %zu: column %zu fails the %s check", i, j, what[l]);
                err = ZK_EPROOF;
                goto done;
            }
        }
    }

done:
    free(path);
    free(col);
    free(idx);
    free(cw);
    ntt_rs_free(rs);
    free(eqc);
    free(u);
    free(gamma);
    return err;
}

const pcs_scheme pcs_ligero = {
    .name = "ligero",
    .commit = pcs_ligero_commit,
    .open = pcs_ligero_open,
    .state_free = pcs_ligero_state_free,
    .read_commitment = pcs_ligero_read_commitment,
    .verify = pcs_ligero_verify,
};
