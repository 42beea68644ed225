"""Which models a user may switch among: PLOTWISE_MODELS, its parsing and its refusals."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from plotwise.settings import Settings, model_name_problem


@pytest.fixture(autouse=True)
def _no_model_environment(monkeypatch):
    monkeypatch.delenv("PLOTWISE_MODEL", raising=False)
    monkeypatch.delenv("PLOTWISE_MODELS", raising=False)


def test_no_further_models_by_default():
    settings = Settings()
    assert settings.model == "local"
    assert settings.models == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('["local", "openai:gpt-4.1"]', ["local", "openai:gpt-4.1"]),
        ("local,anthropic:claude-sonnet-4-5", ["local", "anthropic:claude-sonnet-4-5"]),
        (" openai:gpt-4.1 , local ,", ["openai:gpt-4.1", "local"]),
        ("openai:gpt-4.1,openai:gpt-4.1", ["openai:gpt-4.1"]),
        # Model names keep their case and may hold colons of their own (Ollama tags).
        ("openai-compatible:Qwen2.5-Coder:14b", ["openai-compatible:Qwen2.5-Coder:14b"]),
        ("", []),
        ("[]", []),
    ],
)
def test_models_from_the_environment_as_json_or_commas(monkeypatch, raw, expected):
    monkeypatch.setenv("PLOTWISE_MODELS", raw)
    assert Settings().models == expected


@pytest.mark.parametrize(
    ("raw", "bad"),
    [
        ("local,gpt-4.1", "gpt-4.1"),
        ('["local", "ollama:llama3"]', "ollama:llama3"),
        ("openai:", "openai:"),
        ("Local", "Local"),
        ('["anthropic:  "]', "anthropic:"),
    ],
)
def test_a_malformed_model_name_stops_the_start_naming_it(monkeypatch, raw, bad):
    monkeypatch.setenv("PLOTWISE_MODELS", raw)
    with pytest.raises(ValidationError, match="PLOTWISE_MODELS") as raised:
        Settings()
    assert repr(bad) in str(raised.value)


def test_a_broken_json_list_is_refused(monkeypatch):
    monkeypatch.setenv("PLOTWISE_MODELS", '["local"')
    with pytest.raises(ValidationError, match="not a JSON list of model names"):
        Settings()


def test_the_default_model_is_trimmed(monkeypatch):
    monkeypatch.setenv("PLOTWISE_MODEL", " openai:gpt-4.1 ")
    assert Settings().model == "openai:gpt-4.1"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("local", None),
        ("openai:gpt-4.1", None),
        ("anthropic:claude-sonnet-4-5", None),
        ("openai-compatible:qwen2.5-coder:14b", None),
        ("gpt-4.1", "unknown model 'gpt-4.1'"),
        ("openai-chat:gpt-4.1", "unknown model 'openai-chat:gpt-4.1'"),
        ("anthropic:", "names no model after 'anthropic:'"),
    ],
)
def test_model_name_problem_names_what_is_wrong(name, problem):
    found = model_name_problem(name)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found
