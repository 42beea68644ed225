"""The component contract the model reads lists the policy file's names, not a stale copy."""

from __future__ import annotations

import re

from plotwise.agent.prompts import render_instructions
from plotwise.artifact.validator import load_policy
from plotwise.semantic.definition import load_definitions
from plotwise.settings import PROJECT_ROOT


def test_the_contract_lists_the_allowed_imports_and_forbidden_names_of_the_policy():
    definition = next(iter(load_definitions(PROJECT_ROOT / "fixtures" / "datasets").values()))
    text = render_instructions(PROJECT_ROOT / "prompts", definition, max_rows=1000)
    policy = load_policy()
    assert not re.search(r"\{(allowed_imports|forbidden_\w+|max_code_length)\}", text)
    for name in policy.modules["lucide-react"].names | policy.modules["react"].names:
        assert f"`{name}`" in text
    for name in policy.forbidden_globals:
        assert f"`{name}`" in text
    assert "60,000 characters" in text
    assert "`lucide-react` (icons, named imports only)" in text
