"""Rule files: schema errors with JSON paths, RE2 and validator checks, user rule files,
and the meta-test that every bundled rule has examples that behave."""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

import pytest

from speechgate.cli import main
from speechgate.errors import UsageError
from speechgate.model import Role
from speechgate.rules import Rule, check_examples, example_field, load_rules, rule_files

GOOD = """\
  - id: {id}
    title: Demo rule {id}
    category: email
    severity: high
    confidence: 0.9
    detect: {{regex: 'zz[0-9]+'}}
    examples: {{match: ["zz12"], no_match: ["zz"]}}
"""


def _rule_file(tmp_path: Path, body: str, name: str = "extra.yaml") -> Path:
    path = tmp_path / name
    path.write_text("rules:\n" + textwrap.dedent(body), encoding="utf-8")
    return path


def _load_error(path: Path) -> str:
    with pytest.raises(UsageError) as info:
        load_rules([path])
    return str(info.value)


def test_broken_rule_names_file_and_json_path(tmp_path: Path) -> None:
    body = "".join(GOOD.format(id=f"demo-{i}") for i in range(3))
    body += GOOD.format(id="demo-3").replace("detect: {regex: 'zz[0-9]+'}",
                                             "detect: {regex: 'a', keywords: {words: [b]}}")
    path = _rule_file(tmp_path, body)
    assert _load_error(path).startswith(f"{path}: /rules/3/detect: ")


def test_broken_rule_file_exits_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _rule_file(tmp_path, GOOD.format(id="demo-0") + GOOD.format(id="demo-1").replace("severity: high",
                                                                                              "severity: huge"))
    config = tmp_path / "c.yaml"
    config.write_text(f"rules: {{extra: [{path.name}]}}\n")
    for argv in (["check", str(tmp_path), "--no-cache"], ["rules", "list"], ["rules", "test"]):
        assert main([*argv, "--config", str(config)]) == 2
        err = capsys.readouterr().err
        assert f"{path}: /rules/1/severity: " in err
        assert "Traceback" not in err


def test_invalid_yaml(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("rules:\n  - id: [unclosed\n")
    assert "invalid YAML" in _load_error(path)


def test_bad_re2_pattern(tmp_path: Path) -> None:
    path = _rule_file(tmp_path, GOOD.format(id="demo-0").replace("'zz[0-9]+'", "'(?<=a)zz'"))
    message = _load_error(path)
    assert message.startswith(f"{path}: /rules/0/detect: invalid RE2 pattern")


def test_catastrophic_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    # (a+)+$ backtracks exponentially in Python's re; RE2 accepts and runs it in linear time
    path = _rule_file(tmp_path, GOOD.format(id="demo-0").replace("'zz[0-9]+'", "'(a+)+$'"))
    [rule] = load_rules([path])
    _, f = example_field(rule, "a" * 5000 + "!")
    assert list(rule.matches(f)) == []


def test_unknown_validator(tmp_path: Path) -> None:
    path = _rule_file(tmp_path, GOOD.format(id="demo-0") + "    validators: [no-such-check]\n")
    assert _load_error(path).startswith(f"{path}: /rules/0/validators: unknown validator 'no-such-check'")


def test_duplicate_id_in_one_file_and_across_files(tmp_path: Path) -> None:
    path = _rule_file(tmp_path, GOOD.format(id="demo-0") + GOOD.format(id="demo-0"))
    assert _load_error(path).startswith(f"{path}: /rules/1/id: duplicate rule id")
    clash = _rule_file(tmp_path, GOOD.format(id="pii-email"), "clash.yaml")
    with pytest.raises(UsageError, match=r"/rules/0/id: duplicate rule id, first defined in .*contact\.yaml"):
        load_rules(rule_files([clash]))


def test_unknown_disabled_rule(tmp_path: Path) -> None:
    path = _rule_file(tmp_path, GOOD.format(id="demo-0"))
    with pytest.raises(UsageError, match="unknown rule id"):
        load_rules([path], disabled=["demo-9"])
    assert load_rules([path], disabled=["demo-0"]) == []


def test_user_rule_file_is_loaded_tested_and_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "rules").mkdir()
    _rule_file(tmp_path / "rules", GOOD.format(id="team-ticket"))
    config = tmp_path / ".speechgate.yaml"
    config.write_text("rules: {extra: [rules/extra.yaml]}\n")
    assert main(["rules", "list", "--config", str(config)]) == 0
    assert "team-ticket" in capsys.readouterr().out
    assert main(["rules", "test", "--config", str(config)]) == 0
    assert ", 0 failures" in capsys.readouterr().out
    data = tmp_path / "data"
    data.mkdir()
    (data / "notes.txt").write_text("see ticket zz4711 for details\n")
    assert main(["check", str(data), "--config", str(config), "--no-cache"]) == 1
    assert "team-ticket" in capsys.readouterr().out


def test_rules_test_reports_a_failing_user_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _rule_file(tmp_path, GOOD.format(id="team-ticket").replace('no_match: ["zz"]', 'no_match: ["zz9"]'))
    config = tmp_path / "c.yaml"
    config.write_text("rules: {extra: [extra.yaml]}\n")
    assert main(["rules", "test", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "FAIL team-ticket: no_match example 0: fired" in out


def test_check_examples_demands_both_kinds(tmp_path: Path) -> None:
    path = _rule_file(tmp_path, GOOD.format(id="demo-0").replace('no_match: ["zz"]', "no_match: []"))
    [rule] = load_rules([path])
    [failure] = check_examples(rule)
    assert failure.expected == "examples" and "no_match" in failure.detail


def test_example_scope_defaults() -> None:
    rules = {r.id: r for r in load_rules(rule_files())}
    rule = rules["pii-email"]
    kind, f = example_field(rule, {"text": "a@b.org", "role": "tag", "name": "COMM"})
    assert f.role is Role.TAG and f.name == "COMM" and kind == "text"


# --- meta-test: every bundled rule carries examples, and they all behave ---------------------------

@functools.cache
def _load_bundled() -> tuple[Rule, ...] | str:
    try:
        return tuple(load_rules(rule_files()))
    except UsageError as exc:
        return str(exc)


def _bundled() -> tuple[Rule, ...]:
    rules = _load_bundled()
    if isinstance(rules, str):  # surfaced as a failing test, not a collection error
        pytest.fail(f"bundled rules do not load: {rules}")
    return rules


def _bundled_ids() -> list[str]:
    rules = _load_bundled()
    return ["<bundled rules do not load>"] if isinstance(rules, str) else sorted(r.id for r in rules)


def test_bundled_pack_covers_the_required_categories() -> None:
    categories = {r.category.value for r in _bundled()}
    assert {"email", "phone", "financial", "government_id", "network_id", "speaker_id", "person_name"} <= categories


@pytest.mark.parametrize("rule_id", _bundled_ids())
def test_bundled_rule_examples(rule_id: str) -> None:
    rule = {r.id: r for r in _bundled()}[rule_id]
    examples = rule.data["examples"]
    assert len(examples.get("match", ())) >= 1, f"{rule_id} has no match example"
    assert len(examples.get("no_match", ())) >= 1, f"{rule_id} has no no_match example"
    assert check_examples(rule) == []


def test_context_words_and_phrases_raise_and_lower_confidence(tmp_path: Path) -> None:
    """A rule's `context` moves a match's confidence by `step` for a cue within `window`
    characters: up for a `raise` word or phrase, down for a `lower` one, case-insensitive;
    phrases match as written in the nearby text, words as whole words only."""
    path = _rule_file(tmp_path, """\
      - id: ctx-demo
        title: Context demo
        category: email
        severity: high
        confidence: 0.5
        detect: {regex: 'zz[0-9]+'}
        context: {window: 20, step: 0.2, raise: [Call, "reach me at"], lower: [order, "serial no"]}
        examples: {match: ["zz12"], no_match: ["zz"]}
    """)
    (rule,) = load_rules([path])

    def confidence(text: str) -> float:
        (found,) = rule.matches(example_field(rule, text)[1])
        return round(found[1], 3)

    assert confidence("zz12") == 0.5
    assert confidence("please CALL zz12") == 0.7  # a word, any case
    assert confidence("Reach  me at zz12") == 0.5  # a phrase needs its own spacing
    assert confidence("reach me at zz12") == 0.7
    assert confidence("REACH ME AT zz12") == 0.7
    assert confidence("zz12 is the ORDER") == 0.3  # after the match too
    assert confidence("serial no zz12") == 0.3
    assert confidence("callers zz12 orders") == 0.5  # whole words only
    assert confidence("call zz12 order") == 0.5  # both: they cancel
    assert confidence("call " + "x" * 30 + " zz12") == 0.5  # beyond the window
