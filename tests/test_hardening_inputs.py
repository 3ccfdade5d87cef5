"""Issue 16: no input file or path ends in a hang, memory exhaustion or a traceback.

Each fixture in tests/fixtures/hardening is a class of hostile or surprising input; the table
must cover every fixture. FIFOs, devices, symlink loops and NUL bytes are made per test.
Property tests feed the scenario and batch loaders random YAML documents and random bytes: the
outcome is a loaded scenario or a UserError naming the file, never another exception.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lynchpin.cli import main
from lynchpin.errors import UserError
from lynchpin.experiments import load_batch
from lynchpin.scenario import list_scenarios, load_scenario

FIXTURES = Path(__file__).parent / "fixtures" / "hardening"

# scenario fixture -> words the single error must contain (None: it loads)
SCENARIOS: dict[str, tuple[str, ...] | None] = {
    "yaml11-no.yaml": ("cptpp_leader", "'NO' is ambiguous", "quote it"),
    "yaml11-yes.yaml": ("us_in_tpp", "'yes' is ambiguous", "true or false"),
    "yaml11-octal.yaml": ("worlds", "'0100' has a leading zero", "octal", "write 100"),
    "yaml11-sexagesimal.yaml": ("seed", "'1:30'", "base-60", "quote it"),
    "merge-key.yaml": (":4:3:", "merge keys (<<) are not supported", "extends"),
    "deep-block.yaml": ("nested more than 20 levels deep",),
    "deep-flow.yaml": (":2:", "nested more than 20 levels deep"),
    "bidi-name.yaml": ("name", "U+202E", "RIGHT-TO-LEFT OVERRIDE"),
    "control-name.yaml": ("name", "U+0007"),
    "long-name.yaml": ("name", "at most 100 characters (got 5,000)"),
    "year-below-1000.yaml": ("start", "year must be 1000..9999 (got 0999Q1)"),
    "year-9999.yaml": ("end", "31,920 quarters", "limited to 400"),
    "parent-list.yaml": ("must be a mapping", "got a list"),
    "child-of-list.yaml": ("parent-list.yaml:1:1", "while loading", "child-of-list.yaml"),
    "nul-byte.yaml": ("nul-byte.yaml:2:", "NUL byte"),
    "dotdot-name.yaml": None,  # the name is kept; the folder made from it is safe
    "absolute-name.yaml": None,
    "markup-name.yaml": None,  # printed literally (tests/test_hardening_paths.py)
    "sentinel-ramp.yaml": None,
}
BATCHES: dict[str, tuple[str, ...]] = {
    "worlds-yes.yaml": ("runs[0].worlds", "'yes' is ambiguous"),
    "worlds-true.yaml": ("runs[0].worlds", "valid integer", "got True"),
    "worlds-string.yaml": ("runs[0].worlds", "valid integer", "got '10'"),
    "range-strings.yaml": ("ranges.depreciation[0]", "valid number"),
    "huge-grid.yaml": ("sweeps[0]", "1,000,000,000 points", "at most 100,000"),
    "huge-sample.yaml": ("sweeps[0]", "1,000,000,000 points"),
    "bidi-name.yaml": ("name", "U+202E"),
}


def test_every_fixture_is_in_a_table():
    assert sorted(p.name for p in (FIXTURES / "scenarios").iterdir()) == sorted(SCENARIOS)
    assert sorted(p.name for p in (FIXTURES / "batches").iterdir()) == sorted(BATCHES)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_fixture(name):
    path = FIXTURES / "scenarios" / name
    words = SCENARIOS[name]
    if words is None:
        load_scenario(path).to_config()
        return
    with pytest.raises(UserError) as caught:
        load_scenario(path).to_config()
    text = "\n".join(caught.value.lines)
    assert name.split("-of-")[0] in text or "parent-list" in text
    for word in words:
        assert word in text, text


@pytest.mark.parametrize("name", sorted(BATCHES))
def test_batch_fixture(name):
    with pytest.raises(UserError) as caught:
        load_batch(FIXTURES / "batches" / name)
    text = "\n".join(caught.value.lines)
    assert name in text
    for word in BATCHES[name]:
        assert word in text, text


def _fails_fast(call, *args) -> UserError:
    """The call must end (with a UserError) within seconds: a FIFO must never block."""
    outcome: list[BaseException | None] = []

    def target():
        try:
            call(*args)
        except BaseException as error:
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(10)
    assert outcome, "the call hung"
    assert isinstance(outcome[0], UserError), outcome[0]
    return outcome[0]


@pytest.fixture
def fifo(tmp_path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("this platform has no FIFOs (os.mkfifo)")
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def test_fifo_is_reported_as_a_fifo_for_scenarios_batches_and_list(fifo, monkeypatch):
    error = _fails_fast(load_scenario, fifo)
    assert "pipe.yaml: is a FIFO (named pipe), not a scenario file" in str(error)
    error = _fails_fast(load_batch, fifo)
    assert "is a FIFO (named pipe), not a batch file" in str(error)
    monkeypatch.setenv("LYNCHPIN_SCENARIO_PATH", str(fifo.parent))
    error = _fails_fast(list_scenarios)
    assert "FIFO" in str(error) and "pipe.yaml" in str(error)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_without_reading(device):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist on this platform")
    error = _fails_fast(load_scenario, Path(device))
    assert f"{device}: is a character device, not a scenario file" in str(error)
    assert "character device" in str(_fails_fast(load_batch, Path(device)))


def test_directory_symlink_loop_and_nul_byte_paths(tmp_path, capsys):
    assert "is a directory" in str(_fails_fast(load_scenario, tmp_path))
    assert "is a directory" in str(_fails_fast(load_batch, tmp_path))
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    assert "symbolic links" in str(_fails_fast(load_scenario, loop))
    child = tmp_path / "child.yaml"
    child.write_text("name: child\nextends: loop.yaml\n")
    error = str(_fails_fast(load_scenario, child))
    assert "extends" in error and "symbolic links" in error and "child.yaml" in error
    child.write_text('name: child\nextends: "a\\0b.yaml"\n')
    error = str(_fails_fast(load_scenario, child))
    assert "extends" in error and "NUL" in error
    assert main(["run", "bad\0name.yaml"]) == 2
    assert main(["validate", str(loop)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_oversized_batch_file_is_refused_by_size(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * 1_000_001)
    assert "limited to 1,000,000" in str(_fails_fast(load_batch, path))


# -- property tests ------------------------------------------------------------------
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["NO", "yes", "0100", "1:30", "2020Q1", "baseline", "JPN", "<<", "~"]),
)
_keys = st.one_of(
    st.sampled_from(
        [
            "name",
            "extends",
            "worlds",
            "seed",
            "start",
            "end",
            "actors",
            "JPN",
            "parameters",
            "depreciation",
            "policies",
            "doctrine",
            "shocks",
            "runs",
            "sweeps",
            "scenario",
            "grid",
            "ranges",
            "design",
            "samples",
        ]
    ),
    st.text(min_size=1, max_size=10),
)
_documents = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=5)
    ),
    max_leaves=20,
)
_PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _load_or_user_error(loader, path: Path) -> None:
    """Success, or a UserError whose first line names the file; anything else fails."""
    try:
        loaded = loader(path)
        if hasattr(loaded, "to_config"):
            loaded.to_config()
    except UserError as error:
        assert error.lines and path.name in error.lines[0], error.lines


@_PROPERTY
@given(document=_documents)
def test_random_yaml_documents_load_or_fail_cleanly(tmp_path, document):
    path = tmp_path / "doc.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    _load_or_user_error(load_scenario, path)
    _load_or_user_error(load_batch, path)


@_PROPERTY
@given(data=st.binary(max_size=400))
def test_random_bytes_load_or_fail_cleanly(tmp_path, data):
    path = tmp_path / "bytes.yaml"
    path.write_bytes(data)
    _load_or_user_error(load_scenario, path)
    _load_or_user_error(load_batch, path)


@_PROPERTY
@given(text=st.text(alphabet=st.sampled_from(list("[]{}:,-?*&!|>'\"#%@` \n\tab01")), max_size=200))
def test_random_yaml_punctuation_loads_or_fails_cleanly(tmp_path, text):
    path = tmp_path / "punct.yaml"
    path.write_text(text, encoding="utf-8")
    _load_or_user_error(load_scenario, path)
    _load_or_user_error(load_batch, path)


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("policies.cptpp_leader=NO", "override policies.cptpp_leader: 'NO' is ambiguous"),
        ("JPN.defence_ceiling=0100", "override JPN.defence_ceiling: '0100' has a leading zero"),
        ("depreciation=1:30", "override depreciation: '1:30' is read by YAML as a base-60"),
    ],
)
def test_set_values_get_the_same_yaml_hints(setting, words):
    with pytest.raises(UserError, match=words):
        load_scenario("baseline").with_overrides(params=dict([setting.split("=", 1)]))
    quoted = setting.replace("=", "='", 1) + "'"
    key, value = quoted.split("=", 1)
    try:  # quoted, it is text: accepted or refused by the field's own rule, never by YAML
        load_scenario("baseline").with_overrides(params={key: value})
    except UserError as error:
        assert "ambiguous" not in str(error) and "leading zero" not in str(error)


def test_control_characters_are_refused_in_every_displayed_text(tmp_path):
    path = tmp_path / "kor.yaml"
    path.write_text(
        'name: kor\nextends: baseline\nnew_actors:\n  - {code: KOR, name: "Korea\\u200F", '
        "role: treaty_ally, gdp: 1600, defence_share: 0.027}\nshocks:\n  - {target: JPN, "
        'quantity: attention, start: 2021Q1, size: 0.1, note: "a\\u202Eb"}\n'
    )
    with pytest.raises(UserError) as caught:
        load_scenario(path)
    text = "\n".join(caught.value.lines)
    assert "new_actors[0].name: contains" in text and "U+200F" in text
    assert "shocks[0].note: contains" in text and "U+202E" in text


def test_quarters_round_trip_with_four_digit_years():
    from lynchpin.model.periods import format_quarter, parse_quarter

    for text in ("0999Q1", "1000Q4", "2020Q1", "9999Q4"):
        assert format_quarter(parse_quarter(text)) == text
