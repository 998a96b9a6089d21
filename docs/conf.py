"""Sphinx configuration of the documentation site (built strictly by scripts/docs)."""

from sphinx import addnodes

project = "Clinic exercise prescriptions"
copyright = "the project's contributors, AGPL-3.0-or-later"

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]

# Links between pages may name a heading: security.md#etags-and-concurrent-changes.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

# Every reference must resolve (scripts/docs adds -W: a warning fails the build).
nitpicky = True
# The index's "More" glob matches nothing until someone adds a page of their own; an empty glob
# is not a fault.
suppress_warnings = ["toc.empty_glob"]

html_theme = "furo"
html_title = project
html_static_path = []


def list_only_new_pages_under_more(app, doctree):
    """Keep the guide's pages out of the index's "More" glob.

    A glob toctree matches every page, the guide's too, and the sidebar would then show each
    guide page twice. New pages (docs/*.md written for one topic) join the site by existing;
    this keeps them, and only them, under "More".
    """
    if app.env.current_document.docname != root_doc:
        return
    toctrees = list(doctree.findall(addnodes.toctree))
    listed = {
        page for toctree in toctrees if not toctree["glob"] for page in toctree["includefiles"]
    }
    for toctree in toctrees:
        if toctree["glob"]:
            toctree["entries"] = [entry for entry in toctree["entries"] if entry[1] not in listed]
            toctree["includefiles"] = [
                page for page in toctree["includefiles"] if page not in listed
            ]


def setup(app):
    # Before Sphinx's own toctree collector (priority 500) records the index's toctrees.
    app.connect("doctree-read", list_only_new_pages_under_more, priority=400)
