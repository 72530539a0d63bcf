/* plonk.h -- a PLONK prover and verifier over BN254 for a generic PLONKish
 * table (the Halo2-style baseline of issue 5).
 *
 * Protocol: Gabizon, Williamson, Ciobotaru, "PLONK: Permutations over
 * Lagrange-bases for Oecumenical Noninteractive arguments of Knowledge",
 * ePrint 2019/953, Section 8 (the prover's rounds 1-5 and the verifier's
 * steps 1-12), with KZG commitments (kzg.h) and the paper's linearisation
 * polynomial r(X) (its "r_0" form: the verifier computes the constant term
 * and checks one batched opening at zeta and one at zeta*omega, combined
 * with the challenge u into a single two-pairing product).
 *
 * Zero-knowledge (the default; bn_plonk_opts.no_zk turns it off). The
 * prover blinds every committed witness polynomial as GWC19 Section 8.3
 * rounds 1-3 do: p(X) = B_p(X) Z_H(X) + sum_i p_i L_i(X), with B_p a fresh
 * random polynomial of k_p coefficients (OpenSSL's CSPRNG, never the
 * transcript), which changes nothing on H, and the quotient pieces with
 * b_10, b_11 (round 3, below). k_p is one more than the points outside H
 * at which a proof reveals p (its commitment at tau, zeta when p is
 * evaluated there or enters the linearisation, zeta*omega when opened
 * there): a, b: 2 (the paper's b_1..b_4); c: 3 (the paper has 2; c is also
 * opened at zeta*omega, for the accumulate gate); z: 3 (b_7, b_8, b_9);
 * m, h_f, h_t: 2; phi: 3 (opened at zeta*omega). So the k_p values a proof
 * reveals of p are uniform and independent of the witness, and the witness
 * columns a, b, c (every advice value, the intermediate values of a model
 * included) and the derived columns m, h_f, h_t, phi, z are hidden. Public:
 * the public inputs (arith.h: the quantized input and output) and the
 * circuit, i.e. the verifying key: the selectors, the wiring and the
 * lookup marks. The selector commitments are not hiding, and arith.h puts
 * the model's weights and biases in the selectors, so the baseline does
 * not hide the weights. The blinded polynomials have up to n + 3
 * coefficients and the quotient degree up to 3n + 6, which still fits the
 * 4n coset when n >= 8 (BN_PLONK_ZK_MIN_LOG); the SRS needs
 * n + BN_PLONK_SRS_EXTRA powers. The proof has the same layout and size in
 * both modes, and the verifier does not know or need the mode (papers/
 * protocol.md section 8.1 gives the argument). The SRS of the tests and benchmarks
 * (bn_kzg_srs_gen) is a seeded, INSECURE one (its tau is public), so
 * neither soundness nor zero-knowledge holds against someone who knows
 * the seed: a deployment takes an SRS from a ceremony.
 *
 * Without zero-knowledge (no_zk = 1) the blinders are absent (b_1..b_11
 * taken as zero), the wire polynomials are exactly the interpolants of the
 * witness, the quotient is split into three pieces of n coefficients, and
 * a proof is a deterministic function of the key, witness and public
 * inputs: byte for byte the proofs of this protocol before blinding
 * existed (kept for research comparisons, issue 13).
 *
 * Table. n = 2^log_n rows, three advice (wire) columns a, b, c, and the
 * fixed selector columns q_L, q_R, q_O, q_M, q_C, q_A and q_B. Every row i
 * satisfies the gate and the boolean identity
 *     q_L a + q_R b + q_O c + q_M a b + q_C + PI_i + q_A (c - c_next) = 0,
 *     q_B (a^2 - a) = 0,
 * where c_next is wire c of row i + 1 (of row 0 for i = n - 1: omega^n = 1,
 * the rows wrap around), and PI_i = -x_i for the n_pub public inputs
 * x_0..x_{n_pub-1} (rows i < n_pub) and 0 elsewhere (the paper's
 * PI(X) = sum_i -x_i L_i(X)). So a public input x_i is usually exposed by
 * q_L = 1 on row i and a_i = x_i. With q_A = q_B = 0 this is GWC19's
 * table.
 *
 * Custom gates (Halo2 style). (i) Accumulate, with a rotation: the term
 * q_A(X) (c(X) - c(omega X)) reads wire c of the next row. A
 * multiply-accumulate row has q_L = w, q_R = w', q_A = 1 and the other
 * selectors 0: c_next = c + w a + w' b, two terms of a linear sum per row,
 * the running sum carried down column c by the rotation instead of by copy
 * constraints. In the quotient it is one more product on the coset
 * (c(omega X) is c's coset values shifted by 4); in the linearisation it is
 * [q_A] with scalar c(zeta) - c(zeta omega), and c is opened at zeta*omega
 * too (batched with z and phi): one more evaluation in the proof.
 * (ii) Boolean: q_B (a^2 - a), a second identity on the same rows (a row
 * can hold a bit on wire a and use it in its gate, e.g. y = s x with s a
 * bit, in one row instead of two); it has its own power alpha^7 in the
 * quotient and enters the linearisation as [q_B] with scalar
 * alpha^7 (a(zeta)^2 - a(zeta)): no new evaluation.
 *
 * Copy constraints: a permutation sigma of the 3n cells, cell index
 * col * n + row (col 0 = a, 1 = b, 2 = c); the witness must satisfy
 * w[cell] = w[sigma(cell)] for every cell. The identity is
 * id(col, row) = k_col * omega^row with k = (1, 7, 13) (BN_PLONK_K2,
 * BN_PLONK_K3): 7, 13 and 13/7 are not in the 2-power subgroup of F_r^*
 * (checked by the tests), so the three cosets H, 7H, 13H are disjoint.
 * The grand product z (round 2) starts at z(omega^0) = 1; L_1 of the
 * paper is the Lagrange polynomial of omega^0 here.
 *
 * Range lookup (logUp: Haboeck, "Multivariate lookups based on logarithmic
 * derivatives", ePrint 2022/1530, in the univariate running-sum form).
 * The fixed column q_K (0/1, set by bn_plonk_circuit_lookup) marks the rows
 * whose wire a must lie in the table T = [0, 2^BN_PLONK_LOOKUP_BITS); the
 * fixed table column t holds t(omega^j) = j for j < min(n, 2^16) and 0 on
 * the rows beyond (repeats of 0 pad the table when n > 2^16). Keygen
 * refuses a circuit with a marked row when n < 2^16 (the table would not
 * fit). The prover commits the multiplicity column m (m_j = number of
 * marked rows i with a_i = t_j, as a field element; a repeated table value
 * collects its count on its first row) with a, b, c; after the challenge
 * theta it commits h_f = q_K / (theta - a), h_t = m / (theta - t) and the
 * running sum phi(omega^0) = 0, phi(omega^(i+1)) = phi(omega^i) + h_f - h_t
 * on H. The identities on H
 *     (3) h_f (theta - a) - q_K = 0        (4) h_t (theta - t) - m = 0
 *     (5) phi(omega X) - phi(X) - h_f(X) + h_t(X) = 0   (6) L_1 phi = 0
 * prove sum_i q_K,i / (theta - a_i) = sum_j m_j / (theta - t_j): (5) on all
 * of H, the wrap-around row included, telescopes to sum (h_f - h_t) = 0.
 * For theta uniform this holds with probability <= 2n/r unless the multiset
 * of marked a_i equals the table values with multiplicities m (m_j < n < r),
 * so every marked a_i is in T. Circuits with no marked row run the same
 * argument with q_K = m = 0 (one protocol, one proof size).
 *
 * Quotient: t = (gate + alpha perm + alpha^2 L_1 (z - 1) + alpha^3 (3)
 * + alpha^4 (4) + alpha^5 (5) + alpha^6 (6) + alpha^7 q_B (a^2 - a)) / Z_H,
 * the gate with its q_A (c - c(omega X)) term, evaluated on the coset
 * g H_{4n} (g = BN_NTT_COSET_GEN, ntt.h), interpolated, and split into
 * t_lo, t_mid, t_hi of n coefficients each (the lookup terms and the q_A
 * term have degree < 2n, q_B (a^2 - a) degree < 3n as q_M a b). In zk
 * mode t has degree <= 3n + 6 (the permutation product: a, b of degree
 * n + 1, c and z of degree n + 2) and GWC19 Section 8.3 round 3 applies:
 * t = t'_lo + X^n t'_mid + X^2n t'_hi with t'_lo, t'_mid of n coefficients
 * and t'_hi of n + 7, then t_lo = t'_lo + b_10 X^n, t_mid = t'_mid - b_10
 * + b_11 X^n, t_hi = t'_hi - b_11 (the sum t_lo + X^n t_mid + X^2n t_hi is
 * still t). The coset has 4n points and t fewer than 4n coefficients, so
 * the pointwise quotient interpolates exactly (the numerator, of degree up
 * to 4n + 6, is never interpolated).
 * Linearisation (GWC19 sec. 8.3 round 5, 8.4 step 9), with a, b, c, ... the
 * evaluations at zeta and c_w = c(zeta omega): the gate part is
 *     a b [q_M] + a [q_L] + b [q_R] + c [q_O] + [q_C] + (c - c_w) [q_A],
 * the boolean part alpha^7 (a^2 - a) [q_B], the lookup part
 * alpha^3 ((theta - a) h_f - q_K) + alpha^4 ((theta - t(z)) h_t - m)
 * + alpha^5 (phi(z w) - phi - h_f + h_t) + alpha^6 L_1(z) phi; so t is
 * opened at zeta (with v^6), and z, phi and c at zeta*omega (as
 * z + v phi + v^2 c); the verifier still does one MSM and one two-pairing
 * check.
 *
 * Proof bytes (the transcript, tr.h, protocol "gkrcnn/plonk/v3"):
 *     [a] [b] [c] [m] | theta | [h_f] [h_t] [phi] | beta gamma | [z] | alpha |
 *     [t_lo] [t_mid] [t_hi] | zeta |
 *     a(z) b(z) c(z) S1(z) S2(z) t(z) z(z w) phi(z w) c(z w) | v |
 *     [W_zeta] [W_zeta_omega] | u
 * G1 points are 64 bytes (bn_g1_to_bytes), scalars 32 bytes big-endian
 * (bn_fr_to_bytes): BN_PLONK_PROOF_BYTES = 13 * 64 + 9 * 32 = 1120 in all.
 * The nine evaluations are absorbed together (one label), before v.
 * Before any challenge the transcript absorbs the serialized verifying key
 * (bn_plonk_vk_serialize) and the public inputs; every commitment and
 * evaluation is absorbed before the challenges that follow it.
 *
 * F_r challenges: eight outputs x_j of tr_challenge_index(., 2^64 - 1),
 * each uniform on [0, B), B = 2^64 - 1, read as the integer
 * sum_j x_j B^j (uniform on [0, B^8), B^8 > 2^511) and reduced mod r:
 * statistical distance below r / B^8 < 2^-257 from uniform on F_r. (This
 * uses tr.h unchanged.)
 *
 * Prefix bn_plonk_. Argument order: outputs first, then context, then
 * inputs, each length after its array.
 */
#ifndef GKRCNN_BN254_PLONK_H
#define GKRCNN_BN254_PLONK_H

#include "kzg.h"
#include "ntt.h"

#define BN_PLONK_K2 7
#define BN_PLONK_K3 13
/* log_n is at most BN_NTT_MAX_LOG - 2 (the quotient's coset has 4n points). */
#define BN_PLONK_MAX_LOG (BN_NTT_MAX_LOG - 2)
/* zk mode needs n >= 2^BN_PLONK_ZK_MIN_LOG rows: its quotient has 3n + 7
 * coefficients, which must fit the 4n coset. */
#define BN_PLONK_ZK_MIN_LOG 3
/* The SRS powers a key needs beyond n: zk mode's t_hi has n + 7
 * coefficients (keygen asks for n + BN_PLONK_SRS_EXTRA in either mode). */
#define BN_PLONK_SRS_EXTRA 7
#define BN_PLONK_PROOF_BYTES (13 * 64 + 9 * 32)
/* the lookup table is T = [0, 2^BN_PLONK_LOOKUP_BITS) */
#define BN_PLONK_LOOKUP_BITS 16

/* selector columns (q_A: the accumulate gate's q_A (c - c_next); q_B: the
 * boolean identity q_B (a^2 - a)) */
enum { BN_PLONK_QL, BN_PLONK_QR, BN_PLONK_QO, BN_PLONK_QM, BN_PLONK_QC, BN_PLONK_QA, BN_PLONK_QB, BN_PLONK_NSEL };
/* preprocessed polynomials: the 7 selectors, S_sigma1..3, the lookup
 * selector q_K and the table column t */
enum { BN_PLONK_S1 = BN_PLONK_NSEL, BN_PLONK_S2, BN_PLONK_S3, BN_PLONK_QK, BN_PLONK_TAB, BN_PLONK_NFIXED };

/* The fixed part of a table (the circuit). Fields are public: fill sel
 * and sigma directly or through the helpers below. */
typedef struct {
    unsigned log_n;
    size_t n;                     /* 2^log_n rows */
    size_t n_pub;                 /* public inputs on rows 0..n_pub-1 */
    bn_fr *sel[BN_PLONK_NSEL];    /* sel[s][row], n each; zero after _new */
    uint32_t *sigma;              /* 3n cells: sigma[col * n + row]; identity after _new */
    bn_fr *qk;                    /* q_K[row] in {0, 1}, n; zero after _new (keygen refuses other values) */
} bn_plonk_circuit;

/* 1 <= log_n <= BN_PLONK_MAX_LOG and n_pub <= n (aborts otherwise). */
bn_plonk_circuit *bn_plonk_circuit_new(unsigned log_n, size_t n_pub);
void bn_plonk_circuit_free(bn_plonk_circuit *c);
/* Set the five selectors q_L, q_R, q_O, q_M, q_C of one row from small
 * signed integers (q_A and q_B are left as they are). */
void bn_plonk_circuit_gate_i64(bn_plonk_circuit *c, size_t row, int64_t ql, int64_t qr, int64_t qo, int64_t qm,
                               int64_t qc);
/* Set q_A of one row: the row's gate gains q_A (c - c_next), c_next being
 * wire c of row + 1 (of row 0 when row = n - 1). */
void bn_plonk_circuit_accumulate_i64(bn_plonk_circuit *c, size_t row, int64_t qa);
/* Set q_B = 1 on one row: wire a of that row must be 0 or 1. */
void bn_plonk_circuit_bool(bn_plonk_circuit *c, size_t row);
/* Mark a row: wire a of that row must lie in T = [0, 2^16) (q_K = 1). */
void bn_plonk_circuit_lookup(bn_plonk_circuit *c, size_t row);
/* Build sigma from a variable id per cell (var[col * n + row], m = 3n):
 * the cells of one variable form one cycle of sigma. ZK_EINPUT if m != 3n. */
zk_err bn_plonk_circuit_wire(bn_plonk_circuit *c, const uint32_t *var, size_t m) ZK_WARN_UNUSED;

/* Verifying key: what the verifier holds. */
typedef struct {
    unsigned log_n;
    size_t n, n_pub;
    bn_g1_aff cm[BN_PLONK_NFIXED]; /* commitments to q_L, q_R, q_O, q_M, q_C, q_A, q_B, S1, S2, S3, q_K, t */
    bn_g2_aff g2[2];               /* [1]_2, [tau]_2 of the SRS */
} bn_plonk_vk;

/* "GKRPLVK3" | u32 log_n | u64 n_pub | 12 x 64-byte G1 (in cm's order) |
 * 2 x 128-byte G2.
 * Decoding is strict: exact length, log_n in range, n_pub <= n, every
 * point valid (G1 on the curve, G2 in the subgroup). */
void bn_plonk_vk_serialize(zk_buf *out, const bn_plonk_vk *vk);
zk_err bn_plonk_vk_deserialize(bn_plonk_vk *vk, const uint8_t *data, size_t len) ZK_WARN_UNUSED;

/* Proving key (opaque): selector and sigma polynomials in coefficient form
 * and on the coset g H_{4n}, the NTT context, and the SRS (borrowed: it
 * must outlive the key). */
typedef struct bn_plonk_pk bn_plonk_pk;

/* Preprocessing. ZK_EINPUT if sigma is not a permutation of the 3n cells,
 * the SRS has fewer than n + BN_PLONK_SRS_EXTRA powers, a q_K entry is not 0 or 1, or a row is
 * marked for lookup while n < 2^BN_PLONK_LOOKUP_BITS. On success *pk (free with
 * bn_plonk_pk_free) and *vk are set. */
zk_err bn_plonk_keygen(bn_plonk_pk **pk, bn_plonk_vk *vk, const bn_plonk_circuit *c, const bn_kzg_srs *srs)
    ZK_WARN_UNUSED;
void bn_plonk_pk_free(bn_plonk_pk *pk);
const bn_plonk_vk *bn_plonk_pk_vk(const bn_plonk_pk *pk);

/* ZK_OK iff the witness (a, b, c of n values each) satisfies every gate
 * (q_A's c_next of row n - 1 being c of row 0) and copy constraint with the public inputs pub[0..n_pub) and every row
 * marked for lookup has a in [0, 2^BN_PLONK_LOOKUP_BITS); otherwise
 * ZK_EINPUT with zk_reason naming the first failing row or cell. */
zk_err bn_plonk_check_witness(const bn_plonk_pk *pk, const bn_fr *a, const bn_fr *b, const bn_fr *c, const bn_fr *pub,
                              size_t n_pub) ZK_WARN_UNUSED;

/* Prover options; a zero-initialized struct (or opts == NULL) gives the
 * defaults. */
typedef struct {
    int no_zk; /* 0 (default): zero-knowledge, blinded (a fresh proof each call);
                * 1: no blinders, deterministic (plonk.h, "Without zero-knowledge") */
} bn_plonk_opts;

/* Appends the proof (BN_PLONK_PROOF_BYTES) to *proof. The witness is NOT
 * checked (call bn_plonk_check_witness first): a witness that violates
 * the table yields a proof that does not verify. ZK_EINPUT if n_pub
 * differs from the key's, or in zk mode if log_n < BN_PLONK_ZK_MIN_LOG.
 * opts: NULL for the defaults (zero-knowledge). a, b, c: n values each. */
zk_err bn_plonk_prove(zk_buf *proof, const bn_plonk_pk *pk, const bn_plonk_opts *opts, const bn_fr *a,
                      const bn_fr *b, const bn_fr *c, const bn_fr *pub, size_t n_pub) ZK_WARN_UNUSED;

/* A malicious prover, for tests: as bn_plonk_prove, but with the
 * multiplicity column m (n values on H) given instead of counted from a. */
zk_err bn_plonk_prove_with_mult(zk_buf *proof, const bn_plonk_pk *pk, const bn_plonk_opts *opts, const bn_fr *a,
                                const bn_fr *b, const bn_fr *c, const bn_fr *m, const bn_fr *pub, size_t n_pub)
    ZK_WARN_UNUSED;
/* A malicious prover, for tests: as bn_plonk_prove, but the claimed
 * c(zeta omega) is the true value plus *cw_delta (and the rounds after it
 * follow the claim): the opening at zeta*omega must catch it. */
zk_err bn_plonk_prove_with_cw_delta(zk_buf *proof, const bn_plonk_pk *pk, const bn_plonk_opts *opts, const bn_fr *a,
                                    const bn_fr *b, const bn_fr *c, const bn_fr *cw_delta, const bn_fr *pub,
                                    size_t n_pub) ZK_WARN_UNUSED;

/* ZK_OK: accepted. ZK_EPROOF: a check failed. ZK_EFORMAT: wrong length, a
 * non-canonical scalar or a point off the curve. ZK_EINPUT: n_pub differs
 * from the key's. Never aborts on any proof bytes. Proofs of both modes
 * verify alike (the mode is not in the proof or the key). */
zk_err bn_plonk_verify(const bn_plonk_vk *vk, const bn_fr *pub, size_t n_pub, const uint8_t *proof, size_t len)
    ZK_WARN_UNUSED;

#endif
