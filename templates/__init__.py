"""procflow's default templates and label catalogues (``*.j2``, ``labels/``).

This folder is shipped in the wheel as the package ``procflow.templates`` (see
``[tool.setuptools]`` in pyproject.toml); this file only makes it a package. To change a page,
copy a template into your own folder and point ``templates:`` in procflow.yaml at it.
"""
