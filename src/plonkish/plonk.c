/* plonk.c -- PLONK over BN254 with KZG (see plonk.h).
 *
 * Section references are to Gabizon, Williamson, Ciobotaru, ePrint 2019/953,
 * Section 8.3 (prover) and 8.4 (verifier). In zk mode the witness
 * polynomials get the blinders of rounds 1-2 (b_1..b_9; c and the lookup
 * columns as plonk.h counts them) and the quotient pieces b_10, b_11 of
 * round 3, drawn from OpenSSL's CSPRNG; without zk they are all zero. The
 * Lagrange polynomial of the paper's first row, L_1, is the one of omega^0.
 * The range lookup is logUp (Haboeck, ePrint 2022/1530) with a running-sum
 * column, folded into the same quotient with alpha^3..alpha^6 (plonk.h).
 * Two custom gates (Halo2 style, plonk.h): the term q_A (c(X) - c(omega X))
 * with a rotation joins the gate in round 3, c is also evaluated at
 * zeta omega in round 4 and opened there in round 5, and [q_A] enters the
 * linearisation with scalar c(zeta) - c(zeta omega); the boolean identity
 * q_B (a^2 - a) joins the quotient with alpha^7 and the linearisation as
 * [q_B] with scalar alpha^7 (a(zeta)^2 - a(zeta)).
 */
#include "plonk.h"

#include <string.h>

#include <openssl/rand.h>

#include "../transcript/tr.h"

#define PLONK_PROTOCOL "gkrcnn/plonk/v3"
#define PLONK_VK_MAGIC "GKRPLVK3"
#define PLONK_NEVALS 9 /* a, b, c, S1, S2, t at zeta; z, phi, c at zeta omega */
#define PLONK_TABLE ((size_t)1 << BN_PLONK_LOOKUP_BITS)
/* zk mode: blinding coefficients per witness polynomial, one more than the
 * points outside H where a proof reveals it (plonk.h): a, b, m, h_f, h_t
 * at tau and zeta; c, z, phi at tau, zeta and zeta omega */
#define PLONK_BL_AT_ZETA 2
#define PLONK_BL_AT_ZETA_OMEGA 3
#define PLONK_BL_MAX 3

struct bn_plonk_pk {
    bn_plonk_vk vk;
    const bn_kzg_srs *srs;              /* borrowed */
    bn_ntt_ctx *ntt;                    /* sizes up to 4n */
    bn_fr omega, k[3];
    bn_fr *coef[BN_PLONK_NFIXED];       /* n coefficients each */
    bn_fr *coset[BN_PLONK_NFIXED];      /* 4n values on g H_4n each */
    bn_fr *sel[BN_PLONK_NSEL];          /* selector values on H (witness check) */
    uint32_t *sigma;                    /* 3n */
    uint8_t *lk;                        /* q_K on H as flags, n */
    size_t tn;                          /* table rows t(omega^j) = j: j < tn = min(n, 2^16) */
    bn_fr *pw;                          /* omega^i, i < n */
    bn_fr *xs;                          /* g w_4n^i, i < 4n */
    bn_fr *l1;                          /* L_1 on g H_4n */
    bn_fr zhinv[4];                     /* 1 / Z_H(g w_4n^i) depends on i mod 4 */
};

/* ---------------------------------------------------------------- circuit */

bn_plonk_circuit *bn_plonk_circuit_new(unsigned log_n, size_t n_pub) {
    ZK_CHECK(log_n >= 1 && log_n <= BN_PLONK_MAX_LOG);
    size_t n = (size_t)1 << log_n;
    ZK_CHECK(n_pub <= n);
    bn_plonk_circuit *c = zk_calloc(1, sizeof *c);
    c->log_n = log_n;
    c->n = n;
    c->n_pub = n_pub;
    for (int s = 0; s < BN_PLONK_NSEL; s++) c->sel[s] = zk_calloc(n, sizeof(bn_fr)); /* zero is all-zero limbs */
    c->sigma = zk_malloc_n(3 * n, sizeof *c->sigma);
    for (size_t i = 0; i < 3 * n; i++) c->sigma[i] = (uint32_t)i;
    c->qk = zk_calloc(n, sizeof(bn_fr));
    return c;
}

void bn_plonk_circuit_free(bn_plonk_circuit *c) {
    if (!c) return;
    for (int s = 0; s < BN_PLONK_NSEL; s++) free(c->sel[s]);
    free(c->sigma);
    free(c->qk);
    free(c);
}

void bn_plonk_circuit_lookup(bn_plonk_circuit *c, size_t row) {
    ZK_CHECK(row < c->n);
    bn_fr_one(&c->qk[row]);
}

void bn_plonk_circuit_gate_i64(bn_plonk_circuit *c, size_t row, int64_t ql, int64_t qr, int64_t qo, int64_t qm,
                               int64_t qc) {
    ZK_CHECK(row < c->n);
    bn_fr_from_i64(&c->sel[BN_PLONK_QL][row], ql);
    bn_fr_from_i64(&c->sel[BN_PLONK_QR][row], qr);
    bn_fr_from_i64(&c->sel[BN_PLONK_QO][row], qo);
    bn_fr_from_i64(&c->sel[BN_PLONK_QM][row], qm);
    bn_fr_from_i64(&c->sel[BN_PLONK_QC][row], qc);
}

void bn_plonk_circuit_accumulate_i64(bn_plonk_circuit *c, size_t row, int64_t qa) {
    ZK_CHECK(row < c->n);
    bn_fr_from_i64(&c->sel[BN_PLONK_QA][row], qa);
}

void bn_plonk_circuit_bool(bn_plonk_circuit *c, size_t row) {
    ZK_CHECK(row < c->n);
    bn_fr_one(&c->sel[BN_PLONK_QB][row]);
}

typedef struct {
    uint32_t var, cell;
} plonk_varcell;

static int plonk_varcell_cmp(const void *x, const void *y) {
    const plonk_varcell *a = x, *b = y;
    if (a->var != b->var) return a->var < b->var ? -1 : 1;
    return a->cell < b->cell ? -1 : a->cell > b->cell;
}

zk_err bn_plonk_circuit_wire(bn_plonk_circuit *c, const uint32_t *var, size_t m) {
    if (m != 3 * c->n) {
        zk_set_reason("plonk wiring: %zu cells given, the table has %zu", m, 3 * c->n);
        return ZK_EINPUT;
    }
    plonk_varcell *v = zk_malloc_n(m, sizeof *v);
    for (size_t i = 0; i < m; i++) v[i] = (plonk_varcell){var[i], (uint32_t)i};
    qsort(v, m, sizeof *v, plonk_varcell_cmp);
    /* each run of equal variables becomes one cycle: cell_j -> cell_{j+1} -> ... -> cell_0 */
    for (size_t s = 0; s < m;) {
        size_t e = s + 1;
        while (e < m && v[e].var == v[s].var) e++;
        for (size_t j = s; j < e; j++) c->sigma[v[j].cell] = v[j + 1 < e ? j + 1 : s].cell;
        s = e;
    }
    free(v);
    return ZK_OK;
}

/* ---------------------------------------------------------------- helpers */

static void plonk_pow_u64(bn_fr *o, const bn_fr *a, uint64_t e) {
    const uint64_t ee[4] = {e, 0, 0, 0};
    bn_fr_pow(o, a, ee);
}

static void plonk_put_g1(tr_t *t, const char *label, const bn_g1_aff *p) {
    uint8_t b[64];
    bn_g1_to_bytes(b, p);
    tr_put_bytes(t, label, b, 64);
}

static void plonk_put_fr(tr_t *t, const char *label, const bn_fr *v, size_t n) {
    uint8_t b[32 * PLONK_NEVALS];
    ZK_CHECK(n <= PLONK_NEVALS);
    for (size_t i = 0; i < n; i++) bn_fr_to_bytes(b + 32 * i, &v[i]);
    tr_put_bytes(t, label, b, 32 * n);
}

static zk_err plonk_get_g1(tr_t *t, const char *label, bn_g1_aff *p) {
    uint8_t b[64];
    if (tr_get_bytes(t, label, b, 64) != ZK_OK) {
        zk_set_reason("plonk proof truncated at %s", label);
        return ZK_EFORMAT;
    }
    if (bn_g1_from_bytes(p, b) != ZK_OK) {
        zk_set_reason("plonk proof: %s is not a G1 point", label);
        return ZK_EFORMAT;
    }
    return ZK_OK;
}

static zk_err plonk_get_fr(tr_t *t, const char *label, bn_fr *v, size_t n) {
    uint8_t b[32 * PLONK_NEVALS];
    ZK_CHECK(n <= PLONK_NEVALS);
    if (tr_get_bytes(t, label, b, 32 * n) != ZK_OK) {
        zk_set_reason("plonk proof truncated at %s", label);
        return ZK_EFORMAT;
    }
    for (size_t i = 0; i < n; i++)
        if (bn_fr_from_bytes(&v[i], b + 32 * i) != ZK_OK) {
            zk_set_reason("plonk proof: %s[%zu] is not below r", label, i);
            return ZK_EFORMAT;
        }
    return ZK_OK;
}

/* A challenge in F_r: sum_{j<8} x_j B^j mod r, x_j uniform on [0, B),
 * B = 2^64 - 1 (see plonk.h). */
static void plonk_challenge(tr_t *t, const char *label, bn_fr *o) {
    bn_fr B, x, acc;
    bn_fr_from_u64(&B, UINT64_MAX);
    bn_fr_zero(&acc);
    for (int j = 0; j < 8; j++) {
        bn_fr_from_u64(&x, tr_challenge_index(t, label, UINT64_MAX));
        bn_fr_mul(&acc, &acc, &B);
        bn_fr_add(&acc, &acc, &x);
    }
    *o = acc;
}

/* The public data every transcript starts with: the verifying key and the
 * public inputs. */
static void plonk_absorb_public(tr_t *t, const bn_plonk_vk *vk, const bn_fr *pub, size_t n_pub) {
    zk_buf b;
    zk_buf_init(&b);
    bn_plonk_vk_serialize(&b, vk);
    tr_absorb(t, "vk", b.data, b.len);
    b.len = 0;
    for (size_t i = 0; i < n_pub; i++) {
        uint8_t e[32];
        bn_fr_to_bytes(e, &pub[i]);
        zk_buf_put(&b, e, 32);
    }
    tr_absorb(t, "public inputs", b.data, b.len);
    zk_buf_free(&b);
}

static void plonk_ks(bn_fr k[3]) {
    bn_fr_one(&k[0]);
    bn_fr_from_u64(&k[1], BN_PLONK_K2);
    bn_fr_from_u64(&k[2], BN_PLONK_K3);
}

/* transcript labels of the commitments, shared by the prover and the verifier */
static const char *const plonk_wire_labels[3] = {"[a]", "[b]", "[c]"};
static const char *const plonk_lookup_labels[4] = {"[m]", "[h_f]", "[h_t]", "[phi]"};
static const char *const plonk_quot_labels[3] = {"[t_lo]", "[t_mid]", "[t_hi]"};

/* the polynomials (commitments) of the linearisation, plonk_lin_scalars */
#define PLONK_NLIN 23

/* What the verifier needs besides the scalars of plonk_lin_scalars. */
typedef struct {
    bn_fr zhz;    /* Z_H(zeta) = zeta^n - 1 */
    bn_fr l1z;    /* L_1(zeta) */
    bn_fr alpha2; /* alpha^2 */
    bn_fr alpha5; /* alpha^5 */
    bn_fr pab;    /* (a + beta S1 + gamma)(b + beta S2 + gamma) at zeta */
} plonk_lin_aux;

/* The scalars of the linearisation shared by the prover's round 5 (Section
 * 8.3: r(X), and the v-powers of the batched opening at zeta) and the
 * verifier's steps 5, 6, 9 and 10 (Section 8.4: Z_H(zeta), L_1(zeta), [D]_1
 * and [F]_1), for the polynomials (commitments) in this order:
 *   0 qM, 1 qL, 2 qR, 3 qO, 4 qC, 5 z, 6 S3, 7 t_lo, 8 t_mid, 9 t_hi,
 *   10 a, 11 b, 12 c, 13 S1, 14 S2, 15 q_K, 16 h_f, 17 m, 18 h_t, 19 phi, 20 t,
 *   21 q_A, 22 q_B
 * from ev = (a, b, c, S1, S2, t at zeta; z, phi, c at zeta omega). The
 * verifier adds u to z's scalar, u v to phi's and u v^2 to c's (the opening
 * at zeta omega).
 *   qM, qL, qR, qO, qC, q_A: a b, a, b, c, 1, c - c(zeta omega) (the gate)
 *   q_B: alpha^7 (a^2 - a) (the boolean identity)
 *   z:   alpha (a+b zeta+g)(b+b k2 zeta+g)(c+b k3 zeta+g) + alpha^2 L_1(zeta)
 *   S3:  -alpha (a+b S1+g)(b+b S2+g) beta z_omega
 *   t_lo, t_mid, t_hi: -Z_H(zeta) (1, zeta^n, zeta^2n)
 *   a, b, c, S1, S2: v, v^2, .., v^5; t: v^6
 *   q_K: -alpha^3; h_f: alpha^3 (theta - a) - alpha^5; m: -alpha^4;
 *   h_t: alpha^4 (theta - t) + alpha^5; phi: alpha^6 L_1(zeta) - alpha^5 */
static void plonk_lin_scalars(bn_fr sc[PLONK_NLIN], plonk_lin_aux *aux, size_t n, const bn_fr k[3],
                              const bn_fr *theta, const bn_fr *beta, const bn_fr *gamma, const bn_fr *alpha,
                              const bn_fr *zeta, const bn_fr *v, const bn_fr ev[PLONK_NEVALS]) {
    bn_fr one, zn, x, y, bz, pa, pb, zc, alpha3, alpha4, alpha6, alpha7;
    bn_fr_one(&one);
    plonk_pow_u64(&zn, zeta, n);
    bn_fr_sub(&aux->zhz, &zn, &one);
    /* L_1(zeta) = (zeta^n - 1) / (n (zeta - 1)) */
    bn_fr_from_u64(&x, n);
    bn_fr_sub(&y, zeta, &one);
    bn_fr_mul(&x, &x, &y);
    bn_fr_inv(&x, &x);
    bn_fr_mul(&aux->l1z, &aux->zhz, &x);
    bn_fr_sqr(&aux->alpha2, alpha);
    bn_fr_mul(&alpha3, &aux->alpha2, alpha);
    bn_fr_mul(&alpha4, &alpha3, alpha);
    bn_fr_mul(&aux->alpha5, &alpha4, alpha);
    bn_fr_mul(&alpha6, &aux->alpha5, alpha);
    /* gate: qM a b + qL a + qR b + qO c + qC + qA (c - c(zeta omega)) */
    bn_fr_mul(&sc[0], &ev[0], &ev[1]);
    sc[1] = ev[0];
    sc[2] = ev[1];
    sc[3] = ev[2];
    sc[4] = one;
    bn_fr_sub(&sc[21], &ev[2], &ev[8]);
    /* boolean: alpha^7 q_B (a^2 - a) */
    bn_fr_mul(&alpha7, &alpha6, alpha);
    bn_fr_sqr(&x, &ev[0]);
    bn_fr_sub(&x, &x, &ev[0]);
    bn_fr_mul(&sc[22], &x, &alpha7);
    /* z */
    bn_fr_mul(&bz, beta, zeta);
    bn_fr_add(&zc, &bz, &ev[0]);
    bn_fr_add(&zc, &zc, gamma);
    bn_fr_mul(&x, &bz, &k[1]);
    bn_fr_add(&x, &x, &ev[1]);
    bn_fr_add(&x, &x, gamma);
    bn_fr_mul(&zc, &zc, &x);
    bn_fr_mul(&x, &bz, &k[2]);
    bn_fr_add(&x, &x, &ev[2]);
    bn_fr_add(&x, &x, gamma);
    bn_fr_mul(&zc, &zc, &x);
    bn_fr_mul(&zc, &zc, alpha);
    bn_fr_mul(&x, &aux->alpha2, &aux->l1z);
    bn_fr_add(&sc[5], &zc, &x);
    /* S3 */
    bn_fr_mul(&pa, beta, &ev[3]);
    bn_fr_add(&pa, &pa, &ev[0]);
    bn_fr_add(&pa, &pa, gamma);
    bn_fr_mul(&pb, beta, &ev[4]);
    bn_fr_add(&pb, &pb, &ev[1]);
    bn_fr_add(&pb, &pb, gamma);
    bn_fr_mul(&aux->pab, &pa, &pb);
    bn_fr_mul(&x, &aux->pab, alpha);
    bn_fr_mul(&x, &x, beta);
    bn_fr_mul(&x, &x, &ev[6]);
    bn_fr_neg(&sc[6], &x);
    /* t_lo, t_mid, t_hi */
    bn_fr_neg(&sc[7], &aux->zhz);
    bn_fr_mul(&sc[8], &sc[7], &zn);
    bn_fr_mul(&sc[9], &sc[8], &zn);
    /* a, b, c, S1, S2 */
    sc[10] = *v;
    for (int j = 11; j < 15; j++) bn_fr_mul(&sc[j], &sc[j - 1], v);
    /* lookup */
    bn_fr_neg(&sc[15], &alpha3);
    bn_fr_sub(&x, theta, &ev[0]);
    bn_fr_mul(&x, &x, &alpha3);
    bn_fr_sub(&sc[16], &x, &aux->alpha5);
    bn_fr_neg(&sc[17], &alpha4);
    bn_fr_sub(&x, theta, &ev[5]);
    bn_fr_mul(&x, &x, &alpha4);
    bn_fr_add(&sc[18], &x, &aux->alpha5);
    bn_fr_mul(&x, &alpha6, &aux->l1z);
    bn_fr_sub(&sc[19], &x, &aux->alpha5);
    bn_fr_mul(&sc[20], &sc[14], v);
}

/* ------------------------------------------------------------- verifying key */

void bn_plonk_vk_serialize(zk_buf *out, const bn_plonk_vk *vk) {
    zk_buf_put(out, PLONK_VK_MAGIC, 8);
    zk_buf_put_u32(out, vk->log_n);
    zk_buf_put_u64(out, vk->n_pub);
    uint8_t b[128];
    for (int j = 0; j < BN_PLONK_NFIXED; j++) {
        bn_g1_to_bytes(b, &vk->cm[j]);
        zk_buf_put(out, b, 64);
    }
    for (int j = 0; j < 2; j++) {
        bn_g2_to_bytes(b, &vk->g2[j]);
        zk_buf_put(out, b, 128);
    }
}

zk_err bn_plonk_vk_deserialize(bn_plonk_vk *vk, const uint8_t *data, size_t len) {
    zk_rd r;
    zk_rd_init(&r, data, len);
    char mg[8];
    uint32_t log_n;
    uint64_t n_pub;
    if (zk_rd_get(&r, mg, 8) != ZK_OK || memcmp(mg, PLONK_VK_MAGIC, 8) != 0 || zk_rd_u32(&r, &log_n) != ZK_OK ||
        zk_rd_u64(&r, &n_pub) != ZK_OK) {
        zk_set_reason("not a gkrcnn PLONK verifying key");
        return ZK_EFORMAT;
    }
    if (zk_rd_left(&r) != 64 * BN_PLONK_NFIXED + 256) {
        zk_set_reason("PLONK verifying key truncated or has trailing bytes");
        return ZK_EFORMAT;
    }
    if (log_n < 1 || log_n > BN_PLONK_MAX_LOG || n_pub > ((uint64_t)1 << log_n)) {
        zk_set_reason("PLONK verifying key: log_n %u or n_pub out of range", log_n);
        return ZK_EFORMAT;
    }
    bn_plonk_vk t;
    memset(&t, 0, sizeof t);
    t.log_n = log_n;
    t.n = (size_t)1 << log_n;
    t.n_pub = (size_t)n_pub;
    const uint8_t *p = data + r.pos;
    for (int j = 0; j < BN_PLONK_NFIXED; j++)
        if (bn_g1_from_bytes(&t.cm[j], p + 64 * j) != ZK_OK) return ZK_EFORMAT;
    for (int j = 0; j < 2; j++)
        if (bn_g2_from_bytes(&t.g2[j], p + 64 * BN_PLONK_NFIXED + 128 * j) != ZK_OK) {
            zk_set_reason("PLONK verifying key: G2 point invalid");
            return ZK_EFORMAT;
        }
    *vk = t;
    return ZK_OK;
}

/* ------------------------------------------------------------- proving key */

zk_err bn_plonk_keygen(bn_plonk_pk **pk_out, bn_plonk_vk *vk_out, const bn_plonk_circuit *c, const bn_kzg_srs *srs) {
    size_t n = c->n, N = 4 * n;
    if (srs->n < n + BN_PLONK_SRS_EXTRA) {
        zk_set_reason("plonk keygen: the SRS has %zu powers, the table needs %zu", srs->n, n + BN_PLONK_SRS_EXTRA);
        return ZK_EINPUT;
    }
    uint8_t *seen = zk_calloc(3 * n, 1);
    for (size_t i = 0; i < 3 * n; i++) {
        uint32_t s = c->sigma[i];
        if (s >= 3 * n || seen[s]) {
            free(seen);
            zk_set_reason("plonk keygen: sigma is not a permutation of the %zu cells (cell %zu)", 3 * n, i);
            return ZK_EINPUT;
        }
        seen[s] = 1;
    }
    free(seen);
    size_t n_marked = 0;
    for (size_t i = 0; i < n; i++) {
        if (bn_fr_is_zero(&c->qk[i])) continue;
        bn_fr one;
        bn_fr_one(&one);
        if (!bn_fr_eq(&c->qk[i], &one)) {
            zk_set_reason("plonk keygen: q_K of row %zu is neither 0 nor 1", i);
            return ZK_EINPUT;
        }
        n_marked++;
    }
    if (n_marked > 0 && n < PLONK_TABLE) {
        zk_set_reason("plonk keygen: %zu rows use the range lookup, whose table [0, 2^%d) needs n >= 2^%d rows; "
                      "this table has n = 2^%u",
                      n_marked, BN_PLONK_LOOKUP_BITS, BN_PLONK_LOOKUP_BITS, c->log_n);
        return ZK_EINPUT;
    }

    bn_plonk_pk *pk = zk_calloc(1, sizeof *pk);
    pk->srs = srs;
    pk->ntt = bn_ntt_ctx_new(c->log_n + 2);
    bn_fr_root_of_unity(&pk->omega, c->log_n);
    plonk_ks(pk->k);
    /* the identity cosets are disjoint: k^n != 1 for k2, k3, k3/k2 */
    {
        bn_fr q, e, one;
        bn_fr_one(&one);
        bn_fr_inv(&q, &pk->k[1]);
        bn_fr_mul(&q, &q, &pk->k[2]);
        const bn_fr *ks[3] = {&pk->k[1], &pk->k[2], &q};
        for (int j = 0; j < 3; j++) {
            plonk_pow_u64(&e, ks[j], n);
            ZK_CHECK(!bn_fr_eq(&e, &one));
        }
    }
    pk->pw = zk_aligned_n(n, sizeof(bn_fr));
    bn_fr_one(&pk->pw[0]);
    for (size_t i = 1; i < n; i++) bn_fr_mul(&pk->pw[i], &pk->pw[i - 1], &pk->omega);
    pk->sigma = zk_malloc_n(3 * n, sizeof *pk->sigma);
    memcpy(pk->sigma, c->sigma, 3 * n * sizeof *pk->sigma);

    for (int j = 0; j < BN_PLONK_NFIXED; j++) {
        pk->coef[j] = zk_aligned_n(n, sizeof(bn_fr));
        pk->coset[j] = zk_aligned_n(N, sizeof(bn_fr));
    }
    for (int s = 0; s < BN_PLONK_NSEL; s++) {
        pk->sel[s] = zk_aligned_n(n, sizeof(bn_fr));
        memcpy(pk->sel[s], c->sel[s], n * sizeof(bn_fr));
        memcpy(pk->coef[s], c->sel[s], n * sizeof(bn_fr));
    }
    /* lookup selector and table column: t(omega^j) = j for j < tn, 0 after */
    pk->lk = zk_malloc_n(n, 1);
    for (size_t i = 0; i < n; i++) pk->lk[i] = (uint8_t)!bn_fr_is_zero(&c->qk[i]);
    memcpy(pk->coef[BN_PLONK_QK], c->qk, n * sizeof(bn_fr));
    pk->tn = n < PLONK_TABLE ? n : PLONK_TABLE;
    for (size_t j = 0; j < n; j++) bn_fr_from_u64(&pk->coef[BN_PLONK_TAB][j], j < pk->tn ? j : 0);
    /* S_sigma_col(omega^row) = k_{col'} omega^{row'} with (col', row') = sigma(col, row) */
    for (int col = 0; col < 3; col++) {
        bn_fr *s = pk->coef[BN_PLONK_S1 + col];
        for (size_t i = 0; i < n; i++) {
            uint32_t d = pk->sigma[(size_t)col * n + i];
            bn_fr_mul(&s[i], &pk->k[d / n], &pk->pw[d % n]);
        }
    }
    for (int j = 0; j < BN_PLONK_NFIXED; j++) {
        bn_ntt_inverse(pk->ntt, pk->coef[j], n);
        memcpy(pk->coset[j], pk->coef[j], n * sizeof(bn_fr));
        memset(pk->coset[j] + n, 0, (N - n) * sizeof(bn_fr));
        bn_ntt_coset_forward(pk->ntt, pk->coset[j], N);
    }

    /* the coset g H_4n, L_1 on it (coefficients all 1/n), and 1/Z_H there */
    pk->xs = zk_aligned_n(N, sizeof(bn_fr));
    {
        bn_fr w4n;
        bn_fr_root_of_unity(&w4n, c->log_n + 2);
        bn_ntt_coset_gen(&pk->xs[0]);
        for (size_t i = 1; i < N; i++) bn_fr_mul(&pk->xs[i], &pk->xs[i - 1], &w4n);
    }
    pk->l1 = zk_aligned_n(N, sizeof(bn_fr));
    {
        bn_fr ninv;
        bn_fr_from_u64(&ninv, n);
        bn_fr_inv(&ninv, &ninv);
        for (size_t i = 0; i < n; i++) pk->l1[i] = ninv;
        memset(pk->l1 + n, 0, (N - n) * sizeof(bn_fr));
        bn_ntt_coset_forward(pk->ntt, pk->l1, N);
    }
    for (int j = 0; j < 4; j++) {
        bn_fr one;
        bn_fr_one(&one);
        plonk_pow_u64(&pk->zhinv[j], &pk->xs[j], n);
        bn_fr_sub(&pk->zhinv[j], &pk->zhinv[j], &one);
        ZK_CHECK(!bn_fr_is_zero(&pk->zhinv[j]));
        bn_fr_inv(&pk->zhinv[j], &pk->zhinv[j]);
    }

    /* verifying key */
    bn_plonk_vk *vk = &pk->vk;
    vk->log_n = c->log_n;
    vk->n = n;
    vk->n_pub = c->n_pub;
    for (int j = 0; j < BN_PLONK_NFIXED; j++) bn_kzg_commit(&vk->cm[j], srs, pk->coef[j], n);
    vk->g2[0] = srs->g2[0];
    vk->g2[1] = srs->g2[1];
    *vk_out = *vk;
    *pk_out = pk;
    return ZK_OK;
}

void bn_plonk_pk_free(bn_plonk_pk *pk) {
    if (!pk) return;
    bn_ntt_ctx_free(pk->ntt);
    for (int j = 0; j < BN_PLONK_NFIXED; j++) {
        free(pk->coef[j]);
        free(pk->coset[j]);
    }
    for (int s = 0; s < BN_PLONK_NSEL; s++) free(pk->sel[s]);
    free(pk->sigma);
    free(pk->lk);
    free(pk->pw);
    free(pk->xs);
    free(pk->l1);
    free(pk);
}

const bn_plonk_vk *bn_plonk_pk_vk(const bn_plonk_pk *pk) { return &pk->vk; }

/* ---------------------------------------------------------------- witness */

zk_err bn_plonk_check_witness(const bn_plonk_pk *pk, const bn_fr *a, const bn_fr *b, const bn_fr *c, const bn_fr *pub,
                              size_t n_pub) {
    size_t n = pk->vk.n;
    if (n_pub != pk->vk.n_pub) {
        zk_set_reason("plonk: %zu public inputs given, the circuit has %zu", n_pub, pk->vk.n_pub);
        return ZK_EINPUT;
    }
    for (size_t i = 0; i < n; i++) {
        bn_fr acc, t;
        bn_fr_mul(&acc, &pk->sel[BN_PLONK_QL][i], &a[i]);
        bn_fr_mul(&t, &pk->sel[BN_PLONK_QR][i], &b[i]);
        bn_fr_add(&acc, &acc, &t);
        bn_fr_mul(&t, &pk->sel[BN_PLONK_QO][i], &c[i]);
        bn_fr_add(&acc, &acc, &t);
        bn_fr_mul(&t, &a[i], &b[i]);
        bn_fr_mul(&t, &t, &pk->sel[BN_PLONK_QM][i]);
        bn_fr_add(&acc, &acc, &t);
        bn_fr_add(&acc, &acc, &pk->sel[BN_PLONK_QC][i]);
        /* q_A (c - c_next): the rotation wraps, omega^n = 1 */
        bn_fr_sub(&t, &c[i], &c[i + 1 < n ? i + 1 : 0]);
        bn_fr_mul(&t, &t, &pk->sel[BN_PLONK_QA][i]);
        bn_fr_add(&acc, &acc, &t);
        if (i < n_pub) bn_fr_sub(&acc, &acc, &pub[i]);
        if (!bn_fr_is_zero(&acc)) {
            zk_set_reason("plonk: the gate of row %zu is violated", i);
            return ZK_EINPUT;
        }
        /* q_B (a^2 - a) */
        bn_fr_sqr(&t, &a[i]);
        bn_fr_sub(&t, &t, &a[i]);
        bn_fr_mul(&t, &t, &pk->sel[BN_PLONK_QB][i]);
        if (!bn_fr_is_zero(&t)) {
            zk_set_reason("plonk: the boolean gate of row %zu is violated (a is not a bit)", i);
            return ZK_EINPUT;
        }
    }
    const bn_fr *w[3] = {a, b, c};
    for (size_t cell = 0; cell < 3 * n; cell++) {
        uint32_t d = pk->sigma[cell];
        if (!bn_fr_eq(&w[cell / n][cell % n], &w[d / n][d % n])) {
            zk_set_reason("plonk: copy constraint between cell %zu and cell %u is violated", cell, d);
            return ZK_EINPUT;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!pk->lk[i]) continue;
        uint64_t l[4];
        bn_fr_to_limbs(l, &a[i]);
        if (l[1] | l[2] | l[3] || l[0] >= PLONK_TABLE) {
            zk_set_reason("plonk: the range lookup of row %zu is violated (a is not in [0, 2^%d))", i,
                          BN_PLONK_LOOKUP_BITS);
            return ZK_EINPUT;
        }
    }
    return ZK_OK;
}

/* ---------------------------------------------------------------- prover */

/* o[i] = sum_j s[j] * p[j][i] over the j with i < len[j], for i < m, m the
 * largest len[j] (returned) */
static size_t plonk_lincomb(bn_fr *o, const bn_fr *const *p, const size_t *len, const bn_fr *s, size_t k) {
    size_t m = 0;
    for (size_t j = 0; j < k; j++) m = len[j] > m ? len[j] : m;
#pragma omp parallel for schedule(static) if (m >= 4096)
    for (size_t i = 0; i < m; i++) {
        bn_fr acc, t;
        bn_fr_zero(&acc);
        for (size_t j = 0; j < k; j++) {
            if (i >= len[j]) continue;
            bn_fr_mul(&t, &p[j][i], &s[j]);
            bn_fr_add(&acc, &acc, &t);
        }
        o[i] = acc;
    }
    return m;
}

/* A uniform element of F_r from OpenSSL's CSPRNG (RAND_bytes): 254 random
 * bits, drawn again while they are not below r (r > 0.75 * 2^254: 1.33
 * draws on average). A failing generator aborts: a proof must never be
 * blinded by predictable values. */
static void plonk_random_fr(bn_fr *o) {
    for (;;) {
        uint8_t b[32];
        ZK_CHECK(RAND_bytes(b, (int)sizeof b) == 1);
        uint64_t v[4];
        for (int i = 0; i < 4; i++) v[i] = zk_load_le64(b + 8 * i);
        v[3] &= ((uint64_t)1 << 62) - 1;
        if (bn_fr_from_limbs(o, v)) return;
    }
}

/* GWC19 Section 8.3 rounds 1-2: p(X) += B(X) Z_H(X) for a fresh random B of
 * k coefficients (a: B = b_1 X + b_2; z: B = b_7 X^2 + b_8 X + b_9) and
 * Z_H(X) = X^n - 1. p has n + k coefficients, the top k zero on entry
 * (p interpolates its column on H); coefficient j loses B_j and
 * coefficient n + j becomes B_j, so p is unchanged on H. k = 0: nothing. */
static void plonk_blind(bn_fr *p, size_t n, size_t k) {
    for (size_t j = 0; j < k; j++) {
        bn_fr bj;
        plonk_random_fr(&bj);
        bn_fr_sub(&p[j], &p[j], &bj);
        p[n + j] = bj;
    }
}

/* m_given: the multiplicity column on H, or NULL to count it from a;
 * cw_delta: NULL, or (a malicious prover) added to the claimed c(zeta omega) */
static zk_err plonk_prove(zk_buf *proof, const bn_plonk_pk *pk, const bn_plonk_opts *opts, const bn_fr *a,
                          const bn_fr *b, const bn_fr *c, const bn_fr *m_given, const bn_fr *cw_delta,
                          const bn_fr *pub, size_t n_pub) {
    size_t n = pk->vk.n, N = 4 * n;
    const int zk = !(opts && opts->no_zk);
    if (n_pub != pk->vk.n_pub) {
        zk_set_reason("plonk: %zu public inputs given, the circuit has %zu", n_pub, pk->vk.n_pub);
        return ZK_EINPUT;
    }
    if (zk && pk->vk.log_n < BN_PLONK_ZK_MIN_LOG) {
        zk_set_reason("plonk: a zero-knowledge proof needs n >= 2^%d rows (the blinded quotient must fit the 4n "
                      "coset); this table has n = %zu",
                      BN_PLONK_ZK_MIN_LOG, n);
        return ZK_EINPUT;
    }
    /* coefficients of the witness polynomials: n, plus the blinders in zk
     * mode (plonk.h); wl for a, b, c, ll for m, h_f, h_t, phi, zl for z */
    const size_t bz = zk ? PLONK_BL_AT_ZETA : 0, bzw = zk ? PLONK_BL_AT_ZETA_OMEGA : 0;
    const size_t wl[3] = {n + bz, n + bz, n + bzw}, ll[4] = {n + bz, n + bz, n + bz, n + bzw}, zl = n + bzw;
    const bn_kzg_srs *srs = pk->srs;
    tr_t *t = tr_new_prover(PLONK_PROTOCOL, proof);
    plonk_absorb_public(t, &pk->vk, pub, n_pub);

    /* Round 1: wire polynomials a, b, c (coefficients) and commitments. */
    const bn_fr *wv[3] = {a, b, c};
    bn_fr *w[3];
    bn_g1_aff cw[3];
    for (int j = 0; j < 3; j++) {
        w[j] = zk_aligned_n(n + PLONK_BL_MAX, sizeof(bn_fr));
        memcpy(w[j], wv[j], n * sizeof(bn_fr));
        memset(w[j] + n, 0, PLONK_BL_MAX * sizeof(bn_fr));
        bn_ntt_inverse(pk->ntt, w[j], n);
        plonk_blind(w[j], n, wl[j] - n);
        bn_kzg_commit(&cw[j], srs, w[j], wl[j]);
        plonk_put_g1(t, plonk_wire_labels[j], &cw[j]);
    }

    /* Round 1 (lookup): the multiplicity column m on H. A marked a outside
     * the table is not counted (its proof then fails). */
    bn_fr *mv = zk_aligned_n(n, sizeof(bn_fr));
    if (m_given) {
        memcpy(mv, m_given, n * sizeof(bn_fr));
    } else {
        uint32_t *cnt = zk_calloc(pk->tn, sizeof *cnt);
        for (size_t i = 0; i < n; i++) {
            if (!pk->lk[i]) continue;
            uint64_t l[4];
            bn_fr_to_limbs(l, &a[i]);
            if (!(l[1] | l[2] | l[3]) && l[0] < pk->tn) cnt[l[0]]++;
        }
        for (size_t j = 0; j < n; j++) bn_fr_from_u64(&mv[j], j < pk->tn ? cnt[j] : 0);
        free(cnt);
    }
    bn_fr *lc[4]; /* coefficients of m, h_f, h_t, phi */
    for (int j = 0; j < 4; j++) {
        lc[j] = zk_aligned_n(n + PLONK_BL_MAX, sizeof(bn_fr));
        memset(lc[j] + n, 0, PLONK_BL_MAX * sizeof(bn_fr));
    }
    memcpy(lc[0], mv, n * sizeof(bn_fr));
    bn_ntt_inverse(pk->ntt, lc[0], n);
    plonk_blind(lc[0], n, ll[0] - n);
    bn_g1_aff cl[4];
    bn_kzg_commit(&cl[0], srs, lc[0], ll[0]);
    plonk_put_g1(t, plonk_lookup_labels[0], &cl[0]);
    bn_fr theta;
    plonk_challenge(t, "theta", &theta);

    /* Round 1b: h_f = q_K / (theta - a), h_t = m / (theta - t), and the
     * running sum phi(omega^0) = 0, phi(omega^(i+1)) = phi(omega^i) + h_f - h_t. */
    {
        bn_fr *hf = lc[1], *ht = lc[2], *ph = lc[3];
        bn_fr *den = zk_aligned_n(2 * n, sizeof(bn_fr));
#pragma omp parallel for schedule(static) if (n >= 4096)
        for (size_t i = 0; i < n; i++) {
            bn_fr tv;
            if (pk->lk[i]) bn_fr_sub(&den[i], &theta, &a[i]);
            else bn_fr_zero(&den[i]); /* q_K = 0: h_f = 0 (zero inverts to zero) */
            bn_fr_from_u64(&tv, i < pk->tn ? i : 0);
            bn_fr_sub(&den[n + i], &theta, &tv);
        }
        bn_fr_batch_inv(den, den, 2 * n);
        memcpy(hf, den, n * sizeof(bn_fr));
#pragma omp parallel for schedule(static) if (n >= 4096)
        for (size_t i = 0; i < n; i++) bn_fr_mul(&ht[i], &den[n + i], &mv[i]);
        bn_fr_zero(&ph[0]);
        for (size_t i = 0; i + 1 < n; i++) {
            bn_fr_add(&ph[i + 1], &ph[i], &hf[i]);
            bn_fr_sub(&ph[i + 1], &ph[i + 1], &ht[i]);
        }
        free(den);
    }
    free(mv);
    for (int j = 1; j < 4; j++) {
        bn_ntt_inverse(pk->ntt, lc[j], n);
        plonk_blind(lc[j], n, ll[j] - n);
        bn_kzg_commit(&cl[j], srs, lc[j], ll[j]);
        plonk_put_g1(t, plonk_lookup_labels[j], &cl[j]);
    }

    bn_fr beta, gamma;
    plonk_challenge(t, "beta", &beta);
    plonk_challenge(t, "gamma", &gamma);

    /* Round 2: z(omega^0) = 1, z(omega^(i+1)) = z(omega^i) num_i / den_i. */
    bn_fr *z = zk_aligned_n(n + PLONK_BL_MAX, sizeof(bn_fr));
    memset(z + n, 0, PLONK_BL_MAX * sizeof(bn_fr));
    {
        bn_fr *num = zk_aligned_n(n, sizeof(bn_fr)), *den = zk_aligned_n(n, sizeof(bn_fr));
#pragma omp parallel for schedule(static) if (n >= 4096)
        for (size_t i = 0; i < n; i++) {
            bn_fr nu, de, x, y;
            bn_fr_one(&nu);
            bn_fr_one(&de);
            for (int j = 0; j < 3; j++) {
                bn_fr_mul(&x, &pk->k[j], &pk->pw[i]);
                bn_fr_mul(&x, &x, &beta);
                bn_fr_add(&x, &x, &wv[j][i]);
                bn_fr_add(&x, &x, &gamma);
                bn_fr_mul(&nu, &nu, &x);
                uint32_t d = pk->sigma[(size_t)j * n + i];
                bn_fr_mul(&y, &pk->k[d / n], &pk->pw[d % n]);
                bn_fr_mul(&y, &y, &beta);
                bn_fr_add(&y, &y, &wv[j][i]);
                bn_fr_add(&y, &y, &gamma);
                bn_fr_mul(&de, &de, &y);
            }
            num[i] = nu;
            den[i] = de;
        }
        bn_fr_batch_inv(den, den, n);
        bn_fr_one(&z[0]);
        for (size_t i = 0; i + 1 < n; i++) {
            bn_fr_mul(&z[i + 1], &z[i], &num[i]);
            bn_fr_mul(&z[i + 1], &z[i + 1], &den[i]);
        }
        free(num);
        free(den);
    }
    bn_ntt_inverse(pk->ntt, z, n);
    plonk_blind(z, n, zl - n);
    bn_g1_aff cz;
    bn_kzg_commit(&cz, srs, z, zl);
    plonk_put_g1(t, "[z]", &cz);
    bn_fr alpha, alpha2, alpha3, alpha7;
    plonk_challenge(t, "alpha", &alpha);
    bn_fr_sqr(&alpha2, &alpha);
    bn_fr_mul(&alpha3, &alpha2, &alpha);
    bn_fr_sqr(&alpha7, &alpha3);
    bn_fr_mul(&alpha7, &alpha7, &alpha);

    /* Round 3: the quotient on g H_4n. */
    bn_fr *e[9]; /* a, b, c, z, PI, m, h_f, h_t, phi on the coset */
    {
        const bn_fr *src[9] = {w[0], w[1], w[2], z, NULL, lc[0], lc[1], lc[2], lc[3]};
        const size_t len[9] = {wl[0], wl[1], wl[2], zl, n, ll[0], ll[1], ll[2], ll[3]};
        for (int j = 0; j < 9; j++) {
            e[j] = zk_aligned_n(N, sizeof(bn_fr));
            if (src[j]) memcpy(e[j], src[j], len[j] * sizeof(bn_fr));
            memset(e[j] + len[j], 0, (N - len[j]) * sizeof(bn_fr));
        }
    }
    memset(e[4], 0, n * sizeof(bn_fr));
    for (size_t i = 0; i < n_pub; i++) bn_fr_neg(&e[4][i], &pub[i]);
    bn_ntt_inverse(pk->ntt, e[4], n);
    for (int j = 0; j < 9; j++) bn_ntt_coset_forward(pk->ntt, e[j], N);
    bn_fr *tq = zk_aligned_n(N, sizeof(bn_fr));
    {
        bn_fr bk2, bk3;
        bn_fr_mul(&bk2, &beta, &pk->k[1]);
        bn_fr_mul(&bk3, &beta, &pk->k[2]);
        bn_fr *const *cs = pk->coset;
#pragma omp parallel for schedule(static) if (N >= 4096)
        for (size_t i = 0; i < N; i++) {
            bn_fr g, x, y, p1, p2, one;
            const bn_fr *A = &e[0][i], *B = &e[1][i], *C = &e[2][i], *Z = &e[3][i];
            const bn_fr *Zw = &e[3][(i + 4) & (N - 1)]; /* z(omega X): omega = w_4n^4 */
            const bn_fr *Cw = &e[2][(i + 4) & (N - 1)]; /* c(omega X) */
            /* gate */
            bn_fr_mul(&g, &cs[BN_PLONK_QL][i], A);
            bn_fr_mul(&x, &cs[BN_PLONK_QR][i], B);
            bn_fr_add(&g, &g, &x);
            bn_fr_mul(&x, &cs[BN_PLONK_QO][i], C);
            bn_fr_add(&g, &g, &x);
            bn_fr_mul(&x, A, B);
            bn_fr_mul(&x, &x, &cs[BN_PLONK_QM][i]);
            bn_fr_add(&g, &g, &x);
            bn_fr_add(&g, &g, &cs[BN_PLONK_QC][i]);
            bn_fr_sub(&x, C, Cw); /* the custom gate: q_A (c(X) - c(omega X)) */
            bn_fr_mul(&x, &x, &cs[BN_PLONK_QA][i]);
            bn_fr_add(&g, &g, &x);
            bn_fr_add(&g, &g, &e[4][i]);
            /* permutation */
            const bn_fr *X = &pk->xs[i];
            bn_fr_mul(&x, &beta, X);
            bn_fr_add(&x, &x, A);
            bn_fr_add(&p1, &x, &gamma);
            bn_fr_mul(&x, &bk2, X);
            bn_fr_add(&x, &x, B);
            bn_fr_add(&x, &x, &gamma);
            bn_fr_mul(&p1, &p1, &x);
            bn_fr_mul(&x, &bk3, X);
            bn_fr_add(&x, &x, C);
            bn_fr_add(&x, &x, &gamma);
            bn_fr_mul(&p1, &p1, &x);
            bn_fr_mul(&p1, &p1, Z);
            bn_fr_mul(&x, &beta, &cs[BN_PLONK_S1][i]);
            bn_fr_add(&x, &x, A);
            bn_fr_add(&p2, &x, &gamma);
            bn_fr_mul(&x, &beta, &cs[BN_PLONK_S2][i]);
            bn_fr_add(&x, &x, B);
            bn_fr_add(&x, &x, &gamma);
            bn_fr_mul(&p2, &p2, &x);
            bn_fr_mul(&x, &beta, &cs[BN_PLONK_S3][i]);
            bn_fr_add(&x, &x, C);
            bn_fr_add(&x, &x, &gamma);
            bn_fr_mul(&p2, &p2, &x);
            bn_fr_mul(&p2, &p2, Zw);
            bn_fr_sub(&p1, &p1, &p2);
            bn_fr_mul(&p1, &p1, &alpha);
            bn_fr_add(&g, &g, &p1);
            /* L_1 (z - 1) */
            bn_fr_one(&one);
            bn_fr_sub(&y, Z, &one);
            bn_fr_mul(&y, &y, &pk->l1[i]);
            bn_fr_mul(&y, &y, &alpha2);
            bn_fr_add(&g, &g, &y);
            /* lookup: alpha^3 ((3) + alpha ((4) + alpha ((5) + alpha (6)))) */
            {
                const bn_fr *M = &e[5][i], *HF = &e[6][i], *HT = &e[7][i], *PH = &e[8][i];
                const bn_fr *PHw = &e[8][(i + 4) & (N - 1)];
                bn_fr acc;
                bn_fr_mul(&acc, &pk->l1[i], PH); /* (6) */
                bn_fr_mul(&acc, &acc, &alpha);
                bn_fr_add(&acc, &acc, PHw); /* (5) */
                bn_fr_sub(&acc, &acc, PH);
                bn_fr_sub(&acc, &acc, HF);
                bn_fr_add(&acc, &acc, HT);
                bn_fr_mul(&acc, &acc, &alpha);
                bn_fr_sub(&x, &theta, &cs[BN_PLONK_TAB][i]); /* (4) */
                bn_fr_mul(&x, &x, HT);
                bn_fr_sub(&x, &x, M);
                bn_fr_add(&acc, &acc, &x);
                bn_fr_mul(&acc, &acc, &alpha);
                bn_fr_sub(&x, &theta, A); /* (3) */
                bn_fr_mul(&x, &x, HF);
                bn_fr_sub(&x, &x, &cs[BN_PLONK_QK][i]);
                bn_fr_add(&acc, &acc, &x);
                bn_fr_mul(&acc, &acc, &alpha3);
                bn_fr_add(&g, &g, &acc);
            }
            /* boolean: alpha^7 q_B (a^2 - a) */
            bn_fr_sqr(&x, A);
            bn_fr_sub(&x, &x, A);
            bn_fr_mul(&x, &x, &cs[BN_PLONK_QB][i]);
            bn_fr_mul(&x, &x, &alpha7);
            bn_fr_add(&g, &g, &x);
            bn_fr_mul(&tq[i], &g, &pk->zhinv[i & 3]);
        }
    }
    bn_ntt_coset_inverse(pk->ntt, tq, N);
    /* Without zk, deg t < 3n for a valid witness and tp[j] = tq + j n with
     * n coefficients each. In zk mode deg t <= 3n + 6 (plonk.h) and round 3
     * of GWC19 Section 8.3 blinds the split t = t'_lo + X^n t'_mid
     * + X^2n t'_hi: t_lo = t'_lo + b_10 X^n, t_mid = t'_mid - b_10
     * + b_11 X^n, t_hi = t'_hi - b_11 (n + 1, n + 1 and n + 7
     * coefficients). The coefficients past the last piece are dropped (for
     * an invalid witness they are not zero and the proof fails). */
    const bn_fr *tp[3];
    size_t tl[3];
    bn_fr *tblind = NULL; /* t_lo, t_mid in zk mode */
    if (!zk) {
        for (int j = 0; j < 3; j++) tp[j] = tq + (size_t)j * n, tl[j] = n;
    } else {
        bn_fr b10, b11;
        plonk_random_fr(&b10);
        plonk_random_fr(&b11);
        tblind = zk_aligned_n(2 * (n + 1), sizeof(bn_fr));
        bn_fr *lo = tblind, *mid = tblind + n + 1, *hi = tq + 2 * n;
        memcpy(lo, tq, n * sizeof(bn_fr));
        lo[n] = b10;
        memcpy(mid, tq + n, n * sizeof(bn_fr));
        bn_fr_sub(&mid[0], &mid[0], &b10);
        mid[n] = b11;
        bn_fr_sub(&hi[0], &hi[0], &b11);
        tp[0] = lo, tp[1] = mid, tp[2] = hi;
        tl[0] = tl[1] = n + 1;
        tl[2] = n + BN_PLONK_SRS_EXTRA;
    }
    bn_g1_aff ct[3];
    for (int j = 0; j < 3; j++) {
        bn_kzg_commit(&ct[j], srs, tp[j], tl[j]);
        plonk_put_g1(t, plonk_quot_labels[j], &ct[j]);
    }
    bn_fr zeta, zw;
    plonk_challenge(t, "zeta", &zeta);
    bn_fr_mul(&zw, &zeta, &pk->omega);

    /* Round 4: evaluations. */
    bn_fr ev[PLONK_NEVALS]; /* a, b, c, S1, S2, t at zeta; z, phi, c at zeta omega */
    for (int j = 0; j < 3; j++) bn_kzg_eval(&ev[j], w[j], wl[j], &zeta);
    bn_kzg_eval(&ev[3], pk->coef[BN_PLONK_S1], n, &zeta);
    bn_kzg_eval(&ev[4], pk->coef[BN_PLONK_S2], n, &zeta);
    bn_kzg_eval(&ev[5], pk->coef[BN_PLONK_TAB], n, &zeta);
    bn_kzg_eval(&ev[6], z, zl, &zw);
    bn_kzg_eval(&ev[7], lc[3], ll[3], &zw);
    bn_kzg_eval(&ev[8], w[2], wl[2], &zw);
    if (cw_delta) bn_fr_add(&ev[8], &ev[8], cw_delta);
    plonk_put_fr(t, "evaluations", ev, PLONK_NEVALS);
    bn_fr v;
    plonk_challenge(t, "v", &v);

    /* Round 5: the linearisation r(X) plus v-powers of a, b, c, S1, S2, t
     * opened at zeta; z + v phi + v^2 c opened at zeta omega. */
    {
        /* PLONK_NLIN polynomials in plonk_lin_scalars's order, with their
         * lengths (n for the fixed ones) */
        const bn_fr *polys[PLONK_NLIN] = {pk->coef[BN_PLONK_QM], pk->coef[BN_PLONK_QL], pk->coef[BN_PLONK_QR],
                                  pk->coef[BN_PLONK_QO], pk->coef[BN_PLONK_QC], z,
                                  pk->coef[BN_PLONK_S3], tp[0], tp[1],
                                  tp[2], w[0], w[1],
                                  w[2], pk->coef[BN_PLONK_S1], pk->coef[BN_PLONK_S2],
                                  pk->coef[BN_PLONK_QK], lc[1], lc[0],
                                  lc[2], lc[3], pk->coef[BN_PLONK_TAB],
                                  pk->coef[BN_PLONK_QA], pk->coef[BN_PLONK_QB]};
        const size_t lens[PLONK_NLIN] = {n, n, n, n, n, zl, n, tl[0], tl[1], tl[2], wl[0], wl[1],
                                         wl[2], n, n, n, ll[1], ll[0], ll[2], ll[3], n, n, n};
        bn_fr sc[PLONK_NLIN];
        plonk_lin_aux aux;
        plonk_lin_scalars(sc, &aux, n, pk->k, &theta, &beta, &gamma, &alpha, &zeta, &v, ev);
        bn_fr *P = zk_aligned_n(n + BN_PLONK_SRS_EXTRA, sizeof(bn_fr));
        size_t pl = plonk_lincomb(P, polys, lens, sc, PLONK_NLIN);
        bn_g1_aff W[2];
        bn_fr val;
        bn_kzg_open(&W[0], &val, srs, P, pl, &zeta);
        /* z + v phi + v^2 c at zeta omega */
        const bn_fr *pw2[3] = {z, lc[3], w[2]};
        const size_t l2[3] = {zl, ll[3], wl[2]};
        bn_fr s2[3];
        bn_fr_one(&s2[0]);
        s2[1] = v;
        bn_fr_sqr(&s2[2], &v);
        pl = plonk_lincomb(P, pw2, l2, s2, 3);
        bn_kzg_open(&W[1], &val, srs, P, pl, &zw);
        plonk_put_g1(t, "[W_zeta]", &W[0]);
        plonk_put_g1(t, "[W_zeta_omega]", &W[1]);
        free(P);
    }

    for (int j = 0; j < 3; j++) free(w[j]);
    for (int j = 0; j < 4; j++) free(lc[j]);
    for (int j = 0; j < 9; j++) free(e[j]);
    free(z);
    free(tq);
    free(tblind);
    tr_free(t);
    return ZK_OK;
}

zk_err bn_plonk_prove(zk_buf *proof, const bn_plonk_pk *pk, const bn_plonk_opts *opts, const bn_fr *a,
                      const bn_fr *b, const bn_fr *c, const bn_fr *pub, size_t n_pub) {
    return plonk_prove(proof, pk, opts, a, b, c, NULL, NULL, pub, n_pub);
}

zk_err bn_plonk_prove_with_mult(zk_buf *proof, const bn_plonk_pk *pk, const bn_plonk_opts *opts, const bn_fr *a,
                                const bn_fr *b, const bn_fr *c, const bn_fr *m, const bn_fr *pub, size_t n_pub) {
    return plonk_prove(proof, pk, opts, a, b, c, m, NULL, pub, n_pub);
}

zk_err bn_plonk_prove_with_cw_delta(zk_buf *proof, const bn_plonk_pk *pk, const bn_plonk_opts *opts, const bn_fr *a,
                                    const bn_fr *b, const bn_fr *c, const bn_fr *cw_delta, const bn_fr *pub,
                                    size_t n_pub) {
    return plonk_prove(proof, pk, opts, a, b, c, NULL, cw_delta, pub, n_pub);
}

/* ---------------------------------------------------------------- verifier */

zk_err bn_plonk_verify(const bn_plonk_vk *vk, const bn_fr *pub, size_t n_pub, const uint8_t *proof, size_t len) {
    if (n_pub != vk->n_pub) {
        zk_set_reason("plonk: %zu public inputs given, the circuit has %zu", n_pub, vk->n_pub);
        return ZK_EINPUT;
    }
    if (len != BN_PLONK_PROOF_BYTES) {
        zk_set_reason("plonk proof: %zu bytes, expected %d", len, BN_PLONK_PROOF_BYTES);
        return ZK_EFORMAT;
    }
    size_t n = vk->n;
    tr_t *t = tr_new_verifier(PLONK_PROTOCOL, proof, len);
    plonk_absorb_public(t, vk, pub, n_pub);
    zk_err err = ZK_OK;
    bn_g1_aff cw[3], cl[4], cz, ct[3], W[2];
    bn_fr theta, beta, gamma, alpha, zeta, v, u, ev[PLONK_NEVALS];
    for (int j = 0; j < 3 && !err; j++) err = plonk_get_g1(t, plonk_wire_labels[j], &cw[j]);
    if (err || (err = plonk_get_g1(t, plonk_lookup_labels[0], &cl[0]))) goto out;
    plonk_challenge(t, "theta", &theta);
    for (int j = 1; j < 4 && !err; j++) err = plonk_get_g1(t, plonk_lookup_labels[j], &cl[j]);
    if (err) goto out;
    plonk_challenge(t, "beta", &beta);
    plonk_challenge(t, "gamma", &gamma);
    if ((err = plonk_get_g1(t, "[z]", &cz))) goto out;
    plonk_challenge(t, "alpha", &alpha);
    for (int j = 0; j < 3 && !err; j++) err = plonk_get_g1(t, plonk_quot_labels[j], &ct[j]);
    if (err) goto out;
    plonk_challenge(t, "zeta", &zeta);
    if ((err = plonk_get_fr(t, "evaluations", ev, PLONK_NEVALS))) goto out;
    plonk_challenge(t, "v", &v);
    if ((err = plonk_get_g1(t, "[W_zeta]", &W[0])) || (err = plonk_get_g1(t, "[W_zeta_omega]", &W[1]))) goto out;
    plonk_challenge(t, "u", &u);
    if (tr_finish(t) != ZK_OK) {
        zk_set_reason("plonk proof has trailing bytes");
        err = ZK_EFORMAT;
        goto out;
    }

    {
        bn_fr omega, x, y, pi, zw, nf;
        bn_fr k[3], sc[PLONK_NLIN + 3];
        plonk_lin_aux aux;
        plonk_ks(k);
        bn_fr_root_of_unity(&omega, vk->log_n);
        bn_fr_mul(&zw, &zeta, &omega);
        /* Z_H(zeta), L_1(zeta) and the scalars of [D]_1 and [F]_1 shared with the prover */
        plonk_lin_scalars(sc, &aux, n, k, &theta, &beta, &gamma, &alpha, &zeta, &v, ev);
        if (bn_fr_is_zero(&aux.zhz)) { /* zeta in H: probability n/r */
            zk_set_reason("plonk: the challenge zeta fell in H");
            err = ZK_EPROOF;
            goto out;
        }
        /* L_i(zeta) = omega^i (zeta^n - 1) / (n (zeta - omega^i)); PI(zeta) = -sum x_i L_i(zeta) */
        bn_fr_from_u64(&nf, n);
        size_t m = n_pub > 0 ? n_pub : 1;
        bn_fr *d = zk_malloc_n(m, sizeof *d), *wi = zk_malloc_n(m, sizeof *wi);
        bn_fr_one(&wi[0]);
        for (size_t i = 0; i < n_pub; i++) {
            if (i) bn_fr_mul(&wi[i], &wi[i - 1], &omega);
            bn_fr_sub(&d[i], &zeta, &wi[i]);
            bn_fr_mul(&d[i], &d[i], &nf);
        }
        bn_fr_batch_inv(d, d, n_pub);
        bn_fr_zero(&pi);
        for (size_t i = 0; i < n_pub; i++) {
            bn_fr_mul(&x, &wi[i], &d[i]);
            bn_fr_mul(&x, &x, &pub[i]);
            bn_fr_sub(&pi, &pi, &x);
        }
        bn_fr_mul(&pi, &pi, &aux.zhz);
        free(d);
        free(wi);

        /* r0 = PI(zeta) - L_1(zeta) alpha^2 - alpha (a+b S1+g)(b+b S2+g)(c+g) z_omega */
        bn_fr r0;
        bn_fr_add(&x, &ev[2], &gamma);
        bn_fr_mul(&x, &x, &aux.pab);
        bn_fr_mul(&x, &x, &ev[6]);
        bn_fr_mul(&x, &x, &alpha);
        bn_fr_mul(&y, &aux.l1z, &aux.alpha2);
        bn_fr_sub(&r0, &pi, &y);
        bn_fr_sub(&r0, &r0, &x);
        /* + alpha^5 phi(zeta omega) (lookup identity (5)) */
        bn_fr_mul(&x, &aux.alpha5, &ev[7]);
        bn_fr_add(&r0, &r0, &x);

        /* scalars of the MSM: ([qM],[qL],[qR],[qO],[qC],[z],[S3],[t_lo],[t_mid],[t_hi],
         *   [a],[b],[c],[S1],[S2],[q_K],[h_f],[m],[h_t],[phi],[t],[q_A],[q_B],
         *   [W_zeta],[W_zeta_omega],G) giving
         *   L = zeta W_zeta + u zeta omega W_zeta_omega + F - [E]_1 */
        enum { NPTS = PLONK_NLIN + 3, IW = PLONK_NLIN, IG = PLONK_NLIN + 2 };
        bn_g1_aff pts[NPTS];
        pts[0] = vk->cm[BN_PLONK_QM];
        pts[1] = vk->cm[BN_PLONK_QL];
        pts[2] = vk->cm[BN_PLONK_QR];
        pts[3] = vk->cm[BN_PLONK_QO];
        pts[4] = vk->cm[BN_PLONK_QC];
        pts[5] = cz;
        pts[6] = vk->cm[BN_PLONK_S3];
        pts[7] = ct[0];
        pts[8] = ct[1];
        pts[9] = ct[2];
        pts[10] = cw[0];
        pts[11] = cw[1];
        pts[12] = cw[2];
        pts[13] = vk->cm[BN_PLONK_S1];
        pts[14] = vk->cm[BN_PLONK_S2];
        pts[15] = vk->cm[BN_PLONK_QK];
        pts[16] = cl[1];
        pts[17] = cl[0];
        pts[18] = cl[2];
        pts[19] = cl[3];
        pts[20] = vk->cm[BN_PLONK_TAB];
        pts[21] = vk->cm[BN_PLONK_QA];
        pts[22] = vk->cm[BN_PLONK_QB];
        pts[IW] = W[0];
        pts[IW + 1] = W[1];
        {
            bn_g1 g;
            bn_g1_generator(&g);
            bn_g1_to_aff(&pts[IG], &g);
        }
        /* E = -r0 + v a + v^2 b + v^3 c + v^4 S1 + v^5 S2 + v^6 t
         *     + u (z_omega + v phi_omega + v^2 c_omega); scalar -E */
        bn_fr E, uv, uv2;
        bn_fr_mul(&uv, &u, &v);
        bn_fr_mul(&uv2, &uv, &v);
        bn_fr_neg(&E, &r0);
        for (int j = 0; j < 5; j++) {
            bn_fr_mul(&x, &sc[10 + j], &ev[j]);
            bn_fr_add(&E, &E, &x);
        }
        bn_fr_mul(&x, &sc[20], &ev[5]);
        bn_fr_add(&E, &E, &x);
        bn_fr_mul(&x, &u, &ev[6]);
        bn_fr_add(&E, &E, &x);
        bn_fr_mul(&x, &uv, &ev[7]);
        bn_fr_add(&E, &E, &x);
        bn_fr_mul(&x, &uv2, &ev[8]);
        bn_fr_add(&E, &E, &x);
        bn_fr_neg(&sc[IG], &E);
        /* the opening at zeta omega: u for z, u v for phi, u v^2 for c (after
         * E, which reads c's scalar at zeta, v^3) */
        bn_fr_add(&sc[5], &sc[5], &u);
        bn_fr_add(&sc[19], &sc[19], &uv);
        bn_fr_add(&sc[12], &sc[12], &uv2);
        sc[IW] = zeta;
        bn_fr_mul(&sc[IW + 1], &u, &zw);
        bn_g1 L, R, tmp;
        bn_g1_msm(&L, pts, sc, NPTS);
        bn_g1_neg(&L, &L);
        /* R = W_zeta + u W_zeta_omega */
        bn_g1_from_aff(&R, &W[1]);
        bn_g1_mul(&R, &R, &u);
        bn_g1_from_aff(&tmp, &W[0]);
        bn_g1_add(&R, &R, &tmp);
        /* e(-L, [1]_2) e(R, [tau]_2) == 1 */
        bn_g1_aff P[2];
        bn_g1_to_aff(&P[0], &L);
        bn_g1_to_aff(&P[1], &R);
        if (!bn_pairing_check(P, vk->g2, 2)) {
            zk_set_reason("plonk: the pairing check failed");
            err = ZK_EPROOF;
        }
    }
out:
    tr_free(t);
    return err;
}
