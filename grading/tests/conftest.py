import pytest

from .fake_llm import running_fake_llm


@pytest.fixture
def fake_llm(settings):
    """A fake OpenAI-compatible server, with the grader pointed at it."""
    with running_fake_llm(settings) as fake:
        yield fake
