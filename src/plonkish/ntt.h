/* ntt.h -- radix-2 number-theoretic transform over F_r of BN254 (bn254.h),
 * for the Plonkish baseline (issue 5).
 *
 * Transform: for n = 2^log_n and w_n = bn_fr_root_of_unity(log_n), a
 * primitive n-th root of unity,
 *     NTT(a)[i] = sum_{j < n} a[j] * w_n^(i j),   i < n,
 * i.e. the polynomial A(X) = sum_j a[j] X^j evaluated on the subgroup
 * H = {w_n^i}, natural order in and out. The inverse maps evaluations on H
 * back to coefficients (it includes the 1/n scaling).
 *
 * Coset transform: with the fixed coset generator g = 7 (BN_NTT_COSET_GEN;
 * 7 generates F_r^*, so g is outside every 2-power subgroup and g H is
 * disjoint from H),
 *     COSET_NTT(a)[i] = A(g * w_n^i),
 * computed as NTT(a[j] * g^j); the inverse undoes it. The PLONK prover
 * evaluates the quotient numerator on such a coset of a larger domain,
 * where the vanishing polynomial X^n - 1 has no zeros.
 *
 * A context holds the twiddles w_N^j, j < N/2, of its largest size
 * N = 2^k (16 * N bytes) and serves every size n = 2^log_n <= N
 * (w_n = w_N^(N/n): bn_fr_root_of_unity(k-1) is the square of
 * bn_fr_root_of_unity(k)). It is read-only after creation, so one context
 * may be shared by threads.
 *
 * The butterflies of large transforms run on zk_threads() threads (OpenMP);
 * the arithmetic is exact, so the results do not depend on the thread
 * count. Every function returns canonical elements.
 *
 * Prefix bn_ntt_. Context first, then the array (transformed in place),
 * then its length.
 */
#ifndef GKRCNN_BN254_NTT_H
#define GKRCNN_BN254_NTT_H

#include "bn254.h"

/* Largest supported size: 2^BN_NTT_MAX_LOG (the 2-adicity of r - 1). */
#define BN_NTT_MAX_LOG 28
/* The coset generator g. */
#define BN_NTT_COSET_GEN 7

typedef struct bn_ntt_ctx bn_ntt_ctx;

/* Context for all sizes up to 2^k, k <= BN_NTT_MAX_LOG (aborts otherwise).
 * The caller frees it with bn_ntt_ctx_free; bn_ntt_ctx_free(NULL) is a
 * no-op. */
bn_ntt_ctx *bn_ntt_ctx_new(unsigned k);
void bn_ntt_ctx_free(bn_ntt_ctx *c);
/* The largest size 2^k of c. */
size_t bn_ntt_ctx_size(const bn_ntt_ctx *c);

/* The coset generator g (Montgomery form). */
void bn_ntt_coset_gen(bn_fr *g);

/* In place on a[0..n), n a power of two with 1 <= n <= bn_ntt_ctx_size(c)
 * (aborts otherwise):
 *   forward:        a <- NTT(a)               (coefficients -> values on H)
 *   inverse:        a <- NTT^-1(a)            (values on H -> coefficients)
 *   coset_forward:  a <- COSET_NTT(a)         (coefficients -> values on gH)
 *   coset_inverse:  a <- COSET_NTT^-1(a)      (values on gH -> coefficients) */
void bn_ntt_forward(const bn_ntt_ctx *c, bn_fr *a, size_t n);
void bn_ntt_inverse(const bn_ntt_ctx *c, bn_fr *a, size_t n);
void bn_ntt_coset_forward(const bn_ntt_ctx *c, bn_fr *a, size_t n);
void bn_ntt_coset_inverse(const bn_ntt_ctx *c, bn_fr *a, size_t n);

#endif
