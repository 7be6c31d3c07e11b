"""Bad input never ends in a raw traceback, a hang or a memory blow-up.

A sweep of the public API with the odd things students pass: wrong types, numbers as strings,
None, NaN and inf, negative, zero and huge sizes, wrong shapes, ragged and empty lists, wrong
dtypes, tensors for arrays, out-of-range labels, unknown devices, damaged data files, and
student functions that raise or return the wrong thing. Each case must end at once in the
exception named here (the exact type), with a message naming the argument; sizes are checked
against the limits of :mod:`course_utils._validate` before anything is allocated.

New chapters add their functions' cases to CASES (one ``case(id, call, exception, match)`` each).
"""
from __future__ import annotations

import hashlib
import os

import numpy as np
import pytest
import torch
from torch import nn

from course_utils import (
    captioning,
    checks,
    conv,
    data,
    models,
    pooling,
    qa,
    rnn,
    seq2seq,
    sequences,
    text,
    train,
    transfer,
    viz,
    widgets,
)
from course_utils._validate import MAX_ELEMENTS
from course_utils.checks import STUB_MESSAGE, WrongAnswer
from course_utils.sequences import gates as seq_gates

R = np.random.default_rng(0)
X4, W4, B4 = R.standard_normal((2, 3, 5, 5)), R.standard_normal((4, 3, 3, 3)), R.standard_normal(4)
GRID = np.arange(16.0).reshape(4, 4)
IMAGES, LABELS = R.integers(0, 256, (5, 28, 28)).astype(np.uint8), np.arange(5)
RAGGED = [[1.0, 2.0], [3.0]]
PHOTO = R.random((12, 10, 3))


def fig():
    from matplotlib.figure import Figure

    return Figure()


def pair(n=20, classes=2, dtype=torch.float32):
    g = torch.Generator().manual_seed(0)
    X = torch.randn(n, 2, generator=g, dtype=dtype)
    return X, torch.arange(n) % classes


def fit1(train_data=None, model=None, **kw):
    kw = dict(epochs=1, progress=False, device="cpu") | kw
    return train.fit(model or nn.Linear(2, 2), pair() if train_data is None else train_data, **kw)


def with_nan(X):
    X = X.clone()
    X[3, 1] = float("nan")
    return X


def long_lag_result():
    return sequences.LongLagResult("rnn", 10, 0, 0.1, np.zeros(1), np.zeros(1), 0.0, None)


def stub(*args, **kwargs):
    raise checks.stub_error()


def raises(error):
    def student(*args, **kwargs):
        raise error
    return student


def damaged_data(tmp, content: bytes, manifest: bytes | None = None, name="mnist_4k1k.npz"):
    """A data folder with one damaged file listed (by default with its true checksum)."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp / name).write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    (tmp / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp / "SHA256SUMS").write_bytes(manifest if manifest is not None
                                     else f"{digest}  {name}\n".encode())
    return tmp


def in_data_dir(folder, call):
    old = os.environ.get(data.DATA_ENV_VAR)
    os.environ[data.DATA_ENV_VAR] = str(folder)
    try:
        return call()
    finally:
        if old is None:
            del os.environ[data.DATA_ENV_VAR]
        else:
            os.environ[data.DATA_ENV_VAR] = old


def tmpdir(name):
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp(prefix=f"bad-input-{name}-"))


def in_weights_dir(folder, call, content: bytes | None = None):
    """Run ``call`` with COURSE_WEIGHTS_DIR (and TORCH_HOME) at ``folder``, which holds
    ``content`` as the weight file (None: no file)."""
    folder.mkdir(parents=True, exist_ok=True)
    if content is not None:
        (folder / transfer.MOBILENET_V2_FILE).write_bytes(content)
    old = {k: os.environ.get(k) for k in (transfer.WEIGHTS_ENV_VAR, "TORCH_HOME")}
    os.environ[transfer.WEIGHTS_ENV_VAR] = os.environ["TORCH_HOME"] = str(folder)
    try:
        return call()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def tiny_cnn():
    return nn.Sequential(nn.Conv2d(3, 2, 3), nn.ReLU())


def case(id, call, exc=ValueError, match=None):
    return pytest.param(call, exc, match, id=id)


def sgd_params():
    return [nn.Parameter(torch.zeros(2))]


def fake_history():
    h = train.History()
    h.append(epoch=1, train_loss=1.0)
    return h


def rnn_params(gates, D=4, H=5):
    """Zero tensors in PyTorch's layout for ``gates`` stacked gates (RNN 1, GRU 3, LSTM 4)."""
    return (np.zeros((gates * H, D)), np.zeros((gates * H, H)), np.zeros(gates * H),
            np.zeros(gates * H))


RX, RH = np.zeros((2, 3, 4)), np.zeros((2, 5))


CASES = [
    # --- conv.py ---------------------------------------------------------------------------------
    case("output_size-n-string", lambda: conv.output_size("7", 3), match="n"),
    case("output_size-n-float", lambda: conv.output_size(7.0, 3), match="n"),
    case("output_size-s-zero", lambda: conv.output_size(7, 3, s=0), match="stride"),
    case("output_size-p-negative", lambda: conv.output_size(7, 3, p=-1), match="padding"),
    case("output_size-window-too-big", lambda: conv.output_size(3, 5), match="window"),
    case("fixing_padding-s-none", lambda: conv.fixing_padding(7, 3, None), match="s"),
    case("output_size-strict-unread", lambda: conv.output_size(7, 3, 3, strict=True),
         match="no window reads"),
    case("unread_rows-float", lambda: conv.unread_rows(7.0, 3), match="n"),
    case("unread_rows-window-too-big", lambda: conv.unread_rows(3, 5), match="window"),
    case("padding_to_read_all-s-zero", lambda: conv.padding_to_read_all(7, 3, 0), match="stride"),
    case("same_padding-even", lambda: conv.same_padding(4), match="odd"),
    case("same_padding-string", lambda: conv.same_padding("3"), match="f"),
    case("kernel-unknown", lambda: conv.kernel("blurry"), match="kernel"),
    case("kernel-list", lambda: conv.kernel(["sobel x"]), match="kernel"),
    case("kernel-none", lambda: conv.kernel(None), match="kernel"),
    case("correlate2d-1d", lambda: conv.correlate2d(np.zeros(5), np.ones((2, 2))), match="image"),
    case("correlate2d-ragged", lambda: conv.correlate2d(RAGGED, np.ones((1, 1))), match="image"),
    case("correlate2d-kernel-strings", lambda: conv.correlate2d(GRID, [["a", "b"]]),
         match="kernel"),
    case("correlate2d-huge-padding", lambda: conv.correlate2d(GRID, np.ones((3, 3)),
                                                              padding=10**6), match="padding"),
    case("convolve2d-mode", lambda: conv.convolve2d(GRID, np.ones((2, 2)), mode="same"),
         match="mode"),
    case("convolve2d-none", lambda: conv.convolve2d(None, np.ones((2, 2))), match="image"),
    case("conv2d-huge-padding", lambda: conv.conv2d(X4, W4, padding=100000), match="padding"),
    case("conv2d-huge-padding-pair", lambda: conv.conv2d(X4, W4, padding=(0, 10**7)),
         match="padding"),
    case("conv2d-ragged-x", lambda: conv.conv2d([[[RAGGED]]], W4), match="x"),
    case("conv2d-w-none", lambda: conv.conv2d(X4, None), match="w"),
    case("conv2d-x-string", lambda: conv.conv2d("abc", W4), match="x"),
    case("conv2d-stride-string", lambda: conv.conv2d(X4, W4, stride="2"), match="stride"),
    case("conv2d-stride-float", lambda: conv.conv2d(X4, W4, stride=1.5), match="stride"),
    case("conv2d-stride-zero", lambda: conv.conv2d(X4, W4, stride=0), match="stride"),
    case("conv2d-padding-negative", lambda: conv.conv2d(X4, W4, padding=-1), match="padding"),
    case("conv2d-padding-triple", lambda: conv.conv2d(X4, W4, padding=(1, 1, 1)),
         match="padding"),
    case("conv2d-bias-length", lambda: conv.conv2d(X4, W4, np.zeros(3)), match="b"),
    case("conv2d-bias-ragged", lambda: conv.conv2d(X4, W4, RAGGED), match="b"),
    case("conv2d-channel-mismatch", lambda: conv.conv2d(X4, W4[:, :2]), match="channel"),
    case("conv2d-complex", lambda: conv.conv2d(X4 + 1j, W4), match="x"),
    case("conv2d-empty", lambda: conv.conv2d(np.zeros((0, 3, 5, 5)), W4), match="empty"),
    case("conv2d-tensor-requires-grad",
         lambda: conv.conv2d(torch.ones(1, 3, 5, 5, requires_grad=True), W4), None),
    case("conv2d_naive-huge-padding", lambda: conv.conv2d_naive(X4, W4, padding=100000),
         match="padding"),
    case("conv2d_naive-too-many-loops",
         lambda: conv.conv2d_naive(np.zeros((1, 1, 1100, 1100)), np.ones((1, 1, 1, 1))),
         match="conv2d_naive"),
    case("conv2d_naive-stride-none", lambda: conv.conv2d_naive(X4, W4, stride=None),
         match="stride"),
    case("conv2d_backward-ragged-dout", lambda: conv.conv2d_backward(RAGGED, X4, W4),
         match="dout"),
    case("conv2d_backward-dout-shape", lambda: conv.conv2d_backward(np.zeros((2, 4, 2, 2)), X4,
                                                                    W4), match="dout"),
    case("conv2d_backward-foreign-cache", lambda: conv.conv2d_backward(
        np.zeros((2, 3, 2, 2)), pooling.pool2d_forward(X4)[1]), match="cache"),
    case("conv2d_backward-cache-and-w", lambda: conv.conv2d_backward(
        np.zeros((2, 4, 3, 3)), conv.conv2d_forward(X4, W4)[1], W4), match="cache"),
    case("conv2d_forward-channel-mismatch", lambda: conv.conv2d_forward(X4, W4[:, :2]),
         match="channel"),
    case("conv2d_forward-stride-zero", lambda: conv.conv2d_forward(X4, W4, stride=0),
         match="stride"),
    case("benchmark-repeats-zero", lambda: conv.benchmark_conv2d(repeats=0, verbose=False),
         match="repeats"),
    case("benchmark-number-string", lambda: conv.benchmark_conv2d(number="10", verbose=False),
         match="number"),
    case("benchmark-huge-shape",
         lambda: conv.benchmark_conv2d(shape=(8, 3, 10**5, 10**5), verbose=False), match="shape"),
    case("benchmark-shape-3d", lambda: conv.benchmark_conv2d(shape=(3, 32, 32), verbose=False),
         match="shape"),
    case("benchmark-pause-negative", lambda: conv.benchmark_conv2d(pause=-1, verbose=False),
         match="pause"),
    # --- pooling.py ------------------------------------------------------------------------------
    case("pool_output_size-pair-size", lambda: pooling.pool_output_size(7, (2, 3)), match="size"),
    case("pool_output_size-pair-stride", lambda: pooling.pool_output_size(7, 3, (1, 2)),
         match="stride"),
    case("pool_output_size-float-n", lambda: pooling.pool_output_size(7.0, 3), match="n"),
    case("pool_output_size-string-n", lambda: pooling.pool_output_size("7", 3), match="n"),
    case("pool_output_size-zero-n", lambda: pooling.pool_output_size(0, 1), match="n"),
    case("pool_output_size-window", lambda: pooling.pool_output_size(2, 3), match="window"),
    case("pool2d-ragged", lambda: pooling.pool2d(RAGGED), match="x"),
    case("pool2d-none", lambda: pooling.pool2d(None), match="x"),
    case("pool2d-strings", lambda: pooling.pool2d(np.array([["a", "b"], ["c", "d"]])), match="x"),
    case("pool2d-size-string", lambda: pooling.pool2d(GRID, "2"), match="size"),
    case("pool2d-size-zero", lambda: pooling.pool2d(GRID, 0), match="size"),
    case("pool2d-size-float", lambda: pooling.pool2d(GRID, 2.0), match="size"),
    case("pool2d-mode", lambda: pooling.pool2d(GRID, 2, mode="median"), match="mode"),
    case("pool2d-mode-none", lambda: pooling.pool2d(GRID, 2, mode=None), match="mode"),
    case("pool2d-padding-big", lambda: pooling.pool2d(GRID, 2, padding=5), match="padding"),
    case("pool2d-5d", lambda: pooling.pool2d(np.zeros((1, 1, 1, 4, 4))), match="x"),
    case("pool2d-huge-work", lambda: pooling.pool2d(np.zeros((2000, 2000)), 1000, 1),
         match="size"),
    case("pool2d-tensor-requires-grad",
         lambda: pooling.pool2d(torch.ones(4, 4, requires_grad=True)), None),
    case("pool2d_backward-ragged-dout", lambda: pooling.pool2d_backward(RAGGED, GRID),
         match="dout"),
    case("pool2d_backward-dout-shape", lambda: pooling.pool2d_backward(np.zeros((3, 3)), GRID),
         match="dout"),
    case("pool2d_backward-cache-and-size", lambda: pooling.pool2d_backward(
        np.zeros((2, 2)), pooling.pool2d_forward(GRID)[1], 3), match="cache"),
    case("pool2d_forward-mode", lambda: pooling.pool2d_forward(GRID, 2, mode="median"),
         match="mode"),
    case("pool2d_forward-ragged", lambda: pooling.pool2d_forward(RAGGED), match="x"),
    case("pool_output_size-padding-over-half", lambda: pooling.pool_output_size(5, 2, 2, 2),
         match="padding"),
    case("flatten_forward-1d", lambda: pooling.flatten_forward(np.zeros(3)), match="x"),
    case("flatten_backward-shape", lambda: pooling.flatten_backward(
        np.zeros((2, 3)), pooling.flatten_forward(np.zeros((2, 2, 2)))[1]), match="dout"),
    case("flatten_backward-no-cache", lambda: pooling.flatten_backward(np.zeros((2, 4)), (2, 4)),
         match="cache"),
    case("relu_forward-strings", lambda: pooling.relu_forward("a"), match="x"),
    case("relu_backward-shape", lambda: pooling.relu_backward(
        np.zeros(4), pooling.relu_forward(np.zeros(3))[1]), match="dout"),
    case("relu_backward-foreign-cache", lambda: pooling.relu_backward(
        np.zeros((2, 4)), pooling.flatten_forward(np.zeros((2, 4)))[1]), match="cache"),
    case("linear_forward-mismatch", lambda: pooling.linear_forward(np.zeros((2, 5)),
                                                                  np.zeros((3, 4))), match="w"),
    case("linear_backward-cache-and-w", lambda: pooling.linear_backward(
        np.zeros((2, 3)), pooling.linear_forward(np.zeros((2, 5)), np.zeros((3, 5)))[1],
        np.zeros((3, 5))), match="cache"),
    case("flatten-ragged", lambda: pooling.flatten(RAGGED), match="x"),
    case("flatten-1d", lambda: pooling.flatten(np.zeros(3)), match="x"),
    case("relu-string", lambda: pooling.relu("a"), match="x"),
    case("relu-none", lambda: pooling.relu(None), match="x"),
    case("linear-strings", lambda: pooling.linear(np.zeros((2, 2)), [["a", "b"]] * 3), match="w"),
    case("linear-ragged", lambda: pooling.linear(RAGGED, np.zeros((3, 2))), match="x"),
    case("linear-mismatch", lambda: pooling.linear(np.zeros((2, 5)), np.zeros((3, 4))),
         match="w"),
    case("linear-huge-output", lambda: pooling.linear(np.zeros((10**5, 1)), np.zeros((10**5, 1))),
         match="x and w"),
    case("linear-bias-ragged", lambda: pooling.linear(np.zeros((2, 2)), np.zeros((2, 2)),
                                                      RAGGED), match="b"),
    case("linear_backward-none", lambda: pooling.linear_backward(None, np.zeros((2, 2)),
                                                                 np.zeros((3, 2))), match="dz"),
    case("parameter_counts-string", lambda: pooling.parameter_counts("200"), match="side"),
    case("parameter_counts-float", lambda: pooling.parameter_counts(1.5), match="side"),
    case("parameter_counts-none", lambda: pooling.parameter_counts(None), match="side"),
    case("parameter_counts-zero-units", lambda: pooling.parameter_counts(28, units=0),
         match="units"),
    # --- rnn.py (recurrent layers) --------------------------------------------------------------
    case("rnn_forward-wrong-D", lambda: rnn.rnn_forward(np.zeros((2, 3, 6)), RH, *rnn_params(1)),
         match="x has D"),
    case("rnn_forward-2d-x", lambda: rnn.rnn_forward(np.zeros((3, 4)), RH, *rnn_params(1)),
         match="x must"),
    case("rnn_forward-h0-shape", lambda: rnn.rnn_forward(RX, np.zeros((2, 4)), *rnn_params(1)),
         match="h0"),
    case("rnn_forward-nonlinearity", lambda: rnn.rnn_forward(RX, RH, *rnn_params(1),
                                                             nonlinearity="gelu"),
         match="nonlinearity"),
    case("rnn_forward-huge", lambda: rnn.rnn_forward(
        np.broadcast_to(np.float32(0), (10**6, 100, 1)), None, np.zeros((5, 1)),
        np.zeros((5, 5))), match="values"),
    case("rnn_forward-string-weights", lambda: rnn.rnn_forward(RX, RH, "w", np.zeros((5, 5))),
         match="weight_ih"),
    case("rnn_backward-dh-shape", lambda: rnn.rnn_backward(
        np.zeros((2, 3)), rnn.rnn_forward(RX, RH, *rnn_params(1))[1]), match="dh_all"),
    case("rnn_backward-none-cache", lambda: rnn.rnn_backward(np.zeros((2, 3, 5)), None),
         match="cache"),
    case("rnn_step_forward-3d-x", lambda: rnn.rnn_step_forward(RX, RH, *rnn_params(1)),
         match="x_t"),
    case("rnn_step_forward-bias", lambda: rnn.rnn_step_forward(RX[:, 0], RH, *rnn_params(1)[:2],
                                                               np.zeros(4)), match="bias_ih"),
    case("rnn_step_backward-sequence-cache", lambda: rnn.rnn_step_backward(
        RH, rnn.rnn_forward(RX, RH, *rnn_params(1))[1]), match="cache"),
    case("rnn_jacobians-dict", lambda: rnn.rnn_jacobians({"h": RX}), match="cache"),
    case("to_concatenated-rows", lambda: rnn.to_concatenated(np.zeros((5, 4)), np.zeros((4, 4))),
         match="weight_hh"),
    case("to_concatenated-ragged", lambda: rnn.to_concatenated(RAGGED, np.zeros((2, 2))),
         match="weight_ih"),
    case("from_concatenated-input-size", lambda: rnn.from_concatenated(np.zeros((5, 9)), None, 9),
         match="input_size"),
    case("from_concatenated-string", lambda: rnn.from_concatenated(np.zeros((5, 9)), None, "4"),
         match="input_size"),
    case("rnn_step_concat-W", lambda: rnn.rnn_step_concat(RX[:, 0], RH, np.zeros((4, 9))),
         match="W must"),
    case("lstm_forward-rnn-weights", lambda: rnn.lstm_forward(RX, None, None, *rnn_params(1)),
         match="weight_hh"),
    case("lstm_forward-c0", lambda: rnn.lstm_forward(RX, RH, np.zeros(5), *rnn_params(4)),
         match="c0"),
    case("lstm_backward-gru-cache", lambda: rnn.lstm_backward(
        np.zeros((2, 3, 5)), rnn.gru_forward(RX, None, *rnn_params(3))[1]), match="cache"),
    case("lstm_step_forward-c_prev", lambda: rnn.lstm_step_forward(
        RX[:, 0], RH, np.zeros((3, 5)), *rnn_params(4)), match="c_prev"),
    case("lstm_step_backward-dc", lambda: rnn.lstm_step_backward(
        RH, rnn.lstm_step_forward(RX[:, 0], RH, RH, *rnn_params(4))[1], np.zeros(5)),
         match="dc_t"),
    case("gru_forward-bias_hh", lambda: rnn.gru_forward(RX, RH, *rnn_params(3)[:3], np.zeros(5)),
         match="bias_hh"),
    case("gru_forward-form", lambda: rnn.gru_forward(RX, RH, *rnn_params(3), form="cuDNN"),
         match="form"),
    case("gru_backward-lstm-cache", lambda: rnn.gru_backward(
        np.zeros((2, 3, 5)), rnn.lstm_forward(RX, None, None, *rnn_params(4))[1]), match="cache"),
    case("gru_step_forward-h_prev", lambda: rnn.gru_step_forward(RX[:, 0], np.zeros((2, 3)),
                                                                 *rnn_params(3)), match="h_prev"),
    case("gru_step_backward-none", lambda: rnn.gru_step_backward(
        None, rnn.gru_step_forward(RX[:, 0], RH, *rnn_params(3))[1]), match="dh_t"),
    case("gru_forms_agree-bias", lambda: rnn.gru_forms_agree(*rnn_params(3)[:3], np.zeros(4)),
         match="bias_hh"),
    case("gru_flip_update_gate-rnn-weights", lambda: rnn.gru_flip_update_gate(*rnn_params(1)),
         match="weight_hh"),
    # --- text (chapter 6: vocabularies, the character language model) ---------------------------
    case("CharVocab-from-bytes", lambda: text.CharVocab.from_text(b"abc"), match="text"),
    case("CharVocab-from-empty", lambda: text.CharVocab.from_text(""), match="text is empty"),
    case("CharVocab-repeated", lambda: text.CharVocab("aba"), match="chars"),
    case("CharVocab-encode-unknown", lambda: text.CharVocab("ab").encode("abc"),
         match="not in the vocabulary"),
    case("CharVocab-encode-policy", lambda: text.CharVocab("ab").encode("ab", unknown="unk"),
         match="unknown policy"),
    case("CharVocab-decode-range", lambda: text.CharVocab("ab").decode([0, 2]), match="ids"),
    case("CharVocab-decode-floats", lambda: text.CharVocab("ab").decode([0.5]), match="ids"),
    case("Vocab-special-word", lambda: text.Vocab(["<pad>"]), match="special"),
    case("Vocab-one-string", lambda: text.Vocab("a b"), match="words"),
    case("Vocab-min-count", lambda: text.Vocab.from_sentences(["a"], min_count=0),
         match="min_count"),
    case("Vocab-sentence-number", lambda: text.Vocab(["a"]).encode(5), match="sentence"),
    case("Vocab-encode-batch-empty", lambda: text.Vocab(["a"]).encode_batch([]),
         match="sentences"),
    case("Vocab-decode-range", lambda: text.Vocab(["a"]).decode([9]), match="ids"),
    case("CharLSTM-hidden-zero", lambda: text.CharLSTM(10, hidden=0), match="hidden"),
    case("CharLSTM-huge", lambda: text.CharLSTM(10, hidden=4000, embed=4000, layers=8),
         match="parameters"),
    case("next_char_probs-2d", lambda: text.next_char_probs(torch.zeros(2, 3)), match="logits"),
    case("next_char_probs-nan", lambda: text.next_char_probs(torch.tensor([0.0, float("nan")])),
         match="finite"),
    case("next_char_probs-negative-temperature", lambda: text.next_char_probs(
        torch.zeros(3), temperature=-1), match="temperature"),
    case("sample_next-top-k", lambda: text.sample_next(torch.zeros(3), top_k=-1), match="top_k"),
    case("sample_next-generator", lambda: text.sample_next(torch.zeros(3), generator=0),
         match="generator"),
    case("prompt_logits-vocab", lambda: text.prompt_logits(nn.Linear(2, 2), "abc"),
         match="vocab"),
    case("generate-model", lambda: text.generate("model", text.CharVocab("ab")), match="model"),
    case("generate-length", lambda: text.generate(text.CharLSTM(2), text.CharVocab("ab"),
                                                  length=10**7), match="length"),
    case("generate-prompt-none", lambda: text.generate(text.CharLSTM(2), text.CharVocab("ab"),
                                                       None), match="prompt"),
    case("text_logprob-empty-context", lambda: text.text_logprob(
        text.CharLSTM(2), text.CharVocab("ab"), "ab", ""), match="context"),
    case("text_logprob-unknown", lambda: text.text_logprob(
        text.CharLSTM(2), text.CharVocab("ab"), "abc"), match="not in the vocabulary"),
    case("char_nats-empty-text", lambda: text.char_nats(text.CharLSTM(2), text.CharVocab("ab"),
                                                         ""), match="text"),
    case("scramble-unit", lambda: text.scramble("a b", 0, unit="line"), match="unit"),
    case("held_out_play-title", lambda: text.held_out_play("abc", "HAMLET"), match="title"),
    case("save_char_lm-model", lambda: text.save_char_lm("x.pt", nn.Linear(2, 2),
                                                         text.CharVocab("ab"), {}), match="model"),
    case("char_lm_from_state-dict", lambda: text.char_lm_from_state({"a": 1}),
         match="checkpoint"),
    case("load_char_lm-damaged", lambda: in_data_dir(
        damaged_data(tmpdir("lm"), b"not a checkpoint", name=text.CHAR_LM_FILE),
        text.load_char_lm), data.DataIntegrityError, "char_lstm_shakespeare.pt"),
    case("check_sample_next-none", lambda: checks.check_sample_next(lambda *a: None),
         WrongAnswer, "integer id"),
    case("render_sampling-probs", lambda: viz.render_sampling(fig(), np.ones(3), "ab", "x"),
         match="probs"),
    case("render_surprisal-nats", lambda: viz.render_surprisal(fig(), ["ab"], [np.ones(3)]),
         match="nats"),
    case("temperature_explorer-vocab", lambda: widgets.temperature_explorer(
        text.CharLSTM(2), "ab"), match="vocab"),
    case("temperature_explorer-prompts", lambda: widgets.temperature_explorer(
        text.CharLSTM(2), text.CharVocab("ab"), prompts=[]), match="prompts"),
    # --- sequences (chapter 4: the adding problem, long-lag experiments) -------------------------
    case("adding_problem-T-one", lambda: sequences.adding_problem(4, 1), match="T"),
    case("adding_problem-n-float", lambda: sequences.adding_problem(2.5, 10), match="n"),
    case("adding_problem-seed-string", lambda: sequences.adding_problem(4, 10, seed="0"),
         match="seed"),
    case("adding_problem-huge", lambda: sequences.adding_problem(10**6, 10**3), match="values"),
    case("SequenceRegressor-cell", lambda: sequences.SequenceRegressor("transformer"),
         match="cell"),
    case("SequenceRegressor-hidden-zero", lambda: sequences.SequenceRegressor(hidden_size=0),
         match="hidden_size"),
    case("SequenceRegressor-lstm-relu", lambda: sequences.SequenceRegressor(
        "lstm", nonlinearity="relu"), match="nonlinearity"),
    case("SequenceRegressor-x-shape", lambda: sequences.SequenceRegressor(hidden_size=3)(
        torch.zeros(2, 5)), match="x must"),
    case("SequenceRegressor-x-numpy", lambda: sequences.SequenceRegressor(hidden_size=3)(
        np.zeros((2, 5, 2))), match="x must"),
    case("state_gradient_norms-model", lambda: sequences.state_gradient_norms(
        nn.Linear(2, 1), torch.zeros(2, 3, 2), torch.zeros(2)), match="model"),
    case("state_gradient_norms-y-shape", lambda: sequences.state_gradient_norms(
        sequences.SequenceRegressor(hidden_size=3), torch.zeros(2, 3, 2), torch.zeros(3)),
        match="y must"),
    case("RegressionStep-wrong-output", lambda: sequences.RegressionStep()(
        nn.Linear(2, 2), (torch.zeros(3, 2), torch.zeros(3)), {}), match="one number"),
    case("train_long_lag-cell", lambda: sequences.train_long_lag("cnn", 10, 0), match="cell"),
    case("train_long_lag-T", lambda: sequences.train_long_lag("rnn", 1, 0), match="T"),
    case("train_long_lag-seed", lambda: sequences.train_long_lag("rnn", 10, None),
         match="seed"),
    case("train_long_lag-lr", lambda: sequences.train_long_lag("rnn", 10, 0, lr=0),
         match="lr"),
    case("train_long_lag-clip", lambda: sequences.train_long_lag("rnn", 10, 0, clip=-1),
         match="clip"),
    case("train_long_lag-huge", lambda: sequences.train_long_lag("rnn", 10**4, 0,
                                                                 steps=10**3), match="steps"),
    case("long_lag_sweep-empty", lambda: sequences.long_lag_sweep(Ts=()), match="Ts"),
    case("long_lag_sweep-too-many", lambda: sequences.long_lag_sweep(
        Ts=range(2, 100), seeds=range(5)), match="runs"),
    case("success_rate-not-results", lambda: sequences.success_rate([1, 2]), match="results"),
    case("success_rate-threshold", lambda: sequences.success_rate(
        [long_lag_result()], threshold="0.05"), match="threshold"),
    case("format_sweep-empty", lambda: sequences.format_sweep([]), match="results"),
    case("recurrent_init-model", lambda: sequences.recurrent_init(nn.RNN(2, 3), 1.0, 0),
         match="model"),
    case("recurrent_init-scale", lambda: sequences.recurrent_init(
        sequences.SequenceRegressor(hidden_size=3), -1.0, 0), match="weight_scale"),
    case("set_forget_bias-model", lambda: sequences.set_forget_bias(nn.LSTM(2, 3), 1.0),
         match="model"),
    case("set_forget_bias-cell", lambda: sequences.set_forget_bias(
        sequences.SequenceRegressor("gru", hidden_size=3), 1.0), match="forget_bias"),
    case("train_long_lag-forget_bias-cell", lambda: sequences.train_long_lag(
        "rnn", 10, 0, forget_bias=1.0), match="forget_bias"),
    case("orthogonal_matrix-size", lambda: sequences.orthogonal_matrix(0), match="size"),
    case("orthogonal_matrix-huge", lambda: sequences.orthogonal_matrix(10**5), match="size"),
    case("jacobian_product_norms-nonlinearity", lambda: sequences.jacobian_product_norms(
        "gelu", 1.0, 10), match="nonlinearity"),
    case("jacobian_product_norms-lambda1", lambda: sequences.jacobian_product_norms(
        "tanh", 0.0, 10), match="lambda1"),
    case("jacobian_product_norms-huge", lambda: sequences.jacobian_product_norms(
        "tanh", 1.0, 10**4, hidden_size=1000), match="values"),
    case("bptt_terms-dh-shape", lambda: sequences.bptt_terms(
        np.zeros((2, 3, 1)), None, np.zeros((4, 1)), np.zeros((4, 4)), dh_last=np.zeros((2, 5))),
        match="dh_last"),
    case("bptt_terms-x-2d", lambda: sequences.bptt_terms(
        np.zeros((3, 1)), None, np.zeros((4, 1)), np.zeros((4, 4))), match="x must"),
    case("render_jacobian_norms-empty", lambda: viz.render_jacobian_norms(fig(), {}),
         match="panels"),
    case("render_jacobian_norms-not-norms", lambda: viz.render_jacobian_norms(
        fig(), {"tanh": {"a": [1, 2]}}), match="JacobianNorms"),
    case("render_vanishing-T", lambda: viz.render_vanishing(fig(), "tanh", 1.0, 0), match="T"),
    case("render_vanishing-lambda1", lambda: viz.render_vanishing(fig(), "tanh", "big"),
         match="lambda1"),
    case("render_bptt_terms-short", lambda: viz.render_bptt_terms(fig(), [1.0]),
         match="term_norms"),
    case("render_bptt_terms-negative", lambda: viz.render_bptt_terms(fig(), [1.0, -2.0]),
         match="term_norms"),
    case("render_state_gradients-empty", lambda: viz.render_state_gradients(fig(), {}),
         match="curves"),
    case("render_state_gradients-2d", lambda: viz.render_state_gradients(
        fig(), {"rnn": np.ones((2, 3))}), match="curves"),
    case("render_clipping-not-runs", lambda: viz.render_clipping(fig(), {"a": [1.0]}),
         match="LongLagResult"),
    case("render_success-table", lambda: viz.render_success(fig(), {"rnn": 1.0}),
         match="table"),
    case("vanishing_explorer-hidden", lambda: widgets.vanishing_explorer(hidden_size=0),
         match="hidden_size"),
    case("check_step_jacobian-transposed", lambda: checks.check_step_jacobian(
        lambda x, h, wi, wr, b: (np.diag(1 - np.tanh(wi @ x + wr @ h + b) ** 2) @ wr).T),
        WrongAnswer, "H=3"),
    case("check_vanishing_rule-less-equal", lambda: checks.check_vanishing_rule(
        lambda lam, nl: {"sigmoid": 0.25}.get(nl, 1.0) * lam <= 1), WrongAnswer, "lambda1=1.0"),
    case("check_bptt_step-no-derivative", lambda: checks.check_bptt_step(
        lambda dh, h, hp, w: (dh @ w, dh.T @ hp)), WrongAnswer, "dh_prev"),
    # --- train.py: fit ---------------------------------------------------------------------------
    case("fit-lr-inf", lambda: fit1(lr=float("inf")), match="lr"),
    case("fit-lr-nan", lambda: fit1(lr=float("nan")), match="lr"),
    case("fit-lr-string", lambda: fit1(lr="0.1"), match="lr"),
    case("fit-lr-zero", lambda: fit1(lr=0), match="lr"),
    case("fit-nan-inputs", lambda: fit1((with_nan(pair()[0]), pair()[1])), match="X"),
    case("fit-inf-test-inputs", lambda: fit1(test=(pair()[0] * float("inf"), pair()[1])),
         match="X"),
    case("fit-labels-too-big", lambda: fit1(pair(classes=5)), match="label"),
    case("fit-labels-negative", lambda: fit1((pair()[0], pair()[1] - 1)), match="label"),
    case("fit-test-labels-too-big", lambda: fit1(test=pair(classes=3)), match="label"),
    case("fit-float64-inputs", lambda: fit1(pair(dtype=torch.float64)), None),
    case("fit-device-gpu", lambda: fit1(device="gpu"), match="device"),
    case("fit-device-number", lambda: fit1(device=3.5), match="device"),
    case("fit-device-cuda-missing", lambda: fit1(device="cuda") if not torch.cuda.is_available()
         else (_ for _ in ()).throw(ValueError("device: CUDA is here, nothing to check")),
         match="device"),
    case("fit-max-steps-negative", lambda: fit1(max_steps=-1), match="max_steps"),
    case("fit-max-steps-string", lambda: fit1(max_steps="3"), match="max_steps"),
    case("fit-max-steps-float", lambda: fit1(max_steps=2.5), match="max_steps"),
    case("fit-callback-not-callable", lambda: fit1(callback=5), match="callback"),
    case("fit-scheduler-not-callable", lambda: fit1(scheduler="step"), match="scheduler"),
    case("fit-loss_fn-not-callable", lambda: fit1(loss_fn="mse"), match="loss_fn"),
    case("fit-optimizer-instance", lambda: fit1(optimizer=torch.optim.SGD(sgd_params(), lr=0.1)),
         match="optimizer"),
    case("fit-epochs-zero", lambda: fit1(epochs=0), match="epochs"),
    case("fit-epochs-string", lambda: fit1(epochs="3"), match="epochs"),
    case("fit-batch_size-zero", lambda: fit1(batch_size=0), match="batch_size"),
    case("fit-momentum-one", lambda: fit1(momentum=1.5), match="momentum"),
    case("fit-momentum-string", lambda: fit1(momentum="0.9"), match="momentum"),
    case("fit-weight_decay-negative", lambda: fit1(weight_decay=-1), match="weight_decay"),
    case("fit-weight_decay-nan", lambda: fit1(weight_decay=float("nan")), match="weight_decay"),
    case("fit-seed-string", lambda: fit1(seed="0"), match="seed"),
    case("fit-model-none", lambda: train.fit(None, pair(), progress=False, device="cpu"),
         match="model"),
    case("fit-train-tensor", lambda: fit1(pair()[0]), match="train"),
    case("fit-train-numpy-pair", lambda: fit1((np.zeros((4, 2)), np.zeros(4, int))),
         match="train"),
    case("fit-train-length-mismatch", lambda: fit1((pair()[0], pair()[1][:5])), match="train"),
    case("fit-labels-float", lambda: fit1((pair()[0], pair()[1].float())), match="y"),
    case("fit-model-rejects-shape", lambda: fit1((torch.zeros(4, 3), torch.zeros(4).long())),
         match="model"),
    case("fit-augment-not-callable", lambda: fit1(augment=True), match="augment"),
    # --- train.py: evaluate, predict, batches, augmentation --------------------------------------
    case("evaluate-labels-too-big", lambda: train.evaluate(nn.Linear(2, 2), pair(classes=4),
                                                           device="cpu"), match="label"),
    case("evaluate-device-gpu", lambda: train.evaluate(nn.Linear(2, 2), pair(), device="gpu"),
         match="device"),
    case("evaluate-float64", lambda: train.evaluate(nn.Linear(2, 2), pair(dtype=torch.float64),
                                                    device="cpu"), None),
    case("evaluate-batch_size-zero", lambda: train.evaluate(nn.Linear(2, 2), pair(), "cpu", 0),
         match="batch_size"),
    case("predict-numpy", lambda: train.predict(nn.Linear(2, 2), np.zeros((3, 2)), device="cpu"),
         match="X"),
    case("predict-device-gpu", lambda: train.predict(nn.Linear(2, 2), pair()[0], device="gpu"),
         match="device"),
    case("predict-float64", lambda: train.predict(nn.Linear(2, 2), pair(dtype=torch.float64)[0],
                                                  device="cpu"), None),
    case("batches-batch_size-zero", lambda: list(train.batches(pair(), 0, "cpu")),
         match="batch_size"),
    case("batches-batch_size-string", lambda: list(train.batches(pair(), "8", "cpu")),
         match="batch_size"),
    case("random_shift-numpy", lambda: train.random_shift(np.zeros((2, 1, 4, 4))), match="x"),
    case("random_shift-huge", lambda: train.random_shift(torch.zeros(2, 1, 4, 4), 10**5),
         match="max_shift"),
    case("random_shift-3d", lambda: train.random_shift(torch.zeros(1, 4, 4)), match="images"),
    case("affine-angle-string", lambda: train.affine_images(torch.zeros(1, 1, 4, 4), "a", 1.0,
                                                            (0, 0)), match="angle"),
    case("affine-scale-nan", lambda: train.affine_images(torch.zeros(1, 1, 4, 4), 0.0,
                                                         float("nan"), (0, 0)), match="scale"),
    case("affine-scale-zero", lambda: train.affine_images(torch.zeros(1, 1, 4, 4), 0.0, 0.0,
                                                          (0, 0)), match="scale"),
    case("random_affine-string", lambda: train.random_affine(torch.zeros(1, 1, 4, 4),
                                                             max_shift="2"), match="max_shift"),
    case("random_affine-nan", lambda: train.random_affine(torch.zeros(1, 1, 4, 4),
                                                          max_rotation=float("nan")),
         match="max_rotation"),
    case("confusion-huge-label", lambda: train.confusion_matrix([100000], [0]), match="classes"),
    case("confusion-huge-num_classes", lambda: train.confusion_matrix([1], [0], 10**6),
         match="num_classes"),
    case("confusion-float-labels", lambda: train.confusion_matrix([0.5, 1], [0, 1]),
         match="labels"),
    case("confusion-string-labels", lambda: train.confusion_matrix(["a"], ["b"]),
         match="labels"),
    case("confusion-nan-predictions", lambda: train.confusion_matrix([1], [float("nan")]),
         match="predictions"),
    case("confusion-length-mismatch", lambda: train.confusion_matrix([1, 2], [1]),
         match="predictions"),
    case("confusion-num_classes-string", lambda: train.confusion_matrix([1], [0], "3"),
         match="num_classes"),
    # --- train/experiments.py (notebook 06) -------------------------------------------------------
    case("weight_norm-none", lambda: train.weight_norm(None), match="model"),
    case("twin_sgd_runs-lrs-empty", lambda: train.twin_sgd_runs(lambda: nn.Linear(2, 2), pair(),
                                                                []), match="lrs"),
    case("twin_sgd_runs-lrs-string", lambda: train.twin_sgd_runs(lambda: nn.Linear(2, 2), pair(),
                                                                 "0.1"), match="lrs"),
    case("twin_sgd_runs-make_model-module", lambda: train.twin_sgd_runs(nn.Linear(2, 2), pair(),
                                                                        [0.1]),
         match="make_model"),
    case("twin_sgd_runs-data-numpy", lambda: train.twin_sgd_runs(lambda: nn.Linear(2, 2),
                                                                 np.zeros((3, 2)), [0.1]),
         match="data"),
    case("sgd_experiment-momentum-one", lambda: train.sgd_experiment(
        lambda: nn.Linear(2, 2), pair(), momentum=1.0, device="cpu"), match="momentum"),
    case("sgd_experiment-lr-zero", lambda: train.sgd_experiment(
        lambda: nn.Linear(2, 2), pair(), lr=0, device="cpu"), match="lr"),
    case("format_runs-empty", lambda: train.format_runs({}), match="runs"),
    case("format_runs-not-history", lambda: train.format_runs({"a": 1}), match="History"),
    case("confusion-num_classes-zero", lambda: train.confusion_matrix([], [], 0),
         match="num_classes"),
    case("confusion-ragged", lambda: train.confusion_matrix(RAGGED, [1, 2]), match="labels"),
    case("momentum_path-huge-steps", lambda: train.momentum_path("ravine", (0, 0), 0.1,
                                                                 steps=10**9), match="steps"),
    case("momentum_path-start-3", lambda: train.momentum_path("ravine", (1, 2, 3), 0.1),
         match="start"),
    case("momentum_path-start-string", lambda: train.momentum_path("ravine", "ab", 0.1),
         match="start"),
    case("momentum_path-lr-string", lambda: train.momentum_path("ravine", (0, 0), "0.1"),
         match="lr"),
    case("momentum_path-noise-string", lambda: train.momentum_path("ravine", (0, 0), 0.1,
                                                                   noise="x"), match="noise"),
    case("momentum_path-seed-negative", lambda: train.momentum_path("ravine", (0, 0), 0.1,
                                                                    noise=1.0, seed=-1),
         match="seed"),
    case("momentum_path-surface", lambda: train.momentum_path("valley", (0, 0), 0.1),
         match="surface"),
    case("surface_loss-strings", lambda: train.surface_loss("ravine", "a", 1), match="x"),
    case("surface_loss-shapes", lambda: train.surface_loss("ravine", np.zeros(2), np.zeros(3)),
         match="x and y"),
    case("surface_grad-ragged", lambda: train.surface_grad("ravine", RAGGED, 1), match="x"),
    case("alexnet_sgd-weight_decay-inf", lambda: train.AlexNetSGD(sgd_params(), lr=0.1,
                                                                  weight_decay=float("inf")),
         match="weight_decay"),
    case("alexnet_sgd-lr-inf", lambda: train.AlexNetSGD(sgd_params(), lr=float("inf")),
         match="lr"),
    case("history-unknown-metric", lambda: train.History().append(acc=1.0), match="metrics"),
    case("history-best-empty", lambda: train.History().best("test_acc"), match="test_acc"),
    case("history-best-bogus", lambda: train.History().best("bogus"), match="metric"),
    case("fit-step-and-loss_fn", lambda: fit1(step=train.ClassifierStep(),
                                              loss_fn=nn.functional.cross_entropy),
         match="loss_fn or step"),
    case("fit-step-not-callable", lambda: fit1(step="sequence"), match="step"),
    case("fit-step-returns-float", lambda: fit1(step=lambda m, b, s: 1.0), match="StepOutput"),
    case("fit-step-returns-vector-loss", lambda: fit1(
        step=lambda m, b, s: train.StepOutput(m(b[0]).sum(1), len(b[0]))), match="scalar"),
    case("fit-clip-negative", lambda: fit1(clip_grad_norm=-1.0), match="clip_grad_norm"),
    case("fit-clip-string", lambda: fit1(clip_grad_norm="1"), match="clip_grad_norm"),
    case("fit-shuffle-string", lambda: fit1(shuffle="no"), match="shuffle"),
    case("fit-carry-state-shuffled", lambda: fit1(
        train.sequence_pairs(torch.arange(41) % 5, 2, 4), model=nn.Embedding(5, 5),
        step=train.SequenceStep(carry_state=True)), match="shuffle=False"),
    case("fit-callback-returns-list", lambda: fit1(callback=lambda m, r: [1.0]),
         match="callback"),
    case("fit-callback-metric-name", lambda: fit1(callback=lambda m, r: {"bleu": 1.0}),
         match="callback metrics"),
    case("sequence_step-targets-1d", lambda: fit1((torch.zeros(4, 3).long(), torch.zeros(4).long()),
                                                  model=nn.Embedding(5, 5),
                                                  step=train.SequenceStep()), match="(N, T)"),
    case("sequence_step-logits-shape", lambda: fit1(
        (torch.zeros(4, 3).long(), torch.zeros(4, 3).long()),
        model=nn.Sequential(nn.Embedding(5, 5), nn.Flatten()), step=train.SequenceStep()),
         match="logits"),
    case("fit-step-model-rejects-batch", lambda: fit1(
        (torch.zeros(4, 3).long(), torch.zeros(4, 3).long()), model=nn.Linear(3, 5),
        step=train.SequenceStep()), match="first train batch"),
    case("sequence_step-carry-string", lambda: train.SequenceStep(carry_state="yes"),
         match="carry_state"),
    case("sequence_step-ignore-float", lambda: train.ClassifierStep(loss_fn="ce"),
         match="loss_fn"),
    case("sequence_pairs-too-short", lambda: train.sequence_pairs(torch.arange(8), 2, 4),
         match="too few"),
    case("sequence_pairs-float", lambda: train.sequence_pairs(torch.rand(100), 2, 4),
         match="integer"),
    case("sequence_pairs-seq_len-zero", lambda: train.sequence_pairs(torch.arange(100), 2, 0),
         match="seq_len"),
    case("bleu-strings", lambda: train.bleu(["a b"], [["a b"]]), match="candidates"),
    case("bleu-lengths", lambda: train.bleu([["a"]], []), match="references"),
    case("bleu-empty", lambda: train.bleu([], []), match="empty"),
    case("bleu-reference-string", lambda: train.bleu([["a"]], [["a"]]), match="references"),
    case("bleu-max_n-zero", lambda: train.bleu([["a"]], [[["a"]]], max_n=0), match="max_n"),
    case("step_output-in-evaluate", lambda: train.evaluate(
        nn.Linear(2, 2), pair(), "cpu", step=lambda m, b, s: train.StepOutput(1.0, 2)),
         match="scalar"),
    # --- viz.py: renderers -----------------------------------------------------------------------
    case("digit-batch-n1hw", lambda: viz.render_digit(fig(), IMAGES[:, None], LABELS),
         match="images"),
    case("digit-labels-short", lambda: viz.render_digit(fig(), IMAGES, LABELS[:2], index=3),
         match="labels"),
    case("digit-index-string", lambda: viz.render_digit(fig(), IMAGES, LABELS, index="3"),
         match="index"),
    case("digit-row-string", lambda: viz.render_digit(fig(), IMAGES, LABELS, row="10"),
         match="row"),
    case("digit-index-out-of-range", lambda: viz.render_digit(fig(), IMAGES, LABELS, index=99),
         match="index"),
    case("digit-size-zero", lambda: viz.render_digit(fig(), IMAGES, LABELS, size=0),
         match="size"),
    case("digit-images-list", lambda: viz.render_digit(fig(), [[1, 2]], [1]), match="images"),
    case("digit_grid-too-many", lambda: viz.render_digit_grid(
        fig(), np.zeros((100000, 2, 2)), np.zeros(100000, int)), match="images"),
    case("digit_grid-labels-short", lambda: viz.render_digit_grid(fig(), IMAGES, LABELS[:2]),
         match="labels"),
    case("digit_grid-ncols-string", lambda: viz.render_digit_grid(fig(), IMAGES, LABELS,
                                                                  ncols="10"), match="ncols"),
    case("digit_grid-n1hw", lambda: viz.render_digit_grid(fig(), IMAGES[:, None], LABELS),
         match="images"),
    case("digit_grid-predictions-short", lambda: viz.render_digit_grid(
        fig(), IMAGES, LABELS, predictions=[1]), match="predictions"),
    case("digit_grid-empty", lambda: viz.render_digit_grid(fig(), IMAGES[:0], LABELS[:0]),
         match="images"),
    case("image_channels-gray", lambda: viz.render_image_channels(fig(), np.zeros((4, 4))),
         match="image"),
    case("image_channels-ragged", lambda: viz.render_image_channels(fig(), RAGGED),
         match="image"),
    case("pooling-ragged", lambda: viz.render_pooling(fig(), RAGGED), match="x"),
    case("pooling-strings", lambda: viz.render_pooling(fig(), "abc"), match="x"),
    case("pooling-size-string", lambda: viz.render_pooling(fig(), GRID, size="2"), match="size"),
    case("pooling-window-string", lambda: viz.render_pooling(fig(), GRID, window="1"),
         match="window"),
    case("pooling-stride-none", lambda: viz.render_pooling(fig(), GRID, stride=None),
         match="stride"),
    case("pooling-huge-grid", lambda: viz.render_pooling(fig(), np.zeros((1000, 1000))),
         match="x"),
    case("pooling-window-zero", lambda: viz.render_pooling(fig(), GRID, window=0),
         match="window"),
    case("param_growth-huge-max_side", lambda: viz.render_param_growth(fig(), max_side=10**8),
         match="max_side"),
    case("param_growth-channels-string", lambda: viz.render_param_growth(fig(), channels="3"),
         match="channels"),
    case("param_growth-max_side-string", lambda: viz.render_param_growth(fig(), max_side="256"),
         match="max_side"),
    case("param_growth-marks-strings", lambda: viz.render_param_growth(fig(), marks=["a"]),
         match="marks"),
    case("param_growth-kernel-zero", lambda: viz.render_param_growth(fig(), kernel=0),
         match="kernel"),
    case("flashlight-step-string", lambda: viz.render_flashlight(fig(), GRID, np.ones((2, 2)),
                                                                 step="0"), match="step"),
    case("flashlight-step-negative", lambda: viz.render_flashlight(fig(), GRID, np.ones((2, 2)),
                                                                   step=-1), match="step"),
    case("flashlight-huge-image", lambda: viz.render_flashlight(fig(), np.zeros((500, 500)),
                                                                np.ones((3, 3))), match="image"),
    case("flashlight-kernel-1d", lambda: viz.render_flashlight(fig(), GRID, np.ones(3)),
         match="kernel"),
    case("flashlight-ragged", lambda: viz.render_flashlight(fig(), RAGGED, np.ones((1, 1))),
         match="image"),
    case("feature_map-ragged", lambda: viz.render_feature_map(fig(), RAGGED, np.ones((3, 3))),
         match="image"),
    case("feature_map-kernel-big", lambda: viz.render_feature_map(fig(), PHOTO,
                                                                  np.ones((16, 16))),
         match="kernel"),
    case("feature_map-kernel-nan", lambda: viz.render_feature_map(fig(), PHOTO,
                                                                  np.full((3, 3), np.nan)),
         match="kernel"),
    case("feature_map-rgba", lambda: viz.render_feature_map(fig(), np.zeros((4, 4, 4)),
                                                            np.ones((3, 3))), match="image"),
    case("stride_padding-huge-n", lambda: viz.render_stride_padding(fig(), n=10**5),
         match="n"),
    case("stride_padding-n-string", lambda: viz.render_stride_padding(fig(), n="7"), match="n"),
    case("stride_padding-huge-p", lambda: viz.render_stride_padding(fig(), p=10**5),
         match="p"),
    case("activation_maps-ragged", lambda: viz.render_activation_maps(fig(), PHOTO, [RAGGED],
                                                                      ["a"]), match="maps"),
    case("activation_maps-empty", lambda: viz.render_activation_maps(
        fig(), PHOTO, np.zeros((0, 3, 3)), []), match="maps"),
    case("activation_maps-names-none", lambda: viz.render_activation_maps(
        fig(), PHOTO, np.zeros((2, 3, 3)), None), match="names"),
    case("activation_maps-names-short", lambda: viz.render_activation_maps(
        fig(), PHOTO, np.zeros((2, 3, 3)), ["a"]), match="names"),
    case("activation_maps-too-many", lambda: viz.render_activation_maps(
        fig(), PHOTO, np.zeros((5000, 2, 2)), ["a"] * 5000), match="maps"),
    case("kernel_gallery-empty-kernels", lambda: viz.render_kernel_gallery(fig(), {"p": PHOTO},
                                                                           []), match="kernels"),
    case("kernel_gallery-kernels-string", lambda: viz.render_kernel_gallery(fig(), {"p": PHOTO},
                                                                            "sobel x"),
         match="kernels"),
    case("kernel_gallery-unknown", lambda: viz.render_kernel_gallery(fig(), {"p": PHOTO},
                                                                     ["bogus"]), match="kernel"),
    case("kernel_gallery-images-list", lambda: viz.render_kernel_gallery(fig(), [PHOTO],
                                                                         ["sobel x"]),
         match="images"),
    case("kernel_gallery-image-ragged", lambda: viz.render_kernel_gallery(fig(), {"p": RAGGED},
                                                                          ["sobel x"]),
         match="images"),
    case("history-empty", lambda: viz.render_history(fig(), {}), match="histories"),
    case("history-metric", lambda: viz.render_history(fig(), fake_history(), ["loss"]),
         match="metrics"),
    case("history-smooth-string", lambda: viz.render_history(fig(), fake_history(),
                                                             smooth="3"), match="smooth"),
    case("history-not-a-history", lambda: viz.render_history(fig(), {"a": 5}),
         match="histories"),
    case("feature_maps-labels-short", lambda: viz.render_feature_maps(
        fig(), IMAGES, {"C1": np.zeros((5, 2, 3, 3))}, LABELS[:1], index=2, layers=["C1"]),
         match="labels"),
    case("feature_maps-index-string", lambda: viz.render_feature_maps(
        fig(), IMAGES, {"C1": np.zeros((5, 2, 3, 3))}, index="0", layers=["C1"]),
         match="index"),
    case("feature_maps-n1hw", lambda: viz.render_feature_maps(
        fig(), IMAGES[:, None], {"C1": np.zeros((5, 2, 3, 3))}, layers=["C1"]),
         match="images"),
    case("feature_maps-maps-short", lambda: viz.render_feature_maps(
        fig(), IMAGES, {"C1": np.zeros((1, 2, 3, 3))}, index=3, layers=["C1"]), match="maps"),
    case("feature_maps-unknown-layer", lambda: viz.render_feature_maps(
        fig(), IMAGES, {"C1": np.zeros((5, 2, 3, 3))}, layers=["C9"]), match="layers"),
    case("confusion-render-num_classes-huge", lambda: viz.render_confusion(fig(), [1], [0],
                                                                           num_classes=10**6),
         match="num_classes"),
    case("confusion-render-num_classes-string", lambda: viz.render_confusion(
        fig(), [1], [0], num_classes="10"), match="num_classes"),
    case("confusion-render-names", lambda: viz.render_confusion(fig(), [1], [0], 3, ["a"]),
         match="class_names"),
    case("misclassified-max_n-string", lambda: viz.render_misclassified(
        fig(), IMAGES, LABELS, LABELS[::-1], max_n="5"), match="max_n"),
    case("misclassified-length-mismatch", lambda: viz.render_misclassified(
        fig(), IMAGES, LABELS, LABELS[:3]), match="predictions"),
    case("misclassified-confidence-short", lambda: viz.render_misclassified(
        fig(), IMAGES, LABELS, LABELS[::-1], confidence=[0.5]), match="confidence"),
    case("misclassified-images-short", lambda: viz.render_misclassified(
        fig(), IMAGES[:1], LABELS, LABELS[::-1]), match="images"),
    case("misclassified-none-wrong", lambda: viz.render_misclassified(fig(), IMAGES, LABELS,
                                                                      LABELS), match="misclass"),
    case("momentum-huge-steps", lambda: viz.render_momentum(fig(), steps=10**9), match="steps"),
    case("momentum-lr-string", lambda: viz.render_momentum(fig(), lr="0.1"), match="lr"),
    case("momentum-surface", lambda: viz.render_momentum(fig(), "valley"), match="surface"),
    case("momentum-start-nan", lambda: viz.render_momentum(fig(), start_x=float("nan")),
         match="start"),
    case("momentum-noise-negative", lambda: viz.render_momentum(fig(), noise=-1),
         match="noise"),
    case("param_bars-empty", lambda: viz.render_param_bars(fig(), {}), match="summaries"),
    case("param_bars-rows-ints", lambda: viz.render_param_bars(fig(), {"a": [1, 2]}),
         match="summaries"),
    case("param_bars-not-a-dict", lambda: viz.render_param_bars(fig(), [1, 2]),
         match="summaries"),
    case("grad_norms-strings", lambda: viz.render_grad_norms(fig(), {"a": "abc"}), match="norms"),
    case("grad_norms-ragged", lambda: viz.render_grad_norms(fig(), {"a": RAGGED}),
         match="norms"),
    case("grad_norms-empty", lambda: viz.render_grad_norms(fig(), {}), match="norms"),
    case("depth_gradients-numpy", lambda: viz.render_depth_gradients(
        fig(), np.zeros((2, 1, 8, 8)), np.zeros(2, int)), match="X"),
    case("depth_gradients-depth-string", lambda: viz.render_depth_gradients(
        fig(), torch.zeros(2, 1, 8, 8), torch.zeros(2).long(), depth="20"), match="depth"),
    case("depth_gradients-depth-huge", lambda: viz.render_depth_gradients(
        fig(), torch.zeros(2, 1, 8, 8), torch.zeros(2).long(), depth=10**6), match="depth"),
    case("depth_gradients-width-huge", lambda: viz.render_depth_gradients(
        fig(), torch.zeros(2, 1, 8, 8), torch.zeros(2).long(), width=10**6), match="width"),
    case("depth_gradients-3d", lambda: viz.render_depth_gradients(
        fig(), torch.zeros(2, 8, 8), torch.zeros(2).long()), match="X"),
    case("depth_gradients-labels-out-of-range", lambda: viz.render_depth_gradients(
        fig(), torch.zeros(2, 1, 8, 8), torch.tensor([0, 99])), match="y"),
    # --- widgets.py ------------------------------------------------------------------------------
    case("slider-min-above-max", lambda: widgets.slider("a", 5, 1), match="max"),
    case("slider-string", lambda: widgets.slider("a", "0", 10), match="min"),
    case("slider-value-outside", lambda: widgets.slider("a", 0, 10, 20), match="value"),
    case("fslider-nan", lambda: widgets.fslider("a", 0.0, float("nan")), match="max"),
    case("choice-empty", lambda: widgets.choice("a", []), match="options"),
    case("choice-value-missing", lambda: widgets.choice("a", [1, 2], 3), match="value"),
    case("toggle-string", lambda: widgets.toggle("a", "yes"), match="value"),
    case("app-render-not-callable", lambda: widgets.app(5), match="render"),
    case("app-control-not-widget", lambda: widgets.app(lambda fig, k: None, k=5),
         match="controls"),
    case("render_png-figsize-negative", lambda: widgets.render_png(lambda fig: None,
                                                                   figsize=(-1, 4)),
         match="figsize"),
    case("render_png-dpi-huge", lambda: widgets.render_png(lambda fig: None, dpi=10**5),
         match="dpi"),
    case("app-set-unknown", lambda: widgets.pooling_explorer().set(bogus=1), match="controls"),
    case("digit_explorer-mnist_tensors", lambda: widgets.digit_explorer(
        torch.zeros(5, 1, 28, 28), torch.zeros(5).long()), match="images"),
    case("digit_explorer-labels-short", lambda: widgets.digit_explorer(IMAGES, LABELS[:2]),
         match="labels"),
    case("digit_explorer-list", lambda: widgets.digit_explorer([[1, 2]], [1]), match="images"),
    case("digit_explorer-tiny-images", lambda: widgets.digit_explorer(IMAGES[:, :6, :6], LABELS),
         match="images"),
    case("pooling_explorer-list", lambda: widgets.pooling_explorer([[1, 2], [3, 4]]), None),
    case("pooling_demo_grid-huge", lambda: widgets.pooling_demo_grid(shape=(10**5, 10**5)),
         match="shape"),
    case("pooling_demo_grid-seed", lambda: widgets.pooling_demo_grid(seed=-1), match="seed"),
    case("pooling_explorer-1d", lambda: widgets.pooling_explorer(np.zeros(5)), match="x"),
    case("pooling_explorer-huge", lambda: widgets.pooling_explorer(np.zeros((1000, 1000))),
         match="x"),
    case("pooling_explorer-ragged", lambda: widgets.pooling_explorer(RAGGED), match="x"),
    case("flashlight_explorer-no-kernels", lambda: widgets.flashlight_explorer(kernels=[]),
         match="kernels"),
    case("flashlight_explorer-unknown-kernel", lambda: widgets.flashlight_explorer(
        kernels=["bogus"]), match="kernel"),
    case("flashlight_explorer-list-image", lambda: widgets.flashlight_explorer(
        [[0, 1, 2], [3, 4, 5], [6, 7, 8]]), None),
    case("flashlight_explorer-tiny-image", lambda: widgets.flashlight_explorer(np.zeros((2, 2))),
         match="image"),
    case("flashlight_explorer-kernel-8x8", lambda: widgets.flashlight_explorer(
        kernels={"big": np.ones((8, 8))}), match="kernels"),
    case("flashlight_explorer-kernel-strings", lambda: widgets.flashlight_explorer(
        kernels={"a": "abc"}), match="kernels"),
    case("kernel_playground-list", lambda: widgets.kernel_playground([PHOTO]), match="images"),
    case("kernel_playground-empty", lambda: widgets.kernel_playground({}), match="images"),
    case("kernel_playground-ragged", lambda: widgets.kernel_playground({"a": RAGGED}),
         match="images"),
    case("kernel_playground-preset", lambda: widgets.kernel_playground({"a": PHOTO}, "sobel"),
         match="preset"),
    case("stride_padding_explorer-n_max-small", lambda: widgets.stride_padding_explorer(n_max=2),
         match="n_max"),
    case("stride_padding_explorer-string", lambda: widgets.stride_padding_explorer(f_max="7"),
         match="f_max"),
    case("stride_padding_explorer-huge", lambda: widgets.stride_padding_explorer(n_max=10**6),
         match="n_max"),
    case("feature_map_explorer-empty", lambda: widgets.feature_map_explorer({}, torch.zeros(
        2, 1, 32, 32)), match="models"),
    case("feature_map_explorer-numpy", lambda: widgets.feature_map_explorer(
        {"m": models.LeNet5()}, np.zeros((2, 1, 32, 32))), match="X"),
    case("feature_map_explorer-n-zero", lambda: widgets.feature_map_explorer(
        {"m": models.LeNet5()}, torch.zeros(2, 1, 32, 32), n=0), match="n"),
    case("feature_map_explorer-layers", lambda: widgets.feature_map_explorer(
        {"m": models.LeNet5()}, torch.zeros(2, 1, 32, 32), layers=("C9",)), match="layers"),
    case("feature_map_explorer-y-short", lambda: widgets.feature_map_explorer(
        {"m": models.LeNet5()}, torch.zeros(3, 1, 32, 32), torch.zeros(1).long()), match="y"),
    case("momentum_explorer-surface", lambda: widgets.momentum_explorer("valley"),
         match="surface"),
    case("depth_explorer-numpy", lambda: widgets.depth_gradient_explorer(
        np.zeros((2, 1, 8, 8)), np.zeros(2, int), precompute=False), match="X"),
    case("depth_explorer-width-zero", lambda: widgets.depth_gradient_explorer(
        torch.zeros(2, 1, 8, 8), torch.zeros(2).long(), width=0), match="width"),
    case("depth_explorer-length-mismatch", lambda: widgets.depth_gradient_explorer(
        torch.zeros(2, 1, 8, 8), torch.zeros(3).long(), precompute=False), match="y"),
    # --- data.py ---------------------------------------------------------------------------------
    case("load_mnist-split", lambda: data.load_mnist("validation"), match="split"),
    case("load_mnist-none", lambda: data.load_mnist(None), match="split"),
    case("load_text-number", lambda: data.load_text(5), match="text"),
    case("load_image-unknown", lambda: data.load_image("cat"), match="image"),
    case("mnist_tensors-size-string", lambda: data.mnist_tensors(size="32"), match="size"),
    case("mnist_tensors-full-string", lambda: data.mnist_tensors(full="yes"), match="full"),
    case("mnist_tensors-normalize-string", lambda: data.mnist_tensors(normalize="no"),
         match="normalize"),
    case("coloured_shapes-n-zero", lambda: data.coloured_shapes(0), match="n"),
    case("coloured_shapes-n-string", lambda: data.coloured_shapes("600"), match="n"),
    case("coloured_shapes-huge-n", lambda: data.coloured_shapes(10**9), match="n="),
    case("coloured_shapes-size-small", lambda: data.coloured_shapes(10, size=8), match="size"),
    case("coloured_shapes-seed-float", lambda: data.coloured_shapes(10, seed=0.5), match="seed"),
    case("load_full-root-number", lambda: data.load_full_dataset("mnist", root=5), match="root"),
    case("load_full-name", lambda: data.load_full_dataset("imagenet"), match="data set"),
    case("verify_data-number", lambda: data.verify_data(5), match="data_dir"),
    case("damaged-npz-with-matching-checksum", lambda: in_data_dir(
        damaged_data(tmpdir("npz"), b"not a zip file"), data.load_mnist),
         data.DataIntegrityError, "mnist_4k1k.npz"),
    case("damaged-manifest-line", lambda: in_data_dir(
        damaged_data(tmpdir("manifest"), b"x", manifest=b"justonefield\n"), data.load_mnist),
         data.DataIntegrityError, "SHA256SUMS"),
    case("damaged-manifest-binary", lambda: in_data_dir(
        damaged_data(tmpdir("binary"), b"x", manifest=b"\xff\xfe\x00 binary"), data.load_mnist),
         data.DataIntegrityError, "SHA256SUMS"),
    case("damaged-file-is-a-folder", lambda: in_data_dir(
        damaged_data(tmpdir("folder"), b"x", name="shakespeare.txt.gz/inner",
                     manifest=f"{'0' * 64}  shakespeare.txt.gz\n".encode()), data.load_text),
         data.DataIntegrityError, "shakespeare.txt.gz"),
    case("damaged-npz-missing-arrays", lambda: in_data_dir(
        damaged_data(tmpdir("arrays"), _npz_bytes()), data.load_mnist),
         data.DataIntegrityError, "mnist_4k1k.npz"),
    case("damaged-gzip-text", lambda: in_data_dir(
        damaged_data(tmpdir("gzip"), b"\x1f\x8b garbage", name="shakespeare.txt.gz"),
        data.load_text), data.DataIntegrityError, "shakespeare.txt.gz"),
    # --- transfer --------------------------------------------------------------------------------
    case("pretrained_mobilenet_v2-missing", lambda: in_weights_dir(
        tmpdir("weights-missing"), transfer.pretrained_mobilenet_v2), transfer.WeightsUnavailable,
         "mobilenet_v2-b0353104.pth.*fetch_weights"),
    case("pretrained_mobilenet_v2-corrupted", lambda: in_weights_dir(
        tmpdir("weights-bad"), transfer.pretrained_mobilenet_v2, b"not weights"),
         transfer.WeightsUnavailable, "mobilenet_v2-b0353104.pth.*corrupted"),
    case("pretrained_resnet18-offline-no-cache", lambda: in_weights_dir(
        tmpdir("resnet"), transfer.pretrained_resnet18), transfer.WeightsUnavailable, "ResNet-18"),
    case("imagenet_batch-one-image", lambda: transfer.imagenet_batch(PHOTO), match="images"),
    case("imagenet_batch-size-zero", lambda: transfer.imagenet_batch(PHOTO[None], size=0),
         match="size"),
    case("imagenet_batch-out-of-range", lambda: transfer.imagenet_batch(PHOTO[None] * 300),
         match="images"),
    case("predict_imagenet-batch", lambda: transfer.predict_imagenet(PHOTO[None]), match="image"),
    case("predict_imagenet-top-zero", lambda: transfer.predict_imagenet(PHOTO, top=0),
         match="top"),
    case("predict_imagenet-model-string", lambda: transfer.predict_imagenet(PHOTO, model="mobile"),
         match="model"),
    case("stage_names-none", lambda: transfer.stage_names(None), match="model"),
    case("stage_module-unknown", lambda: transfer.stage_module(tiny_cnn(), "fc9"), match="layer"),
    case("cnn_codes-layer", lambda: transfer.cnn_codes(tiny_cnn(), PHOTO[None], layer="conv9"),
         match="layer"),
    case("cnn_codes-empty", lambda: transfer.cnn_codes(tiny_cnn(), np.zeros((0, 8, 8, 3))),
         match="images"),
    case("cnn_codes-huge-batch", lambda: transfer.cnn_codes(
        tiny_cnn(), np.zeros((8000, 2, 2, 3)), size=1024, batch_size=4096), match="batch"),
    case("cnn_codes-size-string", lambda: transfer.cnn_codes(tiny_cnn(), PHOTO[None], size="64"),
         match="size"),
    case("freeze-up_to", lambda: transfer.freeze(tiny_cnn(), up_to="features.3"), match="up_to"),
    case("unfreeze-none", lambda: transfer.unfreeze(None), match="model"),
    case("frozen_stages-none", lambda: transfer.frozen_stages("model"), match="model"),
    case("replace_head-no-linear", lambda: transfer.replace_head(tiny_cnn(), 3),
         match="linear layer"),
    case("replace_head-num_classes", lambda: transfer.replace_head(nn.Sequential(
        nn.Linear(2, 2)), 0), match="num_classes"),
    case("param_groups-lr", lambda: transfer.param_groups(tiny_cnn(), lr=-1), match="lr"),
    case("param_groups-decay", lambda: transfer.param_groups(tiny_cnn(), 0.1, decay=2),
         match="decay"),
    case("train_linear-nan", lambda: transfer.train_linear(np.full((4, 2), np.nan), [0, 1, 0, 1]),
         match="codes"),
    case("train_linear-labels", lambda: transfer.train_linear(np.zeros((4, 2)), [0, 1]),
         match="labels"),
    case("train_linear-loss", lambda: transfer.train_linear(np.zeros((2, 2)), [0, 1], loss="hinge"),
         match="loss"),
    case("linear_probe-dims", lambda: transfer.linear_probe(
        np.zeros((2, 2)), [0, 1], np.zeros((2, 3)), [0, 1]), match="test_codes"),
    case("nearest_codes-k", lambda: transfer.nearest_codes(np.eye(3), 0, k=0), match="k"),
    case("nearest_codes-index", lambda: transfer.nearest_codes(np.eye(3), 3), match="index"),
    case("pca_project-dims", lambda: transfer.pca_project(np.eye(3), dims=5), match="dims"),
    case("load_emoji-split", lambda: transfer.load_emoji("valid"), match="split"),
    case("load_emoji-style", lambda: transfer.load_emoji("train", style="apple"), match="style"),
    case("emoji_split-seed", lambda: transfer.emoji_split(-1), match="seed"),
    case("render_first_filters-gray", lambda: viz.render_first_filters(
        fig(), np.zeros((4, 1, 3, 3))), match="weight"),
    case("render_code_space-points", lambda: viz.render_code_space(
        fig(), np.zeros((3, 4, 4, 3)), np.zeros((3, 3)), [1], [0.5], [0, 1, 0]), match="points"),
    case("code_space_explorer-codes", lambda: widgets.code_space_explorer(
        np.zeros((3, 4, 4, 3)), {"codes": np.zeros((2, 5))}, [0, 1, 0]), match="codes"),
    case("check_new_head-returns-none", lambda: checks.check_new_head(lambda m, k: None),
         WrongAnswer, "num_classes=8"),
    case("render_scenario-recommended", lambda: viz.render_scenario(
        fig(), {"linear": [0.5, 0.6]}, "scratch"), match="recommended"),
    case("render_scenario-range", lambda: viz.render_scenario(
        fig(), {"linear": [1.5]}, "linear"), match="accuracies"),
    case("scenario_explorer-missing-cell", lambda: widgets.scenario_explorer(
        {("small", "similar"): {"a": [0.5]}, ("large", "different"): {"a": [0.5]}},
        {("small", "similar"): ("a", ""), ("large", "different"): ("a", "")}), match="results"),
    case("scenario_explorer-rules", lambda: widgets.scenario_explorer(
        {("small", "similar"): {"a": [0.5]}}, {("small", "similar"): ("b", "")}), match="rules"),
    case("check_fine_tune_setup-returns-none", lambda: checks.check_fine_tune_setup(
        lambda m, u, lr, d: None), WrongAnswer, "optimizer"),
    # --- notebook 10: the recurrent layer unrolled, embeddings, the gap task ---------------------
    case("check_rnn_step-returns-none", lambda: checks.check_rnn_step(lambda x, h, W, b: None),
         WrongAnswer, "x_t"),
    case("check_rnn_parameters-string", lambda: checks.check_rnn_parameters(lambda d, h: "640"),
         WrongAnswer, "input_size"),
    case("check_embedding_lookup-ids", lambda: checks.check_embedding_lookup(lambda i, t: i),
         WrongAnswer, "ids"),
    case("render_unrolled-step", lambda: viz.render_unrolled(
        fig(), np.zeros((3, 2)), np.zeros((3, 4)), 3), match="step"),
    case("render_unrolled-ragged", lambda: viz.render_unrolled(
        fig(), RAGGED, np.zeros((2, 4)), 0), match="x"),
    case("render_text_states-values", lambda: viz.render_text_states(fig(), "abc", [0.1, 0.2]),
         match="values"),
    case("render_text_states-text", lambda: viz.render_text_states(fig(), 42, [0.1]),
         match="text"),
    case("unrolled_explorer-weights", lambda: widgets.unrolled_explorer(
        {"s": (["a"], np.zeros((1, 2)))}, np.zeros((3, 2)), np.zeros((3, 2))),
        match="weight_hh"),
    case("unrolled_explorer-x", lambda: widgets.unrolled_explorer(
        {"s": (["a"], np.zeros((1, 5)))}, np.zeros((3, 2)), np.zeros((3, 3))), match="x must"),
    case("gap_task-gap", lambda: sequences.gap_task(4, gap=-1), match="gap"),
    case("gap_task-huge", lambda: sequences.gap_task(10**6, gap=10**3), match="lower n or gap"),
    case("gap_task-noise", lambda: sequences.gap_task(4, 2, noise=float("nan")), match="noise"),
    case("GapClassifier-input", lambda: sequences.GapClassifier()(torch.zeros(2, 3, 7)),
         match="x"),
    case("train_gap-lr", lambda: sequences.train_gap(2, 0, lr=0), match="lr"),
    case("train_gap-seed", lambda: sequences.train_gap(2, "0"), match="seed"),
    case("gap_sweep-gaps", lambda: sequences.gap_sweep("2, 4"), match="gaps"),
    # --- notebook 12: LSTM and GRU gates (sequences.gates, viz/widgets gates, checks ch5) --------
    case("bracket_sequences-n-zero", lambda: seq_gates.bracket_sequences(0, 5), match="n"),
    case("bracket_sequences-p", lambda: seq_gates.bracket_sequences(4, 5, p_open=0.8, p_close=0.5),
         match="p_open"),
    case("bracket_sequences-huge", lambda: seq_gates.bracket_sequences(10**5, 10**3),
         match="values"),
    case("bracket_text-2d", lambda: seq_gates.bracket_text(np.zeros((2, 3), dtype=int)),
         match="tokens"),
    case("bracket_text-range", lambda: seq_gates.bracket_text([0, 7]), match="tokens"),
    case("unit_correlations-target", lambda: seq_gates.unit_correlations(
        np.zeros((2, 3, 4)), np.zeros((2, 4))), match="target"),
    case("unit_correlations-nan", lambda: seq_gates.unit_correlations(
        np.full((2, 3, 4), np.nan), np.zeros((2, 3))), match="finite"),
    case("lstm_states-not-lstm", lambda: seq_gates.lstm_states(
        nn.GRU(2, 3, batch_first=True), np.zeros((1, 4, 2))), match="lstm"),
    case("lstm_states-x-shape", lambda: seq_gates.lstm_states(
        nn.LSTM(2, 3, batch_first=True), np.zeros((1, 4, 5))), match="x"),
    case("render_gate_trace-text", lambda: viz.render_gate_trace(
        fig(), "", {"f": [], "i": [], "o": []}, []), match="text"),
    case("render_gate_trace-gates", lambda: viz.render_gate_trace(
        fig(), "ab", {"f": [0, 1]}, [0, 1]), match="gates"),
    case("render_gate_trace-cell", lambda: viz.render_gate_trace(
        fig(), "ab", {k: [0, 1] for k in "fio"}, [0, 1, 2]), match="cell"),
    case("render_gate_trace-step", lambda: viz.render_gate_trace(
        fig(), "ab", {k: [0, 1] for k in "fio"}, [0, 1], step=2), match="step"),
    case("gate_explorer-cell", lambda: widgets.gate_explorer(
        "ab", {k: np.zeros((2, 3)) for k in "ifgo"}, np.zeros((3, 3))), match="cell"),
    case("gate_explorer-gates", lambda: widgets.gate_explorer(
        "ab", {k: np.zeros((2, 3)) for k in "ifo"}, np.zeros((2, 3))), match="gates"),
    case("gate_explorer-correlations", lambda: widgets.gate_explorer(
        "ab", {k: np.zeros((2, 3)) for k in "ifgo"}, np.zeros((2, 3)), correlations=[0.5]),
        match="correlations"),
    case("check_cell_update-returns-none", lambda: checks.check_cell_update(lambda *a: None),
         WrongAnswer, "N=3"),
    case("check_gate_roles-list", lambda: checks.check_gate_roles(lambda: ["forget"]),
         WrongAnswer, "dict"),
    # --- models ----------------------------------------------------------------------------------
    case("count_parameters-none", lambda: models.count_parameters(None), match="model"),
    case("summary-huge-input", lambda: models.summary(nn.Flatten(), (10**6, 10**6)),
         match="input_shape"),
    case("summary-float-shape", lambda: models.summary(nn.Flatten(), (1.5, 32)),
         match="input_shape"),
    case("summary-string-shape", lambda: models.summary(nn.Flatten(), "1,32,32"),
         match="input_shape"),
    case("summary-wrong-channels", lambda: models.summary(nn.Conv2d(1, 2, 3), (3, 8, 8)),
         match="input"),
    case("summary-depth-bool", lambda: models.summary(nn.Flatten(), (1, 4), depth=True),
         match="depth"),
    case("summary-device-gpu", lambda: models.summary(nn.Flatten(), (1, 4), device="gpu"),
         match="device"),
    case("lenet-variant", lambda: models.LeNet5("new"), match="variant"),
    case("lenet-num_classes-zero", lambda: models.LeNet5(num_classes=0), match="num_classes"),
    case("lenet-num_classes-string", lambda: models.LeNet5(num_classes="10"),
         match="num_classes"),
    case("lenet-numpy-input", lambda: models.LeNet5()(np.zeros((1, 1, 32, 32))), match="x"),
    case("lenet-28x28", lambda: models.LeNet5()(torch.zeros(1, 1, 28, 28)), match="32"),
    case("lenet-float64-input", lambda: models.LeNet5()(torch.zeros(1, 1, 32, 32,
                                                                    dtype=torch.float64)),
         match="dtype"),
    case("lenet-in_channels-zero", lambda: models.LeNet5(in_channels=0), match="in_channels"),
    case("lenet-in_channels-string", lambda: models.LeNet5(in_channels="3"), match="in_channels"),
    case("lenet-grey-input-to-colour", lambda: models.LeNet5(in_channels=3)(
        torch.zeros(1, 1, 32, 32)), match=r"\(N, 3, 32, 32\)"),
    case("subsampling-size-zero", lambda: models.TrainableSubsampling(6, size=0), match="size"),
    case("subsampling-size-string", lambda: models.TrainableSubsampling(6, size="2"),
         match="size"),
    case("subsampling-channels-bool", lambda: models.TrainableSubsampling(True),
         match="channels"),
    case("subsampling-huge-channels", lambda: models.TrainableSubsampling(10**9),
         match="channels"),
    case("connection_table-huge-kernel", lambda: models.ConnectionTableConv2d(6, kernel_size=10**5),
         match="kernel_size"),
    case("subsampling-wrong-input", lambda: models.TrainableSubsampling(2)(torch.zeros(
        1, 3, 4, 4)), match="input"),
    case("connection_table-empty", lambda: models.ConnectionTableConv2d(6, table=[]),
         match="table"),
    case("connection_table-in_channels-string", lambda: models.ConnectionTableConv2d("6"),
         match="in_channels"),
    case("connection_table-kernel-zero", lambda: models.ConnectionTableConv2d(6, kernel_size=0),
         match="kernel_size"),
    case("connection_table-bad-entry", lambda: models.ConnectionTableConv2d(6, table=[(0, 9)]),
         match="table"),
    case("plain_net-huge-depth", lambda: models.plain_net(10**7), match="depth"),
    case("plain_net-huge-width", lambda: models.plain_net(20, width=10**6), match="width"),
    case("plain_net-huge-pool", lambda: models.plain_net(4, pool=10**5), match="pool"),
    case("plain_net-depth-string", lambda: models.plain_net("20"), match="depth"),
    case("plain_net-activation", lambda: models.plain_net(4, activation="gelu"),
         match="activation"),
    case("residual_net-odd", lambda: models.residual_net(5), match="depth"),
    case("residual_net-zero-init-not-bool", lambda: models.residual_net(4, zero_init_residual=1),
         match="zero_init_residual"),
    case("residual_net-huge-classes", lambda: models.residual_net(4, num_classes=10**9),
         match="num_classes"),
    case("count_weight_layers-none", lambda: models.count_weight_layers(None), match="Module"),
    case("lecun_tanh-numpy", lambda: models.lecun_tanh(np.zeros(3)), match="a"),
    case("basic_block-zero", lambda: models.BasicBlock(0), match="channels"),
    case("basic_block-huge", lambda: models.BasicBlock(10**5), match="channels"),
    case("basic_block-norm", lambda: models.BasicBlock(4, norm="layer"), match="norm"),
    case("weight_layers-none", lambda: models.weight_layers(None), match="Module"),
    case("layer_grad_norms-no-grad", lambda: models.layer_grad_norms(nn.Linear(2, 2)),
         match="backward"),
    case("grad_norms_at_init-numpy", lambda: models.grad_norms_at_init(
        nn.Linear(2, 2), np.zeros((2, 2)), np.zeros(2, int)), match="X"),
    case("grad_norms_at_init-labels", lambda: models.grad_norms_at_init(
        nn.Linear(2, 2), torch.zeros(2, 2), torch.tensor([0, 5])), match="y"),
    case("grad_norms_at_init-float-labels", lambda: models.grad_norms_at_init(
        nn.Linear(2, 2), torch.zeros(2, 2), torch.zeros(2)), match="y"),
    case("alexnet-num_classes-zero", lambda: models.AlexNet2012(num_classes=0),
         match="num_classes"),
    case("alexnet-num_classes-huge", lambda: models.AlexNet2012(num_classes=10**7),
         match="num_classes"),
    case("alexnet-groups", lambda: models.AlexNet2012(groups=3), match="groups"),
    case("alexnet-dropout", lambda: models.AlexNet2012(dropout=2.0), match="dropout"),
    # --- checks.py: checkers given wrong answers -------------------------------------------------
    case("check_output_size-array-answer", lambda: checks.check_output_size(
        lambda n, f, s, p: np.array([1, 2])), WrongAnswer, "n=32, f=5"),
    case("check_output_size-raises", lambda: checks.check_output_size(
        lambda n, f, s, p: (n - f) / 0), WrongAnswer, "n=32, f=5, s=1, p=0.*ZeroDivisionError"),
    case("check_output_size-none", lambda: checks.check_output_size(lambda n, f, s, p: None),
         WrongAnswer, "n=32"),
    case("check_output_size-string", lambda: checks.check_output_size(lambda n, f, s, p: "28"),
         WrongAnswer, "n=32"),
    case("check_output_size-mps-error", lambda: checks.check_output_size(raises(
        NotImplementedError("aten::foo is not implemented for 'MPS'"))), WrongAnswer,
         "NotImplementedError.*MPS"),
    case("check_pool2d-ragged", lambda: checks.check_pool2d(lambda x, **k: [[1, 2], [3]]),
         WrongAnswer, "size=2"),
    case("check_pool2d-none", lambda: checks.check_pool2d(lambda x, **k: None), WrongAnswer,
         "size=2"),
    case("check_pool2d-strings", lambda: checks.check_pool2d(
        lambda x, **k: np.full((2, 2), "a")), WrongAnswer, "size=2"),
    case("check_pool2d-wrong-signature", lambda: checks.check_pool2d(lambda x, size: x),
         WrongAnswer, "TypeError"),
    case("check_pool2d-dict", lambda: checks.check_pool2d(lambda x, **k: {"a": 1}),
         WrongAnswer, "size=2"),
    case("check_answer-none-rtol", lambda: checks.check_answer("pi", None, 3.14, rtol=0.01),
         WrongAnswer, "None"),
    case("check_answer-string-rtol", lambda: checks.check_answer("pi", "3.14", 3.14, rtol=0.01),
         WrongAnswer, "3.14"),
    case("check_answer-none", lambda: checks.check_answer("pi", None, 3.14), WrongAnswer,
         "None"),
    case("check_answer-tensor-vs-tuple", lambda: checks.check_answer(
        "shape", torch.tensor([1, 3]), (1, 2)), WrongAnswer, "expected"),
    case("check_answer-array-vs-number", lambda: checks.check_answer("n", np.array([1, 2]), 3),
         WrongAnswer, "expected"),
    case("check_answer-nan-rtol", lambda: checks.check_answer("pi", float("nan"), 3.14,
                                                              rtol=0.01), WrongAnswer, "nan"),
    case("check_conv2d_naive-raises", lambda: checks.check_conv2d_naive(
        raises(IndexError("index 4 is out of bounds"))), WrongAnswer, "case 1.*IndexError"),
    case("check_conv2d_naive-strings", lambda: checks.check_conv2d_naive(
        lambda x, w, b, s, p: np.full((1, 1, 3, 3), "a")), WrongAnswer, "case 1"),
    case("check_conv2d_naive-object", lambda: checks.check_conv2d_naive(
        lambda x, w, b, s, p: np.full((1, 1, 3, 3), None)), WrongAnswer, "case 1"),
    case("check_to_unit_range-raises", lambda: checks.check_to_unit_range(
        raises(ValueError("bad"))), WrongAnswer, "case 1.*ValueError"),
    case("check_to_unit_range-list", lambda: checks.check_to_unit_range(
        lambda im: (im / 255).tolist()), WrongAnswer, "case 1"),
    case("check_neuron_weights-array", lambda: checks.check_neuron_weights(
        lambda h, w, c: np.array([h * w * c, 1])), WrongAnswer, "height=28"),
    case("check_neuron_weights-raises", lambda: checks.check_neuron_weights(
        raises(TypeError("oops"))), WrongAnswer, "height=28.*TypeError"),
    case("check_lenet_sizes-arrays", lambda: checks.check_lenet_sizes(
        lambda n: [np.array([1, 2])] * 6), WrongAnswer, "n=32"),
    case("check_lenet_sizes-raises", lambda: checks.check_lenet_sizes(raises(KeyError("x"))),
         WrongAnswer, "n=32.*KeyError"),
    case("check_conv_params-array", lambda: checks.check_conv_params(
        lambda i, o, k: np.array([1, 2])), WrongAnswer, "in=1, out=6"),
    case("check_trainable_subsampling-none", lambda: checks.check_trainable_subsampling(
        lambda x, c, b: None), WrongAnswer, "shape"),
    case("check_trainable_subsampling-ragged", lambda: checks.check_trainable_subsampling(
        lambda x, c, b: RAGGED), WrongAnswer, "shape"),
    case("check_alexnet_step-nones", lambda: checks.check_alexnet_step(
        lambda *a: (None, None)), WrongAnswer, "lr=0.01"),
    case("check_alexnet_step-list", lambda: checks.check_alexnet_step(lambda *a: [1, 2, 3]),
         WrongAnswer, "pair"),
    case("check_alexnet_step-raises", lambda: checks.check_alexnet_step(
        raises(RuntimeError("boom"))), WrongAnswer, "lr=0.01.*RuntimeError"),
    case("check_conv_layer_stats-arrays", lambda: checks.check_conv_layer_stats(
        lambda *a: (np.array([1, 2]), np.array([1, 2]), 3)), WrongAnswer, "n=224"),
    case("check_conv_layer_stats-none", lambda: checks.check_conv_layer_stats(lambda *a: None),
         WrongAnswer, "n=224"),
    # notebook 05: LeNet-5 as an nn.Module, a training loop, a colour LeNet
    case("check_lenet_module-instance", lambda: checks.check_lenet_module(lambda: nn.Linear(2, 2)),
         WrongAnswer, "MyLeNet"),
    case("check_lenet_module-none", lambda: checks.check_lenet_module(lambda: None),
         WrongAnswer, "nn.Module"),
    case("check_training_loop-none", lambda: checks.check_training_loop(lambda *a, **k: None),
         WrongAnswer, "never called the model"),
    case("check_training_loop-raises", lambda: checks.check_training_loop(
        raises(RuntimeError("boom"))), WrongAnswer, "train_model.*RuntimeError"),
    case("check_colour_lenet-string", lambda: checks.check_colour_lenet(lambda *a, **k: "model"),
         WrongAnswer, "nn.Module"),
    # chapter 1's questions, the max-pool backward exercise and the gradient check (notebooks 01-04)
    case("check_cnn_parameters-string", lambda: checks.check_cnn_parameters(lambda: "9098"),
         WrongAnswer, "whole number"),
    case("check_cnn_parameters-array", lambda: checks.check_cnn_parameters(lambda: np.ones(3)),
         WrongAnswer, "whole number"),
    case("check_flip_factors-ragged", lambda: checks.check_flip_factors(lambda: [[1], [1, 2]]),
         WrongAnswer, "4 numbers"),
    case("check_flip_factors-strings", lambda: checks.check_flip_factors(lambda: list("abcd")),
         WrongAnswer, "4 numbers"),
    case("check_rows_lost-none", lambda: checks.check_rows_lost(lambda: None), WrongAnswer,
         "whole numbers"),
    case("check_rows_lost-floats", lambda: checks.check_rows_lost(lambda: [0.5, 1, 0, 1]),
         WrongAnswer, "ResNet"),
    case("check_centre_gradient-dict", lambda: checks.check_centre_gradient(lambda: {"a": 4}),
         WrongAnswer, "two whole numbers"),
    case("check_maxpool_backward-strings", lambda: checks.check_maxpool_backward(
        lambda d, x, *a: np.full(x.shape, "a")), WrongAnswer, "case 1"),
    case("check_maxpool_backward-signature", lambda: checks.check_maxpool_backward(
        lambda d, x: x), WrongAnswer, "case 1.*TypeError"),
    case("numerical_gradient-not-callable", lambda: checks.numerical_gradient(3, np.ones(2)),
         match="f must be"),
    case("numerical_gradient-strings", lambda: checks.numerical_gradient(np.sum, ["a", "b"]),
         match="x"),
    case("numerical_gradient-huge", lambda: checks.numerical_gradient(np.sum, np.ones(10**6)),
         match="x has"),
    case("numerical_gradient-vector-f", lambda: checks.numerical_gradient(lambda v: v, np.ones(2)),
         match="f must return one real number"),
    case("numerical_gradient-eps", lambda: checks.numerical_gradient(np.sum, np.ones(2), eps=0),
         match="eps"),
    case("grad_check-shape", lambda: checks.grad_check(np.sum, np.ones(3), np.ones(2)),
         match="grad has shape"),
    case("grad_check-none", lambda: checks.grad_check(np.sum, np.ones(3), None), match="grad"),
    case("grad_check-tol", lambda: checks.grad_check(np.sum, np.ones(3), np.ones(3), tol="1"),
         match="tol"),
    case("expect_shape-none", lambda: checks.expect_shape(None, (2, 2)), WrongAnswer,
         "NoneType"),
    case("expect_shape-list", lambda: checks.expect_shape([[1, 2]], (2, 2)), WrongAnswer, "list"),
    case("app-class-render", lambda: widgets.App(None, {}), match="render"),
    case("expect_equal-tensors", lambda: checks.expect_equal(torch.tensor([1, 2]),
                                                             torch.tensor([1, 3])),
         WrongAnswer, "expected"),
    case("expect_equal-shapes", lambda: checks.expect_equal(np.zeros(2), np.zeros(3)),
         WrongAnswer, "expected"),
    case("expect_close-ragged", lambda: checks.expect_close(RAGGED, np.zeros(2)), WrongAnswer,
         "got"),
    case("expect_close-string", lambda: checks.expect_close("abc", 1.0), WrongAnswer, "got"),
    case("expect_close-none", lambda: checks.expect_close(None, np.zeros(3)), WrongAnswer,
         "got"),
    # notebook 14: sequence to sequence translation (course_utils.seq2seq, viz/widgets/checks)
    case("load_numbers-split", lambda: seq2seq.load_numbers("dev"), match="split"),
    case("Seq2Seq-hidden-zero", lambda: seq2seq.Seq2Seq(10, 10, hidden=0), match="hidden"),
    case("Seq2Seq-vocab-string", lambda: seq2seq.Seq2Seq("10", 10), match="src_vocab"),
    case("Seq2Seq-attention-string", lambda: seq2seq.Seq2Seq(10, 10, attention="yes"),
         match="attention"),
    case("Seq2Seq-forward-float-src", lambda: seq2seq.Seq2Seq(10, 10)(
        torch.zeros(2, 3), torch.ones(2, 3, dtype=torch.long)), match="src"),
    case("Seq2Seq-forward-tf-range", lambda: seq2seq.Seq2Seq(10, 10)(
        torch.ones(2, 3, dtype=torch.long), torch.ones(2, 3, dtype=torch.long), 2.0),
         match="teacher_forcing"),
    case("Seq2SeqStep-tf", lambda: seq2seq.Seq2SeqStep(-0.5), match="teacher_forcing"),
    case("Seq2SeqStep-short-target", lambda: seq2seq.Seq2SeqStep()(
        seq2seq.Seq2Seq(10, 10), (torch.ones(2, 3, dtype=torch.long),
                                  torch.ones(2, 1, dtype=torch.long)), {}), match="tgt"),
    case("check_ids-range", lambda: seq2seq.check_ids(torch.tensor([[0, 12]]), "src", 10),
         match=r"src must lie in \[0, 10\)"),
    case("check_ids-empty", lambda: seq2seq.check_ids(torch.zeros(1, 0, dtype=torch.long), "src",
                                                      10), match="empty"),
    case("greedy_decode-model", lambda: seq2seq.greedy_decode(nn.Linear(2, 2),
                                                              torch.ones(1, 2, dtype=torch.long)),
         match="model"),
    case("greedy_decode-max-len", lambda: seq2seq.greedy_decode(
        seq2seq.Seq2Seq(10, 10), torch.ones(1, 2, dtype=torch.long), max_len=10**9),
         match="max_len"),
    case("beam_search-width", lambda: seq2seq.beam_search(
        seq2seq.Seq2Seq(10, 10), torch.ones(2, dtype=torch.long), beam_width=0),
         match="beam_width"),
    case("beam_search-2d-src", lambda: seq2seq.beam_search(
        seq2seq.Seq2Seq(10, 10), torch.ones(1, 2, dtype=torch.long)), match="src"),
    case("sequence_log_prob-float-tgt", lambda: seq2seq.sequence_log_prob(
        seq2seq.Seq2Seq(10, 10), torch.ones(1, 2, dtype=torch.long), torch.zeros(1, 3)),
         match="tgt"),
    case("translate-empty", lambda: seq2seq.translate(
        seq2seq.Seq2Seq(10, 10), text.Vocab(["one", "two"]), text.Vocab(["eins"]), "  "),
         match="empty"),
    case("translate-unknown", lambda: seq2seq.translate(
        seq2seq.Seq2Seq(10, 10), text.Vocab(["one", "two"]), text.Vocab(["eins"]), "one zwo"),
         match="unknown word 'zwo'"),
    case("translate-number", lambda: seq2seq.translate(
        seq2seq.Seq2Seq(10, 10), text.Vocab(["one"]), text.Vocab(["eins"]), 97), match="sentence"),
    case("translate_batch-string", lambda: seq2seq.translate_batch(
        seq2seq.Seq2Seq(10, 10), text.Vocab(["one"]), text.Vocab(["eins"]), "one"),
         match="sentences"),
    case("exact_match-lengths", lambda: seq2seq.exact_match([["a"]], []), match="candidates"),
    case("train_in_chunks-steps", lambda: seq2seq.train_in_chunks(
        seq2seq.Seq2Seq(10, 10), (torch.ones(2, 2, dtype=torch.long),) * 2, 0, 1, seed=0),
         match="steps"),
    case("train_in_chunks-optimizer", lambda: seq2seq.train_in_chunks(
        seq2seq.Seq2Seq(10, 10), (torch.ones(2, 2, dtype=torch.long),) * 2, 1, 1, seed=0,
        optimizer="adam"), match="optimizer"),
    case("render_attention-shape", lambda: viz.render_attention(
        fig(), ["a", "b"], ["x"], np.ones((3, 3)) / 3), match="weights"),
    case("render_attention-empty-source", lambda: viz.render_attention(fig(), [], ["x"],
                                                                       np.ones((1, 0))),
         match="source"),
    case("render_attention-not-weights", lambda: viz.render_attention(
        fig(), ["a"], ["x"], np.full((1, 1), 5.0)), match="weights"),
    case("render_match_curves-empty", lambda: viz.render_match_curves(fig(), {}), match="curves"),
    case("render_match_curves-steps", lambda: viz.render_match_curves(
        fig(), {"tf": [[(1, 0.1), (2, 0.2)], [(1, 0.1), (3, 0.2)]]}), match="share their steps"),
    case("attention_explorer-empty", lambda: widgets.attention_explorer({}, []),
         match="translations"),
    case("attention_explorer-references", lambda: widgets.attention_explorer(
        {"greedy": [seq2seq.Translation(["a"], ["x"], np.ones((2, 1)), 0.0)] * 2}, [["x"]]),
         match="references"),
    case("translation_box-not-callable", lambda: widgets.translation_box("translate"),
         match="translate"),
    case("translation_box-beams", lambda: widgets.translation_box(lambda s, k: None, beams=[0]),
         match="beams"),
    case("check_sentence_bleu-fraction", lambda: checks.check_sentence_bleu(
        lambda c, r, n: train.bleu([c], [[r]], max_n=n) / 100), WrongAnswer, "percent"),
    case("check_sentence_bleu-string", lambda: checks.check_sentence_bleu(lambda c, r, n: "42"),
         WrongAnswer, "expected a number"),
    case("check_greedy_translate-no-eos-stop", lambda: checks.check_greedy_translate(
        lambda m, s, n: [4] * n), WrongAnswer, "feed back the argmax"),
    # notebook 15: image captioning (course_utils.captioning, viz/widgets/checks)
    case("make_scenes-n", lambda: captioning.make_scenes(0), match="n must"),
    case("make_scenes-side", lambda: captioning.make_scenes(2, side=10), match="side"),
    case("make_scenes-seed", lambda: captioning.make_scenes(2, seed="0"), match="seed"),
    case("make_scenes-exclude", lambda: captioning.make_scenes(2, exclude=[("red", "disc")]),
         match="exclude"),
    case("make_scenes-require", lambda: captioning.make_scenes(2, exclude=[], require=True),
         match="require"),
    case("render_scenes-empty", lambda: captioning.render_scenes([]), match="scenes"),
    case("render_scenes-not-scene", lambda: captioning.render_scenes([(1, 2, 3)]), match="scenes"),
    case("render_scenes-huge", lambda: captioning.render_scenes(
        captioning.make_scenes(1) * 3_000_000), match="scenes"),
    case("object_mask-side", lambda: captioning.object_mask(
        captioning.make_scenes(1)[0].first, 7), match="side"),
    case("object_mask-obj", lambda: captioning.object_mask("disc", 48), match="obj"),
    case("relation-not-object", lambda: captioning.relation("a", "b"), match="a must"),
    case("grid_cover-shape", lambda: captioning.grid_cover(np.ones((48, 48)), 5), match="mask"),
    case("check_scene-colour", lambda: captioning.check_scene(captioning.Scene(
        captioning.SceneObject("red", "disc", "small", 10.0, 10.0),
        captioning.SceneObject("blue", "disc", "small", 30.0, 30.0), 48)), match="colour"),
    case("check_scene-position", lambda: captioning.check_scene(captioning.Scene(
        captioning.SceneObject("pink", "disc", "small", 10.0, 99.0),
        captioning.SceneObject("blue", "disc", "small", 30.0, 30.0), 48)), match="y"),
    case("scene_captions-tuple", lambda: captioning.scene_captions((1, 2)), match="scene"),
    case("parse_caption-number", lambda: captioning.parse_caption(42), match="words"),
    case("caption_mistakes-scene", lambda: captioning.caption_mistakes("a b", None),
         match="scene"),
    case("caption_errors-words", lambda: captioning.caption_errors(
        [1, 2], captioning.make_scenes(1)[0]), match="words"),
    case("caption_column-scene", lambda: captioning.caption_column("a", "scene"), match="scene"),
    case("check_words-long", lambda: captioning.check_words(["a"] * 5000), match="words"),
    case("Captioner-vocab", lambda: captioning.Captioner(2), match="vocab_size"),
    case("Captioner-channels", lambda: captioning.Captioner(20, channels=(8, 8)),
         match="channels"),
    case("Captioner-attention", lambda: captioning.Captioner(20, attention="yes"),
         match="attention"),
    case("Captioner-images-side", lambda: captioning.Captioner(20).encode(torch.zeros(1, 3, 30, 30)),
         match="images"),
    case("Captioner-tokens-float", lambda: captioning.Captioner(20)(
        torch.zeros(1, 3, 48, 48), torch.zeros(1, 3)), match="tokens_in"),
    case("CaptionStep-model", lambda: captioning.CaptionStep()(
        nn.Linear(2, 2), (torch.zeros(1, 3, 48, 48), torch.ones(1, 3, dtype=torch.long)), {}),
         match="model"),
    case("soft_attention-shapes", lambda: captioning.soft_attention(
        torch.zeros(2, 4, 3), torch.zeros(2, 5), torch.zeros(6, 3), torch.zeros(6, 4),
        torch.zeros(6)), match="shapes"),
    case("check_images-numpy", lambda: captioning.check_images(np.zeros((1, 3, 48, 48))),
         match="images"),
    case("greedy_caption-model", lambda: captioning.greedy_caption(
        nn.Linear(2, 2), torch.zeros(1, 3, 48, 48)), match="model"),
    case("greedy_caption-max-len", lambda: captioning.greedy_caption(
        captioning.Captioner(20), torch.zeros(1, 3, 48, 48), max_len=10**6), match="max_len"),
    case("caption_images-vocab", lambda: captioning.caption_images(
        captioning.Captioner(20), "vocab", torch.zeros(1, 3, 48, 48)), match="vocab"),
    case("caption_tensors-empty", lambda: captioning.caption_tensors(
        [], text.Vocab(captioning.CAPTION_WORDS)), match="scenes"),
    case("caption_tensors-both", lambda: captioning.caption_tensors(
        captioning.make_scenes(1), text.Vocab(captioning.CAPTION_WORDS), both="yes"),
         match="both"),
    case("score_captions-lengths", lambda: captioning.score_captions(
        [["a"]], captioning.make_scenes(2)), match="same length"),
    case("attention_on_objects-caption", lambda: captioning.attention_on_objects(
        ["a"], captioning.make_scenes(1)[0]), match="caption"),
    case("render_caption-weights", lambda: viz.render_caption(
        fig(), np.zeros((3, 48, 48)), ["a", "b"], np.ones((5, 6, 6))), match="weights"),
    case("render_caption-image", lambda: viz.render_caption(fig(), np.zeros((48, 48)), ["a"]),
         match="image"),
    case("render_caption_gallery-columns", lambda: viz.render_caption_gallery(
        fig(), np.zeros((1, 3, 8, 8)), [["a"]], [5], ["x", "y", "z"]), match="columns"),
    case("caption_explorer-model", lambda: widgets.caption_explorer(
        nn.Linear(2, 2), text.Vocab(captioning.CAPTION_WORDS)), match="model"),
    case("caption_explorer-side", lambda: widgets.caption_explorer(
        captioning.Captioner(20), text.Vocab(captioning.CAPTION_WORDS), side=50), match="side"),
    case("caption_explorer-scene", lambda: widgets.caption_explorer(
        captioning.Captioner(20), text.Vocab(captioning.CAPTION_WORDS), scene="a scene"),
         match="scene"),
    case("check_soft_attention-no-softmax", lambda: checks.check_soft_attention(
        lambda f, h, wf, wh, v: (torch.ones(f.shape[:2]) / f.shape[1], f.mean(1))),
         WrongAnswer, "softmax"),
    case("check_caption_errors-no-swap", lambda: checks.check_caption_errors(
        lambda w, s: None if captioning.parse_caption(w) is None else sum(
            a != b for a, b in zip(w, captioning.scene_captions(s)[0]))),
         WrongAnswer, "both ways"),
    # notebook 16: question answering (course_utils.qa, viz/widgets/checks)
    case("make_story-task", lambda: qa.make_story("who", 3), match="task"),
    case("make_story-length", lambda: qa.make_story("two facts", 1), match="length"),
    case("make_story-rng", lambda: qa.make_story("one fact", 3, rng="0"), match="rng"),
    case("make_dataset-n", lambda: qa.make_dataset(0), match="n must"),
    case("make_dataset-lengths", lambda: qa.make_dataset(2, lengths=(5, 3)), match="lengths"),
    case("make_dataset-tasks", lambda: qa.make_dataset(2, tasks="one fact"), match="tasks"),
    case("replay_story-string", lambda: qa.replay_story("mary went to the kitchen ."),
         match="story"),
    case("replay_story-impossible", lambda: qa.replay_story(["mary took the apple ."]),
         match="story"),
    case("QAReader-vocab", lambda: qa.QAReader(2), match="vocab_size"),
    case("QAReader-hidden", lambda: qa.QAReader(10, hidden=0), match="hidden"),
    case("QAReader-2d-ids", lambda: qa.QAReader(10)(torch.ones(2, 3, dtype=torch.long)),
         match="ids"),
    case("QAReader-padding-only", lambda: qa.QAReader(10)(torch.zeros(1, 2, 3, dtype=torch.long)),
         match="padding only"),
    case("QAStep-answers", lambda: qa.QAStep()(qa.QAReader(10), (
        torch.ones(2, 1, 3, dtype=torch.long), torch.tensor([0, 99])), {}), match="answers"),
    case("encode_examples-order", lambda: qa.encode_examples(
        qa.make_dataset(2), text.Vocab(["mary"]), "question middle"), match="order"),
    case("encode_examples-one", lambda: qa.encode_examples(
        qa.make_dataset(1)[0], text.Vocab(["mary"])), match="examples"),
    case("encode_sentences-vocab", lambda: qa.encode_sentences([["a ."]], "vocab"),
         match="vocab"),
    case("encode_sentences-empty-story", lambda: qa.encode_sentences([[]], text.Vocab(["a"])),
         match="stories"),
    case("answer_ids-empty", lambda: qa.answer_ids([]), match="examples"),
    case("reading_order-question", lambda: qa.reading_order(["a ."], None), match="question"),
    case("check_examples-strings", lambda: qa.check_examples(["mary"]), match="QAExample"),
    case("predict_answers-model", lambda: qa.predict_answers(
        nn.Linear(2, 2), qa.make_dataset(2), text.Vocab(["mary"])), match="model"),
    case("accuracy_by-grouping", lambda: qa.accuracy_by(
        qa.make_dataset(2), [True, False], by="colour"), match="grouping"),
    case("accuracy_by-correct", lambda: qa.accuracy_by(qa.make_dataset(2), [True]),
         match="correct"),
    case("accuracy_by-bins", lambda: qa.accuracy_by(
        qa.make_dataset(2), [True, False], by="length", bins=[5, 3]), match="bins"),
    case("majority_baseline-test", lambda: qa.majority_baseline(qa.make_dataset(3), "test"),
         match="test"),
    case("majority_baseline-missing-task", lambda: qa.majority_baseline(
        qa.make_dataset(2, tasks=["one fact"]), qa.make_dataset(2, tasks=["yes/no"])),
         match="train has no"),
    case("parse_story-number", lambda: qa.parse_story(42), match="story"),
    case("parse_story-huge", lambda: qa.parse_story("a. " * 3000), match="5,000"),
    case("answer_question-empty", lambda: qa.answer_question(
        qa.QAReader(10), text.Vocab(["mary"]), " . ", "where is mary ?"), match="empty"),
    case("answer_question-unknown", lambda: qa.answer_question(
        qa.QAReader(10), text.Vocab(["mary"]), "mary went to the moon.", "where is mary ?"),
         match="never saw"),
    case("answer_question-model", lambda: qa.answer_question(
        nn.Linear(2, 2), text.Vocab(["mary"]), "mary.", "where?"), match="model"),
    case("render_task_accuracy-range", lambda: viz.render_task_accuracy(
        fig(), {"reader": {"one fact": [1.5]}}), match="accuracies"),
    case("render_task_accuracy-empty", lambda: viz.render_task_accuracy(fig(), {}),
         match="results"),
    case("render_accuracy_curves-trained", lambda: viz.render_accuracy_curves(
        fig(), {"r": {"2-4": 0.9}}, "length", trained_up_to="99"), match="trained_up_to"),
    case("render_accuracy_curves-xlabel", lambda: viz.render_accuracy_curves(
        fig(), {"r": {"2-4": 0.9}}, 3), match="xlabel"),
    case("render_answer-probs", lambda: viz.render_answer(
        fig(), ["a ."], "q ?", {"yes": 0.9, "no": 0.9}), match="probs"),
    case("render_answer-truth", lambda: viz.render_answer(
        fig(), ["a ."], "q ?", {"yes": 0.5, "no": 0.5}, truth="maybe"), match="truth"),
    case("render_answer-sentences", lambda: viz.render_answer(
        fig(), "a .", "q ?", {"yes": 0.5, "no": 0.5}), match="sentences"),
    case("qa_explorer-readers", lambda: widgets.qa_explorer({}, qa.make_dataset(2)),
         match="readers"),
    case("qa_explorer-examples", lambda: widgets.qa_explorer(
        {"r": lambda s, q: None}, qa.make_dataset(1)), match="examples"),
    case("qa_box-answer", lambda: widgets.qa_box("answer"), match="answer"),
    case("qa_box-story", lambda: widgets.qa_box(lambda s, q: None, story=None), match="story"),
    case("check_where_is-last-mention", lambda: checks.check_where_is(
        lambda story, p: next((s.split()[-2] for s in story[::-1] if s.split()[0] == p), None)),
         WrongAnswer, "does not move"),
    case("check_where_is-number", lambda: checks.check_where_is(lambda story, p: 3),
         WrongAnswer, "expected a place"),
    case("check_majority_accuracy-percent", lambda: checks.check_majority_accuracy(
        lambda tr, te: {t: 100 * a for t, a in qa.majority_baseline(tr, te).items()}),
         WrongAnswer, "fraction"),
    case("check_majority_accuracy-list", lambda: checks.check_majority_accuracy(
        lambda tr, te: [0.1, 0.2, 0.5]), WrongAnswer, "dict"),
]


def _npz_bytes() -> bytes:
    import io

    buf = io.BytesIO()
    np.savez(buf, something_else=np.zeros(3))
    return buf.getvalue()


@pytest.mark.parametrize("call,exc,match", CASES)
def test_bad_input_fails_fast_and_clearly(call, exc, match):
    if exc is None:  # input that used to crash and is now handled
        call()
        return
    with pytest.raises(exc, match=match) as info:
        call()
    assert type(info.value) is exc, f"expected exactly {exc.__name__}, got {type(info.value)}"


def test_there_are_many_cases_covering_every_public_module():
    ids = [p.id for p in CASES]
    assert len(ids) == len(set(ids)) and len(ids) > 150
    assert MAX_ELEMENTS == 50_000_000


NO_CASE_NEEDED = {  # public names without arguments to get wrong, or exercised by the tests below
    "stub_error", "checker", "call_student", "WrongAnswer", "data_dir", "DataIntegrityError",
    "DatasetUnavailable", "Summary", "SummaryRow", "demo_apps", "param_growth_explorer",
    "flashlight_demo_grid", "Result", "LongLagResult", "JacobianNorms", "recorded_long_lag", "GapResult",
    "WeightsUnavailable", "LinearOnCodes", "weights_dir", "weights_path", "imagenet_classes",
    "Generated", "NumberPair", "EncoderStates", "Translation",
    "SceneObject", "Scene", "ParsedCaption", "Caption",  # captioning's records (notebook 15)
    "QAExample", "Answer"}  # question answering's records (notebook 16)


def _names(code, out):
    out.update(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            _names(const, out)
    return out


def test_every_public_function_has_a_bad_input_case():
    """A new public function (a new chapter's) needs its cases in CASES, or a reason here."""
    used = set()
    for p in CASES:
        _names(p.values[0].__code__, used)
    for helper in (fit1, pair, in_data_dir):
        _names(helper.__code__, used)
    missing = [f"{module.__name__}.{name}"
               for module in (captioning, checks, conv, data, models, pooling, qa, rnn, seq2seq,
                              sequences, text, train, transfer, viz, widgets)
               for name in module.__all__
               if callable(getattr(module, name)) and name not in used | NO_CASE_NEEDED]
    assert not missing, f"public functions without a bad-input case: {missing}"


# --- the checker protocol: correct, not done yet, or wrong with the case and a hint --------------

def conv2d_loops(x, w, b, stride, padding, dtype=np.float64):
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding))).astype(dtype)
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    Ho, Wo = (H - KH) // stride + 1, (W - KW) // stride + 1
    out = np.zeros((N, F, Ho, Wo), dtype=dtype)
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    win = x[n, :, i * stride:i * stride + KH, j * stride:j * stride + KW]
                    out[n, f, i, j] = np.sum(win * w[f].astype(dtype)) + dtype(b[f])
    return out


def test_a_correct_float32_conv2d_naive_is_accepted(capsys):
    checks.check_conv2d_naive(lambda *a: conv2d_loops(*a, dtype=np.float32))
    assert capsys.readouterr().out.startswith("Correct: conv2d_naive passes 7 cases")


def test_a_correct_tensor_answer_is_accepted(capsys):
    checks.check_conv2d_naive(lambda *a: torch.from_numpy(conv2d_loops(*a)))
    checks.check_pool2d(lambda x, **k: torch.from_numpy(pooling.pool2d(x, **k)))
    checks.check_output_size(lambda n, f, s, p: torch.tensor((n - f + 2 * p) // s + 1))
    checks.check_answer("shape", torch.tensor([1, 2]), (1, 2))
    checks.check_to_unit_range(lambda im: torch.from_numpy(im.astype(np.float32) / 255))
    out = capsys.readouterr().out
    assert out.count("Correct") == 5, out


def test_expect_equal_and_close_compare_tensors():
    checks.expect_equal(torch.tensor([1, 2]), torch.tensor([1, 2]))
    checks.expect_equal(torch.tensor([1, 2]), np.array([1, 2]))
    checks.expect_equal([1, 2], (1, 2))
    checks.expect_close(torch.tensor([1.0, 2.0], requires_grad=True), [1.0, 2.0])
    with pytest.raises(WrongAnswer):
        checks.expect_close(torch.tensor([1.0, 2.5]), [1.0, 2.0])


def test_float32_tolerance_is_float32_not_float64():
    want = np.random.default_rng(1).standard_normal(100) * 10
    checks.expect_close(want.astype(np.float32), want, rtol=1e-9, atol=1e-12)
    with pytest.raises(WrongAnswer):   # a real mistake is still caught
        checks.expect_close((want * 1.001).astype(np.float32), want, rtol=1e-9, atol=1e-12)
    with pytest.raises(WrongAnswer):   # float64 keeps the tolerance asked for
        checks.expect_close(want * (1 + 1e-6), want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("checker", [
    checks.check_to_unit_range, checks.check_neuron_weights, checks.check_pool2d,
    checks.check_conv2d_naive, checks.check_output_size, checks.check_lenet_sizes,
    checks.check_conv_params, checks.check_trainable_subsampling, checks.check_alexnet_step,
    checks.check_conv_layer_stats, checks.check_cnn_parameters, checks.check_flip_factors,
    checks.check_rows_lost, checks.check_centre_gradient, checks.check_maxpool_backward,
    checks.check_lenet_module, checks.check_training_loop, checks.check_colour_lenet,
    checks.check_new_head, checks.check_fine_tune_setup, checks.check_sample_next,
    checks.check_step_jacobian, checks.check_vanishing_rule, checks.check_bptt_step,
    checks.check_rnn_step, checks.check_rnn_parameters, checks.check_embedding_lookup,
    checks.check_cell_update, checks.check_gate_roles,
    checks.check_sentence_bleu, checks.check_greedy_translate,
    checks.check_soft_attention, checks.check_caption_errors],
    ids=lambda c: c.__name__)
def test_every_checker_answers_three_ways(checker, capsys):
    checker(stub)                                                      # untouched stub
    assert capsys.readouterr().out.startswith("Not done yet")
    checker(...)
    assert capsys.readouterr().out.startswith("Not done yet")
    with pytest.raises(WrongAnswer) as info:                          # the student's code raises
        checker(raises(ZeroDivisionError("division by zero")))
    assert isinstance(info.value.__cause__, ZeroDivisionError)        # their traceback stays
    assert "ZeroDivisionError" in str(info.value) and ":" in str(info.value)
    with pytest.raises(WrongAnswer) as info:                          # not the stub's error
        checker(raises(NotImplementedError("aten::op is not implemented for 'MPS'")))
    assert "Not done yet" not in capsys.readouterr().out
    assert isinstance(info.value.__cause__, NotImplementedError)
    assert "MPS" in str(info.value)
    for wrong in (lambda *a, **k: None, lambda *a, **k: "x", lambda *a, **k: np.array([[1, 2]]),
                  lambda *a, **k: [[1, 2], [3]], lambda *a, **k: torch.zeros(3)):
        with pytest.raises(WrongAnswer):                              # wrong types and shapes
            checker(wrong)


def test_stub_message_inside_a_longer_error_is_not_done(capsys):
    checks.check_output_size(raises(NotImplementedError(f"{STUB_MESSAGE} (cell 12)")))
    assert capsys.readouterr().out.startswith("Not done yet")


def test_check_answer_keeps_its_messages(capsys):
    checks.check_answer("weights of one neuron", 28 * 28, 784)
    checks.check_answer("pi", 3.14159, 3.14, rtol=0.01)
    assert capsys.readouterr().out == ("Correct: weights of one neuron = 784.\n"
                                       "Correct: pi = 3.14159.\n")


# --- fixed behaviours that are not errors -------------------------------------------------------

def test_fit_max_steps_zero_trains_nothing():
    model = nn.Linear(2, 2)
    before = [p.detach().clone() for p in model.parameters()]
    h = fit1(model=model, max_steps=0)
    assert len(h) == 0 and h.step_losses == []
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_fit_max_steps_trains_exactly_that_many():
    h = fit1(epochs=5, batch_size=4, max_steps=7)
    assert len(h.step_losses) == 7


def test_fit_stops_the_moment_the_loss_is_not_finite():
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.fill_(1e30)          # finite weights whose logits overflow on the first batch
    before = model.weight.detach().clone()
    X, y = pair()
    with pytest.raises(FloatingPointError, match="epoch 1, step 1") as info:
        fit1((X * 1e30, y), model=model, epochs=3, lr=0.1)
    assert "learning rate" in str(info.value)
    assert torch.equal(model.weight.detach(), before)  # the step with the bad loss was not taken


def test_fit_names_the_epoch_when_the_weights_blow_up():
    with pytest.raises(FloatingPointError, match="lower the learning rate"):
        fit1((pair()[0] * 1e30, pair()[1]), epochs=3, lr=1e10)


def test_fit_detects_weights_that_blow_up_on_the_last_step():
    with pytest.raises(FloatingPointError, match="weights"):
        fit1((pair()[0] * 1e20, pair()[1]), lr=1e25, max_steps=1)


def test_fit_casts_float64_inputs_to_the_model_dtype():
    h64 = fit1(pair(dtype=torch.float64), epochs=2)
    torch.manual_seed(0)
    h32 = fit1((pair(dtype=torch.float64)[0].float(), pair()[1]), epochs=2)
    assert len(h64) == len(h32) == 2


def test_fixing_padding_is_instant_and_matches_the_search():
    def search(n, f, s, p):
        for extra in range(s):
            if (n - f + 2 * (p + extra)) % s == 0:
                return p + extra
        return None

    for n in range(1, 12):
        for f in range(1, 8):
            for s in range(1, 9):
                for p in range(0, 3):
                    assert conv.fixing_padding(n, f, s, p) == search(n, f, s, p), (n, f, s, p)
    assert conv.fixing_padding(7, 3, 10**12 + 1) is not None   # no loop over 10**12 strides


def test_tensor_inputs_to_numpy_layers_work():
    t = torch.ones(1, 3, 5, 5, requires_grad=True)
    np.testing.assert_allclose(conv.conv2d(t, W4), conv.conv2d(np.ones((1, 3, 5, 5)), W4))
    np.testing.assert_allclose(pooling.pool2d(torch.arange(16.0).reshape(4, 4)),
                               pooling.pool2d(GRID))


def test_every_explorer_survives_every_control_value():
    """App.update never raises; with sane data every setting draws or explains (ValueError)."""
    apps = [widgets.pooling_explorer(), widgets.stride_padding_explorer(),
            widgets.flashlight_explorer(), widgets.momentum_explorer()]
    for a in apps:
        for name, control in a.controls.items():
            values = (getattr(control, "options", None)
                      or sorted({control.min, control.max, (control.min + control.max) / 2}))
            for v in values:
                v = type(control.value)(v)
                result = a.set(**{name: v})
                assert result.error == "", (name, v, result.message)
