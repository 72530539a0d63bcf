/* ntt.h -- radix-2 number-theoretic transform over F_{p^2} and the
 * Reed-Solomon encoder of the Ligero commitment.
 *
 * Transform: for n = 2^log_n and w = fp2_root_of_unity(log_n), a primitive
 * n-th root of unity,
 *     NTT(a)[j] = sum_{c < n} a[c] * w^(c j),   j < n,
 * i.e. the polynomial A(X) = sum_c a[c] X^c evaluated at w^j.
 *
 * Reed-Solomon code of rate 1/B, B = 2^log_blowup: a message of k = 2^log_k
 * field elements is the coefficient vector of a polynomial of degree < k,
 * and its codeword of length K = B k is
 *     cw[j] = sum_{c < k} msg[c] * omega^(c j),  j < K,  omega = fp2_root_of_unity(log_k + log_blowup),
 * in natural order (position j is the evaluation at omega^j). With
 * j = s B + r (0 <= r < B, 0 <= s < k), omega^(c j) = (omega^B)^(c s) * omega^(c r)
 * and omega^B = fp2_root_of_unity(log_k), so coset r of the codeword is the
 * size-k NTT of the message scaled by omega^(c r): B transforms of size k
 * instead of one of size K over a mostly-zero input.
 *
 * Every function is deterministic and returns canonical elements. An AVX-512
 * kernel is selected at run time when the CPU has it; it computes exactly
 * the same values as the portable one.
 */
#ifndef GKRCNN_NTT_H
#define GKRCNN_NTT_H

#include "../fields/fp2.h"

/* Largest supported transform: 2^NTT_MAX_LOG entries (indices are uint32_t). */
#define NTT_MAX_LOG 30

/* Precomputed twiddles and bit-reversal table for one size (read-only after
 * creation, so one plan may be shared by threads). */
typedef struct ntt_plan ntt_plan;

/* log_n <= NTT_MAX_LOG. */
ntt_plan *ntt_plan_new(unsigned log_n);
void ntt_plan_free(ntt_plan *p);
size_t ntt_plan_size(const ntt_plan *p);
/* bitrev[i] = i with its log_n bits reversed, i < n. */
const uint32_t *ntt_plan_bitrev(const ntt_plan *p);

/* In place, natural-order input, bit-reversed output (Gentleman-Sande):
 * on return a[bitrev(j)] = NTT(a)[j]. */
void ntt_dif(const ntt_plan *p, fp2 *a);
/* ntt_dif's outputs at the slots slot[0..ns) only (bit-reversed positions,
 * ascending, ns >= 1; repeats allowed): on return a[slot[q]] is what
 * ntt_dif leaves there; the other entries are unspecified. */
void ntt_dif_pruned(const ntt_plan *p, fp2 *a, const uint32_t *slot, size_t ns);
/* The portable kernel of ntt_dif (same results), for tests and benches;
 * ntt_uses_avx512() says whether ntt_dif takes the AVX-512 kernel. */
void ntt_dif_portable(const ntt_plan *p, fp2 *a);
int ntt_uses_avx512(void);
/* In place, natural order in and out: a <- NTT(a). */
void ntt_forward(const ntt_plan *p, fp2 *a);
/* In place: a <- NTT^-1(a), so ntt_inverse(ntt_forward(a)) = a. */
void ntt_inverse(const ntt_plan *p, fp2 *a);

/* out[i] = a[i] * b[i], i < n; out may alias a or b. */
void ntt_mul(fp2 *out, const fp2 *a, const fp2 *b, size_t n);

/* Reed-Solomon encoder for messages of 2^log_k elements at rate
 * 2^-log_blowup (definitions above). log_k + log_blowup <= NTT_MAX_LOG. */
typedef struct ntt_rs ntt_rs;

ntt_rs *ntt_rs_new(unsigned log_k, unsigned log_blowup);
void ntt_rs_free(ntt_rs *rs);
/* The process's encoder for (log_k, log_blowup <= NTT_RS_SHARED_MAX_BLOWUP),
 * made on first use (under a mutex) and kept until exit; never freed by
 * the caller. An encoder is read-only, so threads share it. */
#define NTT_RS_SHARED_MAX_BLOWUP 6
const ntt_rs *ntt_rs_shared(unsigned log_k, unsigned log_blowup);
/* The size-k plan (its bitrev table orders the output of ntt_rs_coset). */
const ntt_plan *ntt_rs_plan(const ntt_rs *rs);

/* Coset r < B of the codeword of msg[0..k), bit-reversed:
 * out[bitrev(s)] = cw[s B + r] for s < k. out (k entries) may equal msg. */
void ntt_rs_coset(const ntt_rs *rs, fp2 *out, const fp2 *msg, unsigned r);
/* The same at the slots slot[0..ns) of out only (ntt_dif_pruned). */
void ntt_rs_coset_pruned(const ntt_rs *rs, fp2 *out, const fp2 *msg, unsigned r, const uint32_t *slot, size_t ns);
/* The two steps of ntt_rs_coset, for a caller that builds the coset's
 * shifted message itself: shift r (k entries, omega^(r c); all ones for
 * r = 0), then ntt_dif (or ntt_dif_pruned) of the size-k plan on it. */
const fp2 *ntt_rs_shift(const ntt_rs *rs, unsigned r);
/* The whole codeword in natural order: out[j] = cw[j], j < K. out must not
 * overlap msg. */
void ntt_rs_encode(const ntt_rs *rs, fp2 *out, const fp2 *msg);

#endif
