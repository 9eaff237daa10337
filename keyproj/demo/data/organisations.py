"""The bodies of the Xiamen 2019 programme, the 41 agent-construction firms and the demo users.

The districts, departments and city state-owned enterprises are real Xiamen bodies named in
or implied by the seed. The agent-construction firms are FICTIONAL: their names are made up
from local place names and their unified social credit codes are generated (well-formed,
with valid check characters, but belonging to nobody).
"""

from __future__ import annotations

KEY_OFFICE = ("市建设局（市重点办）", "市重点办")
LEADING_GROUP = ("厦门市重点项目建设领导小组", "领导小组")

# (GB/T 2260 code, name), in the order the city lists them.
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("350203", "思明区"),
    ("350205", "海沧区"),
    ("350206", "湖里区"),
    ("350211", "集美区"),
    ("350212", "同安区"),
    ("350213", "翔安区"),
)

# (name, short name, the districts its zone lies in).
AREA_COMMANDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("环东海域新城指挥部", "环东海域新城", ("同安区", "翔安区")),
    ("马銮湾新城指挥部", "马銮湾新城", ("海沧区", "集美区")),
    ("同翔高新城指挥部", "同翔高新城", ("同安区", "翔安区")),
    ("集美新城指挥部", "集美新城", ("集美区",)),
    ("新机场片区指挥部", "新机场片区", ("翔安区",)),
)

# 责任单位: the departments that answer for projects.
RESPONSIBLE_UNITS: tuple[str, ...] = (
    "市建设局",
    "市交通局",
    "市教育局",
    "市卫健委",
    "市住房局",
    "市市政园林局",
    "市水利局",
    "市工信局",
    "火炬管委会",
    "市商务局",
    "市发改委",
    "市文旅局",
    "市体育局",
    "市民政局",
    "市港口局",
)

# 市属国企: city state-owned enterprises (they own, build and are ranked in their own list).
SOES: tuple[tuple[str, str], ...] = (
    ("厦门路桥建设集团有限公司", "路桥集团"),
    ("厦门轨道交通集团有限公司", "轨道集团"),
    ("厦门市政集团有限公司", "市政集团"),
    ("厦门安居集团有限公司", "安居集团"),
    ("厦门建发集团有限公司", "建发集团"),
    ("厦门象屿集团有限公司", "象屿集团"),
    ("厦门港务控股集团有限公司", "港务控股"),
    ("厦门国贸控股集团有限公司", "国贸控股"),
    ("厦门信息集团有限公司", "信息集团"),
    ("厦门火炬集团有限公司", "火炬集团"),
)

# The 41 firms of the 2019 directory (甲类14家, 乙类27家): (name, grade, specialty codes).
# Specialty codes are the agents.Specialty rows; 房屋建筑 (building) is by far the most common.
AGENT_FIRMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("厦门鹭城项目管理有限公司", "A", ("building", "municipal", "landscape")),
    ("厦门筼筜工程管理有限公司", "A", ("building", "municipal")),
    ("厦门嘉禾建设管理有限公司", "A", ("building", "municipal", "water")),
    ("厦门鹭岛工程咨询有限公司", "A", ("building", "highway", "municipal")),
    ("厦门五缘湾建设管理有限公司", "A", ("building",)),
    ("厦门白鹭洲项目管理有限公司", "A", ("building", "landscape")),
    ("厦门海湾新城建设管理有限公司", "A", ("building", "municipal", "port")),
    ("厦门同文工程管理有限公司", "A", ("building", "rail", "municipal")),
    ("厦门凤凰花建设发展有限公司", "A", ("building", "municipal")),
    ("厦门云顶山工程管理有限公司", "A", ("building", "water", "landscape")),
    ("厦门天竺山项目管理有限公司", "A", ("building", "highway")),
    ("厦门东坪山建设管理有限公司", "A", ("building", "municipal", "water")),
    ("厦门金榜工程管理有限公司", "A", ("building",)),
    ("厦门浔江建设咨询有限公司", "A", ("building", "port", "highway")),
    ("厦门仙岳项目管理有限公司", "B", ("building",)),
    ("厦门万石工程管理有限公司", "B", ("building", "landscape")),
    ("厦门虎溪建设管理有限公司", "B", ("building",)),
    ("厦门演武工程咨询有限公司", "B", ("building",)),
    ("厦门钟鼓项目管理有限公司", "B", ("building", "municipal")),
    ("厦门鸿山建设管理有限公司", "B", ("building",)),
    ("厦门杏林湾项目管理有限公司", "B", ("building", "water")),
    ("厦门龙舟池建设管理有限公司", "B", ("building",)),
    ("厦门北辰山工程管理有限公司", "B", ("municipal", "highway")),
    ("厦门香山建设咨询有限公司", "B", ("building",)),
    ("厦门大轮山项目管理有限公司", "B", ("building", "landscape")),
    ("厦门苎溪工程管理有限公司", "B", ("water",)),
    ("厦门东溪建设管理有限公司", "B", ("building", "municipal")),
    ("厦门九溪项目管理有限公司", "B", ("building",)),
    ("厦门后溪工程咨询有限公司", "B", ("building",)),
    ("厦门莲花山建设管理有限公司", "B", ("building", "landscape")),
    ("厦门美人山项目管理有限公司", "B", ("building",)),
    ("厦门蔡尖尾工程管理有限公司", "B", ("municipal",)),
    ("厦门大帽山建设管理有限公司", "B", ("building",)),
    ("厦门小嶝项目管理有限公司", "B", ("building", "port")),
    ("厦门琼头工程管理有限公司", "B", ("building",)),
    ("厦门刘五店建设管理有限公司", "B", ("building", "municipal")),
    ("厦门澳头项目管理有限公司", "B", ("building",)),
    ("厦门丙洲工程咨询有限公司", "B", ("building", "water")),
    ("厦门海沧湾建设管理有限公司", "B", ("building",)),
    ("厦门天马山项目管理有限公司", "B", ("landscape",)),
    ("厦门汀溪建设管理有限公司", "B", ("building", "municipal")),
)

DEMO_PASSWORD = "keyproj-demo"

# (username, full name, role, where the role is held). Where: "key_office", "leading_group",
# a district's name, an organisation's name, or "agent" (the firm with the most projects).
# The cast forms one chain, so that every workflow can be walked with it: `owner` (安居集团)
# builds housing that answers to 市住房局, where `unit` reviews its returns and takes its
# problems; two of those projects lie in 思明区 (`siming` sees them) and one is built by
# `agent`'s firm.
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", "陈立新", "office_admin", "key_office"),
    ("staff", "林晓峰", "office_staff", "key_office"),
    ("leader", "黄志明", "leader", "leading_group"),
    ("siming", "郑思敏", "district_officer", "思明区"),
    ("haicang", "许海波", "district_officer", "海沧区"),
    ("unit", "吴振华", "unit_officer", "市住房局"),
    ("owner", "蔡文斌", "owner", "厦门安居集团有限公司"),
    ("agent", "杨鹭平", "agent_builder", "agent"),
    ("inspector", "周立诚", "inspector", "key_office"),
)
DEMO_USERNAMES: tuple[str, ...] = tuple(row[0] for row in DEMO_USERS)
