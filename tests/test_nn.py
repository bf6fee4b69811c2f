"""tinygrad_lr.nn: Parameter, Module, Linear, Sequential, activations, losses, functional, init.

Values, gradients, names, reprs and error messages are compared with torch's; where torch
prints ``torch.``, tinygrad_lr prints ``tinygrad_lr.``.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections import OrderedDict

import numpy as np
import pytest
from helpers import check_gradients, compare_with_torch

import tinygrad_lr as tg
import tinygrad_lr.nn.functional as F
from tinygrad_lr import nn, optim


def torch_text(text: str) -> str:
    """torch's text as tinygrad_lr writes it."""
    return text.replace("torch.nn.Parameter", "tinygrad_lr.nn.Parameter").replace(
        "torch.", "tinygrad_lr."
    )


def copy_weights(ours: nn.Module, theirs) -> None:
    """Give a tinygrad_lr module the parameters of the same torch module."""
    ours.load_state_dict({k: tg.tensor(v.numpy()) for k, v in theirs.state_dict().items()})


# ---------------------------------------------------------------------------------- imports
def test_functional_and_init_import_as_in_torch():
    import tinygrad_lr.nn.functional as F1
    from tinygrad_lr.nn import functional as F2

    assert F1 is F2 is nn.functional is tg.nn.functional
    assert nn.init is tg.nn.init
    for name in ("Linear", "MSELoss", "L1Loss", "Sequential", "ReLU", "Tanh", "Sigmoid"):
        assert hasattr(nn, name)


# ---------------------------------------------------------------------------------- Parameter
def test_parameter_repr_is_torchs(torch):
    values = np.array([[1.5, -2.0]], dtype=np.float32)
    assert repr(nn.Parameter(tg.tensor(values))) == repr(torch.nn.Parameter(torch.tensor(values)))
    frozen = nn.Parameter(tg.ones(2, dtype=tg.float64), requires_grad=False)
    reference = torch.nn.Parameter(torch.ones(2, dtype=torch.float64), requires_grad=False)
    assert repr(frozen) == torch_text(repr(reference))


def test_parameter_shares_memory_keeps_dtype_and_is_a_leaf():
    data = tg.zeros(3, dtype=tg.float64)
    param = nn.Parameter(data)
    assert param.requires_grad and param.is_leaf and param.dtype is tg.float64
    data.fill_(2.0)
    assert param.tolist() == [2.0, 2.0, 2.0]
    # Results computed from a Parameter are plain tensors, as in torch.
    assert type(param * 2) is tg.Tensor
    assert isinstance(param, tg.Tensor)


def test_parameter_errors():
    with pytest.raises(TypeError, match="expects a Tensor, got list"):
        nn.Parameter([1.0])
    with pytest.raises(RuntimeError, match="floating point"):
        nn.Parameter(tg.tensor([1, 2]))
    assert not nn.Parameter(tg.tensor([1, 2]), requires_grad=False).requires_grad
    assert nn.Parameter().shape == (0,)


# ---------------------------------------------------------------------------------- Module
class Affine(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(tg.ones(2))
        self.shift = nn.Parameter(tg.zeros(2))
        self.inner = nn.Linear(2, 2)
        self.constant = tg.ones(2)  # a plain tensor: not a parameter
        self.note = "text"

    def forward(self, x):
        return self.inner(x * self.scale + self.shift)


def test_module_registers_parameters_and_modules_by_assignment():
    model = Affine()
    assert [n for n, _ in model.named_parameters()] == [
        "scale",
        "shift",
        "inner.weight",
        "inner.bias",
    ]
    assert list(model.parameters(recurse=False)) == [model.scale, model.shift]
    assert [n for n, _ in model.named_children()] == ["inner"]
    assert list(model.children()) == [model.inner]
    assert list(model.modules()) == [model, model.inner]
    assert [n for n, _ in model.named_modules()] == ["", "inner"]
    assert model.note == "text" and model.constant.tolist() == [1.0, 1.0]
    assert "scale" in dir(model) and "inner" in dir(model)
    out = model(tg.ones(3, 2))  # __call__ runs forward
    assert out.shape == (3, 2)


def test_module_reassignment_and_deletion():
    model = Affine()
    model.scale = nn.Parameter(tg.full((2,), 3.0))
    assert model.scale.tolist() == [3.0, 3.0]
    model.shift = None  # a registered parameter may become None ...
    assert model.shift is None and "shift" not in dict(model.named_parameters())
    with pytest.raises(TypeError, match=r"cannot assign 'Tensor' as parameter 'scale'"):
        model.scale = tg.ones(2)  # ... but not a plain tensor
    with pytest.raises(TypeError, match="as child module 'inner'"):
        model.inner = 3
    del model.inner
    assert "inner" not in dict(model.named_children())
    with pytest.raises(AttributeError, match="'Affine' object has no attribute 'inner'"):
        model.inner  # noqa: B018
    # Assigning a module under a parameter's name replaces the parameter.
    model.scale = nn.ReLU()
    assert "scale" not in dict(model.named_parameters()) and isinstance(model.scale, nn.ReLU)


def test_assigning_before_init_is_an_error():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(tg.ones(1))

    with pytest.raises(AttributeError, match=r"before Module.__init__\(\) call"):
        Broken()


def test_forward_is_required(torch):
    with pytest.raises(NotImplementedError) as ours:
        nn.Module()(1)
    with pytest.raises(NotImplementedError) as theirs:
        torch.nn.Module()(1)
    assert str(ours.value) == str(theirs.value)


def test_register_buffer_and_parameter():
    model = nn.Module()
    model.register_buffer("running", tg.zeros(2))
    model.register_buffer("scratch", tg.zeros(1), persistent=False)
    model.register_parameter("w", nn.Parameter(tg.ones(1)))
    assert list(model.state_dict()) == ["w", "running"]
    assert [n for n, _ in model.named_buffers()] == ["running", "scratch"]
    model.running = tg.ones(2)  # a buffer can be replaced by a tensor
    assert model.running.tolist() == [1.0, 1.0]
    with pytest.raises(KeyError, match="must not be empty or contain"):
        model.register_buffer("a.b", tg.zeros(1))
    with pytest.raises(TypeError, match="as buffer"):
        model.register_buffer("c", [1.0])
    with pytest.raises(TypeError, match="as parameter"):
        model.register_parameter("d", tg.ones(1))


def test_names_and_state_dict_keys_equal_torchs(torch):
    ours = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert isinstance(ours.state_dict(), OrderedDict)


def test_shared_layers_are_listed_once_as_parameters_and_twice_in_state_dict(torch):
    def build(nn_module):
        shared = nn_module.Linear(2, 2)
        return nn_module.Sequential(shared, nn_module.Tanh(), shared)

    ours, theirs = build(nn), build(torch.nn)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert len(list(ours.parameters())) == 2


def test_state_dict_is_detached_and_shares_memory():
    layer = nn.Linear(2, 1)
    state = layer.state_dict()
    assert not state["weight"].requires_grad
    assert type(state["weight"]) is tg.Tensor
    with tg.no_grad():
        layer.weight.fill_(7.0)
    assert state["weight"].tolist() == [[7.0, 7.0]]
    assert layer.state_dict(keep_vars=True)["weight"] is layer.weight


def test_load_state_dict_copies_values_in_place():
    source, target = nn.Linear(3, 2), nn.Linear(3, 2)
    weight = target.weight
    result = target.load_state_dict(source.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert target.weight is weight  # the same Parameter, so an optimizer keeps working
    np.testing.assert_array_equal(target.weight.detach().numpy(), source.weight.detach().numpy())
    # Values are copied, not shared.
    with tg.no_grad():
        source.weight.fill_(0.0)
    assert not np.all(target.weight.detach().numpy() == 0)
    # A float64 checkpoint is converted into the float32 parameter, as torch's copy_ does.
    target.load_state_dict({"weight": tg.ones(2, 3, dtype=tg.float64), "bias": tg.zeros(2)})
    assert target.weight.dtype is tg.float32 and target.weight.tolist() == [[1.0] * 3] * 2


def test_load_state_dict_errors_equal_torchs(torch):
    ours, theirs = nn.Linear(2, 1), torch.nn.Linear(2, 1)
    bad = {"weight": np.zeros((1, 3), np.float32), "foo": np.zeros(1, np.float32)}
    with pytest.raises(RuntimeError) as ours_error:
        ours.load_state_dict({k: tg.tensor(v) for k, v in bad.items()})
    with pytest.raises(RuntimeError) as theirs_error:
        theirs.load_state_dict({k: torch.tensor(v) for k, v in bad.items()})
    assert str(ours_error.value) == torch_text(str(theirs_error.value))
    assert '"bias"' in str(ours_error.value) and '"foo"' in str(ours_error.value)
    assert ours.weight.shape == (1, 2)  # the checkpoint's wrong-shaped weight was not copied


def test_load_state_dict_not_strict_returns_the_keys(torch):
    ours, theirs = nn.Linear(2, 1), torch.nn.Linear(2, 1)
    result = ours.load_state_dict({"weight": tg.zeros(1, 2), "extra": tg.zeros(1)}, strict=False)
    expected = theirs.load_state_dict(
        {"weight": torch.zeros(1, 2), "extra": torch.zeros(1)}, strict=False
    )
    assert repr(result) == repr(expected)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra"]
    assert ours.weight.tolist() == [[0.0, 0.0]]
    # A wrong shape is an error even when not strict.
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        ours.load_state_dict({"weight": tg.zeros(2, 2)}, strict=False)


def test_load_state_dict_refuses_values_that_are_not_tensors():
    layer = nn.Linear(2, 1)
    with pytest.raises(RuntimeError, match='While copying the parameter named "weight"'):
        layer.load_state_dict({"weight": 3, "bias": tg.zeros(1)})
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        layer.load_state_dict([("weight", tg.zeros(1, 2))])


def test_nested_state_dict_round_trip():
    def build():
        return nn.Sequential(OrderedDict(body=Affine(), act=nn.Tanh(), head=nn.Linear(2, 1)))

    source, target = build(), build()
    assert list(source.state_dict()) == [
        "body.scale",
        "body.shift",
        "body.inner.weight",
        "body.inner.bias",
        "head.weight",
        "head.bias",
    ]
    target.load_state_dict(source.state_dict())
    x = tg.randn(4, 2)
    np.testing.assert_array_equal(source(x).detach().numpy(), target(x).detach().numpy())


def test_zero_grad_and_requires_grad_():
    layer = nn.Linear(2, 1)
    layer(tg.ones(3, 2)).sum().backward()
    layer.zero_grad(set_to_none=False)
    assert layer.weight.grad.tolist() == [[0.0, 0.0]]
    layer.zero_grad()
    assert layer.weight.grad is None and layer.bias.grad is None
    layer.requires_grad_(False)
    assert not layer(tg.ones(1, 2)).requires_grad


def test_train_and_eval_set_every_module():
    net = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU()))
    assert net.training and all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        net.train("no")


def test_float_and_double_convert_parameters_in_place():
    layer = nn.Linear(2, 1)
    weight = layer.weight
    layer(tg.ones(1, 2)).sum().backward()
    assert layer.double() is layer
    assert layer.weight is weight and weight.dtype is tg.float64
    assert weight.grad.dtype is tg.float64 and weight.requires_grad
    out = layer(tg.ones(1, 2, dtype=tg.float64))
    assert out.dtype is tg.float64
    layer.float()
    assert weight.dtype is tg.float32 and layer.bias.dtype is tg.float32
    assert layer.to(tg.float64).bias.dtype is tg.float64
    assert layer.to("cpu") is layer
    with pytest.raises(TypeError, match="only accepts floating point dtypes"):
        layer.to(tg.int64)
    with pytest.raises(RuntimeError, match="not available"):
        layer.to("cuda")


def test_an_optimizer_keeps_working_after_double():
    layer = nn.Linear(1, 1)
    opt = optim.SGD(layer.parameters(), lr=0.1)
    layer.double()
    x = tg.ones(4, 1, dtype=tg.float64)
    before = layer.weight.item()
    F.mse_loss(layer(x), x * 3).backward()
    opt.step()
    assert layer.weight.item() != before and layer.weight.dtype is tg.float64


def test_apply_visits_every_module():
    visited = []
    net = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU()))
    net.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "ReLU", "Sequential", "Sequential"]


def test_repr_equals_torchs(torch):
    def build(nn_module):
        class Model(nn_module.Module):
            def __init__(self):
                super().__init__()
                self.body = nn_module.Sequential(
                    nn_module.Linear(2, 3), nn_module.ReLU(), nn_module.Linear(3, 1)
                )
                self.head = nn_module.Linear(1, 1, bias=False)
                self.act = nn_module.Sigmoid()
                self.squash = nn_module.Tanh()
                self.loss = nn_module.MSELoss(reduction="sum")
                self.l1 = nn_module.L1Loss()
                self.empty = nn_module.Sequential()

        return Model()

    assert repr(build(nn)) == repr(build(torch.nn))
    assert repr(nn.Module()) == repr(torch.nn.Module())


# ---------------------------------------------------------------------------------- Linear
@pytest.mark.parametrize("in_features,out_features", [(1, 1), (2, 1), (5, 3), (100, 200)])
def test_linear_initial_values_lie_within_torchs_bounds(in_features, out_features):
    tg.manual_seed(0)
    layer = nn.Linear(in_features, out_features)
    bound = 1 / math.sqrt(in_features)
    weight, bias = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    assert weight.shape == (out_features, in_features) and bias.shape == (out_features,)
    assert weight.dtype == np.float32 and bias.dtype == np.float32
    assert np.all(np.abs(weight) <= bound) and np.all(np.abs(bias) <= bound)
    assert len(np.unique(weight)) > 0.99 * weight.size  # random draws, not a constant


def test_linear_weights_have_the_uniform_distributions_spread():
    tg.manual_seed(1)
    layer = nn.Linear(100, 400)  # 40,000 draws from U(-0.1, 0.1)
    weight = layer.weight.detach().numpy()
    bound = 0.1
    assert abs(weight.std() - bound / math.sqrt(3)) < 0.01 * bound / math.sqrt(3)
    assert abs(weight.mean()) < 0.01 * bound
    assert weight.min() < -0.99 * bound and weight.max() > 0.99 * bound


def test_linear_torch_weights_have_the_same_bounds(torch):
    """Cross-check the bound itself: torch's own Linear stays within 1/sqrt(in)."""
    theirs = torch.nn.Linear(100, 400)
    assert theirs.weight.abs().max().item() <= 0.1
    assert abs(theirs.weight.std().item() - 0.1 / math.sqrt(3)) < 1e-3


def test_linear_is_reproducible_with_manual_seed_and_honours_options():
    tg.manual_seed(3)
    a = nn.Linear(3, 2)
    tg.manual_seed(3)
    b = nn.Linear(3, 2)
    np.testing.assert_array_equal(a.weight.detach().numpy(), b.weight.detach().numpy())
    no_bias = nn.Linear(3, 2, bias=False)
    assert no_bias.bias is None and len(list(no_bias.parameters())) == 1
    assert no_bias.extra_repr() == "in_features=3, out_features=2, bias=False"
    assert nn.Linear(3, 2, dtype=tg.float64).weight.dtype is tg.float64
    assert nn.Linear(3, 2, device="cpu").weight.dtype is tg.float32


def test_linear_errors():
    with pytest.raises(ValueError, match="in_features must be a non-negative int"):
        nn.Linear(2.5, 1)
    with pytest.raises(TypeError, match="floating-point dtype"):
        nn.Linear(2, 1, dtype=tg.int64)
    with pytest.raises(RuntimeError, match="its last dimension must be 2"):
        nn.Linear(2, 1)(tg.ones(4, 3))
    with pytest.raises(TypeError, match="expects a Tensor input"):
        nn.Linear(2, 1)(np.ones((4, 2)))


def test_linear_forward_and_backward_equal_torchs(torch):
    torch.manual_seed(0)
    theirs = torch.nn.Linear(3, 2)
    ours = nn.Linear(3, 2)
    copy_weights(ours, theirs)
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    out_ours, out_theirs = ours(tg.tensor(x)), theirs(torch.tensor(x))
    # torch's addmm adds the bias inside the matrix product, in another order: float32 rounding
    # differs by an ulp or so, which an output near 0 turns into a large relative difference.
    np.testing.assert_allclose(
        out_ours.detach().numpy(), out_theirs.detach().numpy(), rtol=1e-6, atol=1e-6
    )
    g = np.random.default_rng(1).standard_normal((5, 2)).astype(np.float32)
    out_ours.backward(tg.tensor(g))
    out_theirs.backward(torch.tensor(g))
    for name in ("weight", "bias"):
        np.testing.assert_allclose(
            getattr(ours, name).grad.numpy(), getattr(theirs, name).grad.numpy(), rtol=1e-5
        )


# (input, weight, bias) shapes that torch's F.linear accepts; None: no bias.
LINEAR_SHAPES = [
    ((5, 3), (2, 3), (2,)),  # nn.Linear's case
    ((5, 3), (2, 3), None),
    ((3,), (2, 3), (2,)),  # one sample
    ((2, 4, 3), (2, 3), (2,)),  # batch dimensions
    ((5, 3), (3,), None),  # a 1-D weight: one output feature, whose dimension the result drops
    ((2, 4, 3), (3,), None),
    ((2, 4, 3), (3,), ()),
    ((3,), (3,), None),  # a 0-d result
    ((3,), (3,), ()),
    ((5, 3), (2, 3), (1,)),  # biases that broadcast to the output
    ((5, 3), (2, 3), ()),
    ((5, 3), (2, 3), (5, 1)),
    ((5, 3), (2, 3), (5, 2)),
    ((2, 4, 3), (2, 3), (2, 1, 2)),
    ((3,), (2, 3), (1, 2)),  # torch adds the bias to a 1-D input's product as to one row
    ((0, 3), (2, 3), (2,)),  # an empty batch
    ((0, 3), (3,), None),
    ((4, 0), (2, 0), (2,)),  # no input features: the output is the bias
    ((4, 3), (0, 3), (0,)),  # no output features
]


def _arrays(shapes, dtype="float32", seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape).astype(dtype) for shape in shapes if shape is not None]


def _linear(m, *args):
    return m.nn.functional.linear(*args)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shapes", LINEAR_SHAPES, ids=str)
def test_functional_linear_matches_torch(torch, shapes, dtype):
    tolerance = {"rtol": 1e-5, "atol": 1e-6} if dtype == "float32" else {"rtol": 1e-12}
    compare_with_torch(_linear, _arrays(shapes, dtype), **tolerance)


@pytest.mark.parametrize("shapes", LINEAR_SHAPES, ids=str)
def test_functional_linear_passes_gradcheck(shapes):
    check_gradients(lambda m, *args: F.linear(*args), _arrays(shapes))


@pytest.mark.parametrize("bias", [(3,), (8, 1), None], ids=str)
def test_float16_linear_sums_in_float32_as_torch_does(torch, bias):
    # 1,000 products per output: summed in float16 they would be several ulps off; summed in
    # float32 and rounded once, the bias included, they are within an ulp of torch's.
    compare_with_torch(
        _linear, _arrays([(8, 1000), (3, 1000), bias], "float16", seed=4), rtol=1e-3, atol=1e-3
    )
    arrays = _arrays([(64, 1000), (3, 1000), bias and bias[-1:]], "float16", seed=4)
    ours = F.linear(*[tg.from_numpy(a) for a in arrays]).numpy()
    theirs = torch.nn.functional.linear(*[torch.from_numpy(a) for a in arrays]).numpy()
    ulps = np.abs(ours.astype(np.float64) - theirs) / np.spacing(np.abs(theirs))
    assert ulps.max() <= 1
    # Rounded once: nearly every output is torch's to the bit. (Rounding the product, then its
    # sum with the bias, misses about a third.) Not all: the float32 sums' order is the BLAS's
    # choice on each CPU, and a sum near a float16 tie may round the other way.
    assert np.mean(ours != theirs) < 0.1


def test_linear_is_one_op_in_every_case():
    layer = nn.Linear(3, 2)
    loss = F.mse_loss(layer(tg.randn(4, 3)), tg.randn(4, 2))
    node = loss.grad_fn.next_functions[0]
    assert isinstance(node, tg.ops.Linear) and node.name() == "LinearBackward0"
    assert node.next_functions[1:] == (layer.weight, layer.bias)
    x = tg.randn(4, 3, requires_grad=True)
    for dtype in (tg.float16, tg.float32, tg.float64):
        out = F.linear(x.to(dtype), tg.randn(2, 3).to(dtype), tg.randn(4, 1).to(dtype))
        assert isinstance(out.grad_fn, tg.ops.Linear) and out.dtype is dtype
    # A 1-D weight or input is reshaped to 2-D for the op, and the result back.
    out = F.linear(x, tg.randn(3, requires_grad=True), tg.randn(4, requires_grad=True))
    names = [node.name() for node in tg.autograd.engine.topological_order(out.grad_fn)]
    assert names == ["ReshapeBackward0", "LinearBackward0", "ReshapeBackward0", "ReshapeBackward0"]
    assert out.shape == (4,)


def test_linear_adds_any_bias_that_broadcasts_also_where_torchs_addmm_refuses_it(torch):
    """With a 1-D weight and a 2-D input, torch refuses any bias ("mat2 must be a matrix"), as
    it does not with a 3-D input; tinygrad_lr adds every bias that broadcasts to the output."""
    x, w, b = _arrays([(5, 3), (3,), (5,)], "float64")
    with pytest.raises(RuntimeError, match="mat2 must be a matrix"):
        torch.nn.functional.linear(torch.tensor(x), torch.tensor(w), torch.tensor(b))
    compare_with_torch(
        lambda m, x, w, b: F.linear(x, w, b) if m is tg else m.matmul(x, w) + b, [x, w, b]
    )


@pytest.mark.parametrize(
    "shapes",
    [((4, 3), (2, 5), None), ((2, 4, 3), (2, 5), (2,)), ((3,), (2, 5), None)],
    ids=str,
)
def test_linear_shape_mismatch_raises_torchs_error(torch, shapes):
    arrays = _arrays(shapes)
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.functional.linear(*[torch.tensor(a) for a in arrays])
    with pytest.raises(RuntimeError) as ours:
        F.linear(*[tg.tensor(a) for a in arrays])
    assert str(theirs.value).startswith("mat1 and mat2 shapes cannot be multiplied")
    assert str(ours.value).startswith(str(theirs.value))  # then: which dimensions differ
    assert "the weight's in_features (5)" in str(ours.value)


@pytest.mark.parametrize(
    "x,w,b,fix",
    [
        ("float64", "float32", None, "input.float()"),
        ("float32", "float64", None, "input.double()"),
        ("float16", "float32", None, "input.float()"),
        ("int64", "float32", None, "input.float()"),
        ("float32", "float32", "float64", "bias.float()"),
        ("float64", "float64", "float16", "bias.double()"),
    ],
)
def test_linear_with_mixed_dtypes_raises_torchs_error_type_and_says_how_to_fix_it(
    torch, x, w, b, fix
):
    shapes = [(4, 3), (2, 3), None if b is None else (2,)]
    arrays = [a.astype(d) for a, d in zip(_arrays(shapes), (x, w, b))]
    with pytest.raises(RuntimeError, match="same dtype"):
        torch.nn.functional.linear(*[torch.from_numpy(a) for a in arrays])
    with pytest.raises(RuntimeError) as ours:
        F.linear(*[tg.from_numpy(a) for a in arrays])
    message = str(ours.value)
    mixed = (x, w) if b is None else (w, b)
    assert all(f"tinygrad_lr.{name}" in message for name in mixed), message
    assert fix in message, message


def test_linear_argument_errors_follow_torch(torch):
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.functional.linear(torch.tensor(1.0), torch.ones(2, 3))
    with pytest.raises(RuntimeError, match=f"^{theirs.value}$"):
        F.linear(tg.tensor(1.0), tg.ones(2, 3))
    with pytest.raises(RuntimeError, match="<= 2 dimensions"):
        torch.nn.functional.linear(torch.ones(4, 3), torch.ones(1, 2, 3))
    with pytest.raises(RuntimeError, match=r"weight must have shape .* got shape \(1, 2, 3\)"):
        F.linear(tg.ones(4, 3), tg.ones(1, 2, 3))
    # torch words a 1-D weight's mismatch otherwise ("size mismatch"); here it is as for 2-D.
    with pytest.raises(RuntimeError, match=r"shapes cannot be multiplied \(4x3 and 5x1\)"):
        F.linear(tg.ones(4, 3), tg.ones(5))
    for bias in ((5,), (4, 3), (3, 4, 2)):  # biases that do not broadcast to the (4, 2) output
        with pytest.raises(RuntimeError):
            torch.nn.functional.linear(torch.ones(4, 3), torch.ones(2, 3), torch.ones(bias))
        with pytest.raises(
            RuntimeError, match=r"does not broadcast to the output's shape \(4, 2\)"
        ):
            F.linear(tg.ones(4, 3), tg.ones(2, 3), tg.ones(bias))
    with pytest.raises(RuntimeError, match=r"output's shape \(\)"):  # 0-d: only a 0-d bias
        F.linear(tg.ones(3), tg.ones(3), tg.ones(1))
    with pytest.raises(NotImplementedError):
        torch.nn.functional.linear(torch.ones(4, 3).bool(), torch.ones(2, 3).bool())
    with pytest.raises(NotImplementedError, match="bool"):
        F.linear(tg.ones(4, 3).bool(), tg.ones(2, 3).bool())
    with pytest.raises(TypeError, match="argument 'weight' must be Tensor, not list"):
        F.linear(tg.ones(4, 3), [[1.0, 2.0, 3.0]])


def test_integer_linear_is_computed_as_in_torch(torch):
    arrays = [np.arange(12).reshape(4, 3), np.arange(6).reshape(2, 3) - 2, np.array([1, -1])]
    ours = F.linear(*[tg.from_numpy(a) for a in arrays])
    theirs = torch.nn.functional.linear(*[torch.from_numpy(a) for a in arrays])
    assert ours.dtype is tg.int64 and ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_one_op_linear_and_mse_loss_follow_torch_in_both_dtypes(torch, dtype):
    shapes = [(6, 3), (2, 3), (2,), (6, 2)]
    arrays = _arrays(shapes, dtype, seed=3)
    compare_with_torch(
        lambda m, x, w, b, y: m.nn.functional.mse_loss(m.nn.functional.linear(x, w, b), y),
        arrays,
        rtol=1e-5 if dtype == "float32" else 1e-12,
    )
    check_gradients(lambda m, x, w, b, y: F.mse_loss(F.linear(x, w, b), y, "sum"), arrays)


# ---------------------------------------------------------------------------------- Sequential
def test_sequential_indexing_length_iteration_and_append():
    first, act, last = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    net = nn.Sequential(first, act, last)
    assert len(net) == 3 and net[0] is first and net[-1] is last
    assert list(net) == [first, act, last]
    head = net[:2]
    assert isinstance(head, nn.Sequential) and list(head) == [first, act]
    x = tg.randn(4, 2)
    np.testing.assert_array_equal(net(x).detach().numpy(), last(act(first(x))).detach().numpy())
    with pytest.raises(IndexError, match="index 3 is out of range"):
        net[3]
    named = nn.Sequential(OrderedDict(hidden=nn.Linear(2, 2), out=nn.Linear(2, 1)))
    assert list(named.state_dict()) == ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert len(named.append(nn.Sigmoid())) == 3


def test_sequential_slice_keeps_names_as_torch(torch):
    ours = nn.Sequential(nn.Linear(1, 1), nn.ReLU(), nn.Linear(1, 1))[1:]
    theirs = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.ReLU(), torch.nn.Linear(1, 1))[1:]
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())


# ---------------------------------------------------------------------------------- activations
@pytest.mark.parametrize("name", ["ReLU", "Tanh", "Sigmoid"])
def test_activation_layers_equal_torchs(torch, name):
    x = np.array([[-2.0, -0.5, 0.3, 4.0]], dtype=np.float32)
    compare_with_torch(lambda m, t: getattr(m.nn, name)()(t), [x], rtol=1e-6)
    compare_with_torch(lambda m, t: getattr(m.nn.functional, name.lower())(t), [x], rtol=1e-6)


# ---------------------------------------------------------------------------------- losses
LOSSES = ["mse_loss", "l1_loss"]
REDUCTIONS = ["mean", "sum", "none"]


def _loss_arrays(shape=(6, 1)):
    rng = np.random.default_rng(7)
    return [rng.standard_normal(shape).astype(np.float32) for _ in range(2)]


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_losses_equal_torchs_values_and_gradients(torch, loss, reduction):
    compare_with_torch(
        lambda m, x, y: getattr(m.nn.functional, loss)(x, y, reduction=reduction),
        _loss_arrays(),
        rtol=1e-6,
    )


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_losses_pass_gradcheck(loss, reduction):
    check_gradients(lambda m, x, y: getattr(F, loss)(x, y, reduction=reduction), _loss_arrays())


@pytest.mark.parametrize("module,function", [("MSELoss", "mse_loss"), ("L1Loss", "l1_loss")])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_loss_modules_equal_torchs(torch, module, function, reduction):
    compare_with_torch(
        lambda m, x, y: getattr(m.nn, module)(reduction=reduction)(x, y), _loss_arrays()
    )


# (input, target) shapes and dtypes for F.mse_loss; torch warns when the shapes differ.
MSE_CASES = {
    "float32": [((6, 2), "float32"), ((6, 2), "float32")],
    "float64": [((6, 2), "float64"), ((6, 2), "float64")],
    "0-d": [((), "float32"), ((), "float32")],
    "empty": [((0, 2), "float32"), ((0, 2), "float32")],  # the mean of nothing: nan
    "target broadcast": [((6, 2), "float32"), ((2,), "float32")],
    "input broadcast": [((2,), "float64"), ((6, 2), "float64")],
    "(6, 1) against (6,)": [((6, 1), "float32"), ((6,), "float32")],  # a (6, 6) matrix
    "float32 and float64": [((6, 2), "float32"), ((6, 2), "float64")],  # float64, as torch
    "float16 and float32": [((6, 2), "float16"), ((6, 2), "float32")],  # float32
}


def _mse_arrays(case, seed=7):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape).astype(dtype) for shape, dtype in MSE_CASES[case]]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", list(MSE_CASES))
def test_mse_loss_matches_torch(torch, case, reduction):
    arrays = _mse_arrays(case)
    differ = arrays[0].shape != arrays[1].shape
    with pytest.warns(UserWarning, match="target size") if differ else contextlib.nullcontext():
        compare_with_torch(
            lambda m, x, y: m.nn.functional.mse_loss(x, y, reduction=reduction), arrays, rtol=1e-6
        )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", [c for c in MSE_CASES if c != "empty"])
def test_mse_loss_passes_gradcheck(case, reduction):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the shapes that differ on purpose
        check_gradients(lambda m, x, y: F.mse_loss(x, y, reduction=reduction), _mse_arrays(case))


@pytest.mark.parametrize("size", [10_000, 70_000])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_float16_mse_loss_sums_in_float32_as_torch_does(torch, reduction, size):
    # Summed in float16, 10,000 squares near 2 would be far off (the ulp of 20,000 is 16); torch
    # sums them in float32 and rounds once. 70,000 elements: N itself overflows float16, and the
    # sum of 70,000 squares too (inf, as in torch), but the mean and its gradient are fine.
    rng = np.random.default_rng(5)
    arrays = [rng.standard_normal(size).astype(np.float16) for _ in range(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's cast of that sum to inf
        compare_with_torch(
            lambda m, x, y: m.nn.functional.mse_loss(x, y, reduction=reduction),
            arrays,
            rtol=1e-3,
            atol=1e-7,
        )


def test_mse_loss_is_one_op_in_every_case(torch):
    theirs = torch.nn.functional.mse_loss(torch.zeros(2, requires_grad=True), torch.zeros(2))
    x = tg.randn(4, 2, requires_grad=True)
    for target in (tg.randn(4, 2), tg.randn(4, 2).double(), tg.randn(4, 2).long()):
        for reduction in REDUCTIONS:
            loss = F.mse_loss(x, target, reduction=reduction)
            assert isinstance(loss.grad_fn, tg.ops.MseLoss)
            assert loss.grad_fn.name() == type(theirs.grad_fn).__name__ == "MseLossBackward0"
            assert loss.dtype is (tg.float64 if target.dtype is tg.float64 else tg.float32)
    assert isinstance(F.mse_loss(x.half(), tg.randn(4, 2).half()).grad_fn, tg.ops.MseLoss)
    with pytest.warns(UserWarning, match="target size"):
        assert isinstance(F.mse_loss(x, tg.randn(4, 1)).grad_fn, tg.ops.MseLoss)


def test_mse_loss_promotes_integer_targets_and_refuses_integer_pairs_as_torch(torch):
    x = np.array([[0.5, -1.0], [2.0, 0.0]], dtype=np.float32)
    y = np.array([[1, -1], [0, 3]])
    for a, b in ((x, y), (y, x)):
        ours = F.mse_loss(tg.from_numpy(a), tg.from_numpy(b), reduction="none")
        theirs = torch.nn.functional.mse_loss(
            torch.from_numpy(a), torch.from_numpy(b), reduction="none"
        )
        assert ours.dtype is tg.float32 and ours.tolist() == theirs.tolist()
    for dtype in ("int64", "int32", "bool"):
        with pytest.raises(NotImplementedError, match="not implemented"):
            torch.nn.functional.mse_loss(
                torch.from_numpy(y.astype(dtype)), torch.zeros(2, 2).to(getattr(torch, dtype))
            )
        with pytest.raises(NotImplementedError, match=f"tinygrad_lr.{dtype} tensors"):
            F.mse_loss(tg.from_numpy(y.astype(dtype)), tg.zeros(2, 2).to(getattr(tg, dtype)))


def test_mse_loss_of_shapes_that_do_not_broadcast_is_refused_as_by_torch(torch):
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="must match"):
        torch.nn.functional.mse_loss(torch.zeros(4, 3), torch.zeros(5))
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match=r"\(4, 3\) .* \(5,\)"):
        F.mse_loss(tg.zeros(4, 3), tg.zeros(5))


def test_loss_of_float64_inputs_stays_float64():
    x, y = tg.ones(3, dtype=tg.float64), tg.zeros(3, dtype=tg.float64)
    assert F.mse_loss(x, y).dtype is tg.float64


def test_invalid_reduction_is_refused_as_by_torch(torch):
    with pytest.raises(ValueError) as theirs:
        torch.nn.functional.mse_loss(torch.zeros(2), torch.zeros(2), reduction="avg")
    with pytest.raises(ValueError, match=str(theirs.value)):
        F.mse_loss(tg.zeros(2), tg.zeros(2), reduction="avg")
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        nn.L1Loss(reduction="avg")
    with pytest.raises(TypeError, match="argument 'target' must be Tensor"):
        F.l1_loss(tg.zeros(2), [0.0, 0.0])


@pytest.mark.parametrize("loss", LOSSES)
def test_shape_mismatch_warns_as_torch_does(torch, loss):
    with pytest.warns(UserWarning) as theirs:
        getattr(torch.nn.functional, loss)(torch.zeros(10, 1), torch.zeros(10))
    with pytest.warns(UserWarning) as ours:
        value = getattr(F, loss)(tg.zeros(10, 1), tg.zeros(10))
    assert str(ours[0].message) == torch_text(str(theirs[0].message))
    assert "tinygrad_lr.Size([10])" in str(ours[0].message)
    assert ours[0].filename == __file__  # points at the caller's line, not into the library
    assert value.shape == ()  # the loss is still computed (broadcast), as in torch


@pytest.mark.parametrize("module", ["MSELoss", "L1Loss"])
def test_loss_module_warning_points_at_the_callers_line(module):
    with pytest.warns(UserWarning, match="different to the input size") as record:
        getattr(nn, module)()(tg.zeros(4, 1), tg.zeros(4))
    assert record[0].filename == __file__


def test_same_shapes_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.mse_loss(tg.zeros(4, 1), tg.zeros(4, 1))
        nn.L1Loss()(tg.zeros(4), tg.zeros(4))


# ---------------------------------------------------------------------------------- init
@pytest.mark.parametrize(
    "nonlinearity,param",
    [
        ("linear", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("leaky_relu", math.sqrt(5)),
        ("selu", None),
        ("conv2d", None),
    ],
)
def test_calculate_gain_equals_torchs(torch, nonlinearity, param):
    expected = torch.nn.init.calculate_gain(nonlinearity, param)
    assert nn.init.calculate_gain(nonlinearity, param) == pytest.approx(expected, rel=1e-12)


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match="Unsupported nonlinearity softplus"):
        nn.init.calculate_gain("softplus")
    with pytest.raises(ValueError, match="not a valid number"):
        nn.init.calculate_gain("leaky_relu", "0.1")


@pytest.mark.parametrize(
    "shape,kwargs",
    [
        ((30, 20), {}),
        ((30, 20), {"a": math.sqrt(5)}),
        ((30, 20), {"mode": "fan_out", "nonlinearity": "relu"}),
        ((8, 4, 3), {"nonlinearity": "tanh"}),
    ],
)
def test_kaiming_uniform_uses_torchs_bound(torch, shape, kwargs):
    fan_in = shape[1] * math.prod(shape[2:])
    fan_out = shape[0] * math.prod(shape[2:])
    fan = fan_out if kwargs.get("mode") == "fan_out" else fan_in
    gain = torch.nn.init.calculate_gain(
        kwargs.get("nonlinearity", "leaky_relu"), kwargs.get("a", 0)
    )
    bound = gain * math.sqrt(3.0 / fan)
    theirs = torch.nn.init.kaiming_uniform_(torch.empty(shape), **kwargs)
    ours = nn.init.kaiming_uniform_(tg.empty(shape), **kwargs)
    for values in (ours.numpy(), theirs.numpy()):
        assert np.abs(values).max() <= bound and np.abs(values).max() > 0.9 * bound


def test_init_functions_fill_parameters_in_place_and_return_them():
    param = nn.Parameter(tg.empty(50, 40))
    for function, args in [
        (nn.init.zeros_, ()),
        (nn.init.ones_, ()),
        (nn.init.constant_, (0.25,)),
        (nn.init.normal_, (0.0, 0.02)),
        (nn.init.uniform_, (-0.5, 0.5)),
        (nn.init.kaiming_uniform_, ()),
        (nn.init.kaiming_normal_, ()),
        (nn.init.xavier_uniform_, ()),
        (nn.init.xavier_normal_, ()),
    ]:
        assert function(param, *args) is param, function.__name__
        assert param.requires_grad and param.grad_fn is None and param.dtype is tg.float32


def test_init_values_have_the_requested_distribution():
    tg.manual_seed(0)
    values = nn.init.constant_(tg.empty(2, 2), 0.25).numpy()
    assert np.all(values == 0.25)
    assert np.all(nn.init.zeros_(tg.ones(3)).numpy() == 0)
    assert np.all(nn.init.ones_(tg.zeros(3)).numpy() == 1)
    normal = nn.init.normal_(tg.empty(200, 200), mean=1.0, std=0.5).numpy()
    assert abs(normal.mean() - 1.0) < 0.01 and abs(normal.std() - 0.5) < 0.01
    uniform = nn.init.uniform_(tg.empty(200, 200), -2.0, 3.0).numpy()
    assert uniform.min() >= -2.0 and uniform.max() < 3.0 and abs(uniform.mean() - 0.5) < 0.05
    xavier = nn.init.xavier_normal_(tg.empty(300, 100)).numpy()
    assert abs(xavier.std() - math.sqrt(2 / 400)) < 0.05 * math.sqrt(2 / 400)
    kaiming = nn.init.kaiming_normal_(tg.empty(300, 100), nonlinearity="relu").numpy()
    assert abs(kaiming.std() - math.sqrt(2 / 100)) < 0.05 * math.sqrt(2 / 100)


def test_init_with_a_generator_is_reproducible():
    a = nn.init.kaiming_uniform_(tg.empty(3, 3), generator=tg.Generator().manual_seed(5))
    b = nn.init.kaiming_uniform_(tg.empty(3, 3), generator=tg.Generator().manual_seed(5))
    np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_init_errors():
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        nn.init.kaiming_uniform_(tg.empty(3))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        nn.init.kaiming_uniform_(tg.empty(3, 3), mode="fan_avg")
    with pytest.raises(TypeError, match="expects a Tensor"):
        nn.init.zeros_(np.zeros(3))
    with pytest.warns(UserWarning, match="zero-element tensors is a no-op"):
        nn.init.kaiming_uniform_(tg.empty(0, 3))


# --- issue 13: more losses, layers and dropout (nn helper) --------------------------------------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "ours,theirs,kwargs",
    [
        ("huber_loss", "huber_loss", {"delta": 0.7}),
        ("smooth_l1_loss", "smooth_l1_loss", {"beta": 0.7}),
        ("smooth_l1_loss", "smooth_l1_loss", {"beta": 0.0}),
        ("mse_loss", "mse_loss", {}),
        ("l1_loss", "l1_loss", {}),
    ],
)
def test_issue13_losses_match_torch(torch, ours, theirs, kwargs, reduction):
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    a = tg.tensor(x, requires_grad=True)
    b = torch.tensor(x, requires_grad=True)
    out = getattr(F, ours)(a, tg.tensor(y), reduction=reduction, **kwargs)
    ref = getattr(torch.nn.functional, theirs)(b, torch.tensor(y), reduction=reduction, **kwargs)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-12)
    assert str(out.dtype).split(".")[-1] == str(ref.dtype).split(".")[-1]
    out.sum().backward()
    ref.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    "name,kwargs", [("HuberLoss", {"delta": 2.0}), ("SmoothL1Loss", {"beta": 2.0}),
                    ("MSELoss", {}), ("L1Loss", {})]
)  # fmt: skip
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_issue13_loss_modules_match_torch(torch, name, kwargs, reduction):
    x, y = np.array([0.5, -3.0, 1.5]), np.array([0.0, 0.0, 0.0])
    out = getattr(nn, name)(reduction=reduction, **kwargs)(tg.tensor(x), tg.tensor(y))
    ref = getattr(torch.nn, name)(reduction=reduction, **kwargs)(torch.tensor(x), torch.tensor(y))
    np.testing.assert_allclose(out.numpy(), ref.numpy())


def test_issue13_loss_bad_reduction_raises():
    with pytest.raises(ValueError):
        nn.HuberLoss(reduction="avg")
    with pytest.raises(RuntimeError):
        F.smooth_l1_loss(tg.ones(2), tg.ones(2), beta=-1.0)


@pytest.mark.parametrize(
    "name,args",
    [("LeakyReLU", ()), ("LeakyReLU", (0.2, True)), ("ELU", ()), ("ELU", (0.5,)), ("GELU", ()),
     ("GELU", ("tanh",)), ("Softplus", ()), ("Softplus", (2.0, 10.0)), ("Identity", ()),
     ("Flatten", ()), ("Flatten", (0, 1)), ("Unflatten", (1, (2, 3))), ("Dropout", ()),
     ("Dropout", (0.25,))],
)  # fmt: skip
def test_issue13_module_reprs_match_torch(torch, name, args):
    assert repr(getattr(nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))


@pytest.mark.parametrize(
    "name,args", [("LeakyReLU", (0.2,)), ("ELU", (0.5,)), ("GELU", ("tanh",)), ("GELU", ()),
                  ("Softplus", (2.0, 1.0)), ("Identity", ()), ("Flatten", ()), ("Flatten", (0, 1)),
                  ("Unflatten", (1, (2, 3)))]
)  # fmt: skip
def test_issue13_module_values_match_torch(torch, name, args):
    x = np.random.default_rng(5).standard_normal((2, 6, 2))
    out = getattr(nn, name)(*args)(tg.tensor(x))
    ref = getattr(torch.nn, name)(*args)(torch.tensor(x))
    assert tuple(out.shape) == tuple(ref.shape)
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-10, atol=1e-12)


def test_issue13_dropout_train_zeroes_and_scales():
    tg.manual_seed(0)
    layer = nn.Dropout(0.25)
    out = layer(tg.ones(200, 100)).numpy()
    assert set(np.unique(out)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((out == 0).mean() - 0.25) < 0.01  # 20000 draws: std of the rate is 0.003
    assert abs(out.mean() - 1.0) < 0.02


def test_issue13_dropout_eval_is_identity_and_gradient_masks():
    layer = nn.Dropout(0.5)
    x = tg.tensor([1.0, 2.0, 3.0])
    layer.eval()
    assert layer(x) is x or np.array_equal(layer(x).numpy(), x.numpy())
    layer.train()
    tg.manual_seed(1)
    w = tg.ones(1000, requires_grad=True)
    out = layer(w)
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), out.detach().numpy())
    assert F.dropout(tg.ones(3), p=1.0).numpy().tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError):
        nn.Dropout(1.5)


@pytest.mark.parametrize("args", [((1, 2),), ([[1.5], [2.0]],), (2, 3), (3,), ()])
def test_issue13_legacy_tensor_constructor_matches_torch(torch, args):
    args = tuple(list(a) if isinstance(a, tuple) else a for a in args)
    ours, theirs = tg.Tensor(*args), torch.Tensor(*args)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1] == "float32"
    if all(type(a) is not int for a in args) and args:
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_issue13_legacy_tensor_constructor_errors():
    with pytest.raises(RuntimeError):
        tg.Tensor(-1)
    with pytest.raises(TypeError):
        tg.Tensor([1.0], [2.0])
