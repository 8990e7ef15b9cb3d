import pytest
from hypothesis import given
from hypothesis import strategies as st

from initlab.errors import InitlabError
from initlab.specs import format_spec, parse_spec, split_spec_list


def test_parse_spec_reads_typed_values():
    spec = parse_spec("variance_scaling:scale=2,mode=fan_avg,truncate=true,std=0.5")
    assert spec.name == "variance_scaling"
    assert spec.params == {"scale": 2, "mode": "fan_avg", "truncate": True, "std": 0.5}


def test_split_keeps_parameters_with_their_spec():
    assert split_spec_list("zeros,variance_scaling:scale=2,mode=fan_avg,he") == [
        "zeros",
        "variance_scaling:scale=2,mode=fan_avg",
        "he",
    ]


@pytest.mark.parametrize("bad", ["", ":x=1", "he:scale", "he:=3", "he:a=1,a=2"])
def test_bad_specs_raise(bad):
    with pytest.raises(InitlabError):
        parse_spec(bad)


@given(
    st.dictionaries(
        st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
        st.integers(-1000, 1000) | st.floats(0.001, 1e6),
        max_size=4,
    )
)
def test_format_then_parse_round_trips(params):
    assert parse_spec(format_spec("name", params)).params == params
