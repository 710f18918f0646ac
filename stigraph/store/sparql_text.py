"""Put parameter values into a SPARQL query text, for engines that cannot pre-bind them.

rdflib binds a parameter wherever its variable occurs (``initBindings``): in nested groups,
``FILTER`` and ``OPTIONAL`` alike. Oxigraph's own pre-binding (SEP-0007 substitutions) only
accepts projected variables, and a ``VALUES`` block is joined after nested filters have run, so
neither gives the same answers. Replacing each occurrence of the variable by the term does:
the query then reads exactly as if the term had been written there, and ``BOUND(?p)`` becomes
``true``.

The replacement is lexical but not naive: strings, IRIs and comments are copied untouched, and
terms are written in SPARQL syntax with every special character escaped, so a value can never
change the shape of the query. A parameter used where a term may not stand (``SELECT ?p``,
``AS ?p``) makes the query fail to parse, which :func:`stigraph.queries.run_sparql` reports.

>>> from rdflib import Literal, URIRef
>>> substitute('SELECT ?s { ?s ?p "?x" . FILTER(?x > 1) } # ?x', {"x": Literal(2)})
'SELECT ?s { ?s ?p "?x" . FILTER("2"^^<http://www.w3.org/2001/XMLSchema#integer> > 1) } # ?x'
>>> substitute("ASK { $who <p> 'o' FILTER(bound(?who) && !BOUND(?y)) }", {"who": URIRef("http://e/a")})
"ASK { <http://e/a> <p> 'o' FILTER(true && !BOUND(?y)) }"
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from stigraph.errors import ParameterError

__all__ = ["sparql_term", "substitute", "tsv_text"]

_NAME = r"[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+"
# one token per match: long strings, short strings, IRIs, comments, variables; the rest is copied
_TOKEN = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|\#[^\n]*)"
    r"|(?<![\w:])BOUND\s*\(\s*[?$](?P<bound>" + _NAME + r")\s*\)"
    r"|[?$](?P<var>" + _NAME + ")",
    re.DOTALL | re.IGNORECASE,
)
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def sparql_term(term: Identifier) -> str:
    """``term`` in SPARQL syntax, escaped so it is always exactly one term."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(term):
            raise ParameterError(f"{str(term)!r} is not a valid IRI: it contains spaces or one "
                                 'of <>"{}|^`\\')
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + "".join(_ESCAPES.get(c, c) for c in str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^{sparql_term(URIRef(term.datatype))}"
        return text
    if isinstance(term, BNode):
        raise ParameterError("a blank node cannot be a query parameter")
    raise ParameterError(f"cannot use {term!r} as a query parameter")


def substitute(text: str, bindings: Mapping[str, Identifier]) -> str:
    """``text`` with each variable named in ``bindings`` replaced by its term."""
    terms = {name: sparql_term(term) for name, term in bindings.items()}

    def replace(match: re.Match[str]) -> str:
        if match.group("bound") in terms:  # BOUND() takes a variable only; a term is bound
            return "true"
        name = match.group("var")
        if name is not None and name in terms:
            return terms[name]
        return match.group(0)

    return _TOKEN.sub(replace, text)


#: an escape in a TSV result term (N-Triples' ECHAR and UCHAR)
_TSV_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_TSV_CHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
              "\\": "\\"}


def _unescaped(match: re.Match[str]) -> str:
    char = match.group(3)
    if char is not None:
        return _TSV_CHARS.get(char, "\\" + char)
    return chr(int(match.group(1) or match.group(2), 16))


def tsv_text(term: str) -> str:
    r"""A term of a SPARQL TSV result as text: an IRI without its brackets, a blank node's id,
    a literal's lexical form (numbers and booleans may come bare), escapes undone.

    >>> tsv_text("<http://e/a>"), tsv_text("_:b1"), tsv_text('"a\tb"@en'), tsv_text("3.5")
    ('http://e/a', 'b1', 'a\tb', '3.5')
    >>> tsv_text('"say \"hi\" \u00e9"^^<http://www.w3.org/2001/XMLSchema#string>')
    'say "hi" é'
    """
    first = term[:1]
    if first == "<":
        return term[1:-1]
    if first == '"':
        value = term[1:term.rindex('"')]
        return _TSV_ESCAPE.sub(_unescaped, value) if "\\" in value else value
    if term.startswith("_:"):
        return term[2:]
    return term
