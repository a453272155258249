"""The words the registry's name matching knows (core.registry): titles, countries and their demonyms,
and the pronouns that name nobody by themselves. Lower case; a title of several words is a tuple."""

from __future__ import annotations

# The kinds of entry (core.registry re-exports them): here, so the command line names them without loading
# the matching (rapidfuzz, anyascii).
PERSON, ORG, GPE, OTHER = "PERSON", "ORG", "GPE", "OTHER"
KINDS = (PERSON, ORG, GPE, OTHER)

# Job and honorific titles stripped before a person's name ("Foreign Minister Sergey Lavrov"). The
# longer titles first: "prime minister" before "minister".
_TITLES = """
prime minister, deputy prime minister, foreign minister, defence minister, defense minister,
interior minister, finance minister, health minister, minister, deputy minister, secretary of state,
secretary general, secretary-general, general secretary, press secretary, secretary, vice president,
president, pres, president-elect, chancellor, premier, governor, gov, senator, sen, representative, rep,
congressman, congresswoman, speaker, mayor, ambassador, envoy, spokesman, spokeswoman, spokesperson,
press service, chairman, chairwoman, chair, chief executive, ceo, director, head, leader, opposition leader,
king, queen, prince, princess, pope, general, gen, colonel, col, admiral, lieutenant, captain, sergeant,
judge, justice, attorney general, prosecutor, professor, prof, doctor, dr, mr, mrs, ms, miss, sir, dame,
lord, lady, rev, reverend, father, sheikh, former, acting, deputy, vice, chief, top, senior, then, late,
diplomat, official, officer, commander, minister of foreign affairs, whip, majority whip,
minority whip, majority leader, minority leader, treasurer, committeeman, committeewoman, capt, rear admiral
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

# Capitalised words that describe a person before the name ("Presumptive Democratic presidential nominee
# Hillary Clinton", "Democrat Hillary Clinton"): never a name's own word.
ROLE_WORDS = frozenset(
    "presumptive democratic democrat democrats republican republicans gop independent presidential nominee "
    "candidate candidates hopeful frontrunner incumbent former then famed longtime veteran co host anchor "
    "columnist editor writer actress actor author analyst adviser advisor aide strategist pollster economist "
    "lawyer attorney activist founder owner president elect legend star billionaire businessman "
    "businesswoman conservative liberal progressive moderate".split()
)
# Lower-case words that may sit inside a name ("Charles de Gaulle", "Mohammed bin Salman").
PARTICLES = frozenset("de da di del della der den van von la le du dos das bin ibn al el ter ten y".split())
# After a name, not part of it: "Charles Elliott Jr.".
SUFFIXES = frozenset("jr sr ii iii iv".split())
# A name that sits after one of these is a place or body the speaker belongs to ("Mayor Frank Jackson of
# Cleveland", "the secretary of the Treasury"), not the speaker's name.
PREPOSITIONS = frozenset("of for at from in on to with by against".split())
# Words that make a run of capitalised words an organisation, not a person ("the Associated Press").
ORG_WORDS = frozenset(
    "press times post news journal tribune herald daily magazine review network channel radio tv institute "
    "university college school association union council commission committee department ministry agency "
    "court congress senate house government administration corporation corp inc llc ltd company group "
    "report foundation center centre bank fund league caucus party campaign watch poll bureau service services "
    "office organization organisation federation coalition alliance society club project initiative "
    "movement forum board authority police army navy force forces".split()
)
# Lower-case heads that leave a speaker phrase an organisation ("the Clinton campaign", "China's foreign
# ministry"); a phrase ending in another lower-case word describes people ("Clinton aides", "The talks").
ORG_HEADS = frozenset(
    "campaign committee government administration ministry department party office agency council team "
    "police court commission service army navy".split()
)
# Plural party names: alone a group ("Democrats"), qualified a part of one ("House Democrats"): no entry.
GROUP_WORDS = frozenset("democrats republicans dems conservatives liberals independents progressives".split())
# First words that make a mention a description, not a name: "a Chinese official", "some Democrats",
# "his American counterpart", "Another superdelegate".
NOT_NAME_STARTS = frozenset(
    "a an another some many several few fewer most all both each every other others any no more two three "
    "four five six seven eight nine ten dozens hundreds thousands millions numerous various his her its "
    "their our my your among at just only these those this such everyone everybody".split()
)
# Places whose name makes a title no name: "the Vermont senator", "Florida Gov.".
US_STATES = frozenset(
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho "
    "illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota "
    "mississippi missouri montana nebraska nevada hampshire jersey mexico york carolina dakota ohio oklahoma "
    "oregon pennsylvania rhode island tennessee texas utah vermont virginia washington wisconsin wyoming "
    "new north south west".split()
)
# Honorifics that say a person's gender: "Mrs. Clinton" is not Bill Clinton.
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "madam", "madame", "lady", "dame", "queen", "princess"})
MALE_HONORIFICS = frozenset({"mr", "sir", "lord", "king", "prince"})
MALE_NAMES = frozenset(
    "bill donald barack bernie joe john george jeb ted marco mike paul harry mitch chuck jon tim ben david "
    "james robert michael william richard thomas charles jack jacob ron rand chris newt eric vladimir sergey "
    "xi ash scott jeff josh frank gary mark steve stephen peter andrew daniel kevin brian jim tom bob "
    "dick al".split()
)
FEMALE_NAMES = frozenset(
    "hillary elizabeth nancy michelle melania ivanka chelsea sarah mary anna susan jane theresa angela "
    "marine nikki debbie katrina kellyanne jill cathy heidi laura linda karen barbara "
    "hope jennifer ann anne maria dianne patty amy tammy kirsten".split()
)
