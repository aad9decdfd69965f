"""Demo staffing data for the demo street: authorisations of the 9 functional bodies
(about 70 positions: the seed's 600+ positions moved down to 26 streets, plus each
street's own), about 120 people — some in 2–3 posts, community workers across the
3 posts' grades, certified social workers (a few lapsing) — and one body over strength
(综合行政执法办公室, 参公事业编制)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.core.uow import UnitOfWork
from app.core.writes import insert_rows
from app.ids import id_check_char
from app.models import PostAssignment
from app.services import clean_values
from app.specs.staff import STAFF
from app.specs.staffing import AUTHORISATIONS
from app.staffing import CERT_LEVELS, GRADE_RANGES

# body → [(编制类型, 核定数, 正职, 副职)]
AUTHORISED = {
    "党政综合办公室": [("行政编制", 8, 1, 2), ("工勤编制", 2, 0, 0)],
    "党建工作办公室": [("行政编制", 6, 1, 1)],
    "经济发展办公室": [("行政编制", 5, 1, 1)],
    "社会事务办公室": [("行政编制", 6, 1, 1), ("事业编制", 3, 0, 0)],
    "社区治理办公室": [("行政编制", 6, 1, 1)],
    "平安法治办公室": [("行政编制", 5, 1, 1), ("政法专项编制", 3, 0, 1)],
    "综合行政执法办公室": [("行政编制", 4, 1, 1), ("参公事业编制", 6, 0, 1)],
    "便民服务中心": [("事业编制", 8, 1, 1)],
    "综合保障中心": [("事业编制", 7, 1, 1), ("工勤编制", 2, 0, 0)],
}
OVER = ("综合行政执法办公室", "参公事业编制")  # one person more than authorised
LEADERS_OVER = ("社区治理办公室", "行政编制")  # one 副职 more than the leader posts allow
CATEGORY_OF = {"行政编制": "公务员", "政法专项编制": "公务员", "参公事业编制": "参公",
               "事业编制": "事业", "工勤编制": "机关工勤"}
POSTS = {
    "党政综合办公室": ["文秘", "督查督办", "机要保密", "会务接待", "档案管理"],
    "党建工作办公室": ["组织员", "党员教育管理", "宣传统战", "群团工作"],
    "经济发展办公室": ["企业服务专员", "统计员", "楼宇经济专员"],
    "社会事务办公室": ["社会救助", "养老服务", "残联专干", "退役军人服务"],
    "社区治理办公室": ["社区建设", "网格管理", "物业监督", "小区治理指导"],
    "平安法治办公室": ["综治专干", "人民调解员", "信访接待", "法治宣传"],
    "综合行政执法办公室": ["执法队员", "法制审核", "案件办理"],
    "便民服务中心": ["综合窗口", "帮办代办", "社保窗口", "民政窗口"],
    "综合保障中心": ["应急管理", "安全生产监管", "环境卫生", "设施维护"],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢傅钟"
GIVEN_M = ["伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "俊", "波", "辉", "刚", "健",
           "志强", "建华", "国庆", "文博", "浩然", "宇航", "子豪", "春林", "永红", "德明"]
GIVEN_F = ["芳", "娟", "敏", "静", "丽", "艳", "霞", "玲", "燕", "婷", "琳", "雪", "倩", "洁", "颖",
           "秀英", "桂兰", "晓梅", "雨涵", "思琪", "丽娟", "春燕", "海燕", "玉兰", "欣怡"]
AREA_CODES = ("510502", "510503", "510504", "510521", "510522")
# 纳溪区 and 龙马潭区 came into use in 1995: a few numbers of people born earlier carry them
# (issued after the districts were created), and the 核查 list warns of those.
LATER = {"510503": 1995, "510504": 1995}
POLITICAL_W = [("中国共产党党员", 55), ("中国共产党预备党员", 3), ("中国共产主义青年团团员", 8),
               ("中国民主同盟盟员", 2), ("九三学社社员", 1), ("群众", 31)]
EDUCATION_W = [("硕士研究生毕业", 8), ("大学本科毕业", 55), ("大学专科毕业", 27),
               ("中等专科毕业", 5), ("普通高中毕业", 5)]
ETHNIC_W = [("汉族", 92), ("回族", 2), ("彝族", 2), ("苗族", 2), ("土家族", 1), ("羌族", 1)]


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


class _People:
    """Distinct names and ID numbers, drawn from one seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng, self.names, self.ids = rng, set(), set()

    def person(self, born_from: int, born_to: int) -> dict:
        rng = self.rng
        male = rng.random() < 0.55
        while True:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN_M if male else GIVEN_F)
            if name not in self.names:
                break
            name += rng.choice(GIVEN_M if male else GIVEN_F)[:1]
            if name not in self.names:
                break
        self.names.add(name)
        while True:
            born = date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
            seq = rng.randrange(100, 999)
            if seq % 2 != male:
                seq += 1
            code = rng.choice(AREA_CODES)
            if code in LATER and born.year < LATER[code] and seq % 8:
                code = "510502"  # most born before 1995 carry the older district's code
            body = f"{code}{born:%Y%m%d}{seq:03d}"
            idn = body + id_check_char(body)
            if idn not in self.ids:
                break
        self.ids.add(idn)
        work = date(min(born.year + rng.randint(19, 24), 2025), rng.randint(1, 12), 1)
        return {
            "name": name, "id_number": idn, "ethnicity": _pick(rng, ETHNIC_W),
            "political": _pick(rng, POLITICAL_W), "education": _pick(rng, EDUCATION_W),
            "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}", "work_start": work,
            "status": rng.choices(["在岗", "借调", "挂职", "长病假"], [88, 5, 5, 2])[0],
        }


def _certificate(rng, today: date, lapsing: bool) -> dict:
    if lapsing:  # the registration runs out within the next 90 days
        registered = date(today.year - 3, today.month, 1) + timedelta(days=rng.randint(20, 80))
    else:
        registered = today - timedelta(days=rng.randint(60, 900))
    got = registered - timedelta(days=rng.randint(30, 400))
    return {"cert_level": rng.choices(CERT_LEVELS, [60, 35, 5])[0],
            "cert_number": f"{got.year}0{rng.randrange(10**7):07d}",
            "cert_date": got, "cert_registered": registered}


def staffing_rows(body_ids: dict[str, int], today: date, seed: int = 20231206
                  ) -> tuple[list[dict], list[dict]]:
    """(authorisations, people) as a clerk would type them (bodies by id)."""
    rng = random.Random(seed)
    people = _People(rng)
    auths, staff = [], []
    names = list(POSTS)
    for body, rows in AUTHORISED.items():
        for est, n, chief, deputy in rows:
            auths.append({"body_id": body_ids[body], "est_type": est, "authorised": n,
                          "leader_chief": chief or None, "leader_deputy": deputy or None,
                          "approval_no": f"江编发〔2021〕{rng.randint(10, 60)}号",
                          "approval_date": date(2021, 6, 18), "effective_date": date(2021, 7, 1)})
            filled = n + 1 if (body, est) == OVER else max(n - rng.choice([0, 0, 1, 1, 2]), 1)
            for k in range(filled):
                p = people.person(1966, 1998)
                work = body if rng.random() > 0.15 else rng.choice(names)  # 下沉/借调 elsewhere
                deputies = deputy + ((body, est) == LEADERS_OVER)
                rank = "正职" if k < chief else "副职" if k < chief + deputies else "无"
                posts = [{"body_id": None, "post_name": rng.choice(POSTS[work]),
                          "is_primary": True}]
                for other in rng.sample(names, 2)[: rng.choices([0, 1, 2], [70, 22, 8])[0]]:
                    post = rng.choice(POSTS[other])
                    if other != work or post != posts[0]["post_name"]:
                        posts.append({"body_id": body_ids[other], "post_name": post,
                                      "is_primary": False})
                p.update(category=CATEGORY_OF[est], est_type=est, est_body_id=body_ids[body],
                         work_body_id=body_ids[work], leader_rank=rank, posts=posts)
                if rng.random() < 0.12:
                    p.update(_certificate(rng, today, lapsing=rng.random() < 0.3))
                staff.append(p)
    # Community workers (社区两委 and 专职社工): no 编制, graded on the 3 posts' scale.
    for k in range(30):
        p = people.person(1972, 2000)
        post = "正职" if k < 6 else "副职" if k < 16 else "其他"
        lo, hi = GRADE_RANGES[post]
        graded = date(rng.randint(2019, today.year - 1), rng.randint(1, 12), 1)
        p.update(category="社区工作者", est_type="无编制", work_body_id=body_ids["社区治理办公室"],
                 leader_rank="无", cw_post=post, cw_grade=rng.randint(lo, hi), cw_graded=graded,
                 posts=[{"body_id": None, "post_name": {"正职": "社区党组织书记",
                                                         "副职": "社区居委会副主任",
                                                         "其他": "社区专职工作者"}[post],
                         "is_primary": True}])
        if k in (3, 17, 25) or rng.random() < 0.55:
            p.update(_certificate(rng, today, lapsing=k in (3, 17, 25)))
        staff.append(p)
    for category, n, body, post in (("专职网格员", 12, "社区治理办公室", "专职网格员"),
                                    ("编外聘用", 6, "便民服务中心", "综合窗口"),
                                    ("公益性岗位", 4, "综合保障中心", "环境卫生")):
        for _ in range(n):
            p = people.person(1970, 2001)
            p.update(category=category, est_type="无编制", work_body_id=body_ids[body],
                     leader_rank="无", posts=[{"body_id": None, "post_name": post,
                                              "is_primary": True}])
            staff.append(p)
    # One whose 编制类型 the body has no authorisation for (shown as 编制未核定).
    p = people.person(1980, 1990)
    p.update(category="事业", est_type="事业编制", est_body_id=body_ids["社区治理办公室"],
             work_body_id=body_ids["社区治理办公室"], leader_rank="无",
             posts=[{"body_id": None, "post_name": "小区治理指导", "is_primary": True}])
    staff.append(p)
    # Two who left (not counted as 实有 any more).
    for status in ("调出", "退休"):
        p = people.person(1960, 1975)
        p.update(category="公务员", est_type="行政编制", est_body_id=body_ids["经济发展办公室"],
                 work_body_id=body_ids["经济发展办公室"], leader_rank="无", status=status,
                 posts=[])
        staff.append(p)
    return auths, staff


def load_staffing_demo(uow: UnitOfWork, body_ids: dict[str, int], *, note: str,
                       today: date | None = None) -> dict[str, int]:
    """Insert the demo authorisations and people inside the demo's unit of work."""
    db, s = uow.db, uow.session
    auths, staff = staffing_rows(body_ids, today or date.today())
    a_ids = insert_rows(uow, AUTHORISATIONS, [clean_values(db, AUTHORISATIONS, r, s)
                                              for r in auths], note=note)
    posts = [r.pop("posts") for r in staff]
    p_ids = insert_rows(uow, STAFF, [clean_values(db, STAFF, r, s) for r in staff], note=note)
    # The posts are part of each new person's first version (audited with it above), as
    # the powers demo writes its case counts; their bodies are this unit's new rows.
    s.execute(PostAssignment.__table__.insert(), [
        {"person_id": pid, "start_date": None, "end_date": None, "duties": "", **post}
        for pid, items in zip(p_ids, posts, strict=True) for post in items])
    return {"authorisations": len(a_ids), "staff": len(p_ids)}
