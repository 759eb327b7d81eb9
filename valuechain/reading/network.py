"""The Acteurs, Activites and Flux tables → the value chain's nodes and edges, the centre among them.

Flows and activities name actors by id or name; a name nobody declared becomes an actor made
up from the flows (said where it is), an activity named like an actor is an error, and the
centre is the actor declared as such, the one the Centre sheet names, or the most linked one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from valuechain.cells import BLANK_NUMBER, LARGEST_NUMBER, ParsedNumber, as_text, is_blank, parse_year
from valuechain.model import ERROR, WARNING, ActivityRecord, ActorRecord, CentreInfo, FlowRecord, Problem, RawRow
from valuechain.reading.cell_checks import CellChecks
from valuechain.vocabulary import (
    ACTIVITIES,
    ACTIVITY_TYPES,
    ACTORS,
    CATEGORIES,
    FLOWS,
    FUNCTIONS,
    NATURES,
    TANGIBLE_NATURES,
    Table,
    canonical_unit,
    normalise_reference,
    split_list,
)


class _PendingActivity(ActivityRecord, total=False):
    """An activity record while its lead is still a text (resolved once every actor is known)."""

    _lead_text: str | None
    _row: RawRow | None


# Where the reading is once past the flows (``CellChecks.where``): after every flow's position.
AFTER_FLOWS = 1 << 62


def _trimmed_text(cell: object) -> bool:
    """A text as the reader leaves a cell's: not empty, no space around it (what ``required``
    gives back unchanged)."""
    return cell.__class__ is str and bool(cell) and cast(str, cell).strip() == cell


class NotAlone(Exception):
    """A flow read again alone (``Network.read_flow_again``) would change more than its own row:
    it names an actor or activity that it would make up, or that a later row makes up."""


@dataclass
class Node:
    """An actor or an activity of the value chain, as flows, leads and outcomes reference it."""

    id: str
    kind: str  # "actor" or "activity"
    record: dict[str, Any]  # the actor's or activity's record (ActorRecord, ActivityRecord)


class Network:
    """The actors, activities and flows read so far, and every name by which a node is referenced."""

    def __init__(self, checks: CellChecks) -> None:
        self.checks = checks
        self.actors: list[ActorRecord] = []
        self.activities: list[_PendingActivity] = []
        self.flows: list[FlowRecord] = []
        # Reference key (id or name, as matched in Flux and porteur) → node.
        self.nodes: dict[str, Node] = {}
        # The key of each node made up from a flow (or later) → where (``CellChecks.where``).
        self.made_at: dict[str, int] = {}
        # Per flow row: where its problems begin in ``checks.problems`` (and where the last ends).
        self.flow_problems: list[int] = []
        # The positions of the flow rows read into ``pending`` and of those that are self-flows.
        self.pending_positions: list[int] = []
        self.self_flows: set[int] = set()
        # While one flow is read again alone: its position (see ``read_flow_again``).
        self._alone: int | None = None
        # What plain rows repeat, looked up once (``_plain_flow``): a text → its node, a nature
        # as typed → its code, a unit as typed → its spelling (``_NOT_PLAIN`` when it is not).
        self._plain_texts: dict[object, Any] = {}
        self._plain_natures: dict[object, Any] = {}
        self._plain_units: dict[object, Any] = {}

    def _register(self, node: Node, keys: list[str]) -> None:
        for key in keys:
            if key:
                self.nodes.setdefault(key, node)

    def _made_up(self, node: Node, key: str) -> None:
        """``node`` is made up now (from a flow, a lead, the centre's name), under ``key``."""
        if self._alone is not None:
            raise NotAlone(key)
        self._register(node, [key])
        if self.nodes.get(key) is node:
            self.made_at.setdefault(key, self.checks.where)

    def _known(self, text: str) -> Node | None:
        """The node a flow's cell names, if any yet. A row read again alone may name only the
        nodes known before it: declared, or made up by an earlier row."""
        key = normalise_reference(text)
        node = self.nodes.get(key)
        if node is not None and self._alone is not None and self.made_at.get(key, -1) >= self._alone:
            raise NotAlone(key)
        return node

    # Actors ---------------------------------------------------------------------------------------
    def read_actors(self) -> None:
        first_by_name: dict[str, RawRow] = {}
        first_by_id: dict[str, RawRow] = {}
        first_centre: RawRow | None = None
        for row in self.checks.rows("actors"):
            errors = self.checks.error_count
            name = self.checks.required(ACTORS, row, "name")
            category_text = self.checks.required(ACTORS, row, "category")
            category, unknown_text = self.checks.label(CATEGORIES, "category", ACTORS, row, "category", category_text)
            actor_id = as_text(row.cells.get("id")) or name
            count = self.checks.optional_number(ACTORS, row, "count")
            local = self.checks.yes_no(ACTORS, row, "local")
            if name is not None:
                key = normalise_reference(name)
                if key in first_by_name:
                    self.checks.report(
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
                    self.checks.report(
                        ERROR,
                        "second_centre",
                        ACTORS,
                        row,
                        "category",
                        category_text,
                        first=first_centre.cells.get("name"),
                        first_row=first_centre.row,
                    )
                elif not row.broken and self.checks.error_count == errors:
                    first_centre = row
            self._check_references(ACTORS, "other_actor", row, name, actor_id, first_by_name, first_by_id)
            if row.broken or self.checks.error_count > errors:
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
                "extras": self.checks.extras(row, ACTORS),
                "sheet": row.sheet,
                "row": row.row,
                "inferred": False,
            }
            self.actors.append(record)
            self._register(
                Node(str(actor_id), "actor", cast(dict, record)),
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
    ) -> Node:
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
        node = Node(node_id, "actor", cast(dict, record))
        self._made_up(node, normalise_reference(name))
        self.actors.append(record)
        if code:
            self.checks.report(WARNING, code, table, row, column, name)
        return node

    # Activities -------------------------------------------------------------------------------------
    def read_activities(self) -> None:
        first_by_name: dict[str, RawRow] = {}
        first_by_id: dict[str, RawRow] = {}
        for row in self.checks.rows("activities"):
            errors = self.checks.error_count
            name = self.checks.required(ACTIVITIES, row, "name")
            activity_id = as_text(row.cells.get("id")) or name
            type_text = as_text(row.cells.get("type"))
            activity_type = ACTIVITY_TYPES.match(type_text) if type_text else "principale"
            if activity_type is None:
                self.checks.report(WARNING, "activity_type_unknown", ACTIVITIES, row, "type", type_text)
                activity_type = "principale"
            function_text = as_text(row.cells.get("function"))
            function = FUNCTIONS.match(function_text) if function_text else None
            if function_text and function is None:
                self.checks.report(
                    WARNING,
                    "function_unknown",
                    ACTIVITIES,
                    row,
                    "function",
                    function_text,
                    choices=[t.label("fr").lower() for t in FUNCTIONS.terms],
                )
                function = "autre"
            domains = self.checks.domains(ACTIVITIES, row, "domains")
            if name is not None:
                key = normalise_reference(name)
                if key in first_by_name:
                    self.checks.report(
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
                self._check_references(ACTIVITIES, "other_activity", row, name, activity_id, first_by_name, first_by_id)
                for key in {normalise_reference(name), normalise_reference(activity_id)}:
                    clash = self.nodes.get(key)
                    if clash is not None and clash.kind == "actor":
                        self.checks.report(
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
            if row.broken or self.checks.error_count > errors:
                continue
            record: _PendingActivity = {
                "id": cast(str, activity_id),
                "name": cast(str, name),
                "type": activity_type,
                "function": function,
                "lead": None,
                "domains": domains,
                "description": as_text(row.cells.get("description")),
                "extras": self.checks.extras(row, ACTIVITIES),
                "sheet": row.sheet,
                "row": row.row,
                "inferred": False,
                "_lead_text": as_text(row.cells.get("lead")),
                "_row": row,
            }
            self.activities.append(record)
            self._register(
                Node(str(activity_id), "activity", cast(dict, record)),
                [normalise_reference(activity_id), normalise_reference(name)],
            )

    def _check_references(
        self,
        sheet: Table,
        other_kind: str,
        row: RawRow,
        name: str | None,
        record_id: str | None,
        first_by_name: dict[str, RawRow],
        first_by_id: dict[str, RawRow],
    ) -> None:
        """Two rows of ``sheet`` (actors, activities) that one reference would name are an error:
        the same id, an id that is another row's name, a name that is another row's id. Each
        would make the two one node of the graph."""
        if record_id is not None and as_text(row.cells.get("id")) is not None:
            key = normalise_reference(record_id)
            if key in first_by_id:
                self.checks.report(ERROR, "duplicate_id", sheet, row, "id", record_id, first_row=first_by_id[key].row)
            elif key in first_by_name and first_by_name[key] is not row:
                self.checks.report(
                    ERROR,
                    "id_is_other_name",
                    sheet,
                    row,
                    "id",
                    record_id,
                    other=other_kind,
                    first_row=first_by_name[key].row,
                )
            else:
                first_by_id[key] = row
        if name is not None:
            key = normalise_reference(name)
            other = first_by_id.get(key)
            if other is not None and other is not row and first_by_name.get(key) is row:
                # The same merge, met from the name's side.
                self.checks.report(
                    ERROR, "name_is_other_id", sheet, row, "name", name, other=other_kind, first_row=other.row
                )

    def _create_activity(self, text: str, row: RawRow) -> Node:
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
        node = Node(name, "activity", cast(dict, record))
        self._made_up(node, normalise_reference(name))
        self.activities.append(record)
        return node

    def resolve_leads(self, centre_id: str) -> None:
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
                self.checks.report(WARNING, "lead_is_activity", ACTIVITIES, row, "lead", lead_text)
                record["lead"] = centre_id
                continue
            record["lead"] = node.id

    # Flows ---------------------------------------------------------------------------------------------
    def _reference(self, text: str | None, row: RawRow, column: str) -> Node | None:
        if text is None:
            return None
        node = self._known(text)
        if node is None:
            node = self._create_actor(text, row, FLOWS, column)
        return node

    def _number(self, row: RawRow, column: str) -> ParsedNumber:
        cell = row.cells.get(column)
        if cell is None:
            return BLANK_NUMBER
        if cell.__class__ is float and 0.0 <= cell <= LARGEST_NUMBER:
            return ParsedNumber(cell)
        return self.checks.number(FLOWS, row, column)

    def read_flows(self, centre: CentreInfo) -> list[tuple[FlowRecord, RawRow]]:
        """Every flow row, in order: the valid ones as records with their rows; where each
        row's problems begin is kept (``flow_problems``), to read a changed row again alone."""
        pending: list[tuple[FlowRecord, RawRow]] = []
        problems = self.checks.problems
        for position, row in enumerate(self.checks.rows("flows")):
            self.checks.where = position
            self.flow_problems.append(len(problems))
            read = self._read_flow(row, centre)
            if read is not None:
                pending.append(read)
                self.pending_positions.append(position)
        self.flow_problems.append(len(problems))
        self.checks.where = AFTER_FLOWS
        return pending

    def read_flow_again(self, position: int, row: RawRow, centre: CentreInfo) -> tuple[FlowRecord, RawRow] | None:
        """Flow ``row``, at ``position``, read as ``read_flows`` reads it among the others, over
        the nodes of a whole reading (``nodes``, ``made_at``). Raises ``NotAlone`` when reading
        it would change more than its own row (an actor made up…)."""
        self._alone = self.checks.where = position
        try:
            read = self._read_flow(row, centre)
        finally:
            self._alone, self.checks.where = None, AFTER_FLOWS
        if read is not None and read[0]["source"] == read[0]["target"]:
            raise NotAlone("self_flow")  # said after every flow is read
        return read

    def _read_flow(self, row: RawRow, centre: CentreInfo) -> tuple[FlowRecord, RawRow] | None:
        if self._alone is None:
            plain = self._plain_flow(row, centre)
            if plain is not None:
                return plain, row
        errors = self.checks.error_count
        source_text = self.checks.required(FLOWS, row, "source")
        target_text = self.checks.required(FLOWS, row, "target")
        nature_text = self.checks.required(FLOWS, row, "nature")
        nature, unknown_nature = self.checks.label(NATURES, "nature", FLOWS, row, "nature", nature_text)
        # Blank cells and plain numbers (most of a large table's) skip their readers: each
        # would give nothing more for them than this.
        cells = row.cells
        quantity = self._number(row, "quantity")
        value = self._number(row, "value")
        unit_cell = cells.get("unit")
        unit = canonical_unit(unit_cell) if unit_cell is not None else None
        typed_unit = canonical_unit(quantity.unit) if quantity.unit is not None else None
        if unit is None:
            unit = typed_unit
        elif typed_unit is not None and typed_unit != unit:
            self.checks.report(
                WARNING, "unit_conflict", FLOWS, row, "unit", row.cells.get("unit"), typed=quantity.unit, unit=unit
            )
        tangible = self.checks.yes_no(FLOWS, row, "tangible") if cells.get("tangible") is not None else None
        if tangible is None and nature is not None:
            tangible = nature in TANGIBLE_NATURES
        year = centre.year
        year_cell = cells.get("year")
        if year_cell is not None and not is_blank(year_cell):
            parsed_year, understood = parse_year(year_cell)
            if not understood:
                self.checks.report(WARNING, "year_invalid", FLOWS, row, "year", year_cell)
            elif centre.year is not None and parsed_year != centre.year:
                self.checks.report(WARNING, "other_year", FLOWS, row, "year", year_cell, year=centre.year)
                year = parsed_year
            else:
                year = parsed_year
        domains = self.checks.domains(FLOWS, row, "domains") if cells.get("domains") is not None else ()
        if row.broken or self.checks.error_count > errors:
            return None
        source = self._reference(source_text, row, "source")
        target = self._reference(target_text, row, "target")
        if source is None or target is None:  # both are required: already an error above
            return None
        activity_id = None
        activity_text = as_text(row.cells.get("activity"))
        if activity_text is not None:
            found = self._known(activity_text)
            node = found if found is not None else self._create_activity(activity_text, row)
            if node.kind == "activity" and node.record["inferred"]:
                # Every row that leans on an activity made up from the flows says so, where it
                # is, the first as the others: the reading moves the support share and the costs.
                self.checks.report(WARNING, "activity_created", FLOWS, row, "activity", activity_text)
            if node.kind == "actor":
                # The rest of the row is a fact (300 € from someone to someone): it counts,
                # with no activity of its own, and the cell is flagged.
                self.checks.report(
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
            "extras": self.checks.extras(row, FLOWS),
            "sheet": row.sheet,
            "row": row.row,
        }
        return record, row

    # Plain rows -----------------------------------------------------------------------------------
    # Most rows of a large table say nothing new: names already known, words of the lists as
    # the lists write them, plain numbers. ``_plain_flow`` reads such a row in about half the
    # time of the general reading above (validation at 200,000 flows: 1.5 s → 0.85 s), with
    # what the row repeats (a nature, a unit, a name) looked up once per workbook; any other
    # row (and every row read again alone) goes the general way. Tested: on random rows, a
    # plain row's record is the general reading's, to the last field, and the general reading
    # says nothing of it.
    _NOT_PLAIN: Any = False  # a text looked up once and found not plain (a cache's answer)

    def _plain_flow(self, row: RawRow, centre: CentreInfo) -> FlowRecord | None:
        if row.broken:
            return None
        cells = row.cells
        texts = self._plain_texts
        # The required names and the nature: texts as the reader leaves them (trimmed, not empty).
        source_text, target_text = cells.get("source"), cells.get("target")
        nature_text = cells.get("nature")
        source, target = texts.get(source_text), texts.get(target_text)
        nature = self._plain_natures.get(nature_text)
        if source is None:
            source = self._plain_node(source_text)
        if target is None:
            target = self._plain_node(target_text)
        if nature is None:
            nature = self._plain_word(nature_text)
        if source is False or target is False or nature is False:
            return None
        quantity, value = cells.get("quantity"), cells.get("value")
        if (quantity is not None and (quantity.__class__ is not float or not 0.0 <= quantity <= LARGEST_NUMBER)) or (
            value is not None and (value.__class__ is not float or not 0.0 <= value <= LARGEST_NUMBER)
        ):
            return None
        unit = cells.get("unit")
        if unit is not None:
            unit = self._plain_units.get(unit)
            if unit is None:
                unit = self._plain_unit(cells["unit"])
                if unit is False:
                    return None
        if cells.get("tangible") is not None or cells.get("domains") is not None:
            return None
        year = centre.year
        year_cell = cells.get("year")
        if year_cell is not None:
            if year_cell.__class__ is not float or not year_cell.is_integer() or not 1900 <= year_cell <= 2200:
                return None
            if year is not None and int(year_cell) != year:
                return None
            year = int(year_cell)
        activity_id = None
        activity_cell = cells.get("activity")
        if activity_cell is not None:
            activity = texts.get(activity_cell)
            if activity is None:
                activity = self._plain_node(activity_cell)
            if activity is False or activity.kind != "activity" or activity.record["inferred"]:
                return None
            activity_id = activity.id
        return {
            "source": source.id,
            "target": target.id,
            "nature": nature,
            "nature_text": None,
            "quantity": quantity,
            "unit": unit,
            "value_entered": value,
            "activity": activity_id,
            "domains": (),
            "tangible": nature in TANGIBLE_NATURES,
            "data_source": as_text(cells.get("data_source")),
            "year": year,
            "description": as_text(cells.get("description")),
            "extras": self.checks.extras(row, FLOWS),
            "sheet": row.sheet,
            "row": row.row,
        }

    def _plain_node(self, cell: object) -> Node | Any:
        """The node a trimmed text names, when it names one already (kept for the next rows:
        nodes are only added while flows are read); ``_NOT_PLAIN`` otherwise (not kept: a
        later row may make it up)."""
        if not _trimmed_text(cell):
            return self._NOT_PLAIN
        node = self.nodes.get(normalise_reference(cell))
        if node is None:
            return self._NOT_PLAIN
        self._plain_texts[cell] = node
        return node

    def _plain_word(self, cell: object) -> str | Any:
        """The nature a trimmed text is, as the list writes it (not a synonym: said once)."""
        if not _trimmed_text(cell):
            return self._NOT_PLAIN
        code = NATURES.match(cell)
        plain = code if code is not None and not NATURES.is_synonym(cell) else self._NOT_PLAIN
        self._plain_natures[cell] = plain
        return plain

    def _plain_unit(self, cell: object) -> str | Any:
        """A unit as typed → its spelling (``canonical_unit``); a blank one is left to the general way."""
        if cell.__class__ is not str:
            return self._NOT_PLAIN
        unit = canonical_unit(cell)
        self._plain_units[cell] = unit if unit is not None else self._NOT_PLAIN
        return self._plain_units[cell]

    def check_self_flows(self, pending: list[tuple[FlowRecord, RawRow]]) -> None:
        for (record, row), position in zip(pending, self.pending_positions):
            if record["source"] == record["target"]:
                self.checks.report(ERROR, "self_flow", FLOWS, row, "target", row.cells.get("target"))
                self.self_flows.add(position)
                continue
            self.flows.append(record)

    # The centre ---------------------------------------------------------------------------------------
    def declared_centre(self, centre: CentreInfo) -> str | None:
        first = next((a for a in self.actors if a["category"] == "centre"), None)
        if first is not None:
            return first["id"]
        if centre.name:
            node = self.nodes.get(normalise_reference(centre.name))
            if node is not None and node.kind == "actor":
                node.record["category"] = "centre"
                self.checks.problems.append(Problem(WARNING, "centre_from_sheet", value=centre.name, table="centre"))
                return node.id
            if node is not None:  # an activity bears the centre's name: the centre wins
                self._drop_activity(node)
            node = self._create_actor(centre.name, None, None, None, category="centre", code=None)
            self.checks.problems.append(Problem(WARNING, "centre_created", value=centre.name, table="centre"))
            return node.id
        return None

    def _drop_activity(self, node: Node) -> None:
        """An activity named like the centre is an error on its row; the row is kept aside."""
        row = node.record.get("_row")
        self.activities = [a for a in self.activities if a is not node.record]
        for key in [k for k, n in self.nodes.items() if n is node]:
            del self.nodes[key]
        self.checks.report(
            ERROR,
            "activity_clashes_actor",
            ACTIVITIES,
            row,
            "name",
            node.record["name"],
            actor_sheet="Centre",
            actor_row="—",
        )

    def guessed_centre(self, pending: list[tuple[FlowRecord, RawRow]]) -> str:
        best = self._most_linked_actor(pending)
        if best is not None:
            best["category"] = "centre"
            self.checks.problems.append(Problem(WARNING, "centre_inferred", value=best["name"], table="centre"))
            return best["id"]
        node = self._create_actor(self.checks.raw.name, None, None, None, category="centre", code=None)
        self.checks.problems.append(Problem(WARNING, "centre_created", value=self.checks.raw.name, table="centre"))
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

    def name_centre(self, centre: CentreInfo, centre_id: str) -> None:
        actor = next(a for a in self.actors if a["id"] == centre_id)
        if not centre.name:
            centre.name = actor["name"]
        elif normalise_reference(centre.name) != normalise_reference(actor["name"]):
            self.checks.problems.append(
                Problem(
                    WARNING,
                    "centre_name_differs",
                    value=centre.name,
                    params=(("actor", actor["name"]),),
                    table="centre",
                )
            )
