"""Sizes of sliding windows, the one home for convolution and pooling: the output size, the input
rows that no window reads, and the paddings that fix them.

Along one axis: input size ``n``, window (filter) size ``f``, stride ``s``, zero padding ``p`` on
both sides. The windows start at ``0, s, 2s, ...`` of the padded input (``n + 2p`` rows) and
PyTorch keeps every window that fits::

    n_out = floor((n - f + 2p) / s) + 1

The floor leaves ``r = (n - f + 2p) mod s`` rows of the padded input after the last window. The
last ``p`` of them are padding, so only ``max(0, r - p)`` rows of real input are lost: ResNet's
stem (n=224, f=7, s=2, p=3) leaves one row over, a padding row, and reads every pixel. A stride
larger than the window also skips ``s - f`` rows between neighbouring windows.
"""
from __future__ import annotations

from .._validate import strict_int

__all__ = ["output_size", "unread_rows", "padding_to_read_all", "fixing_padding", "same_padding"]


def _sizes(n, f, s, p) -> tuple[int, int, int, int]:
    """Validated (n, f, s, p); a window larger than the padded input raises."""
    n, f = strict_int(n, "n (input size)", 1), strict_int(f, "f (window size)", 1)
    s, p = strict_int(s, "s (stride)", 1), strict_int(p, "p (padding)", 0)
    if f > n + 2 * p:
        raise ValueError(f"the window f={f} is larger than the padded input n + 2p = {n + 2 * p}: "
                         f"use f <= {n + 2 * p} or more padding")
    return n, f, s, p


def unread_rows(n: int, f: int, s: int = 1, p: int = 0) -> int:
    """How many rows (or columns) of the real input no window reads, along one axis.

    Two causes: the floor of :func:`output_size` drops the rows after the last window
    (``max(0, ((n - f + 2p) mod s) - p)`` of them are input, the rest padding), and a stride larger
    than the window skips ``s - f`` rows between windows. 0 means every input value can influence
    the output.

    >>> unread_rows(7, 3, 3), unread_rows(224, 7, 2, 3), unread_rows(8, 3, 2), unread_rows(8, 3, 2, 1)
    (1, 0, 1, 0)
    >>> unread_rows(7, 1, 2)            # 1x1 windows at stride 2 read rows 0, 2, 4, 6
    3
    """
    n, f, s, p = _sizes(n, f, s, p)
    last = (n - f + 2 * p) // s * s            # where the last window starts (padded coordinates)
    tail = min(n, max(0, p + n - max(last + f, p)))     # input rows after the last window
    if s <= f:
        return tail

    def skipped(m):  # rows x < m with x mod s >= f: between two windows (x < last)
        return m // s * (s - f) + max(0, m % s - f)
    return tail + skipped(min(p + n, last)) - skipped(min(p, last))


def padding_to_read_all(n: int, f: int, s: int = 1, p: int = 0) -> int | None:
    """The smallest padding ``p2 >= p`` with which the windows read every input row (see
    :func:`unread_rows`); ``None`` when the stride is larger than the window and rows are lost,
    since then the windows skip rows between them (use ``s <= f``).

    With ``s <= f``: ``p`` itself if ``((n - f + 2p) mod s) <= p``, else the padding that makes
    room for one more window, ``ceil(((floor((n - f + 2p) / s) + 1) * s - (n - f)) / 2)``.

    >>> padding_to_read_all(7, 3, 3), padding_to_read_all(8, 3, 2), padding_to_read_all(7, 1, 2)
    (1, 1, None)
    """
    if not unread_rows(n, f, s, p):
        return p
    if s > f:
        return None
    windows = (n - f + 2 * p) // s + 1
    return -(-(windows * s - (n - f)) // 2)


def fixing_padding(n: int, f: int, s: int = 1, p: int = 0) -> int | None:
    """The smallest padding ``p2 >= p`` that makes ``(n - f + 2*p2)`` divisible by ``s``.

    Returns ``None`` when no padding can fix it with this stride: ``2*p2`` is always even, so with
    an even stride ``n - f`` must be even too. Exact division is more than reading every input
    row needs (the rows left over may be padding): for that, see :func:`padding_to_read_all`.

    >>> fixing_padding(7, 3, 3), fixing_padding(8, 3, 2), fixing_padding(7, 3, 2)
    (1, None, 0)
    """
    n, f = strict_int(n, "n", 1), strict_int(f, "f", 1)
    s, p = strict_int(s, "s", 1), strict_int(p, "p", 0)
    d = n - f + 2 * p     # we need the smallest extra >= 0 with (d + 2*extra) % s == 0
    if s % 2:             # 2 is invertible modulo an odd s: extra = -d / 2 (mod s)
        return p + (-d * pow(2, -1, s)) % s
    if d % 2:             # d + 2*extra keeps d's parity, and an even s needs it even
        return None
    return p + (-(d // 2)) % (s // 2)   # d/2 + extra must be a multiple of s/2


def _unread_message(n: int, f: int, s: int, p: int, lost: int) -> str:
    """Why ``lost`` input rows are never read, and what fixes it (for ``strict=True``)."""
    span, r = n - f + 2 * p, (n - f + 2 * p) % s
    if s > f:
        return (f"n={n}, f={f}, s={s}, p={p}: no window reads {lost} row(s)/column(s) of the "
                f"input. The stride s={s} is larger than the window f={f}: each step skips "
                f"{s - f} row(s)/column(s) between two windows. Use a stride of at most {f}, or a "
                f"window of at least {s}.")
    fix = padding_to_read_all(n, f, s, p)
    return (f"n={n}, f={f}, s={s}, p={p}: no window reads the last {lost} row(s)/column(s) of the "
            f"input. (n - f + 2p) / s = ({n} - {f} + 2*{p}) / {s} = {span}/{s} is rounded down, "
            f"and {lost} of the {r} row(s)/column(s) left after the last window are input, not "
            f"padding. Fixes: padding p={fix} (output {(n - f + 2 * fix) // s + 1}); a window "
            f"f={f + lost}; {s - r} more zero row(s)/column(s) at the end only (asymmetric "
            f"padding: F.pad(x, (0, {s - r}, 0, {s - r})) pads the right and the bottom); or, for "
            "pooling, ceil_mode=True (one more window).")


def output_size(n: int, f: int, s: int = 1, p: int = 0, strict: bool = False) -> int:
    """Spatial output size of a convolution or pooling window: ``floor((n - f + 2p) / s) + 1``.

    ``n`` input size, ``f`` window (filter) size, ``s`` stride, ``p`` zero padding on each side.
    With ``strict=True``, a size at which some rows or columns of the real input are never read
    (:func:`unread_rows` > 0) raises ``ValueError`` saying how many, and the fixes. Rows of
    *padding* left over by the floor are harmless: ResNet's stem is fine.

    >>> output_size(32, 5), output_size(7, 3, s=2), output_size(7, 3, s=2, p=1)
    (28, 3, 4)
    >>> output_size(7, 3, s=3)          # (7 - 3) / 3 = 1.33..., rounded down
    2
    >>> output_size(224, 7, s=2, p=3, strict=True)   # 223/2 rounded down: the row left is padding
    112
    >>> output_size(7, 3, s=3, strict=True)
    Traceback (most recent call last):
    ...
    ValueError: n=7, f=3, s=3, p=0: no window reads the last 1 row(s)/column(s) of the input. (n - f + 2p) / s = (7 - 3 + 2*0) / 3 = 4/3 is rounded down, and 1 of the 1 row(s)/column(s) left after the last window are input, not padding. Fixes: padding p=1 (output 3); a window f=4; 2 more zero row(s)/column(s) at the end only (asymmetric padding: F.pad(x, (0, 2, 0, 2)) pads the right and the bottom); or, for pooling, ceil_mode=True (one more window).
    """
    n, f, s, p = _sizes(n, f, s, p)
    if strict:
        lost = unread_rows(n, f, s, p)
        if lost:
            raise ValueError(_unread_message(n, f, s, p, lost))
    return (n - f + 2 * p) // s + 1


def same_padding(f: int) -> int:
    """The padding that keeps the size unchanged at stride 1 ("same"): ``p = (f - 1) / 2``.

    Only odd windows have one (with an even ``f`` the two sides would need different padding).

    >>> same_padding(3), same_padding(5)
    (1, 2)
    """
    f = strict_int(f, "f (window size)", 1)
    if f % 2 == 0:
        raise ValueError(f"an even window f={f} has no symmetric 'same' padding: (f - 1) / 2 = "
                         f"{(f - 1) / 2}; use an odd window (1, 3, 5, ...)")
    return (f - 1) // 2
