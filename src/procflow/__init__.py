"""procflow: validate, render and diff customer-service procedures kept as YAML in git.

The library API lives in the submodules (imported lazily so `procflow --help` stays fast;
ARCHITECTURE.md draws how they fit together):

- ``procflow.procedures``: ``discover(paths)``, ``load_procedure(path)``, ``load_procedures(paths)``
- ``procflow.lint``: ``validate(paths, today=...)`` returning a ``ValidationResult``
- ``procflow.render``: ``render_site(files, output, formats, ...)``
- ``procflow.diff``: ``diff_paths(old, new)`` and ``diff_revisions(base, head, paths, repo)``
- ``procflow.model``: the pydantic models of the format
"""

__version__ = "0.1.0"
