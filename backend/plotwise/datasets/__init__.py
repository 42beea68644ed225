"""Datasets as the product sees them: bundled, uploaded and external, and one turn's active set.

``context`` builds what the agent sees of a dataset (and merges several); ``registry`` keeps
uploaded datasets on disk (``<data dir>/uploads/<name>/``); ``drafts`` keeps uploads awaiting
review in staging; ``manager`` commits, renames and deletes uploads at run time (files, catalog
and services together); ``stats`` reads column statistics and previews; ``models`` holds the
API's shapes.
"""
