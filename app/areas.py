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
