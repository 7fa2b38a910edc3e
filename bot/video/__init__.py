"""Adapters of core.ports.video, one per VIDEO__PROVIDER."""
