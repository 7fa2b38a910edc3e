"""The Mini App API's routes, one module per resource.

No `from __future__ import annotations` in these modules: dishka's `DishkaRoute` rewrites each
endpoint's signature, and FastAPI could no longer resolve string annotations (the response
models) from it.
"""
