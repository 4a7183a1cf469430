"""The words of ratings and complaints, shared by the kiosk, its receipts and the central server.

The five levels are the national government-service rating standard's (好差评, GB/T 39734-2020).
Each vocabulary is a tuple of codes (what is stored and sent) with the words shown for each code
in Chinese and English, so a kiosk, a phone page and the dashboard name things alike.
"""

from __future__ import annotations

from kiosk.content import Text

VERY_SATISFIED, SATISFIED, BASICALLY_SATISFIED, DISSATISFIED, VERY_DISSATISFIED = (
    "very_satisfied",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    "very_dissatisfied",
)
LEVELS = (VERY_SATISFIED, SATISFIED, BASICALLY_SATISFIED, DISSATISFIED, VERY_DISSATISFIED)
BAD_LEVELS = (DISSATISFIED, VERY_DISSATISFIED)  # these ask for reasons and offer a call-back
SCORES = {VERY_SATISFIED: 5, SATISFIED: 4, BASICALLY_SATISFIED: 3, DISSATISFIED: 2, VERY_DISSATISFIED: 1}
LEVEL_NAMES = {
    VERY_SATISFIED: Text("非常满意", "Very satisfied"),
    SATISFIED: Text("满意", "Satisfied"),
    BASICALLY_SATISFIED: Text("基本满意", "Basically satisfied"),
    DISSATISFIED: Text("不满意", "Dissatisfied"),
    VERY_DISSATISFIED: Text("非常不满意", "Very dissatisfied"),
}

REASONS = ("attitude", "efficiency", "expertise", "environment", "other")
REASON_NAMES = {
    "attitude": Text("态度", "Attitude"),
    "efficiency": Text("效率", "Efficiency"),
    "expertise": Text("专业水平", "Expertise"),
    "environment": Text("环境设施", "Environment and facilities"),
    "other": Text("其他", "Other"),
}

COMPLAINT, SUGGESTION = "complaint", "suggestion"
COMPLAINT_KINDS = (COMPLAINT, SUGGESTION)
KIND_NAMES = {COMPLAINT: Text("投诉", "Complaint"), SUGGESTION: Text("建议", "Suggestion")}

# What a complaint or suggestion is about, and the preset texts a visitor can tick for each.
CATEGORIES = ("attitude", "efficiency", "expertise", "integrity", "fees", "environment", "other")
CATEGORY_NAMES = {
    "attitude": Text("服务态度", "Staff attitude"),
    "efficiency": Text("办事效率", "Speed of service"),
    "expertise": Text("业务水平", "Professional competence"),
    "integrity": Text("廉洁纪律", "Integrity and discipline"),
    "fees": Text("收费问题", "Fees"),
    "environment": Text("环境设施", "Environment and facilities"),
    "other": Text("其他", "Other"),
}
PRESETS = {
    "rude": Text("工作人员态度生硬、不耐烦", "Staff were curt or impatient"),
    "not_first_asked": Text("首问人员推诿、不予指引", "The first person I asked did not help or direct me"),
    "long_wait": Text("排队等候时间过长", "The wait was too long"),
    "not_told_once": Text("材料没有一次性告知，多次往返", "Materials were not listed at once; I had to come back"),
    "over_time_limit": Text("超过承诺时限仍未办结", "Not finished within the promised time limit"),
    "unclear_answer": Text("解答不清楚、不准确", "The answer was unclear or wrong"),
    "gift_or_favour": Text("索要或收受财物、吃拿卡要", "Asked for or accepted gifts or favours"),
    "unclear_fees": Text("收费不明确或未公示", "Fees unclear or not displayed"),
    "facilities": Text("设施损坏或不便使用", "Facilities broken or hard to use"),
    "more_windows": Text("建议增加窗口或延长时间", "Please open more windows or longer hours"),
    "more_online": Text("建议增加网上或电话办理", "Please offer more services online or by phone"),
    "praise": Text("表扬工作人员", "Praise for a member of staff"),
}
CATEGORY_PRESETS = {
    "attitude": ("rude", "not_first_asked", "praise"),
    "efficiency": ("long_wait", "not_told_once", "over_time_limit", "more_windows"),
    "expertise": ("unclear_answer", "not_told_once"),
    "integrity": ("gift_or_favour",),
    "fees": ("unclear_fees",),
    "environment": ("facilities", "more_windows"),
    "other": ("more_online", "more_windows", "praise"),
}

# Limits the kiosk checks before storing and the server checks again.
TEXT_MAX = 500  # a complaint's own words (typed on a phone; the kiosk only ticks presets)
PHONE_MAX = 20
