#!/bin/sh
# make demo: prove and verify LeNet-5 inference on a Fashion-MNIST test image.
#  1. setup: import the committed LeNet-5 ONNX model, quantize it with its
#     calibration set, commit to its weights (proving key, verifying key).
#  2. prove the quantized inference on test image 0; print the prediction,
#     the prover's time per phase, the proof size and peak memory.
#  3. verify the proof (and that it is for that image), compare with the true
#     label, and show that a tampered proof is rejected.
#  4. briefly, the generic GKR prover underneath on a random layered circuit.
set -e
G=${GKRCNN:-build/gkrcnn}
D=build/demo
K=$D/lenet5
IN=models/inputs/lenet5_fashion_0.json
mkdir -p "$D"

echo "== setup: LeNet-5 (Fashion-MNIST), quantized, weights committed"
"$G" setup --model models/lenet5_fashion.onnx --calib models/calib/lenet5_fashion_calib.json --out "$K"

echo "== prove: test image 0 ($IN)"
"$G" prove --pk "$K/model.pk" --input "$IN" --proof "$D/lenet5.proof" --out "$D/lenet5_out.json"

echo "== verify"
out=$("$G" verify --vk "$K/model.vk" --proof "$D/lenet5.proof" --input "$IN")
echo "$out"
pred=$(echo "$out" | sed -n 's/^prediction: class \([0-9]*\).*/\1/p')
label=$(tr -d ' \n' <models/inputs/lenet5_fashion_labels.json | sed 's/.*"labels":\[\([0-9]*\).*/\1/')
echo "true label: $label (the verified prediction is class $pred)"

size=$(wc -c <"$D/lenet5.proof")
cp "$D/lenet5.proof" "$D/tampered.proof"
printf '\377' | dd of="$D/tampered.proof" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
if "$G" verify --vk "$K/model.vk" --proof "$D/tampered.proof"; then
    echo "demo: a tampered proof was accepted" >&2; exit 1
else
    echo "demo: tampered proof rejected (exit $?), as it must be"
fi

echo "== the proof system underneath: a random layered circuit (4 layers of 2^16 gates)"
"$G" circuit-gen --width 16 --depth 4 --seed 1 --circuit "$D/c.circ" --input "$D/in.bin" --public "$D/pub.bin"
"$G" circuit-prove --circuit "$D/c.circ" --input "$D/in.bin" --proof "$D/proof.bin"
"$G" circuit-verify --circuit "$D/c.circ" --public "$D/pub.bin" --proof "$D/proof.bin"
