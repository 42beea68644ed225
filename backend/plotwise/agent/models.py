"""Model choice from ``PLOTWISE_MODEL``, built lazily at the start of each turn."""

from __future__ import annotations

from pydantic_ai.exceptions import UserError
from pydantic_ai.models import Model, infer_model

from plotwise.errors import ModelConfigError
from plotwise.local.lexicon import Lexicon
from plotwise.local.model import local_analyst_model
from plotwise.settings import Settings

PROVIDER_PREFIXES = ("openai:", "anthropic:", "openai-compatible:")


def build_model(settings: Settings, lexicon: Lexicon) -> Model:
    """Build the configured model.

    Args:
        settings: ``model`` is ``local``, ``openai:<model>``, ``anthropic:<model>`` or
            ``openai-compatible:<model>`` (with ``llm_base_url`` and optionally ``llm_api_key``).
        lexicon: Vocabulary of the active dataset, used by the local analyst.

    Raises:
        ModelConfigError: Unknown provider, a missing base URL, or a provider key missing from the
            environment (``OPENAI_API_KEY``, ``ANTHROPIC_API_KEY``).

    """
    name = settings.model.strip()
    if name == "local":
        return local_analyst_model(lexicon)
    if name.startswith("openai-compatible:"):
        return _openai_compatible(name.split(":", 1)[1], settings)
    if not name.startswith(PROVIDER_PREFIXES):
        raise ModelConfigError(
            f"unknown model {name!r}: use local, openai:<model>, anthropic:<model> or "
            "openai-compatible:<model>"
        )
    try:
        return infer_model(name)
    except UserError as exc:
        raise ModelConfigError(f"model {name!r} cannot be used: {exc}") from exc


def _openai_compatible(model_name: str, settings: Settings) -> Model:
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    if not settings.llm_base_url:
        raise ModelConfigError("openai-compatible models need PLOTWISE_LLM_BASE_URL")
    provider = OpenAIProvider(
        base_url=settings.llm_base_url, api_key=settings.llm_api_key or "not-needed"
    )
    return OpenAIChatModel(model_name, provider=provider)
