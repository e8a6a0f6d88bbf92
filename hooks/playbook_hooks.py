"""This repository's entry for MkDocs: every event handed to one playbook plugin.

A repository that installs the package names the plugin (``- playbook`` under
``plugins:``) and needs no file here; this one keeps the ``hooks:`` entry its
``mkdocs.yml`` has always had. Hook modules live for the whole MkDocs process,
as a plugin instance does.
"""

from playbook_mkdocs.plugin import PlaybookPlugin

_plugin = PlaybookPlugin()
_plugin.load_config({})

on_startup = _plugin.on_startup
on_config = _plugin.on_config
on_pre_build = _plugin.on_pre_build
on_files = _plugin.on_files
on_page_markdown = _plugin.on_page_markdown
on_page_context = _plugin.on_page_context
on_template_context = _plugin.on_template_context
on_page_content = _plugin.on_page_content
on_post_page = _plugin.on_post_page
on_post_build = _plugin.on_post_build
on_build_error = _plugin.on_build_error
on_shutdown = _plugin.on_shutdown
on_serve = _plugin.on_serve
