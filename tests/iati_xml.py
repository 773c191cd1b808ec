"""Write IATI activity files (version 2.0x) for the tests: the committed fixtures of
tests/fixtures/iati/ were written with these helpers, and the property test and the
oversized-file test write theirs at run time. Every file they write is valid
against the IATI activity schema 2.03."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr


def _value(amount, currency=None, value_date="2022-01-01") -> str:
    attrs = f" currency={quoteattr(currency)}" if currency else ""
    return f"<value{attrs} value-date={quoteattr(value_date)}>{amount}</value>"


def _period(year) -> str:
    return (
        f'<period-start iso-date="{year}-01-01"/><period-end iso-date="{year}-12-31"/>'
        if isinstance(year, int)
        else f'<period-start iso-date="{year[0]}"/><period-end iso-date="{year[1]}"/>'
    )


def budget(year, amount, type_="1", status="1", currency=None, value_date=None) -> str:
    day = value_date or (f"{year}-01-01" if isinstance(year, int) else year[0])
    return (
        f'<budget type="{type_}" status="{status}">{_period(year)}'
        f"{_value(amount, currency, day)}</budget>"
    )


def planned(year, amount, type_="1", currency=None, value_date=None) -> str:
    day = value_date or (f"{year}-01-01" if isinstance(year, int) else year[0])
    kind = f' type="{type_}"' if type_ else ""
    return (
        f"<planned-disbursement{kind}>{_period(year)}"
        f"{_value(amount, currency, day)}</planned-disbursement>"
    )


def transaction(day, amount, code="3", currency=None, aid_type=None, country=None) -> str:
    parts = [
        f'<transaction-type code="{code}"/>',
        f'<transaction-date iso-date="{day}"/>',
        _value(amount, currency, day),
    ]
    if country:
        parts.append(f'<recipient-country code="{country}"/>')
    if aid_type:
        parts.append(f'<aid-type code="{aid_type}" vocabulary="1"/>')
    return f"<transaction>{''.join(parts)}</transaction>"


def activity(
    identifier: str,
    org: str,
    org_name: str,
    *,
    currency: str | None = "USD",
    countries=(("BF", None),),
    aid_types=("A01",),
    vocabulary: str | None = "1",
    budgets=(),
    planned_disbursements=(),
    transactions=(),
    updated="2022-04-01T08:00:00Z",
    title="Appui budgétaire",
) -> str:
    attrs = f' last-updated-datetime="{updated}" xml:lang="fr"'
    if currency:
        attrs += f' default-currency="{currency}"'
    vocab = f' vocabulary="{vocabulary}"' if vocabulary else ""
    parts = [
        f"<iati-identifier>{escape(identifier)}</iati-identifier>",
        f'<reporting-org ref={quoteattr(org)} type="10"><narrative>{escape(org_name)}'
        "</narrative></reporting-org>",
        f"<title><narrative>{escape(title)}</narrative></title>",
        f'<description type="1"><narrative>{escape(title)}</narrative></description>',
        f'<participating-org ref={quoteattr(org)} role="1"><narrative>{escape(org_name)}'
        "</narrative></participating-org>",
        '<activity-status code="2"/>',
        '<activity-date type="2" iso-date="2021-01-01"/>',
    ]
    for code, percentage in countries:
        share = f' percentage="{percentage}"' if percentage is not None else ""
        parts.append(f'<recipient-country code="{code}"{share}/>')
    parts += [f'<default-aid-type code="{code}"{vocab}/>' for code in aid_types]
    parts += list(budgets) + list(planned_disbursements) + list(transactions)
    return f"<iati-activity{attrs}>{''.join(parts)}</iati-activity>"


def document(activities, version="2.03") -> str:
    body = "\n".join(activities)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<iati-activities version="{version}" generated-datetime="2022-04-01T08:00:00Z">\n'
        f"{body}\n</iati-activities>\n"
    )
