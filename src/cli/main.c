/* gkrcnn -- command-line front end.
 *
 * Exit status (a contract): 0 success / valid proof, 1 invalid proof,
 * 2 usage or file error. Every failure prints one line on stderr.
 */
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <math.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../gkr/gkr.h"
#include "../layers/cnn.h"
#include "../io/cinput.h"
#include "../io/inputs.h"
#include "../onnx/onnx.h"
#include "../proof/proof.h"
#include "../quant/quant.h"

#define EXIT_INVALID 1
#define EXIT_USAGE 2

static const char *usage_text =
    "usage: gkrcnn [--threads N] COMMAND [options]\n"
    "\n"
    "Models:\n"
    "  setup  --model M.onnx --out DIR [--calib CAL] [--act-bits B] [--weight-bits B]\n"
    "         [--output-visibility public|class|private] [--input-visibility public|private]\n"
    "         [--zk on|off | --no-zk] [--zk-budget N]\n"
    "         import and quantize the model (scales calibrated on CAL), commit to its\n"
    "         weights; writes DIR/model.pk (proving key), DIR/model.vk (verifying key)\n"
    "         and the setup report DIR/settings.json. With class, a proof's statement\n"
    "         holds the output's argmax (ties to the lowest index) instead of the\n"
    "         outputs. Zero-knowledge mode (the default; --zk off or --no-zk for the\n"
    "         plain proofs): every sumcheck round and evaluation masked, the tables\n"
    "         committed hiding (protocol.md sec. 9.5, 9.8); the weights are committed\n"
    "         hiding for N openings (--zk-budget, 1..64, default 8: the weight-range\n"
    "         certificate's and N - 1 proofs; prove counts them in the proving key).\n"
    "         --input-visibility private, --output-visibility private (zk mode):\n"
    "         a proof's statement holds a hiding commitment to the input, the output,\n"
    "         instead of it (sec. 9.6, 9.7)\n"
    "  infer  --pk DIR/model.pk --input IN [--out OUT.json]\n"
    "         quantized inference, no proof; prints the dequantized outputs\n"
    "  prove  --pk DIR/model.pk --input IN --proof PROOF [--out OUT.json]\n"
    "         [--input-opening OPEN] [--output-opening OPEN]\n"
    "         proves the quantized inference on one input sample; writes PROOF and\n"
    "         prints the prediction, the prover's time per phase and the proof size\n"
    "         (repeat --input, --proof [and --out] to prove several inputs with one\n"
    "         commitment to the weights; nothing is written unless all succeed);\n"
    "         with a private input (output), --input-opening (--output-opening)\n"
    "         writes the commitment's opening (mode 0600: with the proof it gives\n"
    "         the committed values away; keep it as secret as they are); OUT.json\n"
    "         is the prover's own record of the outputs, also a private or\n"
    "         class-only output (the statement is what verify prints)\n"
    "  verify --vk DIR/model.vk --proof PROOF [--input IN [--input-opening OPEN]]\n"
    "         [--output-opening OPEN] [--out OUT.json]\n"
    "         checks PROOF and prints the outputs it attests; with --input, also\n"
    "         checks that the proof is for that input (a private input: with the\n"
    "         opening prove wrote); a private output is shown only with its opening\n"
    "         (repeat --proof [--input]\n"
    "         [--out] to check several proofs with one key)\n"
    "  IN and CAL: FILE.json (EZKL input_data), FILE.pb (TensorProto),\n"
    "  FILE.h5:/dataset[i:j] (HDF5); OUT.json: {\"output_data\": [[...]]}\n"
    "\n"
    "Generic layered circuits (the GKR prover of src/gkr; the CNN prover above is a separate\n"
    "protocol that shares its field, transcript, sumcheck and commitment):\n"
    "  circuit-gen    --width W --depth D [--seed S] --circuit C --input IN --public PUB\n"
    "                 random circuit with 2^W gates per layer, D gate layers, one committed\n"
    "                 and one public input layer; writes the circuit and its inputs\n"
    "  circuit-prove  --circuit C --input IN --proof P\n"
    "  circuit-verify --circuit C --public PUB --proof P\n"
    "\n"
    "Exit status: 0 success or valid proof, 1 invalid proof, 2 usage or file error.\n"
    "Threads: --threads N or GKRCNN_THREADS (default: all cores); proofs do not depend on it.\n";

static int die(int code, const char *fmt, const char *detail) {
    fprintf(stderr, "gkrcnn: ");
    fprintf(stderr, fmt, detail);
    fprintf(stderr, "\n");
    return code;
}

/* die with a message of several arguments. */
static int dief(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int dief(int code, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return die(code, "%s", msg);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* --name value options; returns NULL if absent. */
typedef struct {
    int argc;
    char **argv;
} args_t;

static const char *opt(const args_t *a, const char *name) {
    for (int i = 0; i + 1 < a->argc; i += 2)
        if (strcmp(a->argv[i], name) == 0) return a->argv[i + 1];
    return NULL;
}

static int in_list(const char *s, const char *const *list) {
    for (; list && *list; list++)
        if (strcmp(s, *list) == 0) return 1;
    return 0;
}

/* Every argument must be a known --option followed by a value, and only
 * the options in repeatable (NULL: none) may be given more than once. */
static int check_opts_rep(const args_t *a, const char *const *known, const char *const *repeatable) {
    if (a->argc % 2 != 0) return die(EXIT_USAGE, "option %s needs a value (see gkrcnn --help)", a->argv[a->argc - 1]);
    for (int i = 0; i < a->argc; i += 2) {
        if (!in_list(a->argv[i], known)) return die(EXIT_USAGE, "unknown option %s (see gkrcnn --help)", a->argv[i]);
        if (in_list(a->argv[i], repeatable)) continue;
        for (int j = 0; j < i; j += 2)
            if (strcmp(a->argv[i], a->argv[j]) == 0) return die(EXIT_USAGE, "option %s given more than once", a->argv[i]);
    }
    return 0;
}

static int check_opts(const args_t *a, const char *const *known) { return check_opts_rep(a, known, NULL); }

static int need(const args_t *a, const char *name, const char **out) {
    *out = opt(a, name);
    if (!*out) return die(EXIT_USAGE, "missing option %s (see gkrcnn --help)", name);
    return 0;
}

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out) {
    char *end;
    if (!s || !*s || *s == '-') return 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v > max) return 0;
    *out = v;
    return 1;
}

static int load_circuit(gkr_circuit **c, const char *path) {
    zk_buf b;
    if (zk_read_file(path, &b) != ZK_OK) return die(EXIT_USAGE, "%s", zk_reason());
    zk_err e = gkr_circuit_deserialize(c, b.data, b.len);
    zk_buf_free(&b);
    if (e != ZK_OK) {
        fprintf(stderr, "gkrcnn: %s: %s\n", path, zk_reason());
        return EXIT_USAGE;
    }
    /* the circuit format allows committed layers the commitment cannot take */
    for (size_t l = 0; l < (*c)->nlayers; l++) {
        const gkr_layer *L = &(*c)->layers[l];
        if (L->kind == GKR_INPUT_COMMITTED && L->nvars > PCS_LIGERO_MAX_VARS) {
            fprintf(stderr, "gkrcnn: %s: committed layer %zu has 2^%u values, the commitment takes at most 2^%d\n",
                    path, l, L->nvars, PCS_LIGERO_MAX_VARS);
            gkr_circuit_free(*c);
            *c = NULL;
            return EXIT_USAGE;
        }
    }
    return 0;
}

static int load_inputs(fm61 ***v, const gkr_circuit *c, const char *path, int public_only) {
    zk_buf b;
    if (zk_read_file(path, &b) != ZK_OK) return die(EXIT_USAGE, "%s", zk_reason());
    zk_err e = cinput_deserialize(v, c, b.data, b.len, public_only);
    zk_buf_free(&b);
    if (e != ZK_OK) {
        fprintf(stderr, "gkrcnn: %s: %s\n", path, zk_reason());
        return EXIT_USAGE;
    }
    return 0;
}

static int write_buf(const char *path, const zk_buf *b) {
    if (zk_write_file(path, b->data, b->len) != ZK_OK) return die(EXIT_USAGE, "%s", zk_reason());
    return 0;
}

/* The same for a secret (a proving key, an opening): mode 0600. */
static int write_secret(const char *path, const zk_buf *b) {
    if (zk_write_file_private(path, b->data, b->len) != ZK_OK) return die(EXIT_USAGE, "%s", zk_reason());
    return 0;
}

static int cmd_circuit_gen(const args_t *a) {
    static const char *const known[] = {"--width", "--depth", "--seed", "--circuit", "--input", "--public", NULL};
    const char *cp, *ip, *pp;
    unsigned long long width, depth, seed = 1;
    int rc;
    if ((rc = check_opts(a, known)) || (rc = need(a, "--circuit", &cp)) || (rc = need(a, "--input", &ip)) ||
        (rc = need(a, "--public", &pp)))
        return rc;
    if (!parse_uint(opt(a, "--width"), 26, &width) || width < 1)
        return die(EXIT_USAGE, "--width must be an integer in 1..26, got %s", opt(a, "--width") ? opt(a, "--width") : "nothing");
    if (!parse_uint(opt(a, "--depth"), 64, &depth) || depth < 1)
        return die(EXIT_USAGE, "--depth must be an integer in 1..64, got %s", opt(a, "--depth") ? opt(a, "--depth") : "nothing");
    if (opt(a, "--seed") && !parse_uint(opt(a, "--seed"), UINT64_MAX, &seed))
        return die(EXIT_USAGE, "--seed must be a non-negative integer, got %s", opt(a, "--seed"));
    zk_rng rng;
    zk_rng_seed(&rng, seed);
    gkr_circuit *c = gkr_circuit_random(&rng, (unsigned)width, (unsigned)depth);
    fm61 **in = gkr_inputs_random(&rng, c);
    zk_buf bc, bi, bp;
    zk_buf_init(&bc);
    zk_buf_init(&bi);
    zk_buf_init(&bp);
    gkr_circuit_serialize(&bc, c);
    cinput_serialize(&bi, c, (const fm61 *const *)in, 0);
    cinput_serialize(&bp, c, (const fm61 *const *)in, 1);
    rc = write_buf(cp, &bc);
    if (!rc) rc = write_buf(ip, &bi);
    if (!rc) rc = write_buf(pp, &bp);
    if (!rc)
        printf("circuit: %zu layers, %zu gate terms, digest %02x%02x%02x%02x...\n", c->nlayers, gkr_circuit_gates(c),
               c->digest[0], c->digest[1], c->digest[2], c->digest[3]);
    zk_buf_free(&bc);
    zk_buf_free(&bi);
    zk_buf_free(&bp);
    cinput_free(in, c->nlayers);
    gkr_circuit_free(c);
    return rc;
}

/* The statement a circuit proof attests: a digest of the outputs and the
 * root of each committed input layer. Both prove and verify print it, so a
 * verifier can compare with what the prover published. */
static void print_statement(const gkr_circuit *c, const fm61 *outputs, const pcs_commitment *cm) {
    size_t osize = (size_t)1 << gkr_output_layer(c)->nvars;
    uint8_t d[32];
    unsigned int dl = 0;
    uint8_t *enc = zk_malloc_n(osize, 8);
    for (size_t i = 0; i < osize; i++) fm61_encode(enc + 8 * i, outputs[i]);
    ZK_CHECK(EVP_Digest(enc, 8 * osize, d, &dl, zk_sha256(), NULL) == 1 && dl == 32);
    free(enc);
    printf("statement: %zu outputs, sha256 ", osize);
    for (int i = 0; i < 32; i++) printf("%02x", d[i]);
    printf("\n");
    for (size_t l = 0; l < c->nlayers; l++) {
        if (c->layers[l].kind != GKR_INPUT_COMMITTED) continue;
        printf("statement: layer %zu committed, root ", l);
        for (int i = 0; i < PCS_DIGEST_BYTES; i++) printf("%02x", cm[l].root[i]);
        printf("\n");
    }
}

/* Verify a circuit proof body; on success print the statement. ZK_EPROOF
 * or ZK_EFORMAT: the proof is invalid; ZK_ENOMEM or ZK_EINPUT: the circuit
 * cannot be verified here. */
static zk_err verify_body(const gkr_circuit *c, const fm61 *const *pub, const uint8_t *body, size_t blen) {
    size_t osize = (size_t)1 << gkr_output_layer(c)->nvars;
    if (osize > blen / 8) { /* before allocating by the circuit's output size */
        zk_set_reason("proof too short for the circuit's %zu outputs", osize);
        return ZK_EFORMAT;
    }
    fm61 *outs = zk_malloc_n(osize, sizeof *outs);
    pcs_commitment *cm = zk_calloc(c->nlayers, sizeof *cm);
    tr_t *tr = tr_new_verifier(GKR_PROTOCOL, body, blen);
    zk_err e = gkr_verify_statement(tr, outs, cm, c, pub, &pcs_ligero);
    if (e == ZK_OK && tr_finish(tr) != ZK_OK) {
        zk_set_reason("%zu trailing bytes after the proof", blen - tr_position(tr));
        e = ZK_EFORMAT;
    }
    tr_free(tr);
    if (e == ZK_OK) print_statement(c, outs, cm);
    free(cm);
    free(outs);
    return e;
}

static int cmd_circuit_prove(const args_t *a) {
    static const char *const known[] = {"--circuit", "--input", "--proof", NULL};
    const char *cp, *ip, *pp;
    int rc;
    if ((rc = check_opts(a, known)) || (rc = need(a, "--circuit", &cp)) || (rc = need(a, "--input", &ip)) ||
        (rc = need(a, "--proof", &pp)))
        return rc;
    gkr_circuit *c = NULL;
    fm61 **in = NULL;
    if ((rc = load_circuit(&c, cp))) return rc;
    if ((rc = load_inputs(&in, c, ip, 0))) {
        gkr_circuit_free(c);
        return rc;
    }
    double t0 = now_s();
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    double t1 = now_s();
    zk_buf body, file;
    zk_buf_init(&body);
    zk_buf_init(&file);
    tr_t *tr = tr_new_prover(GKR_PROTOCOL, &body);
    gkr_prove(tr, c, w, &pcs_ligero);
    tr_free(tr);
    double t2 = now_s();
    proof_wrap(&file, PROOF_KIND_CIRCUIT, body.data, body.len);
    /* self-check before writing: the proof must verify (and this prints
     * the statement it attests) */
    const fm61 *const *pub = (const fm61 *const *)in;
    if (verify_body(c, pub, body.data, body.len) != ZK_OK) {
        rc = die(EXIT_USAGE, "internal error: the new proof does not verify: %s", zk_reason());
    } else {
        rc = write_buf(pp, &file);
    }
    if (!rc)
        printf("proved %zu gate terms: witness %.3f s, prove %.3f s, proof %zu bytes, %d threads\n", gkr_circuit_gates(c),
               t1 - t0, t2 - t1, file.len, zk_threads());
    zk_buf_free(&body);
    zk_buf_free(&file);
    gkr_witness_free(w);
    cinput_free(in, c->nlayers);
    gkr_circuit_free(c);
    return rc;
}

static int cmd_circuit_verify(const args_t *a) {
    static const char *const known[] = {"--circuit", "--public", "--proof", NULL};
    const char *cp, *ip, *pp;
    int rc;
    if ((rc = check_opts(a, known)) || (rc = need(a, "--circuit", &cp)) || (rc = need(a, "--public", &ip)) ||
        (rc = need(a, "--proof", &pp)))
        return rc;
    gkr_circuit *c = NULL;
    fm61 **pub = NULL;
    zk_buf file;
    if ((rc = load_circuit(&c, cp))) return rc;
    if ((rc = load_inputs(&pub, c, ip, 1))) {
        gkr_circuit_free(c);
        return rc;
    }
    if (zk_read_file(pp, &file) != ZK_OK) {
        rc = die(EXIT_USAGE, "%s", zk_reason());
        goto out;
    }
    const uint8_t *body;
    size_t blen;
    if (proof_unwrap(&body, &blen, file.data, file.len, PROOF_KIND_CIRCUIT) != ZK_OK) {
        rc = die(EXIT_INVALID, "invalid proof: %s", zk_reason());
        goto out_file;
    }
    double t0 = now_s();
    zk_err e = verify_body(c, (const fm61 *const *)pub, body, blen);
    double t1 = now_s();
    if (e == ZK_ENOMEM || e == ZK_EINPUT)
        rc = die(EXIT_USAGE, "cannot verify: %s", zk_reason());
    else if (e != ZK_OK)
        rc = die(EXIT_INVALID, "invalid proof: %s", zk_reason());
    else
        printf("valid proof (%zu bytes, verified in %.3f s)\n", file.len, t1 - t0);
out_file:
    zk_buf_free(&file);
out:
    cinput_free(pub, c->nlayers);
    gkr_circuit_free(c);
    return rc;
}

/* ---- models: setup and infer ---- */

/* The non-interactive figure (protocol.md sec. 6): the largest error of one
 * challenge, times the prover's hash calls. */
static void print_fs(const char *prefix, double rbr_bits) {
    printf("%sFiat-Shamir: a prover making T hash calls passes a false statement with probability at most "
           "T * 2^-%.1f (%.1f bits at T = 2^%d; protocol.md 6)\n",
           prefix, rbr_bits, rbr_bits - CNN_FS_LOG2_CALLS, CNN_FS_LOG2_CALLS);
}

static int parse_bits(const args_t *a, const char *name, int *out) {
    const char *v = opt(a, name);
    unsigned long long x;
    if (!v) return 0;
    if (!parse_uint(v, 48, &x) || x < 2) return die(EXIT_USAGE, "%s must be an integer in 2..48", name);
    *out = (int)x;
    return 0;
}

static void shape_str(char *out, size_t cap, const nn_shape *s) {
    size_t at = 0;
    out[0] = 0;
    for (int i = 0; i < s->ndim && at + 24 < cap; i++)
        at += (size_t)snprintf(out + at, cap - at, "%s%lld", i ? "x" : "", (long long)s->d[i]);
}

/* Without --calib: 8 samples of N(0, 1) noise from a fixed seed (Box-Muller);
 * real data gives better scales, so setup says so. */
static float *noise_calibration(size_t numel, size_t n) {
    zk_rng rng;
    zk_rng_seed(&rng, 0xca11b);
    float *x = zk_malloc_n(numel * n, sizeof *x);
    for (size_t i = 0; i < numel * n; i++) {
        double u1 = ((double)(zk_rng_u64(&rng) >> 11) + 1.0) / 9007199254740993.0;
        double u2 = (double)(zk_rng_u64(&rng) >> 11) / 9007199254740992.0;
        x[i] = (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
    }
    return x;
}

static int cmd_setup(const args_t *a0) {
    static const char *const known[] = {"--model",       "--out", "--calib", "--act-bits", "--weight-bits",
                                        "--output-visibility", "--input-visibility", "--zk", "--zk-budget", NULL};
    const char *mp, *dir;
    int rc;
    /* --no-zk is the one option without a value: taken out before the pairs are read */
    char *kept[64];
    int nk = 0, nozk = 0;
    if (a0->argc > 64) return die(EXIT_USAGE, "%s", "too many options (see gkrcnn --help)");
    for (int i = 0; i < a0->argc; i++) {
        if (nk % 2 == 0 && strcmp(a0->argv[i], "--no-zk") == 0) { /* where an option's name stands */
            if (nozk++) return die(EXIT_USAGE, "%s", "option --no-zk given more than once");
            continue;
        }
        kept[nk++] = a0->argv[i];
    }
    args_t a1 = {.argc = nk, .argv = kept}, *a = &a1;
    if ((rc = check_opts(a, known)) || (rc = need(a, "--model", &mp)) || (rc = need(a, "--out", &dir))) return rc;
    q_settings s;
    q_settings_default(&s);
    if ((rc = parse_bits(a, "--act-bits", &s.b_act)) || (rc = parse_bits(a, "--weight-bits", &s.b_w))) return rc;
    const char *ov = opt(a, "--output-visibility");
    if (ov && strcmp(ov, "class") == 0) s.out_vis = Q_OUT_CLASS;
    else if (ov && strcmp(ov, "private") == 0) s.out_vis = Q_OUT_PRIVATE; /* needs --zk on, checked below */
    else if (ov && strcmp(ov, "public") != 0)
        return die(EXIT_USAGE, "--output-visibility must be public, class or private, not \"%s\"", ov);

    const char *zo = opt(a, "--zk");
    if (zo && strcmp(zo, "on") != 0 && strcmp(zo, "off") != 0)
        return die(EXIT_USAGE, "--zk must be on or off, not \"%s\"", zo);
    if (zo && nozk) return die(EXIT_USAGE, "%s", "--no-zk and --zk both given");
    /* the zero-knowledge mode by default; cnn_setup measures the pool */
    s.zk_mc = !(nozk || (zo && strcmp(zo, "off") == 0));
    if (s.out_vis == Q_OUT_PRIVATE && !s.zk_mc)
        return die(EXIT_USAGE, "%s", "--output-visibility private needs the zero-knowledge mode (not --zk off / --no-zk)");
    unsigned wbudget = CNN_WEIGHT_ZK_DEFAULT_OPENINGS;
    const char *zb = opt(a, "--zk-budget");
    if (zb) {
        unsigned long long x;
        if (!s.zk_mc) return die(EXIT_USAGE, "%s", "--zk-budget needs the zero-knowledge mode (not --zk off / --no-zk)");
        if (!parse_uint(zb, PCS_LIGERO_ZK_MAX_OPENINGS, &x) || x < 1)
            return dief(EXIT_USAGE, "--zk-budget must be an integer in 1..%d", PCS_LIGERO_ZK_MAX_OPENINGS);
        wbudget = (unsigned)x;
    }
    const char *iv = opt(a, "--input-visibility");
    if (iv && strcmp(iv, "private") == 0) {
        if (!s.zk_mc)
            return die(EXIT_USAGE, "%s", "--input-visibility private needs the zero-knowledge mode (not --zk off / --no-zk)");
        s.in_vis = Q_IN_PRIVATE;
    } else if (iv && strcmp(iv, "public") != 0)
        return die(EXIT_USAGE, "--input-visibility must be public or private, not \"%s\"", iv);

    zk_buf file;
    if (zk_read_file(mp, &file) != ZK_OK) return die(EXIT_USAGE, "%s", zk_reason());
    nn_graph *g = NULL;
    zk_err e = onnx_import(&g, file.data, file.len, NULL, 0);
    zk_buf_free(&file);
    if (e != ZK_OK) {
        fprintf(stderr, "gkrcnn: %s: %s\n", mp, zk_reason());
        return EXIT_USAGE;
    }
    size_t numel = (size_t)nn_numel(&g->tensors[g->input].shape);
    float *cal = NULL;
    size_t ncal = 0;
    const char *cp = opt(a, "--calib");
    if (cp) {
        if (in_load(&cal, &ncal, cp, numel) != ZK_OK) {
            fprintf(stderr, "gkrcnn: calibration set %s: %s\n", cp, zk_reason());
            nn_graph_free(g);
            return EXIT_USAGE;
        }
    } else {
        ncal = 8;
        cal = noise_calibration(numel, ncal);
        printf("note: no --calib given; scales calibrated on %zu samples of N(0,1) noise\n", ncal);
    }
    q_model *m = NULL;
    cnn_key *key = NULL;
    zk_buf pk, vk, rep;
    zk_buf_init(&pk);
    zk_buf_init(&vk);
    zk_buf_init(&rep);
    char *pkp = NULL, *vkp = NULL, *sp = NULL;
    if (q_quantize(&m, g, cal, ncal, &s) != ZK_OK) {
        rc = die(EXIT_USAGE, "cannot quantize the model: %s", zk_reason());
        goto out;
    }
    if (q_report_json(&rep, m, g, cal, ncal) != ZK_OK) {
        rc = die(EXIT_USAGE, "setup report: %s", zk_reason());
        goto out;
    }
    double t0 = now_s();
    e = cnn_setup_zk(&key, m, wbudget); /* takes m, also on failure */
    m = NULL;
    double t1 = now_s();
    if (e != ZK_OK) {
        rc = die(EXIT_USAGE, "cannot set up the prover for this model: %s", zk_reason());
        goto out;
    }
    cnn_pk_serialize(&pk, key);
    cnn_vk_serialize(&vk, key);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        rc = die(EXIT_USAGE, "cannot create output directory %s", dir);
        goto out;
    }
    size_t dl = strlen(dir) + 32;
    pkp = zk_malloc(dl);
    vkp = zk_malloc(dl);
    sp = zk_malloc(dl);
    snprintf(pkp, dl, "%s/model.pk", dir);
    snprintf(vkp, dl, "%s/model.vk", dir);
    snprintf(sp, dl, "%s/settings.json", dir);
    /* no half-written key directory: a failed write removes the others */
    rc = write_secret(pkp, &pk);
    if (!rc && (rc = write_buf(vkp, &vk))) remove(pkp);
    if (!rc && (rc = write_buf(sp, &rep))) {
        remove(pkp);
        remove(vkp);
    }
    if (!rc) {
        const q_model *km = key->m;
        char in_s[96], out_s[96];
        shape_str(in_s, sizeof in_s, &km->tensors[0].shape);
        shape_str(out_s, sizeof out_s, &km->tensors[km->output].shape);
        printf("setup: %s -> %s (%zu nodes, input %s, output %s, b_act %d, b_w %d, %zu calibration samples)\n", mp,
               pkp, km->nnodes, in_s, out_s, km->s.b_act, km->s.b_w, ncal);
        if (km->s.out_vis == Q_OUT_CLASS)
            printf("setup: output visibility class: a proof's statement holds the output's argmax\n");
        if (km->s.out_vis == Q_OUT_PRIVATE)
            printf("setup: output visibility private: a proof's statement holds a hiding commitment to the output\n");
        if (km->s.in_vis == Q_IN_PRIVATE)
            printf("setup: input visibility private: a proof's statement holds a hiding commitment to the input\n");
        if (km->s.zk_mc)
            printf("setup: zero-knowledge mode (protocol.md sec. 9.5, 9.8): mask pool 2^%d cells\n",
                   km->s.zk_mc);
        if (key->w_nvars)
            printf("setup: weights committed in %.3f s: 2^%u = %zu cells; proving key %zu bytes\n", t1 - t0,
                   key->w_nvars, (size_t)1 << key->w_nvars, pk.len);
        if (key->wcom.zk)
            printf("setup: weights committed hiding for %u openings: the weight-range certificate's and %ld proofs\n",
                   key->wcom.openings, cnn_key_proofs_left(key));
        else
            printf("setup: the model has no weights to commit; proving key %zu bytes\n", pk.len);
        printf("setup: verifying key %s (%zu bytes); soundness of each proof >= %.1f bits (interactive)\n", vkp,
               vk.len, cnn_soundness_bits(key));
        if (key->w_nvars)
            printf("setup: weight range: certified b_w = %d-bit weights (certificate %zu bytes in the verifying key, "
                   ">= %.1f bits; protocol.md 7.1.1)\n",
                   km->s.b_w, key->wrange_len, cnn_wrange_bits(key));
        print_fs("setup: ", cnn_rbr_bits(key));
        printf("setup report: %s\n", sp);
    }
out:
    free(pkp);
    free(vkp);
    free(sp);
    zk_buf_free(&pk);
    zk_buf_free(&vk);
    zk_buf_free(&rep);
    cnn_key_free(key);
    q_model_free(m);
    free(cal);
    nn_graph_free(g);
    return rc;
}

static int load_key(cnn_key **k, const char *path, int vk) {
    zk_buf b;
    if (zk_read_file(path, &b) != ZK_OK) return die(EXIT_USAGE, "%s", zk_reason());
    zk_err e = vk ? cnn_vk_deserialize(k, b.data, b.len) : cnn_pk_deserialize(k, b.data, b.len);
    zk_buf_free(&b);
    if (e != ZK_OK) {
        fprintf(stderr, "gkrcnn: %s: %s\n", path, zk_reason());
        return EXIT_USAGE;
    }
    return 0;
}

/* A proving key kept mapped (load_key_locked) faults if the file is cut
 * short under it (another program writing it in place, despite the lock):
 * one line and exit status 2 instead of a crash; no proof file has been
 * renamed into place (each is written whole and renamed after every proof
 * is made). */
static const char *mapped_key_path;
static void on_sigbus(int sig) {
    (void)sig;
    static const char pre[] = "gkrcnn: ", post[] = ": the proving key file was cut short while in use; no proof written\n";
    ssize_t w = write(STDERR_FILENO, pre, sizeof pre - 1);
    if (mapped_key_path) w = write(STDERR_FILENO, mapped_key_path, strlen(mapped_key_path));
    w = write(STDERR_FILENO, post, sizeof post - 1);
    (void)w;
    _exit(EXIT_USAGE);
}

/* A proving key for prove: the file opened read-write (read-only where
 * that is refused: a key without a hiding weight commitment needs no
 * write) and locked (flock, exclusive) until the caller closes *fd, so
 * that two provers of one key never read the same count of the hiding
 * weight commitment's openings (protocol.md sec. 9.4.4, 9.5). */
static int load_key_locked(cnn_key **k, int *fd, const char *path) {
    *fd = open(path, O_RDWR | O_CLOEXEC);
    if (*fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0) return dief(EXIT_USAGE, "cannot open %s: %s", path, strerror(errno));
    struct stat sb;
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = 0;
    if (flock(*fd, LOCK_EX) != 0 || fstat(*fd, &sb) != 0) rc = dief(EXIT_USAGE, "cannot lock %s: %s", path, strerror(errno));
    /* mapped (the key keeps the mapping when it holds W's encoded matrix:
     * a proof reads only the pages of its queried columns), else read */
    void *map = MAP_FAILED;
    if (!rc && sb.st_size > 0) map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, *fd, 0);
    if (!rc && map != MAP_FAILED) {
        mapped_key_path = path;
        struct sigaction sa = {.sa_handler = on_sigbus};
        sigemptyset(&sa.sa_mask);
        (void)sigaction(SIGBUS, &sa, NULL);
        if (cnn_pk_deserialize_mapped(k, map, (size_t)sb.st_size) != ZK_OK) { /* takes the mapping */
            fprintf(stderr, "gkrcnn: %s: %s\n", path, zk_reason());
            rc = EXIT_USAGE;
        }
    } else if (!rc) {
        data = zk_malloc(sb.st_size > 0 ? (size_t)sb.st_size : 1);
        while (!rc && len < (size_t)sb.st_size) {
            ssize_t r = pread(*fd, data + len, (size_t)sb.st_size - len, (off_t)len);
            if (r <= 0) rc = dief(EXIT_USAGE, "cannot read %s: %s", path, r < 0 ? strerror(errno) : "file shrank");
            else len += (size_t)r;
        }
        if (!rc && cnn_pk_deserialize(k, data, len) != ZK_OK) {
            fprintf(stderr, "gkrcnn: %s: %s\n", path, zk_reason());
            rc = EXIT_USAGE;
        }
    }
    zk_free_secret(data);
    if (!rc && (*k)->wcom.zk && (fcntl(*fd, F_GETFL) & O_ACCMODE) != O_RDWR) {
        cnn_key_free(*k);
        *k = NULL;
        rc = die(EXIT_USAGE, "%s is not writable: prove records the weight commitment's openings in it", path);
    }
    if (rc) {
        close(*fd);
        *fd = -1;
    }
    return rc;
}

/* The hiding weight commitment's count after this run's proofs, written in
 * place (the 4 bytes at wused_at, the only bytes of the key that change)
 * and synced before any proof is written: a proof never leaves with a slot
 * that the key does not yet count. The file stays locked (load_key_locked). */
static int store_count(int fd, const cnn_key *k, const char *path) {
    uint8_t c[4];
    unsigned u = *k->wused;
    for (int i = 0; i < 4; i++) c[i] = (uint8_t)(u >> (8 * i));
    if (k->wused_at == 0 || pwrite(fd, c, 4, (off_t)k->wused_at) != 4 || fsync(fd) != 0)
        return dief(EXIT_USAGE, "cannot record the weight commitment's openings in %s (%s); no proof written", path,
                   strerror(errno));
    return 0;
}

/* Dequantized outputs y (n values): a short line of them. */
static void print_outputs(const float *y, size_t n) {
    for (size_t k = 0; k < n && k < 16; k++) printf(" %.4f", (double)y[k]);
    printf("%s\n", n > 16 ? " ..." : "");
}

/* {"output_data": [[y...]]}, the format infer writes. */
static void outputs_json(zk_buf *js, const float *y, size_t n) {
    zk_buf_printf(js, "{\"output_data\": [[");
    for (size_t k = 0; k < n; k++) zk_buf_printf(js, "%s%.9g", k ? ", " : "", (double)y[k]);
    zk_buf_printf(js, "]]}\n");
}

static double peak_mb(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (double)ru.ru_maxrss / 1024.0; /* kilobytes on Linux */
}

static int cmd_infer(const args_t *a) {
    static const char *const known[] = {"--pk", "--input", "--out", NULL};
    const char *pkp, *ip, *op = opt(a, "--out");
    int rc;
    if ((rc = check_opts(a, known)) || (rc = need(a, "--pk", &pkp)) || (rc = need(a, "--input", &ip))) return rc;
    cnn_key *key = NULL;
    if ((rc = load_key(&key, pkp, 0))) return rc;
    const q_model *m = key->m;
    size_t numel = (size_t)nn_numel(&m->tensors[0].shape);
    size_t onumel = (size_t)nn_numel(&m->tensors[m->output].shape);
    float *x = NULL, *y = zk_malloc_n(onumel, sizeof *y);
    int64_t *xq = zk_malloc_n(numel, sizeof *xq);
    size_t n = 0;
    zk_buf js;
    zk_buf_init(&js);
    if (in_load(&x, &n, ip, numel) != ZK_OK) {
        rc = die(EXIT_USAGE, "input: %s", zk_reason());
        goto out;
    }
    zk_buf_printf(&js, "{\"output_data\": [");
    for (size_t i = 0; i < n; i++) {
        q_witness *w = NULL;
        if (q_quantize_input(xq, m, x + i * numel) != ZK_OK || q_run(&w, m, xq) != ZK_OK) {
            char where[32] = "";
            if (n > 1) snprintf(where, sizeof where, "sample %zu: ", i);
            fprintf(stderr, "gkrcnn: %s%s\n", where, zk_reason());
            rc = EXIT_USAGE;
            goto out;
        }
        q_dequantize_output(y, m, w);
        q_witness_free(w);
        size_t best = 0;
        zk_buf_printf(&js, "%s[", i ? ", " : "");
        for (size_t k = 0; k < onumel; k++) {
            zk_buf_printf(&js, "%s%.9g", k ? ", " : "", (double)y[k]);
            if (y[k] > y[best]) best = k;
        }
        zk_buf_printf(&js, "]");
        if (n <= 16) {
            printf("sample %zu: class %zu; outputs", i, best);
            for (size_t k = 0; k < onumel && k < 16; k++) printf(" %.4f", (double)y[k]);
            printf("%s\n", onumel > 16 ? " ..." : "");
        }
    }
    zk_buf_printf(&js, "]}\n");
    if (n > 16) printf("inferred %zu samples\n", n);
    if (op) rc = write_buf(op, &js);
out:
    zk_buf_free(&js);
    free(x);
    free(y);
    free(xq);
    cnn_key_free(key);
    return rc;
}

/* ---- models: prove and verify ---- */

/* The values of every occurrence of option name, in order (at most max). */
static int opt_all(const args_t *a, const char *name, const char **out, int max) {
    int n = 0;
    for (int i = 0; i + 1 < a->argc; i += 2)
        if (strcmp(a->argv[i], name) == 0 && n < max) out[n++] = a->argv[i + 1];
        else if (strcmp(a->argv[i], name) == 0) return -1;
    return n;
}

/* The batch options of prove and verify: o[0] (the lead, at least once),
 * and each other o[i] as often as the lead, or (unless need) not at all.
 * Fills every o[i].v and o[i].n; on a mismatch a one-line usage error. */
#define CLI_MAX_BATCH 256
typedef struct {
    const char *name;
    int need;
    const char *v[CLI_MAX_BATCH];
    int n;
} batch_opt;

static int batch_opts(const args_t *a, batch_opt *o, int k) {
    char msg[256];
    for (int i = 0; i < k; i++) {
        o[i].n = opt_all(a, o[i].name, o[i].v, CLI_MAX_BATCH);
        if (o[i].n < 0) {
            snprintf(msg, sizeof msg, "more than %d %s options", CLI_MAX_BATCH, o[i].name);
            return die(EXIT_USAGE, "%s", msg);
        }
    }
    if (o[0].n == 0) return die(EXIT_USAGE, "missing option %s (see gkrcnn --help)", o[0].name);
    for (int i = 1; i < k; i++)
        if (o[i].n != o[0].n && (o[i].need || o[i].n != 0)) {
            snprintf(msg, sizeof msg, "%d %s but %d %s options: give one %s per %s%s", o[0].n, o[0].name, o[i].n,
                     o[i].name, o[i].name, o[0].name, o[i].need ? "" : ", or none");
            return die(EXIT_USAGE, "%s", msg);
        }
    return 0;
}

/* Writes b1[k] to p1[k] and, with p2, b2[k] to p2[k], for k < n; if a
 * write fails, removes what this call wrote (never a path it did not
 * write). The files of p<j> are secrets (mode 0600) when bit j-1 of
 * secret is set. 0, or the usage exit status with a one-line error. */
static int write_all(int n, const char *const *p1, const zk_buf *b1, const char *const *p2, const zk_buf *b2,
                     const char *const *p3, const zk_buf *b3, int secret) {
    int rc = 0, written = 0; /* the files of entries [0, written) are on disk */
    for (int k = 0; k < n; k++) {
        if ((rc = (secret & 1 ? write_secret : write_buf)(p1[k], &b1[k]))) break;
        if (p2 && (rc = (secret & 2 ? write_secret : write_buf)(p2[k], &b2[k]))) {
            remove(p1[k]);
            break;
        }
        if (p3 && (rc = (secret & 4 ? write_secret : write_buf)(p3[k], &b3[k]))) {
            remove(p1[k]);
            if (p2) remove(p2[k]);
            break;
        }
        written++;
    }
    for (int j = 0; rc && j < written; j++) {
        remove(p1[j]);
        if (p2) remove(p2[j]);
        if (p3) remove(p3[j]);
    }
    return rc;
}

/* An input opening (prove --input-opening, verify --input-opening; a
 * private input, protocol.md sec. 9.6): "GKRCNNIO" | u32 version 1 | the
 * 32-byte seed of the proof's input commitment. Strict: exactly 44 bytes. */
#define IO_MAGIC "GKRCNNIO"
static void opening_put(zk_buf *b, const uint8_t *seed) {
    zk_buf_put(b, IO_MAGIC, 8);
    zk_buf_put_u32(b, 1);
    zk_buf_put(b, seed, PCS_LIGERO_ZK_SEED_BYTES);
}

/* An output opening (prove --output-opening, verify --output-opening; a
 * private output, protocol.md sec. 9.7): "GKRCNNOO" | u32 version 1 | the
 * seed | u32 n | n quantized outputs as i64 LE. Strict. */
#define OO_MAGIC "GKRCNNOO"
static void out_opening_put(zk_buf *b, const uint8_t *seed, const int64_t *q, size_t n) {
    zk_buf_put(b, OO_MAGIC, 8);
    zk_buf_put_u32(b, 1);
    zk_buf_put(b, seed, PCS_LIGERO_ZK_SEED_BYTES);
    zk_buf_put_u32(b, (uint32_t)n);
    for (size_t j = 0; j < n; j++) zk_buf_put_u64(b, (uint64_t)q[j]);
}

static int out_opening_load(uint8_t *seed, int64_t *q, size_t n, const char *path) {
    zk_buf f;
    if (zk_read_file(path, &f) != ZK_OK) return die(EXIT_USAGE, "%s", zk_reason());
    size_t hd = 12 + PCS_LIGERO_ZK_SEED_BYTES + 4;
    int ok = f.len == hd + 8 * n && memcmp(f.data, OO_MAGIC, 8) == 0 && f.data[8] == 1 && f.data[9] == 0 &&
             f.data[10] == 0 && f.data[11] == 0;
    if (ok) {
        const uint8_t *c4 = f.data + hd - 4;
        uint32_t cnt = (uint32_t)c4[0] | (uint32_t)c4[1] << 8 | (uint32_t)c4[2] << 16 | (uint32_t)c4[3] << 24;
        ok = cnt == n;
    }
    if (ok) {
        memcpy(seed, f.data + 12, PCS_LIGERO_ZK_SEED_BYTES);
        for (size_t j = 0; j < n; j++) {
            uint64_t u = 0;
            for (int b = 7; b >= 0; b--) u = u << 8 | f.data[hd + 8 * j + (size_t)b];
            q[j] = (int64_t)u;
        }
    }
    OPENSSL_cleanse(f.data, f.len);
    zk_buf_free(&f);
    if (!ok)
        return die(EXIT_USAGE, "%s is not an output opening of this model (gkrcnn prove --output-opening writes them)",
                   path);
    return 0;
}

static int opening_load(uint8_t *seed, const char *path) {
    zk_buf f;
    if (zk_read_file(path, &f) != ZK_OK) return die(EXIT_USAGE, "%s", zk_reason());
    int ok = f.len == 12 + PCS_LIGERO_ZK_SEED_BYTES && memcmp(f.data, IO_MAGIC, 8) == 0 && f.data[8] == 1 &&
             f.data[9] == 0 && f.data[10] == 0 && f.data[11] == 0;
    if (ok) memcpy(seed, f.data + 12, PCS_LIGERO_ZK_SEED_BYTES);
    zk_buf_free(&f);
    if (!ok) return die(EXIT_USAGE, "%s is not an input opening (gkrcnn prove --input-opening writes them)", path);
    return 0;
}

/* prove: one proof per --input; the k-th --input goes with the k-th --proof
 * (and the k-th --out, if any). One prover serves them all, so the weights
 * are committed once (cnn_prover). Nothing is written unless every proof
 * succeeds. */
static int cmd_prove(const args_t *a) {
    static const char *const known[] = {"--pk", "--input", "--proof", "--out", "--input-opening", "--output-opening", NULL};
    static const char *const repeatable[] = {"--input", "--proof", "--out", "--input-opening", "--output-opening", NULL};
    batch_opt o[5] = {{.name = "--input"}, {.name = "--proof", .need = 1}, {.name = "--out"}, {.name = "--input-opening"},
                      {.name = "--output-opening"}};
    const char *pkp, **ins = o[0].v, **pps = o[1].v, **ops = o[2].v, **iops = o[3].v, **oops = o[4].v;
    char msg[512];
    int rc;
    if ((rc = check_opts_rep(a, known, repeatable)) || (rc = need(a, "--pk", &pkp)) || (rc = batch_opts(a, o, 5)))
        return rc;
    int n = o[0].n, no = o[2].n, nio = o[3].n, noo = o[4].n;
    cnn_key *key = NULL;
    int kfd = -1; /* the pk file, locked while proving (a zero-knowledge key's count) */
    if ((rc = load_key_locked(&key, &kfd, pkp))) return rc;
    long left = cnn_key_proofs_left(key);
    if (left >= 0 && left < n) {
        if (left == 0) rc = dief(EXIT_USAGE, "weight commitment's opening budget (%u) is used up; run setup again",
                                key->wcom.openings);
        else rc = dief(EXIT_USAGE, "weight commitment's opening budget (%u) has %ld proofs left, %d asked",
                      key->wcom.openings, left, n);
        close(kfd);
        cnn_key_free(key);
        return rc;
    }
    const q_model *m = key->m;
    if (nio && m->s.in_vis != Q_IN_PRIVATE) {
        cnn_key_free(key);
        return die(EXIT_USAGE, "%s", "--input-opening: the key's input is public (setup --input-visibility private)");
    }
    if (noo && m->s.out_vis != Q_OUT_PRIVATE) {
        cnn_key_free(key);
        return die(EXIT_USAGE, "%s", "--output-opening: the key's output is not private (setup --output-visibility private)");
    }
    zk_buf *iob = zk_calloc((size_t)n, sizeof *iob), *oob = zk_calloc((size_t)n, sizeof *oob);
    uint8_t oseed[PCS_LIGERO_ZK_SEED_BYTES];
    size_t numel = (size_t)q_numel(m, 0), onumel = (size_t)q_numel(m, m->output);
    float *x = NULL, *y = zk_malloc_n(onumel, sizeof *y);
    int64_t *xq = zk_malloc_n(numel, sizeof *xq);
    zk_buf *file = zk_calloc((size_t)n, sizeof *file), *js = zk_calloc((size_t)n, sizeof *js);
    cnn_prover *pv = NULL;
    double bound = cnn_soundness_bits(key), t0 = now_s();
    /* one proof, or a key with its encoded weights: as cnn_prove (the
     * weights are not encoded, the key's leaves give the tree); several
     * from a key without: the weights encoded and committed once */
    zk_err e = n == 1 || key->wenc ? cnn_prover_new_lazy(&pv, key) : cnn_prover_new(&pv, key);
    double t_new = now_s() - t0;
    if (e != ZK_OK) {
        rc = die(EXIT_USAGE, "cannot prove: %s", zk_reason());
        goto out;
    }
    for (int k = 0; k < n; k++) {
        free(x);
        x = NULL;
        if (in_load_one(&x, ins[k], numel) != ZK_OK || q_quantize_input(xq, m, x) != ZK_OK) {
            snprintf(msg, sizeof msg, "input%s%s: %s", n > 1 ? " " : "", n > 1 ? ins[k] : "", zk_reason());
            rc = die(EXIT_USAGE, "%s", msg);
            goto out;
        }
        cnn_stats st;
        q_witness *w = NULL;
        zk_buf body;
        zk_buf_init(&body);
        if (nio) { /* a seed the opening file keeps; else the prover draws one nobody keeps */
            uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES];
            ZK_CHECK(RAND_bytes(seed, (int)sizeof seed) == 1); /* a failure aborts: no predictable seed */
            cnn_prover_set_input_seed(pv, seed);
            opening_put(&iob[k], seed);
            OPENSSL_cleanse(seed, sizeof seed);
        }
        if (noo) { /* the output's seed; the opening also holds the outputs, known after the proof */
            ZK_CHECK(RAND_bytes(oseed, (int)sizeof oseed) == 1);
            cnn_prover_set_output_seed(pv, oseed);
        }
        e = cnn_prover_prove(pv, &body, xq, &w, &st);
        if (e != ZK_OK) {
            zk_buf_free(&body);
            if (e == ZK_EINPUT) snprintf(msg, sizeof msg, "cannot prove %s: %s", n > 1 ? ins[k] : "this input", zk_reason());
            else snprintf(msg, sizeof msg, "cannot prove: %s", zk_reason());
            rc = die(EXIT_USAGE, "%s", msg);
            goto out;
        }
        if (k == 0) { /* as cnn_prove reports it: the weights' commitment counts in the first proof */
            st.t[CNN_PH_COMMIT] += t_new;
            st.total += t_new;
        }
        proof_wrap(&file[k], PROOF_KIND_CNN, body.data, body.len);
        zk_buf_free(&body);
        if (noo) {
            out_opening_put(&oob[k], oseed, q_output(m, w), onumel);
            OPENSSL_cleanse(oseed, sizeof oseed);
        }
        q_dequantize_output(y, m, w);
        /* the class a class-only output's proof attests (cnn_run): the integers' argmax */
        int64_t pred = q_argmax(q_output(m, w), (int64_t)onumel);
        if (m->s.zk_mc) q_witness_free_secret(w);
        else q_witness_free(w);
        if (no) outputs_json(&js[k], y, onumel);
        if (n > 1) printf("input %d of %d: %s\n", k + 1, n, ins[k]);
        printf("prediction: class %lld; outputs", (long long)pred);
        print_outputs(y, onumel);
        if (m->s.out_vis == Q_OUT_CLASS) printf("statement: the class only (output visibility: class)\n");
        if (m->s.in_vis == Q_IN_PRIVATE)
            printf("statement: a hiding commitment to the input (input visibility: private)%s\n",
                   nio ? "; its opening is written with the proof" : "");
        if (m->s.out_vis == Q_OUT_PRIVATE)
            printf("statement: a hiding commitment to the output (output visibility: private)%s\n",
                   noo ? "; its opening is written with the proof" : "");
        printf("prover time:");
        for (int i = 0; i < CNN_NPHASES; i++)
            printf(" %s %.3f s%s", cnn_phase_names[i], st.t[i], i + 1 < CNN_NPHASES ? "," : "");
        printf("; total %.3f s (%d threads)%s\n", st.total, zk_threads(),
               k ? "; the weights' commitment is reused" : "");
        printf("proof: %s, %zu bytes (%zu auxiliary cells and %zu weight cells committed, %zu lookups)\n", pps[k],
               file[k].len, st.adv_cells, st.w_cells, st.lookups);
        printf("soundness: %.1f bits counted challenge by challenge (the key's bound: %.1f bits)\n", st.counted_bits,
               bound);
        print_fs("", st.rbr_bits);
        if (st.w_slot >= 0)
            printf("weights: hiding opening with mask slot %ld of the commitment's %u (%ld proofs left)\n", st.w_slot,
                   key->wcom.openings, cnn_key_proofs_left(key));
    }
    /* every proof made: a hiding W's count recorded in the key first (no
     * proof leaves before its slot is), then the proofs, all or none */
    if (left >= 0 && (rc = store_count(kfd, key, pkp)) != 0) goto out;
    rc = write_all(n, pps, file, no ? ops : NULL, js, nio ? iops : NULL, iob, 4); /* openings: owner only */
    if (rc == 0 && noo && (rc = write_all(n, oops, oob, NULL, NULL, NULL, NULL, 1)) != 0) /* all or none */
        for (int k = 0; k < n; k++) {
            remove(pps[k]);
            if (no) remove(ops[k]);
            if (nio) remove(iops[k]);
        }
    if (rc == 0) printf("peak memory: %.1f MB\n", peak_mb());
out:
    for (int k = 0; k < n; k++) {
        zk_buf_free(&file[k]);
        zk_buf_free(&js[k]);
        if (iob[k].data) OPENSSL_cleanse(iob[k].data, iob[k].len);
        zk_buf_free(&iob[k]);
        if (oob[k].data) OPENSSL_cleanse(oob[k].data, oob[k].len);
        zk_buf_free(&oob[k]);
    }
    free(iob);
    free(oob);
    free(file);
    free(js);
    cnn_prover_free(pv);
    free(x);
    free(y);
    free(xq);
    cnn_key_free(key);
    close(kfd); /* releases the lock */
    return rc;
}

/* verify: one or more proofs under one verifying key (loaded, and its
 * certificate checked, once); the k-th --proof goes with the k-th --input
 * and --out, if given. Stops at the first invalid proof (exit 1, one line
 * naming it); --out files are written only when every proof is valid. */
static int cmd_verify(const args_t *a) {
    static const char *const known[] = {"--vk", "--proof", "--input", "--out", "--input-opening", "--output-opening", NULL};
    static const char *const repeatable[] = {"--proof", "--input", "--out", "--input-opening", "--output-opening", NULL};
    batch_opt o[5] = {{.name = "--proof"}, {.name = "--input"}, {.name = "--out"}, {.name = "--input-opening"},
                      {.name = "--output-opening"}};
    const char *vkp, **pps = o[0].v, **ins = o[1].v, **ops = o[2].v, **iops = o[3].v, **oops = o[4].v;
    char msg[512];
    int rc;
    if ((rc = check_opts_rep(a, known, repeatable)) || (rc = need(a, "--vk", &vkp)) || (rc = batch_opts(a, o, 5)))
        return rc;
    int n = o[0].n, ni = o[1].n, no = o[2].n, nio = o[3].n, noo = o[4].n;
    cnn_key *key = NULL;
    if ((rc = load_key(&key, vkp, 1))) return rc;
    const q_model *m = key->m;
    int priv = m->s.in_vis == Q_IN_PRIVATE, opriv = m->s.out_vis == Q_OUT_PRIVATE;
    if (priv ? ni != nio : nio != 0) {
        cnn_key_free(key);
        if (!priv) return die(EXIT_USAGE, "%s", "--input-opening: the key's input is public");
        return die(EXIT_USAGE, "%s", "the key's input is private: --input needs --input-opening (one per --input)");
    }
    if (noo && !opriv) {
        cnn_key_free(key);
        return die(EXIT_USAGE, "%s", "--output-opening: the key's output is not private");
    }
    size_t numel = (size_t)q_numel(m, 0), onumel = (size_t)q_numel(m, m->output);
    float *x = NULL, *y = zk_malloc_n(onumel, sizeof *y);
    int64_t *xq = zk_malloc_n(numel, sizeof *xq), *in_q = NULL, *out_q = NULL;
    zk_buf file, *js = zk_calloc((size_t)n, sizeof *js);
    zk_buf_init(&file);
    double bits = cnn_soundness_bits(key);
    for (int k = 0; k < n; k++) {
        const char *ip = ni ? ins[k] : NULL, *which = n > 1 ? pps[k] : NULL;
        free(x);
        free(in_q);
        free(out_q);
        x = NULL, in_q = out_q = NULL;
        zk_buf_free(&file);
        /* the claimed input: quantized exactly as the prover quantizes it (this
         * needs only tensor 0's shape and f and the settings: the skeleton has them) */
        if (ip && (in_load_one(&x, ip, numel) != ZK_OK || q_quantize_input(xq, m, x) != ZK_OK)) {
            rc = die(EXIT_USAGE, "input: %s", zk_reason());
            goto out;
        }
        if (zk_read_file(pps[k], &file) != ZK_OK) {
            rc = die(EXIT_USAGE, "%s", zk_reason());
            goto out;
        }
        const uint8_t *body;
        size_t blen;
        double t0 = now_s();
        /* a malformed or truncated proof is an invalid proof */
        zk_err e = proof_unwrap(&body, &blen, file.data, file.len, PROOF_KIND_CNN);
        uint8_t root[PCS_DIGEST_BYTES], oroot[PCS_DIGEST_BYTES], want[PCS_DIGEST_BYTES];
        if (e == ZK_OK)
            e = priv || opriv ? cnn_verify_private(key, body, blen, &in_q, &out_q, root, oroot)
                              : cnn_verify(key, body, blen, &in_q, &out_q);
        double t1 = now_s();
        if (e != ZK_OK) {
            snprintf(msg, sizeof msg, "invalid proof%s%s: %s", which ? " " : "", which ? which : "", zk_reason());
            rc = die(EXIT_INVALID, "%s", msg);
            goto out;
        }
        if (ip && priv) { /* the opening: the commitment of the given input under the seed */
            uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES];
            if ((rc = opening_load(seed, iops[k]))) goto out;
            e = cnn_input_root(want, key, xq, seed);
            OPENSSL_cleanse(seed, sizeof seed);
            if (e != ZK_OK) {
                rc = die(EXIT_USAGE, "input opening: %s", zk_reason());
                goto out;
            }
            if (memcmp(want, root, sizeof root) != 0) {
                snprintf(msg, sizeof msg,
                         "proof%s%s is not for that input (%s with %s does not open the proof's input commitment)",
                         which ? " " : "", which ? which : "", ip, iops[k]);
                rc = die(EXIT_INVALID, "%s", msg);
                goto out;
            }
        } else if (ip && memcmp(in_q, xq, numel * sizeof *xq) != 0) {
            snprintf(msg, sizeof msg, "proof%s%s is for a different input (%s does not match the attested input)",
                     which ? " " : "", which ? which : "", ip);
            rc = die(EXIT_INVALID, "%s", msg);
            goto out;
        }
        if (which) printf("%s: ", which);
        printf("proof valid (%zu bytes, verified in %.3f s)%s\n", file.len, t1 - t0,
               ip ? "; it is for the given input" : "");
        if (priv) {
            printf("input: private; commitment ");
            for (size_t j = 0; j < sizeof root; j++) printf("%02x", root[j]);
            printf("%s\n", ip ? " (opened: the given input)" : "");
        }
        if (opriv) { /* the statement is a commitment; with the opening, the outputs it holds */
            char hex[2 * PCS_DIGEST_BYTES + 1];
            for (size_t j = 0; j < sizeof oroot; j++) snprintf(hex + 2 * j, 3, "%02x", oroot[j]);
            printf("output: private; commitment %s\n", hex);
            if (!noo) {
                if (no) zk_buf_printf(&js[k], "{\"output_commitment\": \"%s\"}\n", hex);
                continue;
            }
            uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES];
            out_q = zk_malloc_n(onumel, sizeof *out_q);
            if ((rc = out_opening_load(seed, out_q, onumel, oops[k]))) goto out;
            e = cnn_output_root(want, key, out_q, seed);
            OPENSSL_cleanse(seed, sizeof seed);
            if (e != ZK_OK) {
                rc = die(EXIT_USAGE, "output opening: %s", zk_reason());
                goto out;
            }
            if (memcmp(want, oroot, sizeof oroot) != 0) {
                snprintf(msg, sizeof msg, "%s does not open the output commitment of proof%s%s", oops[k],
                         which ? " " : "", which ? which : "");
                rc = die(EXIT_INVALID, "%s", msg);
                goto out;
            }
            printf("output opened with %s:\n", oops[k]);
        }
        if (m->s.out_vis == Q_OUT_CLASS) { /* the statement is the class: out_q[0] */
            if (no) zk_buf_printf(&js[k], "{\"class\": %lld}\n", (long long)out_q[0]);
            printf("prediction: class %lld (the proof attests the class only; the outputs are not in it)\n",
                   (long long)out_q[0]);
            continue;
        }
        int f = m->tensors[m->output].f;
        for (size_t j = 0; j < onumel; j++) y[j] = (float)ldexp((double)out_q[j], -f);
        if (no) outputs_json(&js[k], y, onumel);
        printf("prediction: class %lld; outputs", (long long)q_argmax(out_q, (int64_t)onumel));
        print_outputs(y, onumel);
    }
    printf("soundness: a false statement passes with probability at most 2^-%.1f (interactive; protocol.md 7.6)\n",
           bits);
    print_fs("", cnn_rbr_bits(key));
    /* every proof valid: write the outputs, all or none */
    rc = write_all(no, ops, js, NULL, NULL, NULL, NULL, 0);
out:
    zk_buf_free(&file);
    for (int k = 0; k < n; k++) zk_buf_free(&js[k]);
    free(js);
    free(in_q);
    free(out_q);
    free(x);
    free(y);
    free(xq);
    cnn_key_free(key);
    return rc;
}

int main(int argc, char **argv) {
    zk_memory_keep(); /* zk.h: reuse freed tables rather than fault in fresh pages */
    int i = 1;
    while (i < argc && strncmp(argv[i], "--", 2) == 0) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--threads") == 0) {
            unsigned long long n;
            if (i + 1 >= argc || !parse_uint(argv[i + 1], 1024, &n) || n < 1)
                return die(EXIT_USAGE, "--threads needs an integer in 1..1024%s", "");
            zk_threads_set((int)n);
            i += 2;
            continue;
        }
        return die(EXIT_USAGE, "unknown option %s (see gkrcnn --help)", argv[i]);
    }
    if (i >= argc) return die(EXIT_USAGE, "no command given%s (see gkrcnn --help)", "");
    zk_threads();
    const char *cmd = argv[i];
    args_t a = {argc - i - 1, argv + i + 1};
    if (strcmp(cmd, "setup") == 0) return cmd_setup(&a);
    if (strcmp(cmd, "infer") == 0) return cmd_infer(&a);
    if (strcmp(cmd, "prove") == 0) return cmd_prove(&a);
    if (strcmp(cmd, "verify") == 0) return cmd_verify(&a);
    if (strcmp(cmd, "circuit-gen") == 0) return cmd_circuit_gen(&a);
    if (strcmp(cmd, "circuit-prove") == 0) return cmd_circuit_prove(&a);
    if (strcmp(cmd, "circuit-verify") == 0) return cmd_circuit_verify(&a);
    if (strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    return die(EXIT_USAGE, "unknown command '%s' (see gkrcnn --help)", cmd);
}
