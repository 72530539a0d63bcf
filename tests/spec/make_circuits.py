#!/usr/bin/python3
"""Small circuits of shapes `circuit-gen` does not make, for the spec check
of tests/cli_test.sh (papers/protocol.md 4.1 formats).

    python3 tests/spec/make_circuits.py DIR

writes DIR/NAME.c (circuit), DIR/NAME.i (every input layer, for
circuit-prove) and DIR/NAME.p (the public layers, for circuit-verify) for
each NAME below, and prints the names. Deterministic.

Shapes: several source layers and claims per layer, two claims from one
layer (xs = ys), mul-free layers, a layer of constants only, layers of 0
variables, a committed layer opened at its single claim, two committed
layers (one of 2^12 values, whose opening draws column queries), layers no
claim reaches, a one-layer circuit, and a sparse layer of 2^15 values.
"""
import random
import struct
import sys

P = (1 << 61) - 1
PUBLIC, COMMITTED, GATES = 1, 2, 3


class C:
    def __init__(self, rng):
        self.rng = rng
        self.layers = []

    def layer(self, kind, n, xs=0):
        self.layers.append({"kind": kind, "n": n, "xs": xs, "mul": [], "add": [], "cst": []})
        return len(self.layers) - 1

    def idx(self, l):
        return self.rng.randrange(1 << self.layers[l]["n"])

    def coef(self):
        return 1 if self.rng.random() < 0.5 else self.rng.randrange(P)

    def muls(self, l, ys, outs=None):
        L = self.layers[l]
        for g in outs if outs is not None else range(1 << L["n"]):
            L["mul"].append((g, self.idx(L["xs"]), ys, self.idx(ys), self.coef()))

    def adds(self, l, src, outs=None):
        L = self.layers[l]
        for g in outs if outs is not None else range(1 << L["n"]):
            L["add"].append((g, src, self.idx(src), self.coef()))

    def consts(self, l, every=1):
        L = self.layers[l]
        for g in range(0, 1 << L["n"], every):
            L["cst"].append((g, self.rng.randrange(P)))

    def circuit_bytes(self):
        b = b"GKRCIRC1" + struct.pack("<II", 1, len(self.layers))
        for L in self.layers:
            b += struct.pack("<IIIQQQ", L["kind"], L["n"], L["xs"], len(L["mul"]), len(L["add"]), len(L["cst"]))
            for out, x, ys, y, c in L["mul"]:
                b += struct.pack("<IIIIQ", out, x, ys, y, c)
            for out, src, i, c in L["add"]:
                b += struct.pack("<IIIQ", out, src, i, c)
            for out, c in L["cst"]:
                b += struct.pack("<IQ", out, c)
        return b

    def input_bytes(self, vals, kinds):
        ls = [l for l, L in enumerate(self.layers) if L["kind"] in kinds]
        b = b"GKRCINP1" + struct.pack("<I", len(ls))
        for l in ls:
            b += struct.pack("<IQ", l, len(vals[l])) + b"".join(struct.pack("<Q", v) for v in vals[l])
        return b


def shapes(rng):
    out = {}
    c = C(rng)  # multi
    c.layer(COMMITTED, 3); c.layer(PUBLIC, 2)
    l = c.layer(GATES, 3, 0); c.muls(l, 1); c.adds(l, 1); c.consts(l, 3)
    l = c.layer(GATES, 2); c.adds(l, 2); c.adds(l, 0); c.adds(l, 1); c.consts(l)  # mul-free, 3 sources
    l = c.layer(GATES, 2)
    for g in range(3):
        c.layers[l]["cst"].append((g, rng.randrange(P)))  # constants only
    l = c.layer(GATES, 3, 3)
    for g in range(8):
        ys = (2, 4, 1, 0)[g % 4]
        c.layers[l]["mul"].append((g, c.idx(3), ys, c.idx(ys), c.coef()))
        s = 3 if g % 2 else 2
        c.layers[l]["add"].append((g, s, c.idx(s), c.coef()))
    l = c.layer(GATES, 2, 5); c.muls(l, 5); c.adds(l, 3); c.adds(l, 1); c.consts(l, 2)  # xs = ys = 5
    out["multi"] = c

    c = C(rng)  # tiny: layers of 0 variables
    c.layer(COMMITTED, 1); c.layer(PUBLIC, 0)
    l = c.layer(GATES, 0, 1)
    c.layers[l]["mul"].append((0, 0, 0, 1, c.coef())); c.layers[l]["add"].append((0, 1, 0, c.coef()))
    c.layers[l]["cst"].append((0, rng.randrange(P)))
    l = c.layer(GATES, 1, 2)
    c.layers[l]["mul"] += [(0, 0, 2, 0, c.coef()), (1, 0, 1, 0, c.coef())]
    c.layers[l]["add"].append((1, 0, c.idx(0), c.coef()))
    out["tiny"] = c

    c = C(rng)  # one claim on the committed layer
    c.layer(PUBLIC, 2); c.layer(COMMITTED, 2)
    l = c.layer(GATES, 2, 1); c.muls(l, 0); c.adds(l, 0)
    out["one-claim"] = c

    c = C(rng)  # two committed layers, one of 2^12 values (column queries)
    c.layer(COMMITTED, 12); c.layer(COMMITTED, 3); c.layer(PUBLIC, 1)
    l = c.layer(GATES, 3, 1); c.muls(l, 0); c.adds(l, 2)
    l = c.layer(GATES, 2, 3); c.muls(l, 1); c.adds(l, 0); c.consts(l, 2)
    out["two-committed"] = c

    c = C(rng)  # layers nothing reads
    c.layer(COMMITTED, 2); c.layer(PUBLIC, 2); c.layer(PUBLIC, 2)
    l = c.layer(GATES, 2); c.adds(l, 2); c.consts(l)
    l = c.layer(GATES, 2, 2); c.muls(l, 2); c.adds(l, 2); c.consts(l, 2)
    out["dangling"] = c

    c = C(rng)  # one layer of constants
    l = c.layer(GATES, 2)
    for g in range(3):
        c.layers[l]["cst"].append((g, rng.randrange(P)))
    out["consts"] = c

    c = C(rng)  # a sparse layer of 2^15 values over a public layer of 2^15
    c.layer(PUBLIC, 15); c.layer(COMMITTED, 2)
    l = c.layer(GATES, 15, 0)
    outs = [rng.randrange(1 << 15) for _ in range(24)]
    c.muls(l, 1, outs); c.adds(l, 0, [o ^ 1 for o in outs])
    l = c.layer(GATES, 2, 2)
    c.muls(l, 0, range(4)); c.adds(l, 2, range(4)); c.adds(l, 1, range(4))
    out["sparse"] = c
    return out


def main(argv):
    if len(argv) != 2:
        print("usage: make_circuits.py DIR", file=sys.stderr)
        return 2
    rng = random.Random(11)
    for name, c in shapes(rng).items():
        vals = {l: [rng.randrange(P) for _ in range(1 << L["n"])]
                for l, L in enumerate(c.layers) if L["kind"] != GATES}
        with open("%s/%s.c" % (argv[1], name), "wb") as f:
            f.write(c.circuit_bytes())
        with open("%s/%s.i" % (argv[1], name), "wb") as f:
            f.write(c.input_bytes(vals, (PUBLIC, COMMITTED)))
        with open("%s/%s.p" % (argv[1], name), "wb") as f:
            f.write(c.input_bytes(vals, (PUBLIC,)))
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
