#!/usr/bin/python3
"""Loads the MLP 784-500-10 weights axonal saved (safetensors, read by hand per the
format: Debian has no python3-safetensors) into PyTorch and exports it to ONNX.

Usage: /usr/bin/python3 bench/py/export_onnx.py weights.safetensors out.onnx
"""
import json
import struct
import sys

import numpy as np
import torch

src, dst = sys.argv[1], sys.argv[2]
with open(src, "rb") as f:
    blob = f.read()
n = struct.unpack("<Q", blob[:8])[0]
header = json.loads(blob[8:8 + n])
data = blob[8 + n:]
state = {}
for name, e in header.items():
    if name == "__metadata__":
        continue
    assert e["dtype"] == "F32", e
    a, b = e["data_offsets"]
    state[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=np.float32).reshape(e["shape"]).copy())

model = torch.nn.Sequential(torch.nn.Linear(784, 500), torch.nn.ReLU(), torch.nn.Linear(500, 10)).eval()
model.load_state_dict(state)
torch.onnx.export(model, torch.zeros(1, 784), dst, input_names=["x"], output_names=["logits"],
                  dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
print("exported", dst)
