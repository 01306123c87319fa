"""Words and formats of each report language: headings, labels, dates, money.

Dates, numbers and currency go through Babel (CLDR data), so ``ja`` gives
2012年9月1日 and yen amounts the way Japanese readers expect them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "contents": "Contents",
        "key_figures": "The Year in Figures",
        "activities": "Activities",
        "coalitions": "Coalitions and Networks",
        "lobbying": "Advocacy and Lobbying",
        "finances": "Finances",
        "people": "Board and Officers",
        "contact": "Contact",
        "fiscal_year_period": "Fiscal year {start} to {end}",
        "activities_count": "activities",
        "participants": "participants reached",
        "coalition_orgs": "partner organisations in coalitions",
        "coalition_countries": "countries across our coalitions",
        "lobbying_count": "advocacy meetings",
        "income": "total income",
        "expenses": "total expenses",
        "net": "surplus (deficit)",
        "program_share": "of spending went to programmes",
        "vs_previous": "vs {previous}",
        "new_this_year": "new this year",
        "unchanged": "unchanged",
        "date": "Date",
        "title": "Activity",
        "category": "Category",
        "location": "Location",
        "name": "Name",
        "role": "Role",
        "joined": "Joined",
        "members": "Member organisations",
        "countries": "Countries",
        "target_type": "Met with",
        "target": "Institution",
        "topic": "Topic",
        "outcome": "Outcome",
        "kind_income": "Income",
        "kind_expense": "Expenses",
        "amount": "Amount",
        "share": "Share",
        "total": "Total",
        "function": "Function",
        "function_program": "Programmes",
        "function_fundraising": "Fundraising",
        "function_administration": "Administration",
        "function_unassigned": "Not assigned",
        "group_board": "Board",
        "group_officer": "Officers",
        "group_staff": "Staff",
        "group_advisor": "Advisors",
        "chart_data": "Chart data",
        "month": "Month",
        "count": "Count",
        "no_rows": "Nothing was recorded for this section this year.",
        "by_category": "Activities by category",
        "by_month": "Activities through the year",
        "by_target": "Advocacy meetings by counterpart",
        "income_by_category": "Where the money came from",
        "expenses_by_function": "How the money was spent",
        "trend": "Income and expenses over the years",
        "fiscal_year": "Fiscal year",
        "published": "Published {date}",
        "page": "Page",
        "skip": "Skip to content",
        "website": "Website",
        "email": "Email",
        "address": "Address",
        "activities_intro": (
            "{count} activities in {categories} categories, from {first} to {last}."
        ),
        "lobbying_intro": "{count} meetings with {types}.",
        "coalitions_intro": "Membership of {count} coalitions and networks.",
        "finances_intro": "Income of {income} against expenses of {expenses}.",
        "change": "Change",
        "title_handout": "General Meeting Handout",
        "title_donor": "Report to Our Donors",
        "members_only": "For members of the general meeting. Includes internal records: please do not pass on.",
        "year_at_a_glance": "The year at a glance",
        "compared_with": "Compared with {previous}",
        "charts": "Charts",
        "summaries": "Section summaries",
        "thank_you": "Thank you",
        "dear_friends": "Dear friends,",
        "donor_letter_1": "Thank you for standing with {org} in {fiscal_year}. Your support carried our work through a year of change, and this report shows what it made possible.",
        "donor_letter_2": "Every gift, large or small, goes to the work described in these pages. We publish our accounts so that you can see where the money went.",
        "donor_letter_3": "With our sincere thanks,",
        "highlights": "Highlights of the year",
        "where_money_went": "Where the money went",
        "how_to_give": "How to give",
        "how_to_give_text": "You can support our work with a one-off gift or by becoming a member. To give, or to ask us anything about how gifts are used, contact us:",
        "letter_salutation": "Dear {name},",
        "letter_amount": "Your gift of {amount} in {fiscal_year} helped make this work possible.",
        "letter_no_amount": "Your support in {fiscal_year} helped make this work possible.",
        "letter_body": "On behalf of everyone at {org}, thank you. The report that follows tells what we did this year and how we used the funds entrusted to us.",
        "letter_closing": "With gratitude,",
        "letter_for": "A letter for {name}",
        "other_years": "Other years",
        "row_activities": "Activities",
        "row_lobbying": "Advocacy meetings",
        "row_participants": "Participants reached",
        "row_coalition_orgs": "Partner organisations in coalitions",
        "table_bounded": "This printed list shows {shown} of the year's {total} entries: the most recent of each kind. The full list is in the HTML edition and attached to this PDF as {file}.",
        "prev_year": "Previous year: {label}",
        "next_year": "Next year: {label}",
    },
    "ja": {
        "contents": "目次",
        "key_figures": "数字で見る一年",
        "activities": "活動",
        "coalitions": "連携団体・ネットワーク",
        "lobbying": "政策提言・ロビー活動",
        "finances": "財務",
        "people": "役員",
        "contact": "連絡先",
        "fiscal_year_period": "会計年度 {start}～{end}",
        "activities_count": "件の活動",
        "participants": "人の参加者",
        "coalition_orgs": "連携団体数",
        "coalition_countries": "か国",
        "lobbying_count": "件の面会",
        "income": "収入合計",
        "expenses": "支出合計",
        "net": "収支差額",
        "program_share": "事業費の割合",
        "vs_previous": "{previous}比",
        "new_this_year": "今年度新規",
        "unchanged": "増減なし",
        "date": "日付",
        "title": "活動",
        "category": "分類",
        "location": "場所",
        "name": "名称",
        "role": "役割",
        "joined": "加盟",
        "members": "加盟団体数",
        "countries": "国数",
        "target_type": "面会先の種別",
        "target": "面会先",
        "topic": "議題",
        "outcome": "成果",
        "kind_income": "収入",
        "kind_expense": "支出",
        "amount": "金額",
        "share": "割合",
        "total": "合計",
        "function": "区分",
        "function_program": "事業費",
        "function_fundraising": "募金活動費",
        "function_administration": "管理費",
        "function_unassigned": "未区分",
        "group_board": "理事",
        "group_officer": "役職員",
        "group_staff": "スタッフ",
        "group_advisor": "顧問",
        "chart_data": "グラフのデータ",
        "month": "月",
        "count": "件数",
        "no_rows": "今年度の記録はありません。",
        "by_category": "分類別の活動",
        "by_month": "月別の活動",
        "by_target": "面会先別の政策提言",
        "income_by_category": "収入の内訳",
        "expenses_by_function": "支出の内訳",
        "trend": "収支の推移",
        "fiscal_year": "会計年度",
        "published": "{date}発行",
        "page": "ページ",
        "skip": "本文へ移動",
        "website": "ウェブサイト",
        "email": "メール",
        "address": "所在地",
        "activities_intro": "{first}から{last}まで、{categories}分類で{count}件の活動。",
        "lobbying_intro": "{types}との面会{count}件。",
        "coalitions_intro": "{count}の連携団体・ネットワークに参加。",
        "finances_intro": "収入{income}、支出{expenses}。",
        "change": "増減",
        "title_handout": "総会資料",
        "title_donor": "ご寄付者への報告",
        "members_only": "総会出席会員向け資料です。内部情報を含むため、外部への配布はご遠慮ください。",
        "year_at_a_glance": "今年度の概要",
        "compared_with": "{previous}との比較",
        "charts": "グラフ",
        "summaries": "各章の要約",
        "thank_you": "御礼",
        "dear_friends": "ご支援者の皆様へ",
        "donor_letter_1": "{fiscal_year}も{org}の活動をご支援いただき、誠にありがとうございました。皆様のご支援により、変化の多い一年を乗り越えることができました。",
        "donor_letter_2": "お寄せいただいたご寄付は、本報告書に記載した活動に充てております。会計も公開しておりますので、使途をご確認ください。",
        "donor_letter_3": "心より感謝を込めて",
        "highlights": "今年度のハイライト",
        "where_money_went": "ご寄付の使途",
        "how_to_give": "ご寄付の方法",
        "how_to_give_text": "単発のご寄付、または会員としてのご支援を受け付けております。ご寄付やその使途についてのお問い合わせは、下記までご連絡ください。",
        "letter_salutation": "{name}",
        "letter_amount": "{fiscal_year}には{amount}のご寄付を賜り、誠にありがとうございました。",
        "letter_no_amount": "{fiscal_year}も温かいご支援を賜り、誠にありがとうございました。",
        "letter_body": "{org}一同、心より御礼申し上げます。以下に、今年度の活動とお預かりした資金の使途をご報告いたします。",
        "letter_closing": "敬具",
        "letter_for": "{name}への御礼状",
        "other_years": "他の年度",
        "row_activities": "活動件数",
        "row_lobbying": "面会件数",
        "row_participants": "参加者数",
        "row_coalition_orgs": "連携団体数",
        "table_bounded": "この一覧は全{total}件のうち、種類ごとに新しい順の{shown}件を掲載しています。全件はHTML版に掲載し、このPDFに{file}として添付しています。",
        "prev_year": "前年度：{label}",
        "next_year": "次年度：{label}",
    },
}


@cache
def _locale(language: str) -> str:
    return {"en": "en_US", "ja": "ja_JP"}.get(language, "en_US")


def label(language: str, key: str, **values: object) -> str:
    text = LABELS.get(language, LABELS["en"]).get(key) or LABELS["en"][key]
    return text.format(**values) if values else text


def format_date(value: date, language: str, style: str = "long") -> str:
    from babel.dates import format_date as babel_date

    if language == "en" and style == "long":
        return f"{value.day} {babel_date(value, 'MMMM y', locale='en_US')}"
    return babel_date(value, style, locale=_locale(language))


def format_month(value: date, language: str, short: bool = True) -> str:
    from babel.dates import format_date as babel_date

    pattern = ("MMM" if short else "MMMM y") if language == "en" else ("M月" if short else "y年M月")
    return babel_date(value, pattern, locale=_locale(language))


def format_number(value: int | float | Decimal, language: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(language))


def format_money(value: Decimal, currency: str, language: str) -> str:
    from babel.numbers import format_currency

    return format_currency(value, currency, locale=_locale(language))


def format_percent(value: float, language: str) -> str:
    from babel.numbers import format_percent as babel_percent

    if 0 < value < 0.005:
        return "<" + babel_percent(0.01, locale=_locale(language))
    return babel_percent(value, locale=_locale(language))


def format_compact_money(value: Decimal, currency: str, language: str) -> str:
    """Short amounts for key figures and chart labels: ¥10.2M, 1,020万円."""
    from babel.numbers import format_compact_currency

    return format_compact_currency(value, currency, locale=_locale(language), fraction_digits=1)
