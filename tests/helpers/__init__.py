"""Shared test worlds and tools: small synthetic data sets built in code."""
