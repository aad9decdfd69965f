"""The area tree: district → street → community → grid."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Area, Setting

DEFAULT_DISTRICT = "未设置区县"
DEFAULT_STREET = "未命名街道"


def ensure_street(session: Session, actor: str) -> int:
    """The street this database is about; created on first use of an empty database."""
    street_id = session.execute(
        select(Area.id).where(Area.level == "street", Area.deleted_at.is_(None)).order_by(Area.id)
    ).scalars().first()
    if street_id is not None:
        return street_id
    district = Area(level="district", name=DEFAULT_DISTRICT, created_by=actor, updated_by=actor)
    session.add(district)
    session.flush()
    district.path = f"/{district.id}/"
    street = Area(level="street", name=DEFAULT_STREET, parent=district,
                  created_by=actor, updated_by=actor)
    session.add(street)
    session.flush()
    street.path = f"{district.path}{street.id}/"
    session.flush()
    return street.id


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


def rename_street(db, street_name: str, district_name: str | None = None) -> None:
    """Rename the current street (used in report titles) and optionally its district."""
    from app.errors import ValidationError
    from app.models import now
    from app.normalize import clean_text

    street_name = clean_text(street_name)
    if not street_name:
        raise ValidationError({"street": "街道名称不能为空"}, {"street": "街道名称"})
    with db.session() as s:
        street = s.get(Area, db.street_id)
        targets = [(street, street_name)]
        if district_name is not None and street.parent is not None:
            district_name = clean_text(district_name)
            if not district_name:
                raise ValidationError({"district": "区县名称不能为空"}, {"district": "区县名称"})
            targets.append((street.parent, district_name))
        for area, name in targets:
            if area.name != name:
                area.name, area.updated_by, area.updated_at = name, db.actor, now()
        s.commit()


def district_name(db) -> str:
    with db.session() as s:
        street = s.get(Area, db.street_id)
        return street.parent.name if street.parent is not None else ""


def add_street(db, name: str, district_id: int | None = None) -> int:
    """Another street in the same district (one database for a whole district)."""
    from app.audit import record
    from app.auth import authorize
    from app.normalize import clean_text

    authorize(db, "users")
    name = clean_text(name)
    with db.session() as s:
        if district_id is None:
            district_id = s.get(Area, db.street_id).parent_id
        district = s.get(Area, district_id)
        if s.execute(select(Area.id).where(Area.parent_id == district_id, Area.name == name,
                                           Area.deleted_at.is_(None))).first():
            from app.errors import UserError

            raise UserError(f"{district.name}已有名为“{name}”的街道")
        street = Area(level="street", name=name, parent=district, created_by=db.actor,
                      updated_by=db.actor)
        s.add(street)
        s.flush()
        street.path = f"{district.path}{street.id}/"
        record(s, db.actor, "create", "areas", street.id, f"新增街道 {name}")
        s.commit()
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
