"""The region of a country: the five UN M49 regions (Africa, Americas, Asia, Europe, Oceania),
from ISO 3166 alpha-2 codes. django-countries has no regions, hence this small table."""

from django.utils.translation import gettext_lazy as _

AFRICA = (
    "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW "
    "ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW IO TF"
)
AMERICAS = (
    "AI AG AR AW BS BB BZ BM BO BQ BV BR CA KY CL CO CR CU CW DM DO EC SV FK GF GL GD GP GT GY HT "
    "HN JM MQ MX MS NI PA PY PE PR BL KN LC MF PM VC SX GS SR TT TC US UM UY VE VG VI"
)
ASIA = (
    "AF AM AZ BH BD BT BN KH CN CY GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV MN MM NP KP "
    "OM PK PS PH QA SA SG KR LK SY TW TJ TH TL TR TM AE UZ VN YE"
)
EUROPE = (
    "AX AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG VA HU IS IE IM IT JE LV LI LT LU MT "
    "MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB XK"
)
OCEANIA = "AS AU CX CC CK FJ PF GU HM KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF AQ"

REGIONS = {
    "africa": (_("Africa"), AFRICA.split()),
    "americas": (_("Americas"), AMERICAS.split()),
    "asia": (_("Asia"), ASIA.split()),
    "europe": (_("Europe"), EUROPE.split()),
    "oceania": (_("Oceania"), OCEANIA.split()),
}

# ISO 3166 alpha-2 code → the key of its region in REGIONS.
REGION_OF = {code: key for key, (_, codes) in REGIONS.items() for code in codes}
