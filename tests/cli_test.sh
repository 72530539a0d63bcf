#!/bin/sh
# CLI contract tests: exit codes 0 (valid), 1 (invalid proof), 2 (usage or
# file error), one-line errors, no partial output files.
# Usage: GKRCNN=build/test/gkrcnn sh tests/cli_test.sh
set -u
G=${GKRCNN:-build/gkrcnn}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

expect() { # expect CODE DESCRIPTION -- command...
    want=$1; what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"; got=$?
    lines=$(wc -l <"$T/err")
    if [ "$got" -eq "$want" ] && { [ "$want" -eq 0 ] || [ "$lines" -eq 1 ]; }; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); echo "FAIL cli: $what: exit $got (want $want), $lines stderr lines:"; cat "$T/err"
    fi
}

expect12() { # expect12 DESCRIPTION -- command...: exit 1 or 2 (rejected, no crash), one stderr line
    what=$1; shift 2
    "$@" >"$T/out" 2>"$T/err"; got=$?
    lines=$(wc -l <"$T/err")
    if { [ "$got" -eq 1 ] || [ "$got" -eq 2 ]; } && [ "$lines" -eq 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); echo "FAIL cli: $what: exit $got (want 1 or 2), $lines stderr lines:"; cat "$T/err"
    fi
}

expect 0 "help" -- "$G" --help
expect 2 "no command" -- "$G"
expect 2 "unknown command" -- "$G" frobnicate
expect 2 "unknown option" -- "$G" circuit-prove --bogus x
expect 2 "bad --threads" -- "$G" --threads 0 circuit-prove
expect 2 "bad width" -- "$G" circuit-gen --width 99 --depth 2 --circuit "$T/c" --input "$T/i" --public "$T/p"
expect 0 "gen" -- "$G" circuit-gen --width 6 --depth 3 --seed 7 --circuit "$T/c" --input "$T/i" --public "$T/p"
expect 0 "prove" -- "$G" circuit-prove --circuit "$T/c" --input "$T/i" --proof "$T/proof"
expect 0 "verify" -- "$G" circuit-verify --circuit "$T/c" --public "$T/p" --proof "$T/proof"
expect 0 "prove, 1 thread" -- "$G" --threads 1 circuit-prove --circuit "$T/c" --input "$T/i" --proof "$T/proof1"
if cmp -s "$T/proof" "$T/proof1"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL cli: proof depends on thread count"; fi

# missing / wrong files
expect 2 "missing circuit" -- "$G" circuit-verify --circuit "$T/nope" --public "$T/p" --proof "$T/proof"
expect 2 "missing proof" -- "$G" circuit-verify --circuit "$T/c" --public "$T/p" --proof "$T/nope"
expect 2 "proof as circuit" -- "$G" circuit-verify --circuit "$T/proof" --public "$T/p" --proof "$T/proof"
expect 2 "full input as public" -- "$G" circuit-verify --circuit "$T/c" --public "$T/i" --proof "$T/proof"
expect 2 "unwritable proof path" -- "$G" circuit-prove --circuit "$T/c" --input "$T/i" --proof "$T/no/such/dir/p"
[ ! -e "$T/no/such/dir/p" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: partial output"; }

# tampered, truncated, extended, foreign proofs
size=$(wc -c <"$T/proof")
for off in 0 9 20 30 100 1000 $((size / 2)) $((size - 1)); do
    [ "$off" -lt "$size" ] || continue
    cp "$T/proof" "$T/bad"
    b=$(od -An -tu1 -j "$off" -N1 "$T/bad" | tr -d ' ')
    printf "$(printf '\\%03o' $(( (b + 1) % 256 )))" | dd of="$T/bad" bs=1 seek="$off" conv=notrunc 2>/dev/null
    expect 1 "byte $off changed" -- "$G" circuit-verify --circuit "$T/c" --public "$T/p" --proof "$T/bad"
done
head -c $((size - 1)) "$T/proof" >"$T/bad"
expect 1 "truncated" -- "$G" circuit-verify --circuit "$T/c" --public "$T/p" --proof "$T/bad"
cp "$T/proof" "$T/bad"; printf 'x' >>"$T/bad"
expect 1 "trailing byte" -- "$G" circuit-verify --circuit "$T/c" --public "$T/p" --proof "$T/bad"
: >"$T/bad"
expect 1 "empty proof" -- "$G" circuit-verify --circuit "$T/c" --public "$T/p" --proof "$T/bad"
expect 0 "gen other" -- "$G" circuit-gen --width 6 --depth 3 --seed 8 --circuit "$T/c2" --input "$T/i2" --public "$T/p2"
expect 1 "foreign proof (other circuit)" -- "$G" circuit-verify --circuit "$T/c2" --public "$T/p2" --proof "$T/proof"
expect 1 "other public input" -- "$G" circuit-verify --circuit "$T/c" --public "$T/p2" --proof "$T/proof"

# circuit files that declare huge layers in a few bytes (issue 11): the
# verifier must not reserve memory by the declared sizes. Run under a 4 GB
# address-space limit where the binary allows one (an ASan build does not
# start under ulimit -v; it then runs unlimited, which checks the verdicts).
le() { # le NBYTES VALUE: VALUE as NBYTES little-endian bytes
    n=$1 v=$2
    while [ "$n" -gt 0 ]; do printf "\\$(printf '%03o' $((v & 255)))"; v=$((v >> 8)); n=$((n - 1)); done
}
layer() { le 4 "$1"; le 4 "$2"; le 4 0; le 8 0; le 8 "${3:-0}"; le 8 0; } # layer KIND NVARS [NADD]
VLIM=
if sh -c 'ulimit -v 4000000 && "$0" --help; exit $?' "$G" >/dev/null 2>&1; then VLIM=4000000; fi
limited() { ( if [ -n "$VLIM" ]; then ulimit -v "$VLIM"; fi; exec "$@" ); }
# 88 bytes: a public layer of one value, an output layer of 2^28 values
{ printf GKRCIRC1; le 4 1; le 4 2; layer 1 0; layer 3 28; } >"$T/huge.c"
{ printf GKRCINP1; le 4 1; le 4 0; le 8 1; le 8 5; } >"$T/huge.p"
{ printf GKRCNNPF; le 4 2; le 4 1; le 8 0; } >"$T/huge.proof"
expect 1 "2^28 outputs, empty proof" -- limited "$G" circuit-verify --circuit "$T/huge.c" --public "$T/huge.p" --proof "$T/huge.proof"
# 144 bytes: an empty gate layer of 2^28 values read by one add gate of the
# output. Its honest proof is 1416 zero bytes (all values are 0): output 0,
# A = 0, the source claim 0, 28 zero sumcheck rounds, V = 0, then A = 0 and
# no source claims on the big layer; the verifier needs no table of it.
{ printf GKRCIRC1; le 4 1; le 4 3; layer 1 0; layer 3 28; layer 3 0 1; le 4 0; le 4 1; le 4 0; le 8 1; } >"$T/huge2.c"
{ printf GKRCNNPF; le 4 2; le 4 1; le 8 1416; head -c 1416 /dev/zero; } >"$T/huge2.proof"
expect 0 "2^28-value inner layer, honest proof" -- limited "$G" circuit-verify --circuit "$T/huge2.c" --public "$T/huge.p" --proof "$T/huge2.proof"
{ printf GKRCNNPF; le 4 2; le 4 1; le 8 1416; head -c 1415 /dev/zero; printf '\001'; } >"$T/bad"
expect 1 "2^28-value inner layer, tampered proof" -- limited "$G" circuit-verify --circuit "$T/huge2.c" --public "$T/huge.p" --proof "$T/bad"
{ printf GKRCNNPF; le 4 2; le 4 1; le 8 200; head -c 200 /dev/zero; } >"$T/bad"
expect 1 "2^28-value inner layer, short proof" -- limited "$G" circuit-verify --circuit "$T/huge2.c" --public "$T/huge.p" --proof "$T/bad"
# a committed layer beyond the commitment's 2^25 values: refused, no abort
{ printf GKRCIRC1; le 4 1; le 4 2; layer 2 26; layer 3 0; } >"$T/huge3.c"
{ printf GKRCINP1; le 4 0; } >"$T/huge3.p"
expect 2 "committed layer of 2^26 values" -- limited "$G" circuit-verify --circuit "$T/huge3.c" --public "$T/huge3.p" --proof "$T/huge.proof"

# the protocol document as a specification: tests/spec/gkr_verify.py, a
# verifier written from papers/protocol.md alone (Python, standard library),
# must accept the honest proofs and reject a tampered one
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)
if [ -n "$PY" ]; then
    S=tests/spec
    expect 0 "spec verifier, circuit-gen proof" -- "$PY" "$S/gkr_verify.py" "$T/c" "$T/p" "$T/proof"
    cp "$T/proof" "$T/bad"
    off=$(( $(wc -c <"$T/proof") / 2 ))
    b=$(od -An -tu1 -j "$off" -N1 "$T/bad" | tr -d ' ')
    printf "$(printf '\\%03o' $(( (b + 1) % 256 )))" | dd of="$T/bad" bs=1 seek="$off" conv=notrunc 2>/dev/null
    expect 1 "spec verifier, tampered proof" -- "$PY" "$S/gkr_verify.py" "$T/c" "$T/p" "$T/bad"
    expect 1 "spec verifier, foreign proof" -- "$PY" "$S/gkr_verify.py" "$T/c2" "$T/p2" "$T/proof"
    expect 0 "spec verifier, 2^28-value inner layer" -- "$PY" "$S/gkr_verify.py" "$T/huge2.c" "$T/huge.p" "$T/huge2.proof"
    mkdir -p "$T/spec"
    "$PY" "$S/make_circuits.py" "$T/spec" >"$T/spec/names"
    for n in $(cat "$T/spec/names"); do
        expect 0 "spec shape $n, prove" -- "$G" circuit-prove --circuit "$T/spec/$n.c" --input "$T/spec/$n.i" --proof "$T/spec/$n.proof"
        expect 0 "spec shape $n, spec verifier" -- "$PY" "$S/gkr_verify.py" "$T/spec/$n.c" "$T/spec/$n.p" "$T/spec/$n.proof"
    done
    size=$(wc -c <"$T/spec/two-committed.proof")
    head -c $((size - 1)) "$T/spec/two-committed.proof" >"$T/bad"
    expect 1 "spec verifier, truncated proof" -- "$PY" "$S/gkr_verify.py" "$T/spec/two-committed.c" "$T/spec/two-committed.p" "$T/bad"
else
    echo "cli: no python3, spec verifier checks skipped"
fi

# models: setup and infer (LeNet-5, committed with its calibration set and inputs)
M=models/lenet5_fashion.onnx
if [ -f "$M" ]; then
    expect 0 "setup" -- "$G" setup --zk off --model "$M" --calib models/calib/lenet5_fashion_calib.json --out "$T/key"
    [ -f "$T/key/model.pk" ] && [ -f "$T/key/model.vk" ] && [ -f "$T/key/settings.json" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: setup outputs missing"; }
    expect 0 "infer json" -- "$G" infer --pk "$T/key/model.pk" --input models/inputs/lenet5_fashion_0.json --out "$T/o.json"
    grep -q '"output_data"' "$T/o.json" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: infer --out"; }
    expect 0 "infer pb" -- "$G" infer --pk "$T/key/model.pk" --input models/inputs/lenet5_fashion_0.pb
    expect 2 "setup, missing model" -- "$G" setup --zk off --model "$T/nope.onnx" --out "$T/k2"
    head -c 1000 "$M" >"$T/trunc.onnx"
    expect 2 "setup, truncated model" -- "$G" setup --zk off --model "$T/trunc.onnx" --out "$T/k2"
    [ ! -e "$T/k2/model.pk" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: partial key left"; }
    expect 2 "setup, model as calibration" -- "$G" setup --zk off --model "$M" --calib "$M" --out "$T/k2"
    expect 2 "setup, bad bits" -- "$G" setup --zk off --model "$M" --act-bits 99 --out "$T/k2"
    printf '{"input_data": [[1, 2, 3]]}' >"$T/short.json"
    expect 2 "infer, wrong input size" -- "$G" infer --pk "$T/key/model.pk" --input "$T/short.json"
    printf '{"input_data": [[NaN]]}' >"$T/nan.json"
    expect 2 "infer, NaN" -- "$G" infer --pk "$T/key/model.pk" --input "$T/nan.json"
    expect 2 "infer, model as key" -- "$G" infer --pk "$M" --input models/inputs/lenet5_fashion_0.json
    head -c 500 "$T/key/model.pk" >"$T/trunc.pk"
    expect 2 "infer, truncated key" -- "$G" infer --pk "$T/trunc.pk" --input models/inputs/lenet5_fashion_0.json

    # prove and verify (LeNet-5)
    K=$T/key; I0=models/inputs/lenet5_fashion_0.json; I1=models/inputs/lenet5_fashion_1.json
    expect 0 "prove" -- "$G" prove --pk "$K/model.pk" --input "$I0" --proof "$T/cnn.proof" --out "$T/prove_out.json"
    expect 0 "verify" -- "$G" verify --vk "$K/model.vk" --proof "$T/cnn.proof" --out "$T/verify_out.json"
    grep -q "proof valid" "$T/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: verify does not say proof valid"; }
    grep -q "Fiat-Shamir: a prover making T hash calls" "$T/out" && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: verify does not print the Fiat-Shamir figure"; }
    cmp -s "$T/prove_out.json" "$T/verify_out.json" && grep -q '"output_data"' "$T/verify_out.json" && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: verify --out differs from prove --out"; }
    expect 0 "prove, 1 thread" -- "$G" --threads 1 prove --pk "$K/model.pk" --input "$I0" --proof "$T/cnn1.proof"
    cmp -s "$T/cnn.proof" "$T/cnn1.proof" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: cnn proof depends on thread count"; }
    expect 0 "verify, right input" -- "$G" verify --vk "$K/model.vk" --proof "$T/cnn.proof" --input "$I0"
    expect 0 "verify, right input (.pb)" -- "$G" verify --vk "$K/model.vk" --proof "$T/cnn.proof" --input models/inputs/lenet5_fashion_0.pb
    expect 1 "verify, other input" -- "$G" verify --vk "$K/model.vk" --proof "$T/cnn.proof" --input "$I1" --out "$T/no_out.json"
    grep -q "different input" "$T/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: other input not named"; }
    [ ! -e "$T/no_out.json" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: verify --out written on failure"; }
    # tampered, truncated, extended, foreign proofs
    size=$(wc -c <"$T/cnn.proof")
    for off in 9 30 $((size / 2)) $((size - 1)); do
        cp "$T/cnn.proof" "$T/bad"
        b=$(od -An -tu1 -j "$off" -N1 "$T/bad" | tr -d ' ')
        printf "$(printf '\\%03o' $(( (b + 1) % 256 )))" | dd of="$T/bad" bs=1 seek="$off" conv=notrunc 2>/dev/null
        expect 1 "cnn proof, byte $off changed" -- "$G" verify --vk "$K/model.vk" --proof "$T/bad"
    done
    head -c $((size / 2)) "$T/cnn.proof" >"$T/bad"
    expect12 "cnn proof, truncated" -- "$G" verify --vk "$K/model.vk" --proof "$T/bad"
    head -c 20 "$T/cnn.proof" >"$T/bad"
    expect12 "cnn proof, truncated header" -- "$G" verify --vk "$K/model.vk" --proof "$T/bad"
    cp "$T/cnn.proof" "$T/bad"; printf 'x' >>"$T/bad"
    expect 1 "cnn proof, trailing byte" -- "$G" verify --vk "$K/model.vk" --proof "$T/bad"
    expect 1 "circuit proof as cnn proof" -- "$G" verify --vk "$K/model.vk" --proof "$T/proof"
    expect 1 "cnn proof as circuit proof" -- "$G" circuit-verify --circuit "$T/c" --public "$T/p" --proof "$T/cnn.proof"
    M2=models/mlp3_fashion.onnx
    if [ -f "$M2" ]; then
        expect 0 "setup, other model" -- "$G" setup --zk off --model "$M2" --calib models/calib/mlp3_fashion_calib.json --out "$T/key2"
        expect12 "verify, vk of another model" -- "$G" verify --vk "$T/key2/model.vk" --proof "$T/cnn.proof"
    fi
    # keys
    expect 2 "verify, missing vk" -- "$G" verify --vk "$T/nope.vk" --proof "$T/cnn.proof"
    head -c $(( $(wc -c <"$K/model.vk") - 1 )) "$K/model.vk" >"$T/trunc.vk"
    expect 2 "verify, truncated vk" -- "$G" verify --vk "$T/trunc.vk" --proof "$T/cnn.proof"
    expect 2 "verify, pk as vk" -- "$G" verify --vk "$K/model.pk" --proof "$T/cnn.proof"
    expect 2 "prove, vk as pk" -- "$G" prove --pk "$K/model.vk" --input "$I0" --proof "$T/p2.proof"
    expect 2 "verify, missing proof" -- "$G" verify --vk "$K/model.vk" --proof "$T/nope.proof"
    # inputs
    expect 2 "prove, wrong input shape" -- "$G" prove --pk "$K/model.pk" --input "$T/short.json" --proof "$T/p2.proof"
    [ ! -e "$T/p2.proof" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: proof written for a bad input"; }
    expect 2 "prove, several samples" -- "$G" prove --pk "$K/model.pk" --input models/calib/lenet5_fashion_calib.json --proof "$T/p2.proof"
    expect 2 "prove, NaN" -- "$G" prove --pk "$K/model.pk" --input "$T/nan.json" --proof "$T/p2.proof"
    [ ! -e "$T/p2.proof" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: proof written for a bad input"; }
    expect 2 "prove, unwritable proof path" -- "$G" prove --pk "$K/model.pk" --input "$I0" --proof "$T/no/such/dir/p"
    expect 2 "verify, wrong input shape" -- "$G" verify --vk "$K/model.vk" --proof "$T/cnn.proof" --input "$T/short.json"
    # several inputs, one commitment to the weights: the same proofs as one at a time
    expect 0 "prove, two inputs" -- "$G" prove --pk "$K/model.pk" --input "$I1" --input "$I0" --proof "$T/b1.proof" \
        --proof "$T/b0.proof" --out "$T/b1.json" --out "$T/b0.json"
    cmp -s "$T/b0.proof" "$T/cnn.proof" && cmp -s "$T/b0.json" "$T/prove_out.json" && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: a batch proof differs from the single one"; }
    expect 0 "verify, batch proof" -- "$G" verify --vk "$K/model.vk" --proof "$T/b1.proof" --input "$I1"
    expect 0 "verify, two proofs" -- "$G" verify --vk "$K/model.vk" --proof "$T/b0.proof" --proof "$T/b1.proof" \
        --input "$I0" --input "$I1" --out "$T/v0.json" --out "$T/v1.json"
    cmp -s "$T/v0.json" "$T/b0.json" && cmp -s "$T/v1.json" "$T/b1.json" && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: batch verify --out differs from prove --out"; }
    expect 1 "verify, two proofs, second for another input" -- "$G" verify --vk "$K/model.vk" --proof "$T/b0.proof" \
        --proof "$T/b1.proof" --input "$I0" --input "$I0" --out "$T/v2.json" --out "$T/v3.json"
    [ ! -e "$T/v2.json" ] && [ ! -e "$T/v3.json" ] && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: a failed batch verify wrote outputs"; }
    expect 2 "verify, proofs and inputs unpaired" -- "$G" verify --vk "$K/model.vk" --proof "$T/b0.proof" --proof "$T/b1.proof" --input "$I0"
    expect 2 "verify, --vk twice" -- "$G" verify --vk "$K/model.vk" --vk "$K/model.vk" --proof "$T/cnn.proof"
    expect 2 "prove, --pk twice" -- "$G" prove --pk "$K/model.pk" --pk "$K/model.pk" --input "$I0" --proof "$T/p3.proof"
    expect 2 "prove, inputs and proofs unpaired" -- "$G" prove --pk "$K/model.pk" --input "$I0" --input "$I1" --proof "$T/p3.proof"
    expect 2 "prove, second input bad" -- "$G" prove --pk "$K/model.pk" --input "$I0" --proof "$T/p3.proof" --input "$T/nan.json" --proof "$T/p4.proof"
    [ ! -e "$T/p3.proof" ] && [ ! -e "$T/p4.proof" ] && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: a batch with a bad input wrote proofs"; }
    expect 2 "prove, second proof unwritable" -- "$G" prove --pk "$K/model.pk" --input "$I0" --proof "$T/p3.proof" --input "$I1" --proof "$T/no/such/dir/p"
    [ ! -e "$T/p3.proof" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: a failed batch left its first proof"; }
fi
# CNN proofs against the protocol document: tests/spec/cnn_verify.py, a
# verifier written from papers/protocol.md 7.8 alone (Python, standard
# library), must accept the honest proofs of small models covering every
# layer kind (tests/spec/make_models.py, which needs python3-onnx) and of
# LeNet-5, and reject tampered, truncated, extended and foreign proofs
flip() { # flip FILE OFFSET: add 1 to the byte at OFFSET
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $(( (b + 1) % 256 )))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# a damaged weight-range certificate (papers/protocol.md 7.1.1, its bytes
# after the skeleton, root, w_nvars and its length) makes the key unusable
if [ -f "$T/key/model.vk" ] && [ -f "$T/cnn.proof" ]; then
    s=$(od -An -tu8 -j 12 -N8 "$T/key/model.vk" | tr -d ' ')
    for off in $((64 + s)) $((64 + s + 5000)); do
        cp "$T/key/model.vk" "$T/badr.vk"; flip "$T/badr.vk" "$off"
        expect 2 "verify, weight-range certificate byte $off changed" -- "$G" verify --vk "$T/badr.vk" --proof "$T/cnn.proof"
        grep -q "weight-range certificate" "$T/err" && pass=$((pass + 1)) \
            || { fail=$((fail + 1)); echo "FAIL cli: a damaged weight-range certificate is not named"; }
    done
    "$G" setup --zk off --model models/lenet5_fashion.onnx --calib models/calib/lenet5_fashion_calib.json --out "$T/key" 2>/dev/null \
        | grep -q "weight range: certified b_w = 12-bit weights" && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: setup does not report the weight-range certificate"; }
fi
if [ -n "$PY" ]; then
    S=tests/spec
    CV="$S/cnn_verify.py"
    if [ -f "$T/cnn.proof" ] && [ -f "$T/key/model.vk" ]; then
        "$G" verify --vk "$T/key/model.vk" --proof "$T/cnn.proof" 2>/dev/null \
            | sed -n 's/^prediction: class [0-9]*; outputs //p' | cut -d' ' -f1-16 >"$T/c_out"
        expect 0 "cnn spec verifier, LeNet-5" -- "$PY" "$CV" "$T/key/model.vk" "$T/cnn.proof"
        sed -n 's/^valid proof; outputs //p' "$T/out" | cut -d' ' -f1-16 >"$T/py_out"
        [ -s "$T/c_out" ] && cmp -s "$T/c_out" "$T/py_out" && pass=$((pass + 1)) \
            || { fail=$((fail + 1)); echo "FAIL cli: the cnn spec verifier attests other outputs than gkrcnn verify"; }
        # what the proof shows (--census, protocol.md 9.1): every byte of the
        # body is accounted for, and today's proofs carry the input in the clear
        expect 0 "cnn spec verifier, LeNet-5, census" -- "$PY" "$CV" -q --census "$T/key/model.vk" "$T/cnn.proof"
        awk '/^proof body/ {b = $3} /^(statement|commitment|sumcheck|opening|evaluations)/ {s += $NF} END {exit !(b > 0 && s == b)}' "$T/out" \
            && grep -q "^statement (input, in the clear)" "$T/out" && pass=$((pass + 1)) \
            || { fail=$((fail + 1)); echo "FAIL cli: the census does not account for the LeNet-5 proof"; }
        size=$(wc -c <"$T/cnn.proof")
        for off in 30 $((size / 3)) $((size - 1)); do
            cp "$T/cnn.proof" "$T/bad"; flip "$T/bad" "$off"
            expect 1 "cnn spec verifier, LeNet-5, byte $off changed" -- "$PY" "$CV" "$T/key/model.vk" "$T/bad"
        done
        head -c $((size / 2)) "$T/cnn.proof" >"$T/bad"
        expect 1 "cnn spec verifier, LeNet-5, truncated" -- "$PY" "$CV" "$T/key/model.vk" "$T/bad"
        cp "$T/cnn.proof" "$T/bad"; printf 'x' >>"$T/bad"
        expect 1 "cnn spec verifier, LeNet-5, trailing byte" -- "$PY" "$CV" "$T/key/model.vk" "$T/bad"
        expect 1 "cnn spec verifier, circuit proof" -- "$PY" "$CV" "$T/key/model.vk" "$T/proof"
        [ -f "$T/key2/model.vk" ] && expect 1 "cnn spec verifier, vk of another model" -- "$PY" "$CV" "$T/key2/model.vk" "$T/cnn.proof"
        expect 2 "cnn spec verifier, pk as vk" -- "$PY" "$CV" "$T/key/model.pk" "$T/cnn.proof"
        # what loading the key checks (papers/protocol.md 7.1.1, 7.8.1): one
        # byte in the middle of the weight-range certificate changed; the last
        # node's acc_bits (the skeleton's last i32 before the output tensor's)
        # raised to 60, so that its bias's certified range reaches 2^60 and
        # the field bound fails. Both verifiers refuse both keys (exit 2).
        s=$(od -An -tu8 -j 12 -N8 "$T/key/model.vk" | tr -d ' ')
        g=$(od -An -tu8 -j $((56 + s)) -N8 "$T/key/model.vk" | tr -d ' ')
        cp "$T/key/model.vk" "$T/badr.vk"; flip "$T/badr.vk" $((64 + s + g / 2))
        cp "$T/key/model.vk" "$T/badb.vk"
        printf '\074\000\000\000' | dd of="$T/badb.vk" bs=1 seek=$((20 + s - 8)) conv=notrunc 2>/dev/null
        for k in "badr:weight-range certificate is invalid" "badb:field bound"; do
            b=${k%%:*} why=${k#*:}
            expect 2 "cnn spec verifier, LeNet-5, $b.vk" -- "$PY" "$CV" "$T/$b.vk" "$T/cnn.proof"
            grep -q "$why" "$T/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: spec verifier, $b.vk: not \"$why\""; }
            expect 2 "verify, LeNet-5, $b.vk" -- "$G" verify --vk "$T/$b.vk" --proof "$T/cnn.proof"
            grep -q "$why" "$T/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: verify, $b.vk: not \"$why\""; }
        done
        # the key without its W (root 0, w_nvars 0, no certificates): it
        # loads, and the plan's W makes every proof invalid (exit 1, 7.8.1)
        head -c $((20 + s)) "$T/key/model.vk" >"$T/now.vk"; head -c 52 /dev/zero >>"$T/now.vk"
        expect 1 "cnn spec verifier, LeNet-5, key without W" -- "$PY" "$CV" "$T/now.vk" "$T/cnn.proof"
        expect 1 "verify, LeNet-5, key without W" -- "$G" verify --vk "$T/now.vk" --proof "$T/cnn.proof"
    fi
    if "$PY" -c "import onnx" 2>/dev/null; then
        Q=$T/cnnspec
        mkdir -p "$Q"
        "$PY" "$S/make_models.py" "$Q" >"$Q/names"
        for n in $(cat "$Q/names"); do
            expect 0 "spec model $n, setup" -- "$G" setup --zk off --model "$Q/$n.onnx" --calib "$Q/$n.calib.json" --out "$Q/$n"
            expect 0 "spec model $n, prove" -- "$G" prove --pk "$Q/$n/model.pk" --input "$Q/$n.input.json" --proof "$Q/$n.proof"
            expect 0 "spec model $n, cnn spec verifier" -- "$PY" "$CV" -q "$Q/$n/model.vk" "$Q/$n.proof"
        done
        # altered proofs of the models with integer-checked tensors, two
        # logUp challenges, a certified weight commitment, table lookups
        # (pair columns) and Softmax
        for n in residual bn_leaky_avg wide_conv big_fc lut_sig_tanh softmax; do
            [ -f "$Q/$n.proof" ] || continue
            size=$(wc -c <"$Q/$n.proof")
            for off in 40 $((size / 2)) $((size - 100)); do
                cp "$Q/$n.proof" "$T/bad"; flip "$T/bad" "$off"
                expect 1 "spec model $n, byte $off changed, cnn spec verifier" -- "$PY" "$CV" -q "$Q/$n/model.vk" "$T/bad"
            done
            head -c $((size - 16)) "$Q/$n.proof" >"$T/bad"
            expect 1 "spec model $n, truncated, cnn spec verifier" -- "$PY" "$CV" -q "$Q/$n/model.vk" "$T/bad"
        done
        if [ -f "$Q/big_fc/model.vk" ]; then # a bad weight certificate makes the key unusable
            cp "$Q/big_fc/model.vk" "$T/bad.vk"; flip "$T/bad.vk" $(( $(wc -c <"$T/bad.vk") - 100 ))
            expect 2 "spec model big_fc, bad certificate, cnn spec verifier" -- "$PY" "$CV" -q "$T/bad.vk" "$Q/big_fc.proof"
            expect 2 "spec model big_fc, bad certificate, gkrcnn verify" -- "$G" verify --vk "$T/bad.vk" --proof "$Q/big_fc.proof"
            # and so does a bad weight-range certificate (one byte in its middle)
            s=$(od -An -tu8 -j 12 -N8 "$Q/big_fc/model.vk" | tr -d ' ')
            g=$(od -An -tu8 -j $((56 + s)) -N8 "$Q/big_fc/model.vk" | tr -d ' ')
            cp "$Q/big_fc/model.vk" "$T/bad.vk"; flip "$T/bad.vk" $((64 + s + g / 2))
            expect 2 "spec model big_fc, bad weight-range certificate, cnn spec verifier" -- "$PY" "$CV" -q "$T/bad.vk" "$Q/big_fc.proof"
            expect 2 "spec model big_fc, bad weight-range certificate, gkrcnn verify" -- "$G" verify --vk "$T/bad.vk" --proof "$Q/big_fc.proof"
        fi
        expect 1 "spec model, foreign proof, cnn spec verifier" -- "$PY" "$CV" -q "$Q/residual/model.vk" "$Q/conv_pool.proof"
        expect 1 "spec model, foreign proof, gkrcnn verify" -- "$G" verify --vk "$Q/residual/model.vk" --proof "$Q/conv_pool.proof"
        # the zero-knowledge mode (protocol.md 9.5, 9.6) on models with integer
        # checks, function tables, Softmax and the wiring ops (a private input
        # read through maps): the spec verifier accepts, and rejects a changed byte
        for nm in residual:public lut_sig_tanh:public softmax:private wiring:private bn_leaky_avg:private; do
            n=${nm%%:*} vis=${nm#*:}
            [ -f "$Q/$n.onnx" ] || continue
            expect 0 "spec model $n, setup --zk on, $vis input" -- "$G" setup --model "$Q/$n.onnx" --calib "$Q/$n.calib.json" --out "$Q/$n.zk" \
                --zk on --input-visibility "$vis"
            expect 0 "spec model $n, zk prove" -- "$G" prove --pk "$Q/$n.zk/model.pk" --input "$Q/$n.input.json" --proof "$Q/$n.zk.proof"
            expect 0 "spec model $n, zk, cnn spec verifier" -- "$PY" "$CV" -q "$Q/$n.zk/model.vk" "$Q/$n.zk.proof"
            cp "$Q/$n.zk.proof" "$T/bad"; flip "$T/bad" $(( $(wc -c <"$T/bad") / 3 ))
            expect 1 "spec model $n, zk, byte changed, cnn spec verifier" -- "$PY" "$CV" -q "$Q/$n.zk/model.vk" "$T/bad"
        done
    else
        echo "cli: no python3-onnx, spec models skipped"
    fi
fi

# a class-only output (setup --output-visibility class, protocol.md 7.8.4):
# the proof attests the argmax, both verifiers print it, the prover's
# prediction is that class; bad visibility values are refused
if [ -f "$M" ]; then
    expect 0 "setup, class-only output" -- "$G" setup --zk off --model "$M" --calib models/calib/lenet5_fashion_calib.json --out "$T/kc" --output-visibility class
    grep -q '"output_visibility": "class"' "$T/kc/settings.json" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: settings.json lacks the output visibility"; }
    expect 0 "prove, class-only output" -- "$G" prove --pk "$T/kc/model.pk" --input models/inputs/lenet5_fashion_1.json --proof "$T/kc.proof"
    pc=$(sed -n 's/^prediction: class \([0-9]*\);.*/\1/p' "$T/out")
    expect 0 "verify, class-only output" -- "$G" verify --vk "$T/kc/model.vk" --proof "$T/kc.proof" --out "$T/kc.json"
    vc=$(sed -n 's/^prediction: class \([0-9]*\) (the proof attests the class only.*/\1/p' "$T/out")
    [ -n "$pc" ] && [ "$pc" = "$vc" ] && grep -q "{\"class\": $vc}" "$T/kc.json" && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: class-only output: prover's class '$pc', verifier's '$vc'"; }
    if [ -n "$PY" ]; then
        expect 0 "cnn spec verifier, class-only output" -- "$PY" tests/spec/cnn_verify.py "$T/kc/model.vk" "$T/kc.proof"
        grep -q "^valid proof; class $vc\$" "$T/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: spec verifier's class differs"; }
    fi
    [ -f "$T/cnn.proof" ] && expect 1 "verify, public-output proof against a class-only key" -- "$G" verify --vk "$T/kc/model.vk" --proof "$T/cnn.proof"
    expect 2 "setup, output visibility private" -- "$G" setup --zk off --model "$M" --out "$T/k4" --output-visibility private
    expect 2 "setup, bad output visibility" -- "$G" setup --zk off --model "$M" --out "$T/k4" --output-visibility argmax
    [ ! -e "$T/k4" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: a refused setup wrote its directory"; }
fi

# the zero-knowledge mode (setup's default, or --zk on; protocol.md 9.5): the key records
# it, two proofs of one input differ and both verify, a changed byte is
# rejected, a non-zk key refuses the proof; the spec verifier accepts the
# proofs (its census accounting for every byte) and rejects a changed byte;
# a bad value is refused
if [ -f "$M" ]; then
    # the mode is setup's default; --zk off and --no-zk make a plain key; --no-zk is a flag without a value
    expect 0 "setup, zero-knowledge by default" -- "$G" setup --model models/mlp3_fashion.onnx --out "$T/kd0"
    grep -q '"zero_knowledge": true' "$T/kd0/settings.json" && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: setup's default is not the zero-knowledge mode"; }
    expect 0 "setup --no-zk" -- "$G" setup --model models/mlp3_fashion.onnx --no-zk --out "$T/kd1"
    grep -q '"zero_knowledge": false' "$T/kd1/settings.json" && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: setup --no-zk made a zero-knowledge key"; }
    expect 2 "setup, --no-zk with --zk on" -- "$G" setup --no-zk --model models/mlp3_fashion.onnx --zk on --out "$T/kd2"
    expect 2 "setup, --no-zk twice" -- "$G" setup --no-zk --no-zk --model models/mlp3_fashion.onnx --out "$T/kd2"
    expect 2 "setup, --no-zk as a value" -- "$G" setup --model --no-zk --out "$T/kd2"
    [ ! -e "$T/kd2" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: a refused setup wrote its directory"; }
    expect 0 "setup, zero-knowledge mode" -- "$G" setup --model "$M" --calib models/calib/lenet5_fashion_calib.json --out "$T/kz" --zk on
    grep -q '"zero_knowledge": true' "$T/kz/settings.json" && grep -q "^setup: zero-knowledge mode" "$T/out" && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: zero-knowledge setup not recorded"; }
    grep -q "^setup: weights committed hiding for 8 openings: the weight-range certificate's and 7 proofs\$" "$T/out" \
        && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: the zero-knowledge key's weights are not committed hiding"; }
    expect 0 "prove, zero-knowledge mode" -- "$G" prove --pk "$T/kz/model.pk" --input models/inputs/lenet5_fashion_1.json --proof "$T/kz1.proof"
    expect 0 "prove again, zero-knowledge mode" -- "$G" prove --pk "$T/kz/model.pk" --input models/inputs/lenet5_fashion_1.json --proof "$T/kz2.proof"
    # the weights' hiding opening took the key's next slot: the count in the pk went 1 -> 2 -> 3
    grep -q "^weights: hiding opening with mask slot 2 of the commitment's 8 (5 proofs left)\$" "$T/out" \
        && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: the second zk proof did not take slot 2"; }
    cmp -s "$T/kz1.proof" "$T/kz2.proof" && { fail=$((fail + 1)); echo "FAIL cli: two zero-knowledge proofs are equal"; } || pass=$((pass + 1))
    expect 0 "verify, zero-knowledge mode" -- "$G" verify --vk "$T/kz/model.vk" --proof "$T/kz1.proof"
    expect 0 "verify the second, zero-knowledge mode" -- "$G" verify --vk "$T/kz/model.vk" --proof "$T/kz2.proof" --input models/inputs/lenet5_fashion_1.json
    cp "$T/kz1.proof" "$T/kzb.proof"; flip "$T/kzb.proof" 300000
    expect12 "verify, zero-knowledge proof with a flipped byte" -- "$G" verify --vk "$T/kz/model.vk" --proof "$T/kzb.proof"
    [ -f "$T/cnn.proof" ] && expect 1 "verify, non-zk proof against a zero-knowledge key" -- "$G" verify --vk "$T/kz/model.vk" --proof "$T/cnn.proof"
    if [ -n "$PY" ]; then
        "$G" verify --vk "$T/kz/model.vk" --proof "$T/kz1.proof" 2>/dev/null \
            | sed -n 's/^prediction: class [0-9]*; outputs //p' >"$T/c_out"
        expect 0 "cnn spec verifier, zero-knowledge proof" -- "$PY" tests/spec/cnn_verify.py "$T/kz/model.vk" "$T/kz1.proof"
        sed -n 's/^valid proof; outputs //p' "$T/out" >"$T/py_out"
        [ -s "$T/c_out" ] && cmp -s "$T/c_out" "$T/py_out" && pass=$((pass + 1)) \
            || { fail=$((fail + 1)); echo "FAIL cli: the cnn spec verifier attests other outputs than gkrcnn verify (zero-knowledge)"; }
        expect 0 "cnn spec verifier, zero-knowledge proof, census" -- "$PY" tests/spec/cnn_verify.py -q --census "$T/kz/model.vk" "$T/kz2.proof"
        awk '/^proof body/ {b = $3} /^(statement|commitment|sumcheck|opening|evaluations)/ {s += $NF} END {exit !(b > 0 && s == b)}' "$T/out" \
            && grep -q "^sumcheck masks" "$T/out" && pass=$((pass + 1)) \
            || { fail=$((fail + 1)); echo "FAIL cli: the census does not account for the zero-knowledge proof"; }
        expect 1 "cnn spec verifier, zero-knowledge proof with a flipped byte" -- "$PY" tests/spec/cnn_verify.py "$T/kz/model.vk" "$T/kzb.proof"
    fi
    # the weights' opening budget (protocol.md 9.5): --zk-budget N serves
    # N - 1 proofs; the count is in the pk, written (under a lock) before
    # the proof; a spent budget is refused with one line, no proof written;
    # two provers at once take different slots
    expect 0 "setup, zk budget 3" -- "$G" setup --model "$M" --calib models/calib/lenet5_fashion_calib.json --out "$T/kb" --zk on --zk-budget 3
    "$G" prove --pk "$T/kb/model.pk" --input models/inputs/lenet5_fashion_1.json --proof "$T/kb1.proof" >"$T/kb1.out" 2>&1 &
    b1=$!
    "$G" prove --pk "$T/kb/model.pk" --input models/inputs/lenet5_fashion_2.json --proof "$T/kb2.proof" >"$T/kb2.out" 2>&1
    r2=$?
    wait $b1; r1=$?
    cat "$T/kb1.out" "$T/kb2.out" | sed -n 's/^weights: hiding opening with mask slot \([0-9]*\) .*/\1/p' | sort | tr '\n' ' ' >"$T/kb.slots"
    [ "$r1" -eq 0 ] && [ "$r2" -eq 0 ] && [ "$(cat "$T/kb.slots")" = "1 2 " ] && pass=$((pass + 1)) \
        || { fail=$((fail + 1)); echo "FAIL cli: two concurrent provers did not take slots 1 and 2: $(cat "$T/kb.slots")"; }
    expect 0 "verify, zk budget 3, first proof" -- "$G" verify --vk "$T/kb/model.vk" --proof "$T/kb1.proof"
    expect 0 "verify, zk budget 3, second proof" -- "$G" verify --vk "$T/kb/model.vk" --proof "$T/kb2.proof"
    [ -n "$PY" ] && expect 0 "cnn spec verifier, zk budget 3" -- "$PY" tests/spec/cnn_verify.py -q "$T/kb/model.vk" "$T/kb2.proof"
    cp "$T/kb/model.pk" "$T/kb.pk"
    expect 2 "prove, zk budget spent" -- "$G" prove --pk "$T/kb/model.pk" --input models/inputs/lenet5_fashion_1.json --proof "$T/kb3.proof"
    grep -q "^gkrcnn: weight commitment's opening budget (3) is used up; run setup again\$" "$T/err" && [ ! -e "$T/kb3.proof" ] \
        && cmp -s "$T/kb/model.pk" "$T/kb.pk" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: a spent budget was not refused cleanly"; }
    expect 0 "setup, zk budget 2" -- "$G" setup --model "$M" --calib models/calib/lenet5_fashion_calib.json --out "$T/kc" --zk on --zk-budget 2
    expect 2 "prove two inputs, zk budget 2 (one proof left)" -- "$G" prove --pk "$T/kc/model.pk" --input models/inputs/lenet5_fashion_1.json --proof "$T/kc1.proof" --input models/inputs/lenet5_fashion_2.json --proof "$T/kc2.proof"
    [ ! -e "$T/kc1.proof" ] && [ ! -e "$T/kc2.proof" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: a refused prove wrote a proof"; }
    expect 2 "setup, --zk-budget with --zk off" -- "$G" setup --zk off --model "$M" --out "$T/k7" --zk-budget 4
    expect 2 "setup, --zk-budget with --no-zk" -- "$G" setup --no-zk --model "$M" --out "$T/k7" --zk-budget 4
    expect 2 "setup, --zk-budget 0" -- "$G" setup --model "$M" --out "$T/k7" --zk on --zk-budget 0
    expect 2 "setup, --zk-budget 65" -- "$G" setup --model "$M" --out "$T/k7" --zk on --zk-budget 65
    [ ! -e "$T/k7" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: a refused setup wrote its directory"; }
    # a private input (protocol.md 9.6): the statement is a commitment; the
    # opening written by prove shows which input it was, and no other
    expect 0 "setup, private input" -- "$G" setup --model "$M" --calib models/calib/lenet5_fashion_calib.json --out "$T/kp" --zk on --input-visibility private
    grep -q '"input_visibility": "private"' "$T/kp/settings.json" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: settings.json lacks the private input"; }
    expect 0 "prove, private input" -- "$G" prove --pk "$T/kp/model.pk" --input models/inputs/lenet5_fashion_1.json --proof "$T/kp1.proof" --input-opening "$T/kp1.open"
    # the opening and the proving key are secrets: created owner-only (protocol.md 9.6)
    for f in "$T/kp1.open" "$T/kp/model.pk"; do
        [ "$(stat -c %a "$f")" = 600 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: $f is mode $(stat -c %a "$f"), not 600"; }
    done
    expect 0 "verify, private input" -- "$G" verify --vk "$T/kp/model.vk" --proof "$T/kp1.proof"
    grep -q "^input: private; commitment [0-9a-f]\{64\}\$" "$T/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: verify does not print the input commitment"; }
    if [ -n "$PY" ]; then # the spec verifier prints the same commitment, and rejects a changed byte
        grep "^input: private; commitment" "$T/out" >"$T/c_com"
        expect 0 "cnn spec verifier, private input" -- "$PY" tests/spec/cnn_verify.py "$T/kp/model.vk" "$T/kp1.proof"
        grep "^input: private; commitment" "$T/out" | cmp -s - "$T/c_com" && [ -s "$T/c_com" ] && pass=$((pass + 1)) \
            || { fail=$((fail + 1)); echo "FAIL cli: the cnn spec verifier prints another input commitment than gkrcnn verify"; }
        for off in 40 20000 $(( $(wc -c <"$T/kp1.proof") - 1 )); do
            cp "$T/kp1.proof" "$T/kpb.proof"; flip "$T/kpb.proof" "$off"
            expect 1 "cnn spec verifier, private input, byte $off changed" -- "$PY" tests/spec/cnn_verify.py "$T/kp/model.vk" "$T/kpb.proof"
        done
        expect 1 "cnn spec verifier, private-input proof against a public-input zk key" -- "$PY" tests/spec/cnn_verify.py "$T/kz/model.vk" "$T/kp1.proof"
    fi
    expect 0 "verify, private input opened" -- "$G" verify --vk "$T/kp/model.vk" --proof "$T/kp1.proof" --input models/inputs/lenet5_fashion_1.json --input-opening "$T/kp1.open"
    expect 1 "verify, private input, another input" -- "$G" verify --vk "$T/kp/model.vk" --proof "$T/kp1.proof" --input models/inputs/lenet5_fashion_2.json --input-opening "$T/kp1.open"
    expect 2 "verify, private input without its opening" -- "$G" verify --vk "$T/kp/model.vk" --proof "$T/kp1.proof" --input models/inputs/lenet5_fashion_1.json
    printf 'GKRCNNIO' > "$T/bad.open"
    expect 2 "verify, malformed input opening" -- "$G" verify --vk "$T/kp/model.vk" --proof "$T/kp1.proof" --input models/inputs/lenet5_fashion_1.json --input-opening "$T/bad.open"
    expect 2 "prove, input opening with a public-input key" -- "$G" prove --pk "$T/kz/model.pk" --input models/inputs/lenet5_fashion_1.json --proof "$T/kx.proof" --input-opening "$T/kx.open"
    [ ! -e "$T/kx.proof" ] && [ ! -e "$T/kx.open" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: a refused prove wrote a file"; }
    expect 2 "verify, input opening with a public-input key" -- "$G" verify --vk "$T/kz/model.vk" --proof "$T/kz1.proof" --input models/inputs/lenet5_fashion_1.json --input-opening "$T/kp1.open"
    expect 1 "verify, private-input proof against a public-input zk key" -- "$G" verify --vk "$T/kz/model.vk" --proof "$T/kp1.proof"
    # a private output (protocol.md 9.7): a commitment; the opening shows the outputs
    expect 0 "setup, private output" -- "$G" setup --model "$M" --calib models/calib/lenet5_fashion_calib.json --out "$T/ko" --zk on --output-visibility private
    expect 0 "prove, private output" -- "$G" prove --pk "$T/ko/model.pk" --input models/inputs/lenet5_fashion_1.json --proof "$T/ko1.proof" --output-opening "$T/ko1.open" --out "$T/ko1p.json"
    expect 0 "verify, private output" -- "$G" verify --vk "$T/ko/model.vk" --proof "$T/ko1.proof" --out "$T/ko1c.json"
    grep -q '^{"output_commitment": "[0-9a-f]\{64\}"}$' "$T/ko1c.json" && ! grep -q "^prediction" "$T/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: private output shown without its opening"; }
    oc=$(sed -n 's/^output: private; commitment \([0-9a-f]*\)$/\1/p' "$T/out")
    if [ -n "$PY" ]; then
        expect 0 "cnn spec verifier, private output" -- "$PY" tests/spec/cnn_verify.py "$T/ko/model.vk" "$T/ko1.proof"
        [ -n "$oc" ] && grep -q "^valid proof; output: private; commitment $oc\$" "$T/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: spec verifier's output commitment differs"; }
    fi
    expect 0 "verify, private output opened" -- "$G" verify --vk "$T/ko/model.vk" --proof "$T/ko1.proof" --output-opening "$T/ko1.open" --out "$T/ko1v.json"
    cmp -s "$T/ko1p.json" "$T/ko1v.json" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: the opened outputs differ from the prover's"; }
    cp "$T/ko1.open" "$T/kob.open"; flip "$T/kob.open" 20
    expect 1 "verify, private output, changed opening" -- "$G" verify --vk "$T/ko/model.vk" --proof "$T/ko1.proof" --output-opening "$T/kob.open"
    expect 2 "verify, output opening with a public-output key" -- "$G" verify --vk "$T/kz/model.vk" --proof "$T/kz1.proof" --output-opening "$T/ko1.open"
    expect 2 "setup, private input without zk" -- "$G" setup --zk off --model "$M" --out "$T/k6" --input-visibility private
    [ ! -e "$T/k6" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: a refused setup wrote its directory"; }
    expect 2 "setup, bad --zk value" -- "$G" setup --model "$M" --out "$T/k5" --zk yes
    [ ! -e "$T/k5" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: a refused setup wrote its directory"; }
fi

U=/usr/share/libonnx-testdata/data/node/test_cos/model.onnx
if [ -f "$U" ]; then
    expect 2 "setup, unsupported op" -- "$G" setup --zk off --model "$U" --out "$T/k3"
    grep -q "Cos" "$T/err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cli: refusal does not name the op"; }
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
