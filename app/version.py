"""The version of the installed distribution: its one home is pyproject.toml's [project] version.

The server (`visdom --version`) and the client (`visdom_client.__version__`) both read it
from the package metadata that pip wrote, so a release changes one line.
"""

from importlib import metadata

DISTRIBUTION = "visdom-flask"


def installed_version():
    """Return the installed distribution's version ("0+unknown" in a never-installed checkout)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"


__version__ = installed_version()
