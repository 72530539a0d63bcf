# gkrcnn -- GKR/sumcheck prover for CNN inference over Mersenne-61.
#
#   make            release build: build/gkrcnn, build/libgkrcnn.a
#   make test       ASan+UBSan build with -DZK_VERIFY, runs every test
#   make bench      -O3 -march=native build, writes experiments/results/micro*.csv
#   make bench-cnn  proves and verifies the four models, writes experiments/results/cnn.{csv,md}
#   make fuzz       libFuzzer targets (clang), short runs over the seed corpus
#   make demo       installs what is missing, builds, runs the demo
#
# Every target first installs missing Debian packages (scripts/deps.sh).

# the first rule below is a generated-file rule: name the default explicitly
.DEFAULT_GOAL := all

CC      ?= cc
PKGS    := gcc make libc6-dev pkg-config libssl-dev libgmp-dev libflint-dev clang libclang-rt-14-dev \
           libprotobuf-c-dev protobuf-c-compiler libonnx-dev libonnx-testdata libhdf5-dev
HDF5_CFLAGS = $(shell pkg-config --cflags hdf5 2>/dev/null || echo -I/usr/include/hdf5/serial)
HDF5_LIBS   = $(shell pkg-config --libs hdf5 2>/dev/null || echo -L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5)
WARN    = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unknown-pragmas \
          -Ibuild/gen $(HDF5_CFLAGS)
LIBS    = -lprotobuf-c $(HDF5_LIBS) -lcrypto -lm
OMP     := -fopenmp

# ONNX's protobuf schema, compiled with protoc-c at build time (not committed)
ONNX_PROTO := /usr/include/onnx/onnx.proto
GEN_SRC := build/gen/onnx.pb-c.c
build/gen/onnx.pb-c.c build/gen/onnx.pb-c.h &: | deps
	@mkdir -p build/gen
	cp $(ONNX_PROTO) build/gen/onnx.proto
	cd build/gen && protoc-c --c_out=. onnx.proto

LIB_SRC := $(sort $(wildcard src/core/*.c src/fields/*.c src/poly/*.c src/transcript/*.c \
                   src/sumcheck/*.c src/gkr/*.c src/pcs/*.c src/proof/*.c src/io/*.c \
                   src/nn/*.c src/onnx/*.c src/quant/*.c src/layers/*.c src/plonkish/*.c)) $(GEN_SRC)
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/*.c))
BENCH_SRC := $(sort $(filter-out bench/bench_cnn.c bench/bench_experiments.c,$(wildcard bench/*.c)))
HDRS    := $(wildcard src/*/*.h tests/*.h) build/gen/onnx.pb-c.h

# configurations: release (build/), test (build/test), bench (build/bench)
REL_CFLAGS   := -O2 -g $(WARN) $(OMP)
TEST_CFLAGS  := -O1 -g $(WARN) $(OMP) -DZK_VERIFY -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
BENCH_CFLAGS := -O3 -march=native -g $(WARN) $(OMP)

.PHONY: all deps test bench bench-cnn experiments demo fuzz clean check-deps accuracy
all: deps build/gkrcnn build/libgkrcnn.a

deps:
	@scripts/deps.sh $(PKGS)

define objs
$(patsubst %.c,$(1)/obj/%.o,$(2))
endef

build/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -c $< -o $@
# protoc-c output is compiled without the project's warning flags. (One rule
# per tree: a pattern rule with several targets would be taken to make them
# all at once, which broke parallel builds.)
GEN_CC = @mkdir -p $(dir $@); echo "$(CC) -O2 -g -std=c11 -Ibuild/gen -c $< -o $@"; $(CC) -O2 -g -std=c11 -Ibuild/gen -c $< -o $@
build/obj/build/gen/%.o: build/gen/%.c build/gen/%.h
	$(GEN_CC)
build/test/obj/build/gen/%.o: build/gen/%.c build/gen/%.h
	$(GEN_CC)
build/bench/obj/build/gen/%.o: build/gen/%.c build/gen/%.h
	$(GEN_CC)
build/test/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -c $< -o $@
build/bench/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -c $< -o $@

build/libgkrcnn.a: $(call objs,build,$(LIB_SRC))
	@rm -f $@
	ar rcs $@ $^
build/test/libgkrcnn.a: $(call objs,build/test,$(LIB_SRC))
	@rm -f $@
	ar rcs $@ $^
build/bench/libgkrcnn.a: $(call objs,build/bench,$(LIB_SRC))
	@rm -f $@
	ar rcs $@ $^

build/gkrcnn: $(call objs,build,$(CLI_SRC)) build/libgkrcnn.a
	$(CC) $(REL_CFLAGS) $^ -o $@ $(LIBS)
build/test/gkrcnn: $(call objs,build/test,$(CLI_SRC)) build/test/libgkrcnn.a
	$(CC) $(TEST_CFLAGS) $^ -o $@ $(LIBS)
build/test/run_tests: $(call objs,build/test,$(TEST_SRC)) build/test/libgkrcnn.a
	$(CC) $(TEST_CFLAGS) $^ -o $@ -lflint -lgmp $(LIBS)
# transcripts of the zero-knowledge blocks for the spec verifier tests/spec/zk_spec.py
build/test/zk_transcripts: build/test/obj/tests/spec/zk_transcripts.o build/test/libgkrcnn.a
	$(CC) $(TEST_CFLAGS) $^ -o $@ $(LIBS)
build/bench/bench_micro: $(call objs,build/bench,$(BENCH_SRC)) build/bench/libgkrcnn.a
	$(CC) $(BENCH_CFLAGS) $^ -o $@ $(LIBS)
build/bench/bench_cnn: build/bench/obj/bench/bench_cnn.o build/bench/obj/bench/bench_sys.o build/bench/libgkrcnn.a
	$(CC) $(BENCH_CFLAGS) $^ -o $@ $(LIBS)
build/bench/bench_experiments: build/bench/obj/bench/bench_experiments.o build/bench/obj/bench/bench_sys.o build/bench/libgkrcnn.a
	$(CC) $(BENCH_CFLAGS) $^ -o $@ $(LIBS)
build/bench/gkrcnn: $(call objs,build/bench,$(CLI_SRC)) build/bench/libgkrcnn.a
	$(CC) $(BENCH_CFLAGS) $^ -o $@ $(LIBS)

# Tests: unit/property/malicious-prover tests, then the spec verifier of the
# zero-knowledge blocks on the C transcripts (tests/spec/zk_spec_test.py, a few
# seconds), then CLI tests, then short fuzz runs.
# The small ResNet (generated, with python3-torch) is there so that the
# malicious-prover strategies, the two-challenge logUp and the advice sweep
# also run on a residual network.
test: deps build/test/run_tests build/test/gkrcnn build/test/zk_transcripts models/resnet_small.onnx
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./build/test/run_tests
	$(PY) tests/spec/zk_spec_test.py ./build/test/zk_transcripts
	GKRCNN=./build/test/gkrcnn sh tests/cli_test.sh
	$(MAKE) --no-print-directory fuzz FUZZ_RUNS=200000

# all cores (micro.csv) and one core (micro_1thread.csv), the issue's targets
bench: deps build/bench/bench_micro
	./build/bench/bench_micro experiments/results/micro.csv
	./build/bench/bench_micro experiments/results/micro_1thread.csv --threads 1

# LeNet-5, the MLP, the ResNets, VGG-16 and MobileNetV2 proved and verified,
# one process per model (plus LeNet-5 on one thread), each with a non-zk and
# a zk key (--zk both): experiments/results/cnn.csv and cnn.md.
# OMP_WAIT_POLICY=PASSIVE unless set: spinning OpenMP workers made 2-thread
# proving up to 8x slower than 1 thread on the shared 2-core machine.
bench-cnn: deps build/bench/bench_cnn models
	OMP_WAIT_POLICY=$${OMP_WAIT_POLICY:-PASSIVE} ./build/bench/bench_cnn --zk both

# GKR against the Plonkish baseline on the same models (issue 5):
# experiments/results/experiments.{h5,md,png}; the baseline's SRS is cached
# in experiments/cache (insecure, seeded; benchmarking only).
EXP_PKGS := python3-matplotlib python3-h5py
experiments: deps build/bench/bench_experiments models
	@scripts/deps.sh $(EXP_PKGS)
	OMP_WAIT_POLICY=$${OMP_WAIT_POLICY:-PASSIVE} ./build/bench/bench_experiments
	/usr/bin/python3 experiments/plot.py

demo: deps build/gkrcnn
	sh scripts/demo.sh

# LeNet-5 and the Softmax CNN on all 10,000 Fashion-MNIST test images, float
# (onnxruntime-node) against quantized (gkrcnn); results in
# experiments/results/{lenet5,cnn_softmax}_*.json
# (experiments/fashion_accuracy.sh MODEL for another Fashion-MNIST model)
accuracy: deps
	sh experiments/fashion_accuracy.sh

# libFuzzer targets (clang, no OpenMP), tests/fuzz/fuzz_*.c: fuzz_proof (circuit
# proof verifier), fuzz_circuit (circuit and input files), fuzz_onnx (ONNX
# importer), fuzz_inputs (JSON inputs, quantized models), fuzz_cnn (CNN verifier
# and key decoders). Each runs FUZZ_RUNS inputs, or FUZZ_RUNS / D when
# tests/fuzz/<name>.runs holds a divisor D (a target whose inputs cost more:
# fuzz_cnn verifies whole CNN proofs), for at most 300 s, starting from its
# corpus in build/fuzz (grown by earlier runs) and tests/fuzz/seeds/<name>;
# inputs up to 8192 bytes, or tests/fuzz/<name>.maxlen bytes (fuzz_cnn: its
# seeds hold whole keys, ~22 KB with the weight-range certificate).
FUZZ_RUNS ?= 200000
# The library is compiled once for all targets (coverage instrumentation
# without libFuzzer's main: fuzzer-no-link) and each target linked with
# -fsanitize=fuzzer; compiling it again per target took about a minute each.
FUZZ_FLAGS := -g -O1 -std=c11 -D_GNU_SOURCE -Wno-unknown-pragmas -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_OBJS := $(patsubst %.c,build/fuzz/obj/%.o,$(LIB_SRC))
build/fuzz/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_FLAGS) -Ibuild/gen $(HDF5_CFLAGS) -c $< -o $@
build/fuzz/libfuzzlib.a: $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^
build/fuzz/%: tests/fuzz/%.c build/fuzz/libfuzzlib.a $(HDRS)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer -Ibuild/gen $(HDF5_CFLAGS) $< build/fuzz/libfuzzlib.a -o $@ $(LIBS)
fuzz: deps $(FUZZ_TARGETS)
	@n=0; for t in $(FUZZ_TARGETS); do \
	    name=$$(basename $$t); corpus=build/fuzz/corpus-$$name; mkdir -p $$corpus tests/fuzz/seeds/$$name; \
	    runs=$(FUZZ_RUNS); [ -f tests/fuzz/$$name.runs ] && runs=$$(($(FUZZ_RUNS) / $$(cat tests/fuzz/$$name.runs))); \
	    maxlen=8192; [ -f tests/fuzz/$$name.maxlen ] && maxlen=$$(cat tests/fuzz/$$name.maxlen); \
	    echo "fuzz: $$name, $$runs runs"; \
	    $$t -runs=$$runs -max_total_time=300 -max_len=$$maxlen $$corpus tests/fuzz/seeds/$$name >build/fuzz/$$name.log 2>&1 \
	        || { tail -40 build/fuzz/$$name.log; exit 1; }; \
	    grep -E "^#[0-9]+ +DONE" build/fuzz/$$name.log || tail -2 build/fuzz/$$name.log; \
	    n=$$((n + 1)); \
	done; echo "fuzz: $$n passed, 0 failed"

clean:
	rm -rf build

# ---- models and data (scripts/) ----
# make models  LeNet-5 and the MLP on Fashion-MNIST (committed: trained only when
#              their .onnx is missing), VGG-16 (CIFAR shape) and the small ResNet
#              (seeded random weights, generated, not committed); see models/README.md
# make data    build/data/fashion_mnist.h5 (Fashion-MNIST as HDF5, preprocessed x included)
# make ort     onnxruntime-node for the float reference scripts/ort_eval.js
# Python scripts run on Debian's /usr/bin/python3 (python3-torch, python3-onnx, ...).
PY          := /usr/bin/python3
MODEL_PKGS  := python3-torch python3-onnx python3-numpy python3-h5py dataset-fashion-mnist
DATA_PKGS   := python3-numpy python3-h5py dataset-fashion-mnist
.PHONY: models data ort model-deps data-deps node-deps

model-deps:
	@scripts/deps.sh $(MODEL_PKGS)
data-deps:
	@scripts/deps.sh $(DATA_PKGS)
# Node.js from any source will do (Debian's nodejs and npm when neither is there)
node-deps:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || scripts/deps.sh nodejs npm

models: models/lenet5_fashion.onnx models/mlp3_fashion.onnx models/cnn_softmax_fashion.onnx \
        models/calib/lenet5_fashion_calib.json models/calib/mlp3_fashion_calib.json \
        models/calib/cnn_softmax_fashion_calib.json \
        models/vgg16_cifar.onnx models/resnet_small.onnx models/resnet18_cifar.onnx models/mobilenetv2_cifar.onnx

# Committed models: no prerequisites, so only a missing file triggers (re)training.
models/lenet5_fashion.onnx: | model-deps
	$(PY) scripts/train_lenet5.py
models/mlp3_fashion.onnx: | model-deps
	$(PY) scripts/train_mlp3.py
models/cnn_softmax_fashion.onnx: | model-deps
	$(PY) scripts/train_cnn_softmax.py
# their inputs and calibration sets (also written by the training scripts)
models/calib/lenet5_fashion_calib.json: | model-deps
	$(PY) scripts/fashion_inputs.py lenet5_fashion
models/calib/mlp3_fashion_calib.json: | model-deps
	$(PY) scripts/fashion_inputs.py mlp3_fashion
models/calib/cnn_softmax_fashion_calib.json: | model-deps
	$(PY) scripts/fashion_inputs.py cnn_softmax_fashion

# Generated models (deterministic from the seed), with their inputs and calibration sets
models/vgg16_cifar.onnx models/calib/vgg16_cifar_calib.json &: scripts/make_models.py | model-deps
	$(PY) scripts/make_models.py vgg16_cifar
models/resnet_small.onnx models/calib/resnet_small_calib.json &: scripts/make_models.py | model-deps
	$(PY) scripts/make_models.py resnet_small
models/resnet18_cifar.onnx models/calib/resnet18_cifar_calib.json &: scripts/make_models.py | model-deps
	$(PY) scripts/make_models.py resnet18_cifar
models/mobilenetv2_cifar.onnx models/calib/mobilenetv2_cifar_calib.json &: scripts/make_models.py | model-deps
	$(PY) scripts/make_models.py mobilenetv2_cifar

data: build/data/fashion_mnist.h5
build/data/fashion_mnist.h5: scripts/fashion_to_h5.py scripts/fmnist.py | data-deps
	$(PY) scripts/fashion_to_h5.py $@

ort: node_modules/onnxruntime-node/package.json
node_modules/onnxruntime-node/package.json: | node-deps
	if [ -f package-lock.json ]; then npm ci --ignore-scripts --no-audit --no-fund; \
	else npm install --ignore-scripts --no-audit --no-fund; fi
	@test -f $@
# ---- end models and data ----
