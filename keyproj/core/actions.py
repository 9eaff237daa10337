"""The one label source for audit actions: every code a service writes, and what a reader calls it.

A page that lists audit entries shows `entry.action_label` (or `{{ code|action_label }}`), never
the code: `problem.raise` reads 提出问题 (Raise problem on English pages). A new service action is
added to ACTIONS below, or registered by its app with `register(code, label)`; a test fails when a
code written by `audit.log` has no label here. Codes written by the admin (`<model>.<verb>`) that
have no entry are labelled from the verb and the model's name (修改 + 用户 → 修改用户).
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise | str] = {
    # the register and organisations
    "project.create": _("创建项目"),
    "project.update": _("修改项目"),
    "organisation.create": _("新增单位"),
    "organisation.update": _("修改单位"),
    "user.create": _("新增用户"),
    "user.update": _("修改用户"),
    # plans
    "plan.create": _("创建年度计划"),
    "plan.update": _("修改年度计划"),
    "plan.approve": _("批准年度计划"),
    "plan.amendment.request": _("申请调整年度计划"),
    "plan.amendment.decide": _("审批计划调整申请"),
    # returns and month locks
    "return.create": _("新建月度填报"),
    "return.update": _("修改月度填报"),
    "return.submit": _("提交月度填报"),
    "return.approve": _("审核通过月度填报"),
    "return.send_back": _("退回月度填报"),
    "return.amend": _("按更正申请修改填报"),
    "return.amendment.request": _("申请更正月度填报"),
    "return.amendment.decide": _("审批更正申请"),
    "month.lock": _("锁定月份"),
    "month.unlock": _("解锁月份"),
    # month close, rules, notices
    "month.close": _("关账"),
    "month.reopen": _("重新打开月份"),
    "month.notice": _("生成月度通报"),
    "notice.issue": _("印发通报"),
    "notice.withdraw": _("撤回通报"),
    "rule.card": _("发布红黄牌规则"),
    "rule.ranking": _("发布红黑榜规则"),
    "rule.completeness": _("发布关账完整性规则"),
    # listed supervision
    "listing.propose": _("提议挂牌督办"),
    "listing.create": _("挂牌督办"),
    "listing.accept": _("确认挂牌督办"),
    "listing.decline": _("不予挂牌"),
    "listing.progress": _("报告督办进展"),
    "listing.overdue": _("督办逾期"),
    "listing.refer": _("移送效能纪检"),
    "listing.close": _("摘牌"),
    # problems, meetings, site visits
    "problem.raise": _("提出问题"),
    "problem.update": _("修改问题"),
    "problem.take_up": _("受理问题"),
    "problem.escalate": _("上报上一级"),
    "problem.escalate.auto": _("超时自动上报"),
    "problem.resolve": _("问题已解决"),
    "problem.close": _("关闭问题"),
    "problem.reopen": _("重新打开问题"),
    "problem.attachment.add": _("上传附件"),
    "meeting.create": _("登记会议"),
    "meeting.update": _("修改会议"),
    "visit.create": _("登记深入现场"),
    # 代建
    "directory.admission": _("准入名录库"),
    "directory.suspension": _("暂停承接业务"),
    "directory.removal": _("清出名录库"),
    "directory.reinstatement": _("恢复承接业务"),
    "qualification.create": _("新增专业类别"),
    "qualification.update": _("修改专业类别"),
    "qualification.delete": _("删除专业类别"),
    "key_staff.save": _("保存主要人员"),
    "inspection_round.plan": _("安排季度督查"),
    "inspection_round.draw": _("抽取督查项目"),
    "inspection_round.close": _("结束季度督查"),
    "inspection.create": _("列入督查"),
    "inspection.score": _("督查评分"),
    "credit_record.create": _("记录信用行为"),
    "credit_record.withdraw": _("撤销信用记录"),
    "credit_record.blacklist": _("列入黑名单"),
    "interview.create": _("安排约谈"),
    "interview.held": _("约谈已进行"),
    "interview.withdraw": _("撤销约谈"),
    "attendance.create": _("登记考勤"),
    "attendance.update": _("修改考勤"),
    "final_accounts.create": _("登记竣工决算"),
    "final_accounts.update": _("修改竣工决算"),
    "credit_evaluation.create": _("信用综合评价"),
    "credit_evaluation.redo": _("重新评价信用"),
    "credit_score.create": _("记录信用得分"),
}

# The verbs the admin writes for any model (core.admin.AuditedAdmin).
VERBS: dict[str, Promise] = {
    "create": pgettext_lazy("audit verb", "新增"),
    "update": pgettext_lazy("audit verb", "修改"),
    "delete": pgettext_lazy("audit verb", "删除"),
}


def register(code: str, label: Promise | str) -> None:
    """Add an action an app writes; a code already registered keeps one label only."""
    if code in ACTIONS and str(ACTIONS[code]) != str(label):
        raise ValueError(f"audit action {code!r} already has the label {ACTIONS[code]!r}")
    ACTIONS[code] = label


def label(code: str, content_type: Any = None) -> str:
    """What a reader calls the action, in the page's language; never the code itself."""
    known = ACTIONS.get(code)
    if known is not None:
        return str(known)
    verb = VERBS.get(code.rsplit(".", 1)[-1])
    model = content_type.model_class() if content_type is not None else None
    name = str(model._meta.verbose_name) if model is not None else ""
    if verb is not None and name:
        return gettext("%(verb)s%(thing)s") % {"verb": verb, "thing": name}
    if name:
        return gettext("%(thing)s变更") % {"thing": name}
    return gettext("其他操作")
