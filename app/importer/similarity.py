"""How alike a file's heading is to a field's label or alias, for headings no spec
declares: offices write 职权名称 for 事项名称, 权力代码 for 事项编码, 责任单位 for 承接科室.

A Chinese heading is a noun phrase whose last meaningful part says what the column
is (名称, 编码, 日期, 科室 …) and whose first part says whose or which (事项, 承接 …).
The score weighs both: the same kind of last part counts most, different last parts
count against, then the characters the rest of the two share. Generic: it uses only
each spec's labels and aliases, so every ledger to come gets it."""

from __future__ import annotations

import re
from functools import lru_cache

# Meaningful parts: words in one group name the same kind of column.
PART_GROUPS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "名字", "姓名"),
    "code": ("编码", "代码", "编号", "号码", "代号"),
    "date": ("日期", "时间", "年月日", "年月"),
    "unit": ("科室", "机构", "单位", "部门", "主体", "处室", "股室", "站所", "办公室", "机关"),
    "basis": ("依据", "法规", "条款", "法律"),
    "type": ("类型", "类别", "种类", "分类", "性质"),
    "mode": ("方式", "形式", "途径"),
    "status": ("状态", "情况"),
    "note": ("备注", "说明", "附注"),
    "phone": ("电话", "手机", "联系方式"),
    "person": ("负责人", "联系人", "书记", "主任", "经办人"),
    "duty": ("职责", "任务"),
    "sub": ("子项",),
    "order": ("排序", "顺序"),
}
_WORDS = sorted(((w, g) for g, ws in PART_GROUPS.items() for w in ws), key=lambda x: -len(x[0]))
_PART_RE = re.compile("|".join(re.escape(w) for w, _ in _WORDS))
_GROUP_OF = dict(_WORDS)
# A label starting with one of these names something from elsewhere (原实施部门: the
# department a power came from); a heading without it is less likely that field.
QUALIFIERS = ("原", "旧", "上级", "下放")
# Characters that carry no meaning of their own in a heading.
_FILLER = set("的及和与或/、()（）")

TAKE = 0.5  # at or above (the same last part), and clearly ahead: taken on the command line
PROPOSE = 0.45  # at or above: offered in the wizard and named in error messages
MARGIN = 0.12  # how far ahead the best must be to count as unambiguous


@lru_cache(maxsize=4096)  # a field's names are scored against every candidate heading
def parts(key: str) -> tuple[tuple[str, ...], str]:
    """(meaningful part groups in order, what remains) of a heading key."""
    groups = tuple(_GROUP_OF[m.group(0)] for m in _PART_RE.finditer(key))
    rest = "".join(ch for ch in _PART_RE.sub("", key) if ch not in _FILLER)
    return groups, rest


def _dice(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb))


def score(heading_key: str, name_key: str, label_key: str = "") -> float:
    """0 … about 1.2: how alike a heading is to one name of a field (both heading_key'd).
    label_key, the field's own label, lets a qualifier (原…) count against."""
    if not heading_key or not name_key:
        return 0.0
    if heading_key == name_key:
        return 1.2
    hg, hrest = parts(heading_key)
    ng, nrest = parts(name_key)
    s = 0.0
    if hg and ng:
        if hg[-1] == ng[-1]:
            s += 0.5
        elif set(hg) & set(ng):
            s += 0.15
        else:
            s -= 0.3  # 事项编码 is not 事项名称, however much else they share
    elif hg or ng:
        s -= 0.1
    s += 0.5 * _dice(hrest, nrest) if (hrest or nrest) else 0.25
    if nrest and hrest and (name_key in heading_key or heading_key in name_key):
        s += 0.2
    if label_key:
        for q in QUALIFIERS:
            if label_key.startswith(q) and q not in heading_key:
                s -= 0.2
                break
    return s
