"""What an import does with the names in reference columns (承接科室 …) beyond
looking them up: a name mapped to an existing row (--map-value, or the wizard),
a name refused, and the kind and place of a row created for an unknown name.
Also the message for a required column the file lacks, which names the closest
unused headings."""

from __future__ import annotations

from sqlalchemy import func, select

from app.db import Database
from app.errors import UserError
from app.importer.mapping import Mapping, match_field_name
from app.normalize import clean_text, name_key
from app.services import ref_scope
from app.specs import Field, LedgerSpec, get_spec


def parse_value_maps(items: list[str] | None) -> dict[str, dict[str, str]]:
    """CLI `--map-value "承接科室:综合行政执法队=综合行政执法办公室"` items."""
    out: dict[str, dict[str, str]] = {}
    for item in items or []:
        fname, sep, rest = item.partition(":")
        if not sep:
            fname, sep, rest = item.partition("：")
        src, eq, dst = rest.partition("=")
        if not sep or not eq or not fname.strip() or not src.strip() or not dst.strip():
            raise UserError(f"--map-value 的格式应为 字段:文件中的名称=已有的名称"
                            f"（如 --map-value 承接科室:综合行政执法队=综合行政执法办公室），收到“{item}”")
        out.setdefault(fname.strip(), {})[src.strip()] = dst.strip()
    return out


def parse_column_maps(items: list[str] | None) -> dict[str, str]:
    """CLI `--map "HEADING=字段"` items."""
    out = {}
    for item in items or []:
        heading, sep, fname = item.rpartition("=")
        if not sep or not heading.strip() or not fname.strip():
            raise UserError(f"--map 的格式应为 文件中的列标题=字段（如 --map 职权名称=事项名称），收到“{item}”")
        out[heading.strip()] = fname.strip()
    return out


def closest_names(text: str, names: list[str], n: int = 3) -> list[str]:
    """Existing names most like an unknown one (综合行政执法队 → 综合行政执法办公室)."""
    key = name_key(text)
    scored = []
    for name in names:
        k = name_key(name)
        if not k:
            continue
        common = _common_prefix(key, k) + _common_suffix(key, k)
        sa, sb = set(key), set(k)
        dice = 2 * len(sa & sb) / (len(sa) + len(sb)) if sa and sb else 0
        sc = dice + 0.1 * min(common, 6)
        if dice >= 0.4:
            scored.append((sc, name))
    return [name for _sc, name in sorted(scored, key=lambda x: -x[0])[:n]]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def apply_value_map(plan, spec: LedgerSpec, refs: dict[str, dict[str, int]],
                    value_map: dict[str, dict[str, str | None]],
                    known: dict[str, list[str]]) -> None:
    """Point the written names at existing rows in the ref indexes; keep the pairs to
    store as aliases after the import; note refused names. known: field → existing
    names, for the message when a target does not exist."""
    for key, pairs in value_map.items():
        f = match_field_name(spec, key)
        if not f.type.is_ref:
            raise UserError(f"--map-value：{f.label}不是引用其他记录的字段，不能对应到已有名称")
        index = refs.get(f.name)
        if index is None:
            raise UserError(f"--map-value：文件中没有导入到{f.label}的列")
        for written, target in pairs.items():
            text = clean_text(written)
            if target is None:
                plan.refused_values.setdefault(f.name, set()).add(text)
                continue
            row_id = index.get(name_key(target))
            if row_id is None or row_id < 0:
                near = closest_names(target, known.get(f.name, []))
                raise UserError(f"--map-value：{f.label}中没有“{target}”"
                                + (f"（最接近的有：{'、'.join(near)}）" if near else ""))
            index[name_key(text)] = row_id
            plan.value_aliases.setdefault(f.name, []).append((row_id, text))


def missing_message(mapping: Mapping, missing: list[Field]) -> str:
    """A required column the file lacks: the closest unused columns and --map when one
    of them may be it; --set only when none is."""
    names = "、".join(f.label for f in missing)
    unused = mapping.unknown_columns
    lines = [f"文件缺少必填的列：{names}。"]
    hints = []
    for f in missing:
        near = mapping.closest_columns(f.name)
        if near:
            shown = "、".join(f"{c.letter}列“{c.heading}”" for c in near)
            hints.append(f"{f.label}最接近的列：{shown}；如果就是它，请指定："
                         f"--map \"{near[0].heading}={f.label}\"")
        elif unused:
            hints.append(f"{f.label}：如果文件中某一列就是它，请用 --map \"列标题={f.label}\" 指定；"
                         f"文件中确实没有时，可为整个文件统一指定（--set {f.label}=值）")
        else:
            hints.append(f"{f.label}：请在文件中加上该列，或为整个文件统一指定"
                         f"（--set {f.label}=值）")
    if unused:
        lines.append("文件中未使用的列：" + "、".join(
            f"{c.letter}列“{c.heading}”" + _near(mapping, c) for c in unused) + "。")
    return "".join(lines) + "；".join(hints)


def _near(mapping: Mapping, c) -> str:
    cands = mapping.candidates.get(c.index, [])
    if not cands:
        return ""
    labels = mapping.spec.labels
    return "（接近" + "、".join(labels[f] for f, _ in cands[:2]) + "）"


def new_row_values(db: Database, spec: LedgerSpec,
                   placeholders: dict[str, dict[int, str]]) -> dict[str, dict[int, dict]]:
    """For each row to create for an unknown name: the choice fields of the existing
    row whose name ends most like it (a new …办公室 is of the kind the other 办公室
    are), and a sort_order after the existing rows, in the order the file names them."""
    out: dict[str, dict[int, dict]] = {}
    for fname, holders in placeholders.items():
        f = spec.field(fname)
        if not holders or not f.ref.ledger:
            continue
        ref_spec = get_spec(f.ref.ledger)
        m = ref_spec.model
        enums = [g for g in ref_spec.form_fields if g.type.ranked and g.default is None]
        names = [g.name for g in ref_spec.form_fields]
        with db.session() as s:
            where = (ref_scope(s, db, f.ref), m.deleted_at.is_(None),
                     *(getattr(m, k) == v for k, v in f.ref.fixed.items()))
            rows = s.execute(select(getattr(m, f.ref.label), *(getattr(m, g.name) for g in enums))
                             .where(*where)).all()
            top = (s.execute(select(func.max(m.sort_order)).where(*where)).scalar()
                   if "sort_order" in names else None)
        values: dict[int, dict] = {}
        for k, (pid, name) in enumerate(sorted(holders.items(), key=lambda x: -x[0])):
            extra = {}
            if top is not None or "sort_order" in names:
                extra["sort_order"] = (top or 0) + k + 1
            best = max(rows, key=lambda r: _common_suffix(name_key(name), name_key(r[0])),
                       default=None)
            if best is not None and _common_suffix(name_key(name), name_key(best[0])) >= 2:
                for g, v in zip(enums, best[1:], strict=True):
                    if v:
                        extra[g.name] = v
            values[pid] = extra
        out[fname] = values
    return out
