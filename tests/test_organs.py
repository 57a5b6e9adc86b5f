"""Kinds of organ and their deadlines (条例第四十九条)."""

import datetime as dt

import pytest

from govinfo_xlsx.forms import organs


@pytest.mark.parametrize("agency, kind", [
    ("永康市行政服务中心", organs.DEPARTMENT),
    ("浙江省财政厅", organs.DEPARTMENT),
    ("某某县自然资源和规划局", organs.DEPARTMENT),
    ("某某县人民政府", organs.GOVERNMENT),
    ("某某市人民政府办公室", organs.GOVERNMENT),
    ("某某区政府", organs.GOVERNMENT),
    ("某某镇人民政府", organs.TOWNSHIP),
    ("某某街道办事处", organs.TOWNSHIP),
    ("某某乡", organs.TOWNSHIP),
    ("", None),
    ("某某", None),
])
def test_infer_kind(agency, kind):
    assert organs.infer_organ_kind(agency) == kind


def test_deadlines_follow_article_49():
    dep, gov = organs.deadline(organs.DEPARTMENT), organs.deadline(organs.GOVERNMENT)
    assert dep.date_for(2025) == dt.date(2026, 1, 31) and dep.statutory and dep.severity == "警告"
    assert gov.date_for(2025) == dt.date(2026, 3, 31) and gov.statutory and gov.basis == "条例第四十九条"
    for kind in (organs.TOWNSHIP, organs.AUTHORISED):
        d = organs.deadline(kind)
        assert d.date_for(2025) == dt.date(2026, 1, 31)
        assert not d.statutory and d.severity == "提示" and "四十九" not in d.basis
    assert organs.deadline(None) == dep
    assert gov.text() == "次年3月31日" and gov.text(2025) == "2026年3月31日"
    assert organs.ORGAN_KINDS == ("县级以上人民政府部门", "县级以上地方人民政府", "乡镇人民政府、街道办事处", "法律法规授权的组织")
