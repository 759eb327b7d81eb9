"""The sample federation (issue 34.10): six fictional centres of one federation and one year,
written by sample_data/build_samples.py the same byte for byte at every run, enough for the
Comparer to show a protected distribution to a newcomer."""

from __future__ import annotations

import build_samples
import pytest

from helpers import SAMPLES
from valuechain import InputFile
from valuechain.access.policy import User
from valuechain.access.service import Access
from valuechain.chain.distribution import MIN_GROUP
from valuechain.reading.reader import read_files
from valuechain.store.db import Store

pytestmark = pytest.mark.library

FILES = sorted((SAMPLES / "federation").glob("*.xlsx"))


def test_the_committed_files_are_what_the_script_writes_and_it_writes_the_same_bytes_twice():
    written = {f"{sample['name']}.xlsx": build_samples.workbook_file(sample) for sample in build_samples.FEDERATION}
    assert sorted(written) == sorted(f"federation/{path.name}" for path in FILES)
    for path in FILES:
        assert path.read_bytes() == written[f"federation/{path.name}"], path.name
    again = build_samples.workbook_file(build_samples.FEDERATION[0])
    assert again == written[f"{build_samples.FEDERATION[0]['name']}.xlsx"]


def test_six_fictional_centres_of_one_federation_and_one_year_read_without_a_problem():
    centres = [read_files([InputFile.from_path(path)]) for path in FILES]
    assert len(centres) >= MIN_GROUP + 1
    assert {c.centre_fields["federation"][0] for c in centres} == {build_samples.SAMPLE_FEDERATION}
    assert {c.centre_fields["year"][0] for c in centres} == {2025}
    assert len({c.centre_fields["name"][0] for c in centres}) == len(centres)
    assert all("fictif" in c.centre_fields["avertissement"][0] for c in centres)


def test_a_newcomer_sees_the_sample_federation_s_distribution(url):
    owner = Access(Store(url), User.local_owner())
    for path in FILES:
        owner.import_files([InputFile.from_path(path)])
    found, own = owner.distribution(2025, build_samples.SAMPLE_FEDERATION)
    by_code = {d.code: d for d in found}
    assert own is None
    assert not by_code["resources_total"].suppressed and by_code["resources_total"].count == 6
    # Two centres left the territory's population blank: per inhabitant, a lack of data, said so.
    per_inhabitant = by_code["resources_per_inhabitant"]
    assert per_inhabitant.for_lack_of_data and (per_inhabitant.missing, per_inhabitant.total) == (2, 6)
