"""Toy problems small enough to see whole: :mod:`~course_utils.toys.surfaces` (2-D loss surfaces
and the path of gradient descent with momentum on them, notebook 06)."""
from .surfaces import LOSS_SURFACES, momentum_path, surface_grad, surface_loss

__all__ = ["LOSS_SURFACES", "surface_loss", "surface_grad", "momentum_path"]
