"""Models named by ``PLOTWISE_MODEL`` (or ``PLOTWISE_MODELS``), built lazily at each turn's start.

Provider models talk through one shared HTTP client (`plotwise.agent.http`): retries with
backoff that honour ``Retry-After``, and a stall limit. The SDK clients are built here, with
their own retries off, from the environment as their SDKs read it (keys, base URLs).
"""

from __future__ import annotations

import os

import httpx2
from pydantic_ai.models import Model

from plotwise.errors import ModelConfigError
from plotwise.local.lexicon import Lexicon
from plotwise.local.model import local_analyst_model
from plotwise.settings import Settings, model_name_problem


def build_model(
    settings: Settings,
    lexicon: Lexicon,
    http_client: httpx2.AsyncClient | None = None,
    *,
    name: str | None = None,
) -> Model:
    """Build the configured model, or the one named.

    Args:
        settings: ``model`` is ``local``, ``openai:<model>``, ``anthropic:<model>`` or
            ``openai-compatible:<model>`` (with ``llm_base_url`` and optionally ``llm_api_key``).
        lexicon: Vocabulary of the active dataset, used by the local analyst.
        http_client: The client provider models send their requests through (see
            `plotwise.agent.http.provider_http_client`); unused by the local analyst.
        name: The model to build, in ``settings.model``'s form; ``settings.model`` when None.

    Raises:
        ModelConfigError: Unknown provider, an empty model name, a missing base URL, or a
            provider key missing from the environment (``OPENAI_API_KEY``, ``ANTHROPIC_API_KEY``).

    """
    name = (settings.model if name is None else name).strip()
    if name == "local":
        return local_analyst_model(lexicon)
    problem = model_name_problem(name)
    if problem is not None:
        raise ModelConfigError(problem)
    provider, _, model_name = name.partition(":")
    if http_client is None:
        raise ModelConfigError(f"model {name!r} needs an HTTP client")
    if provider == "anthropic":
        return _anthropic(model_name, http_client)
    if provider == "openai":
        return _openai(model_name, _env_key("OPENAI_API_KEY", name), None, http_client)
    if not settings.llm_base_url:
        raise ModelConfigError("openai-compatible models need PLOTWISE_LLM_BASE_URL")
    key = settings.llm_api_key or "not-needed"
    return _openai(model_name, key, settings.llm_base_url, http_client)


def _env_key(variable: str, name: str) -> str:
    key = os.environ.get(variable, "").strip()
    if not key:
        raise ModelConfigError(f"model {name!r} needs an API key: set {variable}")
    return key


def _openai(
    model_name: str, api_key: str, base_url: str | None, http_client: httpx2.AsyncClient
) -> Model:
    """An OpenAI chat-completions model (OpenAI itself, or a compatible server at base_url)."""
    from openai import AsyncOpenAI
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    # base_url None: the SDK reads OPENAI_BASE_URL, else api.openai.com.
    client = AsyncOpenAI(api_key=api_key, base_url=base_url, http_client=http_client, max_retries=0)
    return OpenAIChatModel(model_name, provider=OpenAIProvider(openai_client=client))


def _anthropic(model_name: str, http_client: httpx2.AsyncClient) -> Model:
    """An Anthropic Messages model (base URL from ANTHROPIC_BASE_URL when set)."""
    from anthropic import AsyncAnthropic
    from pydantic_ai.models.anthropic import AnthropicModel
    from pydantic_ai.providers.anthropic import AnthropicProvider

    api_key = _env_key("ANTHROPIC_API_KEY", f"anthropic:{model_name}")
    client = AsyncAnthropic(api_key=api_key, http_client=http_client, max_retries=0)
    return AnthropicModel(model_name, provider=AnthropicProvider(anthropic_client=client))
