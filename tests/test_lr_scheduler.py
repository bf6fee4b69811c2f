"""tinygrad_lr.optim.lr_scheduler: every scheduler's learning rates equal torch's, step by step."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr import optim
from tinygrad_lr.optim import lr_scheduler

STEPS = 30

SCHEDULERS = [
    ("StepLR", {"step_size": 7}),
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [5, 12, 12, 20], "gamma": 0.3}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 10}),
    ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.001}),
    ("LambdaLR", {"lr_lambda": lambda epoch: 0.95**epoch / (1 + epoch % 4)}),
    ("LinearLR", {}),
    ("LinearLR", {"start_factor": 0.1, "end_factor": 0.7, "total_iters": 12}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": STEPS + 1}),
    ("OneCycleLR", {"max_lr": [0.5, 0.2], "epochs": 4, "steps_per_epoch": 8, "pct_start": 0.2}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 40, "three_phase": True}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 35, "anneal_strategy": "linear"}),
]


def _ids(configs):
    return [f"{name}-{i}" for i, (name, _) in enumerate(configs)]


def _optimizers(module, optimizer="SGD"):
    groups = [
        {"params": [module.zeros(2, requires_grad=True)]},
        {"params": [module.zeros(1, requires_grad=True)], "lr": 0.03},
    ]
    if optimizer == "SGD":
        return module.optim.SGD(groups, lr=0.1, momentum=0.9)
    return module.optim.Adam(groups, lr=0.1)


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
@pytest.mark.parametrize("name,kwargs", SCHEDULERS, ids=_ids(SCHEDULERS))
def test_learning_rates_equal_torchs(torch, name, kwargs, optimizer):
    runs = []
    for module in (tg, torch):
        opt = _optimizers(module, optimizer)
        scheduler = getattr(module.optim.lr_scheduler, name)(opt, **kwargs)
        runs.append((opt, scheduler))
    for step in range(STEPS):
        (ours, sched_ours), (theirs, sched_theirs) = runs
        # The same arithmetic in the same order: equal to the last bit, not only to 1e-12.
        assert sched_ours.get_last_lr() == sched_theirs.get_last_lr(), f"step {step}"
        for group_ours, group_theirs in zip(ours.param_groups, theirs.param_groups):
            assert group_ours["lr"] == group_theirs["lr"]
            for key in ("momentum", "betas"):  # OneCycleLR cycles them
                assert group_ours.get(key) == group_theirs.get(key)
        for opt, scheduler in runs:
            opt.step()
            scheduler.step()
    assert sched_ours.last_epoch == sched_theirs.last_epoch == STEPS
    lrs = [group["lr"] for group in ours.param_groups]
    assert lrs != [0.1, 0.03] or name == "LinearLR" and not kwargs  # the rate moved


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"mode": "max", "factor": 0.5, "patience": 2, "cooldown": 2},
        {"threshold_mode": "abs", "threshold": 0.05, "patience": 1, "min_lr": [0.02, 0.001]},
        {"mode": "max", "threshold_mode": "abs", "patience": 0, "min_lr": 0.01, "eps": 0.001},
    ],
)
def test_reduce_lr_on_plateau_equals_torch(torch, kwargs):
    rng = np.random.default_rng(0)
    metrics = np.cumsum(rng.standard_normal(60)) * 0.1
    ours = _optimizers(tg)
    theirs = _optimizers(torch)
    sched_ours = lr_scheduler.ReduceLROnPlateau(ours, **kwargs)
    sched_theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(theirs, **kwargs)
    history = []
    for value in metrics:
        ours.step()
        theirs.step()
        sched_ours.step(tg.tensor(value))
        sched_theirs.step(value)
        assert sched_ours.get_last_lr() == sched_theirs.get_last_lr()
        assert sched_ours.num_bad_epochs == sched_theirs.num_bad_epochs
        history.append(sched_ours.get_last_lr()[0])
    assert len(set(history)) > 1  # it did reduce


@pytest.mark.parametrize("name,kwargs", SCHEDULERS[::3], ids=_ids(SCHEDULERS[::3]))
def test_state_dict_round_trip_resumes_the_schedule(name, kwargs):
    opt = _optimizers(tg)
    scheduler = getattr(lr_scheduler, name)(opt, **kwargs)
    for _ in range(10):
        opt.step()
        scheduler.step()
    saved, saved_opt = scheduler.state_dict(), opt.state_dict()
    assert "optimizer" not in saved and saved["last_epoch"] == 10
    expected = []
    for _ in range(10):
        opt.step()
        scheduler.step()
        expected.append(scheduler.get_last_lr())
    # A fresh optimizer and scheduler, given the saved states, take the same steps. As in
    # torch, the scheduler is made before the optimizer's state (its learning rates) is loaded.
    opt2 = _optimizers(tg)
    scheduler2 = getattr(lr_scheduler, name)(opt2, **kwargs)
    opt2.load_state_dict(saved_opt)
    scheduler2.load_state_dict(saved)
    got = []
    for _ in range(10):
        opt2.step()
        scheduler2.step()
        got.append(scheduler2.get_last_lr())
    assert got == expected


def test_state_dict_keys_equal_torchs(torch):
    for name, kwargs in [("StepLR", {"step_size": 3}), ("CosineAnnealingLR", {"T_max": 5})]:
        ours = getattr(lr_scheduler, name)(_optimizers(tg), **kwargs).state_dict()
        theirs = getattr(torch.optim.lr_scheduler, name)(_optimizers(torch), **kwargs)
        theirs = theirs.state_dict()
        torch_only = {"_get_lr_called_within_step", "_is_initial"}
        assert set(ours) - {"_is_initial"} == set(theirs) - torch_only
        assert ours["base_lrs"] == theirs["base_lrs"] == [0.1, 0.03]


def test_lambda_lr_state_dict_leaves_functions_out():
    opt = _optimizers(tg)
    scheduler = lr_scheduler.LambdaLR(opt, [lambda e: 1.0, lambda e: 0.5])
    assert scheduler.state_dict()["lr_lambdas"] == [None, None]
    scheduler.load_state_dict(scheduler.state_dict())
    assert callable(scheduler.lr_lambdas[0])


def test_order_warning_as_torchs(torch):
    for module in (tg, torch):
        opt = _optimizers(module)
        scheduler = module.optim.lr_scheduler.StepLR(opt, step_size=2)
        with pytest.warns(UserWarning) as record:
            scheduler.step()
        assert str(record[0].message).startswith(
            "Detected call of `lr_scheduler.step()` before `optimizer.step()`."
        )
        messages = [str(r.message) for r in record]
        if module is tg:
            ours = messages
        else:
            assert ours == messages


def test_no_warning_in_the_right_order():
    opt = _optimizers(tg)
    scheduler = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            opt.step()
            scheduler.step()
    assert scheduler.get_last_lr() == [0.1 * 0.5**3, 0.03 * 0.5**3]


def _error(callable_, *args, **kwargs):
    with pytest.raises(Exception) as info:
        callable_(*args, **kwargs)
    return type(info.value), str(info.value)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("LinearLR", {"start_factor": 0}),
        ("LinearLR", {"start_factor": 1.5}),
        ("LinearLR", {"end_factor": -0.1}),
        ("LambdaLR", {"lr_lambda": [lambda e: 1.0]}),
        ("OneCycleLR", {"max_lr": 0.1}),
        ("OneCycleLR", {"max_lr": 0.1, "total_steps": 0}),
        ("OneCycleLR", {"max_lr": 0.1, "epochs": 0, "steps_per_epoch": 3}),
        ("OneCycleLR", {"max_lr": 0.1, "epochs": 2, "steps_per_epoch": -3}),
        ("OneCycleLR", {"max_lr": 0.1, "total_steps": 10, "pct_start": 1.5}),
        ("OneCycleLR", {"max_lr": 0.1, "total_steps": 10, "anneal_strategy": "exp"}),
        ("OneCycleLR", {"max_lr": [0.1], "total_steps": 10}),
        ("ReduceLROnPlateau", {"factor": 1.0}),
        ("ReduceLROnPlateau", {"mode": "maximum"}),
        ("ReduceLROnPlateau", {"threshold_mode": "relative"}),
        ("ReduceLROnPlateau", {"min_lr": [0.1]}),
    ],
)
def test_invalid_arguments_raise_torchs_errors(torch, name, kwargs):
    ours = _error(getattr(lr_scheduler, name), _optimizers(tg), **kwargs)
    theirs = _error(getattr(torch.optim.lr_scheduler, name), _optimizers(torch), **kwargs)
    assert ours == theirs


def test_other_errors_as_torchs(torch):
    assert _error(lr_scheduler.StepLR, "sgd", step_size=1) == _error(
        torch.optim.lr_scheduler.StepLR, "sgd", step_size=1
    )
    assert _error(lr_scheduler.StepLR, _optimizers(tg), 1, last_epoch=3)[0] is KeyError
    opt = optim.Adagrad([tg.zeros(1, requires_grad=True)])
    with pytest.raises(ValueError, match="must support momentum"):
        lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=5)
    opt = _optimizers(tg)
    scheduler = lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=2)
    opt.step()
    scheduler.step()
    opt.step()
    scheduler.step()
    with pytest.raises(ValueError, match="Tried to step 3 times"):
        scheduler.step()
