"""The chapter-1 convolution renderers: they draw, and refuse nonsense with a helpful ValueError."""
import numpy as np
import pytest
from matplotlib.figure import Figure

from course_utils.conv import kernel
from course_utils.viz import (
    render_activation_maps,
    render_feature_map,
    render_flashlight,
    render_kernel_gallery,
    render_stride_padding,
)
from course_utils.widgets import flashlight_demo_grid


def draw(render, **kw):
    fig = Figure(figsize=(6, 4), dpi=40)
    render(fig, **kw)
    fig.canvas.draw()
    return fig


def test_flashlight_every_position_and_stride_padding():
    x = flashlight_demo_grid()
    for stride, padding, positions in ((1, 0, 25), (2, 1, 16), ((2, 1), (0, 1), 21)):
        for step in (0, positions - 1):
            fig = draw(render_flashlight, image=x, kernel=kernel("sharpen"), step=step,
                       stride=stride, padding=padding)
            assert f"of {positions}" in fig._suptitle.get_text()
        with pytest.raises(ValueError, match=f"choose 0 to {positions - 1}"):
            draw(render_flashlight, image=x, kernel=kernel("sharpen"), step=positions,
                 stride=stride, padding=padding)
    with pytest.raises(ValueError, match="stride must be at least 1"):
        draw(render_flashlight, image=x, kernel=kernel("sharpen"), step=0, stride=0)


def test_flashlight_title_shows_the_right_sum():
    x = flashlight_demo_grid()
    fig = draw(render_flashlight, image=x, kernel=kernel("vertical edge"), step=7)
    assert fig._suptitle.get_text().endswith("= -9")     # out[1, 2], by hand in notebook 02


def test_feature_map_and_gallery():
    rng = np.random.default_rng(0)
    img = rng.random((20, 30, 3))
    draw(render_feature_map, image=img, kernel=kernel("sobel x"))
    draw(render_feature_map, image=img[:, :, 0], kernel=np.ones((5, 5)) / 25)
    with pytest.raises(ValueError, match="NaN or infinite"):
        draw(render_feature_map, image=img, kernel=np.full((3, 3), np.nan))
    with pytest.raises(ValueError, match=r"\(H, W\) gray or \(H, W, 3\) RGB"):
        draw(render_feature_map, image=rng.random((4, 5, 2)), kernel=np.ones((3, 3)))
    draw(render_kernel_gallery, images={"a": img, "b": img[:, :, 0]},
         kernels=["identity", "laplacian"])
    with pytest.raises(ValueError, match="unknown kernel"):
        draw(render_kernel_gallery, images={"a": img}, kernels=["emboss"])


def test_activation_maps():
    rng = np.random.default_rng(1)
    draw(render_activation_maps, image=rng.random((10, 10, 3)), maps=rng.standard_normal((3, 8, 8)),
         names=["a", "b", "c"])
    with pytest.raises(ValueError, match="3 maps but 2 names"):
        draw(render_activation_maps, image=rng.random((10, 10)), maps=rng.random((3, 8, 8)),
             names=["a", "b"])


@pytest.mark.parametrize("n,f,s,p,warn", [(7, 3, 1, 0, False), (7, 3, 3, 0, True),
                                          (8, 3, 2, 0, True), (7, 3, 3, 1, False),
                                          (3, 7, 1, 2, False)])
def test_stride_padding_title(n, f, s, p, warn):
    fig = draw(render_stride_padding, n=n, f=f, s=s, p=p)
    title = fig.axes[0].get_title(loc="left")
    assert f"→  {(n - f + 2 * p) // s + 1}×" in title
    assert ("⚠" in title) == warn
    if (n, f, s) == (7, 3, 3) and warn:
        assert "Padding p=1 fixes it" in title
    if (n, f, s) == (8, 3, 2):
        assert "No padding fixes it" in title


def test_stride_padding_window_too_large():
    with pytest.raises(ValueError, match="larger than the padded input"):
        draw(render_stride_padding, n=3, f=7, s=1, p=1)
