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

# Each label has its own context: an entry's 关账 (Month closed) is not the button's 关账 (Close month).
ACTIONS: dict[str, Promise | str] = {
    # the register and organisations
    "project.create": pgettext_lazy("audit action", "创建项目"),
    "project.update": pgettext_lazy("audit action", "修改项目"),
    "organisation.create": pgettext_lazy("audit action", "新增单位"),
    "organisation.update": pgettext_lazy("audit action", "修改单位"),
    "user.create": pgettext_lazy("audit action", "新增用户"),
    "user.update": pgettext_lazy("audit action", "修改用户"),
    "token.issue": pgettext_lazy("audit action", "签发API令牌"),
    "token.revoke": pgettext_lazy("audit action", "撤销API令牌"),
    "login.unlock": pgettext_lazy("audit action", "解除登录锁定"),
    # plans
    "plan.create": pgettext_lazy("audit action", "创建年度计划"),
    "plan.update": pgettext_lazy("audit action", "修改年度计划"),
    "plan.approve": pgettext_lazy("audit action", "批准年度计划"),
    "plan.amendment.request": pgettext_lazy("audit action", "申请调整年度计划"),
    "plan.amendment.decide": pgettext_lazy("audit action", "审批计划调整申请"),
    # returns and month locks
    "return.create": pgettext_lazy("audit action", "新建月度填报"),
    "return.update": pgettext_lazy("audit action", "修改月度填报"),
    "return.submit": pgettext_lazy("audit action", "提交月度填报"),
    "return.approve": pgettext_lazy("audit action", "审核通过月度填报"),
    "return.send_back": pgettext_lazy("audit action", "退回月度填报"),
    "return.amend": pgettext_lazy("audit action", "按更正申请修改填报"),
    "return.amendment.request": pgettext_lazy("audit action", "申请更正月度填报"),
    "return.amendment.decide": pgettext_lazy("audit action", "审批更正申请"),
    "month.lock": pgettext_lazy("audit action", "锁定月份"),
    "month.unlock": pgettext_lazy("audit action", "解锁月份"),
    # month close, rules, notices
    "month.close": pgettext_lazy("audit action", "关账"),
    "month.reopen": pgettext_lazy("audit action", "重新打开月份"),
    "month.notice": pgettext_lazy("audit action", "生成月度通报"),
    "notice.issue": pgettext_lazy("audit action", "印发通报"),
    "notice.withdraw": pgettext_lazy("audit action", "撤回通报"),
    "rule.publish": pgettext_lazy("audit action", "发布规则新版本"),
    "rule.card": pgettext_lazy("audit action", "发布红黄牌规则"),
    "rule.ranking": pgettext_lazy("audit action", "发布红黑榜规则"),
    "rule.completeness": pgettext_lazy("audit action", "发布关账完整性规则"),
    # listed supervision
    "listing.propose": pgettext_lazy("audit action", "提议挂牌督办"),
    "listing.create": pgettext_lazy("audit action", "挂牌督办"),
    "listing.accept": pgettext_lazy("audit action", "确认挂牌督办"),
    "listing.decline": pgettext_lazy("audit action", "不予挂牌"),
    "listing.progress": pgettext_lazy("audit action", "报告督办进展"),
    "listing.overdue": pgettext_lazy("audit action", "督办逾期"),
    "listing.refer": pgettext_lazy("audit action", "移送效能纪检"),
    "listing.close": pgettext_lazy("audit action", "摘牌"),
    # problems, meetings, site visits
    "problem.raise": pgettext_lazy("audit action", "提出问题"),
    "problem.update": pgettext_lazy("audit action", "修改问题"),
    "problem.take_up": pgettext_lazy("audit action", "受理问题"),
    "problem.escalate": pgettext_lazy("audit action", "上报上一级"),
    "problem.escalate.auto": pgettext_lazy("audit action", "超时自动上报"),
    "problem.resolve": pgettext_lazy("audit action", "问题已解决"),
    "problem.close": pgettext_lazy("audit action", "关闭问题"),
    "problem.reopen": pgettext_lazy("audit action", "重新打开问题"),
    "problem.attachment.add": pgettext_lazy("audit action", "上传附件"),
    "meeting.create": pgettext_lazy("audit action", "登记会议"),
    "meeting.update": pgettext_lazy("audit action", "修改会议"),
    "visit.create": pgettext_lazy("audit action", "登记深入现场"),
    # 代建
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
