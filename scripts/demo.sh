#!/bin/sh
# make demo: what gkrcnn does today.
#  1. LeNet-5 (Fashion-MNIST, committed): import, quantize (setup), and run the
#     integer inference engine on a test image, printing the predicted and
#     true class. (Proving it is issue 4; this prints the witness engine's output.)
#  2. The proof system underneath: a random layered circuit with 2^16 gates
#     per layer is proved and verified, and a tampered proof is rejected.
set -e
G=${GKRCNN:-build/gkrcnn}
D=build/demo
mkdir -p "$D"

echo "== LeNet-5 on Fashion-MNIST: setup and quantized inference"
"$G" setup --model models/lenet5_fashion.onnx --calib models/calib/lenet5_fashion_calib.json --out "$D/lenet5"
"$G" infer --pk "$D/lenet5/model.pk" --input models/inputs/lenet5_fashion_0.json --out "$D/lenet5_out.json"
label=$(tr -d ' \n' <models/inputs/lenet5_fashion_labels.json | sed 's/.*"labels":\[\([0-9]*\).*/\1/')
echo "true class of test image 0: $label"

echo "== GKR proof of a random layered circuit (4 layers of 2^16 gates)"
"$G" circuit-gen --width 16 --depth 4 --seed 1 --circuit "$D/c.circ" --input "$D/in.bin" --public "$D/pub.bin"
"$G" circuit-prove --circuit "$D/c.circ" --input "$D/in.bin" --proof "$D/proof.bin"
"$G" circuit-verify --circuit "$D/c.circ" --public "$D/pub.bin" --proof "$D/proof.bin"
cp "$D/proof.bin" "$D/tampered.bin"
printf '\377' | dd of="$D/tampered.bin" bs=1 seek=500 conv=notrunc 2>/dev/null
if "$G" circuit-verify --circuit "$D/c.circ" --public "$D/pub.bin" --proof "$D/tampered.bin"; then
    echo "demo: a tampered proof was accepted" >&2; exit 1
else
    echo "demo: tampered proof rejected (exit $?), as it must be"
fi
