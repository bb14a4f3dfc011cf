"""LLM access: a `ChatModel` protocol and an OpenAI-compatible client (OpenAI, Ollama, vLLM...)."""
