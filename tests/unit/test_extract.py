import pytest

from plotwise.artifact.extract import find_component

CODE = "export default function A() {\n  return <div>hi</div>;\n}\n"


def test_complete_block_is_found_with_its_language():
    block = find_component(f"Intro\n\n```tsx\n{CODE}```\n\nAfter")
    assert block is not None
    assert block.code == CODE
    assert block.language == "tsx"


@pytest.mark.parametrize(
    "partial",
    [
        f"Intro\n```tsx\n{CODE}",
        f"Intro\n```tsx\n{CODE}``",
        "Intro\n```ts",
        "```sql\nSELECT 1\n```\n",
    ],
)
def test_no_component_until_the_closing_fence_arrives(partial):
    assert find_component(partial) is None


def test_jsx_blocks_count_and_sql_blocks_do_not():
    text = f"```sql\nSELECT 1\n```\n\n```jsx\n{CODE}```\n"
    block = find_component(text)
    assert block is not None and block.language == "jsx" and block.code == CODE


def test_search_resumes_after_a_found_block():
    text = f"```tsx\n{CODE}```\n```tsx\nsecond\n```\n"
    first = find_component(text)
    second = find_component(text, first.end)
    assert second is not None and second.code == "second\n"
    assert find_component(text, second.end) is None
