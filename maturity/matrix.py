"""The national maturity matrix every install starts from: seven domains, each with a descriptor for levels 1 to 4
in English and Welsh. A national administrator may reword them (maturity/services/matrix.py); loading again adds
only a domain that is missing, so their words are never overwritten."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.actor import Actor
from audit.operation import operation
from maturity.tables import MaturityDomain

# key: (name, name_cy, ((level 1 en, cy), (level 2 en, cy), (level 3 en, cy), (level 4 en, cy)))
MATRIX: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "governance",
        "Governance",
        "Llywodraethu",
        (
            (
                "A board or management group meets, but roles, decisions and conflicts of interest are not recorded.",
                "Mae bwrdd neu grŵp rheoli yn cyfarfod, ond nid yw rolau, penderfyniadau a gwrthdaro buddiannau "
                "yn cael eu cofnodi.",
            ),
            (
                "Roles and a scheme of delegation are written down; decisions and declared interests are minuted.",
                "Mae rolau a chynllun dirprwyo wedi'u hysgrifennu; caiff penderfyniadau a buddiannau a ddatganwyd "
                "eu cofnodi yn y cofnodion.",
            ),
            (
                "The board reviews risk, performance and compliance at every meeting and acts on what it finds.",
                "Mae'r bwrdd yn adolygu risg, perfformiad a chydymffurfiaeth ym mhob cyfarfod ac yn gweithredu ar "
                "yr hyn y mae'n ei ganfod.",
            ),
            (
                "Governance is reviewed independently each year, and the lessons are shared with other clusters.",
                "Caiff y trefniadau llywodraethu eu hadolygu'n annibynnol bob blwyddyn, a rhennir y gwersi â "
                "chlystyrau eraill.",
            ),
        ),
    ),
    (
        "finance",
        "Finance",
        "Cyllid",
        (
            (
                "Income and spend are tracked informally; there is no annual budget or reserves policy.",
                "Caiff incwm a gwariant eu holrhain yn anffurfiol; nid oes cyllideb flynyddol na pholisi cronfeydd "
                "wrth gefn.",
            ),
            (
                "An annual budget is set and spend is reported to the board against it every quarter.",
                "Caiff cyllideb flynyddol ei phennu a chaiff gwariant ei adrodd i'r bwrdd yn ei herbyn bob chwarter.",
            ),
            (
                "Accounts are audited, reserves are held to policy and each service is costed in full.",
                "Caiff y cyfrifon eu harchwilio, cedwir cronfeydd wrth gefn yn unol â'r polisi a chaiff pob "
                "gwasanaeth ei gostio'n llawn.",
            ),
            (
                "A three-year financial plan guides decisions, and spend is linked to the outcomes it buys.",
                "Mae cynllun ariannol tair blynedd yn llywio penderfyniadau, a chaiff gwariant ei gysylltu â'r "
                "canlyniadau y mae'n eu prynu.",
            ),
        ),
    ),
    (
        "workforce",
        "Workforce",
        "Gweithlu",
        (
            (
                "Staff are engaged service by service, with no workforce plan and gaps filled as they arise.",
                "Caiff staff eu cyflogi fesul gwasanaeth, heb gynllun gweithlu, a chaiff bylchau eu llenwi wrth "
                "iddynt godi.",
            ),
            (
                "Contracts, checks and mandatory training are in place and recorded for every member of staff.",
                "Mae contractau, gwiriadau a hyfforddiant gorfodol ar waith ac wedi'u cofnodi ar gyfer pob aelod "
                "o staff.",
            ),
            (
                "A workforce plan covers the services held, with supervision, appraisal and development for all.",
                "Mae cynllun gweithlu yn cwmpasu'r gwasanaethau a ddelir, gyda goruchwyliaeth, arfarniad a "
                "datblygiad i bawb.",
            ),
            (
                "The workforce is planned across professions with the cluster, and staff stay and progress.",
                "Caiff y gweithlu ei gynllunio ar draws proffesiynau gyda'r clwstwr, ac mae staff yn aros ac yn "
                "datblygu.",
            ),
        ),
    ),
    (
        "service_delivery",
        "Service delivery",
        "Darparu gwasanaethau",
        (
            (
                "Services are delivered, but activity and quality are not measured against the specification.",
                "Caiff gwasanaethau eu darparu, ond nid yw gweithgarwch ac ansawdd yn cael eu mesur yn erbyn y "
                "fanyleb.",
            ),
            (
                "Activity is counted and KPIs are reported each quarter, with most targets met.",
                "Caiff gweithgarwch ei gyfrif ac adroddir ar DPAau bob chwarter, gyda'r rhan fwyaf o dargedau "
                "wedi'u cyrraedd.",
            ),
            (
                "Services meet their targets, incidents are learnt from and pathways are agreed with partners.",
                "Mae gwasanaethau'n cyrraedd eu targedau, dysgir o ddigwyddiadau a chytunir ar lwybrau gyda "
                "phartneriaid.",
            ),
            (
                "Services improve year on year, and the vehicle leads new models of care for the cluster.",
                "Mae gwasanaethau'n gwella o flwyddyn i flwyddyn, ac mae'r cyfrwng cyflawni yn arwain modelau "
                "gofal newydd i'r clwstwr.",
            ),
        ),
    ),
    (
        "partnership",
        "Partnership",
        "Partneriaeth",
        (
            (
                "The vehicle works mostly on its own, with little contact with the cluster or other bodies.",
                "Mae'r cyfrwng cyflawni yn gweithio ar ei ben ei hun gan fwyaf, heb fawr o gysylltiad â'r clwstwr "
                "na chyrff eraill.",
            ),
            (
                "It takes part in cluster meetings and knows the professional collaboratives it serves.",
                "Mae'n cymryd rhan yng nghyfarfodydd y clwstwr ac yn adnabod y cydweithredfeydd proffesiynol y mae'n "
                "eu gwasanaethu.",
            ),
            (
                "It plans services jointly with the cluster, the local authority and the third sector.",
                "Mae'n cynllunio gwasanaethau ar y cyd â'r clwstwr, yr awdurdod lleol a'r trydydd sector.",
            ),
            (
                "Partners share goals, staff and data with it, and it shapes the PCPG's plan.",
                "Mae partneriaid yn rhannu nodau, staff a data ag ef, ac mae'n llywio cynllun y GCCC.",
            ),
        ),
    ),
    (
        "data_and_reporting",
        "Data and reporting",
        "Data ac adrodd",
        (
            (
                "Returns are late or incomplete, and data is kept in spreadsheets nobody checks.",
                "Mae ffurflenni'n hwyr neu'n anghyflawn, a chedwir data mewn taenlenni nad oes neb yn eu gwirio.",
            ),
            (
                "Quarterly returns are on time and complete, with figures checked before they are sent.",
                "Mae ffurflenni chwarterol yn brydlon ac yn gyflawn, a chaiff y ffigurau eu gwirio cyn eu hanfon.",
            ),
            (
                "Data is used to manage services: trends are reviewed and acted on between returns.",
                "Defnyddir data i reoli gwasanaethau: caiff tueddiadau eu hadolygu a gweithredir arnynt rhwng "
                "ffurflenni.",
            ),
            (
                "Outcomes are measured and published, and data is shared safely with partners to plan.",
                "Caiff canlyniadau eu mesur a'u cyhoeddi, a rhennir data'n ddiogel â phartneriaid er mwyn cynllunio.",
            ),
        ),
    ),
    (
        "patient_engagement",
        "Patient engagement",
        "Ymgysylltu â chleifion",
        (
            (
                "People who use the services are not asked for their views.",
                "Ni ofynnir i'r bobl sy'n defnyddio'r gwasanaethau am eu barn.",
            ),
            (
                "Feedback and complaints are collected and answered for each service.",
                "Caiff adborth a chwynion eu casglu a'u hateb ar gyfer pob gwasanaeth.",
            ),
            (
                "Patients help design services, and the vehicle shows what changed because of them.",
                "Mae cleifion yn helpu i gynllunio gwasanaethau, ac mae'r cyfrwng cyflawni yn dangos beth a "
                "newidiodd o'u herwydd.",
            ),
            (
                "Patients and carers sit on its board or panels and take part in every decision on services.",
                "Mae cleifion a gofalwyr yn aelodau o'i fwrdd neu ei baneli ac yn cymryd rhan ym mhob penderfyniad "
                "am wasanaethau.",
            ),
        ),
    ),
)


def seed_values(position: int) -> dict[str, Any]:
    """One domain of the seed matrix as a row's values (position counts from 1)."""
    key, name, name_cy, levels = MATRIX[position - 1]
    values: dict[str, Any] = {"key": key, "position": position, "name": name, "name_cy": name_cy}
    for level, (english, welsh) in enumerate(levels, start=1):
        values[f"level_{level}"] = english
        values[f"level_{level}_cy"] = welsh
    return values


async def load_matrix(*, actor: Actor, now: datetime) -> int:
    """Add each seed domain that is missing (by its key); returns how many were added. Running it again adds none."""
    async with operation("maturity_domain.seeded", actor=actor, now=now) as op:
        present = {row["key"] for row in await MaturityDomain.select(MaturityDomain.key)}
        added = 0
        for position in range(1, len(MATRIX) + 1):
            values = seed_values(position)
            if values["key"] in present:
                continue
            row = MaturityDomain(**values)
            await row.save()
            op.record("MaturityDomain", row.id, after={"name": values["name"], "position": position})
            added += 1
        return added
