"""Annotator: turn news articles into NLP training data, offline."""


def __getattr__(name: str) -> str:
    # The version is looked up when first asked for: importlib.metadata takes ~25 ms to import, and the
    # window should not wait for it before it appears (benchmarks/, figure 7).
    if name != "__version__":
        raise AttributeError(f"module 'annotator' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("annotator")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found
