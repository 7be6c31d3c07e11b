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
                                          (3, 7, 1, 2, False), (8, 3, 2, 1, False),
                                          (24, 7, 2, 3, False), (7, 1, 2, 0, True)])
def test_stride_padding_title(n, f, s, p, warn):
    """A warning exactly when input is never read (output_size(strict=True) raises)."""
    fig = draw(render_stride_padding, n=n, f=f, s=s, p=p)
    title = fig.axes[0].get_title(loc="left")
    assert f"→  {(n - f + 2 * p) // s + 1}×" in title
    assert ("⚠" in title) == warn
    if (n, f, s) in ((7, 3, 3), (8, 3, 2)) and warn:
        assert "Padding p=1 fixes it" in title    # (8, 3, 2): the row p=1 leaves over is padding
    if (n - f + 2 * p) % s and not warn:
        assert "but harmless" in title
    if s > f:
        assert "Use a stride of at most 1" in title


def test_flashlight_explorer_counts_the_positions_of_any_kernel_size():
    from course_utils.widgets import flashlight_explorer

    x = flashlight_demo_grid()                                    # 7x7
    for k, positions in ((np.ones((2, 2)), 36), (np.ones((5, 5)), 9), (np.ones((1, 4)), 28)):
        app = flashlight_explorer(x, kernels={"k": k})
        assert app.controls["step"].max == positions - 1
        assert app.set(step=positions - 1).kind == "figure"
    app = flashlight_explorer(x, kernels={"3x3": kernel("identity"), "2x2": np.ones((2, 2))})
    assert app.controls["step"].max == 35                         # the larger count
    r = app.set(kernel_name="3x3", step=30)
    assert r.kind == "message" and "25 positions" in r.message
    with pytest.raises(ValueError, match="1x1 to 7x7"):
        flashlight_explorer(x, kernels={"big": np.ones((8, 8))})
    with pytest.raises(ValueError, match="too small for the 5×5 kernel"):
        flashlight_explorer(np.zeros((4, 4)), kernels={"k": np.ones((5, 5))})


def test_stride_padding_window_too_large():
    with pytest.raises(ValueError, match="larger than the padded input"):
        draw(render_stride_padding, n=3, f=7, s=1, p=1)
