"""``--evidence`` and ``--counting``: which evidence layers the networks are built from and
how projects count, one pair of options shared by the analytics commands, ``report`` and
``viz``.

The values are kept in the command's context (``ctx.meta``) rather than passed as arguments,
so a command that builds :class:`~stigraph.projection.inputs.AnalysisInputs` reads them with
:func:`chosen_evidence` without every signature naming them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from stigraph.errors import StigraphError
from stigraph.projection.evidence import NETWORK_COUNTINGS, parse_layers

__all__ = ["chosen_evidence", "evidence_options"]

F = TypeVar("F", bound=Callable[..., Any])

_EVIDENCE = "stigraph.evidence"
_COUNTING = "stigraph.counting"


def _remember_evidence(ctx: click.Context, _param: click.Parameter, value: str | None
                       ) -> str | None:
    if value is not None:
        try:
            parse_layers(value)
        except StigraphError as exc:
            raise click.BadParameter(str(exc)) from None
    ctx.meta[_EVIDENCE] = value
    return value


def _remember_counting(ctx: click.Context, _param: click.Parameter, value: str | None
                       ) -> str | None:
    ctx.meta[_COUNTING] = value
    return value


def evidence_options(func: F) -> F:
    """Add ``--evidence LAYERS`` and ``--counting full|fractional|association``."""
    func = click.option(
        "--counting", type=click.Choice(NETWORK_COUNTINGS), expose_value=False,
        callback=_remember_counting,
        help="How projects count in the evidence networks: once per pair (full), one unit "
        "spread over the participants (fractional) or the association strength of the full "
        "counts. Default: full for the country network, fractional for the organisation "
        "network (so consortia of 100+ partners do not decide who is central).")(func)
    return click.option(
        "--evidence", metavar="LAYERS", expose_value=False, callback=_remember_evidence,
        help="Build the country and organisation networks from these evidence layers "
        "(cordis,openalex,gcf,memberships or all; each divided by its strongest pair, then "
        "summed). Default: all the graph has when it holds CORDIS or OpenAlex data, else the "
        "membership projection.")(func)


def chosen_evidence() -> tuple[str | None, str | None]:
    """``(--evidence, --counting)`` of the running command (``None`` when not given)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None, None
    return ctx.meta.get(_EVIDENCE), ctx.meta.get(_COUNTING)
