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
 * (pcs_ligero_combine), O(N), then the column copies. *
 * HIDING (pcs_ligero_zk; the zero-knowledge variant of Ligero's
 * interleaved-code test, Ames, Hazay, Ishai, Venkitasubramaniam, CCS 2017:
 * a randomized encoding whose t opened positions are uniform, and a
 * blinding row added to every combination revealed; papers/protocol.md sec. 5.1 has
 * the arguments). The plain
 * mode above is unchanged byte for byte; a hiding commitment is chosen at
 * commit time (pcs_ligero_zk_commit) and read with pcs_ligero_zk.
 *   Parameters (pcs_ligero_zk_params_for). A budget of b openings (fixed
 *   at commit, 1 <= b <= PCS_LIGERO_ZK_MAX_OPENINGS), q queries per
 *   opening and 711 for a certificate; t = b q (+ 711) random coefficients
 *   per row, which bounds the distinct columns the commitment ever opens.
 *   The code is RS[K, k + t], k = 2^c, K = k << L: L = 2 (K = 4k, rate
 *   (k + t)/K just above 1/4 when t << k), or L = 3..6 while the encoded
 *   matrix K (rows + 1) stays within 2^15 cells (small tables, where K = 4k
 *   would force k >> the table; a certified shape, made at setup, within
 *   2^20 cells: its t = b q + 711 is large, and a lower rate cuts q). c may exceed the table's row length kd =
 *   2^log_data_cols (the row is zero-padded, m = 1) and t may exceed k.
 *   q is not a constant: with D = K - k - t + 1 and e = floor((D - 1)/2)
 *   (unique decoding), a wrong combination disagrees with the checked one
 *   in a >= e positions (certified: a = D - floor(K/10), requiring
 *   floor(K/10) <= e), and q is the least count with ((K - a)/K)^q <=
 *   2^-108 (pcs_zk_queries_for, in integers: every verifier gets the same
 *   q); t and q depend on each other and are settled by iterating q from
 *   1. Among all (L, c) whose error is at most 2^-100.5 the smallest
 *   opening wins. k + t < K, so no commitment is ever opened whole.
 *   Rows. Data row i is the polynomial P_i(X) + X^k R_i(X), deg R_i < t,
 *   R_i uniform; 2b + c mask rows (c = 1 if certified) are uniform of
 *   degree < k + t. Every x in coset r of the domain has x^k = omega^(k r)
 *   =: c_r (omega^K = 1), so x^(k+i) = c_r^(1 + floor(i/k)) x^(i mod k)
 *   and coset r of a row's codeword is the size-k transform of lo +
 *   fold_r(hi), fold_r(hi)[j] = sum over i = j mod k of c_r^(1 + floor(i/k))
 *   hi[i] (lo = the first k coefficients, hi the t extra ones): the same
 *   B = 2^L NTTs of size k per row as the plain mode at that rate.
 *   Leaves. A hiding column is salt_j (16 bytes) | data rows | mask rows,
 *   leaf j = SHA-256(0x00 || salt_j || column j) (merkle.h's leaf tag);
 *   the salt is sent with an opened column ("pcs/salt").
 *   Commitment: "pcs/root", then b as 4 bytes LE ("pcs/zk/openings"; the
 *   verifier accepts 1..PCS_LIGERO_ZK_MAX_OPENINGS).
 *   Opening at z, v in the transcript. Write L(y1, y2) = a y1 + b conj(y2),
 *   a = ((1 - z_0) - i z_0)/2, b = ((1 - z_0) + i z_0)/2: step 2 above
 *   checks v = L(y1, y2), and L(y1 + g s1, y2 + conj(g) s2) =
 *   L(y1, y2) + g L(s1, s2). The prover takes the next slot j < b
 *   (refusing past b: ZK_CHECK), rows A = m + 2j and B = A + 1, and
 *     1. sends j ("pcs/zk/slot") and s = L(s1, s2) ("pcs/zk/s") with
 *        s1 = sum_{c<kd} A[c] eq(z_col, c), s2 = sum_c B[c] conj(eq(z_col, c));
 *     2. gamma <- "pcs/zk/gamma", drawn again while 0 (pcs_zk_gamma);
 *     3. sends u1' = e^T (P | R) + gamma A and u2' = ebar^T (P | R) +
 *        conj(gamma) B, k + t coefficients each ("pcs/u1", "pcs/u2");
 *     4. the verifier checks L(y1', y2') = v + gamma s (y from the first
 *        kd coefficients), then q queried columns: salt, entries, path,
 *        and Enc(u1')[x] = sum_i e_i U[i][x] + gamma U[A][x], Enc(u2')[x]
 *        = sum_i ebar_i U[i][x] + conj(gamma) U[B][x].
 *   Certificate (protocol PCS_LIGERO_ZK_CERT_PROTOCOL): absorb n, b, root;
 *   gamma over every row but the last (the certificate's mask row), weight
 *   1 on that one; u0' (k + t); 711 queries (PCS_LIGERO_ZK_CERT_QUERIES).
 *   Soundness (delta = e/K <= (1 - rate)/2, the unique-decoding radius).
 *   Proximity: if the data rows are delta-far, e^T U is far except with
 *   2 l K/|F| (as above, at this rate); adding gamma times a committed row
 *   keeps it far except with K/|F| (BCIKS line gap, twice: u1', u2'); a
 *   far mask row is caught the same way; a far word differs from the
 *   codeword Enc(u1') in > e positions. Evaluation: rows and masks decode
 *   uniquely; a u1' or u2' other than the decoded combination differs
 *   from it in >= D positions, at most e of them outside the agreement
 *   set, so in >= D - e > e: each query catches with probability >= a/K,
 *   ((K - a)/K)^q <= 2^-108. With u1', u2' right, L(y1', y2') = v* +
 *   gamma s* for the true value v* and the decoded masks' s*, so a false v
 *   passes only if s != s* and gamma = (v - v*)/(s* - s): 1/|F| (s is sent
 *   before gamma). Certificate at proximity 1/10 <= e/K: (9/10)^711 =
 *   2^-108.1 + K/|F|; certified opening: U within floor(K/10) of the code,
 *   a wrong combination off in >= D - floor(K/10) = a positions, plus
 *   1/|F|. pcs_ligero_zk_error adds the terms: >= 2^-100 for every n and
 *   budget.
 *   Hiding (what the verifier learns). Given gamma != 0, (u1', u2') is a
 *   bijective image of the mask rows (A, B); the data rows' entries at any
 *   <= t distinct columns are uniform and independent of the masks
 *   (x -> x^k R(x) on t distinct nonzero points is a diagonal times a
 *   Vandermonde matrix, invertible); s and the mask entries are then fixed
 *   by the verifier's equations. So the view of all openings and the
 *   certificate is simulated from the claimed values alone: u1', u2', u0'
 *   and the opened data entries uniform, s = (L(u1', u2') - v)/gamma, the
 *   rest solved; unopened leaves are salted hashes (random oracle), and
 *   the root is their hash. This holds while the distinct opened columns
 *   stay <= t, i.e. for at most b openings of the commitment; a key that
 *   outlives one proof keeps the slot count (pcs_ligero_zk_used, passed
 *   back to pcs_ligero_zk_state_from_leaves).
 *   Randomness: every extra coefficient, mask row and salt is a ChaCha20
 *   keystream of a 32-byte seed (pcs_zk_stream: key = seed, IV = domain |
 *   index), the seed from RAND_bytes unless given (tests); the state keeps
 *   it, so a state rebuilt from the leaves gives the same bytes.
 *   Cost: the rows' hi parts (m t) and the mask rows add to the encoding
 *   (commit: the table is read, not copied; the state keeps the encoded
 *   matrix, the rows' hi parts and the mask rows' lo parts); an opening
 *   computes u1', u2' as the plain one does, from coset 0 of the encoded
 *   matrix (coset 0 holds lo + fold_0(hi): the data rows' w^T R is
 *   computed from the kept hi parts, m t entries, and folded off), or from
 *   the table in a state rebuilt from leaves; proofs grow by the masks'
 *   entries in every column, the salts, t coefficients in each of u1', u2',
 *   and the few extra queries the rate above 1/4 costs.
 */
#include "../poly/mle.h"
#include "merkle.h"
#include "ntt.h"
#include "pcs.h"

#include <math.h>
#include <pthread.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#define PCS_LIGERO_LOG_INV_RATE 2
/* HIDING: the codeword length may grow to k << 6 for small tables. */
#define PCS_ZK_MAX_LOG_INV_RATE 6
_Static_assert(PCS_ZK_MAX_LOG_INV_RATE <= NTT_RS_SHARED_MAX_BLOWUP, "ntt_rs_shared serves every rate");
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
    const ntt_rs *rs;  /* the encoder (ntt_rs_shared; its size-k plan serves the opening) */
    const fm61 *t;     /* a state from leaves: the table (the caller's) */
    const fp2 *cols;   /* a state from leaves: the commitment's encoded matrix (layout of enc), borrowed
                        * (pcs_ligero_attach_encoded), or NULL: the queried columns are encoded */
    size_t *mismatch;  /* a state from leaves: sent columns whose digest is not their leaf */
    /* hiding mode (HIDING): enc columns are salt | m data rows | mask rows */
    fm61 *tcopy;       /* a hiding state from leaves: its copy of the table (st->t points to it) */
    fp2 *mlo;          /* mask_rows x k: the mask rows' first k coefficients */
    fp2 *hi;           /* (m + mask_rows) x t: the rows' random coefficients k..k+t */
    uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES];
    unsigned *used;    /* openings served (a counter behind the const state) */
};

/* Bytes of one column in the proof: a hiding column carries its salt and
 * the mask rows' entries. */
static size_t pcs_ligero_column_bytes(const pcs_ligero_params *p) {
    size_t m = (size_t)1 << p->log_rows;
    if (!p->zk) return 16 * m;
    return PCS_LIGERO_ZK_SALT_BYTES + 16 * (m + p->mask_rows);
}

size_t pcs_ligero_opening_bytes(const pcs_ligero_params *p) {
    size_t k = (size_t)1 << p->log_cols;
    unsigned log_K = p->log_cols + p->log_inv_rate;
    size_t K = (size_t)1 << log_K;
    size_t q = p->queries < K ? p->queries : K;
    /* zk: the slot (4 bytes), s (16), and u1, u2 of k + t coefficients */
    size_t head = p->zk ? 4 + 16 + 2 * 16 * (k + p->mask_len) : 2 * 16 * k;
    return head + q * (pcs_ligero_column_bytes(p) + MERKLE_DIGEST_BYTES * (size_t)log_K);
}

size_t pcs_ligero_certificate_bytes(const pcs_ligero_params *p) {
    size_t k = (size_t)1 << p->log_cols;
    unsigned log_K = p->log_cols + p->log_inv_rate;
    size_t K = (size_t)1 << log_K;
    size_t cq = p->zk ? PCS_LIGERO_ZK_CERT_QUERIES : PCS_LIGERO_CERT_QUERIES;
    size_t q = cq < K ? cq : K;
    size_t u0 = 16 * (k + (p->zk ? p->mask_len : 0));
    return u0 + q * (pcs_ligero_column_bytes(p) + MERKLE_DIGEST_BYTES * (size_t)log_K);
}

pcs_ligero_params pcs_ligero_params_for(unsigned n, int certified) {
    ZK_CHECK(n >= 1 && n <= PCS_LIGERO_MAX_VARS);
    pcs_ligero_params p = {0};
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
    p.log_data_cols = best;
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
    const char *query, *col, *path, *salt;
} pcs_ligero_labels;

static const pcs_ligero_labels pcs_ligero_open_labels = {"pcs/query", "pcs/col", "pcs/path", "pcs/salt"};
static const pcs_ligero_labels pcs_ligero_cert_labels = {"pcs/cert/query", "pcs/cert/col", "pcs/cert/path",
                                                         "pcs/cert/salt"};

/* ---------- prover ---------- */

static void pcs_zk_coset_consts(fp2 *c, unsigned log_k, unsigned log_B);
static void pcs_zk_coset_in(const ntt_rs *rs, fp2 *buf, const fp2 *lo, size_t kl, const fp2 *hi, size_t k, size_t tl,
                            fp2 c, unsigned r);
static const fp2 *pcs_zk_row_lo(const pcs_state *st, const fp2 *packed, size_t row, size_t *len);

/* st->enc (allocated here) <- Enc of every row, column-major: column j at
 * enc + j W, W = m (hiding: W = 1 + rows, slot 0 left for the salt, data
 * rows from the table, mask rows from st->mlo, each with its st->hi, as
 * coset messages lo + c_r hi). Each task encodes a block of rows coset by
 * coset and writes them out transposed. */
static void pcs_ligero_encode(pcs_state *st, const fp2 *packed) {
    const pcs_ligero_params *p = &st->prm;
    const size_t m = (size_t)1 << p->log_rows, k = (size_t)1 << p->log_cols, B = (size_t)1 << p->log_inv_rate;
    const size_t rows = m + p->mask_rows, W = p->zk ? rows + 1 : m, off = p->zk ? 1 : 0, tl = p->mask_len;
    const size_t nblk = (rows + PCS_LIGERO_ROW_BLOCK - 1) / PCS_LIGERO_ROW_BLOCK;
    const uint32_t *rev = ntt_plan_bitrev(ntt_rs_plan(st->rs));
    fp2 c[1 << PCS_ZK_MAX_LOG_INV_RATE];
    if (p->zk) pcs_zk_coset_consts(c, p->log_cols, p->log_inv_rate);
    fp2 *enc = st->enc = zk_aligned_n(k * B * W, sizeof *st->enc); /* huge pages from 4 MiB on (zk.h) */
#pragma omp parallel if (rows * k >= PCS_LIGERO_PAR_MIN)
    {
        fp2 *buf = zk_aligned_n(PCS_LIGERO_ROW_BLOCK * k, sizeof *buf);
        /* blocks dealt round-robin: a hiding table's rows (m + mask rows) are
         * not a multiple of the blocks per thread, and contiguous chunks would
         * give one thread a whole block more (ADV of LeNet-5: 20 rows and 14) */
#pragma omp for schedule(static, 1)
        for (size_t blk = 0; blk < nblk; blk++) {
            size_t r0 = blk * PCS_LIGERO_ROW_BLOCK;
            size_t nb = rows - r0 < PCS_LIGERO_ROW_BLOCK ? rows - r0 : PCS_LIGERO_ROW_BLOCK;
            for (size_t r = 0; r < B; r++) {
                for (size_t b = 0; b < nb; b++) {
                    fp2 *out = buf + b * k;
                    if (p->zk) {
                        size_t kl;
                        const fp2 *lo = pcs_zk_row_lo(st, packed, r0 + b, &kl);
                        pcs_zk_coset_in(st->rs, out, lo, kl, st->hi + (r0 + b) * tl, k, tl, c[r], (unsigned)r);
                        ntt_dif(ntt_rs_plan(st->rs), out);
                    } else {
                        ntt_rs_coset(st->rs, out, packed + (r0 + b) * k, (unsigned)r);
                    }
                }
                /* buf[b k + rev[s]] = Enc(row r0 + b)[s B + r] */
                for (size_t s = 0; s < k; s++) {
                    fp2 *dst = enc + (s * B + r) * W + off + r0;
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
    unsigned log_K = prm->log_cols + prm->log_inv_rate;
#ifdef ZK_VERIFY
    for (size_t x = 0; x < (size_t)1 << n; x++) ZK_CHECK(fm61_is_canonical(t[x]));
#endif
    /* t read as m x k fp2 is the packed matrix P (same memory layout) */
    const fp2 *packed = (const fp2 *)(const void *)t;
    st->rs = ntt_rs_shared(prm->log_cols, prm->log_inv_rate);
    pcs_ligero_encode(st, packed);
    st->tree = merkle_new((const uint8_t *)st->enc, ((size_t)1 << prm->log_rows) * sizeof(fp2), log_K);
    tr_put_bytes(tr, "pcs/root", merkle_root(st->tree), MERKLE_DIGEST_BYTES);
    return st;
}

static pcs_state *pcs_ligero_commit(tr_t *tr, const fm61 *t, unsigned n) {
    return pcs_ligero_commit_shape(tr, t, n, 0);
}

/* The row combinations w_l^T P, l < nw, for the weight vectors
 * w_l = wts + l wstride (the m data rows' weights first), computed from the
 * encoded matrix: coset 0 of the code (positions j = B s) holds the size-k
 * NTT of every row, and encoding is linear, so
 *     NTT(w^T P)[s] = sum_row w[row] enc[B s m + row]
 * (a dot product with one contiguous column); an inverse NTT gives w^T P.
 * The table itself need not be kept. Hiding: columns are W = 1 + rows
 * slots, the data rows from slot 1, and coset 0's message is lo + hi
 * (c_0 = 1, HIDING), so this gives w^T (P + fold(R)) (pcs_zk_combine
 * takes fold(w^T R) off). */
#define PCS_LIGERO_MAX_COMB 2
static void pcs_ligero_combine(fp2 *u, const pcs_state *st, const fp2 *wts, size_t wstride, int nw) {
    ZK_CHECK(nw >= 1 && nw <= PCS_LIGERO_MAX_COMB);
    size_t m = (size_t)1 << st->prm.log_rows, k = (size_t)1 << st->prm.log_cols;
    size_t B = (size_t)1 << st->prm.log_inv_rate;
    size_t W = st->prm.zk ? m + st->prm.mask_rows + 1 : m, off = st->prm.zk ? 1 : 0;
    const fp2 *enc = st->enc;
#pragma omp parallel for schedule(static) if (m * k >= PCS_LIGERO_PAR_MIN)
    for (size_t s = 0; s < k; s++) {
        const fp2 *col = enc + s * B * W + off;
        fp2 sum[PCS_LIGERO_MAX_COMB] = {fp2_zero(), fp2_zero()};
        for (size_t r0 = 0; r0 < m; r0 += FP2_ACC_MAX) {
            size_t r1 = r0 + FP2_ACC_MAX < m ? r0 + FP2_ACC_MAX : m;
            fp2_acc acc[PCS_LIGERO_MAX_COMB];
            for (int l = 0; l < nw; l++) fp2_acc_zero(&acc[l]);
            for (size_t r = r0; r < r1; r++) {
                fp2 x = col[r];
                for (int l = 0; l < nw; l++) fp2_acc_mul(&acc[l], wts[(size_t)l * wstride + r], x);
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
    if (st->prm.zk) m += st->prm.mask_rows; /* and the salt before */
    size_t W = st->prm.zk ? m + 1 : m;
    unsigned log_K = st->prm.log_cols + st->prm.log_inv_rate;
    size_t K = (size_t)1 << log_K;
    size_t nq_max = q < K ? q : K;
    size_t *idx = zk_malloc_n(nq_max, sizeof *idx);
    size_t nq = pcs_ligero_queries(tr, lb->query, idx, K, q);
    uint8_t *path = zk_malloc_n(log_K, MERKLE_DIGEST_BYTES);
    for (size_t i = 0; i < nq; i++) {
        const fp2 *c = st->enc + idx[i] * W;
        if (st->prm.zk) tr_put_bytes(tr, lb->salt, (const uint8_t *)c++, PCS_LIGERO_ZK_SALT_BYTES);
        tr_put_fp2(tr, lb->col, c, m);
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
    pcs_ligero_combine(u0, st, gamma, m, 1);
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

static void pcs_zk_salts(const pcs_state *st, uint8_t *out, size_t K);

/* Coset r's queried positions (idx[q] = s B + r) as the transform's
 * output slots rev[s], sorted as ntt_dif_pruned wants them; their count. */
static size_t pcs_coset_slots(uint32_t *slot, const size_t *idx, size_t nq, size_t B, size_t r, const uint32_t *rev) {
    size_t ns = 0;
    for (size_t q = 0; q < nq; q++)
        if (idx[q] % B == r) slot[ns++] = rev[idx[q] / B];
    for (size_t i = 1; i < ns; i++)
        for (size_t j = i; j > 0 && slot[j - 1] > slot[j]; j--) {
            uint32_t sw = slot[j];
            slot[j] = slot[j - 1], slot[j - 1] = sw;
        }
    return ns;
}

/* The queried columns (nq of them, indices idx) of the encoded matrix,
 * col[q W + row] (W = m; hiding: W = 1 + rows, the salt first): copied
 * from an attached encoded matrix (st->cols), or else by encoding every
 * row on the cosets that hold a query, computing only the queried
 * positions' part of each transform (ntt_dif_pruned). */
static void pcs_ligero_columns(fp2 *col, const pcs_state *st, const size_t *idx, size_t nq) {
    const pcs_ligero_params *p = &st->prm;
    size_t m = (size_t)1 << p->log_rows, k = (size_t)1 << p->log_cols;
    size_t B = (size_t)1 << p->log_inv_rate, K = k * B;
    size_t rows = m + p->mask_rows, W = p->zk ? rows + 1 : m, off = p->zk ? 1 : 0, tl = p->mask_len;
    if (st->cols) { /* the columns as committed: salt and rows, in the leaves' layout */
        for (size_t q = 0; q < nq; q++) memcpy(col + q * W, st->cols + idx[q] * W, W * sizeof *col);
        return;
    }
    const uint32_t *rev = ntt_plan_bitrev(ntt_rs_plan(st->rs));
    const fp2 *packed = (const fp2 *)(const void *)st->t;
    fp2 c[1 << PCS_ZK_MAX_LOG_INV_RATE];
    if (p->zk) {
        uint8_t *salts = zk_malloc_n(K, PCS_LIGERO_ZK_SALT_BYTES);
        pcs_zk_salts(st, salts, K);
        for (size_t q = 0; q < nq; q++)
            memcpy(col + q * W, salts + idx[q] * PCS_LIGERO_ZK_SALT_BYTES, PCS_LIGERO_ZK_SALT_BYTES);
        free(salts);
        pcs_zk_coset_consts(c, p->log_cols, p->log_inv_rate);
    }
    uint32_t *slot = zk_malloc_n(nq ? nq : 1, sizeof *slot);
    for (size_t r = 0; r < B; r++) {
        size_t ns = pcs_coset_slots(slot, idx, nq, B, r, rev);
        if (!ns) continue;
#pragma omp parallel if (rows * k >= PCS_LIGERO_PAR_MIN)
        {
            fp2 *buf = zk_aligned_n(k, sizeof *buf);
#pragma omp for schedule(static)
            for (size_t row = 0; row < rows; row++) {
                if (p->zk) { /* the coset's message lo + c_r hi */
                    size_t kl;
                    const fp2 *lo = pcs_zk_row_lo(st, packed, row, &kl);
                    pcs_zk_coset_in(st->rs, buf, lo, kl, st->hi + row * tl, k, tl, c[r], (unsigned)r);
                    ntt_dif_pruned(ntt_rs_plan(st->rs), buf, slot, ns);
                } else {
                    ntt_rs_coset_pruned(st->rs, buf, packed + row * k, (unsigned)r, slot, ns);
                }
                /* buf[rev[s]] = Enc(row)[s B + r] */
                for (size_t q = 0; q < nq; q++)
                    if (idx[q] % B == r) col[q * W + off + row] = buf[rev[idx[q] / B]];
            }
            free(buf);
        }
    }
    free(slot);
}

static void pcs_encode_at(const ntt_rs *rs, const pcs_ligero_params *p, const fp2 *u, const size_t *idx, size_t nq,
                          fp2 *out);

/* Steps 3-4 for a state from leaves: the queried columns
 * (pcs_ligero_columns), each compared with its leaf. Columns read from an
 * attached matrix are also put to the verifier's test against the two
 * combinations just sent (weights wts + l wstride over the rows, messages
 * u + l ustride, l < 2): the matrix need not be the table's encoding, and
 * a column that fails counts as a mismatch like one whose digest is not its
 * leaf. */
static void pcs_ligero_send_table_columns(tr_t *tr, const pcs_state *st, const fp2 *wts, size_t wstride,
                                          const fp2 *u, size_t ustride) {
    const pcs_ligero_params *prm = &st->prm;
    size_t m = (size_t)1 << prm->log_rows, rows = m + prm->mask_rows, W = prm->zk ? rows + 1 : m;
    unsigned log_K = prm->log_cols + prm->log_inv_rate;
    size_t K = (size_t)1 << log_K;
    size_t nq_max = prm->queries < K ? prm->queries : K;
    size_t *idx = zk_malloc_n(nq_max, sizeof *idx);
    size_t nq = pcs_ligero_queries(tr, pcs_ligero_open_labels.query, idx, K, prm->queries);
    fp2 *col = zk_aligned_n(nq * W, sizeof *col);
    pcs_ligero_columns(col, st, idx, nq);
    uint8_t *bad = zk_calloc(nq ? nq : 1, 1);
    if (st->cols && nq) {
        size_t off = prm->zk ? 1 : 0;
        fp2 *cw = zk_aligned_n(nq, sizeof *cw); /* Enc(u_l) at the queried positions */
        for (size_t l = 0; l < 2; l++) {
            pcs_encode_at(st->rs, prm, u + l * ustride, idx, nq, cw);
            for (size_t i = 0; i < nq; i++)
                bad[i] |= !fp2_eq(pcs_ligero_dot(wts + l * wstride, col + i * W + off, W - off), cw[i]);
        }
        free(cw);
    }
    uint8_t *path = zk_malloc_n(log_K, MERKLE_DIGEST_BYTES), leaf[MERKLE_DIGEST_BYTES];
    for (size_t i = 0; i < nq; i++) {
        const fp2 *c = col + i * W;
        merkle_hash_leaf(leaf, (const uint8_t *)c, W * sizeof *col);
        if (bad[i] || memcmp(leaf, merkle_leaves(st->tree) + idx[i] * MERKLE_DIGEST_BYTES, MERKLE_DIGEST_BYTES) != 0)
            (*st->mismatch)++;
        if (prm->zk) tr_put_bytes(tr, pcs_ligero_open_labels.salt, (const uint8_t *)c++, PCS_LIGERO_ZK_SALT_BYTES);
        tr_put_fp2(tr, pcs_ligero_open_labels.col, c, prm->zk ? rows : m);
        merkle_path(st->tree, path, idx[i]);
        tr_put_bytes(tr, pcs_ligero_open_labels.path, path, (size_t)log_K * MERKLE_DIGEST_BYTES);
    }
    free(path);
    free(bad);
    free(col);
    free(idx);
}

static void pcs_ligero_open_from_table(tr_t *tr, const pcs_state *st, const fp2 *wts) {
    const pcs_ligero_params *prm = &st->prm;
    size_t m = (size_t)1 << prm->log_rows, k = (size_t)1 << prm->log_cols;
    fp2 *u = zk_aligned_n(2 * k, sizeof *u); /* u1 | u2 */
    pcs_ligero_combine_table(u, st->t, wts, m, k);
    tr_put_fp2(tr, "pcs/u1", u, k);
    tr_put_fp2(tr, "pcs/u2", u + k, k);
    pcs_ligero_send_table_columns(tr, st, wts, m, u, k);
    free(u);
}

static void pcs_ligero_open(tr_t *tr, const pcs_state *st, const fp2 *z) {
    const pcs_ligero_params *prm = &st->prm;
    ZK_CHECK(!prm->zk); /* a hiding state opens with pcs_ligero_zk.open */
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
    pcs_ligero_combine(u, st, wts, m, 2);
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
    st->rs = ntt_rs_shared(st->prm.log_cols, st->prm.log_inv_rate);
    st->tree = merkle_from_leaves(leaves, st->prm.log_cols + st->prm.log_inv_rate);
    return st;
}

size_t pcs_ligero_mismatches(const pcs_state *st) { return st->mismatch ? *st->mismatch : 0; }

size_t pcs_ligero_encoded_bytes(const pcs_ligero_params *p) {
    size_t K = (size_t)1 << (p->log_cols + p->log_inv_rate), m = (size_t)1 << p->log_rows;
    return K * (p->zk ? m + p->mask_rows + 1 : m) * sizeof(fp2);
}

const uint8_t *pcs_ligero_encoded(const pcs_state *st) { return (const uint8_t *)st->enc; }

void pcs_ligero_attach_encoded(pcs_state *st, const uint8_t *enc) {
    ZK_CHECK(st->t && !st->enc && !st->cols && enc && (uintptr_t)enc % _Alignof(fp2) == 0);
    st->cols = (const fp2 *)(const void *)enc;
}

static void pcs_ligero_state_free(pcs_state *st) {
    if (!st) return;
    if (st->prm.zk) { /* the commitment's randomness: the seed, the rows' extra coefficients, the mask rows */
        size_t m = (size_t)1 << st->prm.log_rows, k = (size_t)1 << st->prm.log_cols;
        OPENSSL_cleanse(st->seed, sizeof st->seed);
        if (st->hi) OPENSSL_cleanse(st->hi, (m + st->prm.mask_rows) * st->prm.mask_len * sizeof *st->hi);
        if (st->mlo) OPENSSL_cleanse(st->mlo, st->prm.mask_rows * k * sizeof *st->mlo);
        /* the codewords of the data and mask rows and the salts; the table's copy */
        if (st->enc) OPENSSL_cleanse(st->enc, pcs_ligero_encoded_bytes(&st->prm));
        if (st->tcopy) OPENSSL_cleanse(st->tcopy, ((size_t)1 << st->prm.nvars) * sizeof *st->tcopy);
    }
    free(st->mismatch);
    free(st->used);
    free(st->tcopy);
    free(st->mlo);
    free(st->hi);
    free(st->enc);
    merkle_free(st->tree);
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
    memset(out, 0, sizeof *out); /* plain: zk = 0 */
    out->nvars = n;
    memcpy(out->root, root, sizeof root);
    return ZK_OK;
}

/* Steps 3-5 on the verifier's side: for nw row-weight vectors wts (m each)
 * and the combinations the prover sent (u: nw messages of k + t
 * coefficients, t = 0 plain), read the queried columns and paths and check
 * each column against the combinations' codewords at its position
 * (pcs_encode_at: only the queried positions are computed). what[l] names
 * check l. */
static zk_err pcs_ligero_check_columns(tr_t *tr, const pcs_ligero_params *prm, const uint8_t *root, const fp2 *wts,
                                       const fp2 *u, int nw, size_t q, const pcs_ligero_labels *lb,
                                       const char *const *what) {
    size_t m = (size_t)1 << prm->log_rows;
    if (prm->zk) m += prm->mask_rows; /* a hiding column: salt | data rows | mask rows */
    unsigned log_K = prm->log_cols + prm->log_inv_rate;
    size_t K = (size_t)1 << log_K;
    size_t nq_max = q < K ? q : K;
    size_t *idx = zk_malloc_n(nq_max, sizeof *idx);
    size_t nq = pcs_ligero_queries(tr, lb->query, idx, K, q);
    size_t ul = ((size_t)1 << prm->log_cols) + prm->mask_len;
    fp2 *cw = zk_aligned_n((size_t)nw * (nq ? nq : 1), sizeof *cw); /* cw[l nq + i] = Enc(u_l)[idx[i]] */
    const ntt_rs *rs = ntt_rs_shared(prm->log_cols, prm->log_inv_rate);
    for (int l = 0; l < nw; l++) pcs_encode_at(rs, prm, u + (size_t)l * ul, idx, nq, cw + (size_t)l * nq);
    fp2 *leafbuf = zk_aligned_n(m + 1, sizeof *leafbuf), *col = prm->zk ? leafbuf + 1 : leafbuf;
    uint8_t *path = zk_malloc_n(log_K, MERKLE_DIGEST_BYTES);
    zk_err err = ZK_OK;
    for (size_t i = 0; i < nq && err == ZK_OK; i++) {
        size_t j = idx[i];
        if (prm->zk && tr_get_bytes(tr, lb->salt, (uint8_t *)leafbuf, PCS_LIGERO_ZK_SALT_BYTES) != ZK_OK) {
            zk_set_reason("pcs: query %zu: truncated salt", i);
            err = ZK_EFORMAT;
            break;
        }
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
        merkle_hash_leaf(leaf, (const uint8_t *)leafbuf, (prm->zk ? m + 1 : m) * sizeof *col);
        if (merkle_verify(root, log_K, j, leaf, path) != ZK_OK) {
            zk_set_reason("pcs: query %zu: column %zu does not match the Merkle root", i, j);
            err = ZK_EPROOF;
            break;
        }
        for (int l = 0; l < nw; l++) {
            fp2 s = pcs_ligero_dot(wts + (size_t)l * m, col, m);
            if (!fp2_eq(s, cw[(size_t)l * nq + i])) {
                zk_set_reason("pcs: query %zu: column %zu fails the %s check", i, j, what[l]);
                err = ZK_EPROOF;
                break;
            }
        }
    }
    free(path);
    free(leafbuf);
    free(cw);
    free(idx);
    return err;
}

/* The hiding mode's pieces (below) that the verifier shares. */
static fp2 pcs_zk_value(const fp2 *u1, const fp2 *u2, const fp2 *eqc, size_t kd, fp2 z0);
static void pcs_zk_cert_begin(tr_t *ct, const pcs_ligero_params *p, const uint8_t root[PCS_DIGEST_BYTES]);

/* The parameters of commitment c (plain or hiding), or ZK_EINPUT. */
static zk_err pcs_ligero_params_of(pcs_ligero_params *prm, const pcs_commitment *cm, int certified) {
    zk_err err = pcs_ligero_check_n(cm->nvars);
    if (err) return err;
    if (!cm->zk) {
        *prm = pcs_ligero_params_for(cm->nvars, certified);
        return ZK_OK;
    }
    if (cm->openings < 1 || cm->openings > PCS_LIGERO_ZK_MAX_OPENINGS) {
        zk_set_reason("pcs: hiding commitment with an opening budget of %u", cm->openings);
        return ZK_EINPUT;
    }
    *prm = pcs_ligero_zk_params_for(cm->nvars, certified, cm->openings);
    return ZK_OK;
}

/* Both schemes' certificate check: plain (gamma on the m rows) or hiding
 * (its own protocol label; gamma on every row but the last, the
 * certificate's mask row, which has weight 1). */
static zk_err pcs_ligero_check_certificate(pcs_commitment *cm, const uint8_t *cert, size_t len) {
    pcs_ligero_params prm;
    zk_err err = pcs_ligero_params_of(&prm, cm, 1);
    if (err) return err;
    size_t m = (size_t)1 << prm.log_rows, k = (size_t)1 << prm.log_cols, rows = m + prm.mask_rows;
    size_t ul = k + prm.mask_len;
    tr_t *ct = tr_new_verifier(prm.zk ? PCS_LIGERO_ZK_CERT_PROTOCOL : PCS_LIGERO_CERT_PROTOCOL, cert, len);
    if (prm.zk)
        pcs_zk_cert_begin(ct, &prm, cm->root);
    else
        pcs_ligero_cert_begin(ct, cm->nvars, cm->root);
    fp2 *gamma = zk_aligned_n(rows, sizeof *gamma);
    fp2 *u0 = zk_aligned_n(ul, sizeof *u0);
    tr_challenges(ct, "pcs/cert/gamma", gamma, prm.zk ? rows - 1 : rows);
    if (prm.zk) gamma[rows - 1] = fp2_one();
    if (tr_get_fp2(ct, "pcs/cert/u0", u0, ul) != ZK_OK) {
        zk_set_reason("pcs certificate: truncated or non-canonical row combination");
        err = ZK_EFORMAT;
    } else {
        static const char *const what[1] = {"proximity"};
        err = pcs_ligero_check_columns(ct, &prm, cm->root, gamma, u0, 1,
                                       prm.zk ? PCS_LIGERO_ZK_CERT_QUERIES : PCS_LIGERO_CERT_QUERIES,
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
    free(u0);
    free(gamma);
    if (err == ZK_OK) cm->certified = 1;
    return err;
}

/* HIDING's gamma, outside {0}: u1' and u2' hide the rows only for gamma != 0
 * (gamma = 0 would send e^T (P | R) unmasked: the table itself when it is
 * one row). Drawn again under the same label, on both sides alike. */
static fp2 pcs_zk_gamma(tr_t *tr) {
    for (;;) {
        fp2 g = tr_challenge(tr, "pcs/zk/gamma");
        if (!fp2_is_zero(g)) return g;
    }
}

/* Both schemes' opening check. Hiding: first the slot and s, gamma; the
 * combinations have k + t coefficients and step 2 is L(u1', u2') = v +
 * gamma s (plain: s = 0, L is step 2's formula); the column checks weigh
 * the mask rows A, B with gamma, conj(gamma). */
static zk_err pcs_ligero_verify(tr_t *tr, const pcs_commitment *cm, const fp2 *z, fp2 v) {
    pcs_ligero_params prm;
    zk_err err = pcs_ligero_params_of(&prm, cm, cm->certified);
    if (err) return err;
    size_t m = (size_t)1 << prm.log_rows, k = (size_t)1 << prm.log_cols, kd = (size_t)1 << prm.log_data_cols;
    size_t rows = m + prm.mask_rows, ul = k + prm.mask_len;
    fp2 s = fp2_zero(), gamma = fp2_zero();
    size_t r1 = 0;
    if (prm.zk) {
        uint8_t sb[4];
        if (tr_get_bytes(tr, "pcs/zk/slot", sb, sizeof sb) != ZK_OK || tr_get_fp2(tr, "pcs/zk/s", &s, 1) != ZK_OK) {
            zk_set_reason("pcs: truncated or non-canonical mask slot or mask value");
            return ZK_EFORMAT;
        }
        unsigned slot = (unsigned)sb[0] | (unsigned)sb[1] << 8 | (unsigned)sb[2] << 16 | (unsigned)sb[3] << 24;
        if (slot >= prm.openings) {
            zk_set_reason("pcs: mask slot %u beyond the commitment's %u openings", slot, prm.openings);
            return ZK_EPROOF;
        }
        r1 = m + 2 * (size_t)slot;
        gamma = pcs_zk_gamma(tr);
    }

    fp2 *e = zk_aligned_n(2 * rows, sizeof *e), *ebar = e + rows;
    fp2 *u = zk_aligned_n(2 * ul, sizeof *u);
    fp2 *eqc = zk_aligned_n(kd, sizeof *eqc);

    static const char *const ulabel[2] = {"pcs/u1", "pcs/u2"};
    for (int l = 0; l < 2; l++) {
        if (tr_get_fp2(tr, ulabel[l], u + (size_t)l * ul, ul) != ZK_OK) {
            zk_set_reason("pcs: truncated or non-canonical row combination u%d", l + 1);
            err = ZK_EFORMAT;
            goto done;
        }
    }

    /* step 2: the claimed value from u1 and u2 */
    mle_eq_table(eqc, z + 1, prm.log_data_cols);
    if (!fp2_eq(pcs_zk_value(u, u + ul, eqc, kd, z[0]), fp2_add(v, fp2_mul(gamma, s)))) {
        zk_set_reason("pcs: opened value does not match the claimed evaluation");
        err = ZK_EPROOF;
        goto done;
    }

    /* step 5: the codewords of u1, u2 and the row weights e, ebar */
    memset(e, 0, 2 * rows * sizeof *e);
    mle_eq_table(e, z + 1 + prm.log_data_cols, prm.log_rows);
    for (size_t i = 0; i < m; i++) ebar[i] = fp2_conj(e[i]);
    if (prm.zk) {
        e[r1] = gamma;
        ebar[r1 + 1] = fp2_conj(gamma);
    }
    static const char *const what[2] = {"evaluation (u1)", "evaluation (u2)"};
    err = pcs_ligero_check_columns(tr, &prm, cm->root, e, u, 2, prm.queries, &pcs_ligero_open_labels, what);

done:
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

/* ==================== hiding mode (HIDING above) ==================== */

_Static_assert(PCS_LIGERO_ZK_SALT_BYTES == sizeof(fp2), "a salt fills the first fp2 slot of a hiding column");

/* ---- parameters (HIDING, Parameters and Soundness) ---- */

/* The column test's catch count a of shape p: a false combination (or a
 * far matrix) disagrees with what the verifier recomputes in at least a of
 * the K positions, so each query catches it with probability >= a/K.
 * Plain opening: the unique-decoding radius e = floor((K - k - t)/2) of
 * RS[K, k + t] (minimum distance D = K - k - t + 1 > 2e). Certified
 * opening: D - floor(K/10) (the certificate's proximity, which must be
 * within e). 0 when the shape has no such bound. */
static size_t pcs_zk_catch(const pcs_ligero_params *p) {
    size_t k = (size_t)1 << p->log_cols, K = k << p->log_inv_rate, t = p->mask_len;
    if (k + t >= K) return 0;
    size_t e = (K - k - t) / 2;
    if (!p->certified) return e;
    if (K / 10 > e) return 0;
    return K - k - t + 1 - K / 10;
}

/* The smallest q <= PCS_ZK_MAX_QUERIES with (miss / 2^log_K)^q <=
 * 2^-bits, 0 if none; in integers, so that every verifier derives the same
 * q: the power is bounded from above by mm 2^x, mm a 64-bit mantissa in
 * [2^63, 2^64) rounded up after each product. */
#define PCS_ZK_MAX_QUERIES 4096
static unsigned pcs_zk_queries_for(uint64_t miss, unsigned log_K, unsigned bits) {
    ZK_CHECK(miss >= 1 && log_K < 64 && miss < (uint64_t)1 << log_K);
    uint64_t mm = (uint64_t)1 << 63;
    long x = -63;
    for (unsigned q = 1; q <= PCS_ZK_MAX_QUERIES; q++) {
        fm61_u128 prod = (fm61_u128)mm * miss;
        x -= (long)log_K;
        uint64_t top = (uint64_t)(prod >> 64);
        unsigned sh = top ? 64 - (unsigned)__builtin_clzll(top) : 0;
        if (sh) {
            int up = (prod & (((fm61_u128)1 << sh) - 1)) != 0;
            prod = (prod >> sh) + (fm61_u128)up;
            x += (long)sh;
            if (prod >> 64) prod >>= 1, x++; /* 2^64 after rounding up: exactly 2^63 * 2 */
        }
        mm = (uint64_t)prod;
        if (x + 64 <= -(long)bits || (x + 63 == -(long)bits && mm == (uint64_t)1 << 63)) return q;
    }
    return 0;
}

/* p->queries and p->mask_len for the shape in p: the least q with
 * q = queries for catch(t), t = b q (+ the certificate's), found by
 * iterating from q = 1 (the map is monotone); 0 if it does not settle. */
static int pcs_zk_settle_queries(pcs_ligero_params *p) {
    unsigned qc = p->certified ? PCS_LIGERO_ZK_CERT_QUERIES : 0, q = 1;
    unsigned log_K = p->log_cols + p->log_inv_rate;
    for (int it = 0; it < 64; it++) {
        p->queries = q;
        p->mask_len = p->openings * q + qc;
        size_t a = pcs_zk_catch(p);
        if (!a) return 0;
        unsigned q2 = pcs_zk_queries_for(((uint64_t)1 << log_K) - a, log_K, PCS_LIGERO_ZK_QUERY_BITS);
        if (!q2) return 0;
        if (q2 == q) return 1;
        q = q2;
    }
    return 0;
}

/* One opening's query term ((K - a)/K)^q, and its error (the terms of
 * HIDING, Soundness). */
static double pcs_zk_query_term(const pcs_ligero_params *p) {
    double K = ldexp(1.0, (int)(p->log_cols + p->log_inv_rate));
    return pow((K - (double)pcs_zk_catch(p)) / K, p->queries);
}

static double pcs_zk_error_of(const pcs_ligero_params *p) {
    const double F = ldexp(1.0, 122) - ldexp(1.0, 63);
    double K = ldexp(1.0, (int)(p->log_cols + p->log_inv_rate));
    if (!p->certified) /* tensor gap, two line gaps (gamma), gamma's 1/|F|, queries */
        return 2.0 * p->log_rows * K / F + 2.0 * K / F + 1.0 / F + pcs_zk_query_term(p);
    return K / F + pow(9.0 / 10.0, PCS_LIGERO_ZK_CERT_QUERIES) + 1.0 / F + pcs_zk_query_term(p);
}

/* Encoded cells up to which a hiding shape may take a codeword longer than
 * 4k (small tables: 2^15 cells of 16 bytes, 512 KiB, about two milliseconds
 * of one core, which a hiding 2^13-cell table at K = 4k costs anyway). */
#define PCS_ZK_SMALL_CELLS ((size_t)1 << 15)
/* The same bound for a certified shape. A certified commitment is a
 * setup-time one (a model's weights): its longer codeword is hashed once
 * there, and a prover that rebuilds it from the key's leaves encodes its
 * rows once per prover (cnn_prover_new). 2^20 cells (16 MiB): a 2^17-cell
 * table at budget 8 takes L = 3 (181,556 opening bytes instead of 267,412
 * at L = 2); tables of 2^18 cells and more keep L = 2. */
#define PCS_ZK_CERT_CELLS ((size_t)1 << 20)

/* The shape: over log_inv_rate L = 2..6 (L > 2 only while the encoded
 * matrix, K (rows + 1) cells, stays within PCS_ZK_SMALL_CELLS, certified
 * PCS_ZK_CERT_CELLS) and c =
 * 0..24, each with its settled q and t, the smallest opening whose error is
 * at most 2^-100.5; the first (smallest L, then c) on a tie. */
static pcs_ligero_params pcs_zk_params_search(unsigned n, int certified, unsigned openings);

/* The search below runs a few thousand shape candidates; the verifier's
 * and the prover's error bounds ask for every budget of a size several
 * times per proof, so each (n, certified, budget) is searched once per
 * process and kept (a pure function of its arguments). */
pcs_ligero_params pcs_ligero_zk_params_for(unsigned n, int certified, unsigned openings) {
    ZK_CHECK(n >= 1 && n <= PCS_LIGERO_MAX_VARS);
    ZK_CHECK(openings >= 1 && openings <= PCS_LIGERO_ZK_MAX_OPENINGS);
    static pcs_ligero_params memo[PCS_LIGERO_MAX_VARS + 1][2][PCS_LIGERO_ZK_MAX_OPENINGS + 1];
    static unsigned char known[PCS_LIGERO_MAX_VARS + 1][2][PCS_LIGERO_ZK_MAX_OPENINGS + 1];
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* OpenMP or not (the fuzzers build without it) */
    pcs_ligero_params p;
    int c = certified != 0;
    ZK_CHECK(pthread_mutex_lock(&lock) == 0);
    if (!known[n][c][openings]) {
        memo[n][c][openings] = pcs_zk_params_search(n, c, openings);
        known[n][c][openings] = 1;
    }
    p = memo[n][c][openings];
    ZK_CHECK(pthread_mutex_unlock(&lock) == 0);
    return p;
}

static pcs_ligero_params pcs_zk_params_search(unsigned n, int certified, unsigned openings) {
    pcs_ligero_params p = {0}, best = {0};
    p.nvars = n;
    p.certified = certified != 0;
    p.zk = 1;
    p.openings = openings;
    p.mask_rows = 2 * openings + (unsigned)p.certified;
    size_t best_bytes = SIZE_MAX;
    for (unsigned L = PCS_LIGERO_LOG_INV_RATE; L <= PCS_ZK_MAX_LOG_INV_RATE; L++)
        for (unsigned c = 0; c + 1 < PCS_LIGERO_MAX_VARS; c++) {
            p.log_inv_rate = L;
            p.log_cols = c;
            p.log_rows = c <= n - 1 ? n - 1 - c : 0;
            p.log_data_cols = n - 1 - p.log_rows;
            size_t cells = ((size_t)1 << (c + L)) * (((size_t)1 << p.log_rows) + p.mask_rows + 1);
            if (L > PCS_LIGERO_LOG_INV_RATE && cells > (certified ? PCS_ZK_CERT_CELLS : PCS_ZK_SMALL_CELLS)) continue;
            if (best_bytes != SIZE_MAX && 2 * 16 * ((size_t)1 << c) >= best_bytes) continue; /* u1', u2' alone are larger */
            if (!pcs_zk_settle_queries(&p)) continue;
            if (pcs_zk_error_of(&p) > ldexp(1.0, -100) / sqrt(2.0)) continue;
            size_t b = pcs_ligero_opening_bytes(&p);
            if (b < best_bytes) {
                best_bytes = b;
                best = p;
            }
        }
    ZK_CHECK(best_bytes != SIZE_MAX); /* PCS_LIGERO_ZK_MAX_OPENINGS keeps one for every n */
    return best;
}

double pcs_ligero_zk_error(unsigned n, int certified, unsigned openings) {
    const pcs_ligero_params p = pcs_ligero_zk_params_for(n, certified, openings);
    return pcs_zk_error_of(&p);
}

static double pcs_ligero_zk_error_any(unsigned n, int certified) {
    double worst = 0;
    for (unsigned b = 1; b <= PCS_LIGERO_ZK_MAX_OPENINGS; b++) {
        double e = pcs_ligero_zk_error(n, certified, b);
        if (e > worst) worst = e;
    }
    return worst;
}

/* Round by round: a row coordinate of z (tensor gap, 2K/|F|), gamma (two
 * line gaps and the value equation, 2K/|F| + 1/|F|; certified: 1/|F|), the
 * queries as a whole. */
double pcs_ligero_zk_rbr_error(unsigned n, int certified, unsigned openings) {
    const double F = ldexp(1.0, 122) - ldexp(1.0, 63);
    const pcs_ligero_params p = pcs_ligero_zk_params_for(n, certified, openings);
    double K = ldexp(1.0, (int)(p.log_cols + p.log_inv_rate));
    double q = pcs_zk_query_term(&p);
    double g = certified ? 1.0 / F : 2.0 * K / F + 1.0 / F;
    return fmax(q, g);
}

static double pcs_ligero_zk_rbr_error_any(unsigned n, int certified) {
    double worst = 0;
    for (unsigned b = 1; b <= PCS_LIGERO_ZK_MAX_OPENINGS; b++) worst = fmax(worst, pcs_ligero_zk_rbr_error(n, certified, b));
    return worst;
}

/* ---- the commitment's randomness: ChaCha20 keystreams of the seed ----
 * Stream (domain, index) is ChaCha20 with key = seed and the 16-byte IV
 * counter 0 || domain (4 bytes LE) || index (8 bytes LE), enciphering
 * zeros; field elements are 61-bit words of it, rejecting p (each
 * coordinate uniform). Domains: the extra coefficients of data row i, mask
 * row i, and the salts (index 0, K * 16 bytes in column order). */
enum { PCS_ZK_DOM_ROW = 1, PCS_ZK_DOM_MASK = 2, PCS_ZK_DOM_SALT = 3 };

typedef struct {
    EVP_CIPHER_CTX *ctx;
    uint8_t buf[4096]; /* keystream blocks in hand (any size gives the same stream) */
    size_t pos;
} pcs_zk_stream;

static void pcs_zk_stream_init(pcs_zk_stream *s, const uint8_t *seed, uint32_t domain, uint64_t index) {
    uint8_t iv[16] = {0};
    for (int b = 0; b < 4; b++) iv[4 + b] = (uint8_t)(domain >> (8 * b));
    for (int b = 0; b < 8; b++) iv[8 + b] = (uint8_t)(index >> (8 * b));
    s->ctx = EVP_CIPHER_CTX_new();
    ZK_CHECK(s->ctx != NULL);
    ZK_CHECK(EVP_EncryptInit_ex(s->ctx, EVP_chacha20(), NULL, seed, iv) == 1);
    s->pos = sizeof s->buf;
}

static void pcs_zk_stream_bytes(pcs_zk_stream *s, uint8_t *out, size_t len) {
    static const uint8_t zero[4096];
    while (len) {
        if (s->pos == sizeof s->buf) {
            int outl = 0;
            ZK_CHECK(EVP_EncryptUpdate(s->ctx, s->buf, &outl, zero, (int)sizeof zero) == 1 && outl == (int)sizeof zero);
            s->pos = 0;
        }
        size_t c = sizeof s->buf - s->pos < len ? sizeof s->buf - s->pos : len;
        memcpy(out, s->buf + s->pos, c);
        s->pos += c, out += c, len -= c;
    }
}

static fm61 pcs_zk_stream_fm61(pcs_zk_stream *s) {
    for (;;) {
        uint64_t x;
        if (s->pos + 8 <= sizeof s->buf) { /* the usual case: 8 bytes of the block in hand */
            x = zk_load_le64(s->buf + s->pos);
            s->pos += 8;
        } else {
            uint8_t b[8];
            pcs_zk_stream_bytes(s, b, 8);
            x = zk_load_le64(b);
        }
        x &= FM61_P;
        if (x != FM61_P) return x;
    }
}

/* n elements, coordinates in order (re, im): the same draws as n pairs of
 * pcs_zk_stream_fm61, read from the block in hand in one loop. */
static void pcs_zk_stream_fp2(pcs_zk_stream *s, fp2 *out, size_t n) {
    size_t got = 0, want = 2 * n;
    while (got < want) {
        fm61 v;
        if (s->pos + 8 > sizeof s->buf) { /* the block is spent: the one-at-a-time path refills it */
            v = pcs_zk_stream_fm61(s);
        } else {
            uint64_t x = zk_load_le64(s->buf + s->pos) & FM61_P;
            s->pos += 8;
            if (x == FM61_P) continue; /* p is drawn again */
            v = x;
        }
        if (got & 1)
            out[got >> 1].im = v;
        else
            out[got >> 1].re = v;
        got++;
    }
}

static void pcs_zk_stream_done(pcs_zk_stream *s) { EVP_CIPHER_CTX_free(s->ctx); }

/* st->mlo, st->hi from st->seed: data row i has t random coefficients
 * (its first k are the table's row, zero-padded, read where needed: from
 * the caller's table while committing, from st->t in a state from leaves);
 * mask row i has k + t. */
#define PCS_ZK_ROWS_PAR_MIN ((size_t)1 << 12) /* random F_{p^2} entries worth a parallel region */
static void pcs_zk_rows(pcs_state *st) {
    const pcs_ligero_params *p = &st->prm;
    size_t m = (size_t)1 << p->log_rows, k = (size_t)1 << p->log_cols;
    size_t rows = m + p->mask_rows, tl = p->mask_len;
    st->mlo = zk_aligned_n(p->mask_rows * k, sizeof *st->mlo);
    st->hi = zk_aligned_n(rows * tl, sizeof *st->hi);
#pragma omp parallel for schedule(static) if (p->mask_rows * k + rows * tl >= PCS_ZK_ROWS_PAR_MIN)
    for (size_t i = 0; i < rows; i++) {
        pcs_zk_stream s;
        if (i < m) {
            pcs_zk_stream_init(&s, st->seed, PCS_ZK_DOM_ROW, i);
        } else {
            pcs_zk_stream_init(&s, st->seed, PCS_ZK_DOM_MASK, i - m);
            pcs_zk_stream_fp2(&s, st->mlo + (i - m) * k, k);
        }
        pcs_zk_stream_fp2(&s, st->hi + i * tl, tl);
        pcs_zk_stream_done(&s);
    }
}

/* Row `row`'s first coefficients and their number (*len <= k; the rest of
 * the k are zero): a data row from the packed table (kd cells), a mask row
 * from st->mlo. */
static const fp2 *pcs_zk_row_lo(const pcs_state *st, const fp2 *packed, size_t row, size_t *len) {
    const pcs_ligero_params *p = &st->prm;
    size_t m = (size_t)1 << p->log_rows, k = (size_t)1 << p->log_cols, kd = (size_t)1 << p->log_data_cols;
    if (row < m) {
        *len = kd;
        return packed + row * kd;
    }
    *len = k;
    return st->mlo + (row - m) * k;
}

/* The K salts, column order. */
static void pcs_zk_salts(const pcs_state *st, uint8_t *out, size_t K) {
    pcs_zk_stream s;
    pcs_zk_stream_init(&s, st->seed, PCS_ZK_DOM_SALT, 0);
    pcs_zk_stream_bytes(&s, out, K * PCS_LIGERO_ZK_SALT_BYTES);
    pcs_zk_stream_done(&s);
}

/* c[r] = x^k on coset r, x = omega^(s B + r): omega^(k r), a B-th root of
 * unity (omega^(k B) = omega^K = 1). */
static void pcs_zk_coset_consts(fp2 *c, unsigned log_k, unsigned log_B) {
    ZK_CHECK(log_B <= PCS_ZK_MAX_LOG_INV_RATE);
    fp2 w = fp2_root_of_unity(log_k + log_B);
    for (unsigned i = 0; i < log_k; i++) w = fp2_sqr(w);
    c[0] = fp2_one();
    for (size_t r = 1; r < ((size_t)1 << log_B); r++) c[r] = fp2_mul(c[r - 1], w);
}

/* buf[0..k) <- the coset's message of the row with coefficients lo[0..kl)
 * (then zeros up to k) and hi[0..tl) at X^k..X^(k+tl-1): at x with
 * x^k = c, x^(k+i) = c^(1 + floor(i/k)) x^(i mod k), so
 * buf = lo + sum_i c^(1 + floor(i/k)) hi[i] at i mod k (c hi when tl <= k). */
static void pcs_zk_coset_msg(fp2 *buf, const fp2 *lo, size_t kl, const fp2 *hi, size_t k, size_t tl, fp2 c) {
    memcpy(buf, lo, kl * sizeof *buf);
    memset(buf + kl, 0, (k - kl) * sizeof *buf);
    fp2 cj = c;
    for (size_t i0 = 0; i0 < tl; i0 += k, cj = fp2_mul(cj, c)) {
        size_t i1 = i0 + k < tl ? i0 + k : tl;
        const fp2 *h = hi + i0;
        size_t n = i1 - i0;
        /* c_r^j is a root of unity: 1, -1, i, -i (half the cosets when B = 8) cost no product */
        if (fp2_eq(cj, fp2_one()))
            for (size_t i = 0; i < n; i++) buf[i] = fp2_add(buf[i], h[i]);
        else if (fp2_eq(cj, fp2_neg(fp2_one())))
            for (size_t i = 0; i < n; i++) buf[i] = fp2_sub(buf[i], h[i]);
        else if (cj.re == 0 && (cj.im == 1 || cj.im == FM61_P - 1)) { /* +-i: (x + iy)(+-i) = -+y +- ix */
            int plus = cj.im == 1;
            for (size_t i = 0; i < n; i++) {
                fp2 v = plus ? fp2_make(fm61_neg(h[i].im), h[i].re) : fp2_make(h[i].im, fm61_neg(h[i].re));
                buf[i] = fp2_add(buf[i], v);
            }
        } else
            for (size_t i = 0; i < n; i++) buf[i] = fp2_add(buf[i], fp2_mul(cj, h[i]));
    }
}

/* The coset's message as ntt_rs_coset's transform input, in one pass:
 * buf[c] = (lo + c_r hi)[c] shift_r[c] (pcs_zk_coset_msg, then the coset
 * shift), for t <= k; a longer t takes the two steps. Then ntt_dif or
 * ntt_dif_pruned of the size-k plan gives the coset's codeword entries. */
static void pcs_zk_coset_in(const ntt_rs *rs, fp2 *buf, const fp2 *lo, size_t kl, const fp2 *hi, size_t k, size_t tl,
                            fp2 c, unsigned r) {
    const fp2 *sh = ntt_rs_shift(rs, r);
    if (tl > k || r == 0) {
        pcs_zk_coset_msg(buf, lo, kl, hi, k, tl, c);
        if (r) ntt_mul(buf, buf, sh, k);
        return;
    }
    size_t n1 = kl < tl ? kl : tl;
    size_t i = 0;
    for (; i < n1; i++) buf[i] = fp2_mul(fp2_add(lo[i], fp2_mul(c, hi[i])), sh[i]);
    for (; i < kl; i++) buf[i] = fp2_mul(lo[i], sh[i]);
    for (; i < tl; i++) buf[i] = fp2_mul(fp2_mul(c, hi[i]), sh[i]);
    if (i < k) memset(buf + i, 0, (k - i) * sizeof *buf);
}

/* out[i] = Enc(u)[idx[i]] for the message u = lo | hi (k + t
 * coefficients, t = p->mask_len, 0 plain): per coset holding a queried
 * position, the coset's transform input (pcs_zk_coset_in) and only the
 * queried positions' part of its transform (ntt_dif_pruned), as the
 * prover's pcs_ligero_columns; the verifier needs no more of the codeword. */
static void pcs_encode_at(const ntt_rs *rs, const pcs_ligero_params *p, const fp2 *u, const size_t *idx, size_t nq,
                          fp2 *out) {
    if (!nq) return;
    size_t k = (size_t)1 << p->log_cols, B = (size_t)1 << p->log_inv_rate;
    const uint32_t *rev = ntt_plan_bitrev(ntt_rs_plan(rs));
    fp2 c[1 << PCS_ZK_MAX_LOG_INV_RATE];
    pcs_zk_coset_consts(c, p->log_cols, p->log_inv_rate);
    fp2 *buf = zk_aligned_n(k, sizeof *buf);
    uint32_t *slot = zk_malloc_n(nq, sizeof *slot);
    for (size_t r = 0; r < B; r++) {
        size_t ns = pcs_coset_slots(slot, idx, nq, B, r, rev);
        if (!ns) continue;
        pcs_zk_coset_in(rs, buf, u, k, u + k, k, p->mask_len, c[r], (unsigned)r);
        ntt_dif_pruned(ntt_rs_plan(rs), buf, slot, ns);
        for (size_t q = 0; q < nq; q++)
            if (idx[q] % B == r) out[q] = buf[rev[idx[q] / B]];
    }
    free(slot);
    free(buf);
}

/* st->enc: K columns of W = 1 + rows slots, the salt, then the rows'
 * entries (pcs_ligero_encode, data rows from the table t). */
static void pcs_zk_encode(pcs_state *st, const fm61 *t) {
    const pcs_ligero_params *p = &st->prm;
    size_t K = (size_t)1 << (p->log_cols + p->log_inv_rate), W = ((size_t)1 << p->log_rows) + p->mask_rows + 1;
    pcs_ligero_encode(st, (const fp2 *)(const void *)t);
    uint8_t *salts = zk_malloc_n(K, PCS_LIGERO_ZK_SALT_BYTES);
    pcs_zk_salts(st, salts, K);
    for (size_t j = 0; j < K; j++) memcpy(st->enc + j * W, salts + j * PCS_LIGERO_ZK_SALT_BYTES, PCS_LIGERO_ZK_SALT_BYTES);
    free(salts);
}

/* For l < nw (at most 2): u[l ustride + c] = sum_{i < nrows} w[l wstride + i] a[i stride + c],
 * c < len, over the rows with some w[. + i] != 0; one pass over a. Used
 * for the small parts of a combination (the rows' hi parts, the mask
 * rows), so it forks threads only for large ones: a parallel region costs
 * a scheduler slice on a busy machine. */
#define PCS_ZK_LINCOMB_PAR_MIN ((size_t)1 << 20)
static void pcs_zk_lincomb(fp2 *u, size_t ustride, const fp2 *a, size_t stride, size_t len, const fp2 *w,
                           size_t wstride, int nw, size_t nrows) {
    enum { CB = 64 };
    ZK_CHECK(nw >= 1 && nw <= 2);
#pragma omp parallel for schedule(static) if (nrows * len >= PCS_ZK_LINCOMB_PAR_MIN)
    for (size_t c0 = 0; c0 < len; c0 += CB) {
        size_t nc = len - c0 < CB ? len - c0 : CB;
        fp2_acc acc[2][CB];
        fp2 sum[2][CB];
        for (int l = 0; l < nw; l++)
            for (size_t c = 0; c < nc; c++) sum[l][c] = fp2_zero();
        size_t i = 0;
        while (i < nrows) {
            for (int l = 0; l < nw; l++)
                for (size_t c = 0; c < nc; c++) fp2_acc_zero(&acc[l][c]);
            for (size_t cnt = 0; i < nrows && cnt < FP2_ACC_MAX; i++) {
                const fp2 *row = a + i * stride + c0;
                int any = 0;
                for (int l = 0; l < nw; l++) {
                    fp2 wi = w[(size_t)l * wstride + i];
                    if (fp2_is_zero(wi)) continue;
                    any = 1;
                    for (size_t c = 0; c < nc; c++) fp2_acc_mul(&acc[l][c], wi, row[c]);
                }
                cnt += (size_t)any;
            }
            for (int l = 0; l < nw; l++)
                for (size_t c = 0; c < nc; c++) sum[l][c] = fp2_add(sum[l][c], fp2_acc_reduce(&acc[l][c]));
        }
        for (int l = 0; l < nw; l++) memcpy(u + (size_t)l * ustride + c0, sum[l], nc * sizeof *u);
    }
}

/* The combined rows w_l^T (lo | hi), l < nw (weights w_l = w + l rows, the
 * data rows' first): k + t coefficients each, at u + l (k + t). The data
 * rows' lo part comes from coset 0 of st->enc (pcs_ligero_combine, which
 * gives w^T (P + fold(R)): fold(w^T R) is taken off, fold(h)[c] = sum of
 * h[i] over i = c mod k) or, in a state from leaves, from the table
 * (pcs_ligero_combine_table: an opening, nw = 2 and w_2 = conj(w_1) on the
 * data rows); the hi parts and the mask rows' lo parts from st->hi and
 * st->mlo. */
static void pcs_zk_combine(fp2 *u, const pcs_state *st, const fp2 *w, int nw) {
    const pcs_ligero_params *p = &st->prm;
    size_t m = (size_t)1 << p->log_rows, k = (size_t)1 << p->log_cols, kd = (size_t)1 << p->log_data_cols;
    size_t tl = p->mask_len, mr = p->mask_rows, rows = m + mr, ul = k + tl;
    fp2 *dlo = zk_aligned_n((size_t)nw * k, sizeof *dlo); /* data rows: w_l^T P */
    fp2 *h = zk_aligned_n(2 * (size_t)nw * tl + 1, sizeof *h), *hm = h + (size_t)nw * tl;
    fp2 *ml = zk_aligned_n((size_t)nw * k, sizeof *ml);
    pcs_zk_lincomb(h, tl, st->hi, tl, tl, w, rows, nw, m);                /* w^T R, data rows */
    pcs_zk_lincomb(hm, tl, st->hi + m * tl, tl, tl, w + m, rows, nw, mr); /* mask rows' hi */
    pcs_zk_lincomb(ml, k, st->mlo, k, k, w + m, rows, nw, mr);            /* mask rows' lo */
    if (st->enc) {
        pcs_ligero_combine(dlo, st, w, rows, nw);
        for (int l = 0; l < nw; l++)
            for (size_t i = 0; i < tl; i++) dlo[(size_t)l * k + i % k] = fp2_sub(dlo[(size_t)l * k + i % k], h[(size_t)l * tl + i]);
    } else {
        ZK_CHECK(nw == 2);
        fp2 *d = zk_aligned_n(2 * kd, sizeof *d);
        pcs_ligero_combine_table(d, st->t, w, m, kd);
        memset(dlo, 0, 2 * k * sizeof *dlo);
        memcpy(dlo, d, kd * sizeof *d);
        memcpy(dlo + k, d + kd, kd * sizeof *d);
        free(d);
    }
    for (int l = 0; l < nw; l++) {
        fp2 *ul_ = u + (size_t)l * ul;
        for (size_t c = 0; c < k; c++) ul_[c] = fp2_add(dlo[(size_t)l * k + c], ml[(size_t)l * k + c]);
        for (size_t i = 0; i < tl; i++) ul_[k + i] = fp2_add(h[(size_t)l * tl + i], hm[(size_t)l * tl + i]);
    }
    free(ml);
    free(h);
    free(dlo);
}

/* Step 2's value from the two row combinations: L(u1, u2) = a y1 + b
 * conj(y2), y1 = sum_{c < kd} u1[c] eq(z_col, c), y2 = sum u2[c]
 * conj(eq(z_col, c)); a = ((1 - z0) - i z0)/2, b = ((1 - z0) + i z0)/2
 * (the plain verifier's (1 - z0) M0 + z0 M1 written out). L(u1 + g s1,
 * u2 + conj(g) s2) = L(u1, u2) + g L(s1, s2). */
static fp2 pcs_zk_value(const fp2 *u1, const fp2 *u2, const fp2 *eqc, size_t kd, fp2 z0) {
    fp2 y1 = fp2_zero(), y2 = fp2_zero();
    for (size_t c = 0; c < kd; c++) {
        y1 = fp2_add(y1, fp2_mul(u1[c], eqc[c]));
        y2 = fp2_add(y2, fp2_mul(u2[c], fp2_conj(eqc[c])));
    }
    const fm61 half = (fm61)1 << 60;
    fp2 omz = fp2_sub(fp2_one(), z0), iz = fp2_make(fm61_neg(z0.im), z0.re); /* i z0 */
    fp2 a = fp2_mul_fm61(fp2_sub(omz, iz), half), b = fp2_mul_fm61(fp2_add(omz, iz), half);
    return fp2_add(fp2_mul(a, y1), fp2_mul(b, fp2_conj(y2)));
}

static void pcs_zk_cert_begin(tr_t *ct, const pcs_ligero_params *p, const uint8_t root[PCS_DIGEST_BYTES]) {
    tr_absorb_u64(ct, "pcs/cert/n", p->nvars);
    tr_absorb_u64(ct, "pcs/cert/openings", p->openings);
    tr_absorb(ct, "pcs/cert/root", root, PCS_DIGEST_BYTES);
}

static pcs_state *pcs_zk_state_new(const fm61 *t, unsigned n, int certified, unsigned openings, const uint8_t *seed) {
    pcs_state *st = zk_calloc(1, sizeof *st);
    st->prm = pcs_ligero_zk_params_for(n, certified, openings);
#ifdef ZK_VERIFY
    for (size_t x = 0; x < (size_t)1 << n; x++) ZK_CHECK(fm61_is_canonical(t[x]));
#else
    (void)t;
#endif
    if (seed)
        memcpy(st->seed, seed, sizeof st->seed);
    else
        ZK_CHECK(RAND_bytes(st->seed, (int)sizeof st->seed) == 1);
    st->used = zk_calloc(1, sizeof *st->used);
    st->rs = ntt_rs_shared(st->prm.log_cols, st->prm.log_inv_rate);
    pcs_zk_rows(st);
    return st;
}

pcs_state *pcs_ligero_zk_commit(tr_t *tr, zk_buf *cert, const fm61 *t, unsigned n, int certified,
                                unsigned openings, const uint8_t *seed) {
    pcs_state *st = pcs_zk_state_new(t, n, certified, openings, seed);
    const pcs_ligero_params *p = &st->prm;
    size_t m = (size_t)1 << p->log_rows, k = (size_t)1 << p->log_cols, rows = m + p->mask_rows;
    unsigned log_K = p->log_cols + p->log_inv_rate;
    pcs_zk_encode(st, t);
    st->tree = merkle_new((const uint8_t *)st->enc, (rows + 1) * sizeof(fp2), log_K);
    tr_put_bytes(tr, "pcs/root", merkle_root(st->tree), MERKLE_DIGEST_BYTES);
    uint8_t ob[4] = {(uint8_t)openings, (uint8_t)(openings >> 8), (uint8_t)(openings >> 16), (uint8_t)(openings >> 24)};
    tr_put_bytes(tr, "pcs/zk/openings", ob, sizeof ob);
    if (!certified || !cert) return st;
    /* the certificate: gamma over every row but the last (its own mask), weight 1 on that one */
    tr_t *ct = tr_new_prover(PCS_LIGERO_ZK_CERT_PROTOCOL, cert);
    pcs_zk_cert_begin(ct, p, merkle_root(st->tree));
    fp2 *w = zk_aligned_n(rows, sizeof *w);
    tr_challenges(ct, "pcs/cert/gamma", w, rows - 1);
    w[rows - 1] = fp2_one();
    fp2 *u0 = zk_aligned_n(k + p->mask_len, sizeof *u0);
    pcs_zk_combine(u0, st, w, 1);
    tr_put_fp2(ct, "pcs/cert/u0", u0, k + p->mask_len);
    pcs_ligero_send_columns(ct, st, PCS_LIGERO_ZK_CERT_QUERIES, &pcs_ligero_cert_labels);
    tr_free(ct);
    free(u0);
    free(w);
    return st;
}

static pcs_state *pcs_ligero_zk_commit_default(tr_t *tr, const fm61 *t, unsigned n) {
    return pcs_ligero_zk_commit(tr, NULL, t, n, 0, PCS_LIGERO_ZK_DEFAULT_OPENINGS, NULL);
}

static pcs_state *pcs_ligero_zk_commit_certified_default(tr_t *tr, zk_buf *cert, const fm61 *t, unsigned n) {
    return pcs_ligero_zk_commit(tr, cert, t, n, 1, PCS_LIGERO_ZK_DEFAULT_OPENINGS, NULL);
}

const uint8_t *pcs_ligero_zk_seed(const pcs_state *st) { return st->seed; }
unsigned pcs_ligero_zk_used(const pcs_state *st) { return st->used ? *st->used : 0; }

void pcs_ligero_zk_set_used(const pcs_state *st, unsigned used) {
    ZK_CHECK(st->prm.zk && st->used && used >= *st->used && used <= st->prm.openings);
    *st->used = used;
}

size_t pcs_ligero_zk_leaves_bytes(unsigned n, int certified, unsigned openings) {
    pcs_ligero_params p = pcs_ligero_zk_params_for(n, certified, openings);
    return ((size_t)1 << (p.log_cols + p.log_inv_rate)) * MERKLE_DIGEST_BYTES;
}

pcs_state *pcs_ligero_zk_state_from_leaves(const fm61 *t, unsigned n, int certified, unsigned openings,
                                           const uint8_t *seed, const uint8_t *leaves, unsigned used) {
    ZK_CHECK(seed != NULL && used <= openings);
    pcs_state *st = pcs_zk_state_new(t, n, certified, openings, seed);
    st->tcopy = zk_aligned_n((size_t)1 << n, sizeof *st->tcopy);
    memcpy(st->tcopy, t, ((size_t)1 << n) * sizeof *t);
    st->t = st->tcopy;
    *st->used = used;
    st->mismatch = zk_calloc(1, sizeof *st->mismatch);
    st->tree = merkle_from_leaves(leaves, st->prm.log_cols + st->prm.log_inv_rate);
    return st;
}

/* HIDING, opening steps: slot, s, gamma, u1', u2', queried columns. */
static void pcs_ligero_zk_open(tr_t *tr, const pcs_state *st, const fp2 *z) {
    const pcs_ligero_params *p = &st->prm;
    ZK_CHECK(p->zk);
    unsigned slot = *st->used;
    ZK_CHECK(slot < p->openings); /* the commitment's opening budget is spent */
    (*st->used)++;
    size_t m = (size_t)1 << p->log_rows, k = (size_t)1 << p->log_cols, kd = (size_t)1 << p->log_data_cols;
    size_t rows = m + p->mask_rows, ul = k + p->mask_len;
    size_t r1 = m + 2 * (size_t)slot, r2 = r1 + 1;
    uint8_t sb[4] = {(uint8_t)slot, (uint8_t)(slot >> 8), (uint8_t)(slot >> 16), (uint8_t)(slot >> 24)};
    tr_put_bytes(tr, "pcs/zk/slot", sb, sizeof sb);
    /* s = L(mask row r1, mask row r2) */
    fp2 *eqc = zk_aligned_n(kd, sizeof *eqc);
    mle_eq_table(eqc, z + 1, p->log_data_cols);
    fp2 s = pcs_zk_value(st->mlo + (r1 - m) * k, st->mlo + (r2 - m) * k, eqc, kd, z[0]);
    free(eqc);
    tr_put_fp2(tr, "pcs/zk/s", &s, 1);
    fp2 gamma = pcs_zk_gamma(tr);
    fp2 *w = zk_aligned_n(2 * rows, sizeof *w); /* w1 | w2 */
    memset(w, 0, 2 * rows * sizeof *w);
    mle_eq_table(w, z + 1 + p->log_data_cols, p->log_rows);
    for (size_t i = 0; i < m; i++) w[rows + i] = fp2_conj(w[i]);
    w[r1] = gamma;
    w[rows + r2] = fp2_conj(gamma);
    fp2 *u = zk_aligned_n(2 * ul, sizeof *u);
    pcs_zk_combine(u, st, w, 2); /* u1' | u2' */
    tr_put_fp2(tr, "pcs/u1", u, ul);
    tr_put_fp2(tr, "pcs/u2", u + ul, ul);
    if (st->enc)
        pcs_ligero_send_columns(tr, st, p->queries, &pcs_ligero_open_labels);
    else
        pcs_ligero_send_table_columns(tr, st, w, rows, u, ul);
    free(u);
    free(w);
}

/* ---- verifier ---- */

static zk_err pcs_zk_read_u32(tr_t *tr, const char *label, unsigned *out) {
    uint8_t b[4];
    if (tr_get_bytes(tr, label, b, sizeof b) != ZK_OK) return ZK_EFORMAT;
    *out = (unsigned)b[0] | (unsigned)b[1] << 8 | (unsigned)b[2] << 16 | (unsigned)b[3] << 24;
    return ZK_OK;
}

static zk_err pcs_ligero_zk_read_commitment(tr_t *tr, pcs_commitment *out, unsigned n) {
    zk_err err = pcs_ligero_check_n(n);
    if (err) return err;
    uint8_t root[PCS_DIGEST_BYTES];
    unsigned openings = 0;
    if (tr_get_bytes(tr, "pcs/root", root, sizeof root) != ZK_OK ||
        pcs_zk_read_u32(tr, "pcs/zk/openings", &openings) != ZK_OK) {
        zk_set_reason("pcs: truncated commitment");
        return ZK_EFORMAT;
    }
    if (openings < 1 || openings > PCS_LIGERO_ZK_MAX_OPENINGS) {
        zk_set_reason("pcs: hiding commitment with an opening budget of %u", openings);
        return ZK_EFORMAT;
    }
    memset(out, 0, sizeof *out);
    out->nvars = n;
    out->zk = 1;
    out->openings = openings;
    memcpy(out->root, root, sizeof root);
    return ZK_OK;
}

const pcs_scheme pcs_ligero_zk = {
    .name = "ligero-zk",
    .commit = pcs_ligero_zk_commit_default,
    .commit_certified = pcs_ligero_zk_commit_certified_default,
    .open = pcs_ligero_zk_open,
    .state_free = pcs_ligero_state_free,
    .read_commitment = pcs_ligero_zk_read_commitment,
    .check_certificate = pcs_ligero_check_certificate,
    .verify = pcs_ligero_verify,
    .error = pcs_ligero_zk_error_any,
    .rbr_error = pcs_ligero_zk_rbr_error_any,
};
