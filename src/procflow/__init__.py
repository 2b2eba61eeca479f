"""procflow: validate, render and diff customer-service procedures kept as YAML in git.

The library API lives in the submodules (imported lazily so `procflow --help` stays fast):

- ``procflow.loader``: ``load_procedure(path)`` and ``load_procedures(paths)``
- ``procflow.lint``: ``validate(paths, ...)`` returning a ``ValidationResult``
- ``procflow.model``: the pydantic models of the format
"""

__version__ = "0.1.0"
