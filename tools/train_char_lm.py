"""Train the longer-trained character model that notebook 13 loads: data/char_lstm_shakespeare.pt.

    python tools/train_char_lm.py                 # the shipped settings (44 min on 1 thread of a busy 2-core machine)
    python tools/train_char_lm.py --epochs 1 --out /tmp/lm.pt     # a quick try

The same model as the notebook's (``CharLSTM``: embedding 48, one LSTM layer of 192, linear
read-out), on the same data (the shipped Shakespeare, The Tempest held out for validation),
with the same loop (``fit`` with ``SequenceStep(carry_state=True)``: truncated backpropagation
through time, sequences of ``--seq-len`` characters, gradient clipping at 1.0, Adam), only for
many more epochs, with the learning rate annealed to zero on a cosine. The weights of the epoch
with the lowest validation loss are saved in float16 (about 0.4 MB) with the training record
(steps, seconds, threads, validation loss); the script then refreshes the file's row in
data/SHA256SUMS and data/README.md. The notebook prints that record next to the samples it
draws from this model.
"""
from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETTINGS = dict(embed=48, hidden=192, batch_size=64, seq_len=100, lr=3e-3, clip=1.0, epochs=30,
                seed=0)


def train(epochs: int, seed: int, threads: int, out: Path, max_steps: int | None = None) -> dict:
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    from course_utils.data import load_text
    from course_utils.repro import seed_everything
    from course_utils.text import CharLSTM, CharVocab, held_out_play, save_char_lm
    from course_utils.train import SequenceStep, fit, sequence_pairs

    torch.set_num_threads(threads)
    s = SETTINGS
    text = load_text("shakespeare")
    vocab = CharVocab.from_text(text)
    train_text, val_text = held_out_play(text)
    B, T = s["batch_size"], s["seq_len"]
    X, Y = sequence_pairs(vocab.encode(train_text), B, T)
    val = DataLoader(TensorDataset(*sequence_pairs(vocab.encode(val_text), B, T)), batch_size=B)
    seed_everything(seed)
    model = CharLSTM(len(vocab), s["embed"], s["hidden"])
    best = {"val_loss": float("inf")}
    start = time.perf_counter()

    def keep_best(m, record):
        print(f"epoch {int(record['epoch']):3d}  train {record['train_loss']:.4f}  "
              f"val {record['test_loss']:.4f} nats/char  ({time.perf_counter() - start:.0f} s)",
              flush=True)
        if record["test_loss"] < best["val_loss"]:
            best.update(val_loss=record["test_loss"], epoch=int(record["epoch"]),
                        state={k: v.detach().clone() for k, v in m.state_dict().items()})

    history = fit(model, (X, Y), val, epochs=epochs, batch_size=B, shuffle=False, device="cpu",
                  optimizer=lambda p: torch.optim.Adam(p, lr=s["lr"]),
                  scheduler=lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=epochs),
                  step=SequenceStep(carry_state=True), clip_grad_norm=s["clip"], seed=seed,
                  callback=keep_best, progress=False, max_steps=max_steps)
    seconds = time.perf_counter() - start
    model.load_state_dict(best["state"])
    info = {"script": "tools/train_char_lm.py", "epochs": epochs, "best_epoch": best["epoch"],
            "steps": len(history.step_losses), "seconds": round(seconds, 1), "threads": threads,
            "val_loss": round(best["val_loss"], 4), "val_text": "THE TEMPEST (held out)",
            "train_chars": len(train_text), "val_chars": len(val_text), "seed": seed,
            "torch": torch.__version__, "machine": f"{platform.machine()} {platform.system()}",
            **{k: v for k, v in s.items() if k not in ("epochs", "seed")}}
    save_char_lm(out, model, vocab, info)
    print(f"saved {out} ({out.stat().st_size:,} bytes): best epoch {best['epoch']}, val loss "
          f"{best['val_loss']:.4f} nats/char, {seconds / 60:.1f} min")
    return info


def update_manifest(data: Path, name: str, info: dict) -> None:
    """Refresh the checkpoint's line in SHA256SUMS and its rows in README.md (other lines kept)."""
    from course_utils.data import sha256_file

    digest, size = sha256_file(data / name), (data / name).stat().st_size
    sums = data / "SHA256SUMS"
    lines = [ln for ln in sums.read_text().splitlines() if ln.strip() and not ln.endswith(f"  {name}")]
    lines.append(f"{digest}  {name}")
    sums.write_text("".join(f"{ln}\n" for ln in sorted(lines, key=lambda ln: ln.split("  ", 1)[1])))
    readme = data / "README.md"
    text = readme.read_text()
    row = f"| `{name}` | {size:,} | `{digest}` |"
    text, n = re.subn(rf"^\| `{re.escape(name)}` \|.*$", row, text, flags=re.M)
    if n == 0:   # a new row, in file-name order
        rows = re.findall(r"^\| `([^`]+)` \| [\d,]+ \| `[0-9a-f]{64}` \|$", text, flags=re.M)
        if not rows:
            raise SystemExit("README.md has no file table to add the checkpoint's row to")
        before = [r for r in rows if r < name]
        if before:      # after the last row that sorts before it
            at = re.search(rf"^\| `{re.escape(max(before))}` \|.*$", text, flags=re.M).end()
            text = text[:at] + "\n" + row + text[at:]
        else:           # before the first row
            at = re.search(rf"^\| `{re.escape(min(rows))}` \|.*$", text, flags=re.M).start()
            text = text[:at] + row + "\n" + text[at:]
    files = re.findall(r"^\| `([^`]+)` \| ([\d,]+) \| `[0-9a-f]{64}` \|$", text, flags=re.M)
    total = sum(int(s.replace(",", "")) for _, s in files)
    text = re.sub(r"^Total: [\d,]+ bytes\.", f"Total: {total:,} bytes.", text, flags=re.M)
    text = re.sub(r"(trained for )[\d.]+ min(.*?)validation loss [\d.]+",
                  lambda m: f"{m.group(1)}{info['seconds'] / 60:.0f} min{m.group(2)}validation "
                            f"loss {info['val_loss']:.3f}", text, flags=re.S)
    readme.write_text(text)
    print(f"updated {sums} and {readme}")


def main(argv: list[str] | None = None) -> None:
    from course_utils.text import CHAR_LM_FILE

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=SETTINGS["epochs"])
    parser.add_argument("--seed", type=int, default=SETTINGS["seed"])
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    parser.add_argument("--max-steps", type=int, default=None, help="stop early (for a try)")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / CHAR_LM_FILE,
                        help="where to write (default data/%(default)s's name; data/SHA256SUMS "
                             "and data/README.md are updated only for that default)")
    args = parser.parse_args(argv)
    info = train(args.epochs, args.seed, args.threads, args.out, args.max_steps)
    if args.out.resolve() == (ROOT / "data" / CHAR_LM_FILE).resolve():
        update_manifest(ROOT / "data", CHAR_LM_FILE, info)


if __name__ == "__main__":
    main()
