"""valuechain — the territorial value chain of a centre social, and its contribution figures.

The library: no Streamlit in it. ``load`` reads files into a ``CentreWorkbook``; the graph
and metrics modules compute on it; pages and the command line only connect the two.
"""

import logging

from valuechain.errors import UnreadableWorkbook
from valuechain.model import CentreWorkbook, Problem, RawWorkbook
from valuechain.performance import without_gc
from valuechain.reading.inputs import InputFile, ReadLimits
from valuechain.reading.reader import read_files, read_paths
from valuechain.reading.validation import validate

__all__ = [
    "CentreWorkbook",
    "InputFile",
    "Problem",
    "RawWorkbook",
    "ReadLimits",
    "UnreadableWorkbook",
    "load_files",
    "load_paths",
    "read_files",
    "read_paths",
    "validate",
]

# A library leaves the handlers to the program that uses it (``incidents.configure_logging``).
logging.getLogger(__name__).addHandler(logging.NullHandler())


@without_gc
def load_paths(paths, limits: ReadLimits | None = None) -> CentreWorkbook:
    """Read and validate workbook files from disk."""
    return validate(read_paths(paths, limits))


@without_gc
def load_files(files, limits: ReadLimits | None = None) -> CentreWorkbook:
    """Read and validate uploaded files (``InputFile(name, bytes)``)."""
    return validate(read_files(files, limits))
