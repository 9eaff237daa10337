"""The default rows of the configurable lists, as the seed describes them.

The office edits these lists in the admin; these are only what a new installation starts with.
"""

CATEGORIES = [
    ("industry", "产业项目", "Industry"),
    ("social", "社会事业", "Social programmes"),
    ("infrastructure", "城乡基础设施", "Urban and rural infrastructure"),
    ("new_city", "新城基地", "New cities and bases"),
]

STAGES = [
    ("planning", "策划生成", "Planning"),
    ("preparation", "前期", "Preparation"),
    ("construction", "在建", "Under construction"),
    ("completed", "竣工", "Completed"),
    ("in_use", "投用", "In use"),
    ("suspended", "暂停", "Suspended"),
    ("cancelled", "取消", "Cancelled"),
]

PIPELINE_BATCHES = [
    ("generate", "策划生成一批", "Generated"),
    ("sign", "签约一批", "Signed"),
    ("start", "开工一批", "Started"),
    ("complete", "竣工一批", "Completed"),
    ("operate", "投产一批", "In operation"),
]

SPECIALTIES = [
    ("building", "房屋建筑", "Buildings"),
    ("municipal", "市政道路桥梁", "Municipal roads and bridges"),
    ("rail", "轨道交通", "Rail transit"),
    ("water", "水利水务", "Water"),
    ("landscape", "园林绿化", "Landscaping"),
    ("highway", "公路交通", "Highways"),
    ("port", "港口航道", "Ports and waterways"),
]


def load(model, rows) -> None:  # type: ignore[no-untyped-def]
    """Create the missing rows of a list; rows the office has edited are left alone."""
    for order, (code, name, name_en) in enumerate(rows, start=1):
        model.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})
