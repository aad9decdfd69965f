"""Validating the rows of a file before anything is written: every data row goes
through the same `clean_values` as a form save (one validator), plus what only an
import can see: error cells, names of other rows that do not exist yet, duplicates
inside the file and against the database by the ledger's natural key.

The result is an ImportPlan: what would be added, updated, left unchanged, skipped
and rejected, with every problem by sheet, Excel row number, column and message."""

from __future__ import annotations

from operator import itemgetter

from sqlalchemy import func, select

from app.db import Database
from app.errors import UserError, ValidationError
from app.importer.aliases import with_aliases
from app.importer.columns import assemble, column_pass, memo_parse
from app.importer.files import Grid, paused_gc
from app.importer.header import Layout, data_rows, fill_merged_down
from app.importer.mapping import Mapping, match_field_name
from app.importer.plan import MODES, Cancel, ImportCancelled, ImportPlan, Problem, Progress
from app.importer.prescan import col_letter
from app.importer.refvalues import apply_value_map as _apply_value_map
from app.importer.refvalues import missing_message, new_row_values
from app.normalize import clean_text, name_key
from app.services import clean_values, ref_choices, ref_index, scope_clause
from app.specs import LedgerSpec


def _reject(plan: ImportPlan, row: int, column: str, fname: str | None, msg: str) -> None:
    plan.rejected.setdefault(row, []).append(Problem(plan.grid.sheet, row, column, fname, msg))


def prepare_import(db: Database, spec: LedgerSpec, grid: Grid, layout: Layout,
                   mapping: Mapping, *, mode: str = "append",
                   set_values: dict[str, object] | None = None, create_missing: bool = False,
                   value_map: dict[str, dict[str, str | None]] | None = None,
                   progress: Progress | None = None, cancel: Cancel | None = None) -> ImportPlan:
    """Check every row; nothing is written. Raises UserError for problems that concern
    the whole file (a required column missing, a bad --set value).

    value_map: ref field (name or label) → {name as the file writes it → an existing
    row's name, or None to refuse it}: 综合行政执法队 → 综合行政执法办公室."""
    if mode not in MODES:
        raise UserError(f"导入方式“{mode}”无效（可选：{'、'.join(MODES)}）")
    fixed = _resolve_set_values(spec, mapping, set_values or {})
    missing = mapping.missing_required(fixed)
    if missing:
        raise UserError(missing_message(mapping, missing))
    plan = ImportPlan(spec, grid, layout, mapping, mode, fixed, create_missing)
    fill_merged_down(grid, layout.data_start)
    columns = sorted(mapping.assigned.items())
    headings = {idx: mapping.column(idx).heading for idx, _ in columns}
    ref_fields = {f.name: f for f in spec.form_fields if f.type.is_ref
                  and (f.name in mapping.assigned.values() or f.name in fixed)}
    refs = {name: with_aliases(db, f, ref_index(db, f)) for name, f in ref_fields.items()}
    if value_map:
        _apply_value_map(plan, spec, refs, value_map,
                         {n: [label for _i, label in ref_choices(db, f)]
                          for n, f in ref_fields.items()})
    if mode == "replace":  # every live row goes: how many is all there is to know
        existing = {}
        plan.replaced = _live_count(db, spec)
    else:
        existing = _existing(db, spec, mode)
    mapped = set(mapping.assigned.values()) | set(fixed)
    # A collection the file lacks is left as stored, without the slow merge below.
    merge = mode == "upsert" and any(f.name not in mapped for f in spec.form_fields
                                     if f.collection is None)
    collections = {f.name for f in spec.collection_fields}
    keys_seen: dict[tuple, int] = {}
    errors_at = grid.errors
    total = len(grid.rows) - layout.data_start
    key_fields = spec.natural_key
    defaulted = {f.name for f in spec.form_fields if f.default is not None}
    parsers = {f.name: memo_parse(f) for f in spec.form_fields}
    ref_cache: dict[tuple[str, object], int] = {}
    base = grid.first_row  # rows[r] is row r + base as problems name it (Excel: 1)

    with db.session() as s, paused_gc():
        def every(n: int) -> None:
            if cancel is not None and cancel():
                raise ImportCancelled()
            if progress is not None:
                progress(n // 2, total, "校验数据")

        rows = grid.rows
        data = data_rows(grid, layout, plan.skipped, every)

        def resolve(fname, v, i):
            """i None: a look-up only (a known name, or nothing is recorded)."""
            if i is None:
                found = refs[fname].get(name_key(clean_text(v))) if clean_text(v) else None
                return found if found is not None else v
            hit = ref_cache.get((fname, v))  # the same office name, row after row
            return hit if hit is not None else _ref_value(
                plan, refs[fname], fname, v, data[i] + base, create_missing, ref_cache)

        cols = column_pass(spec, [rows[r] for r in data], data, columns, fixed, defaulted,
                           errors_at, resolve)
        if merge:  # a row that updates a stored one keeps the fields the file lacks
            cols.doubtful[:] = b"\x01" * len(data)
        rules = spec.rules
        item_refs = {(f.name, g.name): ref_index(db, g) for f in spec.collection_fields
                     for g in f.collection.fields if g.type.is_ref}
        key_of = itemgetter(*key_fields)
        one_key = len(key_fields) == 1
        assembled = assemble(spec, cols)
        if not item_refs and _all_new(plan, assembled, data, key_of, one_key, rules, existing):
            assembled = []  # every row valid, new and unique: taken as they are
        for i, values in enumerate(assembled):
            if i % 5000 == 0:
                if cancel is not None and cancel():
                    raise ImportCancelled()
                if progress is not None:
                    progress((len(data) + i) // 2, total, "校验数据")
            excel_row = data[i] + base
            if values is not None and rules is not None and rules(values):
                values = None  # clean_values words the rule's message
            if values is None:
                values = _slow_row(plan, db, s, spec, cols, i, excel_row, fixed, refs, parsers,
                                   existing if merge else None, mapped, headings, columns)
                if values is None:
                    continue
            if item_refs and _unknown_items(plan, mapping, spec, item_refs, values, excel_row):
                continue
            key = (key_of(values),) if one_key else key_of(values)
            if all(v is None or v == "" for v in key):  # a key given later (a number
                plan.new_rows.append(values)  # assigned on insert): always a new row
                plan.new_row_numbers.append(excel_row)
                continue
            first = keys_seen.get(key)
            if first is not None:
                _reject(plan, excel_row, _key_column(mapping, spec), key_fields[-1],
                        f"与第 {first} 行重复（{_key_text(spec, values, plan)}）")
                continue
            keys_seen[key] = excel_row
            old = existing.get(key)
            if old is None:
                plan.new_rows.append(values)
                plan.new_row_numbers.append(excel_row)
            elif mode == "append":
                _reject(plan, excel_row, _key_column(mapping, spec), key_fields[-1],
                        f"{spec.title}中已有相同的记录（{_key_text(spec, values, plan)}）；"
                        "如要用文件更新已有记录，请选择“按关键字段更新”方式")
            else:
                row_id, version, current = old
                changes = {k: v for k, v in values.items()
                           if (v is not None or k not in collections)
                           and not _same(spec, k, current.get(k), v, collections, item_refs)}
                if changes:
                    plan.updates.append((row_id, version, changes, excel_row))
                else:
                    plan.unchanged.append(excel_row)
    plan.unheaded = _unheaded_columns(grid, layout)
    if plan.placeholders:
        plan.placeholder_values = new_row_values(db, spec, plan.placeholders)
    if progress is not None:
        progress(total, total, "校验数据")
    return plan


def _same(spec: LedgerSpec, name: str, stored, given, collections: set[str],
          item_refs: dict) -> bool:
    """A file's value against the stored one, like with like: a collection's cell (its
    items naming rows by name) against the stored rows (naming them by id)."""
    if name not in collections:
        return stored == given
    from app.core.children import comparable

    child = spec.field(name).collection
    refs = {g: index for (f, g), index in item_refs.items() if f == name}
    return comparable(child, stored) == comparable(child, given, refs)


def _all_new(plan: ImportPlan, assembled: list, data: list[int], key_of, one_key: bool,
             rules, existing: dict) -> bool:
    """The common file: every row passed the column pass and the domain rules, no two
    share a natural key, none is stored yet. Then all are new rows, decided at C speed;
    otherwise (False) the row-by-row loop sorts them and words the problems."""
    if not assembled or None in assembled:
        return False
    if rules is not None and any(map(rules, assembled)):
        return False
    keys = list(zip(map(key_of, assembled))) if one_key else list(map(key_of, assembled))
    distinct = set(keys)
    if len(distinct) != len(keys) or (existing and not distinct.isdisjoint(existing)):
        return False
    plan.new_rows = assembled
    plan.new_row_numbers = [r + plan.grid.first_row for r in data]
    return True


def _unknown_items(plan: ImportPlan, mapping: Mapping, spec: LedgerSpec, item_refs: dict,
                   values: dict, excel_row: int) -> bool:
    """A collection cell naming a row that does not exist (a worker's grid “月亮网格”):
    the row is rejected here, with its cell, not when the import is written."""
    bad = False
    for (fname, gname), index in item_refs.items():
        for item in values.get(fname) or ():
            label = item.get(gname)
            if isinstance(label, str) and label and name_key(label) not in index:
                col = mapping.field_column(fname)
                child = spec.field(fname).collection
                _reject(plan, excel_row, col.heading if col else spec.labels[fname], fname,
                        f"{child.field(gname).label}“{label}”不在可选范围内")
                bad = True
    return bad


def _slow_row(plan: ImportPlan, db: Database, s, spec: LedgerSpec, cols, i: int,
              excel_row: int, fixed: dict, refs: dict, parsers: dict, existing: dict | None,
              mapped: set[str], headings: dict[int, str], columns) -> dict | None:
    """One row the column pass doubted, through clean_values for its messages: error
    cells first, then every field's problem. Returns the values when it is valid."""
    bad: set[str] = set()
    where = {fname: idx for idx, fname in columns}
    for fname, shown in cols.bad_cells.get(i, ()):
        _reject(plan, excel_row, headings[where[fname]], fname,
                f"单元格是错误值 {shown}（公式出错或引用失效），请改为实际内容")
        bad.add(fname)
    raw = cols.raw_row(i, fixed)
    if existing is not None:
        old = existing.get(_raw_key(spec, raw))
        if old is not None:
            raw = {**{k: v for k, v in old[2].items() if k not in mapped}, **raw}
    try:
        values = clean_values(db, spec, raw, s, refs, parsers)
    except ValidationError as exc:
        for fname, msg in exc.errors.items():
            if fname not in bad:
                col = plan.mapping.field_column(fname)
                _reject(plan, excel_row, col.heading if col else spec.labels[fname], fname, msg)
        return None
    return None if bad else values


def _unheaded_columns(grid: Grid, layout: Layout) -> list[str]:
    """Columns that hold data under the header but have no heading: not imported, so
    the summary says so (never drop data silently)."""
    headed = {c.index for c in layout.columns}
    out = []
    for c in range(grid.width):
        if c in headed:
            continue
        for r in range(layout.data_start, len(grid.rows)):
            row = grid.rows[r]
            if row is not None and c < len(row) and row[c] not in ("", None):
                out.append(f"{col_letter(c)}列（第 {r + grid.first_row} 行起）")
                break
    return out


def _raw_key(spec: LedgerSpec, raw: dict) -> tuple | None:
    """The natural key of a raw row, parsed just enough to find the stored row."""
    key = []
    for k in spec.natural_key:
        f = spec.field(k)
        if k not in raw:
            key.append(f.default if f.default is not None else f.empty)
            continue
        try:
            key.append(f.parse(raw[k]))
        except ValueError:
            return None
    return tuple(key)


def _ref_value(plan: ImportPlan, index: dict[str, int], fname: str, v, excel_row: int,
               create_missing: bool, cache: dict | None = None):
    """A name of another row → its id; an unknown name is listed with its rows and
    either left as text (clean_values rejects it) or given a placeholder to create."""
    text = clean_text(v)
    if not text:
        return ""
    key = name_key(text)
    found = index.get(key)
    if found is not None:
        if cache is not None and found > 0:
            cache[(fname, v)] = found
        return found
    plan.unknown_refs.setdefault(fname, {}).setdefault(text, []).append(excel_row)
    if not create_missing or text in plan.refused_values.get(fname, ()):
        return text
    holders = plan.placeholders.setdefault(fname, {})
    pid = -(len(holders) + 1)
    holders[pid] = text
    index[key] = pid  # later rows find it without a search
    return pid


def _resolve_set_values(spec: LedgerSpec, mapping: Mapping, set_values: dict) -> dict:
    fixed = {}
    for name, value in set_values.items():
        f = match_field_name(spec, name)
        col = mapping.field_column(f.name)
        if col is not None:
            raise UserError(f"文件中已有“{col.heading}”列（{col.letter}列）对应{f.label}，"
                            f"不能再为整个文件统一指定{f.label}")
        if not f.type.is_ref:
            try:
                f.parse(value)
            except ValueError as exc:
                raise UserError(f"统一指定的{f.label}“{value}”无效：{exc}") from None
        fixed[f.name] = value
    return fixed


def _live_count(db: Database, spec: LedgerSpec) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(spec.model)
                         .where(scope_clause(db, spec))).scalar_one()


def _existing(db: Database, spec: LedgerSpec, mode: str) -> dict[tuple, tuple[int, int, dict]]:
    """Live rows of the ledger: natural key → (id, version, {field: stored value})."""
    from app.core.children import stored_collections

    model = spec.model
    names = [f.name for f in spec.form_fields if f.stored]
    stmt = select(model.id, model.version, *(getattr(model, n) for n in names)).where(
        scope_clause(db, spec))
    out = {}
    with db.session() as s:
        for row in s.execute(stmt):
            values = dict(zip(names, row[2:], strict=True))
            key = tuple(values.get(k) for k in spec.natural_key)
            out[key] = (row[0], row[1], values)
        if spec.collection_fields and out:
            kept = stored_collections(s, spec, [v[0] for v in out.values()])
            for row_id, _version, values in out.values():
                for f in spec.collection_fields:
                    values[f.name] = kept.get(row_id, {}).get(f.name, [])
    return out


def _key_column(mapping: Mapping, spec: LedgerSpec) -> str:
    for k in reversed(spec.natural_key):
        col = mapping.field_column(k)
        if col is not None:
            return col.heading
    return spec.field(spec.natural_key[-1]).label


def _key_text(spec: LedgerSpec, values: dict, plan: ImportPlan) -> str:
    parts = []
    for k in spec.natural_key:
        v = values.get(k)
        if v in (None, ""):
            continue
        f = spec.field(k)
        if f.type.is_ref and isinstance(v, int):
            v = plan.placeholders.get(k, {}).get(v, v)
        parts.append(f"{f.label}“{f.display(v)}”")
    return "、".join(parts)
