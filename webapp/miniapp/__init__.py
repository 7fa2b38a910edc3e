"""The Mini App's JSON API under /miniapp/api (the pages come in a later slice)."""
