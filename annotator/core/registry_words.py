"""The words the registry's name matching knows (core.registry): titles, countries and their demonyms,
and the pronouns that name nobody by themselves. Lower case; a title of several words is a tuple."""

from __future__ import annotations

# Job and honorific titles stripped before a person's name ("Foreign Minister Sergey Lavrov"). The
# longer titles first: "prime minister" before "minister".
_TITLES = """
prime minister, deputy prime minister, foreign minister, defence minister, defense minister,
interior minister, finance minister, health minister, minister, deputy minister, secretary of state,
secretary general, secretary-general, general secretary, press secretary, secretary, vice president,
president, president-elect, chancellor, premier, governor, gov, senator, sen, representative, rep,
congressman, congresswoman, speaker, mayor, ambassador, envoy, spokesman, spokeswoman, spokesperson,
press service, chairman, chairwoman, chair, chief executive, ceo, director, head, leader, opposition leader,
king, queen, prince, princess, pope, general, gen, colonel, col, admiral, lieutenant, captain, sergeant,
judge, justice, attorney general, prosecutor, professor, prof, doctor, dr, mr, mrs, ms, miss, sir, dame,
lord, lady, rev, reverend, father, sheikh, former, acting, deputy, vice, chief, top, senior, then, late,
diplomat, official, officer, commander, minister of foreign affairs
"""
TITLES: tuple[tuple[str, ...], ...] = tuple(
    sorted({tuple(t.replace("-", " ").split()) for t in _TITLES.replace("\n", " ").split(",") if t.strip()},
           key=len, reverse=True)
)
TITLE_WORDS = frozenset(t[0] for t in TITLES if len(t) == 1) | {
    "foreign", "defence", "defense", "interior", "finance", "health", "kremlin", "white", "house", "state",
    "department", "ministry", "us", "u", "s", "uk", "eu", "un",
}
# Titles that may follow a name as well ("Dmitry Peskov, Kremlin spokesman"); others after a name are
# more likely part of it ("Martin Luther King").
TRAILING_TITLES = frozenset({"spokesman", "spokeswoman", "spokesperson"})

# Demonym -> the country's own words: "Armenian Foreign Ministry" and "Armenia's Foreign Ministry" meet.
_COUNTRIES = """
afghan afghanistan; albanian albania; algerian algeria; american united states; argentine argentina;
argentinian argentina; armenian armenia; australian australia; austrian austria; azerbaijani azerbaijan;
azeri azerbaijan; belarusian belarus; belgian belgium; bolivian bolivia; brazilian brazil; british britain;
bulgarian bulgaria; canadian canada; chilean chile; chinese china; colombian colombia; croatian croatia;
cuban cuba; czech czechia; danish denmark; dutch netherlands; egyptian egypt; estonian estonia;
ethiopian ethiopia; finnish finland; french france; georgian georgia; german germany; greek greece;
hungarian hungary; indian india; indonesian indonesia; iranian iran; iraqi iraq; irish ireland;
israeli israel; italian italy; japanese japan; jordanian jordan; kazakh kazakhstan; kenyan kenya;
korean korea; kyrgyz kyrgyzstan; latvian latvia; lebanese lebanon; libyan libya; lithuanian lithuania;
malaysian malaysia; mexican mexico; moldovan moldova; moroccan morocco; nigerian nigeria;
norwegian norway; pakistani pakistan; palestinian palestine; peruvian peru; philippine philippines;
polish poland; portuguese portugal; qatari qatar; romanian romania; russian russia; saudi saudi arabia;
serbian serbia; slovak slovakia; spanish spain; swedish sweden; swiss switzerland;
syrian syria; taiwanese taiwan; tajik tajikistan; thai thailand; turkish turkey; turkmen turkmenistan;
ukrainian ukraine; uzbek uzbekistan; venezuelan venezuela; vietnamese vietnam; yemeni yemen;
zimbabwean zimbabwe; soviet soviet union; european europe
"""
DEMONYMS: dict[str, str] = {}
for _pair in _COUNTRIES.replace("\n", " ").split(";"):
    if _pair.strip():
        _demonym, _country = _pair.split(maxsplit=1)
        DEMONYMS[_demonym] = _country.strip()

PRONOUNS = frozenset(
    "he she they it we i you him her them us his hers their its our my your who this that these those one "
    "someone somebody anyone nobody".split()
)
