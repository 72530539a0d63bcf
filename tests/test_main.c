/* One driver for every module's tests (secp256k1 style). */
#include <string.h>
#include <time.h>

#include "test.h"

long test_passed, test_failed;
const char *test_current = "";

/* Each module's test entry point. Add new modules here. */
void test_fields(zk_rng *rng);
void test_transcript(zk_rng *rng);
void test_mle(zk_rng *rng);
void test_sumcheck(zk_rng *rng);
void test_zsc(zk_rng *rng);
void test_zlayer(zk_rng *rng);
void test_pcs(zk_rng *rng);
void test_pcsz(zk_rng *rng);
void test_zkrev(zk_rng *rng);
void test_gkr(zk_rng *rng);
void test_proof(zk_rng *rng);
void test_onnx(zk_rng *rng);
void test_quant(zk_rng *rng);
void test_inputs(zk_rng *rng);
void test_conformance(zk_rng *rng);
void test_cnn(zk_rng *rng);
void test_wrange(zk_rng *rng);
void test_bn254(zk_rng *rng);
void test_g1(zk_rng *rng);
void test_pairing(zk_rng *rng);
void test_kzg(zk_rng *rng);
void test_plonk(zk_rng *rng);
void test_arith(zk_rng *rng);
void test_cheat(zk_rng *rng);
void test_class(zk_rng *rng);

static const struct {
    const char *name;
    void (*fn)(zk_rng *);
} tests[] = {
    {"fields", test_fields},       {"transcript", test_transcript}, {"mle", test_mle},
    {"sumcheck", test_sumcheck},   {"zsc", test_zsc},               {"pcs", test_pcs},               {"pcsz", test_pcsz},
    {"zlayer", test_zlayer},
    {"zkrev", test_zkrev},
    {"gkr", test_gkr},
    {"proof", test_proof},         {"onnx", test_onnx},             {"quant", test_quant},
    {"inputs", test_inputs},       {"conformance", test_conformance}, {"cnn", test_cnn},
    {"wrange", test_wrange},
    {"bn254", test_bn254},         {"g1", test_g1},                 {"pairing", test_pairing},
    {"kzg", test_kzg},             {"plonk", test_plonk},           {"arith", test_arith},           {"cheat", test_cheat},           {"class", test_class},
};

int main(int argc, char **argv) {
    uint64_t seed = (uint64_t)time(NULL);
    const char *env = getenv("GKRCNN_TEST_SEED");
    if (env && *env) seed = strtoull(env, NULL, 0);
    printf("test seed: %llu (replay with GKRCNN_TEST_SEED=%llu)\n", (unsigned long long)seed,
           (unsigned long long)seed);
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (argc > 1) { /* optional filter: run only the named modules */
            int want = 0;
            for (int a = 1; a < argc; a++) want |= strcmp(argv[a], tests[i].name) == 0;
            if (!want) continue;
        }
        zk_rng rng;
        zk_rng_seed(&rng, seed ^ (0x9e37 * (i + 1)));
        long f0 = test_failed, p0 = test_passed;
        test_current = tests[i].name;
        clock_t t0 = clock();
        tests[i].fn(&rng);
        printf("%-12s %6ld checks, %ld failed (%.1fs cpu)\n", tests[i].name, test_passed - p0 + test_failed - f0,
               test_failed - f0, (double)(clock() - t0) / CLOCKS_PER_SEC);
    }
    printf("%ld passed, %ld failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}
