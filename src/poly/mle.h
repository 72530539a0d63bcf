/* mle.h -- multilinear polynomials given by their evaluation tables.
 *
 * A table t of length 2^n represents the unique multilinear f on n
 * variables with f(x) = t[x] for x in {0,1}^n, where variable j is bit j of
 * the index (x = sum_j x_j 2^j). Hence
 *     f(r) = sum_x t[x] * eq(r, x),   eq(r, x) = prod_j (r_j x_j + (1-r_j)(1-x_j)).
 *
 * Folding binds the HIGHEST remaining variable: after binding x_{n-1} = c,
 *     t'[i] = t[i] + c * (t[i + h] - t[i]),   h = 2^(n-1),  i < h.
 * This order keeps both halves contiguous, so folding runs in place and in
 * parallel. A sumcheck therefore fixes variables n-1, n-2, ..., 0 in its
 * rounds 1, 2, ..., n.
 */
#ifndef GKRCNN_MLE_H
#define GKRCNN_MLE_H

#include "../fields/fp2.h"

/* out[x] = eq(r, x) for all x < 2^n, in O(2^n). out has 2^n entries. */
void mle_eq_table(fp2 *out, const fp2 *r, unsigned n);
/* out[x] = scale * eq(r, x); scale may be zero. */
void mle_eq_table_scaled(fp2 *out, const fp2 *r, unsigned n, fp2 scale);
/* out[x] += scale * eq(r, x). */
void mle_eq_table_add(fp2 *out, const fp2 *r, unsigned n, fp2 scale);

/* eq(a, b) for two points of n coordinates, O(n). */
fp2 mle_eq_eval(const fp2 *a, const fp2 *b, unsigned n);

/* f(r) for a table of length 2^n, O(2^n), no allocation beyond O(2^n/2). */
fp2 mle_eval_fm61(const fm61 *t, unsigned n, const fp2 *r);
fp2 mle_eval_fp2(const fp2 *t, unsigned n, const fp2 *r);
/* f(r) for a table of `len` <= 2^n entries padded with zeros to 2^n. */
fp2 mle_eval_fm61_padded(const fm61 *t, size_t len, unsigned n, const fp2 *r);

/* Bind the highest variable to c: t has 2h entries on entry, h on exit. */
void mle_fold(fp2 *t, size_t h, fp2 c);
/* out[i] = t[i] + c (t[i+h] - t[i]) for a base-field table (first round). */
void mle_fold_fm61(fp2 *out, const fm61 *t, size_t h, fp2 c);

/* out[i] = (fp2) t[i]. */
void mle_lift(fp2 *out, const fm61 *t, size_t n);

#endif
