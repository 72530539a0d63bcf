"""Fashion-MNIST helpers shared by the gkrcnn model scripts.

Reads the four gzip'd IDX files of Debian's dataset-fashion-mnist package
(/usr/share/datasets/fashion-mnist), validates their headers, and applies
the one preprocessing every Fashion-MNIST model in models/ was trained with:

    x = (pixel / 255 - MEAN) / STD        (three float32 IEEE operations,
                                           in that order, MEAN = 0.2860,
                                           STD = 0.3530 as float32)

laid out NCHW as N x 1 x 28 x 28 float32. scripts/ort_eval.js repeats this
computation on its own (Math.fround after each operation) and obtains the
same float32 values.

Also writes EZKL-style input files ({"input_data": [[...], ...]}) and ONNX
TensorProto .pb files for the inputs the C prover reads.
"""

import gzip
import json
import os
import struct
import sys

try:
    import numpy as np
except ImportError:
    print(f"{os.path.basename(sys.argv[0])}: numpy missing: run with /usr/bin/python3 "
          "(Debian's python3-numpy, python3-torch, python3-onnx, python3-h5py)", file=sys.stderr)
    sys.exit(2)

DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"
FILES = {
    ("train", "images"): "train-images-idx3-ubyte.gz",
    ("train", "labels"): "train-labels-idx1-ubyte.gz",
    ("test", "images"): "t10k-images-idx3-ubyte.gz",
    ("test", "labels"): "t10k-labels-idx1-ubyte.gz",
}
COUNTS = {"train": 60000, "test": 10000}
IMAGE_MAGIC = 0x00000803  # unsigned byte, 3 dimensions
LABEL_MAGIC = 0x00000801  # unsigned byte, 1 dimension
ROWS = COLS = 28
NUM_CLASSES = 10
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

MEAN = np.float32(0.2860)
STD = np.float32(0.3530)
NORMALIZATION = ("x = (pixel / 255 - mean) / std, computed as three float32 "
                 "IEEE operations in that order; mean = float32(0.2860), "
                 "std = float32(0.3530); layout N x 1 x 28 x 28 (NCHW)")


class DataError(Exception):
    """A bad or missing input file; the message is one line."""


def die(msg, code=2):
    """Print a one-line error naming the script and exit (2: bad input)."""
    prog = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "gkrcnn"
    print(f"{prog}: {msg}", file=sys.stderr)
    sys.exit(code)


def read_idx(path, kind, expected_count):
    """Read one gzip'd IDX file; kind is "images" or "labels".

    Returns uint8 array (N, 28, 28) or (N,). Raises DataError on a bad
    file: wrong magic number, wrong count or image size, truncated or
    trailing data, or a label outside 0..9.
    """
    try:
        with gzip.open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file (install dataset-fashion-mnist)")
    except (OSError, EOFError) as e:
        raise DataError(f"{path}: not a readable gzip file ({e})")
    if kind == "images":
        if len(data) < 16:
            raise DataError(f"{path}: truncated IDX header ({len(data)} bytes)")
        magic, n, rows, cols = struct.unpack(">IIII", data[:16])
        if magic != IMAGE_MAGIC:
            raise DataError(f"{path}: bad IDX magic 0x{magic:08x}, "
                            f"expected 0x{IMAGE_MAGIC:08x} (images)")
        if (rows, cols) != (ROWS, COLS):
            raise DataError(f"{path}: images are {rows}x{cols}, expected {ROWS}x{COLS}")
        header, shape = 16, (n, rows, cols)
    elif kind == "labels":
        if len(data) < 8:
            raise DataError(f"{path}: truncated IDX header ({len(data)} bytes)")
        magic, n = struct.unpack(">II", data[:8])
        if magic != LABEL_MAGIC:
            raise DataError(f"{path}: bad IDX magic 0x{magic:08x}, "
                            f"expected 0x{LABEL_MAGIC:08x} (labels)")
        header, shape = 8, (n,)
    else:
        raise ValueError(kind)
    if n != expected_count:
        raise DataError(f"{path}: header says {n} items, expected {expected_count}")
    need = header + int(np.prod(shape))
    if len(data) != need:
        raise DataError(f"{path}: {len(data)} bytes after decompression, "
                        f"header implies {need}")
    arr = np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)
    if kind == "labels" and arr.max(initial=0) >= NUM_CLASSES:
        raise DataError(f"{path}: label {int(arr.max())} outside 0..{NUM_CLASSES - 1}")
    return arr.copy()


def load_split(split, src_dir=DEFAULT_DIR):
    """(images uint8 N x 28 x 28, labels uint8 N) for "train" or "test"."""
    images = read_idx(os.path.join(src_dir, FILES[(split, "images")]), "images",
                      COUNTS[split])
    labels = read_idx(os.path.join(src_dir, FILES[(split, "labels")]), "labels",
                      COUNTS[split])
    return images, labels


def normalize(images):
    """uint8 N x 28 x 28 -> float32 N x 1 x 28 x 28, see NORMALIZATION."""
    x = images.astype(np.float32)
    x = x / np.float32(255.0)
    x = x - MEAN
    x = x / STD
    assert x.dtype == np.float32
    return x.reshape(-1, 1, ROWS, COLS)


def f32_text(v):
    """Shortest decimal text of a float32 value v that reads back exactly.

    Uses the shortest float32 representation (numpy's repr) when both ways
    of reading it, decimal -> float32 directly (strtof) and decimal ->
    double -> float32 (JavaScript, Python's json), give v back; otherwise
    the double representation of v, which both read back exactly.
    """
    v = np.float32(v)
    if not np.isfinite(v):
        raise ValueError(f"non-finite value {v} cannot go into JSON")
    s = repr(float(v)) if v == 0 else str(v)
    if np.float32(float(s)) != v:
        s = repr(float(v))
    return s


def _json_rows(rows):
    """Lines "[v,v,...]" for 2-D float32 data, values via f32_text."""
    cache = {}
    out = []
    for row in rows:
        parts = []
        for v in row.tolist():
            t = cache.get(v)
            if t is None:
                t = cache[v] = f32_text(v)
            parts.append(t)
        out.append("[" + ",".join(parts) + "]")
    return out


def write_json(path, obj):
    """Write JSON atomically. An EZKL input object (ezkl_input) is written
    with one sample per line."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        if isinstance(obj, EzklInput):
            f.write('{"input_data": [\n')
            f.write(",\n".join(_json_rows(obj.rows)))
            f.write("\n]}\n")
        else:
            json.dump(obj, f, indent=1)
            f.write("\n")
    os.replace(tmp, path)


class EzklInput:
    """{"input_data": [[flattened sample], ...]} over float32 samples."""

    def __init__(self, samples):
        samples = np.asarray(samples, dtype=np.float32)
        self.rows = samples.reshape(samples.shape[0], -1)


def ezkl_input(samples):
    """EZKL input object {"input_data": [[flattened floats], ...]}.

    samples: float32 array N x ...; each sample is flattened row-major.
    Values are written by f32_text: reading them as float32 gives exactly
    the original float32 values.
    """
    return EzklInput(samples)


def write_tensor_pb(path, array, name="input"):
    """Write an ONNX TensorProto (.pb) with onnx.numpy_helper."""
    from onnx import numpy_helper
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    t = numpy_helper.from_array(np.ascontiguousarray(array), name=name)
    with open(path, "wb") as f:
        f.write(t.SerializeToString())


def write_fashion_inputs(prefix, models_dir, src_dir=DEFAULT_DIR, n_test=5, n_calib=64):
    """Inputs for a Fashion-MNIST model (the same for every such model).

    models/inputs/PREFIX_{0..n_test-1}.json  test images 0..n_test-1, EZKL JSON
    models/inputs/PREFIX_labels.json         their true labels
    models/inputs/PREFIX_0.pb                test image 0 as a TensorProto 1x1x28x28
    models/calib/PREFIX_calib.json           training images 0..n_calib-1, EZKL JSON
    Returns the list of paths written.
    """
    test_images, test_labels = load_split("test", src_dir)
    train_images, _ = load_split("train", src_dir)
    xt = normalize(test_images[:n_test])
    xc = normalize(train_images[:n_calib])
    out = []
    for i in range(n_test):
        p = os.path.join(models_dir, "inputs", f"{prefix}_{i}.json")
        write_json(p, ezkl_input(xt[i:i + 1]))
        out.append(p)
    p = os.path.join(models_dir, "inputs", f"{prefix}_labels.json")
    write_json(p, {"test_indices": list(range(n_test)),
                   "labels": [int(v) for v in test_labels[:n_test]],
                   "class_names": [CLASS_NAMES[int(v)] for v in test_labels[:n_test]]})
    out.append(p)
    p = os.path.join(models_dir, "inputs", f"{prefix}_0.pb")
    write_tensor_pb(p, xt[0:1], name="input")
    out.append(p)
    p = os.path.join(models_dir, "calib", f"{prefix}_calib.json")
    write_json(p, ezkl_input(xc))
    out.append(p)
    return out
