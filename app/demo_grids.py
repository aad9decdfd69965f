"""Demo grid rosters: every community's grids with their grid workers (in the seed's 1–2
full-time workers per grid, with a few grids that break the rule), and one community
(白塔社区) recorded down to estates, buildings with their 楼栋长 and key persons with
visits — with a few rows for every check to find. Deterministic for a given year."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.core.uow import UnitOfWork
from app.core.writes import insert_rows
from app.ids import credit_check_char, id_check_char
from app.services import clean_values
from app.specs.estates import BUILDINGS, ESTATES
from app.specs.grids import DUTIES, GRID_WORKERS, GRIDS
from app.specs.households import HOUSEHOLDS, RESIDENTS
from app.specs.key_persons import CATEGORIES, KEY_PERSONS

NUMERALS = "一二三四五六七八九十"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀英", "华", "慧", "建华", "玉兰", "志强", "海燕", "红梅", "国庆", "晓东", "文军",
         "春梅", "建国", "淑珍", "德明", "桂芳", "小红", "永刚"]
ROADS = ["白塔路", "酒城大道", "滨江路", "江阳中路", "大山坪路", "钟鼓楼街", "会津路", "蓝田街",
         "凝光路", "水井沟街", "管驿嘴路", "报恩塔街"]
# The fully recorded community's estates: (name, kind, management, buildings).
ESTATE_ROWS = [
    ("白塔花园", "成形物业小区", "物业企业", 8),
    ("江城丽景", "成形物业小区", "物业企业", 6),
    ("税务局宿舍", "单位宿舍", "自管委", 3),
    ("白塔街散居院落", "散居楼栋院落", "社区托管", 4),
    ("南苑小区", "老旧自管小区", "自管委", 5),
    ("锦绣华庭", "成形物业小区", "物业企业", 10),
    ("天福苑", "老旧自管小区", "业委会", 4),
    ("老街院落", "散居楼栋院落", "无", 3),
]
PROPERTY_COMPANIES = ["泸州红城物业服务有限公司", "四川酒城物业管理有限公司", "泸州江阳安居物业有限公司"]


class _People:
    """Distinct names, ID numbers and mobile numbers, reproducible from one seed."""

    def __init__(self, rng: random.Random):
        self.rng, self.names, self.ids, self.n = rng, set(), set(), 0

    def name(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if name not in self.names:
                self.names.add(name)
                return name

    def id_number(self, born: int, female: bool) -> str:
        while True:
            self.n += 1
            seq = f"{self.n % 100:02d}{(0 if female else 1) + 2 * self.rng.randrange(5)}"
            body = f"510502{born}{self.rng.randrange(1, 13):02d}{self.rng.randrange(1, 29):02d}{seq}"
            if body not in self.ids:
                self.ids.add(body)
                return body + id_check_char(body)

    def phone(self) -> str:
        return f"1{self.rng.choice('35789')}{self.rng.randrange(10**9):09d}"


def _grid_rows(communities, rng) -> list[dict]:
    rows = []
    for i, (cid, cname, _code) in enumerate(communities):
        for k in range(3 + i % 3):
            road = ROADS[(i + k) % len(ROADS)]
            rows.append({"parent_id": cid, "name": f"{cname}第{NUMERALS[k]}网格",
                         "grid_kind": "综合网格", "sort_order": k + 1,
                         "boundary": f"东至{road}{k * 20 + 1}号，西至{ROADS[(i + k + 3) % 12]}，"
                                     f"南至{ROADS[(i + k + 5) % 12]}，北至{ROADS[(i + k + 7) % 12]}",
                         "households": None if i == 0 else rng.randrange(380, 900)})
        if cname in ("报恩塔社区", "会津门社区"):  # the seed's business-district and school grids
            subkind = "商圈楼宇" if cname == "报恩塔社区" else "学校"
            rows.append({"parent_id": cid, "name": f"{cname}{subkind}专属网格",
                         "grid_kind": "专属网格", "grid_subkind": subkind, "sort_order": 9,
                         "boundary": f"{cname}辖区{subkind}", "households": rng.randrange(20, 80)})
    for r in rows:
        hh = r.get("households")
        r["residents"] = int(hh * rng.uniform(2.4, 2.9)) if hh else None
        r["party_org"] = f"{r['name']}党支部" if rng.random() < 0.85 else ""
    return rows


def _worker_rows(grids: list[tuple[int, str]], people: _People, rng, today: date) -> list[dict]:
    rows = []

    def worker(grid_ids, employment="专职", role="网格员", status="在岗"):
        female = rng.random() < 0.6
        rows.append({
            "name": people.name(), "gender": "女" if female else "男",
            "id_number": people.id_number(rng.randrange(1972, 2000), female),
            "phone": people.phone(), "employment": employment, "role": role,
            "grids": [{"grid_id": g, "is_primary": n == 0} for n, g in enumerate(grid_ids)],
            "duties": "、".join(DUTIES[:6] if employment == "专职" else DUTIES[1:3]),
            "start_date": today - timedelta(days=rng.randrange(90, 2500)), "status": status,
        })

    for n, (gid, _name) in enumerate(grids):
        if n == 5:
            worker([gid], status="离岗")  # left: the grid is without a full-time worker
            continue
        count = 3 if n == 12 else (2 if rng.random() < 0.45 else 1)
        for k in range(count):
            worker([gid], role="网格长" if k == 0 and n % 4 == 0 else "网格员")
        if n % 3 == 0 and n + 1 < len(grids):  # a part-time micro-grid worker for two grids
            worker([gid, grids[n + 1][0]], employment="兼职", role="微网格员")
    worker([grids[0][0], grids[1][0]], role="网格指导员", employment="兼职")
    return rows


def _estate_rows(grids: list[tuple[int, str]], rng) -> list[dict]:
    rows = []
    for n, (name, kind, management, _b) in enumerate(ESTATE_ROWS):
        gid = grids[n % len(grids)][0]
        company = PROPERTY_COMPANIES[n % 3] if management == "物业企业" else ""
        body = f"91510502MA6{n:02d}{rng.randrange(10**5):05d}"[:17]
        party = "" if name in ("老街院落", "天福苑") else ("党支部" if n % 3 else "联合党支部")
        rows.append({
            "area_id": gid, "name": name, "address": f"{ROADS[n]}{10 + n * 7}号",
            "year_built": rng.randrange(1985, 2019), "kind": kind, "management": management,
            "property_company": company,
            "property_code": body + credit_check_char(body) if company else "",
            "red_stars": rng.randrange(3, 6) if company else None,
            "committee": f"{name}业主委员会" if management in ("物业企业", "业委会") else
            (f"{name}自管委" if management == "自管委" else ""),
            "party_org_kind": party, "party_org_name": f"{name}{party}" if party else "",
            "party_secretary": "", "party_members": rng.randrange(8, 60) if party else None,
            "shared_space": n % 3 == 0,
        })
    return rows


def _building_rows(estates: list[tuple[int, int, str]], people: _People, rng) -> list[dict]:
    rows = []
    for n, (eid, gid, name) in enumerate(estates):
        count = next(b for e, _k, _m, b in ESTATE_ROWS if e == name)
        for k in range(count):
            hh = rng.randrange(24, 120)
            headless = (n, k) in ((0, 6), (4, 2), (5, 9))  # buildings still without a head
            rows.append({
                "area_id": gid, "estate_id": eid, "number": f"{k + 1}栋",
                "units": rng.randrange(1, 5), "floors": rng.randrange(5, 33) if n in (0, 1, 5)
                else rng.randrange(4, 8), "lift": n in (0, 1, 5), "households": hh,
                "residents": int(hh * rng.uniform(2.2, 3.0)),
                "head_name": "" if headless else people.name(),
                "head_phone": "" if headless else people.phone(),
                "head_party": None if headless else rng.random() < 0.6,
                "teams": f"党组织：{people.name()}；业委会或自管委：{people.name()}；"
                         f"物业服务：{people.name()}",
            })
    return rows


def _household_rows(buildings: list[dict], people: _People, rng) -> tuple[list, list]:
    """One building recorded household by household (税务局宿舍 1栋): as many households as
    typed on it, their residents one by one — whose count differs from the number typed
    on the building, for the check to find."""
    b = next(r for r in buildings if r["number"] == "1栋" and r["estate_id"] == _DORM[0])
    homes, residents = [], []
    for k in range(b["households"]):
        door = f"{k // 6 + 1}-{k % 6 + 1:02d}"
        members = rng.choice((1, 2, 2, 3, 3, 4))
        head = people.name()
        homes.append({"area_id": b["area_id"], "estate_id": b["estate_id"], "building": "1栋",
                      "door": door, "head_name": head, "members": members,
                      "phone": people.phone()})
        for m in range(members):
            female = rng.random() < 0.5
            name = head if m == 0 else people.name()
            residents.append({"area_id": b["area_id"], "estate_id": b["estate_id"],
                              "building": "1栋", "door": door, "name": name,
                              "id_number": people.id_number(rng.randrange(1940, 2015), female),
                              "gender": "女" if female else "男",
                              "relation": ("本人", "配偶", "子女", "子女")[m]})
    return homes, residents


_DORM = [None]  # the estate id of 税务局宿舍, set when the estates are in


def _person_rows(buildings: list[dict], grid_staff: dict[int, list[str]], people: _People,
                 rng, today: date) -> list[dict]:
    rows = []
    for n in range(36):
        b = buildings[rng.randrange(len(buildings))]
        cats = rng.sample(CATEGORIES, 1 if rng.random() < 0.7 else 2)
        female = rng.random() < 0.5
        elderly = any(c in ("独居老人", "空巢老人") for c in cats)
        risk = rng.choices(("红", "橙", "黄", "绿"), (1, 2, 3, 5))[0]
        staff = grid_staff.get(b["area_id"]) or ["社区民警"]
        interval = {"红": 7, "橙": 15, "黄": 30, "绿": 90}[risk]
        visits = []
        last = today - timedelta(days=rng.randrange(1, interval + (interval if n % 5 == 0 else 0)))
        for k in range(rng.randrange(1, 4)):
            visits.append({"day": (last - timedelta(days=k * interval)).isoformat(),
                           "visitor": staff[0], "note": "入户走访，情况稳定" if k else "入户走访"})
        rows.append({
            "area_id": b["area_id"], "name": people.name(), "gender": "女" if female else "男",
            "id_number": people.id_number(rng.randrange(1935, 1956) if elderly
                                          else rng.randrange(1960, 2008), female),
            "phone": people.phone(), "estate_id": b["estate_id"], "building": b["number"],
            "room": f"{rng.randrange(1, 4)}-{rng.randrange(2, 20)}0{rng.randrange(1, 5)}",
            "categories": "、".join(cats), "risk_level": risk,
            "controller": "" if n in (3, 17) else staff[0], "helper": staff[-1],
            "listed_date": today - timedelta(days=rng.randrange(100, 1500)),
            "visits": [] if n == 8 else visits,
        })
    return rows


def load_grids_demo(uow: UnitOfWork, communities: list[tuple[int, str, str]],
                    year: int, note: str) -> dict[str, int]:
    """Insert the demo grid rosters under `communities` [(id, name, code)] in `uow`."""
    db, s = uow.db, uow.session
    rng = random.Random(year * 7 + 12)
    today = date.today()
    people = _People(rng)

    def clean(spec, rows):
        return [clean_values(db, spec, r, s) for r in rows]

    grid_rows = _grid_rows(communities, rng)
    for r in grid_rows:
        r["contact"], r["phone"] = people.name(), people.phone()
    grid_ids = insert_rows(uow, GRIDS, clean(GRIDS, grid_rows), note=note)
    grids = [(i, r["name"]) for i, r in zip(grid_ids, grid_rows, strict=True)]
    workers = _worker_rows(grids, people, rng, today)
    insert_rows(uow, GRID_WORKERS, clean(GRID_WORKERS, workers), note=note)
    staff: dict[int, list[str]] = {}
    for w in workers:
        if w["status"] == "在岗":
            staff.setdefault(w["grids"][0]["grid_id"], []).append(w["name"])

    first = [g for g, r in zip(grids, grid_rows, strict=True) if r["parent_id"] == communities[0][0]]
    estate_rows = _estate_rows(first, rng)
    for r in estate_rows:
        if r["party_org_kind"]:
            r["party_secretary"] = people.name()
    estate_ids = insert_rows(uow, ESTATES, clean(ESTATES, estate_rows), note=note)
    estates = [(i, r["area_id"], r["name"]) for i, r in zip(estate_ids, estate_rows, strict=True)]
    _DORM[0] = next(i for i, _g, name in estates if name == "税务局宿舍")
    building_rows = _building_rows(estates, people, rng)
    insert_rows(uow, BUILDINGS, clean(BUILDINGS, building_rows), note=note)
    person_rows = _person_rows(building_rows, staff, people, rng, today)
    insert_rows(uow, KEY_PERSONS, clean(KEY_PERSONS, person_rows), note=note)
    # Drawn last, so the rows above stay what they were before households were recorded.
    homes, people_rows = _household_rows(building_rows, people, rng)
    insert_rows(uow, HOUSEHOLDS, clean(HOUSEHOLDS, homes), note=note)
    insert_rows(uow, RESIDENTS, clean(RESIDENTS, people_rows), note=note)
    return {"grids": len(grid_ids), "grid_workers": len(workers), "estates": len(estate_ids),
            "buildings": len(building_rows), "key_persons": len(person_rows),
            "households": len(homes), "residents": len(people_rows)}


# What a demo reset moves to the recycle bin, rows below before the areas they hang on.
GRID_SPECS = (RESIDENTS, HOUSEHOLDS, KEY_PERSONS, BUILDINGS, ESTATES, GRID_WORKERS, GRIDS)
