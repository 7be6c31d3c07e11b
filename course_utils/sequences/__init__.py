"""Sequence tasks with long time lags, and the small models that learn them (chapter 4).

:func:`adding_problem` is the adding problem of Hochreiter & Schmidhuber (1997): T steps of
(uniform value, marker), two of them marked, the target the sum of the two marked values;
predicting the mean scores :data:`ADDING_BASELINE_MSE` = 1/6. :class:`SequenceRegressor` reads a
sequence with a plain RNN, an LSTM or a GRU and maps its last hidden state to one number; with
``keep_states=True`` it keeps every step's state so that :func:`state_gradient_norms` can read
||dL/dh_t||, the direct evidence for vanishing gradients. :func:`train_long_lag` trains one with
:func:`course_utils.train.fit` (Adam, gradient clipping), :func:`long_lag_sweep` repeats it over
cells, lengths T and seeds, and :func:`success_rate` / :func:`format_sweep` turn the runs into a
table.

:func:`gap_task` (notebook 10) turns the notes' small and large gaps into a task with the gap as a
dial; :func:`train_gap` and :func:`gap_sweep` train a :class:`GapClassifier` on it.

Modules: :mod:`~course_utils.sequences.tasks` (the data), :mod:`~course_utils.sequences.models`
(the model, the state gradients), :mod:`~course_utils.sequences.experiments` (training, sweeps),
:mod:`~course_utils.sequences.jacobians` (step Jacobians, their products, the terms of BPTT),
:mod:`~course_utils.sequences.gap` (the gap task), :mod:`~course_utils.sequences.gates` (the
bracket-counting task and the LSTM's gates, notebook 12).
Nothing runs at import time.
"""
from .experiments import (
    SUCCESS_MSE,
    LongLagResult,
    RegressionStep,
    format_sweep,
    long_lag_sweep,
    recorded_long_lag,
    recurrent_init,
    set_forget_bias,
    success_rate,
    train_long_lag,
)
from .gap import GAP_SOLVED, GapClassifier, GapResult, gap_sweep, gap_task, train_gap
from .gates import (
    BRACKET_ALPHABET,
    bracket_sequences,
    bracket_text,
    lstm_states,
    unit_correlations,
)
from .jacobians import (
    GAMMA,
    JacobianNorms,
    bptt_terms,
    jacobian_product_norms,
    orthogonal_matrix,
)
from .models import CELLS, SequenceRegressor, state_gradient_norms
from .tasks import ADDING_BASELINE_MSE, adding_problem

__all__ = ["ADDING_BASELINE_MSE", "adding_problem", "CELLS", "SequenceRegressor",
           "state_gradient_norms", "SUCCESS_MSE", "LongLagResult", "RegressionStep",
           "recurrent_init", "set_forget_bias", "train_long_lag", "long_lag_sweep", "success_rate", "format_sweep",
           "recorded_long_lag"]
__all__ += ["GAMMA", "orthogonal_matrix", "JacobianNorms", "jacobian_product_norms",
            "bptt_terms"]  # jacobians.py: the products that vanish or explode (notebook 11)
__all__ += ["GAP_SOLVED", "gap_task", "GapClassifier", "GapResult", "train_gap",
            "gap_sweep"]  # gap.py: the small and large gaps of notebook 10
__all__ += ["BRACKET_ALPHABET", "bracket_sequences", "bracket_text", "unit_correlations",
            "lstm_states"]  # gates.py: a unit that counts brackets, and the gates (notebook 12)
