#!/usr/bin/env python3
"""The PyTorch side of bench/train-step-vs-torch.sh: seconds per training step of the network that
StepBenchmark times in the project, built from torchvision.

MobileNetV2 (torchvision's mobilenet_v2, width_mult as given) with a 1-channel stem, global average pooling,
a linear projection to 256 features and a 2-class head (the project's baseline classifier: Encoders.add +
the class output), trained with Adam (lr 1e-3) and cross-entropy on fixed random data, float32.

    python3 bench/train_step_torch.py --size 64 --batch 32 --width 0.5 --steps 10 --warmup 3 --threads 2

Prints one line: "pytorch <size>x<size> batch <batch>: <seconds> s/step, <images/s> images/s, loss <first loss>".
"""
import argparse
import time

import torch
import torch.nn as nn
import torchvision


def network(width, classes=2, feature_dim=256):
    net = torchvision.models.mobilenet_v2(width_mult=width)
    stem = net.features[0][0]
    net.features[0][0] = nn.Conv2d(1, stem.out_channels, 3, stride=2, padding=1, bias=False)
    net.classifier = nn.Sequential(nn.Linear(net.last_channel, feature_dim), nn.Linear(feature_dim, classes))
    return net


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--width", type=float, default=0.5)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    net = network(a.width)
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(a.batch, 1, a.size, a.size)
    y = torch.randint(0, 2, (a.batch,))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    first = float("nan")
    for i in range(a.warmup):
        v = step()
        if i == 0:
            first = v
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    s = (time.perf_counter() - t0) / a.steps
    print(f"pytorch {a.size}x{a.size} batch {a.batch}: {s:.3f} s/step, {a.batch / s:.1f} images/s, loss {first:.5f}",
          flush=True)


if __name__ == "__main__":
    main()
