"""The tutorial's best recipe in full, as a reference run on a lent GPU (PyTorch, not the service).

Batch norm with Glorot-normal initialisation, the tutorial's own scipy augmentation (4 extra copies,
rotation of -15..15 degrees, shift of -2..1 pixels, empty pixels filled with the image's median),
Adam at 0.001 halved every 5 epochs (staircase), batch 100, 15 epochs, 5 members whose logits are
averaged. As in the tutorial, all members see the same batches; they are trained as one grouped
network (grouped convolutions, per-member dense weights), which keeps their parameters, gradients and
Adam moments separate while launching one set of kernels for all five.

Usage: python3 recipe_reference.py MNIST_DIR OUT_JSON   (MNIST_DIR holds the four IDX files, gzipped or not)
RECIPE_EPOCHS and RECIPE_TRAIN_LIMIT shorten a smoke run.
"""
import gzip
import json
import multiprocessing
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

MEMBERS, BATCH, LR = 5, 100, 1e-3
EPOCHS = int(os.environ.get("RECIPE_EPOCHS", 15))
TRAIN_LIMIT = int(os.environ.get("RECIPE_TRAIN_LIMIT", 60000))


def idx(path):
    opener = gzip.open if os.path.exists(path + ".gz") else open
    with opener(path + ".gz" if opener is gzip.open else path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def augment_one(args):
    image, seed = args
    random.seed(seed)
    rng = np.random.RandomState(seed % (2 ** 32))
    out = []
    bg = np.median(image)
    for _ in range(4):
        rot = ndimage.rotate(image, angle=random.randint(-15, 15), reshape=False, cval=bg)
        out.append(ndimage.shift(rot, shift=rng.randint(-2, 2, 2), cval=bg))
    return out


def augment(images, labels):
    with multiprocessing.Pool(os.cpu_count()) as pool:
        extra = pool.map(augment_one, [(img.astype(np.float64), i) for i, img in enumerate(images)], chunksize=500)
    aug_images, aug_labels = [], []
    for img, label, copies in zip(images, labels, extra):
        aug_images.append(img.astype(np.float64))
        aug_labels.append(label)
        aug_images.extend(copies)
        aug_labels.extend([label] * 4)
    # Keras' pipeline casts the augmented float64 images to float32 and divides by 255.
    return np.array(aug_images, dtype=np.float32) / 255.0, np.array(aug_labels, dtype=np.int64)


class Ensemble(torch.nn.Module):
    """MEMBERS copies of the tutorial's CNNModel (ConvBNRelu x3 with pools, DenseBNRelu, dropout, dense)."""

    def __init__(self, m):
        super().__init__()
        self.m = m
        chans = [1, 32, 64, 128]
        self.convs = torch.nn.ModuleList()
        self.bns = torch.nn.ModuleList()
        for i in range(3):
            conv = torch.nn.Conv2d(chans[i] * m, chans[i + 1] * m, 3, padding=1, groups=m)
            for g in range(m):  # Glorot-normal per member, on that member's fan-in and fan-out
                w = conv.weight.data[g * chans[i + 1]:(g + 1) * chans[i + 1]]
                torch.nn.init.xavier_normal_(w)
            torch.nn.init.zeros_(conv.bias)
            self.convs.append(conv)
            self.bns.append(torch.nn.BatchNorm2d(chans[i + 1] * m, eps=1e-3, momentum=0.01))
        self.w4 = torch.nn.Parameter(torch.empty(m, 2048, 256))
        self.b4 = torch.nn.Parameter(torch.zeros(m, 1, 256))
        self.bn4 = torch.nn.BatchNorm1d(256 * m, eps=1e-3, momentum=0.01)
        self.w5 = torch.nn.Parameter(torch.empty(m, 256, 10))
        self.b5 = torch.nn.Parameter(torch.zeros(m, 1, 10))
        for g in range(m):
            torch.nn.init.xavier_normal_(self.w4.data[g].T)
            torch.nn.init.xavier_normal_(self.w5.data[g].T)

    def forward(self, x):  # x [B,1,28,28] -> logits [m,B,10]
        b = x.shape[0]
        net = x.repeat(1, self.m, 1, 1)
        for conv, bn in zip(self.convs, self.bns):
            net = F.max_pool2d(F.relu(bn(conv(net))), 2, 2, ceil_mode=True)  # SAME pooling: 7 -> 4
        # Keras flattens NHWC; the order only permutes the dense weights, so NCHW is equivalent.
        net = net.reshape(b, self.m, 2048).transpose(0, 1)
        net = torch.baddbmm(self.b4, net, self.w4)  # [m,B,256]
        net = self.bn4(net.transpose(0, 1).reshape(b, self.m * 256)).reshape(b, self.m, 256).transpose(0, 1)
        net = F.dropout(F.relu(net), 0.4, self.training)
        return torch.baddbmm(self.b5, net, self.w5)


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(x[i:i + 2000]) for i in range(0, len(x), 2000)], dim=1)
    model.train()
    members = (logits.argmax(2) == y).float().mean(1).tolist()
    ensemble = (logits.mean(0).argmax(1) == y).float().mean().item()
    return ensemble, members


def main():
    data_dir, out_path = sys.argv[1], sys.argv[2]
    started = time.time()
    torch.manual_seed(1)
    x_train = idx(f"{data_dir}/train-images-idx3-ubyte")[:TRAIN_LIMIT]
    y_train = idx(f"{data_dir}/train-labels-idx1-ubyte")[:TRAIN_LIMIT]
    x_test, y_test = idx(f"{data_dir}/t10k-images-idx3-ubyte"), idx(f"{data_dir}/t10k-labels-idx1-ubyte")
    xa, ya = augment(x_train, y_train)
    augment_s = time.time() - started
    print(f"augmented {len(x_train)} -> {len(xa)} images in {augment_s:.1f} s", flush=True)
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    xa, ya = torch.from_numpy(xa).unsqueeze(1).to(dev), torch.from_numpy(ya).to(dev)
    xt = torch.from_numpy(x_test.astype(np.float32) / 255.0).unsqueeze(1).to(dev)
    yt = torch.from_numpy(y_test.astype(np.int64)).to(dev)
    x_orig = xa.reshape(-1, 5, 1, 28, 28)[:, 0]  # the original images, for the train accuracy
    y_orig = ya.reshape(-1, 5)[:, 0]
    model = Ensemble(MEMBERS).to(dev)
    params = sum(p.numel() for p in model.parameters()) // MEMBERS
    opt = torch.optim.Adam(model.parameters(), lr=LR, eps=1e-7)  # Keras' epsilon
    steps = (len(xa) + BATCH - 1) // BATCH
    # Keras' schedule: one optimiser shared by the 5 models counts 5 updates per batch, so
    # decay_steps = 300000/100*5*5 halves the rate every 5 epochs.
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
    history = []
    train_started = time.time()
    for epoch in range(1, EPOCHS + 1):
        t0 = time.time()
        order = torch.randperm(len(xa), device=dev)
        loss_sum = torch.zeros((), device=dev)
        for s in range(steps):
            idx_ = order[s * BATCH:(s + 1) * BATCH]
            logits = model(xa[idx_])
            # The sum of the members' mean losses: each member gets exactly its own gradient.
            loss = sum(F.cross_entropy(logits[g], ya[idx_]) for g in range(MEMBERS))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.detach()
        if dev.type == "cuda":
            torch.cuda.synchronize()
        seconds = time.time() - t0
        lr = opt.param_groups[0]["lr"]
        sched.step()
        test_acc, member_acc = evaluate(model, xt, yt)
        train_acc, _ = evaluate(model, x_orig, y_orig)
        row = dict(epoch=epoch, loss=loss_sum.item() / steps / MEMBERS, trainAccuracy=train_acc, testAccuracy=test_acc,
                   memberTestAccuracy=member_acc, learningRate=lr, seconds=seconds, imagesPerSecond=len(xa) * MEMBERS / seconds)
        history.append(row)
        print(json.dumps(row), flush=True)
    result = dict(device=torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu", torch=torch.__version__, parametersPerMember=params,
                  members=MEMBERS, epochs=EPOCHS, trainImagesPerEpoch=len(xa), augmentSeconds=augment_s,
                  trainSeconds=time.time() - train_started, wallSeconds=time.time() - started, history=history)
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)
    print(f"final ensemble test accuracy {history[-1]['testAccuracy']:.4f}; wall {result['wallSeconds']:.0f} s", flush=True)


if __name__ == "__main__":
    main()
