"""The audit actions of agent construction (代建): directory, inspections, credit; registered in ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "directory.admission": pgettext_lazy("audit action", "准入名录库"),
    "directory.suspension": pgettext_lazy("audit action", "暂停承接业务"),
    "directory.removal": pgettext_lazy("audit action", "清出名录库"),
    "directory.reinstatement": pgettext_lazy("audit action", "恢复承接业务"),
    "qualification.create": pgettext_lazy("audit action", "新增专业类别"),
    "qualification.update": pgettext_lazy("audit action", "修改专业类别"),
    "qualification.delete": pgettext_lazy("audit action", "删除专业类别"),
    "key_staff.save": pgettext_lazy("audit action", "保存主要人员"),
    "inspection_round.plan": pgettext_lazy("audit action", "安排季度督查"),
    "inspection_round.draw": pgettext_lazy("audit action", "抽取督查项目"),
    "inspection_round.close": pgettext_lazy("audit action", "结束季度督查"),
    "inspection.create": pgettext_lazy("audit action", "列入督查"),
    "inspection.score": pgettext_lazy("audit action", "督查评分"),
    "credit_record.create": pgettext_lazy("audit action", "记录信用行为"),
    "credit_record.withdraw": pgettext_lazy("audit action", "撤销信用记录"),
    "credit_record.blacklist": pgettext_lazy("audit action", "列入黑名单"),
    "interview.create": pgettext_lazy("audit action", "安排约谈"),
    "interview.held": pgettext_lazy("audit action", "约谈已进行"),
    "interview.withdraw": pgettext_lazy("audit action", "撤销约谈"),
    "attendance.create": pgettext_lazy("audit action", "登记考勤"),
    "attendance.update": pgettext_lazy("audit action", "修改考勤"),
    "final_accounts.create": pgettext_lazy("audit action", "登记竣工决算"),
    "final_accounts.update": pgettext_lazy("audit action", "修改竣工决算"),
    "credit_evaluation.create": pgettext_lazy("audit action", "信用综合评价"),
    "credit_evaluation.redo": pgettext_lazy("audit action", "重新评价信用"),
    "credit_score.create": pgettext_lazy("audit action", "记录信用得分"),
}
