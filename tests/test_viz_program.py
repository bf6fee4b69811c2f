"""tinygrad_lr.viz.draw_program: a compiled step's recording drawn, one oval per entry."""

from __future__ import annotations

import re

import tinygrad_lr as tg
from tinygrad_lr.viz import draw_program, render_graph


def recorded_step():
    w = tg.zeros(2, requires_grad=True)

    @tg.compile
    def step(x):
        loss = (x * w).sum()
        loss.backward()
        with tg.no_grad():
            w.sub_(0.1 * w.grad)
            w.grad.zero_()
        return loss

    for _ in range(3):
        step(tg.ones(2))
    return step.program(tg.ones(2))


def test_every_entry_is_drawn_with_its_inputs_and_writes():
    program = recorded_step()
    source = draw_program(program).source
    labels = re.findall(r'label="([^"]*)"', source)
    entries = [label for label in labels if re.match(r"\d+: ", label)]
    assert len(entries) == len(program.entries)
    assert entries[0] == "1: b1 = Mul" and any(
        "sub (in place)" in e or "subtract" in e for e in entries
    )
    assert "x0 (argument)" in labels and "s0 (from outside)" in labels
    writes = source.count('label="writes"')
    assert writes == sum(1 for entry in program.entries if entry[3] is None)


def test_the_drawing_renders(tmp_path):
    path = render_graph(draw_program(recorded_step()), tmp_path / "program.svg")
    assert "1: b1 = Mul" in path.read_text()
