"""The area tree: district → street → community → grid."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased

from app.core.uow import write_operation
from app.models import Area, Setting

_Parent = aliased(Area)

DEFAULT_DISTRICT = "未设置区县"
DEFAULT_STREET = "未命名街道"


def ensure_street(db) -> int:
    """The street this database is about; created (with its district) on first use of an
    empty database, through a unit of work like any other write."""
    from app.core.uow import UnitOfWork

    with db.session() as s:
        found = s.execute(select(Area.id).where(Area.level == "street", Area.deleted_at.is_(None))
                          .order_by(Area.id)).scalars().first()
    if found is not None:
        return found
    with UnitOfWork(db) as uow:
        s = uow.session
        district = Area(level="district", name=DEFAULT_DISTRICT, created_by=db.actor,
                        updated_by=db.actor)
        s.add(district)
        s.flush()
        street = Area(level="street", name=DEFAULT_STREET, parent_id=district.id,
                      created_by=db.actor, updated_by=db.actor)
        s.add(street)
        s.flush()
        set_paths(s, [district.id, street.id])
        uow.audit("create", "areas", district.id, f"新建区县 {DEFAULT_DISTRICT}")
        uow.audit("create", "areas", street.id, f"新建街道 {DEFAULT_STREET}")
        return street.id


def set_paths(session: Session, ids: list[int]) -> None:
    """The materialised path of each area ("/1/4/17/"), from its parent's: the one place
    it is computed, for areas made by a form, an import, the demo or the first start.
    Parents come before their children in `ids` (new ids grow)."""
    for area_id in sorted(ids):
        parent_path = session.execute(
            select(_Parent.path).join(Area, Area.parent_id == _Parent.id)
            .where(Area.id == area_id)).scalar()
        if parent_path == "":
            raise RuntimeError(f"区域 {area_id} 的上级区域缺少层级路径")
        path = f"{parent_path or '/'}{area_id}/"
        session.execute(update(Area).where(Area.id == area_id, Area.path != path)
                        .values(path=path).execution_options(synchronize_session="fetch"))


def subtree_ids(session: Session, area_id: int) -> list[int]:
    path = session.execute(select(Area.path).where(Area.id == area_id)).scalar_one()
    return list(session.execute(select(Area.id).where(Area.path.startswith(path))).scalars())


def get_setting(session: Session, key: str, default: str = "") -> str:
    value = session.get(Setting, key)
    return value.value if value is not None else default


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


@write_operation
def rename_street(db, street_name: str, district_name: str | None = None) -> bool:
    """Rename the current street (used in report titles) and optionally its district.
    Administrators only; audited; returns whether anything changed."""
    from app.core.uow import UnitOfWork
    from app.errors import ValidationError
    from app.normalize import clean_text

    street_name = clean_text(street_name)
    if not street_name:
        raise ValidationError({"street": "街道名称不能为空"}, {"street": "街道名称"})
    if district_name is not None:
        district_name = clean_text(district_name)
        if not district_name:
            raise ValidationError({"district": "区县名称不能为空"}, {"district": "区县名称"})
    if len(street_name) > 100 or len(district_name or "") > 100:
        raise ValidationError({"street": "名称不能超过 100 个字"}, {"street": "街道名称"})
    with UnitOfWork(db) as uow:
        s = uow.session
        street = s.get(Area, db.street_id)
        uow.allow("settings", street.id)
        targets = [(street, street_name, "街道名称")]
        if district_name is not None and street.parent is not None:
            targets.append((street.parent, district_name, "区县名称"))
        for area, name, what in targets:
            if area.name != name:
                old = area.name
                area.name, area.updated_by, area.updated_at = name, db.actor, uow.stamp
                s.flush()
                uow.audit("update", "areas", area.id, f"{what}：{name}", {"name": (old, name)})
        return bool(uow.changes)


def district_name(db) -> str:
    with db.session() as s:
        street = s.get(Area, db.street_id)
        return street.parent.name if street.parent is not None else ""


@write_operation
def add_street(db, name: str, district_id: int | None = None) -> int:
    """Another street in the same district (one database for a whole district)."""
    from app.core.uow import UnitOfWork
    from app.errors import UserError
    from app.normalize import clean_text

    name = clean_text(name)
    if not name or len(name) > 100:
        raise UserError("街道名称不能为空，且不能超过 100 个字")
    with UnitOfWork(db) as uow:
        s = uow.session
        if district_id is None:
            district_id = s.get(Area, db.street_id).parent_id
        uow.allow("settings", district_id)
        district = s.get(Area, district_id)
        if s.execute(select(Area.id).where(Area.parent_id == district_id, Area.name == name,
                                           Area.deleted_at.is_(None))).first():
            raise UserError(f"{district.name}已有名为“{name}”的街道")
        street = Area(level="street", name=name, parent_id=district_id, created_by=db.actor,
                      updated_by=db.actor)
        s.add(street)
        s.flush()
        set_paths(s, [street.id])
        uow.audit("create", "areas", street.id, f"新增街道 {name}")
        return street.id


def streets_in_scope(db) -> list[tuple[int, str, str]]:
    """(id, name, path) of the streets the session can see: all of a district account's,
    else the one street it works in."""
    scope = db.scope_path
    with db.session() as s:
        rows = s.execute(select(Area.id, Area.name, Area.path)
                         .where(Area.level == "street", Area.deleted_at.is_(None))
                         .order_by(Area.id)).all()
    return [(i, n, p) for i, n, p in rows if p.startswith(scope) or scope.startswith(p)]
