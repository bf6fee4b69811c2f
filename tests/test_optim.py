"""tinygrad_lr.optim: SGD and Adam follow torch.optim's trajectories step by step.

Each trajectory test starts tinygrad_lr and torch from the same parameters, computes the same
loss in both at every step, and compares the parameters after each of 50 steps.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_lr as tg
import tinygrad_lr.nn.functional as F
from tinygrad_lr import nn, optim

STEPS = 50

CONFIGS = [
    ("SGD", {"lr": 0.05}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.05, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3}),
    ("SGD", {"lr": 0.02, "momentum": 0.9, "weight_decay": 0.05, "nesterov": True}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "maximize": True}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.05, "amsgrad": True, "maximize": True}),
    ("AdamW", {"lr": 0.05}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "centered": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.005, "momentum": 0.5, "centered": True, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.5}),
    ("Adagrad", {"lr": 0.1, "weight_decay": 0.1, "eps": 1e-6}),
]


def _ids(configs):
    return ["-".join([name, *(f"{k}={v}" for k, v in kwargs.items())]) for name, kwargs in configs]


def regression_problem(seed=0):
    """Data and initial parameters of a small regression, as float32 arrays."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((32, 3)).astype(np.float32)
    y = (X @ np.array([[2.0], [-3.4], [0.5]]) + 4.2).astype(np.float32)
    y += 0.1 * rng.standard_normal(y.shape).astype(np.float32)
    w0 = rng.standard_normal((3, 1)).astype(np.float32)
    b0 = np.zeros(1, np.float32)
    return X, y, w0, b0


def loss_fn(module, X, y, w, b):
    """A loss with some curvature: mean squared error of tanh-squashed linear predictions."""
    return ((module.tanh(X @ w + b) * 5 - y) ** 2).mean()


# float64 shows the trajectories are the same arithmetic; float32 that the dtype is kept and the
# paths stay together. Its tolerance is wider because the two matmuls' summation order is the
# CPU's BLAS choice, and a last-bit difference grows about a hundredfold over 50 steps of momentum.
TRAJECTORY_TOLERANCE = {"float64": 1e-10, "float32": 1e-4}


@pytest.mark.parametrize("dtype", TRAJECTORY_TOLERANCE)
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=_ids(CONFIGS))
def test_trajectory_equals_torch(torch, name, kwargs, dtype):
    X, y, w0, b0 = (a.astype(dtype) for a in regression_problem())
    tolerance = TRAJECTORY_TOLERANCE[dtype]
    ours = [tg.tensor(w0, requires_grad=True), tg.tensor(b0, requires_grad=True)]
    theirs = [torch.tensor(w0, requires_grad=True), torch.tensor(b0, requires_grad=True)]
    opt_ours = getattr(optim, name)(ours, **kwargs)
    opt_theirs = getattr(torch.optim, name)(theirs, **kwargs)
    X_ours, y_ours = tg.tensor(X), tg.tensor(y)
    X_theirs, y_theirs = torch.tensor(X), torch.tensor(y)
    for step in range(STEPS):
        for module, opt, params, data in (
            (tg, opt_ours, ours, (X_ours, y_ours)),
            (torch, opt_theirs, theirs, (X_theirs, y_theirs)),
        ):
            opt.zero_grad()
            loss_fn(module, *data, *params).backward()
            opt.step()
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(
                a.detach().numpy(),
                b.detach().numpy(),
                rtol=tolerance,
                atol=tolerance,
                err_msg=f"step {step + 1}",
            )
            assert a.dtype is getattr(tg, dtype)
    # The trajectory went somewhere: the test compares moving parameters.
    assert np.abs(ours[0].detach().numpy() - w0).max() > 0.1


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=_ids(CONFIGS))
def test_update_rule_equals_torch_exactly_in_float64(torch, name, kwargs):
    """Given the very same gradients, the float64 updates agree to rounding error."""
    rng = np.random.default_rng(1)
    p0 = rng.standard_normal((4, 3))
    ours, theirs = tg.tensor(p0, requires_grad=True), torch.tensor(p0, requires_grad=True)
    opt_ours = getattr(optim, name)([ours], **kwargs)
    opt_theirs = getattr(torch.optim, name)([theirs], **kwargs)
    for _ in range(STEPS):
        grad = rng.standard_normal(p0.shape)
        ours.grad, theirs.grad = tg.tensor(grad), torch.tensor(grad)
        opt_ours.step()
        opt_theirs.step()
    np.testing.assert_allclose(
        ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12, atol=1e-12
    )
    assert ours.dtype is tg.float64


def test_param_groups_with_their_own_settings_equal_torch(torch):
    X, y, w0, b0 = regression_problem(2)
    ours = [tg.tensor(w0, requires_grad=True), tg.tensor(b0, requires_grad=True)]
    theirs = [torch.tensor(w0, requires_grad=True), torch.tensor(b0, requires_grad=True)]

    def groups(params):
        return [{"params": [params[0]], "momentum": 0.9}, {"params": params[1], "lr": 0.2}]

    opt_ours = optim.SGD(groups(ours), lr=0.02)
    opt_theirs = torch.optim.SGD(groups(theirs), lr=0.02)
    for _ in range(20):
        for module, opt, params in ((tg, opt_ours, ours), (torch, opt_theirs, theirs)):
            opt.zero_grad()
            loss_fn(module, module.tensor(X), module.tensor(y), *params).backward()
            opt.step()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)
    assert [g["lr"] for g in opt_ours.param_groups] == [0.02, 0.2]
    assert [g["momentum"] for g in opt_ours.param_groups] == [0.9, 0]


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_parameters_without_gradient_are_skipped(name):
    used = tg.ones(2, requires_grad=True)
    unused = tg.ones(2, requires_grad=True)
    extra = {"momentum": 0.9} if name == "SGD" else {}
    opt = getattr(optim, name)([used, unused], lr=0.1, weight_decay=0.5, **extra)
    (used * used).sum().backward()
    opt.step()
    assert unused.tolist() == [1.0, 1.0] and unused not in opt.state
    assert used.tolist() != [1.0, 1.0]


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_updates_happen_in_place_and_keep_float32(name):
    param = tg.ones(3, requires_grad=True)
    memory = param.detach().numpy()
    opt = getattr(optim, name)([param], lr=0.1)
    (param * param).sum().backward()
    opt.step()
    assert param.detach().numpy() is memory or np.shares_memory(param.detach().numpy(), memory)
    assert memory[0] != 1.0
    assert param.dtype is tg.float32 and param.is_leaf and param.grad_fn is None
    for value in opt.state[param].values():
        if isinstance(value, tg.Tensor) and value.ndim:
            assert value.dtype is tg.float32


def test_step_runs_the_closure_with_gradients_on():
    w = tg.tensor([2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with tg.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 4.0 and w.item() == 1.0  # 2 - 0.25 * 4


def test_zero_grad():
    w = tg.ones(2, requires_grad=True)
    opt = optim.Adam([w])
    (w * 3).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert w.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert w.grad is None
    opt.zero_grad()  # no gradient at all is fine


def _error(callable_, *args, **kwargs):
    with pytest.raises(Exception) as info:
        callable_(*args, **kwargs)
    return type(info.value), str(info.value)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("SGD", {"lr": -1}),
        ("SGD", {"lr": 0.1, "momentum": -1}),
        ("SGD", {"lr": 0.1, "weight_decay": -1}),
        ("SGD", {"lr": 0.1, "nesterov": True}),
        ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True}),
        ("Adam", {"lr": -1}),
        ("Adam", {"eps": -1}),
        ("Adam", {"betas": (1.0, 0.9)}),
        ("Adam", {"betas": (0.9, -1)}),
        ("Adam", {"weight_decay": -1}),
        ("Adam", {"lr": float("nan")}),
        ("AdamW", {"lr": -1}),
        ("AdamW", {"betas": (0.9, 1.0)}),
        ("AdamW", {"weight_decay": -1}),
        ("RMSprop", {"lr": -1}),
        ("RMSprop", {"eps": -1}),
        ("RMSprop", {"momentum": -1}),
        ("RMSprop", {"weight_decay": -1}),
        ("RMSprop", {"alpha": -1}),
        ("Adagrad", {"lr": -1}),
        ("Adagrad", {"lr_decay": -1}),
        ("Adagrad", {"weight_decay": -1}),
        ("Adagrad", {"initial_accumulator_value": -1}),
        ("Adagrad", {"eps": -1}),
        ("RMSprop", {"lr": float("nan")}),
        ("Adagrad", {"eps": float("nan")}),
    ],
)
def test_invalid_settings_raise_torchs_errors(torch, name, kwargs):
    ours = _error(getattr(optim, name), [tg.ones(1, requires_grad=True)], **kwargs)
    theirs = _error(getattr(torch.optim, name), [torch.ones(1, requires_grad=True)], **kwargs)
    assert ours == theirs


def test_invalid_params_raise_torchs_errors(torch):
    assert _error(optim.SGD, [], lr=0.1) == _error(torch.optim.SGD, [], lr=0.1)
    ours = _error(optim.SGD, [tg.ones(1, requires_grad=True) * 2], lr=0.1)
    assert ours[1].startswith("can't optimize a non-leaf Tensor")
    assert _error(optim.SGD, [1.0], lr=0.1) == _error(torch.optim.SGD, [1.0], lr=0.1)
    w = tg.ones(1, requires_grad=True)
    assert _error(optim.SGD, [{"params": [w]}, {"params": [w]}], lr=0.1) == (
        ValueError,
        "some parameters appear in more than one parameter group",
    )
    kind, message = _error(optim.SGD, w, lr=0.1)
    assert kind is TypeError and message.startswith(
        "params argument given to the optimizer should be an iterable of Tensors or dicts"
    )
    kind, message = _error(optim.SGD, [{"params": {w}}], lr=0.1)
    assert kind is TypeError and "ordered collections" in message
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([w, w], lr=0.1)


def _run(opt, params, steps, X, y):
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(tg, X, y, *params).backward()
        opt.step()


@pytest.mark.parametrize(
    "name,kwargs", [("SGD", {"lr": 0.05, "momentum": 0.9}), ("Adam", {"lr": 0.05})]
)
def test_state_dict_has_torchs_layout(torch, name, kwargs):
    X, y, w0, b0 = regression_problem()
    ours = [tg.tensor(w0, requires_grad=True), tg.tensor(b0, requires_grad=True)]
    theirs = [torch.tensor(w0, requires_grad=True), torch.tensor(b0, requires_grad=True)]
    opt_ours = getattr(optim, name)([{"params": [ours[0]]}, {"params": [ours[1]]}], **kwargs)
    opt_theirs = getattr(torch.optim, name)(
        [{"params": [theirs[0]]}, {"params": [theirs[1]]}], **kwargs
    )
    for module, opt, params in ((tg, opt_ours, ours), (torch, opt_theirs, theirs)):
        for _ in range(3):
            opt.zero_grad()
            loss_fn(module, module.tensor(X), module.tensor(y), *params).backward()
            opt.step()
    state_ours, state_theirs = opt_ours.state_dict(), opt_theirs.state_dict()
    assert list(state_ours) == list(state_theirs) == ["state", "param_groups"]
    torch_only = {"foreach", "differentiable", "fused", "capturable"}
    for group_ours, group_theirs in zip(state_ours["param_groups"], state_theirs["param_groups"]):
        expected = {k: v for k, v in group_theirs.items() if k not in torch_only}
        assert group_ours == expected
        assert list(group_ours) == list(expected)
    assert list(state_ours["state"]) == list(state_theirs["state"]) == [0, 1]
    for index in (0, 1):
        values_ours, values_theirs = state_ours["state"][index], state_theirs["state"][index]
        assert list(values_ours) == list(values_theirs)
        for key in values_ours:
            assert values_ours[key].dtype.name == str(values_theirs[key].dtype).split(".")[1]
            np.testing.assert_allclose(
                values_ours[key].numpy(), values_theirs[key].numpy(), rtol=1e-5, atol=1e-6
            )


@pytest.mark.parametrize(
    "name,kwargs",
    [("SGD", {"lr": 0.05, "momentum": 0.9}), ("Adam", {"lr": 0.05, "amsgrad": True})],
)
def test_load_state_dict_resumes_the_same_trajectory(name, kwargs):
    X, y, w0, b0 = regression_problem()
    X, y = tg.tensor(X), tg.tensor(y)
    straight = [tg.tensor(w0, requires_grad=True), tg.tensor(b0, requires_grad=True)]
    _run(getattr(optim, name)(straight, **kwargs), straight, 20, X, y)

    first = [tg.tensor(w0, requires_grad=True), tg.tensor(b0, requires_grad=True)]
    opt = getattr(optim, name)(first, **kwargs)
    _run(opt, first, 10, X, y)
    saved = opt.state_dict()
    resumed = [p.detach().clone().requires_grad_() for p in first]
    opt_resumed = getattr(optim, name)(resumed, lr=123.0)  # settings come from the state dict
    opt_resumed.load_state_dict(saved)
    assert opt_resumed.param_groups[0]["lr"] == kwargs["lr"]
    assert opt_resumed.param_groups[0]["params"] == resumed
    _run(opt_resumed, resumed, 10, X, y)
    # The loaded state is a copy: stepping the resumed optimizer left the saved one alone.
    assert (
        opt.state[first[0]]["exp_avg" if name == "Adam" else "momentum_buffer"]
        is not (opt_resumed.state[resumed[0]]["exp_avg" if name == "Adam" else "momentum_buffer"])
    )
    for a, b in zip(straight, resumed):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_load_state_dict_converts_state_to_the_parameters_dtype():
    w32 = tg.ones(2, requires_grad=True)
    opt32 = optim.Adam([w32])
    (w32 * w32).sum().backward()
    opt32.step()
    w64 = tg.ones(2, dtype=tg.float64, requires_grad=True)
    opt64 = optim.Adam([w64])
    opt64.load_state_dict(opt32.state_dict())
    assert opt64.state[w64]["exp_avg"].dtype is tg.float64
    assert opt64.state[w64]["step"].dtype is tg.float32  # the step counter keeps its dtype


def test_load_state_dict_errors():
    a, b = tg.ones(1, requires_grad=True), tg.ones(1, requires_grad=True)
    saved = optim.SGD([a, b], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).load_state_dict(saved)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        optim.SGD([a], lr=0.1).load_state_dict(saved)
    with pytest.raises(ValueError, match="'state' and 'param_groups'"):
        optim.SGD([a], lr=0.1).load_state_dict({"state": {}})


def test_add_param_group():
    a, b = tg.ones(1, requires_grad=True), tg.ones(1, requires_grad=True)
    opt = optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": b, "betas": (0.5, 0.5)})
    assert opt.param_groups[1]["lr"] == 0.1 and opt.param_groups[1]["betas"] == (0.5, 0.5)
    assert opt.param_groups[1]["params"] == [b]


def test_repr_equals_torchs_without_torch_only_settings(torch):
    ours = optim.SGD([tg.ones(1, requires_grad=True)], lr=0.1, momentum=0.9)
    theirs = torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1, momentum=0.9)
    torch_only = ("differentiable", "foreach", "fused")
    expected = "\n".join(
        line for line in repr(theirs).split("\n") if line.strip().split(":")[0] not in torch_only
    )
    assert repr(ours) == expected


# ---------------------------------------------------------------------------------- tutorial
def builtins_tutorial(torch, nn, F, optim, features, labels, weight, bias, use_module_loss):
    """The linear-regression tutorial's "builtins" program, written for torch; it runs on
    tinygrad_lr with the imports changed. Full-batch evaluation each epoch, batches of 10 in a
    fixed order (the DataLoader has its own tests). Returns the loss after each epoch."""
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.copy_(torch.tensor(weight))
    net[0].bias.data.fill_(bias)
    loss = nn.MSELoss() if use_module_loss else F.mse_loss
    trainer = optim.SGD(net.parameters(), lr=0.03)
    losses = []
    for epoch in range(3):
        for i in range(0, len(features), 10):
            X, y = features[i : i + 10], labels[i : i + 10]
            l = loss(net(X), y)  # noqa: E741 (the tutorial's name)
            trainer.zero_grad()
            l.backward()
            trainer.step()
        with torch.no_grad():
            l = loss(net(features), labels)  # noqa: E741
        losses.append(f"epoch {epoch + 1}, loss {l:f}")
    return losses, net[0].weight.data, net[0].bias.data


@pytest.mark.parametrize("use_module_loss", [True, False], ids=["nn.MSELoss", "F.mse_loss"])
def test_builtins_tutorial_gives_torchs_losses(torch, use_module_loss):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 2)).astype(np.float32)
    y = (X @ np.array([[2.0], [-3.4]]) + 4.2).astype(np.float32)
    y += rng.normal(0, 0.01, y.shape).astype(np.float32)
    weight = rng.normal(0, 0.01, (1, 2)).astype(np.float32)
    ours = builtins_tutorial(
        tg, nn, F, optim, tg.tensor(X), tg.tensor(y), weight, 0.0, use_module_loss
    )
    theirs = builtins_tutorial(
        torch,
        torch.nn,
        torch.nn.functional,
        torch.optim,
        torch.tensor(X),
        torch.tensor(y),
        weight,
        0.0,
        use_module_loss,
    )
    assert ours[0] == theirs[0]  # the printed lines, to six decimals
    np.testing.assert_allclose(ours[1].numpy(), theirs[1].numpy(), rtol=1e-5)
    np.testing.assert_allclose(ours[2].numpy(), theirs[2].numpy(), rtol=1e-5)
    # And it learned: the true parameters are w = (2, -3.4), b = 4.2.
    np.testing.assert_allclose(ours[1].numpy(), [[2.0, -3.4]], atol=0.01)
    np.testing.assert_allclose(ours[2].numpy(), [4.2], atol=0.01)


def test_named_parameters_keep_their_names_as_in_torch(torch):
    ours = optim.SGD(nn.Linear(2, 1).named_parameters(), lr=0.1)
    theirs = torch.optim.SGD(torch.nn.Linear(2, 1).named_parameters(), lr=0.1)
    assert ours.param_groups[0]["param_names"] == ["weight", "bias"]
    torch_only = {"foreach", "differentiable", "fused"}
    expected = [
        {k: v for k, v in g.items() if k not in torch_only}
        for g in theirs.state_dict()["param_groups"]
    ]
    assert ours.state_dict()["param_groups"] == expected
    with pytest.raises(ValueError, match="with/without names"):
        ours.add_param_group({"params": [tg.ones(1, requires_grad=True)]})


def test_tensor_settings_become_numbers_and_train_as_numbers_do():
    # torch accepts lr and betas as tensors; they used to be stored as tensors and make step() fail.
    rng = np.random.default_rng(0)
    start = rng.standard_normal(3).astype(np.float32)
    results = []
    as_tensors = (tg.tensor(0.1), (tg.tensor(0.9), tg.tensor(0.99)))
    # The numbers the float32 tensors hold (0.1 in float32 is 0.100000001...).
    as_numbers = (as_tensors[0].item(), tuple(b.item() for b in as_tensors[1]))
    for lr, betas in [as_numbers, as_tensors]:
        w = tg.tensor(start.copy(), requires_grad=True)
        opt = tg.optim.Adam([w], lr=lr, betas=betas)
        assert opt.param_groups[0]["lr"] == pytest.approx(0.1)
        assert isinstance(opt.param_groups[0]["betas"][0], float)
        for _ in range(3):
            opt.zero_grad()
            (w * w).sum().backward()
            opt.step()
        results.append(w.detach().numpy().copy())
    np.testing.assert_array_equal(results[0], results[1])


# ------------------------------------------------------------------------------------- LBFGS
LBFGS_CONFIGS = [
    {"max_iter": 2},
    {"lr": 0.5, "history_size": 3, "max_iter": 3},
    {"line_search_fn": "strong_wolfe"},
    {"line_search_fn": "strong_wolfe", "history_size": 2, "max_iter": 2},
]


def least_squares_loss(module, X, y, w, b):
    """Linear regression's loss, LBFGS's classic use (the tanh loss sends a fixed-lr LBFGS far
    off, where last-bit differences grow without bound)."""
    return ((X @ w + b - y) ** 2).mean()


@pytest.mark.parametrize("dtype", TRAJECTORY_TOLERANCE)
@pytest.mark.parametrize("kwargs", LBFGS_CONFIGS, ids=[str(k) for k in LBFGS_CONFIGS])
def test_lbfgs_trajectory_equals_torch(torch, kwargs, dtype):
    """LBFGS needs a closure (it evaluates the loss several times per step)."""
    X, y, w0, b0 = (a.astype(dtype) for a in regression_problem())
    tolerance = TRAJECTORY_TOLERANCE[dtype]
    ours = [tg.tensor(w0, requires_grad=True), tg.tensor(b0, requires_grad=True)]
    theirs = [torch.tensor(w0, requires_grad=True), torch.tensor(b0, requires_grad=True)]
    runs = []
    for module, params in ((tg, ours), (torch, theirs)):
        opt = module.optim.LBFGS(params, **kwargs)
        data = module.tensor(X), module.tensor(y)
        calls = [0]

        def closure(opt=opt, module=module, params=params, data=data, calls=calls):
            calls[0] += 1
            opt.zero_grad()
            loss = least_squares_loss(module, *data, *params)
            loss.backward()
            return loss

        runs.append((opt, closure, calls))
    for step in range(STEPS):
        losses = [opt.step(closure).item() for opt, closure, _ in runs]
        np.testing.assert_allclose(losses[0], losses[1], rtol=tolerance, err_msg=f"step {step}")
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(
                a.detach().numpy(),
                b.detach().numpy(),
                rtol=tolerance,
                atol=tolerance,
                err_msg=f"step {step + 1}",
            )
            assert a.dtype is getattr(tg, dtype)
    assert np.abs(ours[0].detach().numpy() - w0).max() > 0.1
    if dtype == "float64":  # in float32, once converged, rounding noise steers the line search
        assert runs[0][2][0] == runs[1][2][0]  # the same number of loss evaluations
        state_ours = runs[0][0].state_dict()["state"][0]
        state_theirs = runs[1][0].state_dict()["state"][0]
        assert state_ours["func_evals"] == state_theirs["func_evals"]
        assert state_ours["n_iter"] == state_theirs["n_iter"]


def test_lbfgs_solves_least_squares(torch):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((50, 4))
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.01 * rng.standard_normal(50)
    w = tg.zeros(4, dtype=tg.float64, requires_grad=True)
    opt = optim.LBFGS([w], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = ((tg.tensor(X) @ w - tg.tensor(y)) ** 2).mean()
        loss.backward()
        return loss

    opt.step(closure)
    # The default tolerance_grad=1e-7 stops it within about 1e-5 of the answer.
    np.testing.assert_allclose(w.detach().numpy(), np.linalg.lstsq(X, y)[0], atol=1e-4)


@pytest.mark.parametrize("kwargs", [{"lr": -1}, {"lr": float("nan")}])
def test_lbfgs_invalid_settings_raise_torchs_errors(torch, kwargs):
    ours = _error(optim.LBFGS, [tg.ones(1, requires_grad=True)], **kwargs)
    theirs = _error(torch.optim.LBFGS, [torch.ones(1, requires_grad=True)], **kwargs)
    assert ours == theirs


def test_lbfgs_needs_a_closure():
    opt = optim.LBFGS([tg.ones(1, requires_grad=True)])
    with pytest.raises(TypeError):
        opt.step()


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
@pytest.mark.parametrize("option,value", [("foreach", True), ("differentiable", True)])
def test_torch_only_options_raise_rather_than_being_ignored(name, option, value):
    with pytest.raises(NotImplementedError, match=f"leave {option} at its default"):
        getattr(optim, name)([tg.ones(1, requires_grad=True)], lr=0.1, **{option: value})
