"""Photo analysis: the Hugging Face model behind core's `PhotoModel`, batching and tooling.

Importing `ai` (or `ai.decode`, `ai.labels`, `ai.batching`, `ai.photo_model`) does not import
torch; only loading a real model does, so processes without the `ai` extra still start.
"""
