"""Recorded runs of tools/long_lag_sweep.py (generated: do not edit by hand; re-run the tool).

The adding problem for each cell, length T and seed, trained with SETTINGS; each run is
(cell, T, seed, held-out MSE, seconds). Read them with
:func:`course_utils.sequences.recorded_long_lag`.
"""

SETTINGS = {'batch_size': 64,
 'clip': 1.0,
 'date': '2026-11-30',
 'hidden_size': 64,
 'lr': 0.003,
 'machine': 'x86_64, 2 CPUs, one thread',
 'n_test': 1000,
 'optimizer': 'adam',
 'steps': 2000,
 'torch': '2.14.1+cu130'}

RUNS = [
    ('rnn', 50, 0, 0.170198, 207.5),
    ('rnn', 50, 1, 0.158243, 68.7),
    ('lstm', 50, 0, 0.001012, 68.5),
    ('lstm', 50, 1, 0.000311, 80.0),
    ('gru', 50, 0, 0.000136, 126.2),
    ('gru', 50, 1, 0.000129, 229.4),
    ('rnn', 100, 0, 0.166389, 114.9),
    ('rnn', 100, 1, 0.167049, 107.3),
    ('lstm', 100, 0, 0.001826, 129.7),
    ('lstm', 100, 1, 0.168233, 118.4),
    ('gru', 100, 0, 0.000295, 330.9),
    ('gru', 100, 1, 0.000232, 203.3),
    ('rnn', 20, 0, 0.029038, 20.7),
    ('rnn', 20, 1, 0.009922, 20.9),
    ('lstm', 20, 0, 0.000169, 29.4),
    ('lstm', 20, 1, 7.7e-05, 30.0),
    ('gru', 20, 0, 0.000158, 51.8),
    ('gru', 20, 1, 0.000265, 46.5),
]
