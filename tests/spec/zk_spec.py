#!/usr/bin/python3
"""A verifier for gkrcnn's zero-knowledge building blocks, written from
papers/protocol.md (3.1: the zero-knowledge sumcheck and the batched proof
of the masks' values; 5.1: the hiding Ligero commitment) and checked
against the C code (src/sumcheck/zsc.c, src/pcs/ligero.c HIDING); the spec
verifier of CNN proofs (cnn_verify.py) checks zero-knowledge CNN proofs
(protocol.md 9.5, 9.6) with them.

A library, not a command: tests/spec/zk_spec_test.py runs it on
transcripts written by tests/spec/zk_transcripts.c. Standard library only;
the fields, the transcript, the sumcheck of 3, the Reed-Solomon encoding
and the column checks of 5 come from gkr_verify.py and cnn_verify.py.

  zsc_verify(tr, claim, deg, n)          3.1.2: -> (point, claim on f(point), g(point))
  zsc_ip_verify(tr, mc, claims)          3.1.3: -> (point (x0, z, t), claimed T~ there)
  ligero_zk_params(n, certified, b)      5.1 Parameters (pcs_ligero_zk_params_for)
  ligero_zk_read_commitment(tr, n)       5.1 Commitment message
  ligero_zk_check_certificate(com, cert) 5.1 Certificate
  ligero_zk_open(tr, com, n, z, v, certified)   5.1 Opening

Every function raises Invalid (gkr_verify.py) on a rejected proof and
Unusable on parameters outside what the protocol allows (the C verifier's
ZK_EINPUT).
"""
import math
import os
import sys
from collections import namedtuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkr_verify import (E0, E1, HALF, P, Invalid, Transcript, Unusable, eadd, econj, emul, escale, esub,  # noqa: E402
                        eq_at, eq_table)
from cnn_verify import check_columns, dot, encode, finv, sumcheck  # noqa: E402

SC_MAX_DEGREE = 3  # k <= 3 in 3
SC_MAX_ROUND_DEGREE = 5  # a round's degree under 9.8 (a)'s evaluation masks (sc_verify_deg)
ZSC_MAX_VARS = 60


def einv(x):
    """1/x in E: conj(x) / (a^2 + b^2)"""
    return escale(econj(x), finv((x[0] * x[0] + x[1] * x[1]) % P))


def draw_nonzero(tr, label, not_minus_one=False):
    """A challenge outside {0} (or {0, -1}), drawn again under the same label."""
    m1 = (P - 1, 0)
    while True:
        x = tr.challenge(label)
        if x != E0 and not (not_minus_one and x == m1):
            return x


# ---- 3.1.2: the zero-knowledge sumcheck (zsc_verify) -------------------------


def degs(deg, n):
    """a degree for each variable: deg as given (a list) or repeated"""
    return list(deg) if isinstance(deg, list) else [deg] * n


def zsc_verify(tr, claim, deg, n, what="zk sumcheck"):
    """Sum_x f(x) = claim, f of degree deg in each of n variables (or deg[v]
    in variable v: 3.1.1's degree vectors, zsc_verify_deg), masked by g:
    reads G ("zsc/G"), draws rho != 0 ("zsc/rho"), runs the sumcheck of 3
    on claim + rho G, reads g(r) ("zsc/gr"). Returns (point, c - rho g(r),
    g(r)): the caller checks the second against f(point) as after a plain
    sumcheck and keeps (off, point, g(r)) for zsc_ip_verify."""
    top = SC_MAX_ROUND_DEGREE if isinstance(deg, list) else SC_MAX_DEGREE
    if len(degs(deg, n)) != n or not all(1 <= d <= top for d in degs(deg, n)):
        raise Unusable("%s: degree %s" % (what, deg))
    G = tr.get_e1("zsc/G")
    rho = draw_nonzero(tr, "zsc/rho")
    point, c = sumcheck(tr, eadd(claim, emul(rho, G)), n, deg, what)
    gr = tr.get_e1("zsc/gr")
    return point, esub(c, emul(rho, gr)), gr


# ---- 3.1.3: the masks' values (zsc_ip_verify) -----------------------------------

# one mask's claim (cells off.. of C), or with wi set a linear claim
# sum_k ww[k] C^[wi[k]] = value (protocol.md 9.8 (e); off, n, d, point unused)
ZscClaim = namedtuple("ZscClaim", "off n d point value wi ww", defaults=(None, None))


def mask_cells(n, d):
    """2 (sum of the degrees + 1): a mask's cells in C (3.1.1 Storage); d
    one degree or a list"""
    return 2 * (sum(degs(d, n)) + 1)


def zsc_layout_ok(claims, mc):
    """offsets even, masks inside C (2^mc cells) and pairwise disjoint (zsc_layout_ok)"""
    if mc < 1 or mc > ZSC_MAX_VARS + 1:
        return False
    N = 1 << mc
    spans = []
    for a in claims:
        if a.wi is not None:
            if not a.wi or len(a.wi) != len(a.ww) or any(not 0 <= k < N // 2 for k in a.wi):
                return False
            continue
        if a.n > ZSC_MAX_VARS or len(degs(a.d, a.n)) != a.n or a.off % 2 or len(a.point) != a.n or \
                not all(1 <= d <= SC_MAX_ROUND_DEGREE for d in degs(a.d, a.n)):
            return False
        ln = mask_cells(a.n, a.d)
        if a.off + ln > N or any(a.off < o + lo and o < a.off + ln for o, lo in spans):
            return False
        spans.append((a.off, ln))
    return True


def mask_weights(a):
    """w(r) = (1, r_v^j): g(r) = sum_k c_k w_k, coefficient 1 + v d + j - 1 = c_{v,j}"""
    w = [E1]
    for v, d in enumerate(degs(a.d, a.n)):
        p = E1
        for _ in range(d):
            p = emul(p, a.point[v])
            w.append(p)
    return w


X0 = (HALF, HALF)  # i/(1+i) = (1+i)/2


def zsc_ip_verify(tr, mc, claims, what="zk mask batch"):
    """The batch of 3.1.3 over the mask table T = [C ; D] (2^(mc+1) cells):
    lambda ("zsc/ip/lambda"), G' ("zsc/ip/G"), rho' not in {0, -1}
    ("zsc/ip/rho"), the degree-2 sumcheck of mc - 1 rounds, y
    ("zsc/ip/eval"), final claim = (1+i)(1+rho') y V~(z). Returns
    ((x0, z, t), y): the one claim T~(x0, z, t) = y left on the commitment."""
    if not zsc_layout_ok(claims, mc):
        raise Unusable("%s: masks do not fit the mask table" % what)
    lam = tr.challenges("zsc/ip/lambda", len(claims))
    c = E0
    for ls, a in zip(lam, claims):
        c = eadd(c, emul(ls, a.value))
    G = tr.get_e1("zsc/ip/G")
    rho = draw_nonzero(tr, "zsc/ip/rho", not_minus_one=True)
    z, c = sumcheck(tr, eadd(c, emul(rho, G)), mc - 1, 2, what)
    y = tr.get_e1("zsc/ip/eval")
    Vz = E0  # V~(z) = sum_s lambda_s sum_k w_{s,k} eq(z, off_s/2 + k)
    for ls, a in zip(lam, claims):
        s = E0
        if a.wi is not None:
            for k, wk in zip(a.wi, a.ww):
                s = eadd(s, emul(wk, eq_at(z, k)))
        else:
            for k, wk in enumerate(mask_weights(a)):
                s = eadd(s, emul(wk, eq_at(z, a.off // 2 + k)))
        Vz = eadd(Vz, emul(ls, s))
    scale = emul((1, 1), eadd(E1, rho))
    if c != emul(emul(scale, y), Vz):
        raise Invalid("%s: final claim != (1+i)(1+rho') y V(z)" % what)
    return [X0] + z + [emul(rho, einv(eadd(E1, rho)))], y


# ---- 5.1: the hiding Ligero commitment ------------------------------------------

ZK_MAX_OPENINGS = 64  # the budgets a verifier accepts (PCS_LIGERO_ZK_MAX_OPENINGS)
ZK_CERT_PROTOCOL = "gkrcnn/pcs/ligero-zk-cert/v1"
MAX_VARS = 25  # PCS_LIGERO_MAX_VARS
SALT_BYTES = 16

ligero_zk_encode = encode  # Enc of a message of k + t < K coefficients, natural order (5.1 Rows)
# queries: of one opening, cert_queries: of the certificate; mask_len = t; K = k << log_inv_rate
ZkParams = namedtuple("ZkParams", "n certified openings queries cert_queries mask_rows mask_len log_inv_rate "
                      "log_cols log_rows log_data_cols")
ZkCommitment = namedtuple("ZkCommitment", "n root openings")


def ligero_zk_opening_bytes(p):
    """one opening's bytes: slot, s, u1', u2' (k + t each), q columns (salt, rows, path)"""
    k, m, logK = 1 << p.log_cols, 1 << p.log_rows, p.log_cols + p.log_inv_rate
    q = min(p.queries, 1 << logK)
    return 4 + 16 + 2 * 16 * (k + p.mask_len) + q * (SALT_BYTES + 16 * (m + p.mask_rows) + 32 * logK)


QUERY_BITS = 108  # PCS_LIGERO_ZK_QUERY_BITS
CERT_QUERIES = 711  # PCS_LIGERO_ZK_CERT_QUERIES
SMALL_CELLS = 1 << 15  # PCS_ZK_SMALL_CELLS
CERT_CELLS = 1 << 20  # PCS_ZK_CERT_CELLS (a certified shape: made at setup)
MAX_QUERIES = 4096


def zk_catch(p):
    """5.1 the catch count a: e = floor((K - k - t)/2), certified D - floor(K/10); 0: not a candidate"""
    k = 1 << p.log_cols
    K = k << p.log_inv_rate
    t = p.mask_len
    if k + t >= K:
        return 0
    e = (K - k - t) // 2
    if not p.certified:
        return e
    if K // 10 > e:
        return 0
    return K - k - t + 1 - K // 10


def zk_queries_for(miss, logK, bits):
    """5.1 the least q with (miss / 2^logK)^q <= 2^-bits, in integers as pcs_zk_queries_for"""
    mm, x = 1 << 63, -63
    for q in range(1, MAX_QUERIES + 1):
        prod = mm * miss
        x -= logK
        top = prod >> 64
        sh = top.bit_length()
        if sh:
            up = 1 if prod & ((1 << sh) - 1) else 0
            prod = (prod >> sh) + up
            x += sh
            if prod >> 64:
                prod >>= 1
                x += 1
        mm = prod
        if x + 64 <= -bits or (x + 63 == -bits and mm == 1 << 63):
            return q
    return 0


def zk_settle(p):
    """5.1 q and t = b q (+ 711): the least fixed point from q = 1; None if it does not settle"""
    qc = CERT_QUERIES if p.certified else 0
    q, logK = 1, p.log_cols + p.log_inv_rate
    for _ in range(64):
        p = p._replace(queries=q, mask_len=p.openings * q + qc)
        a = zk_catch(p)
        if not a:
            return None
        q2 = zk_queries_for((1 << logK) - a, logK, QUERY_BITS)
        if not q2:
            return None
        if q2 == q:
            return p
        q = q2
    return None


def zk_error(p):
    """one opening's error (5.1 Soundness; pcs_zk_error_of)"""
    F = math.ldexp(1.0, 122) - math.ldexp(1.0, 63)
    K = math.ldexp(1.0, p.log_cols + p.log_inv_rate)
    qt = math.pow((K - zk_catch(p)) / K, p.queries)
    if not p.certified:
        return 2.0 * p.log_rows * K / F + 2.0 * K / F + 1.0 / F + qt
    return K / F + math.pow(9.0 / 10.0, CERT_QUERIES) + 1.0 / F + qt


def ligero_zk_params(n, certified, openings):
    """5.1 Parameters, as pcs_ligero_zk_params_for: over L = 2..6 (L > 2 only
    while K (rows + 1) <= 2^15 cells, certified 2^20) and c = 0..23, each with its settled q
    and t, the smallest opening whose error is at most 2^-100.5, the first
    (smallest L, then c) on a tie. Every number of the hiding mode's shape is
    here (a retuning is one edit of this function and those above)."""
    if not 1 <= n <= MAX_VARS or not 1 <= openings <= ZK_MAX_OPENINGS:
        raise Unusable("hiding Ligero: n = %d, budget %d" % (n, openings))
    certified = bool(certified)
    base = ZkParams(n, certified, openings, 0, CERT_QUERIES, 2 * openings + int(certified), 0, 2, 0, 0, 0)
    best = None
    for L in range(2, 7):
        for c in range(0, MAX_VARS - 1):
            rows = n - 1 - c if c <= n - 1 else 0
            p = base._replace(log_inv_rate=L, log_cols=c, log_rows=rows, log_data_cols=n - 1 - rows)
            cells = (1 << (c + L)) * ((1 << rows) + p.mask_rows + 1)
            if L > 2 and cells > (CERT_CELLS if certified else SMALL_CELLS):
                continue
            if best is not None and 2 * 16 * (1 << c) >= best[0]:
                continue
            p = zk_settle(p)
            if p is None or zk_error(p) > math.ldexp(1.0, -100) / math.sqrt(2.0):
                continue
            b = ligero_zk_opening_bytes(p)
            if best is None or b < best[0]:
                best = (b, p)
    if best is None:
        raise Unusable("hiding Ligero: no shape for n = %d" % n)
    return best[1]


def u32le(b):
    return int.from_bytes(b, "little")


def ligero_zk_read_commitment(tr, n):
    """"pcs/root" (32 bytes), the budget b ("pcs/zk/openings", u32 LE, 1..64)"""
    if not 1 <= n <= MAX_VARS:
        raise Unusable("pcs: unsupported number of variables %d" % n)
    root = tr.get_bytes("pcs/root", 32)
    b = u32le(tr.get_bytes("pcs/zk/openings", 4))
    if not 1 <= b <= ZK_MAX_OPENINGS:
        raise Invalid("pcs: hiding commitment with an opening budget of %d" % b)
    return ZkCommitment(n, root, b)


def ligero_zk_check_certificate(com, cert):
    """The certificate's own transcript: absorb n, b (u64 each) and the root;
    gamma on every row but the last (weight 1); u0' (k + t); q_c queries."""
    p = ligero_zk_params(com.n, True, com.openings)
    m, k, logK = 1 << p.log_rows, 1 << p.log_cols, p.log_cols + p.log_inv_rate
    rows = m + p.mask_rows
    tr = Transcript(ZK_CERT_PROTOCOL, cert)
    tr.absorb("pcs/cert/n", com.n.to_bytes(8, "little"))
    tr.absorb("pcs/cert/openings", com.openings.to_bytes(8, "little"))
    tr.absorb("pcs/cert/root", com.root)
    gamma = tr.challenges("pcs/cert/gamma", rows - 1) + [E1]
    u0 = tr.get_e("pcs/cert/u0", k + p.mask_len)
    check_columns(tr, com.root, rows, logK, p.cert_queries, ("pcs/cert/query", "pcs/cert/col", "pcs/cert/path"),
                  (gamma,), (ligero_zk_encode(u0, logK),), "hiding certificate", salt_label="pcs/cert/salt")
    tr.finish()


def ligero_zk_value(u1, u2, eqc, z0):
    """L(y1, y2) = a y1 + b conj(y2), a = ((1 - z0) - i z0)/2, b = ((1 - z0) + i z0)/2,
    y1 = sum_c u1[c] eq(z_col, c), y2 = sum_c u2[c] conj(eq(z_col, c)) over c < k_d"""
    y1 = dot(u1, eqc)
    y2 = dot(u2, [econj(x) for x in eqc])
    omz = esub(E1, z0)
    iz = ((-z0[1]) % P, z0[0])
    a = escale(esub(omz, iz), HALF)
    b = escale(eadd(omz, iz), HALF)
    return eadd(emul(a, y1), emul(b, econj(y2)))


def ligero_zk_open(tr, com, n, z, v, certified, what="hiding opening"):
    """f(z) = v for the table of commitment com (n variables; certified iff
    its certificate was accepted), v already in the transcript: slot j
    ("pcs/zk/slot", u32 < b), s ("pcs/zk/s"), gamma != 0 ("pcs/zk/gamma"),
    u1', u2' (k + t each), L(y1', y2') = v + gamma s, then the columns with
    weights e | gamma on row A_j and conj(e) | conj(gamma) on row B_j."""
    if com.n != n or len(z) != n:
        raise Unusable("%s: %d variables, commitment of %d" % (what, len(z), com.n))
    p = ligero_zk_params(n, certified, com.openings)
    m, k, kd = 1 << p.log_rows, 1 << p.log_cols, 1 << p.log_data_cols
    rows, ul, logK = m + p.mask_rows, k + p.mask_len, p.log_cols + p.log_inv_rate
    slot = u32le(tr.get_bytes("pcs/zk/slot", 4))
    s = tr.get_e1("pcs/zk/s")
    if slot >= p.openings:
        raise Invalid("%s: mask slot %d beyond the commitment's %d openings" % (what, slot, p.openings))
    gamma = draw_nonzero(tr, "pcs/zk/gamma")
    u1 = tr.get_e("pcs/u1", ul)
    u2 = tr.get_e("pcs/u2", ul)
    zcol, zrow = z[1:1 + p.log_data_cols], z[1 + p.log_data_cols:]
    if ligero_zk_value(u1[:kd], u2[:kd], eq_table(zcol), z[0]) != eadd(v, emul(gamma, s)):
        raise Invalid("%s: opened value does not match the claim" % what)
    e = eq_table(zrow)
    ebar = [econj(x) for x in e] + [E0] * p.mask_rows
    e = e + [E0] * p.mask_rows
    a = m + 2 * slot
    e[a] = gamma
    ebar[a + 1] = econj(gamma)
    check_columns(tr, com.root, rows, logK, p.queries, ("pcs/query", "pcs/col", "pcs/path"), (e, ebar),
                  (ligero_zk_encode(u1, logK), ligero_zk_encode(u2, logK)), what, salt_label="pcs/salt")
