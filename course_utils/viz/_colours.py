"""The course's colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"),
distinguishable with every common colour-vision deficiency, for categorical colours.

Rules the figures follow (tests/test_accessibility.py checks the explorers' figures):
no red/green pair carries meaning (a red and a green drawn in one figure); categories take
:data:`CYCLE` in order; signed values use a diverging map centred at 0 (``vmin = -vmax``).
Colour never carries a meaning alone: a label, a line style or a printed number says it too.
"""
from __future__ import annotations

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"

# categorical colours, in order (black left out: it is used for marks and text)
CYCLE = (BLUE, ORANGE, BLUISH_GREEN, VERMILION, REDDISH_PURPLE, SKY_BLUE, YELLOW)


def categorical(i: int) -> str:
    """The i-th categorical colour (the palette repeats after seven).

    >>> categorical(0) == BLUE, categorical(7) == BLUE
    (True, True)
    """
    return CYCLE[int(i) % len(CYCLE)]
