"""Bestaanswijzer knowledge base: regulations, the social map and search over both.

Content lives as reviewed YAML in ``knowledge/content`` and is loaded into a SQL database
(SQLite by default) by :mod:`knowledge.loader`. Actions only talk to :mod:`knowledge.service`.
"""
