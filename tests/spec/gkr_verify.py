#!/usr/bin/python3
"""An independent verifier for gkrcnn's generic circuit proofs.

Written from papers/protocol.md alone (sections 1-5), not from the C code,
to check that the document specifies every byte of the proof: if this
program and `gkrcnn circuit-verify` disagree, the document is incomplete or
wrong. Standard library only (hashlib).

    python3 tests/spec/gkr_verify.py CIRCUIT PUBLIC PROOF

CIRCUIT is a circuit file (protocol.md 4.1), PUBLIC the input file with the
public layers (4.1), PROOF a proof file written by `gkrcnn circuit-prove`
(2, "Proof file"). Exit status: 0 valid proof, 1 invalid proof, 2 unusable
circuit or input file or bad usage; one line on stdout or stderr.

Slow (pure Python): meant for small circuits (layers of up to ~2^14 values).
"""
import hashlib
import struct
import sys

# ---- section 1: fields ------------------------------------------------------

P = (1 << 61) - 1
HALF = 1 << 60  # 1/2 in F, since 2 * 2^60 = 2^61 = 1 (mod p)

E0 = (0, 0)
E1 = (1, 0)


def eadd(x, y):
    return ((x[0] + y[0]) % P, (x[1] + y[1]) % P)


def esub(x, y):
    return ((x[0] - y[0]) % P, (x[1] - y[1]) % P)


def emul(x, y):
    # (a + bi)(c + di) = (ac - bd) + (ad + bc) i, with i^2 = -1
    return ((x[0] * y[0] - x[1] * y[1]) % P, (x[0] * y[1] + x[1] * y[0]) % P)


def escale(x, f):  # f in F
    return (x[0] * f % P, x[1] * f % P)


def econj(x):
    return (x[0], (-x[1]) % P)


def epow(x, e):
    r = E1
    while e:
        if e & 1:
            r = emul(r, x)
        x = emul(x, x)
        e >>= 1
    return r


def root_of_unity(k):
    """omega_{2^k} (protocol.md 1, "Roots of unity")."""
    c = 1
    while True:
        h = epow((c, 1), (1 << 60) - 1)
        if epow(h, 1 << 61) != E1:
            break
        c += 1
    return epow(h, 1 << (62 - k))


class Invalid(Exception):
    """The proof is rejected."""


class Unusable(Exception):
    """A circuit or input file cannot be used."""


def dec_f(b, what):
    v = int.from_bytes(b, "little")
    if v >= P:
        raise Invalid("non-canonical element in " + what)
    return v


def enc_f(v):
    return v.to_bytes(8, "little")


def enc_e(x):
    return enc_f(x[0]) + enc_f(x[1])


def le64(v):
    return v.to_bytes(8, "little")


# ---- section 2: transcript --------------------------------------------------

TAG_PUBLIC, TAG_MESSAGE, TAG_SQUEEZE, TAG_DIGEST = 1, 2, 3, 4
MASK61 = (1 << 61) - 1


class Transcript:
    def __init__(self, protocol, proof):
        self.h = hashlib.sha256()
        self.counter = 0
        self.proof = proof
        self.pos = 0
        self._item(TAG_PUBLIC, "protocol", protocol.encode())

    @staticmethod
    def _frame(tag, label, n):
        lb = label.encode()
        return bytes([tag]) + le64(len(lb)) + lb + le64(n)

    def _item(self, tag, label, data):
        self.h.update(self._frame(tag, label, len(data)) + data)

    # public data
    def absorb(self, label, data):
        self._item(TAG_PUBLIC, label, data)

    def absorb_f(self, label, vals):
        self._item(TAG_PUBLIC, label, b"".join(enc_f(v) for v in vals))

    # prover messages, verifier side
    def _read(self, n, label):
        if n > len(self.proof) - self.pos:
            raise Invalid("proof truncated in " + label)
        b = self.proof[self.pos:self.pos + n]
        self.pos += n
        return b

    def get_bytes(self, label, n):
        b = self._read(n, label)
        self._item(TAG_MESSAGE, label, b)
        return b

    def get_f(self, label, n):
        b = self._read(8 * n, label)
        vals = [dec_f(b[8 * i:8 * i + 8], label) for i in range(n)]
        self._item(TAG_MESSAGE, label, b)
        return vals

    def get_e(self, label, n):
        b = self._read(16 * n, label)
        vals = [(dec_f(b[16 * i:16 * i + 8], label), dec_f(b[16 * i + 8:16 * i + 16], label)) for i in range(n)]
        self._item(TAG_MESSAGE, label, b)
        return vals

    def get_e1(self, label):
        return self.get_e(label, 1)[0]

    def finish(self):
        if self.pos != len(self.proof):
            raise Invalid("%d unread bytes after the proof" % (len(self.proof) - self.pos))

    # challenges
    def squeeze(self, label):
        c = self.h.copy()
        c.update(self._frame(TAG_SQUEEZE, label, 8) + le64(self.counter))
        self.counter += 1
        d = c.digest()
        self._item(TAG_DIGEST, label, d)
        return d

    def _sample_f(self, label):
        while True:
            d = self.squeeze(label)
            for w in range(4):
                v = int.from_bytes(d[8 * w:8 * w + 8], "little") & MASK61
                if v < P:
                    return v

    def challenge(self, label):
        d = self.squeeze(label)
        a = int.from_bytes(d[0:8], "little") & MASK61
        b = int.from_bytes(d[8:16], "little") & MASK61
        if a == P:
            a = self._sample_f(label)
        if b == P:
            b = self._sample_f(label)
        return (a, b)

    def challenges(self, label, n):
        return [self.challenge(label) for _ in range(n)]

    def challenge_index(self, label, bound):
        top = (1 << 64) - 1
        lim = top - ((top % bound + 1) % bound)
        while True:
            d = self.squeeze(label)
            for w in range(4):
                v = int.from_bytes(d[8 * w:8 * w + 8], "little")
                if v <= lim:
                    return v % bound


# ---- multilinear extensions --------------------------------------------------


def eq_table(r):
    """eq(r, x) for every x < 2^len(r), bit j of x <-> r[j]."""
    t = [E1]
    for rj in r:
        one_minus = esub(E1, rj)
        t = [emul(e, one_minus) for e in t] + [emul(e, rj) for e in t]
    return t


def eq_at(r, x):
    acc = E1
    for j, rj in enumerate(r):
        acc = emul(acc, rj if (x >> j) & 1 else esub(E1, rj))
    return acc


def eq_points(a, b):
    acc = E1
    for x, y in zip(a, b):
        # x y + (1 - x)(1 - y)
        acc = emul(acc, eadd(emul(x, y), emul(esub(E1, x), esub(E1, y))))
    return acc


def mle_f(vals, r):
    """V~(r) for a table of F values."""
    e = eq_table(r)
    re = sum(ei[0] * v for ei, v in zip(e, vals)) % P
    im = sum(ei[1] * v for ei, v in zip(e, vals)) % P
    return (re, im)


class EqSum:
    """sum_k w_k eq(pts_k, i), as a full table or evaluated per index."""

    def __init__(self, pts, weights, n, refs):
        self.pts, self.w, self.n = pts, weights, n
        self.table = None
        self.cache = {}
        if (1 << n) <= 4 * refs + 64:
            tab = [E0] * (1 << n)
            for pt, w in zip(pts, weights):
                tab = [eadd(a, emul(w, b)) for a, b in zip(tab, eq_table(pt))]
            self.table = tab

    def __getitem__(self, i):
        if self.table is not None:
            return self.table[i]
        v = self.cache.get(i)
        if v is None:
            v = E0
            for pt, w in zip(self.pts, self.w):
                v = eadd(v, emul(w, eq_at(pt, i)))
            self.cache[i] = v
        return v


# ---- section 3: sumcheck (degree 2) -------------------------------------------

INV2 = HALF


def interp2(g, r):
    # g(r) = g0 (r-1)(r-2)/2 - g1 r(r-2) + g2 r(r-1)/2
    r1 = esub(r, E1)
    r2 = esub(r, (2, 0))
    t0 = escale(emul(emul(g[0], r1), r2), INV2)
    t1 = emul(emul(g[1], r), r2)
    t2 = escale(emul(emul(g[2], r), r1), INV2)
    return eadd(esub(t0, t1), t2)


def sumcheck(tr, claim, n, what):
    point = [None] * n
    c = claim
    for s in range(1, n + 1):
        g = tr.get_e("sc/round", 3)
        if eadd(g[0], g[1]) != c:
            raise Invalid("%s: sumcheck round %d of %d: g(0)+g(1) != claim" % (what, s, n))
        r = tr.challenge("sc/r")
        point[n - s] = r
        c = interp2(g, r)
    return point, c


# ---- section 5: Ligero -----------------------------------------------------------

Q_PLAIN = 160


def ligero_shape(n, q=Q_PLAIN):
    best = None
    for c in range(0, n):
        l = n - 1 - c
        k, m = 1 << c, 1 << l
        K = 4 * k
        size = 2 * 16 * k + min(q, K) * (16 * m + 32 * (c + 2))
        if best is None or size < best[0]:
            best = (size, l, c)
    return best[1], best[2]


_roots = {}


def ligero_open(tr, root, n, z, v, what):
    l, c = ligero_shape(n)
    m, k = 1 << l, 1 << c
    K, logK = 4 * k, c + 2
    z0, zcol, zrow = z[0], z[1:1 + c], z[1 + c:]
    u1 = tr.get_e("pcs/u1", k)
    u2 = tr.get_e("pcs/u2", k)
    ecol = eq_table(zcol)
    y1, y2 = E0, E0
    for col in range(k):
        y1 = eadd(y1, emul(u1[col], ecol[col]))
        y2 = eadd(y2, emul(u2[col], econj(ecol[col])))
    y2c = econj(y2)
    M0 = escale(eadd(y1, y2c), HALF)
    d = esub(y1, y2c)
    M1 = escale((d[1], (-d[0]) % P), HALF)  # d / (2i) = (b - a i) / 2
    if eadd(emul(esub(E1, z0), M0), emul(z0, M1)) != v:
        raise Invalid("%s: opened value does not match the claim" % what)
    if K <= Q_PLAIN:
        queries = list(range(K))
    else:
        queries = [tr.challenge_index("pcs/query", K) for _ in range(Q_PLAIN)]
    e = eq_table(zrow)
    ebar = [econj(x) for x in e]
    if logK not in _roots:
        _roots[logK] = root_of_unity(logK)
    omega = _roots[logK]
    for qi, j in enumerate(queries):
        colb = tr.get_bytes("pcs/col", 16 * m)
        col = [(dec_f(colb[16 * i:16 * i + 8], "pcs/col"), dec_f(colb[16 * i + 8:16 * i + 16], "pcs/col"))
               for i in range(m)]
        path = tr.get_bytes("pcs/path", 32 * logK)
        node = hashlib.sha256(b"\x00" + colb).digest()
        for s in range(logK):
            sib = path[32 * s:32 * s + 32]
            if (j >> s) & 1:
                node = hashlib.sha256(b"\x01" + sib + node).digest()
            else:
                node = hashlib.sha256(b"\x01" + node + sib).digest()
        if node != root:
            raise Invalid("%s: query %d: column %d does not match the root" % (what, qi, j))
        x = epow(omega, j)
        for u, wts in ((u1, e), (u2, ebar)):
            cw = E0
            for coef in reversed(u):  # Horner: sum_c u[c] x^c
                cw = eadd(emul(cw, x), coef)
            s_ = E0
            for wi, ci in zip(wts, col):
                s_ = eadd(s_, emul(wi, ci))
            if s_ != cw:
                raise Invalid("%s: query %d: column %d fails the codeword check" % (what, qi, j))


# ---- section 4.1: files -----------------------------------------------------------

PUBLIC, COMMITTED, GATES = 1, 2, 3


class Layer:
    def __init__(self, kind, n, xs):
        self.kind, self.n, self.xs = kind, n, xs
        self.mul, self.add, self.cst = [], [], []


def parse_circuit(b):
    pos = 0

    def take(n):
        nonlocal pos
        if n > len(b) - pos:
            raise Unusable("circuit: truncated")
        r = b[pos:pos + n]
        pos += n
        return r

    def u32():
        return struct.unpack("<I", take(4))[0]

    def u64():
        return struct.unpack("<Q", take(8))[0]

    def coef():
        v = u64()
        if v >= P:
            raise Unusable("circuit: coefficient >= p")
        return v

    if take(8) != b"GKRCIRC1":
        raise Unusable("circuit: bad magic")
    if u32() != 1:
        raise Unusable("circuit: unsupported version")
    L = u32()
    if not 1 <= L <= 4096:
        raise Unusable("circuit: bad layer count")
    layers = []
    for l in range(L):
        kind, n, xs = u32(), u32(), u32()
        nmul, nadd, ncst = u64(), u64(), u64()
        if nmul * 24 + nadd * 20 + ncst * 12 > len(b) - pos:
            raise Unusable("circuit: truncated")
        Ly = Layer(kind, n, xs)
        for _ in range(nmul):
            out, x, ys, y = u32(), u32(), u32(), u32()
            Ly.mul.append((out, x, ys, y, coef()))
        for _ in range(nadd):
            out, src, i = u32(), u32(), u32()
            Ly.add.append((out, src, i, coef()))
        for _ in range(ncst):
            out = u32()
            Ly.cst.append((out, coef()))
        layers.append(Ly)
    if pos != len(b):
        raise Unusable("circuit: trailing bytes")
    # validity rules
    total = 0
    for l, Ly in enumerate(layers):
        if Ly.kind not in (PUBLIC, COMMITTED, GATES):
            raise Unusable("circuit layer %d: unknown kind" % l)
        if Ly.n > 28:
            raise Unusable("circuit layer %d: too many variables" % l)
        total += 1 << Ly.n
        if Ly.kind != GATES:
            if Ly.mul or Ly.add or Ly.cst:
                raise Unusable("circuit layer %d: input layer with gates" % l)
            if Ly.kind == COMMITTED and not 1 <= Ly.n <= 25:
                raise Unusable("circuit layer %d: committed layer size unsupported" % l)
            continue
        size = 1 << Ly.n
        if Ly.mul and Ly.xs >= l:
            raise Unusable("circuit layer %d: xs not earlier" % l)
        for out, x, ys, y, _ in Ly.mul:
            if ys >= l or out >= size or x >= 1 << layers[Ly.xs].n or y >= 1 << layers[ys].n:
                raise Unusable("circuit layer %d: mul gate out of range" % l)
        for out, src, i, _ in Ly.add:
            if src >= l or out >= size or i >= 1 << layers[src].n:
                raise Unusable("circuit layer %d: add gate out of range" % l)
        for out, _ in Ly.cst:
            if out >= size:
                raise Unusable("circuit layer %d: const gate out of range" % l)
    if total > 1 << 29:
        raise Unusable("circuit: too many values")
    if layers[-1].kind != GATES:
        raise Unusable("circuit: the output layer is not a gate layer")
    return layers


def parse_public(b, layers):
    if b[:8] != b"GKRCINP1" or len(b) < 12:
        raise Unusable("public input: bad magic or truncated")
    count = struct.unpack("<I", b[8:12])[0]
    want = [l for l, Ly in enumerate(layers) if Ly.kind == PUBLIC]
    if count != len(want):
        raise Unusable("public input: %d records, the circuit has %d public layers" % (count, len(want)))
    pos, vals = 12, {}
    for l in want:
        if len(b) - pos < 12:
            raise Unusable("public input: truncated")
        layer, n = struct.unpack("<IQ", b[pos:pos + 12])
        pos += 12
        if layer != l or n != 1 << layers[l].n or 8 * n > len(b) - pos:
            raise Unusable("public input: bad record for layer %d" % l)
        v = []
        for i in range(n):
            x = int.from_bytes(b[pos + 8 * i:pos + 8 * i + 8], "little")
            if x >= P:
                raise Unusable("public input: non-canonical value")
            v.append(x)
        pos += 8 * n
        vals[l] = v
    if pos != len(b):
        raise Unusable("public input: trailing bytes")
    return vals


def proof_body(b):
    if len(b) < 24 or b[:8] != b"GKRCNNPF":
        raise Invalid("not a gkrcnn proof")
    version, kind, n = struct.unpack("<IIQ", b[8:24])
    if version != 2 or kind != 1:
        raise Invalid("unsupported version or not a circuit proof")
    if n != len(b) - 24:
        raise Invalid("proof length field disagrees with the file")
    return b[24:]


# ---- section 4.2: the protocol ----------------------------------------------------


def verify(circuit_bytes, layers, public, body):
    L = len(layers)
    tr = Transcript("gkrcnn/gkr/v2", body)
    tr.absorb("gkr/circuit", hashlib.sha256(circuit_bytes).digest())
    for l in range(L):
        if layers[l].kind == PUBLIC:
            tr.absorb_f("gkr/public", public[l])
    roots = {}
    for l in range(L):
        if layers[l].kind == COMMITTED:
            roots[l] = tr.get_bytes("pcs/root", 32)
    out = layers[-1]
    outputs = tr.get_f("gkr/output", 1 << out.n)
    r0 = tr.challenges("gkr/r0", out.n)
    claims = [[] for _ in range(L)]
    claims[L - 1].append((r0, mle_f(outputs, r0)))

    for l in range(L - 1, -1, -1):
        cl = claims[l]
        if not cl:
            continue
        Ly = layers[l]
        what = "layer %d" % l
        if Ly.kind == PUBLIC:
            for r, v in cl:
                if mle_f(public[l], r) != v:
                    raise Invalid("%s: claim on the public input does not match it" % what)
            continue
        alpha = [E1] + [tr.challenge("gkr/alpha") for _ in range(len(cl) - 1)]
        C = E0
        for a, (_, v) in zip(alpha, cl):
            C = eadd(C, emul(a, v))
        if Ly.kind == COMMITTED:
            if len(cl) == 1:
                ligero_open(tr, roots[l], Ly.n, cl[0][0], cl[0][1], what)
                continue
            z, red = sumcheck(tr, C, Ly.n, what + " (input claims)")
            vin = tr.get_e1("gkr/vin")
            Gz = E0
            for a, (r, _) in zip(alpha, cl):
                Gz = eadd(Gz, emul(a, eq_points(r, z)))
            if red != emul(Gz, vin):
                raise Invalid("%s: input claim-reduction final check failed" % what)
            ligero_open(tr, roots[l], Ly.n, z, vin, what)
            continue
        # gate layer
        G = EqSum([r for r, _ in cl], alpha, Ly.n, len(Ly.mul) + len(Ly.add) + len(Ly.cst))
        Kc = E0
        for o, c in Ly.cst:
            Kc = eadd(Kc, escale(G[o], c))
        A = tr.get_e1("gkr/add_sum")
        rest = esub(esub(C, Kc), A)
        vu, u = E0, None
        if Ly.mul:
            nx = layers[Ly.xs].n
            u, e1 = sumcheck(tr, rest, nx, what + " phase 1")
            vu = tr.get_e1("gkr/vx")
        else:
            if rest != E0:
                raise Invalid("%s: add and constant gates do not match the claim" % what)
            e1 = E0
        rho = tr.challenge("gkr/rho")
        sources = sorted(set([g[2] for g in Ly.mul] + [g[1] for g in Ly.add]))
        cj = tr.get_e("gkr/src_claims", len(sources))
        total = E0
        for x in cj:
            total = eadd(total, x)
        if total != eadd(e1, emul(rho, A)):
            raise Invalid("%s: source claims do not add up" % what)
        pts, reds, ws = {}, {}, {}
        for j, c in zip(sources, cj):
            pts[j], reds[j] = sumcheck(tr, c, layers[j].n, "%s phase 2 (source %d)" % (what, j))
            ws[j] = tr.get_e1("gkr/vy")
        U = EqSum([u], [E1], layers[Ly.xs].n, len(Ly.mul)) if Ly.mul else None
        refs = {}
        for g in Ly.mul:
            refs[g[2]] = refs.get(g[2], 0) + 1
        for g in Ly.add:
            refs[g[1]] = refs.get(g[1], 0) + 1
        EV = {j: EqSum([pts[j]], [E1], layers[j].n, refs[j]) for j in sources}
        fm = {j: E0 for j in sources}
        fa = {j: E0 for j in sources}
        for o, x, ys, y, c in Ly.mul:
            fm[ys] = eadd(fm[ys], emul(emul(escale(G[o], c), U[x]), EV[ys][y]))
        for o, src, i, c in Ly.add:
            fa[src] = eadd(fa[src], emul(escale(G[o], c), EV[src][i]))
        for j in sources:
            f = eadd(emul(vu, fm[j]), emul(rho, fa[j]))
            if reds[j] != emul(f, ws[j]):
                raise Invalid("%s: phase-2 final check failed (source %d)" % (what, j))
        for j in sources:
            claims[j].append((pts[j], ws[j]))
        if Ly.mul:
            claims[Ly.xs].append((u, vu))
    tr.finish()
    return outputs


def main(argv):
    if len(argv) != 4:
        print("usage: gkr_verify.py CIRCUIT PUBLIC PROOF", file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            cb = f.read()
        with open(argv[2], "rb") as f:
            pb = f.read()
        with open(argv[3], "rb") as f:
            prf = f.read()
        layers = parse_circuit(cb)
        public = parse_public(pb, layers)
    except (OSError, Unusable) as e:
        print("gkr_verify: %s" % e, file=sys.stderr)
        return 2
    try:
        outputs = verify(cb, layers, public, proof_body(prf))
    except Invalid as e:
        print("gkr_verify: invalid proof: %s" % e, file=sys.stderr)
        return 1
    d = hashlib.sha256(b"".join(enc_f(v) for v in outputs)).hexdigest()
    print("valid proof: %d outputs, sha256 %s" % (len(outputs), d))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
