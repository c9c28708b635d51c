"""Code taught in the chapters, generated from their cells by ``make taught``.

Each module here is written by ``scripts/taught_code.py`` from the notebook cells marked
``rnn_book.export``; edit the cell, not the file. Import these names from the library
modules of the same name (``rnn_utils.cells``, ``rnn_utils.bptt``, ...), which load them.
"""
