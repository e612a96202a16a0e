"""The rule set and the catalogue of joint measures a new zone starts with (loaded by migration;
administrators change them afterwards: rules in a new version, measures in the admin)."""

RULESET = {"version": 1, "name": "开发区信用评价规则（2026版）", "base": 100, "a_min": 110, "b_min": 90, "c_min": 70,
           "note": "起始分100分；A级≥110，B级≥90，C级≥70，其余为D级。严重违法失信名单直接评为D级，失信被执行人最高C级。"}

# kind, severity ("" = all), score effect, counts for days (0 = while public), class at best, list, repairable after days
RULES = [
    ("license", "", 0, 1095, "", "", 0),
    ("penalty", "minor", -5, 365, "", "", 90),
    ("penalty", "general", -10, 1095, "", "", 365),
    ("penalty", "serious", -25, 1095, "C", "", 365),
    ("inspection", "minor", -3, 365, "", "", 90),
    ("inspection", "general", -8, 365, "", "", 180),
    ("inspection", "serious", -15, 1095, "", "", 365),
    ("abnormal", "", -15, 0, "", "", 0),
    ("serious_dishonest", "", -40, 1095, "D", "black", 365),
    ("judgment_defaulter", "", -30, 0, "C", "black", 0),
    ("tax_a", "", 10, 365, "", "red", 0),
    ("contract", "", 8, 730, "", "red", 0),
    ("honour", "", 5, 730, "", "", 0),
]

# code, name, effect, classes, list, applied in, content
MEASURES = [
    ("green-channel", "绿色通道", "reward", "", "red", "问题台账、重大项目（标注“绿色通道”，优先派单、优先办理）",
     "红名单企业反映的问题和建设项目标注绿色通道，服务中心优先派单，责任部门优先办理。"),
    ("tolerate-missing", "容缺受理", "reward", "A", "red", "政务服务事项受理",
     "非关键材料缺失时先予受理，限期补齐。"),
    ("lower-sampling", "降低抽查比例", "reward", "A", "", "双随机抽查（按信用等级确定抽取比例）",
     "A级企业按较低比例抽取，无事不扰。"),
    ("priority-recommend", "优先推荐", "reward", "", "red", "评优评先、政策扶持推荐",
     "在评优评先、政策扶持、项目申报中优先推荐。"),
    ("raise-sampling", "提高抽查比例", "punishment", "CD", "", "双随机抽查（按信用等级确定抽取比例）",
     "C级、D级企业提高抽取比例和检查频次。"),
    ("limit-subsidy", "限制申请财政补贴", "punishment", "D", "black", "政策兑现、财政补贴审核",
     "限制申请财政性资金补贴和政策扶持。"),
    ("limit-bidding", "限制参加招投标", "punishment", "", "black", "公共资源交易平台",
     "依法限制参与政府采购和工程招投标。"),
    ("key-supervision", "重点监管", "punishment", "D", "black", "日常监管",
     "列为重点监管对象，增加检查频次。"),
]
