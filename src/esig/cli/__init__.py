"""The ``esig`` command: a thin client of the public API.

One place (:func:`main`) maps exceptions to a single line on standard error and an exit code:

====  =====================================================================
code  meaning
====  =====================================================================
0     success (for ``verify``: every signature TOTAL_PASSED)
1     ``verify``: some signature is TOTAL_FAILED (the report says why)
2     usage error (unknown option, missing argument)
3     unusable input (not a certificate, malformed document or list): InputError
4     unusable configuration (e.g. no trust source): ConfigurationError
5     signing refused or failed, token problems: SigningError
6     a network source did not answer: FetchError
7     an input exceeded a time, size or memory budget: ResourceLimitError
8     ``verify``: none failed, but some signature is INDETERMINATE (the report says why)
70    internal error (a bug in esig: please report it with the input)
====  =====================================================================

Sub-commands import what they need when they run, so ``esig --help`` stays fast.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import click

from esig.errors import (
    ConfigurationError,
    EsigError,
    FetchError,
    InputError,
    ResourceLimitError,
    SigningError,
)

__all__ = ["EXIT_CODES", "main"]

EXIT_OK = 0
EXIT_VERDICT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

#: Exit code per exception class, most specific first.
EXIT_CODES: tuple[tuple[type[EsigError], int, str], ...] = (
    (InputError, 3, "input error"),
    (ConfigurationError, 4, "configuration error"),
    (SigningError, 5, "signing error"),
    (FetchError, 6, "network error"),
    (ResourceLimitError, 7, "resource limit"),
    (EsigError, 3, "error"),
)

_EPILOG = (
    "Exit codes: 0 success; 1 some signature TOTAL_FAILED; 2 usage error; "
    "3 unusable input (not a certificate, malformed document); 4 configuration error; "
    "5 signing error; 6 network error; 7 resource limit exceeded; 8 some signature "
    "INDETERMINATE (none failed); 70 internal error. "
    "Errors are reported as one line on standard error."
)


@click.group(epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="esig-crossborder", prog_name="esig")
def cli() -> None:
    """esig: verify and sign electronic signatures across Azerbaijan, Turkey and the EU."""


def _register() -> None:
    from esig.cli import cert_cmd, conformance_cmd, demo_cmd, sign_cmd, tl_cmd, verify_cmd

    cli.add_command(cert_cmd.cert)
    cli.add_command(conformance_cmd.conformance)
    cli.add_command(demo_cmd.demo)
    cli.add_command(sign_cmd.sign)
    cli.add_command(sign_cmd.extend)
    cli.add_command(tl_cmd.tl)
    cli.add_command(verify_cmd.verify)


_register()


def _one_line(exc: object) -> str:
    text = " ".join(str(exc).split())
    return text or exc.__class__.__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return (and, as a script, exit with) the exit code."""
    # Dependencies log warnings (pyHanko: "fetching is not allowed"); the officer sees only
    # esig's own output. A handler on the root logger keeps Python's last-resort printer quiet.
    logging.getLogger().addHandler(logging.NullHandler())
    try:
        result = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("esig: aborted", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        click.echo(f"esig: {_one_line(exc.format_message())}", err=True)
        return exc.exit_code
    except EsigError as exc:
        for cls, code, label in EXIT_CODES:
            if isinstance(exc, cls):
                click.echo(f"esig: {label}: {_one_line(exc)}", err=True)
                return code
        raise AssertionError("unreachable: EsigError is the last entry") from exc
    except KeyboardInterrupt:
        click.echo("esig: interrupted", err=True)
        return 130
    except Exception as exc:  # a bug: still one line, never a traceback for the officer
        click.echo(
            f"esig: internal error ({exc.__class__.__name__}): {_one_line(exc)}; "
            "please report this with the input file",
            err=True,
        )
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK
