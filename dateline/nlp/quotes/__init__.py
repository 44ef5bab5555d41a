"""The steps of the ``dateline_quotes`` component (``dateline/nlp/components/quotes.py`` runs them in order):
quotation marks (``marks``), reported speech over the parse (``reported``), direct quotes (``direct``),
speakers (``speakers``), anonymity reasons (``anonymity``) and denials (``denials``), over the lexicons
(``lexicon``) and the working values (``attribution``)."""
