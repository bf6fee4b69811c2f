"""tinygrad_lr.viz.backward_steps and save_steps: the walk's numbers are the engine's, and the
page works in a real browser (headless Chromium driven by Selenium), offline, from a file."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr.autograd import engine
from tinygrad_lr.viz import Frame, Frames, backward_steps, save_steps
from tinygrad_lr.viz.__main__ import main as viz_main
from tinygrad_lr.viz._tutorial import tutorial_loss

ROOT = Path(__file__).resolve().parents[1]


def tutorial_step():
    """The tutorial's loss, every intermediate result kept with retain_grad()."""
    tensors = tutorial_loss(backward=False)
    X, y, w, b = tensors["X"], tensors["y"], tensors["w"], tensors["b"]
    z = tg.matmul(X, w)
    y_hat = z + b
    d = y_hat - y.reshape(y_hat.shape)
    p = d**2
    q = p / 2
    loss = q.sum()
    for tensor in (z, y_hat, d, p, q, loss):
        tensor.retain_grad()
    # In the order backward visits their nodes: the loss's first.
    results = [loss, q, p, d, y_hat, z]
    return {"X": X, "y": y, "w": w, "b": b, "loss": loss}, results


def test_frames_follow_the_engine_and_carry_its_numbers():
    names, results = tutorial_step()
    frames = backward_steps(names["loss"], names, show_order=True)
    assert isinstance(frames, Frames) and all(isinstance(frame, Frame) for frame in frames)
    kinds = [frame.kind for frame in frames]
    assert kinds == ["start"] + ["visit"] * 5 + ["sum", "visit", "done"]
    visits = [frame for frame in frames if frame.kind == "visit"]
    assert [frame.node for frame in visits] == [r.grad_fn.name() for r in results]
    for frame, result in zip(visits, results):  # what each node received is dL/d(its result)
        np.testing.assert_array_equal(frame.received, result.grad.numpy())
    w, b = names["w"], names["b"]
    summed = frames[6]
    assert summed.node == "SumToSize" and summed.received.shape == (10, 1)
    ((target, value, added),) = summed.sent
    assert target == "b" and not added
    np.testing.assert_array_equal(value, b.grad.numpy())
    np.testing.assert_allclose(summed.received.sum(), b.grad.item(), rtol=1e-5)
    ((target, value, _),) = frames[7].sent
    assert target == "w"
    np.testing.assert_array_equal(value, w.grad.numpy())
    done = dict((name, grad) for name, grad, _ in frames[-1].sent)
    np.testing.assert_array_equal(done["w"], w.grad.numpy())
    np.testing.assert_array_equal(done["b"], b.grad.numpy())


def test_the_same_gradients_as_a_plain_backward():
    names, _ = tutorial_step()
    backward_steps(names["loss"], names)
    again = tutorial_loss(backward=True)
    np.testing.assert_array_equal(names["w"].grad.numpy(), again["w"].grad.numpy())
    np.testing.assert_array_equal(names["b"].grad.numpy(), again["b"].grad.numpy())


def test_captions_give_the_numbers_and_the_rule():
    w = tg.tensor([2.0], requires_grad=True)
    x = tg.tensor([3.0])
    frames = backward_steps((w * x).sum(), {"w": w, "x": x})
    assert frames[0].caption.startswith("Forward has run: the loss is 6.")
    assert "MulBackward0 receives g = dL/d(its result) = [1] from SumBackward0" in frames[2].caption
    assert "sends [3] to w (da = g * b)" in frames[2].caption
    assert frames[-1].caption.endswith("w.grad = [3].")


def test_a_second_contribution_is_marked_as_added():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    h = w * 2
    frames = backward_steps((h * h).sum() + (w * 3).sum(), {"w": w})
    sends = [sent for frame in frames if frame.kind == "visit" for sent in frame.sent]
    to_h = [added for target, _, added in sends if target == "MulBackward0"]
    assert to_h.count(True) == 1  # h * h: the second operand's gradient adds to the first's
    to_w = [added for target, _, added in sends if target == "w"]
    assert to_w == [False, True]  # w reaches the loss twice
    assert sum("added to the gradient" in frame.caption for frame in frames) == 2
    h_visit = [frame for frame in frames if frame.node == "MulBackward0"][-1]  # h = w * 2
    assert "from MulBackward0, MulBackward0: 2 contributions, added" in h_visit.caption
    np.testing.assert_array_equal(frames[-1].sent[0][1], w.grad.numpy())
    np.testing.assert_array_equal(w.grad.numpy(), 8 * w.detach().numpy() + 3)


def test_a_drawn_frame_lights_its_node_and_writes_the_gradients_on_its_arrows():
    names, _ = tutorial_step()
    frames = backward_steps(names["loss"], names)
    add = frames[5]  # AddBackward0: to MatMul, and towards b through SumToSize
    assert add.node == "AddBackward0"
    lit = [line for line in add.graph.body if "penwidth=3" in line]
    assert len(lit) == 1 and "Add" in lit[0]
    assert sum("xlabel=" in line for line in add.graph.body) == 2
    final = frames[-1].graph.source
    assert "grad [-12.86]" in final and "grad None" not in final
    assert "grad None" in frames[1].graph.source  # .grad is filled in only at the end
    assert "received [-12.86], kept for the end" in frames[7].graph.source


def test_frames_show_in_jupyter():
    w = tg.tensor([2.0], requires_grad=True)
    frames = backward_steps((w * 3).sum(), {"w": w})
    assert frames[1]._repr_html_().startswith("<div><svg")
    assert frames._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')


def test_wrong_uses_raise_and_leave_the_engine_unobserved(tmp_path):
    w = tg.ones(2, requires_grad=True)
    with pytest.raises(TypeError, match="leave out show_grads"):
        backward_steps((w * 2).sum(), show_grads=True)
    with pytest.raises(TypeError, match="unexpected options: color"):
        backward_steps((w * 2).sum(), color="red")
    with pytest.raises(RuntimeError, match="has no graph"):
        backward_steps(tg.ones(2).sum())
    with pytest.raises(TypeError, match="expects a Tensor"):
        backward_steps(np.ones(2))
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        backward_steps(w * 2)
    assert engine.OBSERVERS == []
    frames = backward_steps((w * 2).sum())
    with pytest.raises(ValueError, match="ending in .html"):
        save_steps(frames, tmp_path / "page.svg")
    with pytest.raises(ValueError, match="no frames"):
        save_steps([], tmp_path / "page.html")
    with pytest.raises(TypeError, match="frames backward_steps returns"):
        save_steps(["frame"], tmp_path / "page.html")


def test_the_page_is_self_contained(tmp_path):
    names, _ = tutorial_step()
    page = save_steps(backward_steps(names["loss"], names), tmp_path / "backward.html")
    text = page.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)  # nothing fetched
    assert text.count('class="frame"') == 9 and text.count("<svg") == 9
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert len(ids) == len(set(ids))
    assert '<span id="step-label">step 1 of 9</span>' in text


def test_the_command_line_writes_the_tutorials_page(tmp_path, capsys, dot):
    out = tmp_path / "backward.html"
    assert viz_main(["--steps", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out} (9 steps)\n"
    assert "SumToSize" in out.read_text()
    with pytest.raises(SystemExit):
        viz_main(["--steps", "--out", str(tmp_path / "graph.svg")])
    assert "give --out ending in .html" in capsys.readouterr().err


def run_example(*args, cwd=None):
    return subprocess.run(
        [sys.executable, str(ROOT / "examples/linear_regression.py"), "--epochs", "1", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_the_example_records_its_first_step_without_changing_the_run(tmp_path, dot):
    out = tmp_path / "first.html"
    recorded = run_example("--steps", str(out))
    assert recorded.returncode == 0, recorded.stderr
    assert recorded.stderr == ""
    plain = run_example()
    summary = [line for line in recorded.stdout.splitlines() if line.startswith("summary:")]
    assert summary == [line for line in plain.stdout.splitlines() if line.startswith("summary:")]
    assert f"step by step, to {out}" in recorded.stdout
    assert "The first training step" in out.read_text()
    refused = run_example("--steps", str(tmp_path / "missing" / "first.html"))
    assert refused.returncode == 2 and "does not exist" in refused.stderr
    assert "epoch" not in refused.stdout  # refused before training


# --------------------------------------------------------------------------------- the browser
def chromium_driver():
    """Headless Chromium through Selenium, offline; skipped (outside CI) where either is absent."""
    webdriver = pytest.importorskip("selenium.webdriver")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if browser is None or driver_path is None:
        pytest.skip("needs Chromium and ChromeDriver: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=driver_path)
    return webdriver.Chrome(options=options, service=service)


@pytest.fixture(scope="module")
def browser():
    driver = chromium_driver()
    yield driver
    driver.quit()


def test_the_page_steps_in_a_real_browser(tmp_path, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    names, _ = tutorial_step()
    frames = backward_steps(names["loss"], names, show_order=True, legend=True)
    page = save_steps(frames, tmp_path / "backward.html")
    browser.get(page.as_uri())

    def label():
        return browser.find_element(By.ID, "step-label").text

    def caption():
        return browser.find_element(By.ID, "caption").text

    def drawing():
        shown = [f for f in browser.find_elements(By.CSS_SELECTOR, ".frame") if f.is_displayed()]
        assert len(shown) == 1
        return shown[0].get_attribute("innerHTML")

    assert label() == "step 1 of 9" and caption() == frames[0].caption
    first = drawing()
    browser.find_element(By.ID, "next").click()
    assert label() == "step 2 of 9" and caption() == frames[1].caption
    assert drawing() != first
    assert browser.execute_script("return location.hash") == "#step=2"
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    body.send_keys(Keys.ARROW_RIGHT)
    assert label() == "step 4 of 9" and caption() == frames[3].caption
    body.send_keys(Keys.ARROW_LEFT)
    assert label() == "step 3 of 9"
    browser.find_element(By.ID, "previous").click()
    browser.find_element(By.ID, "previous").click()
    browser.find_element(By.ID, "previous").click()  # already at the first: stays there
    assert label() == "step 1 of 9"
    assert browser.find_element(By.ID, "previous").get_attribute("disabled") == "true"

    browser.get(page.as_uri() + "#step=7")  # opened at a step: the SumToSize frame
    browser.refresh()
    assert label() == "step 7 of 9" and caption().startswith("SumToSize")
    browser.get(page.as_uri() + "#step=3")
    browser.refresh()
    assert label() == "step 3 of 9" and caption() == frames[2].caption

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


# ---------------------------------------------------------------------------------- docs figures
def test_the_docs_step_figures_are_up_to_date():
    """docs/figures/backward_steps.html and backward_step_N.svg are what
    docs/make_graph_figures.py makes: the same captions, and each SVG the same lines of text as
    its frame's DOT labels (the layout depends on the Graphviz version)."""
    from test_viz import svg_texts

    from tinygrad_lr.viz._tutorial import FIGURE_STEPS, figure_steps

    hint = "regenerate with: python docs/make_graph_figures.py"
    figures = ROOT / "docs" / "figures"
    frames = figure_steps()
    page = (figures / "backward_steps.html").read_text()
    captions = re.findall(r'class="frame" data-caption="([^"]*)"', page)
    assert captions == [html.escape(f.caption, quote=True) for f in frames], f"stale page; {hint}"
    for index in FIGURE_STEPS:
        source = frames[index].graph.source
        labels = re.findall(r'(?:label|xlabel)="((?:[^"\\]|\\.)*)"', source)
        expected = [line.strip() for label in labels for line in label.split("\\n")]
        svg = (figures / f"backward_step_{index + 1}.svg").read_text()
        texts = [text.strip() for text in svg_texts(svg)]
        assert sorted(texts) == sorted(expected), f"stale backward_step_{index + 1}.svg; {hint}"
