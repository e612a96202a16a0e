"""Reference data projects start with: the approval templates and the departments they name (administrators
edit them afterwards; ``services.templates_ensure_defaults`` creates what is missing)."""

# code, name, phase, department code, statutory, committed (working days), predecessors (code or (code, lag))
GENERAL_STEPS = [
    ("L1", "项目备案（立项）", "land", "development", 20, 1, []),
    ("L2", "用地预审与选址意见书", "land", "planning", 20, 5, ["L1"]),
    ("L3", "土地挂牌出让及交地", "land", "planning", 40, 25, ["L2"]),
    ("L4", "建设用地规划许可证", "land", "planning", 20, 3, ["L3"]),
    ("P1", "环境影响评价审批（环评）", "parallel", "ecology", 60, 10, ["L1"]),
    ("P2", "节能审查（能评）", "parallel", "development", 20, 5, ["L1"]),
    ("P3", "水土保持方案审批", "parallel", "ecology", 20, 5, ["L1"]),
    ("D1", "设计方案审查", "design", "planning", 20, 5, ["L4"]),
    ("D2", "建设工程规划许可证", "design", "planning", 20, 3, ["D1"]),
    ("D3", "施工图审查", "permit", "construction", 20, 7, ["D2"]),
    ("C1", "建筑工程施工许可证", "permit", "construction", 15, 1, ["D3", "P1", "P2", "P3"]),
    ("P4", "水电气热报装接入", "parallel", "utilities", 60, 7, ["L4"]),
    ("A1", "联合竣工验收", "acceptance", "construction", 30, 10, [("C1", 240)]),
    ("A2", "不动产首次登记", "acceptance", "planning", 30, 5, ["A1"]),
]
# 拿地即开工: design and drawings are reviewed while the land is listed; the permits come out together
# the day after the land is handed over.
LAND_START_STEPS = [
    ("L1", "项目备案（立项）", "land", "development", 20, 1, []),
    ("L2", "用地预审与选址意见书", "land", "planning", 20, 5, ["L1"]),
    ("L3", "土地挂牌出让及交地", "land", "planning", 40, 25, ["L2"]),
    ("D1", "设计方案预审（挂牌期间）", "design", "planning", 20, 5, ["L2"]),
    ("D3", "施工图预审（挂牌期间）", "permit", "construction", 20, 7, ["D1"]),
    ("P1", "环境影响评价审批（环评）", "parallel", "ecology", 60, 10, ["L1"]),
    ("P2", "节能审查（能评）", "parallel", "development", 20, 5, ["L1"]),
    ("P3", "水土保持方案审批", "parallel", "ecology", 20, 5, ["L1"]),
    ("L4", "建设用地规划许可证（交地即发）", "land", "planning", 20, 1, ["L3"]),
    ("D2", "建设工程规划许可证（交地即发）", "design", "planning", 20, 1, ["L3", "D1"]),
    ("C1", "建筑工程施工许可证（交地即发）", "permit", "construction", 15, 1, ["L3", "D3", "P1", "P2", "P3"]),
    ("P4", "水电气热报装接入", "parallel", "utilities", 60, 7, ["L3"]),
    ("A1", "联合竣工验收", "acceptance", "construction", 30, 10, [("C1", 240)]),
    ("A2", "不动产首次登记", "acceptance", "planning", 30, 5, ["A1"]),
]
DEFAULT_TEMPLATES = [
    ("一般工业项目（四阶段）", "", True, "立项用地规划许可 → 工程建设许可 → 施工许可 → 竣工验收，环评、能评、水保、水电气报装并联办理。",
     GENERAL_STEPS),
    ("拿地即开工", "new", False, "挂牌期间并联完成设计方案和施工图预审，交地当日（次日）同步核发用地规划、工程规划和施工许可。",
     LAND_START_STEPS),
]
DEFAULT_DEPARTMENTS = {"development": "发展和改革局", "planning": "规划和自然资源局", "construction": "建设局",
                       "ecology": "生态环境分局", "utilities": "公用事业服务中心"}
