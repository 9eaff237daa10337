"""The words the demo's generated projects are made of: places, templates, progress sentences.

Place names are real Xiamen places; the firms and brands built from them are fictional.
"""

# The tables below are read row by row: kept as written.
# ruff: noqa: E501
# fmt: off
from __future__ import annotations

# Kinds of works: (agents.Specialty code, two industry digits of the project code, the
# progress ladder, a description template whose size figure is priced by UNIT_COSTS).
WORKS: dict[str, tuple[str, str, str, str]] = {
    "factory": ("building", "39", "factory", "新建生产厂房、研发楼及配套用房约{area}万平方米，购置生产及检测设备"),
    "office": ("building", "72", "building", "总建筑面积约{area}万平方米，建设研发办公、商业及配套设施"),
    "warehouse": ("building", "59", "warehouse", "新建仓储物流用房约{area}万平方米及配套设施"),
    "school": ("building", "83", "building", "新建教学楼、综合楼、风雨操场等，总建筑面积约{area}万平方米，设{classes}个班"),
    "hospital": ("building", "84", "building", "总建筑面积约{area}万平方米，设置床位{beds}张"),
    "housing": ("building", "70", "building", "总建筑面积约{area}万平方米，建设住房约{homes}套及配套设施"),
    "culture": ("building", "89", "building", "总建筑面积约{area}万平方米，建设文化、体育及社区服务设施"),
    "road": ("municipal", "48", "road", "道路全长约{km}公里，同步建设排水、照明、绿化等配套"),
    "bridge": ("municipal", "48", "bridge", "新建立交匝道及桥梁约{km}公里，同步改造相交道路"),
    "tunnel": ("municipal", "48", "tunnel", "全长约{km}公里，含隧道主体及两端接线工程"),
    "rail": ("rail", "48", "rail", "线路全长约{km}公里，设车站{stations}座"),
    "water": ("water", "46", "water", "新建（改扩建）处理设施及配套管网约{km}公里"),
    "landscape": ("landscape", "78", "landscape", "整治面积约{hectares}公顷，建设园路、驿站及绿化景观"),
    "port": ("port", "55", "port", "新建泊位{berths}个及堆场、配套设施"),
    "highway": ("highway", "48", "road", "路线全长约{km}公里，按一级公路标准建设"),
    "platform": ("municipal", "48", "platform", "片区道路约{km}公里及给排水、电力、通信、综合管廊等市政配套"),
    "utility": ("municipal", "44", "utility", "新建变电站（综合管廊）及配套线路约{km}公里"),
}

# What one unit of a description's size figure costs, in 万元 (1万平方米, 1公里, 1公顷, 1个泊位).
UNIT_COSTS: dict[str, int] = {
    "factory": 4000, "office": 6000, "warehouse": 3000, "school": 5000, "hospital": 8000,
    "housing": 4500, "culture": 6000, "road": 8000, "bridge": 30000, "tunnel": 150000,
    "rail": 70000, "water": 4000, "landscape": 150, "port": 60000, "highway": 10000,
    "platform": 20000, "utility": 8000,
}

# How many storeys a building of each kind rises to (the ladder's {floor}).
FLOORS: dict[str, tuple[int, int]] = {
    "office": (10, 36),
    "school": (4, 6),
    "hospital": (6, 20),
    "housing": (18, 33),
    "culture": (3, 8),
}

# Progress ladders: (below this percent of the works done, what the return says).
LADDERS: dict[str, tuple[tuple[int, str], ...]] = {
    "building": (
        (10, "土方开挖及桩基施工"),
        (30, "基础及地下室结构施工"),
        (60, "主体结构施工至第{floor}层"),
        (78, "主体结构封顶，砌体及机电安装施工"),
        (90, "装饰装修及室外配套施工"),
        (101, "工程收尾，正在进行竣工验收准备"),
    ),
    "factory": (
        (10, "场地平整及桩基施工"),
        (35, "厂房基础及钢结构施工"),
        (60, "厂房主体结构施工"),
        (80, "厂房封顶，洁净室及机电安装"),
        (90, "生产设备安装调试"),
        (101, "工程收尾，生产线试运行"),
    ),
    "warehouse": (
        (10, "场地平整及桩基施工"),
        (35, "库房基础及钢结构施工"),
        (70, "库房主体结构及屋面施工"),
        (90, "消防、机电安装及室外配套施工"),
        (101, "工程收尾，正在进行竣工验收准备"),
    ),
    "road": (
        (15, "征地拆迁及管线迁改"),
        (40, "路基填筑及软基处理"),
        (65, "桥涵及排水管网施工"),
        (90, "路面结构层及附属工程施工"),
        (101, "工程收尾，完善交通设施及绿化"),
    ),
    "bridge": (
        (15, "桩基施工"),
        (45, "承台及墩柱施工"),
        (75, "上部结构架设"),
        (90, "桥面系及附属工程施工"),
        (101, "工程收尾，准备交工验收"),
    ),
    "tunnel": (
        (15, "施工准备及工作井施工"),
        (50, "隧道掘进"),
        (75, "隧道主体结构及衬砌施工"),
        (90, "路面及机电安装施工"),
        (101, "工程收尾，开展机电联调"),
    ),
    "rail": (
        (20, "车站围护结构及土方开挖"),
        (50, "车站主体结构及盾构区间掘进"),
        (75, "铺轨及机电设备安装"),
        (90, "系统联调联试"),
        (101, "工程收尾，开展试运行及开通准备"),
    ),
    "water": (
        (20, "施工围堰及基坑开挖"),
        (55, "构筑物主体施工"),
        (90, "设备安装及配套管网铺设"),
        (101, "工程收尾，调试运行"),
    ),
    "landscape": (
        (25, "场地清表及土方造型"),
        (55, "园路、驿站及景观构筑物施工"),
        (90, "绿化种植及景观提升"),
        (101, "工程收尾，苗木养护及配套完善"),
    ),
    "port": (
        (20, "水工结构基础施工"),
        (60, "码头主体结构施工"),
        (90, "堆场及配套设施施工"),
        (101, "工程收尾，准备交工验收"),
    ),
    "platform": (
        (25, "片区征地拆迁及场地平整"),
        (60, "片区道路及综合管网同步施工"),
        (90, "市政配套及公建项目建设"),
        (101, "片区配套收尾，逐步投入使用"),
    ),
    "utility": (
        (30, "土建基础施工"),
        (70, "主体结构及设备基础施工"),
        (90, "电气设备安装"),
        (101, "工程收尾，调试送电"),
    ),
}

# What a project in preparation reports, month by month, as its paperwork advances.
PREPARATION_STEPS: tuple[str, ...] = (
    "开展项目可行性研究",
    "办理用地规划许可",
    "开展方案及初步设计",
    "施工图设计及审查",
    "开展施工招标",
    "办理施工许可，做好开工准备",
)

COMPLETED_SENTENCES: tuple[str, ...] = (
    "已竣工验收，正在办理竣工结算",
    "已完成竣工验收备案，开展结算审计",
    "竣工验收完成，配套设施同步完善",
)
IN_USE_SENTENCES: tuple[str, ...] = (
    "已建成投用，正在办理竣工结算",
    "已投入使用，开展配套完善及结算审计",
    "建成投用，运行情况良好，推进决算工作",
)

# The blockages a lagging project reports, by the Problem categories of the glossary.
PROBLEMS: tuple[str, ...] = (
    "征地拆迁尚未完成，施工作业面未能全部移交",
    "管线迁改滞后，影响主体工程施工",
    "施工许可审批尚未办结",
    "设计变更审批周期较长",
    "市政配套（供水、供电）未到位",
    "资金拨付滞后，施工单位资源投入不足",
    "用地手续尚未完善",
    "受雨季及台风影响，有效工期不足",
)

# Real places of each district, for names and locations.
PLACES: dict[str, tuple[str, ...]] = {
    "思明区": ("莲前", "前埔", "湖滨", "筼筜", "曾厝垵", "黄厝", "会展", "沙坡尾", "嘉莲", "梧村", "文灶", "滨北"),
    "海沧区": ("新阳", "东孚", "嵩屿", "海沧湾", "霞阳", "新垵", "天竺", "鳌冠", "钟山", "温厝", "兴港", "青礁"),
    "湖里区": ("殿前", "禾山", "江头", "金山", "五缘湾", "钟宅", "高崎", "枋湖", "湖边", "蔡塘", "坂尚", "吕厝"),
    "集美区": ("杏林", "灌口", "后溪", "侨英", "杏滨", "孙厝", "诚毅", "天马", "坂头", "田头", "锦园", "英埭"),
    "同安区": ("大同", "西柯", "五显", "汀溪", "新民", "洪塘", "莲花", "丙洲", "美峰", "祥桥", "凤南", "城南"),
    "翔安区": ("马巷", "内厝", "新圩", "大嶝", "舫山", "澳头", "蔡厝", "下潭尾", "欧厝", "琼头", "彭厝", "莲河"),
}

# Places inside each area command's zone: (place, district).
AREA_PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "环东海域新城指挥部": (("西柯", "同安区"), ("洪塘", "同安区"), ("丙洲", "同安区"), ("美峰", "同安区"),
                        ("下潭尾", "翔安区"), ("欧厝", "翔安区"), ("琼头", "翔安区"), ("浦边", "同安区")),
    "马銮湾新城指挥部": (("新垵", "海沧区"), ("霞阳", "海沧区"), ("东孚", "海沧区"), ("马銮", "集美区"),
                       ("杏林", "集美区"), ("董任", "海沧区")),
    "同翔高新城指挥部": (("五显", "同安区"), ("西柯", "同安区"), ("马巷", "翔安区"), ("内厝", "翔安区"),
                       ("新圩", "翔安区"), ("洪塘", "同安区")),
    "集美新城指挥部": (("杏林湾", "集美区"), ("诚毅", "集美区"), ("后溪", "集美区"), ("孙厝", "集美区")),
    "新机场片区指挥部": (("大嶝", "翔安区"), ("澳头", "翔安区"), ("蔡厝", "翔安区"), ("莲河", "翔安区")),
}

# Rivers of the water-environment projects.
RIVERS: tuple[tuple[str, str], ...] = (
    ("过芸溪", "海沧区"), ("深青溪", "集美区"), ("后溪", "集美区"), ("东西溪", "同安区"), ("官浔溪", "同安区"),
    ("埭头溪", "同安区"), ("九溪", "翔安区"), ("龙东溪", "翔安区"), ("瑶山溪", "翔安区"), ("新圩溪", "翔安区"),
    ("莲花溪", "同安区"), ("许溪", "集美区"),
)

# Industry: two-character brands are drawn from these, then a product line below.
BRAND_FIRST = "鹭嘉海同瑞宏凯华星恒启云锐博天晶泓晟正安盛众新达"
BRAND_SECOND = "芯联纳创源智泰睿辰宇科通维拓鑫远航弘诚德邦"

# (stem, suffix, kind of works, industry digits, total investment range 万元, owner word, units).
INDUSTRY_PRODUCTS: tuple[tuple[str, str, str, str, int, int, str, tuple[str, ...]], ...] = (
    ("集成电路封装测试", "项目", "factory", "39", 50000, 600000, "微电子", ("市工信局", "火炬管委会")),
    ("新型显示模组生产线", "项目", "factory", "39", 50000, 500000, "光电", ("市工信局", "火炬管委会")),
    ("锂电池材料生产基地", "", "factory", "38", 30000, 400000, "新能源", ("市工信局", "火炬管委会")),
    ("智能装备制造基地", "", "factory", "35", 20000, 200000, "智能装备", ("市工信局",)),
    ("精密模具产业园", "", "factory", "35", 15000, 120000, "精密科技", ("市工信局",)),
    ("生物医药研发生产基地", "", "factory", "27", 30000, 300000, "生物医药", ("市工信局", "火炬管委会")),
    ("医疗器械产业园", "", "factory", "35", 20000, 200000, "医疗科技", ("市工信局",)),
    ("新能源汽车零部件生产", "项目", "factory", "36", 20000, 250000, "汽车部件", ("市工信局",)),
    ("食品加工产业园", "", "factory", "14", 15000, 100000, "食品", ("市工信局",)),
    ("供应链物流园", "", "warehouse", "59", 20000, 150000, "供应链", ("市商务局",)),
    ("冷链物流中心", "", "warehouse", "59", 15000, 100000, "冷链物流", ("市商务局",)),
    ("跨境电商产业园", "", "office", "51", 20000, 150000, "电子商务", ("市商务局",)),
    ("总部大厦", "", "office", "72", 30000, 300000, "控股", ("市商务局", "市发改委")),
    ("研发中心", "", "office", "73", 15000, 150000, "科技", ("火炬管委会", "市工信局")),
    ("软件与信息服务产业园", "", "office", "65", 30000, 300000, "信息技术", ("火炬管委会",)),
    ("数据中心", "", "factory", "64", 30000, 200000, "数据科技", ("市发改委", "市工信局")),
    ("通信设备生产线", "项目", "factory", "39", 20000, 200000, "通信", ("市工信局", "火炬管委会")),
    ("石墨烯新材料产业化", "项目", "factory", "26", 20000, 150000, "新材料", ("市工信局",)),
    ("智能卫浴生产基地", "", "factory", "33", 15000, 120000, "卫浴", ("市工信局",)),
    ("运动用品研发生产基地", "", "factory", "24", 15000, 100000, "体育用品", ("市工信局",)),
    ("工业互联网创新中心", "", "office", "65", 15000, 100000, "互联网", ("火炬管委会",)),
    ("航空维修基地", "", "factory", "43", 50000, 400000, "航空", ("市工信局", "市发改委")),
    ("光伏组件生产线", "项目", "factory", "38", 30000, 250000, "光能", ("市工信局",)),
    ("机器人产业园", "", "factory", "35", 20000, 200000, "机器人", ("市工信局", "火炬管委会")),
)
INDUSTRY_PHASES: tuple[str, ...] = ("", "", "一期", "二期", "扩产")

# Districts' shares of generated projects, by category.
DISTRICT_WEIGHTS: dict[str, tuple[int, ...]] = {
    # 思明 海沧 湖里 集美 同安 翔安
    "industry": (4, 24, 10, 20, 16, 26),
    "social": (14, 16, 16, 18, 16, 20),
    "infrastructure": (12, 18, 14, 18, 18, 20),
}

# Owner rules of the templates below: "district" → that district's 建设与交通局;
# "area" → the area command itself; anything else is an organisation's name.
# (template, kind of works, industry digits, total range 万元, responsible unit, owner, modifiers)
SOCIAL_TEMPLATES: tuple[tuple[str, str, str, int, int, str, str, tuple[str, ...]], ...] = (
    ("{place}小学", "school", "83", 8000, 40000, "市教育局", "district", ("", "新建工程", "改扩建工程")),
    ("{place}中学", "school", "83", 15000, 70000, "市教育局", "district", ("", "新建工程", "改扩建工程")),
    ("{place}幼儿园", "school", "83", 3000, 12000, "市教育局", "district", ("", "新建工程")),
    ("{place}九年一贯制学校", "school", "83", 15000, 60000, "市教育局", "district", ("",)),
    ("{place}医院", "hospital", "84", 50000, 300000, "市卫健委", "市卫健委", ("", "改扩建工程", "二期")),
    ("{place}社区卫生服务中心", "hospital", "84", 3000, 15000, "市卫健委", "district", ("",)),
    ("{place}保障性安居工程", "housing", "70", 50000, 350000, "市住房局", "厦门安居集团有限公司", ("", "一期", "二期")),
    ("{place}人才公寓", "housing", "70", 30000, 200000, "市住房局", "厦门安居集团有限公司", ("", "一期", "二期")),
    ("{place}安置房", "housing", "70", 30000, 250000, "市住房局", "district", ("", "一期", "二期")),
    ("{place}文体中心", "culture", "89", 10000, 80000, "市体育局", "district", ("",)),
    ("{place}全民健身中心", "culture", "89", 8000, 50000, "市体育局", "district", ("",)),
    ("{place}图书馆", "culture", "87", 8000, 40000, "市文旅局", "district", ("", "新馆")),
    ("{place}社会福利中心", "culture", "85", 8000, 50000, "市民政局", "district", ("",)),
    ("{place}养老服务中心", "culture", "85", 5000, 30000, "市民政局", "district", ("",)),
)

INFRASTRUCTURE_TEMPLATES: tuple[tuple[str, str, str, int, int, str, str, tuple[str, ...]], ...] = (
    ("{place}大道", "road", "48", 20000, 200000, "市交通局", "厦门路桥建设集团有限公司", ("改造提升工程", "（一期）工程")),
    ("{place}路", "road", "48", 10000, 120000, "市交通局", "district", ("新建工程", "拓宽改造工程")),
    ("{place}片区市政道路", "road", "48", 10000, 100000, "市建设局", "district", ("工程", "一期工程")),
    ("{place}互通立交", "bridge", "48", 30000, 200000, "市交通局", "厦门路桥建设集团有限公司", ("工程",)),
    ("{place}大桥", "bridge", "48", 30000, 250000, "市交通局", "厦门路桥建设集团有限公司", ("工程",)),
    ("{place}水质净化厂", "water", "46", 20000, 150000, "市市政园林局", "厦门市政集团有限公司", ("扩建工程", "提标改造工程")),
    ("{river}流域水环境综合治理", "water", "77", 10000, 150000, "市水利局", "district", ("", "二期")),
    ("{place}供水管网改造", "water", "46", 5000, 50000, "市水利局", "厦门市政集团有限公司", ("工程",)),
    ("{place}公园", "landscape", "78", 3000, 60000, "市市政园林局", "district", ("", "提升工程")),
    ("{place}山体生态修复", "landscape", "77", 5000, 80000, "市市政园林局", "district", ("工程",)),
    ("{place}220千伏输变电", "utility", "44", 10000, 60000, "市发改委", "国网厦门供电公司", ("工程",)),
    ("{place}港区泊位", "port", "55", 50000, 300000, "市港口局", "厦门港务控股集团有限公司", ("工程", "二期工程")),
    ("国道324线{place}段改线", "highway", "48", 30000, 300000, "市交通局", "厦门路桥建设集团有限公司", ("工程",)),
    ("{place}公共停车场", "road", "78", 3000, 30000, "市交通局", "district", ("",)),
)

NEW_CITY_TEMPLATES: tuple[tuple[str, str, str, int, int, str, str, tuple[str, ...]], ...] = (
    ("{area}{place}片区市政道路", "road", "48", 20000, 200000, "市建设局", "area", ("工程", "二期工程")),
    ("{area}{place}综合管廊", "utility", "48", 20000, 150000, "市建设局", "area", ("工程",)),
    ("{area}{place}安置房", "housing", "70", 50000, 300000, "市住房局", "area", ("", "一期", "二期")),
    ("{area}{place}学校", "school", "83", 15000, 60000, "市教育局", "area", ("",)),
    ("{area}{place}公园", "landscape", "78", 5000, 60000, "市市政园林局", "area", ("",)),
    ("{area}{place}产业园配套", "platform", "48", 30000, 300000, "火炬管委会", "area", ("工程",)),
    ("{area}{place}片区开发建设", "platform", "48", 50000, 500000, "市建设局", "area", ("",)),
)
# fmt: on
