#!/usr/bin/python3
"""An independent verifier for gkrcnn's CNN proofs.

Written from papers/protocol.md alone (sections 1-3, 5, 7.1.1 and 7.8), not from
the C code, to check that the document specifies every byte of a CNN proof:
if this program and `gkrcnn verify` disagree, the document is incomplete or
wrong. Standard library only; the fields, the transcript, eq tables and the
Ligero shape come from gkr_verify.py (same directory). Zero-knowledge keys
(setup --zk on, 9.5; a private input, 9.6; a private output, 9.7) are
verified too: their masked sumchecks, the batch of the masks' values and the
hiding openings come from zk_spec.py (3.1, 5.1); a private input's proof
prints its commitment's root. Their evaluations are masked (part 2, 9.8): a
value is a public number with a pool part (Val), every sent evaluation
takes an entry of the pool, the sumchecks mask their finals and absorb
their claims' pool parts, checks of masked values become linear claims of
the batch, and a private input or output is proven by a sumcheck over its
padded table before its opening. A zk key's weights are committed hiding
(9.5: version-7 vk with the opening budget and the hiding certificate, W
being always certified, a W pad region in the plan that the weight-range certificate
leaves out); their weight-range certificate runs the zero-knowledge mode
too (9.5 item 4: C hiding with a pad region, a mask pool of its own whose
size it sends, wr/zk/mc, its batch and M's opening after W's and C's). In
the zero-knowledge mode the lookup root's Q != 0 is shown by an inverse
(9.8 (g)).

    python3 tests/spec/cnn_verify.py [-q] [--census] VK PROOF

--census also prints, after a valid proof, every message the verifier read
grouped by what it reveals (papers/protocol.md sec. 9.1), the zero-knowledge
mode's messages (masks, salts, hiding openings) included; for a zk proof
the evaluations by how they are sent (masked, the absorbing sumchecks' ell,
bare where an opening shows them, the lookup's root) and a last line
naming any evaluation that came unmasked (9.8 (c): none should).

VK is a verifying key (`gkrcnn setup`, DIR/model.vk), PROOF a proof file
written by `gkrcnn prove`. Exit status: 0 valid proof (prints the attested
output, dequantized, unless -q), 1 invalid proof (malformed, truncated,
foreign or false), 2 unusable key or bad usage; one line on stdout or
stderr. Loading the key checks what `gkrcnn verify` checks (7.8.1): its
proximity certificate, the skeleton's field bound with every constant
anywhere in its certified range, and the weight-range certificate (7.1.1).

Pure Python: meant for small models (LeNet-5 takes about a second, of
which 0.3 s for the key's weight-range certificate; VGG-16 about 10 s). Covers
every op code of 7.8.1 (1-34); a model with a function table (table ops,
Softmax, LogSoftmax) computes each table's 2^n rows with Python's math
module, which calls the same C library as gkrcnn (7.8.2 *Function tables*).
"""
import hashlib
import math
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkr_verify import (E0, E1, HALF, P, Invalid, Transcript, Unusable, eadd, econj,  # noqa: E402
                        emul, epow, eq_points, eq_table, escale, esub, ligero_shape, mle_f, root_of_unity)

# ---- small helpers (section 1 and notation of 7.8) ------------------------


def log2c(n):
    """least v >= 0 with 2^v >= n"""
    v = 0
    while (1 << v) < n:
        v += 1
    return v


def fe(v):
    """an integer as an element of F"""
    return v % P


def ee(v):
    """an integer as an element of E"""
    return (v % P, 0)


def finv(a):
    return pow(a, P - 2, P)


def eneg(x):
    return ((-x[0]) % P, (-x[1]) % P)


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def ind(length, r):
    """I~_len(r) = sum_{x < len} eq(r, x)  (7.8.3)"""
    n = len(r)
    if length >= (1 << n):
        return E1
    if length <= 0:
        return E0
    half = 1 << (n - 1)
    t = r[n - 1]
    if length <= half:
        return emul(esub(E1, t), ind(length, r[:n - 1]))
    return eadd(esub(E1, t), emul(t, ind(length - half, r[:n - 1])))


def sel(idx, r, lo, hi):
    """prod_{j=lo}^{hi-1} (bit j-lo of idx ? r_j : 1 - r_j)"""
    s = E1
    for j in range(lo, hi):
        s = emul(s, r[j] if (idx >> (j - lo)) & 1 else esub(E1, r[j]))
    return s


# ---- section 3: sumcheck of degree d ---------------------------------------

_LAGRANGE = {}


def lagrange_den(d):
    """1 / prod_{j != i} (i - j) for the nodes 0..d"""
    if d not in _LAGRANGE:
        dens = []
        for i in range(d + 1):
            den = 1
            for j in range(d + 1):
                if j != i:
                    den = den * (i - j) % P
            dens.append(finv(den % P))
        _LAGRANGE[d] = dens
    return _LAGRANGE[d]


def interp(g, r):
    d = len(g) - 1
    dens = lagrange_den(d)
    acc = E0
    for i in range(d + 1):
        t = escale(g[i], dens[i])
        for j in range(d + 1):
            if j != i:
                t = emul(t, esub(r, ee(j)))
        acc = eadd(acc, t)
    return acc


def sumcheck(tr, claim, n, d, what):
    """the rounds of 3 (d: one degree, or a list of n, d[v] for the round
    binding variable v, as sc_verify_deg)"""
    point = [None] * n
    c = claim
    for s in range(1, n + 1):
        g = tr.get_e("sc/round", (d[n - s] if isinstance(d, list) else d) + 1)
        if eadd(g[0], g[1]) != c:
            raise Invalid("%s: sumcheck round %d of %d: g(0)+g(1) != claim" % (what, s, n))
        r = tr.challenge("sc/r")
        point[n - s] = r
        c = interp(g, r)
    return point, c


def read_once(tr, n):
    """a proof's own hiding table (ADV, M, a private tensor, the certificate's
    C) is committed for exactly one opening (cnn_read_once)"""
    com = zk_spec.ligero_zk_read_commitment(tr, n)
    if com.openings != 1:
        raise Invalid("a proof's own hiding commitment names a budget of %d openings, not 1" % com.openings)
    return com


# ---- section 5: Ligero (plain and certified openings, certificates) --------

Q_PLAIN, Q_CERT, Q_CERT_OPEN = 160, 711, 72
_roots = {}


def omega(logK):
    if logK not in _roots:
        _roots[logK] = root_of_unity(logK)
    return _roots[logK]


def encode(u, logK):
    """Enc(u)[j] = sum_c u[c] omega^{c j}, j < K (a radix-2 DFT over E)"""
    K = 1 << logK
    a = list(u) + [E0] * (K - len(u))
    # bit-reversal permutation
    j = 0
    for i in range(1, K):
        bit = K >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j |= bit
        if i < j:
            a[i], a[j] = a[j], a[i]
    w_all = omega(logK)
    length = 2
    while length <= K:
        wl = epow(w_all, K // length)
        half = length // 2
        tw = [E1]
        for _ in range(half - 1):
            tw.append(emul(tw[-1], wl))
        for start in range(0, K, length):
            for k in range(half):
                x = a[start + k]
                y = a[start + k + half]
                w = tw[k]
                t = ((w[0] * y[0] - w[1] * y[1]) % P, (w[0] * y[1] + w[1] * y[0]) % P)
                a[start + k] = ((x[0] + t[0]) % P, (x[1] + t[1]) % P)
                a[start + k + half] = ((x[0] - t[0]) % P, (x[1] - t[1]) % P)
        length *= 2
    return a


def dot(ws, col):
    re = im = 0
    for w, c in zip(ws, col):
        re += w[0] * c[0] - w[1] * c[1]
        im += w[0] * c[1] + w[1] * c[0]
    return (re % P, im % P)


def check_columns(tr, root, m, logK, nq, labels, wts_list, cw_list, what, salt_label=None):
    """Steps 3-5 of 5 (and the certificate's): m entries per column; with
    salt_label (the hiding mode, 5.1) each column comes after its 16-byte
    salt, which its leaf digest covers."""
    query, col_label, path_label = labels
    K = 1 << logK
    queries = list(range(K)) if K <= nq else [tr.challenge_index(query, K) for _ in range(nq)]
    for qi, j in enumerate(queries):
        salt = tr.get_bytes(salt_label, 16) if salt_label else b""
        colb = tr.get_bytes(col_label, 16 * m)
        col = []
        for i in range(m):
            a = int.from_bytes(colb[16 * i:16 * i + 8], "little")
            b = int.from_bytes(colb[16 * i + 8:16 * i + 16], "little")
            if a >= P or b >= P:
                raise Invalid("non-canonical element in " + col_label)
            col.append((a, b))
        path = tr.get_bytes(path_label, 32 * logK)
        node = hashlib.sha256(b"\x00" + salt + colb).digest()
        for s in range(logK):
            sib = path[32 * s:32 * s + 32]
            if (j >> s) & 1:
                node = hashlib.sha256(b"\x01" + sib + node).digest()
            else:
                node = hashlib.sha256(b"\x01" + node + sib).digest()
        if node != root:
            raise Invalid("%s: query %d: column %d does not match the root" % (what, qi, j))
        for wts, cw in zip(wts_list, cw_list):
            if dot(wts, col) != cw[j]:
                raise Invalid("%s: query %d: column %d fails the codeword check" % (what, qi, j))


def ligero_open(tr, root, n, z, v, certified, what):
    l, c = ligero_shape(n, Q_CERT_OPEN if certified else Q_PLAIN)
    m, k = 1 << l, 1 << c
    logK = c + 2
    z0, zcol, zrow = z[0], z[1:1 + c], z[1 + c:]
    u1 = tr.get_e("pcs/u1", k)
    u2 = tr.get_e("pcs/u2", k)
    ecol = eq_table(zcol)
    y1 = dot(u1, ecol)
    y2 = dot(u2, [econj(x) for x in ecol])
    y2c = econj(y2)
    M0 = escale(eadd(y1, y2c), HALF)
    d = esub(y1, y2c)
    M1 = escale((d[1], (-d[0]) % P), HALF)
    if eadd(emul(esub(E1, z0), M0), emul(z0, M1)) != v:
        raise Invalid("%s: opened value does not match the claim" % what)
    e = eq_table(zrow)
    ebar = [econj(x) for x in e]
    cw1, cw2 = encode(u1, logK), encode(u2, logK)
    check_columns(tr, root, m, logK, Q_CERT_OPEN if certified else Q_PLAIN, ("pcs/query", "pcs/col", "pcs/path"),
                  (e, ebar), (cw1, cw2), what)


def check_certificate(n, root, cert):
    l, c = ligero_shape(n, Q_CERT_OPEN)
    m, k = 1 << l, 1 << c
    logK = c + 2
    tr = Transcript("gkrcnn/pcs/ligero-cert/v1", cert)
    tr.absorb("pcs/cert/n", n.to_bytes(8, "little"))
    tr.absorb("pcs/cert/root", root)
    gamma = tr.challenges("pcs/cert/gamma", m)
    u0 = tr.get_e("pcs/cert/u0", k)
    check_columns(tr, root, m, logK, Q_CERT, ("pcs/cert/query", "pcs/cert/col", "pcs/cert/path"), (gamma,),
                  (encode(u0, logK),), "weight certificate")
    tr.finish()


# ---- 7.8.1: the verifying key -----------------------------------------------

(CONV, FC, MATMUL, RELU, LEAKY, MAXPOOL, AVGPOOL, GAP, GMP, AFFINE, ADD, SUB, MUL, RESHAPE, PAD, TRANSPOSE, SLICE,
 RESIZE, CONCAT, SIGMOID, TANH, EXP, ERF, GELU, ELU, SELU, SOFTPLUS, HARDSIGMOID, HARDSWISH, SOFTSIGN, CLIP, PRELU,
 SOFTMAX, LOGSOFTMAX) = range(1, 35)
OP_NAMES = {CONV: "Conv", FC: "FC", MATMUL: "MatMul", RELU: "Relu", LEAKY: "LeakyRelu", MAXPOOL: "MaxPool",
            AVGPOOL: "AveragePool", GAP: "GlobalAveragePool", GMP: "GlobalMaxPool", AFFINE: "Affine", ADD: "Add",
            SUB: "Sub", MUL: "Mul", RESHAPE: "Reshape", PAD: "Pad", TRANSPOSE: "Transpose", SLICE: "Slice",
            RESIZE: "Resize", CONCAT: "Concat", SIGMOID: "Sigmoid", TANH: "Tanh", EXP: "Exp", ERF: "Erf", GELU: "Gelu",
            ELU: "Elu", SELU: "Selu", SOFTPLUS: "Softplus", HARDSIGMOID: "HardSigmoid", HARDSWISH: "HardSwish",
            SOFTSIGN: "Softsign", CLIP: "Clip", PRELU: "PRelu", SOFTMAX: "Softmax", LOGSOFTMAX: "LogSoftmax"}
LUT_OPS = range(SIGMOID, SOFTSIGN + 1)  # the table ops (7.3 "Table lookups")
WIRE_OPS = (PAD, TRANSPOSE, SLICE, RESIZE)


class Reader:
    def __init__(self, b, what):
        self.b, self.pos, self.what = b, 0, what

    def take(self, n):
        if n < 0 or n > len(self.b) - self.pos:
            raise Unusable("%s: truncated" % self.what)
        r = self.b[self.pos:self.pos + n]
        self.pos += n
        return r

    def u32(self):
        return struct.unpack("<I", self.take(4))[0]

    def i32(self):
        return struct.unpack("<i", self.take(4))[0]

    def u64(self):
        return struct.unpack("<Q", self.take(8))[0]

    def i64(self):
        return struct.unpack("<q", self.take(8))[0]

    def string(self):
        n = self.u32()
        if n > 4096:
            raise Unusable("%s: name too long" % self.what)
        s = self.take(n)
        if b"\x00" in s:
            raise Unusable("%s: NUL in a name" % self.what)
        return s.decode("utf-8", "replace")

    def shape(self, allow_empty):
        nd = self.u32()
        if nd > 6 or (nd == 0 and not allow_empty):
            raise Unusable("%s: bad rank" % self.what)
        return [self.i64() for _ in range(nd)]


class Node:
    pass


class Model:
    pass


ZK_MAX_MC = 24  # the mask table [C; D] has 2^(zk_mc + 1) <= 2^25 cells
ZK_PAD_NV = 6  # 9.5: a region of 2^6 random ADV cells no claim reads
ZK_WPAD_NV = 7  # 9.5: and of 2^7 random W cells in a zk key with weights


def parse_skeleton(b):
    r = Reader(b, "skeleton")
    magic, version = r.take(8), r.u32()
    if magic != b"GKRQSKL1" or version not in (1, 2, 3):
        raise Unusable("skeleton: bad magic or version")
    md = Model()
    md.b_act, md.b_w, md.f_min, md.f_max = r.i32(), r.i32(), r.i32(), r.i32()
    md.out_class = False  # version 2 adds the output visibility: 1 = class (7.8.4)
    md.in_private, md.zk_mc = False, 0  # version 3: any output visibility, the input's, the mask pool (9.5, 9.6)
    md.out_private = False  # version 3: output visibility 2 = private (9.7)
    if version >= 2:
        ov = r.i32()
        if ov not in ((1,) if version == 2 else (0, 1, 2)):
            raise Unusable("skeleton: bad output visibility")
        md.out_class = ov == 1
        md.out_private = ov == 2
    if version == 3:
        iv, md.zk_mc = r.i32(), r.i32()
        if iv not in (0, 1):
            raise Unusable("skeleton: bad input visibility")
        if not 1 <= md.zk_mc <= ZK_MAX_MC:
            raise Unusable("skeleton: zero-knowledge mask pool 2^%d outside 2^1..2^%d" % (md.zk_mc, ZK_MAX_MC))
        md.in_private = iv == 1  # a private input needs the zero-knowledge mode: always on in version 3
    if not 2 <= md.b_act <= 48:
        raise Unusable("skeleton: b_act out of range")
    T = r.u32()
    if T < 2 or T > (1 << 20) + 1:
        raise Unusable("skeleton: bad tensor count")
    md.names, md.shapes, md.f = [], [], []
    for _ in range(T):
        md.names.append(r.string())
        sh = r.shape(False)
        if any(d < 1 for d in sh):
            raise Unusable("skeleton: bad shape")
        md.shapes.append(sh)
        md.f.append(r.i32())
        r.u64()  # range
    N = r.u32()
    if N != T - 1:
        raise Unusable("skeleton: node and tensor counts disagree")
    md.nodes = []
    for i in range(N):
        nd = Node()
        nd.op = r.u32()
        nd.name = r.string()
        nd.inp = [r.i32(), r.i32()]
        nd.cshape = r.shape(True)
        nd.nw, nd.nb = r.u64(), r.u64()
        nd.f_w, nd.k = r.i32(), r.i32()
        nd.align = [r.i32(), r.i32()]
        nd.alpha, nd.pad = r.i64(), r.i64()
        nd.kernel = [r.i64(), r.i64()]
        nd.strides = [r.i64(), r.i64()]
        nd.pads = [r.i64() for _ in range(4)]
        nd.dil = [r.i64(), r.i64()]
        nd.group = r.i64()
        nd.ceil_mode, nd.cip = r.u32(), r.u32()
        nd.iattr = [r.i64() for _ in range(12)]
        nd.acc_bits = r.i32()
        if nd.op not in OP_NAMES:
            raise Unusable("skeleton: node %s: unknown op %d" % (nd.name, nd.op))
        for j in range(2):
            if not -1 <= nd.inp[j] <= i:
                raise Unusable("skeleton: node %s: operand is not an earlier tensor" % nd.name)
        if nd.inp[0] < 0 and nd.inp[1] < 0:
            raise Unusable("skeleton: node %s: no operand" % nd.name)
        md.nodes.append(nd)
    md.output = r.i32()
    if r.pos != len(b):
        raise Unusable("skeleton: trailing bytes")
    if not 1 <= md.output <= N:
        raise Unusable("skeleton: bad output tensor")
    return md


class Key:
    pass


def parse_vk(b):
    r = Reader(b, "verifying key")
    if r.take(8) != b"GKRCNNVK":
        raise Unusable("not a gkrcnn verifying key (bad magic)")
    ver = r.u32()
    if ver not in (5, 7):
        raise Unusable("unsupported verifying key version")
    s = r.u64()
    skel = r.take(s)
    md = parse_skeleton(skel)
    root = r.take(32)
    wnv = r.u32()
    # a zero-knowledge key with weights (9.5): version 7, W committed hiding
    # (always certified) with the opening budget that follows w_nvars
    zkw = wnv > 0 and md.zk_mc > 0
    if zkw != (ver == 7):
        raise Unusable("unsupported verifying key version")
    budget = r.u32() if zkw else 0
    if zkw and not 1 <= budget <= zk_spec.ZK_MAX_OPENINGS:
        raise Unusable("verifying key: weight commitment's opening budget out of range")
    # the weight-range certificate (protocol.md 7.1.1): present exactly when
    # there is a W; checked by check_key once the skeleton's bound is
    rl = r.u64()
    if rl > len(b) - r.pos or (rl > 0) != (wnv > 0):
        raise Unusable("verifying key: weight-range certificate truncated, missing or unexpected")
    wrange = r.take(rl)
    c = r.u64()
    if c != len(b) - r.pos:
        raise Unusable("verifying key: certificate truncated or followed by trailing bytes")
    cert = r.take(c)
    if wnv > 25:
        raise Unusable("verifying key: weight table size out of range")
    certified = wnv > 0 and (zkw or wnv >= 20)
    if (c > 0) != certified:
        raise Unusable("verifying key: certificate %s" % ("missing" if certified else "present for a plain table"))
    k = Key()
    k.model = md
    # a hiding W's commitment carries its budget (zk_spec: the verifier's view of it)
    k.root = zk_spec.ZkCommitment(wnv, root, budget) if zkw else root
    k.wnv, k.certified, k.wrange = wnv, certified, wrange
    k.digest = hashlib.sha256(b"gkrcnn/cnn/v2" + skel + struct.pack("<I", wnv) + root +
                              (struct.pack("<I", budget) if zkw else b"")).digest()
    if certified:
        try:
            if zkw:
                zk_spec.ligero_zk_check_certificate(k.root, cert)
            else:
                check_certificate(wnv, root, cert)
        except Invalid as e:
            raise Unusable("verifying key: the weight certificate is invalid: %s" % e)
    return k


# ---- 7.1.1: the skeleton's field bound with certified constant ranges ----------

FIELD_BITS = 60  # every relation's magnitude < 2^60


def const_bits(md, nd, bias):
    """the certified range of node nd's constant (bias: its bias or shift), in bits; 0: none"""
    if bias:
        return nd.acc_bits + 1 if nd.nb else 0
    if not nd.nw:
        return 0
    if nd.op in (ADD, SUB):
        return nd.acc_bits + 1
    if nd.op == CONCAT:
        return md.b_act
    return md.b_w  # Conv, FC, Affine's scale, Mul, PRelu: weight-like


def pow2(e, what):
    if not 0 <= e < 64:
        raise Unusable("verifying key: %s: shift %d out of range" % (what, e))
    return 1 << e


def rel_bound(md, i):
    """the largest magnitude in node i's relations (7.1.1 *Field bound*), every
    activation in [-A, A) and every constant anywhere in its certified range"""
    nd = md.nodes[i]
    A = 1 << (md.b_act - 1)
    what = "node %s" % nd.name
    cw = 1 << (const_bits(md, nd, 0) - 1) if const_bits(md, nd, 0) else 0
    cb = 1 << (const_bits(md, nd, 1) - 1) if const_bits(md, nd, 1) else 0
    opnd = [A if nd.inp[j] >= 0 else cw for j in range(2)]  # an operand's largest magnitude
    op = nd.op
    if op in (CONV, FC, AFFINE, MATMUL, MUL, ADD, SUB, CONCAT, LEAKY, PRELU):
        if op in (CONV, FC):
            acc = nd.nw // nd.cshape[0] * cw * A + cb
        elif op == AFFINE:
            acc = cw * A + cb
        elif op == MATMUL:
            acc = A * A * md.shapes[nd.inp[0]][1]
        elif op == MUL:
            acc = opnd[0] * opnd[1]
        elif op in (ADD, SUB):
            acc = opnd[0] * pow2(nd.align[0], what) + opnd[1] * pow2(nd.align[1], what)
        elif op == CONCAT:
            acc = max(opnd[0] * pow2(nd.align[0], what), opnd[1] * pow2(nd.align[1], what))
        elif op == LEAKY:
            acc = A * abs(nd.alpha)
        else:  # PRELU
            acc = A * cw
        if nd.k >= 1:
            return max(acc + pow2(nd.k - 1, what), A * pow2(nd.k, what))
        return max(acc * pow2(-nd.k, what), acc, A)
    if op in (MAXPOOL, GMP):
        return 2 * A
    if op in (SOFTMAX, LOGSOFTMAX):
        n, fe_ = nd.iattr[0], nd.iattr[2]
        S = n * pow2(fe_, what)
        if op == LOGSOFTMAX:
            d = 2 * A * pow2(md.f[i + 1] - md.f[nd.inp[0]], what) + A
            return max(S, d)
        return max(2 * S * A, pow2(md.f[i + 1] + 1, what) * pow2(fe_, what) + S)
    if op in (AVGPOOL, GAP):
        X = md.shapes[nd.inp[0]]
        n = nd.kernel[0] * nd.kernel[1] if op == AVGPOOL else numel(X) // (X[0] * X[1])
        return 2 * n * A + 2 * n
    return A


def public_acc_bits(md, i):
    """a zero-knowledge skeleton's acc_bits (protocol.md 9.9 item 5): one bit
    more than the relation bound with weight-like constants at their b_w-bit
    worst case and additive ones at 1 (acc_bits = 0 in const_bits)"""
    nd = md.nodes[i]
    keep = nd.acc_bits
    nd.acc_bits = 0
    try:
        return rel_bound(md, i).bit_length() + 1
    finally:
        nd.acc_bits = keep


def check_field_bound(md):
    """q_model_check_ranges: refuse a key whose relations could reach 2^60"""
    for i, nd in enumerate(md.nodes):
        if not 0 <= nd.acc_bits <= FIELD_BITS:
            raise Unusable("verifying key: node %s (%s): accumulator width %d is outside 0..%d"
                           % (nd.name, OP_NAMES[nd.op], nd.acc_bits, FIELD_BITS))
        if md.zk_mc and nd.acc_bits != public_acc_bits(md, i):
            raise Unusable("verifying key: node %s (%s): a zero-knowledge skeleton's accumulator width %d is not "
                           "the public one (%d)" % (nd.name, OP_NAMES[nd.op], nd.acc_bits, public_acc_bits(md, i)))
        rel = rel_bound(md, i)
        if rel >= 1 << FIELD_BITS:
            raise Unusable("verifying key: node %s (%s): with its constants anywhere in their certified ranges a "
                           "relation needs %d bits, over the field bound of %d"
                           % (nd.name, OP_NAMES[nd.op], rel.bit_length(), FIELD_BITS))


# ---- 7.8.2: the plan ------------------------------------------------------------

INPUT, OUTPUT, CONSUMER, PRODUCER, UNUSED, CHECK = range(1, 7)


class PlanFail(Exception):
    pass


def exact_concat(nd):
    return nd.op == CONCAT and nd.k == 0 and nd.align == [0, 0]


def passes_back(md, nd, i):
    """every cell of the computed operands is a cell of the output, unchanged"""
    if nd.op in (RESHAPE, TRANSPOSE, RESIZE):
        return True
    if nd.op == SLICE:
        X, Y = md.shapes[nd.inp[0]], md.shapes[i + 1]
        return X == Y and all(nd.iattr[len(X) + d] in (1, -1) for d in range(len(X)))
    return exact_concat(nd)


def clip_table(md, i):
    """7.3 "Clip": whether Clip node i is proven by its table (x, clip(x)) rather than by comparisons"""
    nd = md.nodes[i]
    A = 1 << (md.b_act - 1)
    if nd.op != CLIP or not (nd.iattr[0] > -A and nd.iattr[1] < A - 1) or md.b_act > 16:
        return False
    cells = sum(1 << log2c(numel(md.shapes[j + 1])) for j, o in enumerate(md.nodes)
                if o.op == CLIP and o.iattr[:2] == nd.iattr[:2] and md.f[o.inp[0]] == md.f[nd.inp[0]])
    return cells >= 1 << md.b_act


def int_rules(md):
    T = len(md.shapes)
    read = [False] * T
    covered = [False] * T
    rule = [None] * T
    for t in range(T - 1, -1, -1):
        if t == md.output and (md.out_class or md.out_private):
            read[t] = True  # the argmax or the commitment reads a class-only or private output
        if t == 0:
            rule[t] = INPUT
        elif t == md.output and not md.out_class and not md.out_private:
            rule[t] = OUTPUT
        elif not read[t]:
            rule[t] = UNUSED
        elif covered[t]:
            rule[t] = CONSUMER
        else:
            nd = md.nodes[t - 1]
            prod = nd.op in (RELU, MAXPOOL, GMP, RESHAPE, CLIP, SOFTMAX) + WIRE_OPS or nd.op in LUT_OPS \
                or exact_concat(nd)
            rule[t] = PRODUCER if prod else CHECK
        if t >= 1 and rule[t] != UNUSED:
            nd = md.nodes[t - 1]
            cover0 = nd.op in (RELU, LEAKY, PRELU) or nd.op in LUT_OPS or \
                (nd.op == CLIP and (0 in nd.iattr[:2] or clip_table(md, t - 1)))
            back = rule[t] in (INPUT, OUTPUT, CONSUMER) and passes_back(md, nd, t - 1)
            for j in range(2):
                if nd.inp[j] >= 0:
                    read[nd.inp[j]] = True
                    if (cover0 and j == 0) or back:
                        covered[nd.inp[j]] = True
    return rule


class Region:
    def __init__(self, poly, nv, length):
        self.poly, self.nv, self.len, self.off = poly, nv, length, 0


class Col:
    def __init__(self, reg, scale, off, coff=0):
        # value scale * R[k] + off[k] + coff; coff, a constant offset of all
        # 2^nv entries, only in the weight-range certificate (7.1.1)
        self.reg, self.scale, self.off, self.coff, self.leaf = reg, scale, off, coff, 0


class NodePlan:
    def __init__(self):
        self.kind = None
        self.wreg = self.breg = self.creg = None
        self.rem = self.ychk = self.sign = self.u = None
        self.cells = []
        self.d, self.e = [], []
        self.avgrem = None
        self.acc = None          # PRelu: the product region
        self.cmp = []            # Clip: (bound, sign, u) per comparison
        self.lreg = None         # table op: regions I, Y; its table
        self.sm = {}             # Softmax, LogSoftmax: regions and quantities by name


class Table:
    """a function table (7.8.2): node, kind, nv, lo; rows filled for the chosen plan"""

    def __init__(self, node, kind, nv):
        self.node, self.kind, self.nv = node, kind, nv
        self.lo = -(1 << (nv - 1)) if kind in (TAB_LUT, TAB_CLIP) else 0
        self.mreg = self.leaf = None
        self.a = self.b = None


class PairCol:
    def __init__(self, rega, regb, tab):
        self.rega, self.regb, self.tab, self.leaf = rega, regb, tab, 0


TAB_LUT, TAB_EXP, TAB_LOG, TAB_CLIP = range(4)
SMAX_TAB_BITS = 16


class SmGeo:
    """the groups of a Softmax or LogSoftmax (7.3, 7.8.5)"""

    def __init__(self, md, nd, ny):
        self.n, self.inner, self.fe, self.s, self.s2 = nd.iattr[:5]
        self.G = ny // self.n
        self.gv = log2c(self.G)
        b = md.b_act + 1 - self.s
        self.ne = min(b, SMAX_TAB_BITS)
        self.h = b > SMAX_TAB_BITS
        self.D = 1 << (self.ne + self.s)
        self.qbits = 1 + self.fe + log2c(self.n)

    def cell(self, g, j):
        return ((g // self.inner) * self.n + j) * self.inner + g % self.inner

    def group(self, o):
        return (o // (self.inner * self.n)) * self.inner + o % self.inner


W_, ADV_ = 0, 1


def cell(md, nd, i, o, p):
    """cell(o, p) of 7.8.2 for node i"""
    X, Y = md.shapes[nd.inp[0]], md.shapes[i + 1]
    if nd.op in (GAP, GMP):
        return o * (numel(X) // (X[0] * X[1])) + p
    H, Wd, OH, OW = X[2], X[3], Y[2], Y[3]
    ox, oy, nc = o % OW, (o // OW) % OH, o // (OW * OH)
    ky, kx = p // nd.kernel[1], p % nd.kernel[1]
    iy = oy * nd.strides[0] - nd.pads[0] + ky * nd.dil[0]
    ix = ox * nd.strides[1] - nd.pads[1] + kx * nd.dil[1]
    if 0 <= iy < H and 0 <= ix < Wd:
        return (nc * H + iy) * Wd + ix
    return -1


def live_cells(md, nd, i):
    X, Y = md.shapes[nd.inp[0]], md.shapes[i + 1]
    if nd.op in (GAP, GMP):
        return list(range(numel(X) // (X[0] * X[1])))
    plane = Y[2] * Y[3]
    return [p for p in range(nd.kernel[0] * nd.kernel[1]) if any(cell(md, nd, i, o, p) >= 0 for o in range(plane))]


def avg_count(md, nd, i, o):
    X, Y = md.shapes[nd.inp[0]], md.shapes[i + 1]
    if nd.op == GAP:
        return numel(X) // (X[0] * X[1])
    OH, OW = Y[2], Y[3]
    coord = [(o // OW) % OH, o % OW]
    lim = [X[2], X[3]]
    real, inside = [0, 0], [0, 0]
    for a in range(2):
        start = coord[a] * nd.strides[a] - nd.pads[a]
        for t in range(nd.kernel[a]):
            pos = start + t * nd.dil[a]
            real[a] += 0 <= pos < lim[a]
            inside[a] += -nd.pads[a] <= pos < lim[a] + nd.pads[a + 2]
    return inside[0] * inside[1] if nd.cip else real[0] * real[1]


def place(nvs, min_nv):
    """offsets for blocks of 2^nv[i], largest first (ties by index); total nv"""
    if not nvs:
        return [], 0
    order = sorted(range(len(nvs)), key=lambda i: (-nvs[i], i))
    off = [0] * len(nvs)
    at = 0
    for i in order:
        off[i] = at
        at += 1 << nvs[i]
    return off, max(min_nv, log2c(at))


class Plan:
    pass


def add_qty(regs, cols, lb, bits, nv, length):
    """a quantity of `bits` bits (7.8.2): its limb regions (ADV) and their columns"""
    nl = (bits + lb - 1) // lb
    limbs = []
    for j in range(nl):
        regs.append(Region(ADV_, nv, length))
        r = len(regs) - 1
        limbs.append(r)
        width = lb if j < nl - 1 else bits - lb * (nl - 1)
        cols.append(Col(r, 1, None))
        if width < lb:
            cols.append(Col(r, 1 << (lb - width), None))
    return limbs


def build_plan_lb(md, lb, rule, tnv):
    pl = Plan()
    pl.lb, pl.tnv, pl.rule = lb, tnv, rule
    regs, cols = [], []

    def region(poly, nv, length):
        regs.append(Region(poly, nv, length))
        return len(regs) - 1

    def qty(bits, nv, length):
        return add_qty(regs, cols, lb, bits, nv, length)

    tabs, fcols = [], []

    def same_table(kind, i, j):
        """whether nodes i and j have equal tables of this kind"""
        a, b = md.nodes[i], md.nodes[j]
        if md.f[a.inp[0]] != md.f[b.inp[0]]:
            return False
        if kind == TAB_LUT:
            return a.op == b.op and md.f[i + 1] == md.f[j + 1] and a.iattr == b.iattr
        if kind == TAB_EXP:
            return a.iattr[2:4] == b.iattr[2:4]
        if kind == TAB_CLIP:
            return a.iattr[:2] == b.iattr[:2]
        return a.iattr[2] == b.iattr[2] and a.iattr[4] == b.iattr[4] and md.f[i + 1] == md.f[j + 1]

    def table(i, kind):
        nd = md.nodes[i]
        for t, tb in enumerate(tabs):
            if tb.kind == kind and same_table(kind, tb.node, i):
                return t
        nv = md.b_act - nd.iattr[0] if kind == TAB_LUT else md.b_act if kind == TAB_CLIP else \
            SmGeo(md, nd, numel(md.shapes[i + 1])).ne if kind == TAB_EXP else SMAX_TAB_BITS
        tabs.append(Table(i, kind, nv))
        return len(tabs) - 1

    pl.nodes = []
    for i, nd in enumerate(md.nodes):
        pn = NodePlan()
        pl.nodes.append(pn)
        y = i + 1
        ny, ynv = numel(md.shapes[y]), tnv[y]
        X = md.shapes[nd.inp[0]] if nd.inp[0] >= 0 else None
        Y = md.shapes[y]
        if nd.op == CONV:
            pn.kind = CONV
            pn.G = nd.group
            pn.Mg = Y[1] // nd.group
            pn.Q = X[1] // nd.group
            pn.P = Y[0] * Y[2] * Y[3]
            pn.K = nd.kernel[0] * nd.kernel[1]
        elif nd.op == FC:
            pn.kind = FC
            pn.G, pn.Mg, pn.Q = 1, nd.cshape[0], nd.cshape[1]
            pn.P = ny // pn.Mg
            pn.K = 1
        elif nd.op == MATMUL:
            pn.kind = MATMUL
            pn.G, pn.Mg, pn.Q, pn.P, pn.K = 1, Y[1], X[1], X[0], 1
        if pn.kind:
            pn.gv, pn.mv, pn.qv, pn.pv = log2c(pn.G), log2c(pn.Mg), log2c(pn.Q), log2c(pn.P)
            if pn.kind != MATMUL:
                nv = pn.qv + pn.mv + pn.gv
                if nv > 30:
                    raise PlanFail("node %s: weight block too large" % nd.name)
                for kp in range(pn.K):
                    r = region(W_, nv, 1 << nv)
                    if kp == 0:
                        pn.wreg = r
                if nd.nb > 0:
                    pn.breg = region(W_, log2c(nd.nb), nd.nb)
        if nd.op == AFFINE:
            pn.creg = region(W_, log2c(nd.nw), nd.nw)
            pn.breg = region(W_, log2c(nd.nb), nd.nb)
        if nd.op in (MUL, ADD, SUB, CONCAT) and nd.nw > 0:
            pn.creg = region(W_, log2c(nd.nw), nd.nw)
        if nd.op in (CONV, FC, MATMUL, MUL, AFFINE, ADD, SUB, CONCAT, LEAKY, PRELU) and nd.k >= 1:
            pn.rem = qty(nd.k, ynv, ny)
        if rule[y] == CHECK:
            pn.ychk = qty(md.b_act, ynv, ny)
        if nd.op in (RELU, LEAKY, PRELU):
            pn.sign = [region(ADV_, ynv, ny)]
            pn.u = qty(md.b_act - 1, ynv, ny)
            if nd.op == PRELU:
                pn.creg = region(W_, log2c(nd.nw), nd.nw)
                pn.acc = region(ADV_, ynv, ny)
        if nd.op == CLIP and clip_table(md, i):
            pn.lreg = (region(ADV_, ynv, ny), region(ADV_, ynv, ny))
            pn.ltab = table(i, TAB_CLIP)
            fcols.append(PairCol(pn.lreg[0], pn.lreg[1], pn.ltab))
        elif nd.op == CLIP:
            A = 1 << (md.b_act - 1)
            pn.lower = nd.iattr[0] > -A
            bounds = ([nd.iattr[0]] if pn.lower else []) + ([nd.iattr[1]] if nd.iattr[1] < A - 1 else [])
            for c in bounds:
                sg = [region(ADV_, ynv, ny)]
                pn.cmp.append((c, sg, qty(md.b_act - (c == 0), ynv, ny)))
        if nd.op in LUT_OPS:
            if nd.iattr[0] >= 1:
                pn.rem = qty(nd.iattr[0], ynv, ny)
            pn.lreg = (region(ADV_, ynv, ny), region(ADV_, ynv, ny))
            pn.ltab = table(i, TAB_LUT)
            fcols.append(PairCol(pn.lreg[0], pn.lreg[1], pn.ltab))
        if nd.op in (SOFTMAX, LOGSOFTMAX):
            g = pn.geo = SmGeo(md, nd, ny)
            sm = pn.sm
            sm["m"] = region(ADV_, g.gv, g.G)
            sm["e1"] = region(ADV_, ynv, ny)
            sm["i"] = region(ADV_, ynv, ny)
            sm["T"] = region(ADV_, ynv, ny)
            fcols.append(PairCol(sm["i"], sm["T"], table(i, TAB_EXP)))
            if g.s:
                sm["r"] = qty(g.s, ynv, ny)
            if g.h:
                sm["h"] = region(ADV_, ynv, ny)
                sm["e"] = region(ADV_, ynv, ny)
            if nd.op == SOFTMAX:
                sm["S"] = region(ADV_, g.gv, g.G)
                sm["Sb"] = region(ADV_, ynv, ny)
                sm["YC"] = qty(md.b_act - 1, ynv, ny)
                sm["q"] = qty(g.qbits, ynv, ny)
                sm["q2"] = qty(g.qbits, ynv, ny)
            else:
                sm["j"] = region(ADV_, g.gv, g.G)
                sm["l"] = region(ADV_, g.gv, g.G)
                fcols.append(PairCol(sm["j"], sm["l"], table(i, TAB_LOG)))
                if g.s2:
                    sm["r2"] = qty(g.s2, g.gv, g.G)
        if nd.op in (MAXPOOL, GMP):
            pn.cells = live_cells(md, nd, i)
            if len(pn.cells) > 4096:
                raise PlanFail("node %s: max-pool window over 4096 cells" % nd.name)
            for _ in pn.cells:
                pn.d.append(qty(md.b_act, ynv, ny))
                pn.e.append([region(ADV_, ynv, ny)])
        if nd.op in (AVGPOOL, GAP):
            pn.cells = live_cells(md, nd, i)
            pn.navg = [avg_count(md, nd, i, o) for o in range(ny)]
            if 2 * max(pn.navg) > (1 << lb):
                raise PlanFail("node %s: average remainder over the table" % nd.name)
            r = region(ADV_, ynv, ny)
            pn.avgrem = r
            cols.append(Col(r, 1, None))
            cols.append(Col(r, -1, [2 * n - 1 for n in pn.navg]))
    pl.cls_d = pl.cls_m = None
    if md.out_class:  # 7.8.2: after the nodes, d's limbs and m's region
        pl.cls_d = qty(md.b_act, tnv[md.output], numel(md.shapes[md.output]))
        pl.cls_m = region(ADV_, 1, 1)
    if md.out_private and numel(md.shapes[md.output]) < 2:  # 9.7
        raise PlanFail("a private output needs at least 2 elements")
    pl.in_chk = []
    if md.in_private:  # 9.6: the range-checked copy x + A of a private input
        if numel(md.shapes[0]) < 2:
            raise PlanFail("a private input needs at least 2 elements")
        pl.in_chk = qty(md.b_act, tnv[0], numel(md.shapes[0]))
    pl.zk_pad = region(ADV_, ZK_PAD_NV, 1 << ZK_PAD_NV) if md.zk_mc else None  # 9.5
    # 9.5: a zk key's W pad, 2^7 random W cells no claim reads (when the model has a W region)
    has_w = any(rg.poly == W_ for rg in regs)
    pl.wpad = region(W_, ZK_WPAD_NV, 1 << ZK_WPAD_NV) if md.zk_mc and has_w else None
    pl.mreg = region(ADV_, lb, 1 << lb)
    for tb in tabs:
        tb.mreg = region(ADV_, tb.nv, 1 << tb.nv)
    for poly in (W_, ADV_):
        idx = [r for r in range(len(regs)) if regs[r].poly == poly]
        off, tot = place([regs[r].nv for r in idx], 2)
        for r, o in zip(idx, off):
            regs[r].off = o
        if poly == W_:
            pl.wnv = tot
        else:
            pl.anv = tot
    if pl.wnv > 25 or pl.anv > 25:
        raise PlanFail("committed table over 2^25")
    off, pl.lnv = place([regs[c.reg].nv for c in cols] + [lb] + [regs[c.rega].nv for c in fcols] +
                        [tb.nv for tb in tabs], 1)
    for c, o in zip(cols + [None] + fcols + tabs, off):
        if c is None:
            pl.tleaf = o
        else:
            c.leaf = o
    if pl.lnv > 32:
        raise PlanFail("too many lookups")
    pl.lu_two = pl.lnv >= 18
    pl.regs, pl.cols, pl.fcols, pl.tabs = regs, cols, fcols, tabs
    return pl


# ---- 7.8.2: the function tables, in IEEE binary64 as the C library computes them ----

INF = float("inf")


def c_exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def c_expm1(x):
    try:
        return math.expm1(x)
    except OverflowError:
        return INF


def c_ldexp(x, e):
    try:
        return math.ldexp(x, e)
    except OverflowError:
        return math.copysign(INF, x)


def clamp01(v):
    return 0.0 if v < 0 else 1.0 if v > 1 else v


def lut_f(op, par, x):
    """f of a table op (7.8.2 *Function tables*), each operation rounded as written"""
    if op == SIGMOID:
        return 1 / (1 + c_exp(-x)) if x >= 0 else c_exp(x) / (1 + c_exp(x))
    if op == TANH:
        return math.tanh(x)
    if op == EXP:
        return c_exp(x)
    if op == ERF:
        return math.erf(x)
    if op == GELU:
        if par[0] != 0:
            return 0.5 * x * (1 + math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))
        return 0.5 * x * (1 + math.erf(x * 0.7071067811865476))
    if op == ELU:
        return x if x >= 0 else par[0] * c_expm1(x)
    if op == SELU:
        return par[2] * (x if x > 0 else par[0] * c_expm1(x))
    if op == SOFTPLUS:
        return x + math.log1p(c_exp(-x)) if x > 0 else math.log1p(c_exp(x))
    if op == HARDSIGMOID:
        return clamp01(par[0] * x + par[1])
    if op == HARDSWISH:
        return x * clamp01(x / 6 + 0.5)
    return x / (1 + abs(x))  # SOFTSIGN


def llround(v):
    """v (finite, |v| < 2^62) rounded to an integer, halves away from zero"""
    q = int(v)  # truncation, exact
    frac = v - q  # exact
    if frac >= 0.5:
        q += 1
    elif frac <= -0.5:
        q -= 1
    return q


def cell_centre(i, s):
    """2^s i + (2^s - 1)/2, exact in binary64"""
    return float(i << s) + ((1 << s) - 1) / 2


def table_values(md, tb):
    """F_k for k < 2^nv (None where the row has no value)"""
    nd = md.nodes[tb.node]
    A = 1 << (md.b_act - 1)
    fx, fy = md.f[nd.inp[0]], md.f[tb.node + 1]
    F = []
    if tb.kind == TAB_CLIP:
        F = [min(max(k + tb.lo, nd.iattr[0]), nd.iattr[1]) for k in range(1 << tb.nv)]
    elif tb.kind == TAB_LUT:
        s = nd.iattr[0]
        par = [struct.unpack("<d", struct.pack("<q", nd.iattr[1 + j]))[0] for j in range(3)]
        for k in range(1 << tb.nv):
            v = c_ldexp(lut_f(nd.op, par, c_ldexp(cell_centre(k + tb.lo, s), -fx)), fy)
            q = llround(v) if abs(v) < 2.0 ** 62 else None
            F.append(q if q is not None and -A <= q < A else None)
    elif tb.kind == TAB_EXP:
        fe, s = nd.iattr[2], nd.iattr[3]
        for k in range(1 << tb.nv):
            F.append(llround(c_ldexp(c_exp(-c_ldexp(cell_centre(k, s), -fx)), fe)))
    else:
        fe, s2 = nd.iattr[2], nd.iattr[4]
        for k in range(1 << tb.nv):
            c = cell_centre(k, s2)
            q = None
            if c > 0:
                a = c_ldexp(c, -fe)
                v = c_ldexp(math.log(a), fy) if a > 0 else -INF
                if abs(v) < A:
                    q = llround(v)
            F.append(q if q is not None and -A <= q < A else None)
    return F


def fill_tables(md, pl):
    for tb in pl.tabs:
        F = table_values(md, tb)
        first = next((k for k, v in enumerate(F) if v is not None), None)
        if first is None:
            raise Unusable("plan: node %s: its table has no row within the activation range" % md.nodes[tb.node].name)
        tb.a = [fe(k + tb.lo if F[k] is not None else first + tb.lo) for k in range(len(F))]
        tb.b = [fe(F[k] if F[k] is not None else F[first]) for k in range(len(F))]


def build_plan(md):
    tnv = []
    for sh in md.shapes:
        n = numel(sh)
        if n > (1 << 30):
            raise Unusable("plan: tensor over 2^30 elements")
        tnv.append(log2c(n))
    rule = int_rules(md)
    best = None
    for lb in range(16, 7, -1):
        try:
            pl = build_plan_lb(md, lb, rule, tnv)
        except PlanFail:
            continue
        if best is None or pl.lnv < best.lnv or (pl.lnv == best.lnv and pl.anv < best.anv):
            best = pl
    if best is None:
        raise Unusable("plan: no limb width works for this model")
    fill_tables(md, best)
    return best


# ---- 7.8.3: claims and maps -----------------------------------------------------


class Map:
    def __init__(self, length, nv, fan=1, src=None, coef=None, pad=0):
        self.len, self.nv, self.fan = length, nv, fan
        self.src = src if src is not None else [-1] * (length * fan)
        self.coef, self.pad = coef, pad


class Val:
    """A value the verifier holds (protocol.md 9.8 (b); cx_v in cx.h): the
    public number v (an element of E) and its pool part p, a tuple of
    (entry index k, weight w in E) that stands for sum w C^[k] over the
    entries C^[k] = C[2k] + i C[2k+1] of the mask pool; the value's true
    part is v - that sum. Linear arithmetic acts on both parts (vadd etc.).
    The pool part is empty outside part 2's masking (zk mode)."""
    __slots__ = ("v", "p")

    def __init__(self, v, p=()):
        self.v, self.p = v, p


def vof(x):
    """a public number as a value (no pool part)"""
    return Val(x)


def vadd(a, b):
    return Val(eadd(a.v, b.v), a.p + b.p)


def vsub(a, b):
    return Val(esub(a.v, b.v), a.p + tuple((k, eneg(w)) for k, w in b.p))


def vscale(a, s):
    """s a, s in E or an integer (an element of F)"""
    if isinstance(s, int):
        return Val(escale(a.v, s % P), tuple((k, escale(w, s % P)) for k, w in a.p))
    return Val(emul(a.v, s), tuple((k, emul(w, s)) for k, w in a.p))


def vaddk(a, k):
    """a + k, k a public element of E"""
    return Val(eadd(a.v, k), a.p)


class Claim:
    def __init__(self, pt, val, mp):
        self.pt, self.val, self.map = pt, val, mp  # val: a Val


def simplify(mp, tlen, tnv):
    if mp.fan != 1 or mp.coef is not None or mp.pad != 0 or mp.nv != tnv or mp.len != tlen:
        return mp
    src = mp.src
    for v in range(mp.len):
        if src[v] != v:
            return mp
    return None


_eq_cache = {}


def eq_tab(pt):
    key = tuple(pt)
    t = _eq_cache.get(key)
    if t is None:
        t = eq_table(pt)
        _eq_cache[key] = t
    return t


def map_sum(mp, ep, tab, with_pad):
    """sum_v ep[v] sum_j coef * (tab[src] if src >= 0 else pad); tab: E values.
    Without with_pad, padding entries count 0."""
    re = im = 0
    src, coef, fan = mp.src, mp.coef, mp.fan
    pad = mp.pad if with_pad else 0
    if fan == 1 and coef is None and pad == 0:
        for v in range(mp.len):
            s = src[v]
            if s >= 0:
                a = ep[v]
                b = tab[s]
                re += a[0] * b[0] - a[1] * b[1]
                im += a[0] * b[1] + a[1] * b[0]
        return (re % P, im % P)
    for v in range(mp.len):
        ir = ii = 0
        for j in range(v * fan, v * fan + fan):
            s = src[j]
            c = coef[j] if coef is not None else 1
            if s >= 0:
                b = tab[s]
                ir += c * b[0]
                ii += c * b[1]
            else:
                ir += c * pad
        ir %= P
        ii %= P
        a = ep[v]
        re += a[0] * ir - a[1] * ii
        im += a[0] * ii + a[1] * ir
    return (re % P, im % P)


def pad_part(mp, pt):
    if mp.pad == 0:
        return E0
    ep = eq_tab(pt)
    re = im = 0
    for v in range(mp.len):
        cnt = 0
        for j in range(v * mp.fan, v * mp.fan + mp.fan):
            if mp.src[j] < 0:
                cnt += mp.coef[j] if mp.coef is not None else 1
        if cnt:
            c = cnt % P * mp.pad % P
            re += ep[v][0] * c
            im += ep[v][1] * c
    return (re % P, im % P)


# ---- the verifier (7.8.4 - 7.8.7) ------------------------------------------------


class Verifier:
    zk = False  # the zero-knowledge mode (9.5, 9.8): every sumcheck masked, every evaluation masked

    def __init__(self, key, body, pl=None):
        self.key = key
        self.md = key.model
        if pl is None:  # a key without W (7.8.1): a failed plan is an invalid proof
            try:
                pl = build_plan(self.md)
            except Unusable as e:
                raise Invalid(str(e))
            except (IndexError, ValueError, ZeroDivisionError) as e:  # shapes that disagree with the ops
                raise Unusable("unusable verifying key (%s)" % e)
        self.pl = pl
        if self.pl.wnv != key.wnv:  # only without W: check_key refused a key with W
            raise Invalid("verifying key: weight table size disagrees with the model")
        self.tr = Transcript("gkrcnn/cnn/v2", body)
        self.tc = [[] for _ in self.md.shapes]
        self.rc = [[] for _ in self.pl.regs]
        self.where = ""
        self.zk = self.md.zk_mc > 0
        self.zmc = self.md.zk_mc  # the pool's size: 2^zmc cells (the certificate's own: wr/zk/mc)
        # cells of C taken so far; the batch's claims in order of creation: the
        # masks' (off, n, deg, point, g(r)) and the linear claims of 9.8 (d), (e)
        self.zused, self.zcl = 0, []

    def fail(self, what):
        raise Invalid("%s: %s check failed" % (self.where, what) if self.where else "%s check failed" % what)

    def check_eq(self, x, want, what, msg=None):
        """x's true part must equal want, a public number (cx_check_eq); else
        the check `what` failed (or Invalid(msg)). With a pool part the check
        becomes the linear claim sum x.p = x.v - want of the batch (9.8 (e))."""
        if x.p:
            self.zcl.append(zk_spec.ZscClaim(0, 0, 0, [], esub(x.v, want), [k for k, _ in x.p], [w for _, w in x.p]))
        elif x.v != want:
            if msg:
                raise Invalid(msg)
            self.fail(what)

    def take(self, cells):
        """the next cells of the pool C (9.8 The pool allocator): their offset"""
        off = self.zused
        if cells > (1 << self.zmc) - off:
            raise Unusable("zero-knowledge mask pool of the key (2^%d cells) is too small for this proof" %
                           self.zmc)
        self.zused += cells
        return off

    def entry(self):
        """a fresh entry C^[e] of the pool (2 cells): its index e"""
        return self.take(2) // 2

    def read(self, label, n, tag):
        """n elements of E; tag says what they show (census_kind)"""
        self.tr.ctag = tag
        try:
            return self.tr.get_e(label, n)
        finally:
            self.tr.ctag = None

    def xfer(self, label):
        """an evaluation sent on its own (cx_xfer_v): its value; in zero-knowledge
        mode masked (9.8 (c)): s = v + C^[a], a fresh entry, the value (s, a)"""
        if not self.zk:
            return vof(self.tr.get_e1(label))
        a = self.entry()
        return Val(self.read(label, 1, "masked")[0], ((a, E1),))

    def xfer_n(self, label, n):
        """n such evaluations in one message (cnn/class/yd): an entry for each"""
        if not self.zk:
            return [vof(x) for x in self.tr.get_e(label, n)]
        a = [self.entry() for _ in range(n)]
        return [Val(x, ((k, E1),)) for x, k in zip(self.read(label, n, "masked"), a)]

    def sc(self, claim, n, terms, send, what, rho=None, bare=False):
        """The sumcheck of 3 of sum_x sum_t c_t prod_{j in t} T_j(x) = claim
        (a value) over n variables: terms are the tables of each term (C's
        vp_term t lists; the coefficients c_t are the caller's), whose degree
        d = max |t|; then the finals of the tables with send[j] (cnn/eval, in
        table order). Returns (point, the reduced claim, vals): vals[j] the
        value of T_j(point) for a sent j, None for the others (the caller's),
        for the caller's final check on their public numbers.
        rho: the point of the eq(rho, .) factor of every term (cx_sc_eq).

        In zero-knowledge mode (9.5, 9.8): n = 0 runs as
        n = 1 with every table constant in x_0 and the claim doubled (the
        constant extension; the point returned has 0 coordinates); each sent
        table is masked (9.8 (a): T_j + x_0 (1 - x_0) C^[a_j]) unless bare
        (the block sumcheck of 7.5 and the tensor openings of 9.8 (f), whose
        final is opened); a claim with a pool part P is absorbed (9.8 (d):
        E(x) (P + C^[b] (x_0 - e_0)), E = eq(rho, .) with e_0 = rho_0, or
        eq(0, .) with e_0 = 0 without rho or when extended). The round
        degrees are d but for x_0 (bound last): the largest |t| + (masked
        factors of t), at least 2 when absorbing (vp_round_degrees_ab); the
        Libra mask (3.1.2) has that degree vector. Pool takes: the mask, b,
        then a_j in table order. Messages: zsc/G, rho, the rounds, zsc/gr,
        cnn/ell (absorbing: ell = P + b (r_0 - e_0), a linear claim of the
        batch), the finals; a masked final is the value (s_j, r_0 (1 - r_0) C^[a_j])."""
        d = max(len(t) for t in terms)
        if not self.zk:
            point, red = sumcheck(self.tr, claim.v, n, d, what)
            return point, red, [vof(self.tr.get_e1("cnn/eval")) if s else None for s in send]
        m = max(n, 1)
        if n == 0:
            claim = vscale(claim, 2)
        masked = [bool(s) and not bare for s in send]
        ab = bool(claim.p)
        d0 = max([d] + [len(t) + sum(masked[j] for j in t) for t in terms])
        deg = [max(d0, 2) if ab else d0] + [d] * (m - 1)
        off = self.take(zk_spec.mask_cells(m, deg))
        b = self.entry() if ab else None
        a = [self.entry() if mk else None for mk in masked]
        point, red, gr = zk_spec.zsc_verify(self.tr, claim.v, deg, m, what)
        self.zcl.append(zk_spec.ZscClaim(off, m, deg, point, gr))
        if ab:
            ell = self.read("cnn/ell", 1, "ell")[0]
            if rho is not None and n >= 1:
                E, e0 = eq_points(rho, point), rho[0]
            else:
                E, e0 = E1, E0
                for x in point:
                    E = emul(E, esub(E1, x))
            red = esub(red, emul(E, ell))
            self.zcl.append(zk_spec.ZscClaim(0, 0, 0, [], ell, [k for k, _ in claim.p] + [b],
                                             [w for _, w in claim.p] + [esub(point[0], e0)]))
        c0 = emul(point[0], esub(E1, point[0]))
        vals = []
        for j, sj in enumerate(send):
            if not sj:
                vals.append(None)
            elif masked[j]:
                vals.append(Val(self.read("cnn/eval", 1, "masked")[0], ((a[j], c0),)))
            else:
                vals.append(vof(self.read("cnn/eval", 1, "bare")[0]))
        return point[:n], red, vals

    def dot(self, claim, n, what, bare=False):
        """the degree-2 sumcheck sum_x wt(x) T(x) = claim (cx_sc_dot): wt the
        verifier's, T(point) sent (masked unless bare); returns (point,
        reduced claim, T(point))"""
        point, red, vals = self.sc(claim, n, [(0, 1)], [0, 1], what, bare=bare)
        return point, red, vals[1]

    def tensor_open(self, com, tnv, pt, val, what):
        """9.8 (f): a private input's or output's claim T~(pt) = val on its
        committed table T = [y ; pad] (tnv + 1 variables, the tensor's cells
        in the lower half) by the dot sumcheck of wt(x) = eq(pt, x_lo)
        (1 - x_tnv), absorbing val's pool part, its final T(z) bare; then the
        hiding opening of the commitment at z with value T(z)"""
        z, red, Tz = self.dot(val, tnv + 1, "%s tensor opening" % what, bare=True)
        if red != emul(emul(eq_points(pt[:tnv], z[:tnv]), esub(E1, z[tnv])), Tz.v):
            self.fail("tensor opening")
        zk_spec.ligero_zk_open(self.tr, com, tnv + 1, z, Tz.v, False, "%s commitment opening" % what)

    def read_commitment(self, nv):
        """a table's commitment: its root (5), or in zero-knowledge mode the hiding one (5.1)"""
        if self.zk:
            return read_once(self.tr, nv)
        return self.tr.get_bytes("pcs/root", 32)

    # 7.8.3
    def merge(self, claims, nv):
        tr = self.tr
        if not claims:
            return None, None
        if len(claims) == 1 and claims[0].map is None:
            return claims[0].pt[:nv], claims[0].val
        alpha = tr.challenge("cnn/merge/alpha")
        coefs, c = [], E1
        S = vof(E0)
        for cl in claims:
            coefs.append(c)
            v = cl.val
            if cl.map is not None:
                v = vaddk(v, eneg(pad_part(cl.map, cl.pt[:cl.map.nv])))
            S = vadd(S, vscale(v, c))
            c = emul(c, alpha)
        z, e, Tz = self.dot(S, nv, self.where)
        ez = None
        w = E0
        for c, cl in zip(coefs, claims):
            if cl.map is None:
                wj = eq_points(cl.pt[:nv], z)
            else:
                if ez is None:
                    ez = eq_table(z)
                wj = map_sum(cl.map, eq_tab(cl.pt[:cl.map.nv]), ez, False)
            w = eadd(w, emul(c, wj))
        if e != emul(w, Tz.v):
            self.fail("claim merge")
        return z, Tz

    def push_qty(self, limbs, pt, val, mp=None):
        lb = self.pl.lb
        rest = val
        for j in range(len(limbs) - 1):
            lv = self.xfer("cnn/limb")
            self.rc[limbs[j]].append(Claim(pt, lv, mp))
            rest = vsub(rest, vscale(lv, 1 << (lb * j)))
        last = len(limbs) - 1
        self.rc[limbs[last]].append(Claim(pt, vscale(rest, finv(fe(1 << (lb * last)))), mp))

    def send_region(self, label, reg, pt, mp=None):
        """the prover sends a region's value at pt (through mp): a claim on it"""
        v = self.xfer(label)
        self.rc[reg].append(Claim(pt, v, mp))
        return v

    def claim_tensor(self, t, pt, val, mp):
        if mp is not None:
            mp = simplify(mp, numel(self.md.shapes[t]), self.pl.tnv[t])
        self.tc[t].append(Claim(pt, val, mp))

    def claim_operand(self, i, j, pt, val, mp):
        nd = self.md.nodes[i]
        if nd.inp[j] >= 0:
            self.claim_tensor(nd.inp[j], pt, val, mp)
        else:
            rg = self.pl.regs[self.pl.nodes[i].creg]
            self.rc[self.pl.nodes[i].creg].append(Claim(pt, val, simplify(mp, rg.len, rg.nv)))

    def run(self):
        md, pl, tr = self.md, self.pl, self.tr
        A = 1 << (md.b_act - 1)
        tr.absorb("cnn/digest", self.key.digest)
        stmt = [None]
        if md.in_private:  # 9.6: the root of a hiding commitment to the input instead of the input
            # (of [x ; pad], tnv + 1 variables: 9.8 (f))
            self.in_com = read_once(tr, pl.tnv[0] + 1)
        for label, t in (("cnn/input", 0), ("cnn/output", md.output))[md.in_private:2 - (md.out_class or md.out_private)]:
            vals = tr.get_f(label, numel(md.shapes[t]))
            q = [v - P if v > P // 2 else v for v in vals]
            for j, x in enumerate(q):
                if x < -A or x >= A:
                    raise Invalid("proof's %s element %d is outside the activation range" % (label[4:], j))
            if t == 0:
                stmt[0] = q
            else:
                stmt.append(q)
        nout = numel(md.shapes[md.output])
        if md.out_private:  # 9.7: the root of a hiding commitment to the output instead of the output (9.8 (f))
            self.out_com = read_once(tr, pl.tnv[md.output] + 1)
            stmt.append(None)
        if md.out_class:  # 7.8.4: the class instead of the output
            cls = tr.get_f("cnn/class", 1)[0]
            if cls >= nout:
                raise Invalid("proof's class is not an index of the outputs")
            stmt.append([cls])
        self.inp, self.out = stmt
        self.adv_root = self.read_commitment(pl.anv)
        if self.zk:  # 9.5: the mask table M = [C ; D], 2^(zk_mc + 1) cells, hiding
            self.m_com = read_once(tr, self.zmc + 1)
        onv = pl.tnv[md.output]
        r0 = tr.challenges("cnn/r0", onv)
        if md.out_private:  # 9.7: y~(r0), masked, proven through the output commitment (9.8 (f))
            v0 = self.xfer("cnn/output/eval")
            self.tc[md.output].append(Claim(r0, v0, None))
            self.where = "output (private output)"
            self.tensor_open(self.out_com, onv, r0, v0, "output")
            self.where = ""
        elif not md.out_class:
            self.tc[md.output].append(Claim(r0, vof(mle_f([fe(x) for x in self.out], r0)), None))
        else:  # d~ + y~ + lt_c~ = m ind_n~ at r0, and d_c = 0
            y0, d0 = self.xfer_n("cnn/class/yd", 2)
            self.tc[md.output].append(Claim(r0, y0, None))
            self.push_qty(pl.cls_d, r0, d0)
            ind_n = ind(nout, r0)
            self.rc[pl.cls_m].append(Claim([esub(E1, ind_n)], vaddk(vadd(y0, d0), ind(cls, r0)), None))
            self.push_qty(pl.cls_d, [E1 if (cls >> v) & 1 else E0 for v in range(onv)], vof(E0))
        for i in range(len(md.nodes) - 1, -1, -1):
            nd = md.nodes[i]
            self.where = "%s (%s)" % (nd.name, OP_NAMES[nd.op])
            rho, v = self.merge(self.tc[i + 1], pl.tnv[i + 1])
            if rho is None:
                continue
            pn = pl.nodes[i]
            if pn.ychk:
                self.push_qty(pn.ychk, rho, vaddk(v, escale(ind(numel(md.shapes[i + 1]), rho), fe(A))))
            self.node(i, rho, v)
        self.where = ""
        if md.in_private:
            self.private_input()
        else:
            self.public_input()
        self.lookup()
        if pl.wnv:
            self.finish(W_, pl.wnv, self.key.root, self.key.certified, "weight")
        self.finish(ADV_, pl.anv, self.adv_root, False, "auxiliary")
        self.zk_finish()
        tr.finish()
        return self.out

    def zk_finish(self):
        """9.5: the masks' values and the linear claims, batched, and M's opening (cx_zk_finish)"""
        if self.zk and self.zcl:
            self.where = ""
            tp, y = zk_spec.zsc_ip_verify(self.tr, self.zmc, self.zcl)
            zk_spec.ligero_zk_open(self.tr, self.m_com, self.zmc + 1, tp, y, False, "mask commitment opening")

    def public_input(self):
        """every claim on the input evaluated from the statement's input"""
        x = [ee(q) for q in self.inp]
        for j, cl in enumerate(self.tc[0]):
            if cl.map is None:
                val = mle_f([fe(q) for q in self.inp], cl.pt)
            else:
                val = map_sum(cl.map, eq_tab(cl.pt), x, True)
            self.check_eq(cl.val, val, "input layer", "input layer check failed (claim %d)" % j)

    def private_input(self):
        """9.6: the input's claims merged into one point, whose value is
        claimed on the range-checked copy x + A (in_chk) and proven by the
        hiding opening of the input's commitment"""
        md, pl = self.md, self.pl
        nv = pl.tnv[0]
        self.where = "input (private input)"
        pt, val = self.merge(self.tc[0], nv)
        self.where = ""
        if pt is None:  # nothing reads the input
            return
        A = 1 << (md.b_act - 1)
        self.push_qty(pl.in_chk, pt, vaddk(val, escale(ind(numel(md.shapes[0]), pt), fe(A))))
        self.where = "input (private input)"
        self.tensor_open(self.in_com, nv, pt, val, "input")
        self.where = ""

    # 7.8.5
    def node(self, i, rho, v):
        op = self.md.nodes[i].op
        if op in (CONV, FC, MATMUL):
            self.matmul(i, rho, self.rescale(i, rho, v))
        elif op == MUL:
            self.mul(i, rho, self.rescale(i, rho, v))
        elif op in (ADD, SUB, CONCAT):
            self.addsub(i, rho, self.rescale(i, rho, v))
        elif op == AFFINE:
            self.affine(i, rho, self.rescale(i, rho, v))
        elif op in (RELU, LEAKY, PRELU):
            self.relu(i, rho, v)
        elif op == CLIP and self.pl.nodes[i].lreg is not None:
            self.lut(i, rho, v, 0)
        elif op == CLIP:
            self.clip(i, rho, v)
        elif op in LUT_OPS:
            self.lut(i, rho, v, self.md.nodes[i].iattr[0])
        elif op == SOFTMAX:
            self.softmax(i, rho, v)
        elif op == LOGSOFTMAX:
            self.logsoftmax(i, rho, v)
        elif op in (MAXPOOL, GMP):
            self.maxpool(i, rho, v)
        elif op in (AVGPOOL, GAP):
            self.avgpool(i, rho, v)
        elif op == RESHAPE:
            self.claim_tensor(self.md.nodes[i].inp[0], rho, v, None)
        elif op in WIRE_OPS:
            self.wire(i, rho, v)

    def rescale(self, i, rho, v):
        nd, pn = self.md.nodes[i], self.pl.nodes[i]
        if nd.k <= 0:
            return vscale(v, finv(fe(1 << (-nd.k))))
        a = self.xfer("cnn/acc")
        ny = numel(self.md.shapes[i + 1])
        rem = vsub(vaddk(a, escale(ind(ny, rho), fe(1 << (nd.k - 1)))), vscale(v, 1 << nd.k))
        self.push_qty(pn.rem, rho, rem)
        return a

    def matmul(self, i, rho, a):
        md, pl = self.md, self.pl
        nd, pn = md.nodes[i], pl.nodes[i]
        y, x = i + 1, nd.inp[0]
        X, Y = md.shapes[x], md.shapes[y]
        ny, ynv = numel(Y), pl.tnv[y]
        Pp, Mp, Qp = 1 << pn.pv, 1 << pn.mv, 1 << pn.qv
        znv = pn.pv + pn.mv + pn.gv
        M = pn.G * pn.Mg
        zsrc, bsrc = [0] * ny, [0] * ny
        for o in range(ny):
            if pn.kind == CONV:
                HW = Y[2] * Y[3]
                n, m = o // (M * HW), (o // HW) % M
                p = n * HW + o % HW
            else:
                m, p = o % M, o // M
            g, mg = m // pn.Mg, m % pn.Mg
            zsrc[o] = p + Pp * (mg + Mp * g)
            bsrc[o] = m
        z = a
        if pn.breg is not None:
            z = self.xfer("cnn/mm/z")
            self.rc[pn.breg].append(Claim(rho, vsub(a, z), Map(ny, ynv, 1, bsrc)))
        zmap = simplify(Map(ny, ynv, 1, zsrc), ny, znv)
        zeta, zval = self.merge([Claim(rho, z, zmap)], znv)
        rp, rm, rg = zeta[:pn.pv], zeta[pn.pv:pn.pv + pn.mv], zeta[pn.pv + pn.mv:znv]
        n2 = pn.qv + pn.gv
        K = pn.K
        # tables a_0, b_0, .., a_{K-1}, b_{K-1}, then eq(r_g, .) when there are groups
        gt = (2 * K,) if pn.gv else ()
        r, e, vals = self.sc(zval, n2, [(2 * k, 2 * k + 1) + gt for k in range(K)], [1] * (2 * K) + [0] * len(gt),
                             self.where)
        acc = E0
        for kp in range(K):
            acc = eadd(acc, emul(vals[2 * kp].v, vals[2 * kp + 1].v))
        if pn.gv:
            acc = emul(acc, eq_points(r[pn.qv:n2], rg))
        if e != acc:
            self.fail("matrix-product sumcheck")
        pa = r[:pn.qv] + rp + r[pn.qv:n2]
        pb = r[:pn.qv] + rm + r[pn.qv:n2]
        alen = Qp * Pp * (1 << pn.gv)
        anv = pn.qv + pn.pv + pn.gv
        bmap = None
        if pn.kind == MATMUL:
            bsrc2 = [-1] * (Qp * Mp)
            for vv in range(Qp * Mp):
                c, mg = vv % Qp, vv // Qp
                if c < pn.Q and mg < pn.Mg:
                    bsrc2[vv] = c * pn.Mg + mg
            bmap = Map(Qp * Mp, pn.qv + pn.mv, 1, bsrc2)
        for kp in range(K):
            src = [-1] * alen
            if pn.kind == CONV:
                kw = nd.kernel[1]
                ky, kx = kp // kw, kp % kw
                C, H, Wd, OH, OW = X[1], X[2], X[3], Y[2], Y[3]
                for g in range(pn.G):
                    for p in range(pn.P):
                        n, oy, ox = p // (OH * OW), (p // OW) % OH, p % OW
                        iy = oy * nd.strides[0] - nd.pads[0] + ky * nd.dil[0]
                        ix = ox * nd.strides[1] - nd.pads[1] + kx * nd.dil[1]
                        if 0 <= iy < H and 0 <= ix < Wd:
                            base = Qp * (p + Pp * g)
                            for c in range(pn.Q):
                                src[c + base] = ((n * C + g * pn.Q + c) * H + iy) * Wd + ix
            else:
                for p in range(pn.P):
                    base = Qp * p
                    for c in range(pn.Q):
                        src[c + base] = p * pn.Q + c
            self.claim_tensor(x, pa, vals[2 * kp], Map(alen, anv, 1, src))
            if pn.kind == MATMUL:
                self.claim_tensor(nd.inp[1], pb, vals[2 * kp + 1], bmap)
            else:
                self.rc[pn.wreg + kp].append(Claim(pb, vals[2 * kp + 1], None))
    def bcast_map(self, i, j):
        md = self.md
        nd = md.nodes[i]
        Y = md.shapes[i + 1]
        ny = numel(Y)
        sh = md.shapes[nd.inp[j]] if nd.inp[j] >= 0 else nd.cshape
        if nd.op == CONCAT:  # placement maps
            sa = md.shapes[nd.inp[0]] if nd.inp[0] >= 0 else nd.cshape
            sb = md.shapes[nd.inp[1]] if nd.inp[1] >= 0 else nd.cshape
            ax = nd.iattr[0]
            inner = numel(Y[ax + 1:])
            Da, Db, Dy = sa[ax], sb[ax], Y[ax]
            src = [-1] * ny
            for o in range(ny):
                ii, c, a = o % inner, (o // inner) % Dy, o // inner // Dy
                if c < Da and j == 0:
                    src[o] = (a * Da + c) * inner + ii
                elif c >= Da and j == 1:
                    src[o] = (a * Db + c - Da) * inner + ii
            return Map(ny, self.pl.tnv[i + 1], 1, src)
        nd_ = len(Y)
        off = nd_ - len(sh)
        strides = [0] * nd_
        stride = 1
        for d in range(nd_ - 1, -1, -1):
            dj = sh[d - off] if d >= off else 1
            strides[d] = 0 if dj == 1 else stride
            stride *= dj
        src = [0] * ny
        for o in range(ny):
            rest, s = o, 0
            for d in range(nd_ - 1, -1, -1):
                s += (rest % Y[d]) * strides[d]
                rest //= Y[d]
            src[o] = s
        return Map(ny, self.pl.tnv[i + 1], 1, src)

    def mul(self, i, rho, a):
        nv = self.pl.tnv[i + 1]
        ma, mb = self.bcast_map(i, 0), self.bcast_map(i, 1)
        r, e, (_, Av, Bv) = self.sc(a, nv, [(0, 1, 2)], [0, 1, 1], self.where, rho)  # eq, A, B
        if e != emul(emul(eq_points(rho, r), Av.v), Bv.v):
            self.fail("product sumcheck")
        self.claim_operand(i, 0, r, Av, ma)
        self.claim_operand(i, 1, r, Bv, mb)

    def addsub(self, i, rho, a):
        nd = self.md.nodes[i]
        ma, mb = self.bcast_map(i, 0), self.bcast_map(i, 1)
        Av = self.xfer("cnn/add/a")
        sb = finv(fe(1 << nd.align[1]))
        Bv = vscale(vsub(a, vscale(Av, 1 << nd.align[0])), -sb if nd.op == SUB else sb)
        self.claim_operand(i, 0, rho, Av, ma)
        self.claim_operand(i, 1, rho, Bv, mb)

    def affine(self, i, rho, a):
        md, pl = self.md, self.pl
        nd, pn = md.nodes[i], pl.nodes[i]
        X = md.shapes[nd.inp[0]]
        ny, nv = numel(md.shapes[i + 1]), pl.tnv[i + 1]
        C, inner = X[1], numel(X[2:])
        cm = Map(ny, nv, 1, [(o // inner) % C for o in range(ny)])
        t = self.xfer("cnn/affine/t")
        self.rc[pn.breg].append(Claim(rho, t, cm))
        r, e, (_, xv, Sv) = self.sc(vsub(a, t), nv, [(0, 1, 2)], [0, 1, 1], self.where, rho)  # eq, x, S
        if e != emul(emul(eq_points(rho, r), xv.v), Sv.v):
            self.fail("scale sumcheck")
        self.claim_tensor(nd.inp[0], r, xv, None)
        self.rc[pn.creg].append(Claim(r, Sv, cm))

    def relu(self, i, rho, v):
        md, pl, tr = self.md, self.pl, self.tr
        nd, pn = md.nodes[i], pl.nodes[i]
        ny, nv = numel(md.shapes[i + 1]), pl.tnv[i + 1]
        beta = tr.challenge("cnn/relu/beta")
        kappa = ka = kc = E0
        prelu = nd.op == PRELU
        if nd.op in (LEAKY, PRELU):
            kappa = ee(finv(fe(1 << nd.k)) if nd.k >= 1 else 1 << (-nd.k))
            ka = escale(kappa, fe(nd.alpha)) if not prelu else E0
            kc = escale(kappa, fe(1 << (nd.k - 1))) if nd.k >= 1 else E0
        hasrem = pn.rem is not None
        # tables: 0 eq, 1 s, 2 x, 3 u, 4 I, 5 rem, 6 acc, 7 alpha (l_relu.c's terms)
        terms = [(0, 1, 2), (0, 2), (0, 4), (0, 1), (0, 3), (0, 1, 1), (0, 1)]
        if hasrem:
            terms += [(0, 5), (0, 1, 5)]
        if prelu:
            terms += [(0, 6), (0, 1, 6), (0, 7, 2)]
        ntab = 8 if prelu else 6 if hasrem else 5
        r, e, vals = self.sc(v, nv, terms, [0, 1, 1, 1, 0, int(hasrem), 1, 1][:ntab], self.where, rho)
        sv, xv, uv = vals[1], vals[2], vals[3]
        s, x, u = sv.v, xv.v, uv.v
        rem = vals[5].v if hasrem else E0
        if prelu:
            acc, al = vals[6].v, vals[7].v
        I = ind(ny, r)
        b2 = emul(beta, beta)
        kcb = eadd(kc, beta)
        F = emul(esub(esub(E1, ka), escale(beta, 2)), emul(s, x))
        F = eadd(F, emul(eadd(ka, beta), x))
        F = eadd(F, emul(kcb, I))
        F = esub(F, emul(kcb, s))
        F = eadd(F, emul(beta, u))
        F = eadd(F, emul(b2, esub(emul(s, s), s)))
        if hasrem:
            F = eadd(F, emul(kappa, esub(emul(s, rem), rem)))
        if prelu:  # + (kappa + beta^3) acc - kappa s acc - beta^3 alpha x
            b3 = emul(b2, beta)
            F = eadd(F, emul(eadd(kappa, b3), acc))
            F = esub(F, emul(kappa, emul(s, acc)))
            F = esub(F, emul(b3, emul(al, x)))
        if e != emul(eq_points(rho, r), F):
            self.fail("sign sumcheck")
        self.push_qty(pn.sign, r, sv)
        self.push_qty(pn.u, r, uv)
        if hasrem:
            self.push_qty(pn.rem, r, vals[5])
        if prelu:
            self.rc[pn.acc].append(Claim(r, vals[6], None))
            rg = pl.regs[pn.creg]
            self.rc[pn.creg].append(Claim(r, vals[7], simplify(self.bcast_map(i, 1), rg.len, rg.nv)))
        self.claim_tensor(nd.inp[0], r, xv, None)

    def clip(self, i, rho, v):
        md, pl, tr = self.md, self.pl, self.tr
        nd, pn = md.nodes[i], pl.nodes[i]
        ny, nv = numel(md.shapes[i + 1]), pl.tnv[i + 1]
        J = len(pn.cmp)
        if J == 0:
            self.claim_tensor(nd.inp[0], rho, v, None)
            return
        beta = tr.challenge("cnn/clip/beta")
        # tables: 0 eq, 1 x, 2 I, then s, u of each comparison (l_relu.c's terms)
        S0, SH = 3, 5 if J == 2 else 3
        terms = [(0, 2), (0, S0, 1), (0, S0)] if pn.lower else [(0, 1)]
        if not pn.lower or J == 2:
            terms += [(0, SH), (0, SH, 1)]
        for j in range(J):
            ts, tu = 3 + 2 * j, 4 + 2 * j
            terms += [(0, tu), (0, ts, 1), (0, ts), (0, 1), (0, 2), (0, ts, ts)]
        r, e, vals = self.sc(v, nv, terms, [0, 1, 0, 1, 1, 1, 1][:3 + 2 * J], self.where, rho)
        x = vals[1].v
        su = [(vals[3 + 2 * j].v, vals[4 + 2 * j].v) for j in range(J)]
        I = ind(ny, r)
        if pn.lower:  # lo I + s_0 x - lo s_0
            lo, s0 = ee(pn.cmp[0][0]), su[0][0]
            F = esub(eadd(emul(lo, I), emul(s0, x)), emul(lo, s0))
        else:
            F = x
        if not pn.lower or J == 2:  # + hi s_h - s_h x
            hi, sh = ee(pn.cmp[J - 1][0]), su[J - 1][0]
            F = eadd(F, esub(emul(hi, sh), emul(sh, x)))
        bp = beta
        for (c, _, _), (sj, uj) in zip(pn.cmp, su):
            b2 = emul(bp, beta)
            t = esub(uj, escale(emul(sj, x), 2))
            t = eadd(t, escale(sj, fe(2 * c - 1)))
            t = eadd(eadd(t, x), escale(I, fe(1 - c)))
            F = eadd(F, eadd(emul(bp, t), emul(b2, esub(emul(sj, sj), sj))))
            bp = emul(b2, beta)
        if e != emul(eq_points(rho, r), F):
            self.fail("clip sumcheck")
        for j, (c, sg, uq) in enumerate(pn.cmp):
            self.push_qty(sg, r, vals[3 + 2 * j])
            self.push_qty(uq, r, vals[4 + 2 * j])
        self.claim_tensor(nd.inp[0], r, vals[1], None)

    def lut(self, i, rho, v, s):
        """a table op with input shift s, or a Clip by table (s = 0)"""
        md, pl = self.md, self.pl
        nd, pn = md.nodes[i], pl.nodes[i]
        ny, nv = numel(md.shapes[i + 1]), pl.tnv[i + 1]
        R = Map(ny, nv, 1, list(range(ny)))
        self.rc[pn.lreg[1]].append(Claim(rho, v, R))
        iota = self.send_region("cnn/lut/i", pn.lreg[0], rho, R)
        xv = vscale(iota, 1 << s)
        if pn.rem is not None:
            rv = self.xfer("cnn/lut/r")
            self.push_qty(pn.rem, rho, rv, R)
            xv = vadd(xv, rv)
        self.claim_tensor(nd.inp[0], rho, xv, R)

    def sm_maps(self, i, g):
        ny, nv = numel(self.md.shapes[i + 1]), self.pl.tnv[i + 1]
        grp = Map(ny, nv, 1, [g.group(o) for o in range(ny)])
        gsum = Map(g.G, g.gv, g.n, [g.cell(gi, j) for gi in range(g.G) for j in range(g.n)])
        real = Map(g.G, g.gv, 1, list(range(g.G)))
        return grp, gsum, real

    # the zero-check's tables (l_softmax.c's Z_*): eq, I, then the sent ones by name
    SM_TAB = {"e1": 2, "i": 3, "r": 4, "h": 5, "e": 6, "T": 7, "Sb": 8, "YC": 9, "q": 10, "q2": 11}

    def sm_zero_check(self, i, rho, soft):
        """7.8.5 Softmax step 2: returns the point and the values by name"""
        md, pl, tr = self.md, self.pl, self.tr
        pn = pl.nodes[i]
        g, sm = pn.geo, pn.sm
        ny, nv = numel(md.shapes[i + 1]), pl.tnv[i + 1]
        beta = tr.challenge("cnn/smax/beta")
        names = ["e1", "i"] + (["r"] if g.s else []) + (["h", "e"] if g.h else []) + \
            (["T"] if g.h or soft else []) + (["Sb", "YC", "q", "q2"] if soft else [])
        Z = self.SM_TAB
        terms = []
        if soft:
            terms += [(0, Z["Sb"], Z["YC"]), (0, Z["q"]), (0, Z["Sb"]), (0, 1, Z["e"] if g.h else Z["T"]),
                      (0, Z["q2"]), (0, 1)]
        terms += [(0, Z["e1"], Z["i"])] + ([(0, Z["e1"], Z["r"])] if g.s else []) + \
            ([(0, Z["e1"], Z["h"])] if g.h else []) + [(0, Z["e1"], Z["e1"]), (0, Z["e1"])]
        if g.h:
            terms += [(0, Z["h"], Z["h"]), (0, Z["h"]), (0, Z["e"]), (0, Z["T"]), (0, Z["h"], Z["T"])]
        send = [0] * 12
        for k in names:
            send[Z[k]] = 1
        r, e, vals = self.sc(vof(E0), nv, terms, send, self.where, rho)
        val = {k: vals[Z[k]] for k in names}
        z = dict.fromkeys(["r", "h", "e", "T", "Sb", "YC", "q", "q2"], E0)
        z.update((k, x.v) for k, x in val.items())
        I = ind(ny, r)
        b = [E1]
        for _ in range(5):
            b.append(emul(b[-1], beta))
        F = E0
        k0 = 2 if soft else 0
        if soft:
            Ep = z["e"] if g.h else z["T"]
            F = escale(emul(z["Sb"], z["YC"]), 2)
            F = eadd(F, emul(eadd(E1, b[1]), z["q"]))
            F = esub(F, emul(eadd(E1, escale(b[1], 2)), z["Sb"]))
            F = esub(F, escale(emul(I, Ep), fe(1 << (md.f[i + 1] + 1))))
            F = eadd(F, emul(b[1], eadd(z["q2"], I)))
        d_e1 = emul(z["e1"], eadd(eadd(escale(z["i"], fe(1 << g.s)), z["r"]), escale(z["h"], fe(g.D))))
        F = eadd(F, emul(b[k0], d_e1))
        F = eadd(F, emul(b[k0 + 1], esub(emul(z["e1"], z["e1"]), z["e1"])))
        if g.h:
            F = eadd(F, emul(b[k0 + 2], esub(emul(z["h"], z["h"]), z["h"])))
            F = eadd(F, emul(b[k0 + 3], eadd(esub(z["e"], z["T"]), emul(z["h"], z["T"]))))
        if e != emul(eq_points(rho, r), F):
            self.fail("softmax sumcheck" if soft else "log-softmax sumcheck")
        for k in names:
            if isinstance(sm[k], list):
                self.push_qty(sm[k], r, val[k])
            else:
                self.rc[sm[k]].append(Claim(r, val[k], None))
        zv = dict.fromkeys(["r", "h"], vof(E0))
        zv.update(val)
        return r, zv

    def sm_d(self, g, h, iv, rv):
        return vadd(vadd(vscale(h, g.D), vscale(iv, 1 << g.s)), rv)

    def sm_groups(self, i, soft):
        """7.8.5 Softmax step 4 (LogSoftmax: up to sigma, then j and r2)"""
        pn = self.pl.nodes[i]
        g, sm = pn.geo, pn.sm
        grp, gsum, real = self.sm_maps(i, g)
        rr = self.tr.challenges("cnn/smax/row", g.gv)
        self.rc[sm["e1"]].append(Claim(rr, vof(ind(g.G, rr)), gsum))
        sv = self.send_region("cnn/smax/s", sm["e"] if g.h else sm["T"], rr, gsum)
        if soft:
            self.rc[sm["S"]].append(Claim(rr, sv, None))
        elif not g.s2:
            self.rc[sm["j"]].append(Claim(rr, sv, real))
        else:
            jv = self.send_region("cnn/smax/j", sm["j"], rr, real)
            self.push_qty(sm["r2"], rr, vsub(sv, vscale(jv, 1 << g.s2)), real)

    def softmax(self, i, rho, v):
        pn = self.pl.nodes[i]
        g, sm = pn.geo, pn.sm
        grp = self.sm_maps(i, g)[0]
        self.push_qty(sm["YC"], rho, v)
        r, z = self.sm_zero_check(i, rho, True)
        self.rc[sm["S"]].append(Claim(r, z["Sb"], grp))
        mu = self.send_region("cnn/smax/m", sm["m"], r, grp)
        self.claim_tensor(self.md.nodes[i].inp[0], r, vsub(mu, self.sm_d(g, z["h"], z["i"], z["r"])), None)
        self.sm_groups(i, True)

    def logsoftmax(self, i, rho, v):
        md = self.md
        nd, pn = md.nodes[i], self.pl.nodes[i]
        g, sm = pn.geo, pn.sm
        grp = self.sm_maps(i, g)[0]
        lam = self.send_region("cnn/smax/l", sm["l"], rho, grp)
        d = vscale(vadd(v, lam), -finv(fe(1 << (md.f[i + 1] - md.f[nd.inp[0]]))))
        h = self.send_region("cnn/smax/h", sm["h"], rho) if g.h else vof(E0)
        rest = vsub(d, vscale(h, g.D))
        if g.s:
            iv = self.send_region("cnn/smax/i", sm["i"], rho)
            self.push_qty(sm["r"], rho, vsub(rest, vscale(iv, 1 << g.s)))
        else:
            self.rc[sm["i"]].append(Claim(rho, rest, None))
        mu = self.send_region("cnn/smax/m", sm["m"], rho, grp)
        self.claim_tensor(nd.inp[0], rho, vsub(mu, d), None)
        self.sm_zero_check(i, rho, False)
        self.sm_groups(i, False)

    def maxpool(self, i, rho, v):
        md, pl, tr = self.md, self.pl, self.tr
        nd, pn = md.nodes[i], pl.nodes[i]
        ny, nv = numel(md.shapes[i + 1]), pl.tnv[i + 1]
        A = 1 << (md.b_act - 1)
        Pc = len(pn.cells)
        for j, p in enumerate(pn.cells):
            dv = self.xfer("cnn/max/d")
            self.push_qty(pn.d[j], rho, dv)
            mp = Map(ny, nv, 1, [cell(md, nd, i, o, p) for o in range(ny)], None, fe(-A))
            self.claim_tensor(nd.inp[0], rho, vsub(v, dv), mp)
        es = vof(E0)
        for j in range(Pc):
            ev = self.xfer("cnn/max/e")
            es = vadd(es, ev)
            self.push_qty(pn.e[j], rho, ev)
        self.check_eq(es, ind(ny, rho), "max-pool one-hot")
        beta = tr.challenge("cnn/max/beta")
        # tables: eq, then e_p, d_p for each cell (l_pool.c's terms)
        terms = []
        for p in range(Pc):
            te = 1 + 2 * p
            terms += [(0, te, te + 1), (0, te, te), (0, te)]
        r, e, vals = self.sc(vof(E0), nv, terms, [0] + [1] * (2 * Pc), self.where, rho)
        ed = [(vals[1 + 2 * p], vals[2 + 2 * p]) for p in range(Pc)]
        acc, bp, bq = E0, E1, epow(beta, Pc)
        for ev, dv in ed:
            acc = eadd(acc, emul(bp, emul(ev.v, dv.v)))
            acc = eadd(acc, emul(bq, esub(emul(ev.v, ev.v), ev.v)))
            bp, bq = emul(bp, beta), emul(bq, beta)
        if e != emul(eq_points(rho, r), acc):
            self.fail("max-pool choice sumcheck")
        for j, (ev, dv) in enumerate(ed):
            self.push_qty(pn.e[j], r, ev)
            self.push_qty(pn.d[j], r, dv)

    def avgpool(self, i, rho, v):
        md, pl = self.md, self.pl
        nd, pn = md.nodes[i], pl.nodes[i]
        ny, nv = numel(md.shapes[i + 1]), pl.tnv[i + 1]
        Pc = len(pn.cells)
        co = [finv(fe(2 * n)) for n in pn.navg]
        R = self.xfer("cnn/avg/rem")
        self.rc[pn.avgrem].append(Claim(rho, R, Map(ny, nv, 1, list(range(ny)), co)))
        src, coef = [], []
        for o in range(ny):
            c2 = 2 * co[o] % P
            for p in pn.cells:
                src.append(cell(md, nd, i, o, p))
                coef.append(c2)
        xv = vadd(vaddk(v, eneg(escale(ind(ny, rho), HALF))), R)
        self.claim_tensor(nd.inp[0], rho, xv, Map(ny, nv, Pc, src, coef))

    def wire(self, i, rho, v):
        """Pad, Transpose, Slice, Resize: x gets (rho, v) through src = nn_wire_src"""
        md = self.md
        nd = md.nodes[i]
        X, Y = md.shapes[nd.inp[0]], md.shapes[i + 1]
        ny, r = numel(Y), len(Y)
        ia = nd.iattr
        xst = [numel(X[d + 1:]) for d in range(len(X))]
        src = []
        for o in range(ny):
            rest, off = o, 0
            for d in range(r - 1, -1, -1):
                yd = rest % Y[d]
                rest //= Y[d]
                if nd.op == PAD:
                    c = yd - ia[d]
                    if c < 0 or c >= X[d]:
                        off = -1
                        break
                elif nd.op == TRANSPOSE:  # y_d is coordinate perm[d] of x
                    off += yd * xst[ia[d]]
                    continue
                elif nd.op == SLICE:
                    c = ia[d] + yd * ia[r + d]
                else:  # RESIZE
                    c = min(max((yd + ia[r + d]) // ia[d], 0), X[d] - 1)
                off += c * xst[d]
            src.append(off)
        self.claim_tensor(nd.inp[0], rho, v, Map(ny, self.pl.tnv[i + 1], 1, src, None, fe(nd.pad)))

    # 7.8.6
    def lookup(self):
        pl, tr = self.pl, self.tr
        self.where = "range-check"
        L = pl.lnv
        LT = L + (1 if pl.lu_two else 0)
        X = tr.challenge("cnn/lu/x")
        if pl.lu_two:
            X2 = tr.challenge("cnn/lu/x2")
            beta = tr.challenge("cnn/lu/beta")
        gam = [E0, E0]
        if pl.tabs:
            gam[0] = tr.challenge("cnn/lu/gamma")
            if pl.lu_two:
                gam[1] = tr.challenge("cnn/lu/gamma2")
        if self.zk:  # 9.8 (g): [P, Q + C^[a]]; P = 0 in the clear, Q != 0 by an inverse
            a = self.entry()
            Pv, Qv = self.read("cnn/lu/root", 2, "root")
            Pv, Qv = vof(Pv), Val(Qv, ((a, E1),))
            if Pv.v != E0:
                self.fail("lookup sum")
            self.root_nonzero(Qv)
        else:
            Pv, Qv = [vof(x) for x in tr.get_e("cnn/lu/root", 2)]
            if Pv.v != E0 or Qv.v == E0:
                self.fail("lookup sum")
        r = []
        for j in range(LT):
            lam = tr.challenge("cnn/lu/lambda")
            # tables: eq(r, .), pe, po, qe, qo (lookup.c's terms)
            rr, e, vals = self.sc(vadd(Pv, vscale(Qv, lam)), j, [(0, 1, 4), (0, 2, 3), (0, 3, 4)], [0, 1, 1, 1, 1],
                                  "lookup layer %d" % j)
            pe, po, qe, qo = vals[1:]
            f = eadd(eadd(emul(pe.v, qo.v), emul(po.v, qe.v)), emul(lam, emul(qe.v, qo.v)))
            if e != emul(eq_points(r, rr), f):
                self.fail("lookup layer")
            mu = tr.challenge("cnn/lu/mu")
            Pv = vadd(pe, vscale(vsub(po, pe), mu))
            Qv = vadd(qe, vscale(vsub(qo, qe), mu))
            r = [mu] + rr
        S = E0
        Phat = V = vof(E0)
        sent = {}
        blocks = [(c.reg, c.leaf, c) for c in pl.cols] + [(pl.mreg, pl.tleaf, None)]
        for reg, leaf, col in blocks:
            rg = pl.regs[reg]
            if reg not in sent:
                sent[reg] = self.xfer("cnn/lu/leaf")
                self.rc[reg].append(Claim(r, sent[reg], None))
            Rv = sent[reg]
            sl = sel(leaf >> rg.nv, r, rg.nv, L)
            S = eadd(S, sl)
            if col is not None:
                val = vscale(Rv, col.scale)
                if col.off is not None:
                    val = vaddk(val, mle_f([fe(o) for o in col.off], r[:rg.nv]))
                if col.coff:
                    val = vaddk(val, ee(col.coff))  # the MLE of a constant over the whole block
                Phat = vaddk(Phat, sl)
                V = vadd(V, vscale(val, sl))
            else:
                ident = E0
                for k in range(pl.lb):
                    ident = eadd(ident, escale(r[k], 1 << k))
                Phat = vsub(Phat, vscale(Rv, sl))
                V = vaddk(V, emul(sl, ident))
        # pair columns, then function tables: V1 and V2 collect the gamma and gamma^2 parts
        V1, V2 = vof(E0), E0
        for blk in pl.fcols + pl.tabs:
            isf = isinstance(blk, PairCol)
            regs = (blk.rega, blk.regb) if isf else (blk.mreg,)
            for reg in regs:
                if reg not in sent:
                    sent[reg] = self.xfer("cnn/lu/leaf")
                    self.rc[reg].append(Claim(r, sent[reg], None))
            nv = pl.regs[regs[0]].nv
            sl = sel(blk.leaf >> nv, r, nv, L)
            S = eadd(S, sl)
            if isf:
                a, b, tag = sent[blk.rega], sent[blk.regb], blk.tab + 1
                Phat = vaddk(Phat, sl)
            else:
                a, b, tag = vof(mle_f(blk.a, r[:nv])), vof(mle_f(blk.b, r[:nv])), pl.tabs.index(blk) + 1
                Phat = vsub(Phat, vscale(sent[blk.mreg], sl))
            V = vadd(V, vscale(a, sl))
            V1 = vadd(V1, vscale(b, sl))
            V2 = eadd(V2, escale(sl, tag))
        Vh = [vaddk(vadd(V, vscale(V1, gm)), emul(emul(gm, gm), V2)) for gm in gam]
        Qhat = vsub(vof(eadd(emul(X, S), esub(E1, S))), Vh[0])
        if pl.lu_two:
            lo = esub(E1, r[L])
            Phat = vscale(Phat, eadd(lo, emul(r[L], beta)))
            Qhat = vadd(vscale(Qhat, lo), vscale(vsub(vof(eadd(emul(X2, S), esub(E1, S))), Vh[1]), r[L]))
        self.check_eq(vsub(Pv, Phat), E0, "lookup leaves")
        self.check_eq(vsub(Qv, Qhat), E0, "lookup leaves")
        self.where = ""

    def root_nonzero(self, Qv):
        """9.8 (g), zero-knowledge mode: Q != 0 shown by an inverse u = 1/Q
        (lookup.c, cx_root_nonzero): u sent masked (cnn/lu/u), then the
        sumcheck of no variable of the tables {Q}, {u}, one term Q u,
        claim 1 (so its constant extension to one variable), both finals
        sent masked; their product is the reduced claim, Q's final equals
        the root's masked Q and u's final the sent u (two linear claims of
        the batch: both tables fixed before the sumcheck's challenge)"""
        uv = self.xfer("cnn/lu/u")
        _, red, vals = self.sc(vof(E1), 0, [(0, 1)], [1, 1], "lookup root")
        if emul(vals[0].v, vals[1].v) != red:
            self.fail("lookup sum")
        self.check_eq(vsub(vals[0], Qv), E0, "lookup sum")
        self.check_eq(vsub(vals[1], uv), E0, "lookup sum")

    # 7.8.7
    def finish(self, poly, nv, root, certified, what):
        pl, tr = self.pl, self.tr
        blocks = []
        for ri, rg in enumerate(pl.regs):
            if rg.poly != poly:
                continue
            self.where = "%s region %d" % (what, ri)
            pt, val = self.merge(self.rc[ri], rg.nv)
            if pt is not None:
                blocks.append((rg, pt, val))
        self.where = ""
        if not blocks:
            return
        alpha = tr.challenge("cnn/blk/alpha")
        S, c, coefs = vof(E0), E1, []
        for rg, pt, val in blocks:
            coefs.append(c)
            S = vadd(S, vscale(val, c))
            c = emul(c, alpha)
        z, e, Tz = self.dot(S, nv, "%s-claim merge" % what, bare=True)  # its final is opened
        w = E0
        for c, (rg, pt, val) in zip(coefs, blocks):
            w = eadd(w, emul(c, emul(eq_points(pt[:rg.nv], z[:rg.nv]), sel(rg.off >> rg.nv, z, rg.nv, nv))))
        if e != emul(w, Tz.v):
            self.fail("%s-claim merge" % what)
        if isinstance(root, bytes):
            ligero_open(tr, root, nv, z, Tz.v, certified, "%s commitment opening" % what)
        else:  # a hiding commitment (9.5; W's is certified when the key's certificate certifies it)
            zk_spec.ligero_zk_open(tr, root, nv, z, Tz.v, certified, "%s commitment opening" % what)


import zk_spec  # noqa: E402  (it imports this module's sumcheck and Ligero helpers: imported after them)

# ---- 7.1.1: the weight-range certificate ------------------------------------------


def wrange_region_bits(md, mp):
    """the range in bits of every W region of the model's plan mp"""
    bits = {}
    for i, pn in enumerate(mp.nodes):
        nd = md.nodes[i]
        if pn.kind in (CONV, FC):
            for kp in range(pn.K):
                bits[pn.wreg + kp] = const_bits(md, nd, 0)
        if pn.creg is not None:
            bits[pn.creg] = const_bits(md, nd, 0)
        if pn.breg is not None:
            bits[pn.breg] = const_bits(md, nd, 1)
    return bits


def wrange_plan_lb(md, mp, lb):
    """the certificate's plan for limb width lb (7.1.1): W regions as the
    model's (same offsets, all 2^nv entries), then the tail; C, its ADV"""
    regs, cols = [], []
    bits = wrange_region_bits(md, mp)
    wr = []  # (region, bits, limbs or None), in the model plan's order
    end = 0
    for ri, rg in enumerate(mp.regs):
        if rg.poly != W_:
            continue
        if ri == mp.wpad:  # a zk key's W pad (9.5): a region without claims or range, in the opening's blocks
            regs.append(Region(W_, rg.nv, 1 << rg.nv))
            regs[-1].off = rg.off
            end = max(end, rg.off + (1 << rg.nv))
            continue
        b = bits[ri]
        if not 1 <= b <= FIELD_BITS:
            raise PlanFail("a constant's range of %d bits cannot be certified" % b)
        regs.append(Region(W_, rg.nv, 1 << rg.nv))
        g = len(regs) - 1
        regs[g].off = rg.off
        limbs = None
        if b <= lb:
            cols.append(Col(g, 1, None, 1 << (b - 1)))
            if b < lb:
                cols.append(Col(g, 1 << (lb - b), None, 1 << (lb - 1)))
        else:
            limbs = add_qty(regs, cols, lb, b, rg.nv, 1 << rg.nv)
        wr.append((g, b, limbs))
        end = max(end, rg.off + (1 << rg.nv))
    tail, at, N = [], end, 1 << mp.wnv
    while at < N:  # the tail in aligned blocks, each as large as its offset allows
        v = (at & -at).bit_length() - 1
        while at + (1 << v) > N:
            v -= 1
        regs.append(Region(W_, v, 1 << v))
        regs[-1].off = at
        tail.append(len(regs) - 1)
        at += 1 << v
    regs.append(Region(ADV_, lb, 1 << lb))
    pl = Plan()
    pl.lb, pl.wnv, pl.mreg = lb, mp.wnv, len(regs) - 1
    pl.zk_pad = None
    if mp.wpad is not None:  # a zk key's certificate (9.5): C's pad of random cells, no claim reads it
        regs.append(Region(ADV_, ZK_PAD_NV, 1 << ZK_PAD_NV))
        pl.zk_pad = len(regs) - 1
    idx = [r for r in range(len(regs)) if regs[r].poly == ADV_]
    off, pl.anv = place([regs[r].nv for r in idx], 2)
    for r, o in zip(idx, off):
        regs[r].off = o
    if pl.anv > 25:
        raise PlanFail("C over 2^25")
    off, pl.lnv = place([regs[c.reg].nv for c in cols] + [lb], 1)
    for c, o in zip(cols, off):
        c.leaf = o
    pl.tleaf = off[-1]
    if pl.lnv > 32:
        raise PlanFail("too many lookups")
    pl.lu_two = pl.lnv >= 18
    pl.regs, pl.cols, pl.fcols, pl.tabs = regs, cols, [], []
    pl.wr, pl.tail = wr, tail
    return pl


def wrange_plan(md, mp):
    """the limb width with the fewest lookup leaves, then the smallest C, then the widest"""
    best, why = None, None
    for lb in range(16, 7, -1):
        try:
            pl = wrange_plan_lb(md, mp, lb)
        except PlanFail as e:
            why = why or str(e)
            continue
        if best is None or pl.lnv < best.lnv or (pl.lnv == best.lnv and pl.anv < best.anv):
            best = pl
    if best is None:
        raise Invalid("no plan: %s" % why)
    return best


class WRangeVerifier(Verifier):
    """the weight-range certificate's verifier: its own transcript, the
    lookup and the openings of the proof's verifier on its own plan"""

    def __init__(self, key, mp):
        self.key = key
        self.md = key.model
        self.pl = wrange_plan(self.md, mp)
        self.tr = Transcript("gkrcnn/cnn/wrange/v1", key.wrange)
        self.rc = [[] for _ in self.pl.regs]
        self.where = ""
        # a zk key's certificate runs the zero-knowledge mode (9.5, 9.8) with a
        # mask pool of its own, 2^zmc cells, its size sent (wr/zk/mc)
        self.zk = mp.wpad is not None
        self.zmc, self.zused, self.zcl = 0, 0, []

    def run(self):
        pl, tr = self.pl, self.tr
        tr.absorb("wr/digest", self.key.digest)
        if not self.zk:
            croot = tr.get_bytes("pcs/root", 32)
        else:  # a zk key (9.5): C is committed hiding too (budget 1), then the pool's size and M's commitment
            croot = read_once(tr, pl.anv)
            self.zmc = struct.unpack("<I", tr.get_bytes("wr/zk/mc", 4))[0]
            if not 1 <= self.zmc <= ZK_MAX_MC:
                raise Invalid("weight-range certificate: mask pool 2^%d outside 2^1..2^%d" % (self.zmc, ZK_MAX_MC))
            self.m_com = read_once(tr, self.zmc + 1)
        if pl.tail:  # W is 0 after its regions
            z = tr.challenges("wr/tail", pl.wnv)
            for t in pl.tail:
                self.rc[t].append(Claim(z, vof(E0), None))
        self.lookup()
        for g, b, limbs in pl.wr:  # a limbed region: W = sum_j 2^(lb j) L_j - 2^(b-1) at the lookup's point
            if limbs is None:
                continue
            val = vof(eneg(ee(1 << (b - 1))))
            for j, l in enumerate(limbs):
                val = vadd(val, vscale(self.rc[l][0].val, 1 << (pl.lb * j)))
            self.rc[g].append(Claim(self.rc[limbs[0]][0].pt, val, None))
        self.finish(W_, pl.wnv, self.key.root, self.key.certified, "weight")
        self.finish(ADV_, pl.anv, croot, False, "weight-range C")
        self.zk_finish()
        tr.finish()


def check_key(key):
    """what loading a key checks after its proximity certificate (7.8.1):
    the skeleton's field bound, then, with a W, the plan and the
    weight-range certificate. Returns the model's plan (None without W:
    then a failed plan or a W the model needs is an invalid proof)."""
    check_field_bound(key.model)
    if not key.wnv:
        return None  # the proof's verifier builds the plan
    mp = build_plan(key.model)
    if mp.wnv != key.wnv:
        raise Unusable("verifying key: the weight table's size disagrees with the model")
    try:
        WRangeVerifier(key, mp).run()
    except (Invalid, Unusable) as e:  # a zk certificate's pool too small for it included, as gkrcnn verify
        raise Unusable("verifying key: its weight-range certificate is invalid: %s" % e)
    return mp


def proof_body(b):
    if len(b) < 24 or b[:8] != b"GKRCNNPF":
        raise Invalid("not a gkrcnn proof")
    version, kind, n = struct.unpack("<IIQ", b[8:24])
    if version != 2 or kind != 2:
        raise Invalid("unsupported version or not a CNN proof")
    if n != len(b) - 24:
        raise Invalid("proof length field disagrees with the file")
    return b[24:]


# What a proof shows its verifier (--census; papers/protocol.md sec. 9.1).
# Every label the verifier reads, by the kind of value it carries. Public:
# the statement and the commitments' roots. The rest is information about
# the witness (activations, advice, weights) that a zero-knowledge proof
# must hide or make simulatable.
CENSUS_KIND = {
    "cnn/input": "statement (input, in the clear)",
    "cnn/output": "statement (output, in the clear)",
    "cnn/class": "statement (the output's class)",
    "pcs/root": "commitment roots",
    "pcs/cert/root": "commitment roots",
    "sc/round": "sumcheck round values",
    "cnn/lu/root": "sumcheck round values",
    "pcs/u1": "opening: combined rows (u1, u2)",
    "pcs/u2": "opening: combined rows (u1, u2)",
    "pcs/col": "opening: opened columns",
    "pcs/path": "opening: Merkle paths",
    # the zero-knowledge mode (9.5, 9.6): the masks' messages and the hiding openings'
    "pcs/zk/openings": "commitments: hiding opening budgets",
    "pcs/salt": "opening: column salts (hiding)",
    "pcs/zk/slot": "opening: mask slot and masked value s (hiding)",
    "pcs/zk/s": "opening: mask slot and masked value s (hiding)",
    "zsc/G": "sumcheck masks: sums G, G' (zero-knowledge)",
    "zsc/ip/G": "sumcheck masks: sums G, G' (zero-knowledge)",
    "zsc/gr": "sumcheck masks: values g(r), y (zero-knowledge)",
    "zsc/ip/eval": "sumcheck masks: values g(r), y (zero-knowledge)",
}


# What the zero-knowledge mode's evaluations show (9.8), by the verifier's
# tag on the read (Verifier.read): masked ones, the absorbing sumchecks' ell,
# the bare finals that an opening proves, the lookup's root.
CENSUS_TAG = {
    "masked": "evaluations, masked (s = v + C^[a], 9.8 (a), (c))",
    "ell": "sumcheck masks: absorbed pool parts ell (9.8 (d))",
    "bare": "evaluations opened bare (uniform by a pad, 9.5, 9.8 (f))",
    "root": "evaluations: lookup root (P = 0 clear, Q masked, 9.8 (g))",
}
UNMASKED = "evaluations of witness tables"  # an evaluation read without a tag: sent in the clear


def census_kind(label, tag=None):
    if tag:
        return CENSUS_TAG[tag]
    return CENSUS_KIND.get(label, "%s (%s)" % (UNMASKED, label))


def census(tr_class):
    """Wraps the transcript's read so that every message is counted."""
    counts = {}
    read = tr_class._read

    def counted(self, n, label):
        k = census_kind(label, getattr(self, "ctag", None))
        e = counts.setdefault(k, [0, 0])
        e[0] += 1
        e[1] += n
        return read(self, n, label)

    tr_class._read = counted
    return counts


def print_census(counts, total, zk):
    """the table; in zero-knowledge mode also whether any evaluation came
    unmasked (9.8 (c): none may; the bare finals are listed on their own)"""
    print("%-58s %8s %10s" % ("what the verifier reads", "messages", "bytes"))
    for k in sorted(counts, key=lambda k: -counts[k][1]):
        print("%-58s %8d %10d" % (k, counts[k][0], counts[k][1]))
    print("%-58s %8s %10d" % ("proof body", "", total))
    if zk:
        bad = sorted(k for k in counts if k.startswith(UNMASKED))
        print("unmasked evaluations: " + (", ".join(bad) if bad else "none"))


def main(argv):
    quiet = len(argv) > 1 and argv[1] == "-q"
    args = argv[2:] if quiet else argv[1:]
    want_census = bool(args) and args[0] == "--census"
    args = args[1:] if want_census else args
    counts = None
    if len(args) != 2:
        print("usage: cnn_verify.py [-q] [--census] VK PROOF", file=sys.stderr)
        return 2
    try:
        with open(args[0], "rb") as f:
            vkb = f.read()
        with open(args[1], "rb") as f:
            prf = f.read()
        key = parse_vk(vkb)
        plan = check_key(key)
    except (IndexError, ValueError, ZeroDivisionError) as e:  # a key whose shapes disagree with its ops
        print("cnn_verify: unusable verifying key (%s)" % e, file=sys.stderr)
        return 2
    except (OSError, Unusable) as e:
        print("cnn_verify: %s" % e, file=sys.stderr)
        return 2
    if want_census:  # the proof's messages only, not the key's certificates
        counts = census(Transcript)
    try:
        v = Verifier(key, proof_body(prf), plan)
        out = v.run()
    except Unusable as e:
        print("cnn_verify: %s" % e, file=sys.stderr)
        return 2
    except Invalid as e:
        print("cnn_verify: invalid proof: %s" % e, file=sys.stderr)
        return 1
    f = key.model.f[key.model.output]
    if counts is not None:
        print_census(counts, len(prf) - 24, key.model.zk_mc > 0)
    if quiet:
        print("valid proof")
    elif key.model.out_class:
        print("valid proof; class %d" % out[0])
    elif key.model.out_private:  # 9.7: the statement's output is its commitment
        print("valid proof; output: private; commitment " + v.out_com.root.hex())
    else:
        print("valid proof; outputs " + " ".join("%.4f" % (q / 2.0 ** f) for q in out))
    if key.model.in_private:  # 9.6: the statement's input is its commitment, printed as gkrcnn verify does
        print("input: private; commitment " + v.in_com.root.hex())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
