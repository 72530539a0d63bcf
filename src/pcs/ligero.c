/* ligero.c -- a Ligero / Brakedown-style multilinear commitment over
 * F_{p^2} with base-field packing (pcs_ligero, see pcs.h).
 *
 * Construction: Ames, Hazay, Ishai, Venkitasubramaniam, "Ligero:
 * lightweight sublinear arguments without a trusted setup", CCS 2017
 * (sec. 4: interleaved Reed-Solomon code, testing by a row combination
 * plus column queries); Golovnev, Lee, Setty, Thaler, Wahby, "Brakedown:
 * linear-time and field-agnostic SNARKs for R1CS", CRYPTO 2023 (sec. 4:
 * the commitment to a multilinear polynomial as a matrix whose evaluation
 * is a vector-matrix-vector product); Diamond, Posen, "Proximity testing
 * with logarithmic randomness", ePrint 2023/630 (the evaluation's own
 * tensor-structured row combination serves as the proximity test, as in
 * their small-field PCS and Binius).
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
 *   1. prover sends u1 = e^T P, u2 = ebar^T P ("pcs/u1", "pcs/u2").
 *   2. verifier computes y1 = sum_c u1[c] eq(z_col, c) and
 *      y2 = sum_c u2[c] conj(eq(z_col, c)), and checks
 *      v = (1 - z_0) M0 + z_0 M1 with M0 = (y1 + conj(y2)) / 2,
 *      M1 = (y1 - conj(y2)) / (2i).
 *   3. query indices: all K columns in order if q >= K, otherwise q draws
 *      of tr_challenge_index(K) ("pcs/query"), with replacement; q =
 *      PCS_LIGERO_QUERIES, or PCS_LIGERO_CERT_OPEN_QUERIES for a certified
 *      commitment.
 *   4. prover sends each queried column ("pcs/col") and its Merkle path
 *      ("pcs/path").
 *   5. verifier checks each path and, for each queried j,
 *      Enc(u1)[j] = sum_i e_i U[i][j] and Enc(u2)[j] = sum_i ebar_i U[i][j].
 *
 * CERTIFICATE (a separate transcript, protocol PCS_LIGERO_CERT_PROTOCOL):
 * absorb n ("pcs/cert/n") and the root ("pcs/cert/root"); gamma[0..m) <-
 * "pcs/cert/gamma"; prover sends u0 = gamma^T P ("pcs/cert/u0"); q =
 * PCS_LIGERO_CERT_QUERIES query indices as in step 3 ("pcs/cert/query");
 * columns and paths ("pcs/cert/col", "pcs/cert/path"); the verifier checks
 * the paths and Enc(u0)[j] = sum_i gamma_i U[i][j]. This is Ligero's
 * proximity test with a fully random combination, run once per commitment.
 *
 * WHY STEP 2 IS RIGHT. Let M0, M1 be the multilinear polynomials of the
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
 * SOUNDNESS (for papers/protocol.md sec. 5). The code RS[F_{p^2}, <omega>, k]
 * has rate 1/4 and minimum relative distance d = (K - k + 1)/K > 3/4; its
 * unique decoding radius is delta = 3/8 < d/2. l = log_rows.
 *   - Plain opening, proximity. If U is delta-far from the interleaved
 *     code RS^m, then for a uniformly random z_row (the point is random,
 *     pcs.h) the tensor combination e^T U, e = eq(z_row, .), is delta-close
 *     to RS with probability at most l K/|F|: Reed-Solomon codes have
 *     tensor-style proximity gaps up to the unique decoding radius
 *     (Diamond, Gruen, "Proximity gaps in interleaved codes", 2025, Cor.
 *     3.7, from the affine-line gap of Ben-Sasson, Carmon, Ishai, Kopparty,
 *     Saraf, FOCS 2020, Thm 4.1, error K/|F|, via Angeris, Evans, Roh,
 *     ePrint 2024/1399, Thm 3.6, which multiplies it by l). We charge
 *     2 l K/|F|, the form of Diamond-Posen's original bound, as margin.
 *     Otherwise the codeword Enc(u1) differs from e^T U in at least
 *     delta K positions and each query catches it with probability
 *     >= 3/8: (5/8)^160 = 2^-108.5.
 *   - Plain opening, evaluation. If U is delta-close to RS^m it determines
 *     unique rows (hence, by the packing bijection, a unique table t'). If
 *     u1 != e^T P' then Enc(u1) and e^T Enc(P') are distinct codewords,
 *     differing in > 3/4 K positions, of which at most 3/8 K are outside
 *     the agreement set of U; so Enc(u1) != e^T U in >= delta K positions
 *     and the same per-query bound applies; likewise for u2. With u1, u2
 *     right, step 2 is an identity, so v = f'(z).
 *   - Certificate. If U is (1/10)-far from RS^m, gamma^T U is (1/10)-close
 *     to RS with probability at most K/|F| (the same paper, correlated
 *     agreement for affine spaces in the unique-decoding regime), and
 *     otherwise each query catches Enc(u0) != gamma^T U with probability
 *     >= 1/10: (9/10)^711 = 2^-108.1. So an accepted certificate means U
 *     is (1/10)-close, except with probability K/|F| + 2^-108.1.
 *   - Certified opening. U (1/10)-close decodes to a unique t'; a u1 (or
 *     u2) other than the one t' determines gives a codeword differing from
 *     e^T U in >= (3/4 - 1/10) K positions: (7/20)^72 = 2^-109.0. No
 *     proximity step is needed, so the point's randomness is not used.
 *   - pcs_ligero_error adds these terms (with Fiat-Shamir a prover doing
 *     2^s hash evaluations gains a factor 2^s on the query terms).
 * Small tables: when K <= q every column is opened and the column tests
 * become exact.
 *
 * PARAMETERS. Rate 1/4; the split of n-1 into log_rows + log_cols
 * minimises the opening size 2*16*k + q'*(16*m + 32*log2 K) bytes,
 * q' = min(q, K) (pcs_ligero_params_for; n = 20: 2^6 x 2^13, 503 KB;
 * n = 24: 2^8 x 2^15, 1.79 MB plain; 2^9 x 2^14, 1.15 MB certified).
 *
 * PROVER COST. Commit: m size-k NTTs per coset (4 cosets, the first
 * without the shift), O(N log N) field operations, and SHA-256 over the
 * 4N/2 * 16 = 32N bytes of the encoded matrix. Open: two row
 * combinations, computed from the coset-0 columns of the encoded matrix
 * (pcs_ligero_combine), O(N), then the column copies.
 */
#include "../poly/mle.h"
#include "merkle.h"
#include "ntt.h"
#include "pcs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
    fp2 *enc;          /* K x m, column-major: enc[j m + row] = Enc(row)[j]; NULL in a state from leaves */
    merkle_tree *tree; /* over the K columns */
    ntt_rs *rs;        /* the encoder (its size-k plan serves the opening) */
    const fm61 *t;     /* a state from leaves: the table (the caller's) */
    size_t *mismatch;  /* a state from leaves: sent columns whose digest is not their leaf */
};

size_t pcs_ligero_opening_bytes(const pcs_ligero_params *p) {
    size_t k = (size_t)1 << p->log_cols, m = (size_t)1 << p->log_rows;
    unsigned log_K = p->log_cols + p->log_inv_rate;
    size_t K = (size_t)1 << log_K;
    size_t q = p->queries < K ? p->queries : K;
    return 2 * 16 * k + q * (16 * m + MERKLE_DIGEST_BYTES * (size_t)log_K);
}

size_t pcs_ligero_certificate_bytes(const pcs_ligero_params *p) {
    size_t k = (size_t)1 << p->log_cols, m = (size_t)1 << p->log_rows;
    unsigned log_K = p->log_cols + p->log_inv_rate;
    size_t K = (size_t)1 << log_K;
    size_t q = PCS_LIGERO_CERT_QUERIES < K ? PCS_LIGERO_CERT_QUERIES : K;
    return 16 * k + q * (16 * m + MERKLE_DIGEST_BYTES * (size_t)log_K);
}

pcs_ligero_params pcs_ligero_params_for(unsigned n, int certified) {
    ZK_CHECK(n >= 1 && n <= PCS_LIGERO_MAX_VARS);
    pcs_ligero_params p;
    p.nvars = n;
    p.log_inv_rate = PCS_LIGERO_LOG_INV_RATE;
    p.certified = certified != 0;
    p.queries = certified ? PCS_LIGERO_CERT_OPEN_QUERIES : PCS_LIGERO_QUERIES;
    unsigned best = 0;
    size_t best_bytes = SIZE_MAX;
    for (unsigned c = 0; c <= n - 1; c++) {
        p.log_cols = c;
        p.log_rows = n - 1 - c;
        size_t b = pcs_ligero_opening_bytes(&p);
        if (b < best_bytes) {
            best_bytes = b;
            best = c;
        }
    }
    p.log_cols = best;
    p.log_rows = n - 1 - best;
    return p;
}

static double pcs_ligero_error(unsigned n, int certified) {
    const pcs_ligero_params p = pcs_ligero_params_for(n, certified);
    const double F = ldexp(1.0, 122) - ldexp(1.0, 63); /* |F_{p^2}| = (2^61 - 1)^2 > 2^122 - 2^63 */
    double K = ldexp(1.0, (int)(p.log_cols + p.log_inv_rate));
    if (!certified) return 2.0 * p.log_rows * K / F + (K <= p.queries ? 0 : pow(5.0 / 8.0, p.queries));
    return K / F + (K <= PCS_LIGERO_CERT_QUERIES ? 0 : pow(9.0 / 10.0, PCS_LIGERO_CERT_QUERIES)) +
           (K <= p.queries ? 0 : pow(7.0 / 20.0, p.queries));
}

static double pcs_ligero_rbr_error(unsigned n, int certified) {
    const pcs_ligero_params p = pcs_ligero_params_for(n, certified);
    const double F = ldexp(1.0, 122) - ldexp(1.0, 63);
    double K = ldexp(1.0, (int)(p.log_cols + p.log_inv_rate));
    double q = K <= p.queries ? 0 : pow(certified ? 7.0 / 20.0 : 5.0 / 8.0, p.queries);
    double prox = !certified && p.log_rows ? 2.0 * K / F : 0;
    return q > prox ? q : prox;
}

/* Number of queries (q, or all K columns in order when q >= K) and their
 * indices; both sides draw them the same way. */
static size_t pcs_ligero_queries(tr_t *tr, const char *label, size_t *idx, size_t K, size_t q) {
    if (q >= K) {
        for (size_t j = 0; j < K; j++) idx[j] = j;
        return K;
    }
    for (size_t i = 0; i < q; i++) idx[i] = (size_t)tr_challenge_index(tr, label, K);
    return q;
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

/* Transcript labels of one column test: the opening's or the certificate's. */
typedef struct {
    const char *query, *col, *path;
} pcs_ligero_labels;

static const pcs_ligero_labels pcs_ligero_open_labels = {"pcs/query", "pcs/col", "pcs/path"};
static const pcs_ligero_labels pcs_ligero_cert_labels = {"pcs/cert/query", "pcs/cert/col", "pcs/cert/path"};

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

static pcs_state *pcs_ligero_commit_shape(tr_t *tr, const fm61 *t, unsigned n, int certified) {
    pcs_state *st = zk_calloc(1, sizeof *st);
    st->prm = pcs_ligero_params_for(n, certified);
    const pcs_ligero_params *prm = &st->prm;
    size_t m = (size_t)1 << prm->log_rows, k = (size_t)1 << prm->log_cols;
    unsigned log_K = prm->log_cols + prm->log_inv_rate;
    size_t K = (size_t)1 << log_K;
#ifdef ZK_VERIFY
    for (size_t x = 0; x < 2 * m * k; x++) ZK_CHECK(fm61_is_canonical(t[x]));
#endif
    /* t read as m x k fp2 is the packed matrix P (same memory layout) */
    const fp2 *packed = (const fp2 *)(const void *)t;
    st->enc = zk_aligned_n(K * m, sizeof *st->enc); /* huge pages from 4 MiB on (zk.h) */
    st->rs = ntt_rs_new(prm->log_cols, prm->log_inv_rate);
    pcs_ligero_encode(st->enc, packed, st->rs, m, k);
    st->tree = merkle_new((const uint8_t *)st->enc, m * sizeof(fp2), log_K);
    tr_put_bytes(tr, "pcs/root", merkle_root(st->tree), MERKLE_DIGEST_BYTES);
    return st;
}

static pcs_state *pcs_ligero_commit(tr_t *tr, const fm61 *t, unsigned n) {
    return pcs_ligero_commit_shape(tr, t, n, 0);
}

/* The row combinations w_l^T P, l < nw, for the weight vectors
 * wts = w_0 | w_1 | ... (m each), computed from the encoded matrix: coset 0
 * of the code (positions j = B s) holds the size-k NTT of every row, and
 * encoding is linear, so
 *     NTT(w^T P)[s] = sum_row w[row] enc[B s m + row]
 * (a dot product with one contiguous column); an inverse NTT gives w^T P.
 * The table itself need not be kept. */
#define PCS_LIGERO_MAX_COMB 2
static void pcs_ligero_combine(fp2 *u, const pcs_state *st, const fp2 *wts, int nw) {
    ZK_CHECK(nw >= 1 && nw <= PCS_LIGERO_MAX_COMB);
    size_t m = (size_t)1 << st->prm.log_rows, k = (size_t)1 << st->prm.log_cols;
    size_t B = (size_t)1 << st->prm.log_inv_rate;
    const fp2 *enc = st->enc;
#pragma omp parallel for schedule(static) if (m * k >= PCS_LIGERO_PAR_MIN)
    for (size_t s = 0; s < k; s++) {
        const fp2 *col = enc + s * B * m;
        fp2 sum[PCS_LIGERO_MAX_COMB] = {fp2_zero(), fp2_zero()};
        for (size_t r0 = 0; r0 < m; r0 += FP2_ACC_MAX) {
            size_t r1 = r0 + FP2_ACC_MAX < m ? r0 + FP2_ACC_MAX : m;
            fp2_acc acc[PCS_LIGERO_MAX_COMB];
            for (int l = 0; l < nw; l++) fp2_acc_zero(&acc[l]);
            for (size_t r = r0; r < r1; r++) {
                fp2 x = col[r];
                for (int l = 0; l < nw; l++) fp2_acc_mul(&acc[l], wts[(size_t)l * m + r], x);
            }
            for (int l = 0; l < nw; l++) sum[l] = fp2_add(sum[l], fp2_acc_reduce(&acc[l]));
        }
        for (int l = 0; l < nw; l++) u[(size_t)l * k + s] = sum[l];
    }
    for (int l = 0; l < nw; l++) ntt_inverse(ntt_rs_plan(st->rs), u + (size_t)l * k);
}

/* Steps 3-4 (or the certificate's): draw q query indices, send each
 * queried column and its Merkle path. */
static void pcs_ligero_send_columns(tr_t *tr, const pcs_state *st, size_t q, const pcs_ligero_labels *lb) {
    size_t m = (size_t)1 << st->prm.log_rows;
    unsigned log_K = st->prm.log_cols + st->prm.log_inv_rate;
    size_t K = (size_t)1 << log_K;
    size_t nq_max = q < K ? q : K;
    size_t *idx = zk_malloc_n(nq_max, sizeof *idx);
    size_t nq = pcs_ligero_queries(tr, lb->query, idx, K, q);
    uint8_t *path = zk_malloc_n(log_K, MERKLE_DIGEST_BYTES);
    for (size_t i = 0; i < nq; i++) {
        tr_put_fp2(tr, lb->col, st->enc + idx[i] * m, m);
        merkle_path(st->tree, path, idx[i]);
        tr_put_bytes(tr, lb->path, path, (size_t)log_K * MERKLE_DIGEST_BYTES);
    }
    free(path);
    free(idx);
}

/* The certificate transcript's preamble, the same on both sides. */
static void pcs_ligero_cert_begin(tr_t *ct, unsigned n, const uint8_t root[PCS_DIGEST_BYTES]) {
    tr_absorb_u64(ct, "pcs/cert/n", n);
    tr_absorb(ct, "pcs/cert/root", root, PCS_DIGEST_BYTES);
}

static pcs_state *pcs_ligero_commit_certified(tr_t *tr, zk_buf *cert, const fm61 *t, unsigned n) {
    pcs_state *st = pcs_ligero_commit_shape(tr, t, n, 1);
    if (!cert) return st;
    size_t m = (size_t)1 << st->prm.log_rows, k = (size_t)1 << st->prm.log_cols;
    tr_t *ct = tr_new_prover(PCS_LIGERO_CERT_PROTOCOL, cert);
    pcs_ligero_cert_begin(ct, n, merkle_root(st->tree));
    fp2 *gamma = zk_aligned_n(m, sizeof *gamma);
    tr_challenges(ct, "pcs/cert/gamma", gamma, m);
    fp2 *u0 = zk_aligned_n(k, sizeof *u0);
    pcs_ligero_combine(u0, st, gamma, 1);
    tr_put_fp2(ct, "pcs/cert/u0", u0, k);
    pcs_ligero_send_columns(ct, st, PCS_LIGERO_CERT_QUERIES, &pcs_ligero_cert_labels);
    tr_free(ct);
    free(u0);
    free(gamma);
    return st;
}

/* ---- openings from a state without the encoded matrix ----
 *
 * u1 = e^T P and u2 = ebar^T P straight from the table: with P[row][c] =
 * a + b i (a, b the base-field entries 2 (row k + c) and the next),
 *   e P = (e.re a - e.im b) + (e.im a + e.re b) i,
 *   ebar P = (e.re a + e.im b) + (e.re b - e.im a) i,
 * four base-field sums per column (128-bit, reduced every 64 rows). */
static void pcs_ligero_combine_table(fp2 *u, const fm61 *t, const fp2 *e, size_t m, size_t k) {
    enum { RB = 64 };
#pragma omp parallel if (m * k >= PCS_LIGERO_PAR_MIN)
    {
        enum { CB = 256 }; /* columns per task: 4 KB of accumulators */
        fm61_u128 acc[CB][4];
        fm61 sum[CB][4];
#pragma omp for schedule(static)
        for (size_t c0 = 0; c0 < k; c0 += CB) {
            size_t nc = k - c0 < CB ? k - c0 : CB;
            memset(sum, 0, sizeof sum);
            for (size_t r0 = 0; r0 < m; r0 += RB) {
                size_t r1 = r0 + RB < m ? r0 + RB : m;
                memset(acc, 0, sizeof acc);
                for (size_t r = r0; r < r1; r++) {
                    const fm61 *row = t + 2 * (r * k + c0);
                    uint64_t er = e[r].re, ei = e[r].im;
                    for (size_t c = 0; c < nc; c++) {
                        uint64_t a = row[2 * c], b = row[2 * c + 1];
                        acc[c][0] += (fm61_u128)er * a;
                        acc[c][1] += (fm61_u128)ei * b;
                        acc[c][2] += (fm61_u128)ei * a;
                        acc[c][3] += (fm61_u128)er * b;
                    }
                }
                for (size_t c = 0; c < nc; c++)
                    for (int q = 0; q < 4; q++) sum[c][q] = fm61_add(sum[c][q], fm61_reduce128(acc[c][q]));
            }
            for (size_t c = 0; c < nc; c++) {
                fm61 A = sum[c][0], B = sum[c][1], C = sum[c][2], D = sum[c][3];
                u[c0 + c] = fp2_make(fm61_sub(A, B), fm61_add(C, D));
                u[k + c0 + c] = fp2_make(fm61_add(A, B), fm61_sub(D, C));
            }
        }
    }
}

/* The queried columns (nq of them, indices idx) of the encoded matrix,
 * col[q m + row], by encoding every row on the cosets that hold a query,
 * computing only the queried positions' part of each transform
 * (ntt_dif_pruned). */
static void pcs_ligero_columns(fp2 *col, const pcs_state *st, const size_t *idx, size_t nq) {
    size_t m = (size_t)1 << st->prm.log_rows, k = (size_t)1 << st->prm.log_cols;
    size_t B = (size_t)1 << st->prm.log_inv_rate;
    const uint32_t *rev = ntt_plan_bitrev(ntt_rs_plan(st->rs));
    const fp2 *packed = (const fp2 *)(const void *)st->t;
    uint32_t *slot = zk_malloc_n(nq ? nq : 1, sizeof *slot);
    for (size_t r = 0; r < B; r++) {
        /* this coset's queried positions, as sorted slots of the transform */
        size_t ns = 0;
        for (size_t q = 0; q < nq; q++)
            if (idx[q] % B == r) slot[ns++] = rev[idx[q] / B];
        if (!ns) continue;
        for (size_t i = 1; i < ns; i++)
            for (size_t j = i; j > 0 && slot[j - 1] > slot[j]; j--) {
                uint32_t sw = slot[j];
                slot[j] = slot[j - 1], slot[j - 1] = sw;
            }
#pragma omp parallel if (m * k >= PCS_LIGERO_PAR_MIN)
        {
            fp2 *buf = zk_aligned_n(k, sizeof *buf);
#pragma omp for schedule(static)
            for (size_t row = 0; row < m; row++) {
                ntt_rs_coset_pruned(st->rs, buf, packed + row * k, (unsigned)r, slot, ns);
                /* buf[rev[s]] = Enc(row)[s B + r] */
                for (size_t q = 0; q < nq; q++)
                    if (idx[q] % B == r) col[q * m + row] = buf[rev[idx[q] / B]];
            }
            free(buf);
        }
    }
    free(slot);
}

static void pcs_ligero_open_from_table(tr_t *tr, const pcs_state *st, const fp2 *wts) {
    const pcs_ligero_params *prm = &st->prm;
    size_t m = (size_t)1 << prm->log_rows, k = (size_t)1 << prm->log_cols;
    unsigned log_K = prm->log_cols + prm->log_inv_rate;
    size_t K = (size_t)1 << log_K;
    fp2 *u = zk_aligned_n(2 * k, sizeof *u); /* u1 | u2 */
    pcs_ligero_combine_table(u, st->t, wts, m, k);
    tr_put_fp2(tr, "pcs/u1", u, k);
    tr_put_fp2(tr, "pcs/u2", u + k, k);
    size_t nq_max = prm->queries < K ? prm->queries : K;
    size_t *idx = zk_malloc_n(nq_max, sizeof *idx);
    size_t nq = pcs_ligero_queries(tr, pcs_ligero_open_labels.query, idx, K, prm->queries);
    fp2 *col = zk_aligned_n(nq * m, sizeof *col);
    pcs_ligero_columns(col, st, idx, nq);
    uint8_t *path = zk_malloc_n(log_K, MERKLE_DIGEST_BYTES), leaf[MERKLE_DIGEST_BYTES];
    for (size_t i = 0; i < nq; i++) {
        merkle_hash_leaf(leaf, (const uint8_t *)(col + i * m), m * sizeof *col);
        if (memcmp(leaf, merkle_leaves(st->tree) + idx[i] * MERKLE_DIGEST_BYTES, MERKLE_DIGEST_BYTES) != 0)
            (*st->mismatch)++;
        tr_put_fp2(tr, pcs_ligero_open_labels.col, col + i * m, m);
        merkle_path(st->tree, path, idx[i]);
        tr_put_bytes(tr, pcs_ligero_open_labels.path, path, (size_t)log_K * MERKLE_DIGEST_BYTES);
    }
    free(path);
    free(col);
    free(idx);
    free(u);
}

static void pcs_ligero_open(tr_t *tr, const pcs_state *st, const fp2 *z) {
    const pcs_ligero_params *prm = &st->prm;
    size_t m = (size_t)1 << prm->log_rows, k = (size_t)1 << prm->log_cols;
    fp2 *wts = zk_aligned_n(2 * m, sizeof *wts); /* e | ebar */
    mle_eq_table(wts, z + 1 + prm->log_cols, prm->log_rows);
    for (size_t r = 0; r < m; r++) wts[m + r] = fp2_conj(wts[r]);
    if (!st->enc) {
        pcs_ligero_open_from_table(tr, st, wts);
        free(wts);
        return;
    }
    fp2 *u = zk_aligned_n(2 * k, sizeof *u); /* u1 | u2 */
    pcs_ligero_combine(u, st, wts, 2);
    tr_put_fp2(tr, "pcs/u1", u, k);
    tr_put_fp2(tr, "pcs/u2", u + k, k);
    pcs_ligero_send_columns(tr, st, prm->queries, &pcs_ligero_open_labels);
    free(u);
    free(wts);
}

size_t pcs_ligero_leaves_bytes(unsigned n, int certified) {
    pcs_ligero_params p = pcs_ligero_params_for(n, certified);
    return ((size_t)1 << (p.log_cols + p.log_inv_rate)) * MERKLE_DIGEST_BYTES;
}

const uint8_t *pcs_ligero_leaves(const pcs_state *st) { return merkle_leaves(st->tree); }
const uint8_t *pcs_ligero_root(const pcs_state *st) { return merkle_root(st->tree); }

pcs_state *pcs_ligero_state_from_leaves(const fm61 *t, unsigned n, int certified, const uint8_t *leaves) {
    pcs_state *st = zk_calloc(1, sizeof *st);
    st->prm = pcs_ligero_params_for(n, certified);
    st->t = t;
    st->mismatch = zk_calloc(1, sizeof *st->mismatch);
    st->rs = ntt_rs_new(st->prm.log_cols, st->prm.log_inv_rate);
    st->tree = merkle_from_leaves(leaves, st->prm.log_cols + st->prm.log_inv_rate);
    return st;
}

size_t pcs_ligero_mismatches(const pcs_state *st) { return st->mismatch ? *st->mismatch : 0; }

static void pcs_ligero_state_free(pcs_state *st) {
    if (!st) return;
    free(st->mismatch);
    free(st->enc);
    merkle_free(st->tree);
    ntt_rs_free(st->rs);
    free(st);
}

/* ---------- verifier ---------- */

static zk_err pcs_ligero_check_n(unsigned n) {
    if (n < 1 || n > PCS_LIGERO_MAX_VARS) {
        zk_set_reason("pcs: unsupported number of variables %u", n);
        return ZK_EINPUT;
    }
    return ZK_OK;
}

static zk_err pcs_ligero_read_commitment(tr_t *tr, pcs_commitment *out, unsigned n) {
    zk_err err = pcs_ligero_check_n(n);
    if (err) return err;
    uint8_t root[PCS_DIGEST_BYTES];
    if (tr_get_bytes(tr, "pcs/root", root, sizeof root) != ZK_OK) {
        zk_set_reason("pcs: truncated commitment");
        return ZK_EFORMAT;
    }
    out->nvars = n;
    out->certified = 0;
    memcpy(out->root, root, sizeof root);
    return ZK_OK;
}

/* Steps 3-5 on the verifier's side: for nw row-weight vectors wts (m each)
 * and the codewords cw (K each) of the combinations the prover sent, read
 * the queried columns and paths and check them. what[l] names check l. */
static zk_err pcs_ligero_check_columns(tr_t *tr, const pcs_ligero_params *prm, const uint8_t *root, const fp2 *wts,
                                       const fp2 *cw, int nw, size_t q, const pcs_ligero_labels *lb,
                                       const char *const *what) {
    size_t m = (size_t)1 << prm->log_rows;
    unsigned log_K = prm->log_cols + prm->log_inv_rate;
    size_t K = (size_t)1 << log_K;
    size_t nq_max = q < K ? q : K;
    size_t *idx = zk_malloc_n(nq_max, sizeof *idx);
    size_t nq = pcs_ligero_queries(tr, lb->query, idx, K, q);
    fp2 *col = zk_aligned_n(m, sizeof *col);
    uint8_t *path = zk_malloc_n(log_K, MERKLE_DIGEST_BYTES);
    zk_err err = ZK_OK;
    for (size_t i = 0; i < nq && err == ZK_OK; i++) {
        size_t j = idx[i];
        if (tr_get_fp2(tr, lb->col, col, m) != ZK_OK) {
            zk_set_reason("pcs: query %zu: truncated or non-canonical column", i);
            err = ZK_EFORMAT;
            break;
        }
        if (tr_get_bytes(tr, lb->path, path, (size_t)log_K * MERKLE_DIGEST_BYTES) != ZK_OK) {
            zk_set_reason("pcs: query %zu: truncated Merkle path", i);
            err = ZK_EFORMAT;
            break;
        }
        uint8_t leaf[MERKLE_DIGEST_BYTES];
        merkle_hash_leaf(leaf, (const uint8_t *)col, m * sizeof *col);
        if (merkle_verify(root, log_K, j, leaf, path) != ZK_OK) {
            zk_set_reason("pcs: query %zu: column %zu does not match the Merkle root", i, j);
            err = ZK_EPROOF;
            break;
        }
        for (int l = 0; l < nw; l++) {
            fp2 s = pcs_ligero_dot(wts + (size_t)l * m, col, m);
            if (!fp2_eq(s, cw[(size_t)l * K + j])) {
                zk_set_reason("pcs: query %zu: column %zu fails the %s check", i, j, what[l]);
                err = ZK_EPROOF;
                break;
            }
        }
    }
    free(path);
    free(col);
    free(idx);
    return err;
}

static zk_err pcs_ligero_check_certificate(pcs_commitment *cm, const uint8_t *cert, size_t len) {
    unsigned n = cm->nvars;
    zk_err err = pcs_ligero_check_n(n);
    if (err) return err;
    const pcs_ligero_params prm = pcs_ligero_params_for(n, 1);
    size_t m = (size_t)1 << prm.log_rows, k = (size_t)1 << prm.log_cols;
    size_t K = k << prm.log_inv_rate;
    tr_t *ct = tr_new_verifier(PCS_LIGERO_CERT_PROTOCOL, cert, len);
    pcs_ligero_cert_begin(ct, n, cm->root);
    fp2 *gamma = zk_aligned_n(m, sizeof *gamma);
    fp2 *u0 = zk_aligned_n(k, sizeof *u0);
    fp2 *cw = NULL;
    tr_challenges(ct, "pcs/cert/gamma", gamma, m);
    if (tr_get_fp2(ct, "pcs/cert/u0", u0, k) != ZK_OK) {
        zk_set_reason("pcs certificate: truncated or non-canonical row combination");
        err = ZK_EFORMAT;
    } else {
        ntt_rs *rs = ntt_rs_new(prm.log_cols, prm.log_inv_rate);
        cw = zk_aligned_n(K, sizeof *cw);
        ntt_rs_encode(rs, cw, u0);
        ntt_rs_free(rs);
        static const char *const what[1] = {"proximity"};
        err = pcs_ligero_check_columns(ct, &prm, cm->root, gamma, cw, 1, PCS_LIGERO_CERT_QUERIES,
                                       &pcs_ligero_cert_labels, what);
        if (err != ZK_OK) {
            char why[200];
            snprintf(why, sizeof why, "%s", zk_reason());
            zk_set_reason("%s (certificate)", why);
        }
    }
    if (err == ZK_OK && tr_finish(ct) != ZK_OK) {
        zk_set_reason("pcs certificate: trailing bytes");
        err = ZK_EFORMAT;
    }
    tr_free(ct);
    free(cw);
    free(u0);
    free(gamma);
    if (err == ZK_OK) cm->certified = 1;
    return err;
}

static zk_err pcs_ligero_verify(tr_t *tr, const pcs_commitment *cm, const fp2 *z, fp2 v) {
    unsigned n = cm->nvars;
    zk_err err = pcs_ligero_check_n(n);
    if (err) return err;
    const pcs_ligero_params prm = pcs_ligero_params_for(n, cm->certified);
    size_t m = (size_t)1 << prm.log_rows, k = (size_t)1 << prm.log_cols;
    size_t K = k << prm.log_inv_rate;

    fp2 *e = zk_aligned_n(2 * m, sizeof *e), *ebar = e + m;
    fp2 *u = zk_aligned_n(2 * k, sizeof *u);
    fp2 *eqc = zk_aligned_n(k, sizeof *eqc);
    fp2 *cw = NULL;

    static const char *const ulabel[2] = {"pcs/u1", "pcs/u2"};
    for (int l = 0; l < 2; l++) {
        if (tr_get_fp2(tr, ulabel[l], u + (size_t)l * k, k) != ZK_OK) {
            zk_set_reason("pcs: truncated or non-canonical row combination u%d", l + 1);
            err = ZK_EFORMAT;
            goto done;
        }
    }

    /* step 2: the claimed value from u1 and u2 */
    {
        mle_eq_table(eqc, z + 1, prm.log_cols);
        fp2 y1 = fp2_zero(), y2 = fp2_zero();
        for (size_t c = 0; c < k; c++) {
            y1 = fp2_add(y1, fp2_mul(u[c], eqc[c]));
            y2 = fp2_add(y2, fp2_mul(u[k + c], fp2_conj(eqc[c])));
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

    /* step 5: the codewords of u1, u2 and the row weights e, ebar */
    mle_eq_table(e, z + 1 + prm.log_cols, prm.log_rows);
    for (size_t i = 0; i < m; i++) ebar[i] = fp2_conj(e[i]);
    {
        ntt_rs *rs = ntt_rs_new(prm.log_cols, prm.log_inv_rate);
        cw = zk_aligned_n(2 * K, sizeof *cw);
        for (int l = 0; l < 2; l++) ntt_rs_encode(rs, cw + (size_t)l * K, u + (size_t)l * k);
        ntt_rs_free(rs);
    }
    static const char *const what[2] = {"evaluation (u1)", "evaluation (u2)"};
    err = pcs_ligero_check_columns(tr, &prm, cm->root, e, cw, 2, prm.queries, &pcs_ligero_open_labels, what);

done:
    free(cw);
    free(eqc);
    free(u);
    free(e);
    return err;
}

const pcs_scheme pcs_ligero = {
    .name = "ligero",
    .commit = pcs_ligero_commit,
    .commit_certified = pcs_ligero_commit_certified,
    .open = pcs_ligero_open,
    .state_free = pcs_ligero_state_free,
    .read_commitment = pcs_ligero_read_commitment,
    .check_certificate = pcs_ligero_check_certificate,
    .verify = pcs_ligero_verify,
    .error = pcs_ligero_error,
    .rbr_error = pcs_ligero_rbr_error,
};
