"""How people run the generator: the ``playbook`` command (:mod:`.cli`), the MkDocs plugin
(:mod:`.plugin`), the site engine both build with (:mod:`.engine`), the live preview
(:mod:`.preview`) and the regeneration after an edit it and the plugin share
(:mod:`.regenerate`). The only layer that imports the site engine or turns errors into exit
codes; nothing imports it.
"""
