#include "fp2.h"

fm61 fm61_pow(fm61 a, uint64_t e) {
    fm61 r = 1;
    while (e) {
        if (e & 1) r = fm61_mul(r, a);
        a = fm61_sqr(a);
        e >>= 1;
    }
    return r;
}

fm61 fm61_inv(fm61 a) { return fm61_pow(a, FM61_P - 2); }

void fm61_batch_inv(fm61 *out, const fm61 *in, size_t n) {
    if (n == 0) return;
    fm61 *pre = zk_malloc_n(n, sizeof *pre);
    fm61 acc = 1;
    for (size_t i = 0; i < n; i++) {
        pre[i] = acc;
        if (in[i]) acc = fm61_mul(acc, in[i]);
    }
    fm61 inv = fm61_inv(acc);
    for (size_t i = n; i-- > 0;) {
        fm61 x = in[i];
        if (x == 0) {
            out[i] = 0;
            continue;
        }
        out[i] = fm61_mul(inv, pre[i]);
        inv = fm61_mul(inv, x);
    }
    free(pre);
}

fp2 fp2_pow(fp2 a, const uint64_t *e, size_t nlimbs) {
    fp2 r = fp2_one();
    for (size_t l = 0; l < nlimbs; l++) {
        uint64_t w = e[l];
        for (int b = 0; b < 64; b++) {
            if (w & 1) r = fp2_mul(r, a);
            a = fp2_sqr(a);
            w >>= 1;
        }
    }
    return r;
}

/* (a + bi)^-1 = (a - bi) / (a^2 + b^2); a^2 + b^2 != 0 for nonzero a + bi
 * because -1 is a non-square mod p. */
fp2 fp2_inv(fp2 x) {
    fm61 n = fm61_add(fm61_sqr(x.re), fm61_sqr(x.im));
    fm61 ni = fm61_inv(n);
    return fp2_mul_fm61(fp2_conj(x), ni);
}

void fp2_batch_inv(fp2 *out, const fp2 *in, size_t n) {
    if (n == 0) return;
    fp2 *pre = zk_malloc_n(n, sizeof *pre);
    fp2 acc = fp2_one();
    for (size_t i = 0; i < n; i++) {
        pre[i] = acc;
        if (!fp2_is_zero(in[i])) acc = fp2_mul(acc, in[i]);
    }
    fp2 inv = fp2_inv(acc);
    for (size_t i = n; i-- > 0;) {
        fp2 x = in[i];
        if (fp2_is_zero(x)) {
            out[i] = fp2_zero();
            continue;
        }
        out[i] = fp2_mul(inv, pre[i]);
        inv = fp2_mul(inv, x);
    }
    free(pre);
}

/* The 2-Sylow subgroup of F_{p^2}^* has order 2^62. For x = c + i with the
 * smallest c >= 1 such that h = x^(2^60 - 1) has order exactly 2^62
 * (h^(2^61) != 1), h generates it; the 2^k-th root is h^(2^(62-k)). */
fp2 fp2_root_of_unity(unsigned k) {
    ZK_CHECK(k <= 62);
    const uint64_t odd = (1ULL << 60) - 1;
    for (fm61 c = 1;; c++) {
        fp2 h = fp2_pow(fp2_make(c, 1), &odd, 1);
        fp2 t = h;
        for (int j = 0; j < 61; j++) t = fp2_sqr(t);
        if (fp2_eq(t, fp2_one())) continue;
        for (unsigned j = 0; j < 62 - k; j++) h = fp2_sqr(h);
        return h;
    }
}
