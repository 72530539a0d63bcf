/* arith.h -- the PLONKish arithmetization of a quantized model (issue 5,
 * item 2): the circuit and witness that make the PLONK baseline (plonk.h)
 * prove the SAME statement as the GKR prover (src/layers), over the SAME
 * integer witness (q_run's tensors and its acc, rem, sign, arg arrays of
 * quant.h section 3) with the SAME range checks (src/layers/plan.c),
 * including the integer check of every tensor whose rule is Q_INT_CHECK
 * (quant.h, q_int_rules): both sides check exactly those tensors.
 *
 * Table. Every row is q_L a + q_R b + q_O c + q_M a b + q_C
 * + q_A (c - c_next) = 0 (plonk.h; c_next: wire c of the next row); a row
 * may also be a lookup row (bn_plonk_circuit_lookup): its wire a lies in
 * [0, 2^16), and a boolean row (q_B = 1, bn_plonk_circuit_bool): its wire
 * a is 0 or 1. Every integer of the witness is one variable; its cells are
 * tied by copy constraints (one cycle per variable). The model's constants
 * are FIXED selector values (weights in q_L, q_R and q_O, biases in q_C),
 * so the verifying key's selector commitments bind the model as the GKR
 * side's weight commitment does. q_A = 1 only on accumulate rows, and an
 * accumulate row is always followed by the next row of its chain or by the
 * row its chain lands on, never by a padding row: the table never uses the
 * rotation's wrap from row n - 1 to row 0. Rows, in order:
 *
 *   public rows  0 .. n_in-1: a = input element i (q_L = 1); then n_out
 *                rows with a = output element j: the public inputs are the
 *                quantized input and output, in that order.
 *   linear sum   (Conv, FC, AvgPool sums) acc = C + sum_j w_j x_j over the
 *                K real terms (padding cells of Conv are absent), by
 *                accumulate rows (q_A = 1), the running sum s in wire c:
 *                K >= 3: first row a = x_0, b = x_1, c = x_2 with
 *                q_L = w_0, q_R = w_1, q_O = w_2 - 1, q_C = C, q_A = 1
 *                (c_next = C + w_0 x_0 + w_1 x_1 + w_2 x_2); then per two
 *                terms a = x_j, b = x_{j+1}, c = s with q_L = w_j,
 *                q_R = w_{j+1}, q_A = 1 (c_next = s + w_j x_j
 *                + w_{j+1} x_{j+1}; a last single term has b free, q_R = 0).
 *                The last c_next is acc (q_run's value): wire c of the row
 *                that follows the chain, which is the rescale (or pool)
 *                row whose c is acc anyway, tied to acc's other cells by
 *                copy constraints. So floor(K / 2) rows.  K = 2: one row
 *                a = x_0, b = x_1, c = acc (q_L = w_0, q_R = w_1, q_O = -1,
 *                q_C = C).  K = 1: a = x_0, c = acc (q_L = w_0, q_O = -1,
 *                q_C = C).  K = 0: a = acc, q_C = -C.  So max(floor(K / 2), 1)
 *                rows per output.
 *   rescale      k >= 1: a = rem (lookup), b = y, c = acc with q_L = 1,
 *                q_R = 2^k, q_O = -1, q_C = -2^(k-1), then rem's range check
 *                (below); k <= 0: a = y, c = acc, q_L = 1, q_O = -2^-k.
 *   range check  v in [0, 2^bits), as plan.c: 16-bit limbs l_j (one lookup
 *                row each, the limbs summed into v on the same rows:
 *                a = l_j, b = p_{j-1}, c = p_j, q_L = 2^(16j)); a top limb
 *                of bt < 16 bits also needs 2^(16-bt) l in the table (one
 *                more lookup row a = 2^(16-bt) l, b = l). A value of at most
 *                16 bits sits on wire a of the row that defines it.
 *   Relu         y = s x with s a bit (a = s, b = x, c = y, q_M = 1,
 *                q_O = -1, q_B = 1); u in [0, A) with
 *                x = (2s - 1) u + s - 1 (a = u lookup, b = s, c = x,
 *                q_M = 2, q_L = -1, q_R = 1, q_O = -1, q_C = -1; for a bit
 *                s this is u = s ? x : -x - 1 of quant.h), A = 2^(b_act-1).
 *   LeakyRelu    acc = alpha x (q_L = alpha); u as Relu; s (y - x) = 0
 *                via t = s x (s a bit: q_B = 1 there) and s y = t;
 *                (1 - s) E = 0 with
 *                E = y 2^k + rem - acc - 2^(k-1) (k >= 1; rem range-checked
 *                on the row v = y 2^k + rem) or E = y - acc 2^-k (k <= 0);
 *                and s rem = 0 (q_run's rem is 0 where s = 1; the GKR side
 *                leaves that rem free in its range, y is the same).
 *   MaxPool,     per real window cell p: d_p = y - x_p in [0, 2A) (a = d_p
 *   GlobalMaxPool  lookup, b = x_p, c = y), e_p d_p = 0 with e_p a bit
 *                (a = e_p, b = d_p, q_M = 1, q_B = 1); and sum_p e_p = 1
 *                (chain rows without q_A: max(P - 1, 1) of them).
 *                e_p = [p == arg].
 *   AvgPool,     acc = sum of the real cells (linear sum); a = rem (lookup),
 *   GlobalAvgPool  b = y, c = acc with 2n y + rem - 2 acc - n = 0 (the
 *                chain lands here); then 2n - 1 - rem (lookup): rem in
 *                [0, 2n), 2n <= 2^16.
 *   Mul          acc = a b (q_M) or a w (q_L = w, constant operand).
 *   Add, Sub     acc = a 2^al0 +- b 2^al1 (one row; a constant operand
 *                goes into q_C). Affine: acc = x S[c] + T[c] (q_L, q_C).
 *   MatMul       acc = sum_j a_j b_j: K >= 2: accumulate rows a = a_j,
 *                b = b_j, c = s with q_M = 1, q_A = 1 (c_next = s + a_j b_j);
 *                the first row's c is free (q_O = -1 cancels q_A's c); acc
 *                lands on the rescale row: K rows.  K = 1: a = a_0, b = b_0,
 *                c = acc (q_M = 1, q_O = -1).
 *   Reshape      wiring only (no rows). Pad: wiring, plus one row for the
 *                pad constant (a = v, q_L = 1, q_C = -pad) if any cell is
 *                padding.
 *   integer      after the rows of a node whose output's rule is
 *   check        Q_INT_CHECK (quant.h q_int_rules: the output of a rescale
 *                with k >= 1, of LeakyRelu with k >= 1 or of an average
 *                pool that some node reads, not the graph output and not
 *                covered by a Relu/LeakyRelu consumer), per element y:
 *                v = y + A on a row a = v, b = y with q_L = 1, q_R = -1,
 *                q_C = -A, and v in [0, 2^b_act) as a range check on its
 *                defining row (above; b_act = 16: that row is v's lookup
 *                row, one row per element). Without it the relations above hold over F_r
 *                with y' = y + 1/2 and rem' = rem - 2^(k-1) (average pools:
 *                rem' = rem - n), and a linear consumer can turn half-
 *                integers into a wrong integer output (tests/test_arith.c).
 *                Every other tensor is the public input or output, proven
 *                by a Relu/LeakyRelu consumer's u, or an integer by its
 *                producer's rows.
 * Then the table is padded with zero rows to n = 2^k rows (bn_arith_log_n).
 *
 * The relations hold over F_r iff over the integers once every value they
 * read is an integer in range (the public rows, the range checks, the
 * Relu u-checks and the integer checks above see to it): every magnitude
 * is then below 2^61 (quant.h section 4) and r > 2^253.
 */
#ifndef GKRCNN_PLONK_ARITH_H
#define GKRCNN_PLONK_ARITH_H

#include "../quant/quant.h"
#include "plonk.h"

/* rows needed (before padding to 2^k), without building anything: for the
 * memory projection and refusal of models too large for the baseline.
 * Clip (ReLU6), which bn_arith_build refuses, is counted as Relu-like
 * comparisons (arith.c) so that a model with it gets a projection; the
 * other ops the baseline does not arithmetize count 0 rows. */
size_t bn_arith_rows(const q_model *m);

/* Memory the baseline needs per table row to set up and prove (measured:
 * ~4.1 KB per row for 2^17 and 2^19 rows before the custom gates, ~4.6 KB
 * with them, whose q_A and q_B add two fixed columns: LeNet-5, 2^18 rows,
 * 1152 MB peak RSS); bn_arith_build refuses a table whose estimate exceeds
 * the machine's physical memory. */
#define BN_ARITH_BYTES_PER_ROW 4700

/* log2 of the table size n that bn_arith_build uses: rows rounded up to a
 * power of two, at least 2^BN_PLONK_ZK_MIN_LOG (a zero-knowledge proof
 * needs n >= 8, plonk.h), and at least 2^BN_PLONK_LOOKUP_BITS when any row
 * is a lookup row (the range table must fit in the table, plonk.h). Works
 * on a skeleton too. */
unsigned bn_arith_log_n(const q_model *m);

/* builds the circuit (selectors, wiring, lookup marks) and, when w != NULL,
 * the witness columns a, b, c (n entries each) from q_run's witness; the
 * public inputs are the quantized input and output (in that order);
 * ZK_EINPUT with a reason for an op not arithmetized yet, a skeleton model,
 * a witness that does not match the model, or a table over
 * 2^BN_PLONK_MAX_LOG rows. On success the caller frees *c with
 * bn_plonk_circuit_free and *a, *b, *cw, *pub with free() (all NULL when
 * w == NULL; *n_pub is set either way). */
zk_err bn_arith_build(bn_plonk_circuit **c, bn_fr **a, bn_fr **b, bn_fr **cw, bn_fr **pub, size_t *n_pub,
                      const q_model *m, const q_witness *w) ZK_WARN_UNUSED;

#endif
