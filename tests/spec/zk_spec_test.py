#!/usr/bin/python3
"""The spec verifier of the zero-knowledge blocks (zk_spec.py) against the
C code: run by `make test`.

    python3 tests/spec/zk_spec_test.py build/test/zk_transcripts

Has the C program (tests/spec/zk_transcripts.c) write its transcripts (the
masked sumchecks, their batch and the hiding opening of the mask table;
hiding openings for n = 1..20, a budget of two, a certified commitment),
then checks that
  - zk_spec.py accepts every one, and each hiding opening has the size the
    C parameters give (pcs_ligero_opening_bytes): the Python choice of the
    shape is the C one;
  - for the zsc case and two opening cases (the certificate's too), one
    byte changed in the first message of every label and in the middle of
    its last message, the transcript cut short by a byte and extended by
    one are rejected by zk_spec.py and by the C verifier alike.
Prints one line per failure and "zk spec: N passed, M failed"; exit 0 iff
none failed.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zk_spec  # noqa: E402
from gkr_verify import E0, E1, Invalid, Transcript, eadd, emul, esub  # noqa: E402
from cnn_verify import dot  # noqa: E402
from zk_spec import (ZscClaim, eq_table, ligero_zk_check_certificate, ligero_zk_open,  # noqa: E402
                     ligero_zk_read_commitment, zsc_ip_verify, zsc_verify)

PROTO = "gkrcnn/test/zkspec"
TAMPERED = ("zsc", "em", "open-n12-b2", "open-n12-cert")  # the cases whose altered transcripts are checked


class LogTranscript(Transcript):
    """A Transcript that records every message it reads, (label, offset,
    length), in logs[protocol]."""
    logs = {}

    def __init__(self, protocol, proof):
        super().__init__(protocol, proof)
        self.log = LogTranscript.logs.setdefault(protocol, [])

    def _read(self, n, label):
        self.log.append((label, self.pos, n))
        return super()._read(n, label)


zk_spec.Transcript = LogTranscript  # the certificate's transcript is logged as well

_codewords = {}


def cached_encode(u, logK):
    """zk_spec's encode, remembered: most altered transcripts carry the honest
    u1', u2' (the whole run takes 4-5 s with it, 11 s without)"""
    key = (tuple(u), logK)
    if key not in _codewords:
        if len(_codewords) >= 64:
            _codewords.clear()
        _codewords[key] = zk_spec.encode(u, logK)
    return _codewords[key]


zk_spec.ligero_zk_encode = cached_encode


def opening(tr, com, n, z, v, certified, sizes):
    start = tr.pos
    ligero_zk_open(tr, com, n, z, v, certified)
    sizes.append(tr.pos - start)


def verify_zsc(tr, case, sizes):
    """the masked sumchecks (f = the product of the case's tables, H and f(r)
    computed here), the batch, the hiding opening of T"""
    mc = case["mc"]
    com = ligero_zk_read_commitment(tr, mc + 1)
    claims = []
    for s, sc in enumerate(case["sumchecks"]):
        tabs = [[tuple(x) for x in t] for t in sc["tables"]]
        H = E0
        for x in range(1 << sc["n"]):
            p = E1
            for t in tabs:
                p = emul(p, t[x])
            H = eadd(H, p)
        point, c, gr = zsc_verify(tr, H, sc["deg"], sc["n"])
        e = eq_table(point)
        f = E1
        for t in tabs:
            f = emul(f, dot(e, t))
        if c != f:
            raise Invalid("sumcheck %d: reduced claim != f(r)" % s)
        claims.append(ZscClaim(sc["off"], sc["n"], sc["deg"], point, gr))
    lin = case["linear"]  # a linear claim on C^, its value sent before the batch
    claims.append(ZscClaim(0, 0, 0, [], tr.get_e1("test/l"), lin["wi"], [tuple(w) for w in lin["ww"]]))
    tpoint, y = zsc_ip_verify(tr, mc, claims)
    opening(tr, com, mc + 1, tpoint, y, False, sizes)


def verify_em(tr, case, sizes):
    """part 2's masked sumcheck (protocol.md 9.8; zk_transcripts.c, case em):
    V, the zk sumcheck with the degree vector, A'(r), B'(r), ell; the final
    check f(A', B') + eq(rho, r) ell; the batch of the mask's value and the
    three linear claims; the hiding opening of T"""
    n, mc = case["n"], case["mc"]
    c0, c1, wP = [tuple(x) for x in case["c"]]
    rho = [tuple(x) for x in case["rho"]]
    A = [tuple(x) for x in case["A"]]
    B = [tuple(x) for x in case["B"]]
    com = ligero_zk_read_commitment(tr, mc + 1)
    V = tr.get_e1("test/V")
    point, red, gr = zsc_verify(tr, V, case["deg"], n)
    Av, Bv = tr.get_e("test/vals", 2)
    ell = tr.get_e1("test/l")
    E = dot(eq_table(point), eq_table(rho))  # eq(rho, r)
    f = emul(E, eadd(emul(c0, emul(Av, Bv)), emul(c1, Av)))
    if red != eadd(f, emul(E, ell)):
        raise Invalid("em: reduced claim != f(vals) + E(r) ell")
    e = eq_table(point)
    z = emul(point[0], esub(E1, point[0]))
    claims = [ZscClaim(0, n, case["deg"], point, gr),
              ZscClaim(0, 0, 0, [], ell, [case["iP"], case["ib"]], [wP, esub(point[0], rho[0])]),
              ZscClaim(0, 0, 0, [], esub(Av, dot(e, A)), [case["iA"]], [z]),
              ZscClaim(0, 0, 0, [], esub(Bv, dot(e, B)), [case["iB"]], [z])]
    tpoint, y = zsc_ip_verify(tr, mc, claims)
    opening(tr, com, mc + 1, tpoint, y, False, sizes)


def verify(case, proof, cert):
    """zk_spec.py on one case; raises Invalid on rejection. Returns the sizes
    of its hiding openings."""
    LogTranscript.logs.clear()
    sizes = []
    if case["kind"] == "zsc":
        tr = LogTranscript(PROTO + "/zsc", proof)
        verify_zsc(tr, case, sizes)
    elif case["kind"] == "em":
        tr = LogTranscript(PROTO + "/em", proof)
        verify_em(tr, case, sizes)
    else:
        n = case["n"]
        tr = LogTranscript(PROTO + "/open", proof)
        tr.absorb("test/n", n.to_bytes(8, "little"))
        com = ligero_zk_read_commitment(tr, n)
        if case["certified"]:
            ligero_zk_check_certificate(com, cert)
        for _ in range(case["nopen"]):
            z = tr.challenges("test/z", n)
            v = tr.get_e1("test/v")
            opening(tr, com, n, z, v, case["certified"], sizes)
    tr.finish()
    return sizes


def tampers(log, data):
    """(what, changed bytes): one byte + 1 at the start of the first message of
    each label and in the middle of its last; one byte fewer; one more."""
    first, last = {}, {}
    for label, off, n in log:
        if n:
            first.setdefault(label, off)
            last[label] = off + n // 2
    out = []
    for label in first:
        for where, off in (("first", first[label]), ("last, middle", last[label])):
            b = bytearray(data)
            b[off] = (b[off] + 1) % 256
            out.append(("%s (%s, byte %d)" % (label, where, off), bytes(b)))
    out.append(("truncated", data[:-1]))
    out.append(("trailing byte", data + b"x"))
    return out


def py_verdict(case, proof, cert):
    try:
        verify(case, proof, cert)
        return "accepted"
    except Invalid as e:
        return "rejected (%s)" % e
    except Exception as e:  # a crash is not a rejection
        return "error (%s: %s)" % (type(e).__name__, e)


def c_verdicts(prog, name, d, pairs):
    """the C verifier on every (proof, cert) pair, in one process started
    now; returns a function that waits for it and gives its verdicts"""
    args = [prog, "check", name]
    for i, (proof, cert) in enumerate(pairs):
        arg = os.path.join(d, "t%d.bin" % i)
        with open(arg, "wb") as f:
            f.write(proof)
        if cert is not None:
            cf = os.path.join(d, "t%d.cert" % i)
            with open(cf, "wb") as f:
                f.write(cert)
            arg += "," + cf
        args.append(arg)
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def wait():
        out, err = proc.communicate()
        out = out.decode().splitlines()
        if proc.returncode == 2 or len(out) != len(pairs):
            return ["error (exit %d: %s)" % (proc.returncode, err.decode()[:200])] * len(pairs)
        return out
    return wait


def main(argv):
    if len(argv) != 2:
        print("usage: zk_spec_test.py ZK_TRANSCRIPTS", file=sys.stderr)
        return 2
    prog = os.path.abspath(argv[1])
    passed = failed = 0
    t0 = time.time()

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL zk spec: " + what)

    with tempfile.TemporaryDirectory() as d:
        r = subprocess.run([prog, "gen", d], stderr=subprocess.PIPE)
        check(r.returncode == 0, "zk_transcripts gen: exit %d: %s" % (r.returncode, r.stderr.decode()[:300]))
        cases = []
        if r.returncode == 0:
            with open(os.path.join(d, "cases.json")) as f:
                cases = json.load(f)["cases"]
        for case in cases:
            name = case["name"]
            with open(os.path.join(d, name + ".bin"), "rb") as f:
                proof = f.read()
            cert = None
            if case["kind"] == "open" and case["certified"]:
                with open(os.path.join(d, name + ".cert"), "rb") as f:
                    cert = f.read()
            try:
                sizes = verify(case, proof, cert)
            except Exception:
                check(False, "%s: honest transcript %s" % (name, py_verdict(case, proof, cert)))
                continue
            check(True, "")
            check(sizes and all(s == case["opening_bytes"] for s in sizes),
                  "%s: hiding openings of %s bytes, the C parameters give %d" % (name, sizes, case["opening_bytes"]))
            if name not in TAMPERED:
                continue
            logs = dict(LogTranscript.logs)
            targets = [("proof", proof, logs[PROTO + "/" + case["kind"]])]
            if cert is not None:
                targets.append(("certificate", cert, logs[zk_spec.ZK_CERT_PROTOCOL]))
            runs = []  # (what, proof, cert)
            for which, data, log in targets:
                for what, bad in tampers(log, data):
                    pair = (bad, cert) if which == "proof" else (proof, bad)
                    runs.append(("%s, %s: %s" % (name, which, what),) + pair)
            c_wait = c_verdicts(prog, name, d, [(bp, bc) for _, bp, bc in runs])  # runs beside the Python checks
            pvs = [py_verdict(case, bp, bc) for _, bp, bc in runs]
            for (what, _, _), pv, cv in zip(runs, pvs, c_wait()):
                if os.environ.get("ZK_SPEC_VERBOSE"):
                    print("%s: spec verifier %s; C verifier %s" % (what, pv, cv))
                check(pv.startswith("rejected") and cv.startswith("rejected"),
                      "%s: spec verifier %s, C verifier %s" % (what, pv, cv))
    print("zk spec: %d passed, %d failed (%.1f s)" % (passed, failed, time.time() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
