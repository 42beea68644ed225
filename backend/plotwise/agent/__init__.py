"""The PydanticAI agent of a chat turn: typed deps, SQL tools, instructions and model choice."""
