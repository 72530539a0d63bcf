#!/bin/sh
# make demo: generate a random layered circuit with 2^16 gates per layer,
# prove it, verify the proof, and show that a tampered proof is rejected.
# (The LeNet-5 demo replaces this once the CNN prover lands.)
set -e
G=${GKRCNN:-build/gkrcnn}
D=build/demo
mkdir -p "$D"
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
