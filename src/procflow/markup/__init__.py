"""Making text safe for the formats it lands in, shared by render, diff, review and the rule
docs: Markdown escaping (``markdown``) and Graphviz SVG made ready to inline in HTML (``svg``).
Nothing here knows about procedures, templates or files."""
