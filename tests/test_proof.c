/* Proof container and circuit-input file: round trips and strict decoding. */
#include <string.h>

#include "../src/io/cinput.h"
#include "../src/proof/proof.h"
#include "test.h"

static void test_container(zk_rng *rng) {
    uint8_t body[100];
    for (size_t i = 0; i < sizeof body; i++) body[i] = (uint8_t)zk_rng_u64(rng);
    zk_buf f;
    zk_buf_init(&f);
    proof_wrap(&f, PROOF_KIND_CIRCUIT, body, sizeof body);
    TEST_CHECK(f.len == PROOF_HEADER_BYTES + sizeof body);
    const uint8_t *b;
    size_t n;
    TEST_REQUIRE(proof_unwrap(&b, &n, f.data, f.len, PROOF_KIND_CIRCUIT) == ZK_OK);
    TEST_CHECK(n == sizeof body && memcmp(b, body, n) == 0);
    /* wrong kind, every truncation, a trailing byte, each header byte changed */
    TEST_CHECK(proof_unwrap(&b, &n, f.data, f.len, PROOF_KIND_CNN) == ZK_EFORMAT);
    TEST_CHECK(proof_unwrap(&b, &n, f.data, f.len, PROOF_KIND_CNN + 1) == ZK_EFORMAT);
    {
        zk_buf g;
        zk_buf_init(&g);
        proof_wrap(&g, PROOF_KIND_CNN, body, sizeof body);
        TEST_CHECK(proof_unwrap(&b, &n, g.data, g.len, PROOF_KIND_CNN) == ZK_OK && n == sizeof body &&
                   memcmp(b, body, n) == 0);
        TEST_CHECK(proof_unwrap(&b, &n, g.data, g.len, PROOF_KIND_CIRCUIT) == ZK_EFORMAT);
        zk_buf_free(&g);
    }
    long ok = 0;
    for (size_t len = 0; len < f.len; len++) ok += proof_unwrap(&b, &n, f.data, len, PROOF_KIND_CIRCUIT) == ZK_OK;
    TEST_CHECK(ok == 0);
    zk_buf_put(&f, "x", 1);
    TEST_CHECK(proof_unwrap(&b, &n, f.data, f.len, PROOF_KIND_CIRCUIT) == ZK_EFORMAT);
    f.len--;
    for (size_t i = 0; i < PROOF_HEADER_BYTES; i++) {
        f.data[i] ^= 0x40;
        TEST_CHECK(proof_unwrap(&b, &n, f.data, f.len, PROOF_KIND_CIRCUIT) == ZK_EFORMAT);
        f.data[i] ^= 0x40;
    }
    zk_buf_free(&f);
}

static void test_cinput(zk_rng *rng) {
    gkr_circuit *c = gkr_circuit_random(rng, 3, 2);
    fm61 *vals[4] = {NULL, NULL, NULL, NULL};
    for (size_t l = 0; l < 2; l++) {
        vals[l] = zk_malloc_n(8, sizeof *vals[l]);
        for (size_t i = 0; i < 8; i++) vals[l][i] = fm61_reduce64(zk_rng_u64(rng));
    }
    for (int pub = 0; pub < 2; pub++) {
        zk_buf b;
        zk_buf_init(&b);
        cinput_serialize(&b, c, (const fm61 *const *)vals, pub);
        fm61 **got = NULL;
        TEST_REQUIRE(cinput_deserialize(&got, c, b.data, b.len, pub) == ZK_OK);
        TEST_CHECK(pub || memcmp(got[0], vals[0], 8 * sizeof(fm61)) == 0);
        TEST_CHECK(pub == (got[0] == NULL));
        TEST_CHECK(memcmp(got[1], vals[1], 8 * sizeof(fm61)) == 0);
        cinput_free(got, c->nlayers);
        /* a full file is not a public file and vice versa */
        got = NULL;
        TEST_CHECK(cinput_deserialize(&got, c, b.data, b.len, !pub) == ZK_EFORMAT);
        long ok = 0;
        for (size_t len = 0; len < b.len; len++) {
            got = NULL;
            if (cinput_deserialize(&got, c, b.data, len, pub) == ZK_OK) ok++, cinput_free(got, c->nlayers);
        }
        TEST_CHECK(ok == 0);
        /* a non-canonical value (p itself) in the last position */
        zk_store_le64(b.data + b.len - 8, FM61_P);
        got = NULL;
        TEST_CHECK(cinput_deserialize(&got, c, b.data, b.len, pub) == ZK_EFORMAT);
        zk_store_le64(b.data + b.len - 8, 0);
        TEST_REQUIRE(cinput_deserialize(&got, c, b.data, b.len, pub) == ZK_OK);
        cinput_free(got, c->nlayers);
        /* layout: magic 0, count 8, first record at 12: u32 layer, u64 n,
         * values. Each change below keeps the byte count consistent where
         * it can, so only the field's own check can refuse it. */
        zk_buf x;
        zk_buf_init(&x);
        for (int k = 0; k < 7; k++) {
            x.len = 0;
            zk_buf_put(&x, b.data, b.len);
            switch (k) {
            case 0: x.data[0] ^= 1; break;                                  /* magic */
            case 1: zk_store_le64(x.data + 12 + 4, 9); break;              /* n = 9, not 8 */
            case 2: zk_store_le64(x.data + 12 + 4, 7); break;              /* n = 7 */
            case 3: x.data[12] = pub ? 0 : 1; break;                        /* another layer number */
            case 4: x.data[12] = 200; break;                                /* no such layer */
            case 5: zk_buf_put(&x, "", 1); break;                           /* trailing byte */
            case 6: x.data[8] = (uint8_t)(x.data[8] - 1), x.len -= 12 + 64; /* one record fewer */
                    if (!pub) memmove(x.data + 12, x.data + 12 + 12 + 64, 12 + 64);
                    break;
            }
            got = NULL;
            zk_err e = cinput_deserialize(&got, c, x.data, x.len, pub);
            TEST_CHECK(e == ZK_EFORMAT && got == NULL);
            if (e != ZK_EFORMAT) fprintf(stderr, "  input file change %d (public %d) accepted\n", k, pub);
            if (e == ZK_OK) cinput_free(got, c->nlayers);
        }
        zk_buf_free(&x);
        zk_buf_free(&b);
    }
    free(vals[0]);
    free(vals[1]);
    gkr_circuit_free(c);
}

void test_proof(zk_rng *rng) {
    test_container(rng);
    test_cinput(rng);
}
