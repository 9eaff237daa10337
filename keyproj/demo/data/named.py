"""Every project the seed names (its section 一、), with the state the seed gives it.

Each row: (name, category, district, the seed's words for its state, planned start,
planned completion, total investment in 万元, responsible unit, owner, kind of works,
level, area command or "", location).

The names, categories and states come from the seed; districts, dates, amounts, units and
owners are plausible demo values, not official figures. Kinds of works choose the
progress sentences, the specialty an agent builder needs and the industry digits of the
project code (see keyproj.demo.data.words.WORKS).
"""

# The tables below are read row by row, one project to a row: kept as written.
# fmt: off
from __future__ import annotations

from typing import NamedTuple


class NamedProject(NamedTuple):
    """One row of NAMED_PROJECTS, by field."""

    name: str
    category: str
    district: str
    phrase: str
    start: str
    completion: str
    total_investment: int
    responsible_unit: str
    owner: str
    works: str
    level: str
    area_command: str
    location: str


# The seed's words for a project's state → projects.Stage code.
PHRASE_STAGES: dict[str, str] = {
    "年底前开工": "preparation",
    "已开工": "construction",
    "相继开工": "construction",
    "加快推进": "construction",
    "全线铺开": "construction",
    "加速推进": "construction",
    "快速推进": "construction",
    "全面拉开": "construction",
    "初步形成": "construction",
    "再提速": "construction",
    "即将竣工": "construction",
    "进入工程收尾": "construction",
    "即将投用": "construction",
    "竣工": "completed",
    "建成投用": "in_use",
}

# States that mean "finishing this year": completion planned for late 2019, progress 收尾.
FINISHING = frozenset({"即将竣工", "进入工程收尾", "即将投用"})
# States that mean "construction began this year".
STARTED_THIS_YEAR = frozenset({"已开工", "相继开工"})

NAMED_PROJECTS: tuple[tuple[str, str, str, str, str, str, int, str, str, str, str, str, str], ...] = (
    # 一是产业项目加快落地建设。
    ("中航锂电科技有限公司动力锂电池生产线一期", "industry", "翔安区", "年底前开工", "2019-12", "2021-12",
     1200000, "火炬管委会", "中航锂电（厦门）科技有限公司", "factory", "provincial_major", "", "火炬（翔安）产业区"),
    ("厦钨新能源车用动力锂离子正极材料产业化项目", "industry", "海沧区", "已开工", "2019-04", "2021-06",
     168000, "市工信局", "厦门厦钨新能源材料有限公司", "factory", "city_key", "", "海沧区新阳工业区"),
    ("趣店科技金融创新园", "industry", "思明区", "已开工", "2019-06", "2022-12",
     360000, "市商务局", "厦门趣店科技有限公司", "office", "city_key", "", "思明区观音山商务区"),
    ("通富微电子项目", "industry", "海沧区", "加快推进", "2018-09", "2020-12",
     700000, "市工信局", "厦门通富微电子有限公司", "factory", "provincial_major", "", "海沧区信息消费产业园"),
    ("士兰半导体芯片制造生产线", "industry", "海沧区", "加快推进", "2018-03", "2020-12",
     1700000, "市工信局", "厦门士兰集科微电子有限公司", "factory", "provincial_major", "", "海沧区东孚"),
    ("金牌橱柜四期", "industry", "集美区", "加快推进", "2018-06", "2020-06",
     60000, "市工信局", "金牌厨柜家居科技股份有限公司", "factory", "city_key", "", "集美区灌口"),
    ("宸鸿科技手机触控项目", "industry", "翔安区", "即将竣工", "2017-10", "2019-11",
     380000, "火炬管委会", "宸鸿科技（厦门）有限公司", "factory", "city_key", "", "火炬（翔安）产业区"),
    ("盈趣科技创新产业园", "industry", "海沧区", "即将竣工", "2017-12", "2019-12",
     150000, "市工信局", "厦门盈趣科技股份有限公司", "factory", "city_key", "", "海沧区新阳"),
    ("尚柏奥特莱斯", "industry", "集美区", "即将竣工", "2017-06", "2019-10",
     250000, "市商务局", "厦门尚柏奥特莱斯商业管理有限公司", "office", "city_key", "", "集美区杏林湾"),
    ("嘉晟供应链物流园", "industry", "海沧区", "建成投用", "2016-10", "2019-03",
     120000, "市商务局", "厦门嘉晟供应链股份有限公司", "warehouse", "city_key", "", "海沧港区"),
    ("紫光科技园C地块", "industry", "集美区", "建成投用", "2016-08", "2018-12",
     200000, "火炬管委会", "紫光（厦门）科技园发展有限公司", "office", "city_key", "", "集美区软件园三期"),
    ("美日丰创光罩项目", "industry", "翔安区", "建成投用", "2017-05", "2019-04",
     120000, "火炬管委会", "厦门美日丰创光罩有限公司", "factory", "city_key", "", "火炬（翔安）产业区"),
    ("ABB工业中心", "industry", "翔安区", "建成投用", "2016-06", "2018-10",
     200000, "火炬管委会", "ABB（厦门）工业中心有限公司", "factory", "city_key", "", "火炬（翔安）产业区"),
    # 二是社会事业项目稳步推进。
    ("厦门实验小学翔安校区", "social", "翔安区", "相继开工", "2019-03", "2021-08",
     60000, "市教育局", "市教育局", "school", "city_key", "", "翔安区新店"),
    ("双十中学翔安校区", "social", "翔安区", "相继开工", "2019-04", "2021-08",
     90000, "市教育局", "市教育局", "school", "city_key", "", "翔安区马巷"),
    ("林边公寓", "social", "湖里区", "相继开工", "2019-05", "2021-12",
     150000, "市住房局", "厦门安居集团有限公司", "housing", "city_key", "", "湖里区林边"),
    ("两岸金融中心金融人才租赁房", "social", "思明区", "相继开工", "2019-06", "2022-06",
     120000, "市住房局", "厦门安居集团有限公司", "housing", "city_key", "", "思明区两岸金融中心片区"),
    ("新阳西中学", "social", "海沧区", "相继开工", "2019-02", "2020-12",
     35000, "市教育局", "海沧区建设与交通局", "school", "city_key", "", "海沧区新阳"),
    ("新店保障房地铁社区一期", "social", "翔安区", "进入工程收尾", "2017-06", "2019-12",
     400000, "市住房局", "厦门轨道交通集团有限公司", "housing", "city_key", "", "翔安区新店"),
    ("祥平保障房地铁社区一期", "social", "同安区", "进入工程收尾", "2017-06", "2019-11",
     300000, "市住房局", "厦门轨道交通集团有限公司", "housing", "city_key", "", "同安区祥平"),
    ("马銮湾保障房地铁社区一期", "social", "海沧区", "进入工程收尾", "2017-08", "2019-12",
     350000, "市住房局", "厦门轨道交通集团有限公司", "housing", "city_key", "马銮湾新城指挥部", "海沧区马銮湾"),
    ("园博公寓", "social", "集美区", "进入工程收尾", "2017-03", "2019-10",
     200000, "市住房局", "厦门安居集团有限公司", "housing", "city_key", "", "集美区园博苑"),
    ("珩崎公寓", "social", "海沧区", "进入工程收尾", "2017-05", "2019-11",
     150000, "市住房局", "厦门安居集团有限公司", "housing", "city_key", "", "海沧区珩崎"),
    ("厦门五缘实验学校改扩建", "social", "湖里区", "进入工程收尾", "2018-03", "2019-10",
     25000, "市教育局", "市教育局", "school", "city_key", "", "湖里区五缘湾"),
    ("马銮湾医院", "social", "海沧区", "加快推进", "2018-06", "2021-06",
     220000, "市卫健委", "市卫健委", "hospital", "city_key", "马銮湾新城指挥部", "海沧区马銮湾"),
    ("环东海域医院", "social", "同安区", "加快推进", "2018-04", "2021-03",
     250000, "市卫健委", "市卫健委", "hospital", "city_key", "环东海域新城指挥部", "同安区环东海域新城"),
    ("弘爱妇产医院", "social", "湖里区", "加快推进", "2018-08", "2020-12",
     80000, "市卫健委", "厦门弘爱医院有限公司", "hospital", "city_key", "", "湖里区枋湖"),
    ("厦门大学翔安校区", "social", "翔安区", "竣工", "2015-10", "2019-06",
     450000, "市教育局", "厦门大学", "school", "city_key", "", "翔安区新店"),
    ("后田小学", "social", "集美区", "竣工", "2017-09", "2019-06",
     18000, "市教育局", "集美区建设与交通局", "school", "city_key", "", "集美区后田"),
    ("华铃花园三期社会保障性安居工程", "social", "湖里区", "竣工", "2016-12", "2019-05",
     90000, "市住房局", "厦门安居集团有限公司", "housing", "city_key", "", "湖里区金山"),
    ("东方新城二期社会保障性安居工程", "social", "同安区", "竣工", "2016-09", "2019-07",
     110000, "市住房局", "厦门安居集团有限公司", "housing", "city_key", "", "同安区西柯"),
    ("翔安医院", "social", "翔安区", "建成投用", "2016-03", "2019-02",
     400000, "市卫健委", "市卫健委", "hospital", "city_key", "", "翔安区翔安东路"),
    ("厦门心脏中心", "social", "湖里区", "建成投用", "2015-12", "2018-12",
     150000, "市卫健委", "市卫健委", "hospital", "city_key", "", "湖里区金山"),
    # 三是城乡基础设施逐步完善。
    ("新建福州至厦门铁路客运专线厦门段", "infrastructure", "同安区", "全线铺开", "2017-09", "2022-06",
     1100000, "市交通局", "福厦铁路有限责任公司", "rail", "provincial_major", "", "同安区、翔安区、集美区"),
    ("第二东通道工程", "infrastructure", "翔安区", "全线铺开", "2018-12", "2023-06",
     1600000, "市交通局", "厦门路桥建设集团有限公司", "tunnel", "provincial_major", "", "湖里区五通至翔安区"),
    ("环东海域滨海旅游浪漫线二期", "infrastructure", "翔安区", "加快推进", "2018-07", "2020-06",
     220000, "市市政园林局", "厦门市政集团有限公司", "landscape", "city_key", "环东海域新城指挥部", "翔安区滨海岸线"),
    ("海沧疏港通道工程", "infrastructure", "海沧区", "加快推进", "2017-12", "2020-12",
     500000, "市交通局", "厦门路桥建设集团有限公司", "road", "city_key", "", "海沧港区"),
    ("第二西通道工程", "infrastructure", "海沧区", "加快推进", "2018-06", "2022-12",
     1900000, "市交通局", "厦门路桥建设集团有限公司", "tunnel", "provincial_major", "", "海沧区至湖里区"),
    ("海新路与翁角路立交工程", "infrastructure", "海沧区", "进入工程收尾", "2017-10", "2019-10",
     90000, "市交通局", "海沧区建设与交通局", "bridge", "city_key", "", "海沧区海新路"),
    ("同安大道（同南公路-同安东路段）", "infrastructure", "同安区", "进入工程收尾", "2017-06", "2019-11",
     160000, "市交通局", "同安区建设与交通局", "road", "city_key", "", "同安区"),
    ("环岛路（长尾礁至五通段）岸线整治和沙滩修复", "infrastructure", "思明区", "进入工程收尾", "2018-05", "2019-10",
     45000, "市市政园林局", "思明区建设与交通局", "landscape", "city_key", "", "思明区、湖里区环岛路"),
    ("厦门健康步道", "infrastructure", "思明区", "进入工程收尾", "2017-12", "2019-12",
     70000, "市市政园林局", "厦门市政集团有限公司", "landscape", "city_key", "", "思明区、湖里区"),
    ("轨道交通2号线一期工程", "infrastructure", "思明区", "即将投用", "2014-12", "2019-12",
     2510000, "市交通局", "厦门轨道交通集团有限公司", "rail", "provincial_major", "", "海沧区、思明区、湖里区"),
    ("轨道交通3号线工程", "infrastructure", "湖里区", "加速推进", "2016-07", "2021-06",
     2750000, "市交通局", "厦门轨道交通集团有限公司", "rail", "provincial_major", "", "思明区、湖里区、翔安区"),
    ("轨道交通4号线工程", "infrastructure", "翔安区", "加速推进", "2018-05", "2023-12",
     2350000, "市交通局", "厦门轨道交通集团有限公司", "rail", "provincial_major", "", "集美区、同安区、翔安区"),
    ("轨道交通6号线集同段工程", "infrastructure", "集美区", "加速推进", "2018-10", "2023-12",
     1700000, "市交通局", "厦门轨道交通集团有限公司", "rail", "city_key", "", "集美区、同安区"),
    # 四是新城基地建设全面铺开。
    ("环东海域新城市政设施和生活配套项目", "new_city", "同安区", "快速推进", "2016-06", "2021-12",
     900000, "市建设局", "环东海域新城指挥部", "platform", "city_key", "环东海域新城指挥部", "同安区、翔安区环东海域"),
    ("马銮湾新城“四线五片”开发建设", "new_city", "海沧区", "全面拉开", "2017-06", "2022-12",
     1200000, "市建设局", "马銮湾新城指挥部", "platform", "city_key", "马銮湾新城指挥部", "海沧区、集美区马銮湾"),
    ("同翔高新技术产业基地一期", "new_city", "同安区", "初步形成", "2018-03", "2021-12",
     800000, "火炬管委会", "同翔高新城指挥部", "platform", "provincial_major", "同翔高新城指挥部", "同安区西柯"),
    ("同翔高新技术产业基地二期", "new_city", "翔安区", "初步形成", "2018-10", "2022-12",
     900000, "火炬管委会", "同翔高新城指挥部", "platform", "city_key", "同翔高新城指挥部", "翔安区马巷"),
    ("软件园三期", "new_city", "集美区", "快速推进", "2016-03", "2021-12",
     1400000, "火炬管委会", "厦门信息集团有限公司", "platform", "city_key", "", "集美区后溪"),
    ("火炬（翔安）产业区平台建设", "new_city", "翔安区", "快速推进", "2015-06", "2021-12",
     600000, "火炬管委会", "厦门火炬集团有限公司", "platform", "city_key", "", "火炬（翔安）产业区"),
    ("集美新城基础设施及配套建设", "new_city", "集美区", "再提速", "2015-03", "2021-12",
     700000, "市建设局", "集美新城指挥部", "platform", "city_key", "集美新城指挥部", "集美区杏林湾"),
)
# fmt: on
