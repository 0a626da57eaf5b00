"""The explorables' contract, from gdlesson's side: the run that a ``data-settings`` dictionary names.

``data-settings`` is ``{"objective": {"name", **kwargs}, "optimizer": {"name", **kwargs}, "w0", "steps"}``
and, for a mini-batch explorable, ``"batch_size"``, ``"epochs"`` and ``"seed"``; a learning rate may be a
schedule, ``{"schedule": <a gdlesson.schedules function>, **kwargs}``. The browser tests compare what an
explorable draws (``data-path``, and ``data-steps`` where it draws every step) with these runs.
"""

from __future__ import annotations

import warnings

import numpy as np

import gdlesson as gd


class StepRecorder:
    """An optimizer that records every iterate the one it wraps returns (gd.minimize keeps one per epoch)."""

    def __init__(self, optimizer):
        self.optimizer, self.steps = optimizer, []

    def reset(self):
        self.optimizer.reset()
        self.steps = []

    def step(self, w, g):
        w = self.optimizer.step(w, g)
        self.steps.append(w)
        return w


def gdlesson_run(settings, record=False):
    """gd.minimize for data-settings: its Result, and the optimizer it ran (wrapped in a StepRecorder when
    ``record``)."""
    objective, optimizer = dict(settings["objective"]), dict(settings["optimizer"])
    make_objective, make_optimizer = getattr(gd, objective.pop("name")), getattr(gd, optimizer.pop("name"))
    if isinstance(optimizer.get("lr"), dict):  # {"schedule": name, **kwargs}: a gdlesson.schedules function
        schedule = dict(optimizer["lr"])
        optimizer["lr"] = getattr(gd.schedules, schedule.pop("schedule"))(**schedule)
    if settings.get("batch_size") is None:
        length = {"max_iter": settings["steps"]}
    else:
        length = {key: settings[key] for key in ("batch_size", "epochs", "seed")}
    optimizer = make_optimizer(**optimizer)
    if record:
        optimizer = StepRecorder(optimizer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a diverging setting warns; its path is still compared
        run = gd.minimize(make_objective(**objective), np.array(settings["w0"], dtype=float), optimizer,
                          **length)
    return run, optimizer


def gdlesson_path(settings):
    """``data-path`` as gdlesson computes it: the recorded iterates, from w0 on."""
    return gdlesson_run(settings)[0].path


def gdlesson_steps(settings):
    """``data-steps`` as gdlesson computes it: w0 and every step of the epochs in the path (mini-batch)."""
    run, recorder = gdlesson_run(settings, record=True)
    steps_per_epoch = -(-len(settings["objective"]["y"]) // settings["batch_size"])
    return np.array([settings["w0"]] + recorder.steps)[:1 + run.n_iter * steps_per_epoch]
