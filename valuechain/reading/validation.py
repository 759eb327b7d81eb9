"""The tables as typed → the tables as understood, with every problem located.

This applies ``shared/workbook-format.md``: defaults, inferences (each reported as a warning)
and errors (the row is left out of the graph, kept in the raw tables to be fixed). Like
pandera, it goes on after a problem and returns all of them, never stopping at the first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from valuechain.cells import BLANK_NUMBER, as_text, is_blank, parse_number, parse_percent, parse_year, parse_yes_no
from valuechain.model import (
    ERROR,
    WARNING,
    ActivityRecord,
    ActorRecord,
    CentreInfo,
    CentreWorkbook,
    FlowRecord,
    IndicatorRecord,
    Problem,
    RawRow,
    RawTable,
    RawWorkbook,
    frame_of,
)
from valuechain.performance import without_gc
from valuechain.vocabulary import (
    ACTIVITIES,
    ACTIVITY_TYPES,
    ACTORS,
    CATEGORIES,
    CENTRE_TYPES,
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_EVIDENCE,
    DEFAULT_VOLUNTEER_HOURLY_RATE,
    DOMAINS,
    EVIDENCE,
    EXAMPLE_MARKERS,
    FLOWS,
    FUNCTIONS,
    INDICATORS,
    MAX_OUTCOME_YEARS,
    NATURES,
    OUTCOMES,
    TABLES_BY_CODE,
    TANGIBLE_NATURES,
    Table,
    Vocabulary,
    canonical_unit,
    normalise_key,
    normalise_reference,
    split_list,
)

_KNOWN_COLUMNS = {code: frozenset(c.code for c in table.columns) for code, table in TABLES_BY_CODE.items()}


@without_gc  # 20,000 rows make a few hundred thousand small objects, none in a cycle
def validate(raw: RawWorkbook) -> CentreWorkbook:
    """Interpret a workbook as typed: the centre, typed tables of valid rows, every problem."""
    return _Validation(raw).run()


class _PendingActivity(ActivityRecord, total=False):
    """An activity record while its lead is still a text (resolved once every actor is known)."""

    _lead_text: str | None
    _row: RawRow | None


@dataclass
class _Node:
    id: str
    kind: str  # "actor" or "activity"
    record: dict[str, Any]  # the actor's or activity's record (ActorRecord, ActivityRecord)


class _Validation:
    def __init__(self, raw: RawWorkbook) -> None:
        self.raw = raw
        self.problems: list[Problem] = list(raw.problems)
        self.actors: list[ActorRecord] = []
        self.activities: list[_PendingActivity] = []
        self.flows: list[FlowRecord] = []
        self.indicators: list[IndicatorRecord] = []
        self.outcomes: list[dict] = []
        # Reference key (id or name, as matched in Flux and porteur) → node.
        self.nodes: dict[str, _Node] = {}
        self.error_count = sum(1 for p in self.problems if p.is_error)
        # (list, word) pairs already said to be read as a term of the list.
        self._synonyms_said: set[tuple[str, str]] = set()

    # Reporting ------------------------------------------------------------------------------
    def report(
        self,
        severity: str,
        code: str,
        table: Table | None,
        row: RawRow | None,
        column: str | None = None,
        value: object = None,
        **params: object,
    ) -> None:
        raw_table = self.raw.tables.get(table.code) if table else None
        header = raw_table.header(column) if raw_table and column else column
        if severity == ERROR:
            self.error_count += 1
        self.problems.append(
            Problem(
                severity,
                code,
                sheet=row.sheet if row else None,
                row=row.row if row else None,
                column=header,
                value=as_text(value) if value is not None else None,
                params=tuple(params.items()),
                table=table.code if table else None,
            )
        )

    # Run ------------------------------------------------------------------------------------
    def run(self) -> CentreWorkbook:
        centre = self._centre_info()
        self._read_actors()
        self._read_activities()
        # The centre named by the Centre sheet must exist before flows name it; only a
        # flows-only file needs the flows to guess it.
        centre_id = self._declared_centre(centre)
        pending_flows = self._read_flows(centre)
        if centre_id is None:
            centre_id = self._guessed_centre(pending_flows)
        self._resolve_leads(centre_id)
        self._check_self_flows(pending_flows)
        self._read_indicators()
        self._read_outcomes()
        self._check_example_rows()
        self._name_centre(centre, centre_id)
        return CentreWorkbook(
            raw=self.raw,
            centre=centre,
            centre_id=centre_id,
            actors=frame_of(self.actors, "actors"),
            activities=frame_of(self.activities, "activities"),
            flows=frame_of(self.flows, "flows"),
            indicators=frame_of(self.indicators, "indicators"),
            problems=self.problems,
            outcomes=frame_of(self.outcomes, "outcomes"),
        )

    # Centre sheet -----------------------------------------------------------------------------
    def _centre_info(self) -> CentreInfo:
        fields = self.raw.centre_fields
        info = CentreInfo(name=as_text(fields.get("name", (None,))[0]) or "")
        for text_field in ("town", "department", "federation", "territory"):
            setattr(info, text_field, as_text(fields.get(text_field, (None,))[0]))
        year_cell = fields.get("year")
        if year_cell and not is_blank(year_cell[0]):
            year, understood = parse_year(year_cell[0])
            info.year = year
            if not understood:
                self._report_centre(WARNING, "year_invalid", year_cell, "annee")
        if info.year is None:
            self.problems.append(
                Problem(
                    WARNING,
                    "centre_year_missing",
                    sheet=year_cell[1] if year_cell else None,
                    row=year_cell[2] if year_cell else None,
                    column="annee" if year_cell else None,
                    table="centre",
                )
            )
        rate_cell = fields.get("volunteer_hourly_rate")
        if rate_cell and not is_blank(rate_cell[0]):
            rate = parse_number(rate_cell[0])
            # 0 is a choice (volunteer time counted in hours, not valued in euros), not a typo.
            if rate.value is not None and rate.value >= 0:
                info.volunteer_hourly_rate = rate.value
            else:
                self._report_centre(
                    WARNING,
                    "centre_rate_invalid",
                    rate_cell,
                    "taux_horaire_benevolat",
                    default=DEFAULT_VOLUNTEER_HOURLY_RATE,
                )
        for field_code, column in (("rate_low", "taux_horaire_bas"), ("rate_high", "taux_horaire_haut")):
            cell = fields.get(field_code)
            if cell and not is_blank(cell[0]):
                bound = parse_number(cell[0])
                if bound.value is not None:
                    setattr(info, field_code, bound.value)
                else:
                    self._report_centre(WARNING, "centre_rate_bound_invalid", cell, column)
        population_cell = fields.get("population")
        if population_cell and not is_blank(population_cell[0]):
            population = parse_number(population_cell[0])
            if population.value is not None and population.value > 0:
                info.population = population.value
            else:
                self._report_centre(WARNING, "centre_population_invalid", population_cell, "habitants_territoire")
        discount_cell = fields.get("discount_rate")
        if discount_cell and not is_blank(discount_cell[0]):
            discount = parse_percent(discount_cell[0])
            if discount.value is not None:
                info.discount_rate = discount.value
            else:
                self._report_centre(
                    WARNING,
                    "centre_discount_invalid",
                    discount_cell,
                    "taux_actualisation",
                    default=DEFAULT_DISCOUNT_RATE * 100,
                )
        type_cell = fields.get("type")
        if type_cell and not is_blank(type_cell[0]):
            code = CENTRE_TYPES.match(type_cell[0])
            if code is None:
                self._report_centre(WARNING, "centre_type_unknown", type_cell, "type")
            info.type = code or "centre_social"
        info.extras = {k: v[0] for k, v in fields.items() if k not in CentreInfo.FIELDS}
        return info

    def _report_centre(self, severity: str, code: str, cell: tuple, column: str, **params) -> None:
        value, sheet, row = cell
        self.problems.append(
            Problem(
                severity,
                code,
                sheet=sheet,
                row=row,
                column=column,
                value=as_text(value),
                params=tuple(params.items()),
                table="centre",
            )
        )

    # Shared helpers ------------------------------------------------------------------------------
    def _required(self, table: Table, row: RawRow, code: str) -> str | None:
        text = as_text(row.cells.get(code))
        if text is None:
            self.report(ERROR, "required_missing", table, row, code)
        return text

    def _label(
        self, vocabulary: Vocabulary, kind: str, table: Table, row: RawRow, code: str, text: str | None
    ) -> tuple[str | None, str | None]:
        """(code, original text when it was not recognised)."""
        if text is None:
            return None, None
        matched = vocabulary.match(text)
        if matched is None:
            self.report(
                WARNING,
                "label_unknown",
                table,
                row,
                code,
                text,
                kind=kind,
                choices=[t.short("fr") for t in vocabulary.terms],
            )
            return "autre", text
        self._said_synonym(vocabulary, table, row, code, text, matched)
        return matched, None

    def _said_synonym(
        self, vocabulary: Vocabulary, table: Table, row: RawRow, code: str, text: str, matched: str
    ) -> None:
        """A word outside the list read as one of its terms is said once per workbook, on the
        first row that uses it."""
        if not vocabulary.is_synonym(text):
            return
        key = (vocabulary.name, normalise_key(text))
        if key in self._synonyms_said:
            return
        self._synonyms_said.add(key)
        self.report(
            WARNING,
            "label_read_as",
            table,
            row,
            code,
            text,
            read_fr=vocabulary.short(matched, "fr"),
            read_en=vocabulary.short(matched, "en"),
        )

    def _domains(self, table: Table, row: RawRow, code: str) -> tuple[str, ...]:
        found: list[str] = []
        for part in split_list(row.cells.get(code)):
            domain = DOMAINS.match(part)
            if domain is None:
                self.report(
                    WARNING, "domain_unknown", table, row, code, part, choices=[t.short("fr") for t in DOMAINS.terms]
                )
                continue
            self._said_synonym(DOMAINS, table, row, code, part, domain)
            if domain not in found:
                found.append(domain)
        return tuple(found)

    def _number(self, table: Table, row: RawRow, code: str):
        cell = row.cells.get(code)
        number = parse_number(cell)
        if number.error:
            self.report(ERROR, number.error, table, row, code, cell)
        return number

    def _optional_number(self, table: Table, row: RawRow, code: str):
        """A number that describes a row without being one of its facts (an actor's count):
        unreadable, it is left blank with a warning on its cell, and the row is kept."""
        cell = row.cells.get(code)
        number = parse_number(cell)
        if number.error:
            self.report(WARNING, "optional_number_unreadable", table, row, code, cell)
            return BLANK_NUMBER
        return number

    def _yes_no(self, table: Table, row: RawRow, code: str) -> bool | None:
        cell = row.cells.get(code)
        value, understood = parse_yes_no(cell)
        if not understood:
            self.report(WARNING, "yes_no_unknown", table, row, code, cell)
        return value

    @staticmethod
    def _extras(row: RawRow, table: Table) -> dict[str, object]:
        known = _KNOWN_COLUMNS[table.code]
        return {k: v for k, v in row.cells.items() if k not in known}

    def _errors_before(self) -> int:
        return self.error_count

    def _register(self, node: _Node, keys: list[str]) -> None:
        for key in keys:
            if key:
                self.nodes.setdefault(key, node)

    def _rows(self, code: str) -> list[RawRow]:
        table: RawTable | None = self.raw.tables.get(code)
        return table.rows if table else []

    # Actors ---------------------------------------------------------------------------------------
    def _read_actors(self) -> None:
        first_by_name: dict[str, RawRow] = {}
        first_by_id: dict[str, RawRow] = {}
        first_centre: RawRow | None = None
        for row in self._rows("actors"):
            errors = self._errors_before()
            name = self._required(ACTORS, row, "name")
            category_text = self._required(ACTORS, row, "category")
            category, unknown_text = self._label(CATEGORIES, "category", ACTORS, row, "category", category_text)
            actor_id = as_text(row.cells.get("id")) or name
            count = self._optional_number(ACTORS, row, "count")
            local = self._yes_no(ACTORS, row, "local")
            if name is not None:
                key = normalise_reference(name)
                if key in first_by_name:
                    self.report(
                        ERROR,
                        "duplicate_name",
                        ACTORS,
                        row,
                        "name",
                        name,
                        other="other_actor",
                        first_row=first_by_name[key].row,
                    )
                else:
                    first_by_name[key] = row
            if category == "centre":
                if first_centre is not None:
                    self.report(
                        ERROR,
                        "second_centre",
                        ACTORS,
                        row,
                        "category",
                        category_text,
                        first=first_centre.cells.get("name"),
                        first_row=first_centre.row,
                    )
                elif not row.broken and self._errors_before() == errors:
                    first_centre = row
            if actor_id is not None and as_text(row.cells.get("id")) is not None:
                key = normalise_reference(actor_id)
                if key in first_by_id:
                    self.report(ERROR, "duplicate_id", ACTORS, row, "id", actor_id, first_row=first_by_id[key].row)
                else:
                    first_by_id[key] = row
            if row.broken or self._errors_before() > errors:
                continue
            # Past the errors above, the name (and so the id) and the category are there.
            record: ActorRecord = {
                "id": cast(str, actor_id),
                "name": cast(str, name),
                "category": cast(str, category),
                "category_text": unknown_text,
                "town": as_text(row.cells.get("town")),
                "local": local,
                "count": count.value,
                "description": as_text(row.cells.get("description")),
                "tags": tuple(split_list(row.cells.get("tags"))),
                "extras": self._extras(row, ACTORS),
                "sheet": row.sheet,
                "row": row.row,
                "inferred": False,
            }
            self.actors.append(record)
            self._register(
                _Node(str(actor_id), "actor", cast(dict, record)),
                [normalise_reference(actor_id), normalise_reference(name)],
            )

    def _create_actor(
        self,
        text: str,
        row: RawRow | None,
        table: Table | None,
        column: str | None,
        category: str = "autre",
        code: str | None = "actor_created",
    ) -> _Node:
        name = " ".join(text.split())
        # An id is a node of the graph: never the id of another actor or activity.
        taken = {n.id for n in self.nodes.values()}
        node_id, suffix = name, 2
        while node_id in taken:
            node_id, suffix = f"{name} ({suffix})", suffix + 1
        record: ActorRecord = {
            "id": node_id,
            "name": name,
            "category": category,
            "category_text": None,
            "town": None,
            "local": None,
            "count": None,
            "description": None,
            "tags": (),
            "extras": {},
            "sheet": None,
            "row": None,
            "inferred": True,
        }
        self.actors.append(record)
        node = _Node(node_id, "actor", cast(dict, record))
        self._register(node, [normalise_reference(name)])
        if code:
            self.report(WARNING, code, table, row, column, name)
        return node

    # Activities -------------------------------------------------------------------------------------
    def _read_activities(self) -> None:
        first_by_name: dict[str, RawRow] = {}
        for row in self._rows("activities"):
            errors = self._errors_before()
            name = self._required(ACTIVITIES, row, "name")
            activity_id = as_text(row.cells.get("id")) or name
            type_text = as_text(row.cells.get("type"))
            activity_type = ACTIVITY_TYPES.match(type_text) if type_text else "principale"
            if activity_type is None:
                self.report(WARNING, "activity_type_unknown", ACTIVITIES, row, "type", type_text)
                activity_type = "principale"
            function_text = as_text(row.cells.get("function"))
            function = FUNCTIONS.match(function_text) if function_text else None
            if function_text and function is None:
                self.report(
                    WARNING,
                    "function_unknown",
                    ACTIVITIES,
                    row,
                    "function",
                    function_text,
                    choices=[t.fr.lower() for t in FUNCTIONS.terms],
                )
                function = "autre"
            domains = self._domains(ACTIVITIES, row, "domains")
            if name is not None:
                key = normalise_reference(name)
                if key in first_by_name:
                    self.report(
                        ERROR,
                        "duplicate_name",
                        ACTIVITIES,
                        row,
                        "name",
                        name,
                        other="other_activity",
                        first_row=first_by_name[key].row,
                    )
                else:
                    first_by_name[key] = row
                for key in {normalise_reference(name), normalise_reference(activity_id)}:
                    clash = self.nodes.get(key)
                    if clash is not None and clash.kind == "actor":
                        self.report(
                            ERROR,
                            "activity_clashes_actor",
                            ACTIVITIES,
                            row,
                            "name",
                            name,
                            actor_sheet=clash.record["sheet"],
                            actor_row=clash.record["row"],
                        )
                        break
            if row.broken or self._errors_before() > errors:
                continue
            record: _PendingActivity = {
                "id": cast(str, activity_id),
                "name": cast(str, name),
                "type": activity_type,
                "function": function,
                "lead": None,
                "domains": domains,
                "description": as_text(row.cells.get("description")),
                "extras": self._extras(row, ACTIVITIES),
                "sheet": row.sheet,
                "row": row.row,
                "inferred": False,
                "_lead_text": as_text(row.cells.get("lead")),
                "_row": row,
            }
            self.activities.append(record)
            self._register(
                _Node(str(activity_id), "activity", cast(dict, record)),
                [normalise_reference(activity_id), normalise_reference(name)],
            )

    def _create_activity(self, text: str, row: RawRow) -> _Node:
        name = " ".join(text.split())
        record: _PendingActivity = {
            "id": name,
            "name": name,
            "type": "principale",
            "function": None,
            "lead": None,
            "domains": (),
            "description": None,
            "extras": {},
            "sheet": None,
            "row": None,
            "inferred": True,
            "_lead_text": None,
            "_row": None,
        }
        self.activities.append(record)
        node = _Node(name, "activity", cast(dict, record))
        self._register(node, [normalise_reference(name)])
        return node

    def _resolve_leads(self, centre_id: str) -> None:
        for record in self.activities:
            lead_text = record.pop("_lead_text")
            row = record.pop("_row")
            if lead_text is None:
                record["lead"] = centre_id
                continue
            node = self.nodes.get(normalise_reference(lead_text))
            if node is None:
                node = self._create_actor(lead_text, row, ACTIVITIES, "lead")
            elif node.kind != "actor":
                # An activity cannot lead another: the centre leads it, and the message says so.
                self.report(WARNING, "lead_is_activity", ACTIVITIES, row, "lead", lead_text)
                record["lead"] = centre_id
                continue
            record["lead"] = node.id

    # Flows ---------------------------------------------------------------------------------------------
    def _reference(self, text: str | None, row: RawRow, column: str) -> _Node | None:
        if text is None:
            return None
        node = self.nodes.get(normalise_reference(text))
        if node is None:
            node = self._create_actor(text, row, FLOWS, column)
        return node

    def _read_flows(self, centre: CentreInfo) -> list[tuple[FlowRecord, RawRow]]:
        pending: list[tuple[FlowRecord, RawRow]] = []
        for row in self._rows("flows"):
            errors = self._errors_before()
            source_text = self._required(FLOWS, row, "source")
            target_text = self._required(FLOWS, row, "target")
            nature_text = self._required(FLOWS, row, "nature")
            nature, unknown_nature = self._label(NATURES, "nature", FLOWS, row, "nature", nature_text)
            quantity = self._number(FLOWS, row, "quantity")
            value = self._number(FLOWS, row, "value")
            unit = canonical_unit(row.cells.get("unit"))
            typed_unit = canonical_unit(quantity.unit)
            if unit is None:
                unit = typed_unit
            elif typed_unit is not None and typed_unit != unit:
                self.report(
                    WARNING, "unit_conflict", FLOWS, row, "unit", row.cells.get("unit"), typed=quantity.unit, unit=unit
                )
            tangible = self._yes_no(FLOWS, row, "tangible")
            if tangible is None and nature is not None:
                tangible = nature in TANGIBLE_NATURES
            year = centre.year
            year_cell = row.cells.get("year")
            if not is_blank(year_cell):
                parsed_year, understood = parse_year(year_cell)
                if not understood:
                    self.report(WARNING, "year_invalid", FLOWS, row, "year", year_cell)
                elif centre.year is not None and parsed_year != centre.year:
                    self.report(WARNING, "other_year", FLOWS, row, "year", year_cell, year=centre.year)
                    year = parsed_year
                else:
                    year = parsed_year
            domains = self._domains(FLOWS, row, "domains")
            if row.broken or self._errors_before() > errors:
                continue
            source = self._reference(source_text, row, "source")
            target = self._reference(target_text, row, "target")
            if source is None or target is None:  # both are required: already an error above
                continue
            activity_id = None
            activity_text = as_text(row.cells.get("activity"))
            if activity_text is not None:
                found = self.nodes.get(normalise_reference(activity_text))
                node = found if found is not None else self._create_activity(activity_text, row)
                if node.kind == "activity" and node.record["inferred"]:
                    # Every row that leans on an activity made up from the flows says so, where it
                    # is, the first as the others: the reading moves the support share and the costs.
                    self.report(WARNING, "activity_created", FLOWS, row, "activity", activity_text)
                if node.kind == "actor":
                    # The rest of the row is a fact (300 € from someone to someone): it counts,
                    # with no activity of its own, and the cell is flagged.
                    self.report(
                        WARNING,
                        "activity_names_actor",
                        FLOWS,
                        row,
                        "activity",
                        activity_text,
                        actor_sheet=node.record["sheet"] or "—",
                        actor_row=node.record["row"] or "—",
                    )
                else:
                    activity_id = node.id
            record: FlowRecord = {
                "source": source.id,
                "target": target.id,
                "nature": cast(str, nature),  # required: checked above
                "nature_text": unknown_nature,
                "quantity": quantity.value,
                "unit": unit,
                "value_entered": value.value,
                "activity": activity_id,
                "domains": domains,
                "tangible": tangible,
                "data_source": as_text(row.cells.get("data_source")),
                "year": year,
                "description": as_text(row.cells.get("description")),
                "extras": self._extras(row, FLOWS),
                "sheet": row.sheet,
                "row": row.row,
            }
            pending.append((record, row))
        return pending

    def _check_self_flows(self, pending: list[tuple[FlowRecord, RawRow]]) -> None:
        for record, row in pending:
            if record["source"] == record["target"]:
                self.report(ERROR, "self_flow", FLOWS, row, "target", row.cells.get("target"))
                continue
            self.flows.append(record)

    # The centre ---------------------------------------------------------------------------------------
    def _declared_centre(self, centre: CentreInfo) -> str | None:
        first = next((a for a in self.actors if a["category"] == "centre"), None)
        if first is not None:
            return first["id"]
        if centre.name:
            node = self.nodes.get(normalise_reference(centre.name))
            if node is not None and node.kind == "actor":
                node.record["category"] = "centre"
                self.problems.append(Problem(WARNING, "centre_from_sheet", value=centre.name, table="centre"))
                return node.id
            if node is not None:  # an activity bears the centre's name: the centre wins
                self._drop_activity(node)
            node = self._create_actor(centre.name, None, None, None, category="centre", code=None)
            self.problems.append(Problem(WARNING, "centre_created", value=centre.name, table="centre"))
            return node.id
        return None

    def _drop_activity(self, node: _Node) -> None:
        """An activity named like the centre is an error on its row; the row is kept aside."""
        row = node.record.get("_row")
        self.activities = [a for a in self.activities if a is not node.record]
        for key in [k for k, n in self.nodes.items() if n is node]:
            del self.nodes[key]
        self.report(
            ERROR,
            "activity_clashes_actor",
            ACTIVITIES,
            row,
            "name",
            node.record["name"],
            actor_sheet="Centre",
            actor_row="—",
        )

    def _guessed_centre(self, pending: list[tuple[FlowRecord, RawRow]]) -> str:
        best = self._most_linked_actor(pending)
        if best is not None:
            best["category"] = "centre"
            self.problems.append(Problem(WARNING, "centre_inferred", value=best["name"], table="centre"))
            return best["id"]
        node = self._create_actor(self.raw.name, None, None, None, category="centre", code=None)
        self.problems.append(Problem(WARNING, "centre_created", value=self.raw.name, table="centre"))
        return node.id

    def _most_linked_actor(self, pending: list[tuple[FlowRecord, RawRow]]) -> ActorRecord | None:
        neighbours: dict[str, set[str]] = defaultdict(set)
        for record, _ in pending:
            if record["source"] != record["target"]:
                neighbours[record["source"]].add(record["target"])
                neighbours[record["target"]].add(record["source"])
        candidates = [a for a in self.actors if a["id"] in neighbours]
        if not candidates:
            return None
        # Ties go to the actor met first, so that the guess does not change between reruns.
        return max(candidates, key=lambda a: len(neighbours[a["id"]]))

    def _name_centre(self, centre: CentreInfo, centre_id: str) -> None:
        actor = next(a for a in self.actors if a["id"] == centre_id)
        if not centre.name:
            centre.name = actor["name"]
        elif normalise_reference(centre.name) != normalise_reference(actor["name"]):
            self.problems.append(
                Problem(
                    WARNING,
                    "centre_name_differs",
                    value=centre.name,
                    params=(("actor", actor["name"]),),
                    table="centre",
                )
            )

    # Indicators ----------------------------------------------------------------------------------------
    def _read_indicators(self) -> None:
        for row in self._rows("indicators"):
            errors = self._errors_before()
            domain_text = self._required(INDICATORS, row, "domain")
            indicator = self._required(INDICATORS, row, "indicator")
            domain = DOMAINS.match(domain_text) if domain_text else None
            if domain_text and domain is None:
                self.report(
                    WARNING,
                    "domain_unknown",
                    INDICATORS,
                    row,
                    "domain",
                    domain_text,
                    choices=[t.short("fr") for t in DOMAINS.terms],
                )
            value_cell = row.cells.get("value")
            # An indicator may fall (an evolution, a balance): negative values are kept.
            number = parse_number(value_cell, allow_negative=True)
            if number.error:
                self.report(ERROR, number.error, INDICATORS, row, "value", value_cell)
            if row.broken or self._errors_before() > errors:
                continue
            self.indicators.append(
                {
                    "domain": domain,
                    "domain_text": domain_text if domain is None else None,
                    "indicator": cast(str, indicator),
                    "value": number.value,  # required: checked above
                    "unit": as_text(row.cells.get("unit")) or canonical_unit(number.unit),
                    "activity": as_text(row.cells.get("activity")),
                    "actor": as_text(row.cells.get("actor")),
                    "source": as_text(row.cells.get("source")),
                    "comment": as_text(row.cells.get("comment")),
                    "extras": self._extras(row, INDICATORS),
                    "sheet": row.sheet,
                    "row": row.row,
                }
            )

    # Outcomes (the optional Effets sheet: the social value) ----------------------------------------------
    def _read_outcomes(self) -> None:
        for row in self._rows("outcomes"):
            errors = self._errors_before()
            stakeholder = self._required(OUTCOMES, row, "stakeholder")
            outcome = self._required(OUTCOMES, row, "outcome")
            # A stakeholder is an actor of the map or a category of actors; anything else is
            # kept as written, and said.
            if (
                stakeholder
                and normalise_reference(stakeholder) not in self.nodes
                and CATEGORIES.match(stakeholder) is None
            ):
                self.report(WARNING, "stakeholder_unknown", OUTCOMES, row, "stakeholder", stakeholder)
            activity = as_text(row.cells.get("activity"))
            if activity:
                node = self.nodes.get(normalise_reference(activity))
                if node is None or node.kind != "activity":
                    self.report(WARNING, "outcome_activity_unknown", OUTCOMES, row, "activity", activity)
            domain_text = as_text(row.cells.get("domain"))
            domain = DOMAINS.match(domain_text) if domain_text else None
            if domain_text and domain is None:
                self.report(
                    WARNING,
                    "domain_unknown",
                    OUTCOMES,
                    row,
                    "domain",
                    domain_text,
                    choices=[t.short("fr") for t in DOMAINS.terms],
                )
            numbers = {}
            for code in ("quantity", "proxy_value"):
                cell = row.cells.get(code)
                number = parse_number(cell)
                if number.error:
                    self.report(ERROR, number.error, OUTCOMES, row, code, cell)
                numbers[code] = number.value
            duration_cell = row.cells.get("duration")
            duration = 1
            if not is_blank(duration_cell):
                number = parse_number(duration_cell)
                if (
                    number.value is None
                    or not 1 <= number.value <= MAX_OUTCOME_YEARS
                    or number.value != int(number.value)
                ):
                    self.report(
                        ERROR, "duration_invalid", OUTCOMES, row, "duration", duration_cell, max=MAX_OUTCOME_YEARS
                    )
                else:
                    duration = int(number.value)
            shares = {}
            for code in ("deadweight", "displacement", "attribution", "drop_off"):
                cell = row.cells.get(code)
                share = parse_percent(cell)
                if share.error:
                    self.report(
                        ERROR,
                        "percent_invalid" if share.error == "number_invalid" else share.error,
                        OUTCOMES,
                        row,
                        code,
                        cell,
                    )
                elif share.ambiguous:
                    self.report(WARNING, "percent_one", OUTCOMES, row, code, cell)
                shares[code] = share.value or 0.0
            evidence_text = as_text(row.cells.get("evidence"))
            evidence = EVIDENCE.match(evidence_text) if evidence_text else DEFAULT_EVIDENCE
            if evidence is None:
                self.report(
                    WARNING,
                    "evidence_unknown",
                    OUTCOMES,
                    row,
                    "evidence",
                    evidence_text,
                    choices=", ".join(t.fr for t in EVIDENCE.terms),
                    default=EVIDENCE.label(DEFAULT_EVIDENCE, "fr"),
                )
                evidence = DEFAULT_EVIDENCE
            if row.broken or self._errors_before() > errors:
                continue
            # Listed, not valued: an outcome with no proxy value or no quantity (said once each).
            if numbers["proxy_value"] is None:
                self.report(WARNING, "outcome_not_valued", OUTCOMES, row, "proxy_value", outcome=outcome)
            elif numbers["quantity"] is None:
                self.report(WARNING, "outcome_no_quantity", OUTCOMES, row, "quantity", outcome=outcome)
            elif not as_text(row.cells.get("proxy_source")):
                self.report(WARNING, "proxy_without_source", OUTCOMES, row, "proxy_source", outcome=outcome)
            self.outcomes.append(
                {
                    "stakeholder": cast(str, stakeholder),
                    "outcome": cast(str, outcome),
                    "activity": activity,
                    "domain": domain,
                    "indicator": as_text(row.cells.get("indicator")),
                    "quantity": numbers["quantity"],
                    "proxy": as_text(row.cells.get("proxy")),
                    "proxy_value": numbers["proxy_value"],
                    "proxy_source": as_text(row.cells.get("proxy_source")),
                    "duration": duration,
                    **shares,
                    "evidence": evidence,
                    "comment": as_text(row.cells.get("comment")),
                    "extras": self._extras(row, OUTCOMES),
                    "sheet": row.sheet,
                    "row": row.row,
                }
            )

    # Whole-workbook checks -------------------------------------------------------------------------------
    def _check_example_rows(self) -> None:
        for code, table in self.raw.tables.items():
            spec = TABLES_BY_CODE[code]
            for row in table.rows:
                marker = row.cells.get("description", row.cells.get("comment"))
                if normalise_key(marker) in EXAMPLE_MARKERS:
                    self.report(WARNING, "example_row", spec, row)
