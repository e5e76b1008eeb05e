"""Pure matching: text normalisation, a BM25F index, confidence scoring and name resolution.

Nothing here does I/O. The index is built from plain documents (dicts with ``id``,
``question``, ``aliases``, ``answer`` and ``tags``) and is itself made of plain lists and
dicts, so the knowledge module can cache it with ``marshal``.

Why not a plain fuzzy scorer: whole-string scorers reward short shared fragments and give
off-topic questions 50-58 points. Instead each query word is weighed by how rare it is in
the knowledge base (IDF), documents are shortlisted by BM25F over their question, aliases,
answer and tags, and each is scored by the share of the query's information it explains,
blended with how completely the query restates one of its own phrasings. A logistic
calibration turns that, the lead over the rival, BM25 evidence, unknown words and places or years
the entry never mentions into a confidence, which orders the final list. An unknown word
(say "GDP" or "Corvette") weighs almost as much as the rarest known word, so it drags
confidence down instead of being ignored; everyday words ("happened", "took part") and
the knowledge base's own topic words weigh little.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
import unicodedata
from array import array
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Sequence

import Stemmer  # PyStemmer: the Snowball stemmers in C, ~1 ms to import

#: Field weights for BM25F: a word in a question or alias says more than one in an answer.
FIELD_WEIGHTS = {"question": 3.0, "aliases": 3.0, "answer": 1.0, "tags": 1.0}
BM25_K1 = 1.2
BM25_B = 0.5
#: Minimum confidence (0-100: the estimated chance, in percent, that the entry is the right
#: answer) to answer. P@1 + out-of-scope rejection is flat from 50 to 60 in
#: benchmarks/calibrate.py's 5-fold cross-validation; at 55 every question set in tests/eval/
#: keeps both >= 0.95.
ANSWER_THRESHOLD = 55.0
#: If the runner-up's confidence is within this many points of the winner's, both are shown.
AMBIGUITY_MARGIN = 1.0
#: Share of relevance (the first-pass ranking score) from query coverage; the rest is phrase coverage.
QUERY_COVERAGE_SHARE = 0.7
#: A query word found only in an entry's answer or tags (not its question or aliases) counts this much.
ANSWER_ONLY_CREDIT = 0.9
#: An unknown word weighs this share of the rarest known word's IDF: it may be a paraphrase.
UNKNOWN_WORD_WEIGHT = 0.7
#: Logistic calibration of "this entry is the right answer", fitted on the dev set by
#: benchmarks/calibrate.py: confidence = 100 * sigmoid(bias + sum(weight * feature)).
#: A clear lead over the runner-up, BM25 evidence and phrase overlap raise it; words the
#: knowledge base has never seen, and a place or year the entry never mentions, lower it.
CALIBRATION = {
    "bias": -6.1,
    "query_coverage": 3.54,
    "phrase_coverage": 4.1,
    "lead": 0.98,
    "unknown_share": -3.27,
    "bm25_share": 3.15,
    "misses_name": -1.44,
}
#: An entry that never mentions a place or year the question names keeps this share of its score.
OTHER_ENTITY_FACTOR = 0.6
#: The world's countries (a distinctive word of each) and a few regions. "Mongolia
#: rare earth deposits" must not be answered by an entry about Kazakhstan's deposits just because
#: the words "rare earth deposits" match: a named place the entry never mentions is strong
#: evidence that the question is about something else, and a place the knowledge base never
#: mentions at all ("NATO members") means no entry can answer.
PLACE_NAMES = """afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan
    bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana
    brazil brunei bulgaria burkina burundi cambodia cameroon canada chad chile china colombia
    comoros congo croatia cuba cyprus czech czechia denmark djibouti dominica ecuador egypt eritrea
    estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece
    greenland grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran
    iraq ireland israel italy jamaica japan jordan kenya kiribati korea kosovo kuwait laos latvia
    lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia
    maldives mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro
    morocco mozambique myanmar namibia nauru nepal netherlands zealand nicaragua niger nigeria
    macedonia norway oman pakistan palau palestine panama paraguay peru philippines poland portugal
    qatar romania russia rwanda samoa saudi senegal serbia seychelles singapore slovakia slovenia
    somalia spain lanka sudan suriname sweden switzerland syria taiwan tanzania thailand togo tonga
    trinidad tunisia turkey tuvalu uganda ukraine emirates uae uruguay vanuatu venezuela vietnam
    yemen zambia zimbabwe africa europe britain england scotland wales uk"""
#: Large and capital cities (a distinctive word of each): "How many people live in Tokyo?" (or in
#: Almaty, or Tashkent) is not answered by an entry that never names the city. Beijing and
#: Washington, which the answers name, are left out: they often stand for a government
#: ("Beijing's export controls").
CITY_NAMES = """tokyo delhi mumbai shanghai moscow london berlin madrid rome lisbon dublin amsterdam vienna
    prague warsaw budapest bucharest sofia athens istanbul ankara tehran baghdad riyadh dubai doha
    cairo nairobi lagos johannesburg kinshasa addis ababa karachi lahore islamabad kabul dhaka kolkata
    bangkok hanoi jakarta manila seoul osaka sydney melbourne auckland ottawa montreal vancouver
    chicago angeles francisco seattle boston miami dallas atlanta bogota caracas buenos aires santiago
    lima quito havana paulo janeiro brasilia tbilisi yerevan baku minsk kyiv kiev ulaanbaatar bukhara
    khiva shymkent termez urumqi kashgar novosibirsk helsinki stockholm oslo copenhagen reykjavik
    brussels zurich geneva munich hamburg frankfurt milan barcelona kuala lumpur taipei hong kong macau
    almaty samarkand karaganda toronto houston astana bishkek dushanbe ashgabat tashkent"""
#: Blocs are named like places, but a bloc's members are another question: "NATO members" is not
#: answered by the entry on who is in C5+1.
BLOC_NAMES = "eu asean brics nato opec sco g7 g20"
#: Everyday-life subjects people ask a search box about, not a policy reference: a question
#: about one ("Marco Rubio birthday", "White House address", "Kennedy Center parking") is not
#: answered by an entry that merely names the same person or place and never the subject.
OFF_TOPIC_WORDS = """birthday born age wife husband children kids family married wedding salary
    address phone email parking ticket tickets tour tours hotel hotels restaurant restaurants recipe
    weather forecast flight flights hiking trail nightlife tourism tourist vacation holiday
    football soccer game games movie film song lyrics symptoms disease joke horoscope stock stocks
    password router map tall height science chemistry
    instructions revenue revenues profit profits earnings ceo founder founders architect logo website
    employees employee workforce melting boiling temperature density atomic renamed"""
#: A mineral is a subject an answer must name, as a place is: the rare-earth reserves entry does
#: not answer "Which country has the most gold reserves?".
MINERAL_NAMES = """gold silver copper uranium tungsten antimony gallium germanium graphite lithium
    cobalt nickel zinc chromium iodine bromine helium potash rhenium strontium mercury molybdenum aluminium
    bauxite coal iron platinum palladium manganese titanium vanadium tin beryllium boron phosphate silicon
    tellurium arsenic barite fluorspar niobium tantalum zirconium hafnium indium magnesium bismuth cesium
    rubidium scandium yttrium diamonds"""
#: A typo-corrected word counts for this much of a correctly spelled one.
CORRECTION_DISCOUNT = 0.9
#: Only this many distinct query words are considered (bounds work on huge input).
MAX_QUERY_TERMS = 48
CANDIDATES = 10  # BM25 shortlist re-ranked by relevance, then confidence; 10 and 20 score the same on the dev set

FUNCTION_WORDS = """a about actually all also am an and any anything are as at be been being but by can
    could de did do does doing done for from get give go going had has have having
    help how i if in info information into is it its just know let like me
    might more most much my need no not now of on one or our out please really s say
    says should show so some something stuff tell than that the their them then there
    these they thing things this those to too u want was we were what whats when where
    which while who whom whose why will with would wonder you your exactly wat wht whos wheres hows
    regarding concerning each every up pls plz thx thanks here both either neither according off
    he she his her him hers himself herself itself themselves during behind alongside else together between
    im ive youre dont doesnt didnt isnt arent wasnt cant wont thats theres lets waht whta teh hte hwo wich
    wut abt r ur asap"""
#: Words about the answer wanted, the asker or the chat around a question ("in plain English",
#: "for my exam", "honestly", "fact check", "in a sentence"): they never say what it is about.
#: "Mineral wealth" is minerals.
FILLER_WORDS = """explain explained explaining explains describe describes described describing telling
    briefly quick quickly details detail plain simple simply simplest english nutshell layman laymans
    eli5 tldr summary summarise summarize overview rundown background basics intro introduction primer
    beginner beginners newbie newbies dummies
    sentence sentences line lines short word words fact facts check true correct verify
    exam exams homework essay assignment quiz revision notes ok okay everyone everybody lot lots
    honestly literally anyway btw maybe perhaps probably apparently supposedly curious wondering confused
    wealth
    even lol lmao haha hmm um uh wait yeah kinda sorta gonna wanna gotta seriously totally quite very rather
    nah dumb stupid silly question questions tomorrow tonight actual q qq"""
STOP_WORDS = frozenset(f"{FUNCTION_WORDS} {FILLER_WORDS}".split())

#: Everyday words that ask rather than say what about ("what happened", "how many", "took part"):
#: they still match, but weigh LIGHT_WORD_WEIGHT of their IDF, so an unmatched one barely lowers
#: confidence while an unmatched topical word ("GDP", "Corvette") still does.
LIGHT_WORDS_TEXT = """happen happened happening take taken took role play played hold held long after
    before since again later ago ever still already yet soon recent recently latest current currently
    today time times day days month months week weeks many number amount total small main
    major key important top best good bad people person someone anyone place thing way ways kind type
    types sort example examples list name names called call known said think thought basically make
    made use used using work works got went come came find found look looking see seen try given put
    set keep kept supposed able anymore exist exists existing involved matter matters"""
LIGHT_WORD_WEIGHT = 0.3
#: Framing words say how a question is asked, rarely what it is about: everyday verbs ("when did
#: it appear", "who is courting Central Asia") and a few nouns of asking ("which side", "the
#: number of", "a quote"). Off-topic subjects are other nouns ("Corvette", "GDP"). A framing word
#: weighs as a light word ("what keeps it running" is not about whatever is "run" by someone),
#: and one the knowledge base lacks does not count as an unknown word.
FRAMING_WORDS_TEXT = """run runs ran running appear appears appeared sit sits sat bring brings brought court
    courting get gets getting give gives gave go goes went gone come comes came coming try tries tried
    trying manage manages managed handle handles handled care cares cared worry worries worried move
    moves moved push pushes pushed pull pulls pulled turn turns turned grow grows grew rise rises rose
    fall falls fell reach reaches reached open opens opened close closes closed seem seems seemed feel
    feels felt believe believes believed expect expects expected hope hopes hoped count counts counted
    stop stops stopped pick picks picked choose chooses chose chosen send sends sent leave leaves left
    stay stays stayed hang hangs rely relies relied depend depends depended talked talking chat say
    said tell told speak spoke spoken sort sorted figure figured represent represents represented
    compare compares compared contain contains contained operate operates operated allow allows allowed
    point points pointed schedule schedules scheduled due expire expires expired remark remarks comment
    comments commented saw worth extra body bodies big large huge remind story stories receive receives
    received receiving guy guys bit fit fits highlight highlights highlighted skip skips skipped link links
    linked connection connections relationship relation
    provide provides provided impose imposes imposed warn warns warned take takes took taken number
    side sides topic topics version versions quote quotes long"""

#: Spellings folded to one token before matching, in both documents and queries.
TOKEN_SYNONYMS = {
    "dialog": "dialogue",
    "usa": "us",
    "america": "us",
    "american": "us",
    "americans": "us",
    "united": "us",
    "kazak": "kazakh",
    "km2": "area",
    "km": "area",
    "sq": "area",
    "prez": "president",
    "aluminum": "aluminium",
    # digits as the answers spell small numbers ("the 5 countries" are "the five")
    "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven", "8": "eight", "9": "nine",
    # month abbreviations, as the answers write dates ("28 Feb 2023")
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june", "jul": "july",
    "aug": "august", "sep": "september", "sept": "september", "oct": "october", "nov": "november",
    "dec": "december",
    "stand": "mean",  # "what does PGI stand for" asks for its meaning
    "meaning": "mean",
    "definition": "define",  # stemming leaves "definit" apart from "defin(e)"
    "definitions": "define",
    "finalise": "final",
    "finalised": "final",
    "finalize": "final",
    "finalized": "final",
    "refer": "mean",
    "refers": "mean",
    # here, not as a concept: stemming would fold "national" into "nation" too
    "nation": "country",
    "nations": "countries",
    # here, not as a concept: stemming would fold "initiative" into "initi(al)", the first
    "initial": "first",
    "initially": "first",
    "leads": "leader",  # "who leads Uzbekistan"; "lead" stays the metal
    "governs": "leader",  # "government" stays itself
    "un": "unga",  # see the "united nations" rewrite
    "legal": "law",
    "legally": "law",
    "statutory": "law",
    "partisan": "bipartisan",  # a question about partisanship is answered by "bipartisan interest"
    "criteria": "define",  # the criteria for a critical mineral are its definition
    "criterion": "define",
    "formal": "official",  # "Kazakhstan's formal name"
    "resource": "mineral",  # "Turkmenistan's main resources"; "mineral resources" are minerals
    "resources": "minerals",
    "latest": "current",  # "the latest list" is the current one
    "newest": "current",
    "methodology": "method",
    # texting abbreviations
    "govt": "government",
    "gov": "government",
    "intl": "international",
    "yr": "year",
    "yrs": "years",
    "ppl": "people",
    "atm": "current",  # "at the moment"
    "oz": "ounce",  # the answers write gold output in ounces: "404,000 oz", "2.9 Moz"
    "budget": "funding",
    "land": "area",  # "land area", "how much land"
    "pentagon": "defense",  # the answers name the Department of Defense
    "defence": "defense",
    "airline": "carrier",
    "airlines": "carriers",
    # stemming leaves "founded" as "found", which is also the past of "find"
    "founded": "establish",
    "founding": "establish",
    "foundation": "establish",
    # American spelling meets the British one the answers use
    "program": "programme",
    "programs": "programmes",
    # a people or adjective names its place: "Chinese export controls" are China's ("European" is
    # left alone: "European countries" are a group an answer lists, not a place it must name)
    "chinese": "china",
    "russian": "russia",
    "russians": "russia",
    "canadian": "canada",
    "afghan": "afghanistan",
    "iranian": "iran",
    "mongolian": "mongolia",
    "japanese": "japan",
    "indian": "india",
    "turkish": "turkey",
    "australian": "australia",
    "korean": "korea",
    "german": "germany",
    "french": "france",
    "british": "britain",
    "pakistani": "pakistan",
    "ukrainian": "ukraine",
    "brazilian": "brazil",
}
#: Abbreviations expanded to the words they stand for.
TOKEN_EXPANSIONS = {
    "cmd": ("critical", "mineral", "dialogue"),
    "ree": ("rare", "earth"),
    "rees": ("rare", "earth"),
    "eo": ("executive", "order"),
    "jv": ("joint", "venture"),
    "moz": ("million", "ounce"),
    "decade": ("ten", "years"),
    "decades": ("ten", "years"),
}

#: (trigger, pattern, replacement): a rewrite runs only if its trigger is in the text (start-up matters).
#: Spellings of one name: "C5 plus 1" is written "C5+1" however it is typed.
_SPELLING_REWRITES = (
    # "C5 + 1", "c5 plus one", "C-5+1", "c 5+1" -> "c5+1"; the same for B5+1.
    ("5", re.compile(r"\b([cb])\s*-?\s*5\s*(?:\+|plus)\s*(?:1|one)\b"), r"\g<1>5+1"),
    # URL-style "c51" and "c5-1".
    ("5", re.compile(r"\b([cb])5-?1\b"), r"\g<1>5+1"),
    ("u.", re.compile(r"\bu\.s\.a?\.?"), "us "),
    ("general assembly", re.compile(r"\b(?:un|united nations) general assembly\b"), "unga"),
    # possessive "'s" goes; other apostrophes are dropped ("so'm" -> "som")
    ("'", re.compile(r"'s\b|'"), ""),
)
#: Phrasings that ask for something other than their words say, grouped by what they do.
_PHRASE_REWRITES = (
    # Names. One of several words is one thing, so it weighs as one word: "Who designed the
    # Kennedy Center?" shares one word with the business-conference answer, not two.
    (" ", re.compile(r"\b(new york|white house|kennedy center|oval office|east room|mountain pass|belt and road|"
                     r"abraham accords|deal zone|caspian policy center)\b"),
     lambda name: name.group(1).replace(" ", "")),
    # C5+1 meets "at the UN" only at the General Assembly; "united" alone is the US
    ("nations", re.compile(r"\bunited nations\b"), "unga"),
    # "Washington" is the US government unless it is a place ("in Washington")
    ("washington", re.compile(r"(?<!\bin )(?<!\bat )(?<!\bto )(?<!\bfrom )\bwashington\b"), "us"),

    # What is asked.
    # "who runs Kyrgyzstan" asks for its leader, not for whatever Kyrgyzstan "runs"
    ("who", re.compile(r"\bwho (?:runs|rules) (?=\w+stan\b|the country\b)"), "who leads "),
    ("charge", re.compile(r"\b(?:is |are )?in charge of\b"), "leads"),
    # "who has the most rare earths" asks for the largest holder ("the most important" stays)
    ("most", re.compile(r"\b(has|have|had|holds?|with|owns?|got|gets) the most\b"), r"\g<1> the largest"),
    # "how big is it" asks for area; "the big summit" is just big
    ("how", re.compile(r"\bhow (?:big|large)\b"), "how area"),
    ("which", re.compile(r"\bwhich is (?:bigger|larger|smaller)\b"), "which area"),
    # "how many people in X" asks for its population ("how many people work at X" does not)
    ("how many", re.compile(r"\bhow many (?:people|ppl|inhabitants|residents|citizens)(?= in\b| does\b| do\b)"),
     r"\g<0> population"),
    # "how much money" asks for an amount of funding; "money" alone asks for a currency
    ("how much", re.compile(r"\bhow much (?:money|cash)\b"), "how much funding"),
    # "what came out of the summit" asks for its outcome; "set up" is established
    ("out of", re.compile(r"\b(?:come|comes|came|coming) out of\b"), "outcome of"),
    ("set up", re.compile(r"\bset up\b"), "established"),
    ("around", re.compile(r"\b(?:been )?around since\b"), "began"),
    ("to ", re.compile(r"\b(?:meant|supposed|designed|intended) to (?:achieve|do|accomplish)\b"), "aim"),
    ("make", re.compile(r"\bmakes? up the\b"), "members of the"),  # "which countries make up the C5"
    # "put forward" and "came up with" propose; "keep going" and "carry on" continue
    ("forward", re.compile(r"\b(?:put|puts|putting) forward\b"), "proposed"),
    ("up with", re.compile(r"\b(?:come|comes|came|coming) up with\b"), "proposed"),
    ("going", re.compile(r"\b(?:keeps?|kept|keeping) going\b"), "continue"),
    ("carr", re.compile(r"\bcarr(?:y|ies|ied|ying) on\b"), "continue"),
    ("still", re.compile(r"\bstill (?:going|active|running|alive|happening|ongoing|operating|working)\b"), "still continue"),
    # a rule that "came into force" or "took effect" became effective; one still "in force" remains
    ("force", re.compile(r"\b(?:come|comes|came|coming) into force\b"), "effective"),
    ("effect", re.compile(r"\b(?:take|takes|took|taken|taking) effect\b"), "effective"),
    ("force", re.compile(r"\bin force\b"), "remain"),

    # Questions no entry answers. How a material is mined or made, what it is made of or used
    # for, is a science question: the knowledge base would have to say "science" to answer it
    # ("How is graphite mined?"); "how was the list made" and "how does the dialogue work" ask
    # about policy, so they are left alone. "How do I..." asks for instructions ("how would you
    # describe it" is fine).
    ("how", re.compile(r"\bhow (?:is|are) (?:[\w+-]+ ){1,5}?(?:made|mined|refined|separated|extracted|smelted|"
                       r"formed|enriched|processed|used|recycled|manufactured|purified)\b"), r"\g<0> science"),
    ("made of", re.compile(r"\bmade of\b"), "made of science"),
    ("used for", re.compile(r"\bused for\b"), "used for science"),
    ("uses", re.compile(r"\buses(?=\s+(?:in|of|for)\b|\s*[?.!]?\s*$)"), "uses science"),  # the noun, not "X uses the som"
    ("how", re.compile(r"\bhow (?:do|should) (?:i|we|you)\b"), r"\g<0> instructions"),

    # Casual phrasings of plain questions.
    ("deal with", re.compile(r"\bwhat(?: is)? the deal with\b"), "what is"),
    ("sum", re.compile(r"\bsums? up\b"), "summarise"),  # not the Uzbek sum
    (" up", re.compile(r"\b(?:dig|digs|digging|dug) up\b"), "produce"),
    (" up", re.compile(r"\b(?:show|shows|showed|shown|showing|turn|turns|turned|turning) up\b"), "attended"),
    ("cut", re.compile(r"\bmade the cut\b"), " "),
    ("ground", re.compile(r"\bin the ground\b"), "reserves"),
    ("days", re.compile(r"\bthese days\b"), "current"),
    ("now", re.compile(r"\b(?:nowadays|right now)\b"), "current"),

    # Words about the asker or the answer wanted. The asker's own task says nothing about what is
    # asked ("I'm writing a report"); "current affairs" names an exam subject ("current" alone is
    # asked about: the current list); "in simple terms" asks for a kind of answer ("terms" alone
    # is asked about: the deal's terms).
    ("for ", re.compile(r"\bfor (?:a|an|my|our) (?:report|paper|essay|article|piece|project|class)\b"), " "),
    ("writing", re.compile(r"\bwriting (?:a|an|my|our) (?:report|paper|essay|article|piece|project)\b"), " "),
    ("affairs", re.compile(r"\bcurrent affairs\b"), " "),
    ("terms", re.compile(r"\bin (?:simple|plain|basic|laymans?|everyday) terms\b"), " "),
)
#: A greeting that opens a question is filler; "hello" later on is what is asked about.
_GREETING = re.compile(r"\s*(?:hello|hi|hiya|hey|heya|howdy|yo|greetings)\b[\s,!.]*")
#: A year pins an event as a place does ("the ministerial in February 2023", not 2026).
_YEAR = re.compile(r"(?:19|20)\d\d")
#: A code glued to its number, split in two: "eo14017" -> "eo 14017", "unga78" -> "unga 78"
#: (not "c5" or "g20"). Checked per token: a regex over whole texts slowed indexing by a third.
_GLUED_CODE = re.compile(r"([a-z]{2,4})(\d{2,})")
_TOKEN = re.compile(r"[a-z0-9]+(?:\+[a-z0-9]+)*\+?")


_STEMMER = Stemmer.Stemmer("english")
#: British -ise spellings, written as -ize before stemming: the stemmer keeps "prioritis(e)"
#: apart from "priorit(ize)", and the answers spell the British way while many users do not.
_BRITISH_ISE_ENDINGS = ("ise", "ised", "ises", "iser", "isers", "ising", "isation", "isations")
_BRITISH_ISE = re.compile(r"(?<=[a-z]{3})is(%s)$" % "|".join(ending[2:] for ending in _BRITISH_ISE_ENDINGS))


def _fold(token: str) -> str:
    """Snowball-stem plain words so "producer", "produces" and "minerals" meet their stems.

    Short tokens are left alone: they are mostly codes ("uzs", "kgs") that stemming would merge.
    """
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith(_BRITISH_ISE_ENDINGS):  # a cheap test first: indexing folds every word
        token = _BRITISH_ISE.sub(r"iz\1", token)
    return _STEMMER.stemWord(token)


LIGHT_WORDS = frozenset(_fold(word) for word in LIGHT_WORDS_TEXT.split())
FRAMING_WORDS = frozenset(_fold(word) for word in FRAMING_WORDS_TEXT.split())

#: Words people use interchangeably in questions, each group folded to its first word, in
#: documents and queries alike ("when did C5+1 start" meets "when did it begin").
CONCEPTS = {
    "begin": "begin began begun start started starting launch launched inception origin origins "
             "created creation establish established kick kicked",
    "aim": "aim aims goal goals objective objectives purpose purposes",
    "outcome": "outcome outcomes result results achieve achieved achievement deliverable deliverables",
    "member": "member members membership belong belongs part",
    "currency": "currency currencies money cash pay",
    "president": "president presidents leader leaders ruler rulers",
    "agreement": "agreement agreements agree agrees agreed deal deals memorandum memoranda memo memos mou pact",
    "control": "control controls controlled controlling restrict restricts restricted restriction restrictions "
               "curb curbs limit limits ban bans banned prohibit prohibits prohibited embargo",
    "share": "share shares percent percentage fraction proportion stake stakes",
    "area": "area size surface territory",
    "population": "population inhabitants residents live lives",
    "produce": "produce produces produced producer producers production output",
    "designate": "designate designates designated designation decide decides decided determine determines",
    "add": "add adds added adding addition additions",
    "remove": "remove removes removed removal drop drops dropped dropping delete deleted",
    "first": "first inaugural maiden",
    "discuss": "discuss discusses discussed discussion mention mentions mentioned raise raised",
    "invest": "invest invests invested investment investments investor investors",
    "propose": "propose proposes proposed proposal proposals suggest suggests suggested suggestion float floated",
    "announce": "announce announces announced announcement announcements pledge pledges pledged commit commits "
                "committed commitment commitments promise promises promised unveil unveils unveiled",
    "attend": "attend attends attended attendance participate participates participated participation",
    "sign": "sign signs signed signing ink inks inked conclude concluded",
    "fund": "fund funds funded funding finance finances financed financing spend spends spent spending",
    "reserve": "reserve reserves deposit deposits",
    "meet": "meet meets meeting meetings met session sessions event events gathering talks round rounds",
    "seek": "seek seeks sought ask asks asked request requests requested",
    "priority": "priority priorities prioritise",  # -ise meets -ize before folding
    "rely": "rely relies relied reliance depend depends depended dependence dependent dependency",
    "recommend": "recommend recommends recommended recommendation recommendations urge urges urged",
    "licence": "licence licences license licenses licensed licensing permit permits",
    "aircraft": "aircraft plane planes jet jets airplane airplanes airliner airliners",
    "author": "author authors authored wrote writer writers",
    "own": "own owns owned owner owners ownership",
    "article": "article articles paper papers",
    "vote": "vote votes voted voting ballot referendum election elections elected",
    "host": "host hosts hosted hosting organise organised organiser organize organized organizer convene convened",
    "focus": "focus focuses focused focusing concentrate concentrates concentrated concentrating",
}
_CONCEPT_OF = {_fold(word): _fold(head) for head, words in CONCEPTS.items() for word in words.split()}


def _rewrite(text: str, rewrites: Iterable[tuple[str, re.Pattern[str], Any]]) -> str:
    """Apply each rewrite whose trigger the text contains (a replacement string or function)."""
    for trigger, pattern, replacement in rewrites:
        if trigger in text:
            text = pattern.sub(replacement, text)
    return text


def spelling(text: str) -> str:
    """Lower-case, strip accents and write domain names one way ("C5 plus 1" -> "c5+1").

    Two texts with one spelling say the same words: the eval sets' echo check compares these.
    """
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _rewrite(text.replace("\u2019", "'").replace("`", "'"), _SPELLING_REWRITES)


def normalize(text: str) -> str:
    """The text's spelling, with phrasings rewritten to what they ask ("who runs X" -> "who leads X")."""
    text = _rewrite(spelling(text), _PHRASE_REWRITES)
    greeting = _GREETING.match(text)
    return text[greeting.end():] if greeting else text


def tokenize(text: str, synonyms: Mapping[str, str] | None = None) -> list[str]:
    """Split text into folded match tokens; domain tokens like ``c5+1`` survive intact.

    ``synonyms`` maps a knowledge base's own spellings (say ``kazakstan``) to the token
    every document uses (``kazakhstan``).
    """
    synonyms = synonyms or {}
    return [synonyms.get(token, token) for _, token in _cached_words(text)]


def _scan_words(text: str) -> tuple[tuple[str, str], ...]:
    """(word as written, match token) pairs, before knowledge-base synonyms: typos are corrected
    against words as written, since a misspelt word stems unpredictably ("presidnet", "presid")."""
    words: list[tuple[str, str]] = []
    for raw in _TOKEN.findall(normalize(text)):
        glued = _GLUED_CODE.fullmatch(raw) if raw[-1].isdigit() and raw[0].isalpha() else None
        for part in glued.groups() if glued else (raw,):
            part = TOKEN_SYNONYMS.get(part, part)
            for word in TOKEN_EXPANSIONS.get(part, (part,)):
                if word not in STOP_WORDS:
                    word = TOKEN_SYNONYMS.get(word, word)
                    folded = _fold(word)
                    words.append((word, _CONCEPT_OF.get(folded, folded)))
    return tuple(words)


def _scan_tokens(text: str) -> list[str]:
    """Tokens before knowledge-base synonyms."""
    return [token for _, token in _scan_words(text)]



#: Candidates' phrases recur across the questions of one `ask -` run; building an index does not reuse.
_cached_words = functools.lru_cache(maxsize=1 << 14)(_scan_words)


def document_fields(document: Mapping[str, Any]) -> dict[str, list[str]]:
    """The searchable text of a document, by BM25F field."""
    return {
        "question": [document["question"]],
        "aliases": list(document.get("aliases", ())),
        "answer": [document["answer"]],
        "tags": list(document.get("tags", ())),
    }


def build_index(
    documents: Sequence[Mapping[str, Any]],
    synonyms: Mapping[str, str] | None = None,
    topic: str = "",
    entities: Iterable[str] = (),
) -> dict[str, Any]:
    """Build a BM25F inverted index that ``marshal`` can store compactly.

    ``topic`` names the setting nearly every question shares ("the five Central Asian
    countries"); its words are context, so they count as light words.
    ``entities`` are names (countries). With PLACE_NAMES, CITY_NAMES, OFF_TOPIC_WORDS and MINERAL_NAMES they
    make the words an answer must mention when a question uses them: Kazakhstan's minerals do
    not answer a question about Tajikistan. A document marked ``any_country`` (who is and is not
    a member) speaks to every place, named in it or not.

    Each posting list is a pair of packed arrays (document positions as uint32, weighted
    term frequencies as float32): 8 bytes a posting, where lists of lists cost ~100.
    """
    synonyms = dict(synonyms or {})
    # words as written that stem to another token, for typo correction ("president" -> "presid")
    written: dict[str, str] = {}
    positions: dict[str, array] = {}
    frequencies: dict[str, array] = {}
    lengths = array("f")
    any_country: list[int] = []
    for position, document in enumerate(documents):
        if document.get("any_country"):
            any_country.append(position)
        weighted: dict[str, float] = {}
        for field_name, texts in document_fields(document).items():
            weight = FIELD_WEIGHTS[field_name]
            for text in texts:
                for word, token in _scan_words(text):
                    token = synonyms.get(token, token)
                    weighted[token] = weighted.get(token, 0.0) + weight
                    if word != token and len(word) > 5 and word.isalpha():
                        written[word] = token
        lengths.append(sum(weighted.values()))
        for token, tf in weighted.items():
            if token not in positions:
                positions[token], frequencies[token] = array("I"), array("f")
            positions[token].append(position)
            frequencies[token].append(tf)
    average = sum(lengths) / len(lengths) if lengths else 1.0
    # required words that are not countries, so the members entry does not speak for them
    not_countries = frozenset(synonyms.get(t, t)
                              for t in _scan_tokens(f"{CITY_NAMES} {BLOC_NAMES} {OFF_TOPIC_WORDS} {MINERAL_NAMES}"))
    return {
        "postings": {token: (positions[token].tobytes(), frequencies[token].tobytes()) for token in positions},
        "lengths": lengths.tobytes(),
        "count": len(lengths),
        "average_length": average or 1.0,
        "synonyms": synonyms,
        "written": written,
        "topic": frozenset(synonyms.get(t, t) for t in _scan_tokens(topic)),
        "required": frozenset(synonyms.get(t, t) for t in [*entities, *_scan_tokens(PLACE_NAMES)]) | not_countries,
        "not_countries": not_countries,
        "any_country": frozenset(any_country),
    }


def _unpack(packed: bytes, typecode: str) -> array:
    values = array(typecode)
    values.frombytes(packed)
    return values


class Candidate:
    """One ranked document with the parts of its score, for ``--explain``.

    A plain class rather than a dataclass: building dataclasses costs start-up time.
    """

    __slots__ = ("position", "relevance", "bm25", "query_coverage", "phrase_coverage", "best_phrase",
                 "misses_name", "misses_place", "features", "score")

    def __init__(self, position: int, relevance: float, bm25: float, query_coverage: float,
                 phrase_coverage: float, best_phrase: str, misses_name: bool, misses_place: bool) -> None:
        self.position = position
        self.relevance = relevance  # the first-pass ranking score: a blend of query and phrase coverage, 0-100
        self.bm25 = bm25
        self.query_coverage = query_coverage
        self.phrase_coverage = phrase_coverage
        self.best_phrase = best_phrase
        self.misses_name = misses_name  # the question names a place or year this entry never mentions
        self.misses_place = misses_place  # ... a place or everyday subject: this entry cannot be the answer
        self.features: dict[str, float] = {}
        self.score = 0.0  # confidence 0-100, from CALIBRATION


class Ranking(NamedTuple):
    """The outcome of ranking one question."""

    query: str
    terms: list[str]
    corrections: dict[str, str]
    unknown: list[str]
    candidates: list[Candidate]
    query_tokens: frozenset[str] = frozenset()

    @property
    def confident(self) -> bool:
        """The winner is likely enough, and mentions every place (and everyday-life subject) the
        question names: "rare earth deposits in Mongolia" is never answered with Kazakhstan's
        deposits, however well the other words match (a year it lacks only lowers its confidence)."""
        return (bool(self.candidates) and self.candidates[0].score >= ANSWER_THRESHOLD
                and not self.candidates[0].misses_place)

    def answers(self, top: int) -> list[Candidate]:
        """The candidates to show: ``top`` of them, widened to every near-tie of the winner."""
        if not self.confident:
            return []
        best = self.candidates[0].score
        tied = [c for c in self.candidates if best - c.score <= AMBIGUITY_MARGIN]
        return self.candidates[: max(top, len(tied))]

    @property
    def ambiguous(self) -> bool:
        return (
            self.confident
            and len(self.candidates) > 1
            and self.candidates[0].score - self.candidates[1].score <= AMBIGUITY_MARGIN
        )


def confidence(features: Mapping[str, float]) -> float:
    """The calibrated chance, in percent, that an entry with these features is the right answer."""
    return confidence_with(CALIBRATION, features)


def confidence_with(weights: Mapping[str, float], features: Mapping[str, float]) -> float:
    """Logistic confidence for any weights (benchmarks/calibrate.py fits them with this)."""
    z = weights["bias"] + sum(weights[name] * value for name, value in features.items())
    return 100.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def _weight(token: str, idf: float, topic: frozenset[str] = frozenset()) -> float:
    """How much information a query word carries: its IDF, lightened for everyday, framing and setting words."""
    return idf * LIGHT_WORD_WEIGHT if token in LIGHT_WORDS or token in FRAMING_WORDS or token in topic else idf


def _unknown_weight(token: str, max_idf: float, topic: frozenset[str]) -> float:
    """The information in a word the knowledge base lacks: a share of the rarest word's, lightened as any word is."""
    return _weight(token, max_idf * UNKNOWN_WORD_WEIGHT, topic)


def _df(postings: Mapping[str, Any], token: str) -> int:
    """Document frequency: the length of the token's packed uint32 position list."""
    return len(postings[token][0]) // 4


def _idf(document_frequency: int, total: int) -> float:
    return math.log(1.0 + (total - document_frequency + 0.5) / (document_frequency + 0.5))


def _correct(token: str, vocabulary: Iterable[str]) -> str | None:
    """Map a misspelt word to a known one (``kazakstan`` -> ``kazakhstan``), or None."""
    # Edits allowed (a swap of neighbours counts as one): none for short words ("found" is not
    # "fund"), one up to nine letters ("urainum", but "contain" is not "continu"), two beyond.
    max_edits = 0 if len(token) <= 5 else 1 if len(token) <= 9 else 2
    if not max_edits or not token.isalpha():
        return None
    from rapidfuzz import fuzz, process  # imported only when a word is unknown
    from rapidfuzz.distance import OSA

    found = process.extract(token, vocabulary, scorer=OSA.distance, score_cutoff=max_edits, limit=None)
    # a stem one letter longer or shorter is another word, not a typo ("contin(ents)" is not "continu(e)");
    # and typos rarely hit the first letter, while real words one edit apart often differ there ("border", "order")
    found = [match for match in found
             if match[0][0] == token[0] and not (match[0].startswith(token) or token.startswith(match[0]))]
    if not found:
        return None
    return min(found, key=lambda match: (match[1], -fuzz.ratio(token, match[0]), match[0]))[0]


@functools.cache
def _known_spellings() -> dict[str, str]:
    """Words c5 reads though no entry may use them as written, to correct typos of: long function
    and filler words (read as nothing, ""), and the spellings TOKEN_SYNONYMS and CONCEPTS fold
    ("definition" -> "defin")."""
    spellings = {}
    for word in [*TOKEN_SYNONYMS, *(word for words in CONCEPTS.values() for word in words.split())]:
        tokens = _scan_tokens(word)
        if len(word) > 5 and word.isalpha() and tokens:
            spellings[word] = tokens[0]
    spellings.update(dict.fromkeys((word for word in STOP_WORDS if len(word) > 5), ""))
    return spellings


def query_terms(
    query: str, vocabulary: Mapping[str, Any], synonyms: Mapping[str, str] | None = None,
    written: Mapping[str, str] | None = None,
) -> tuple[list[str], dict[str, str], list[str]]:
    """Distinct query tokens, with typo corrections and the words nothing matched.

    ``written`` maps the knowledge base's words as written to their tokens, to correct a typo
    the stemmer has mangled.
    """
    terms: list[str] = []
    corrections: dict[str, str] = {}
    unknown: list[str] = []
    synonyms = synonyms or {}
    for word, token in _cached_words(query):
        token = synonyms.get(token, token)
        if token in terms or token in corrections or token in unknown:
            continue
        if len(terms) + len(corrections) + len(unknown) >= MAX_QUERY_TERMS:
            break
        if token in vocabulary:
            terms.append(token)
            continue
        fixed = None
        if token not in LIGHT_WORDS:  # an everyday word is no typo: "current" must not become "currency"
            fixed = _correct(token, vocabulary.keys())
            if fixed is None and written:
                spelled = _correct(word, written.keys())
                fixed = written[spelled] if spelled else None
            if fixed is None:
                spellings = _known_spellings()
                spelled = _correct(word, spellings.keys())
                if spelled is not None and not spellings[spelled]:
                    continue  # a misspelt function word: "acutally"
                if spelled is not None and spellings[spelled] in vocabulary:
                    fixed = spellings[spelled]
        if fixed is None:
            unknown.append(token)
        else:
            corrections[token] = fixed
    return terms, corrections, unknown


def rank(index: Mapping[str, Any], document: Callable[[int], Mapping[str, Any]], query: str) -> Ranking:
    """Rank documents for a question; ``document(position)`` fetches one of the few candidates."""
    postings = index["postings"]
    lengths = _unpack(index["lengths"], "f")
    average = index["average_length"]
    total = index["count"]
    synonyms = index["synonyms"]
    terms, corrections, unknown = query_terms(query, postings, synonyms, index["written"])
    weighted_terms = [(t, 1.0) for t in terms] + [
        (fixed, CORRECTION_DISCOUNT) for fixed in corrections.values() if fixed not in terms
    ]
    max_idf = _idf(0, total) if total else 1.0
    topic, required = index["topic"], index["required"]
    query_mass = sum(_weight(t, _idf(_df(postings, t), total), topic) for t, _ in weighted_terms)
    query_mass += sum(_unknown_weight(t, max_idf, topic) for t in unknown)

    bm25: dict[int, float] = {}
    covered: dict[int, float] = {}
    # For each place or everyday subject ("required") and each year the question names, the
    # positions that mention it; one the knowledge base never mentions is in no entry.
    places: list[set[int]] = []
    years: list[set[int]] = []
    any_country, not_countries = index["any_country"], index["not_countries"]

    def match(token: str, idf: float, information: float, postings_of: Iterable[tuple[int, float]]) -> None:
        """Add one query word's BM25 and coverage to every document it occurs in (tf weighted by field)."""
        mentioning = set()
        for position, tf in postings_of:
            mentioning.add(position)
            norm = tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * lengths[position] / average))
            bm25[position] = bm25.get(position, 0.0) + idf * norm
            # a weighted tf of at least the question weight means the word is in the question or an alias
            credit = 1.0 if tf >= FIELD_WEIGHTS["question"] else ANSWER_ONLY_CREDIT
            covered[position] = covered.get(position, 0.0) + information * credit
        if token in required:
            if token not in not_countries and any_country - mentioning:
                # an entry on who is and is not a member speaks to every country, as if its question named it
                match("", idf, information, [(p, FIELD_WEIGHTS["question"]) for p in sorted(any_country - mentioning)])
                mentioning |= any_country
            places.append(mentioning)
        elif _YEAR.fullmatch(token):
            years.append(mentioning)

    for token in unknown:
        match(token, max_idf, _unknown_weight(token, max_idf, topic), ())
    for term, discount in weighted_terms:
        packed_positions, packed_frequencies = postings[term]
        idf = _idf(len(packed_positions) // 4, total)
        match(term, discount * idf, discount * _weight(term, idf, topic),
              zip(_unpack(packed_positions, "I"), _unpack(packed_frequencies, "f")))

    shortlist = heapq.nlargest(CANDIDATES, bm25, key=bm25.__getitem__)
    query_tokens = {t for t, _ in weighted_terms}
    candidates = []
    for position in shortlist:
        query_coverage = covered[position] / query_mass if query_mass else 0.0
        phrase_coverage, best_phrase = _phrase_coverage(document(position), query_tokens, query_mass, index)
        score = 100.0 * (
            QUERY_COVERAGE_SHARE * query_coverage + (1 - QUERY_COVERAGE_SHARE) * phrase_coverage
        )
        misses_place = any(position not in mentioning for mentioning in places)
        misses_name = misses_place or any(position not in mentioning for mentioning in years)
        if misses_name:
            score *= OTHER_ENTITY_FACTOR
        candidates.append(
            Candidate(
                position=position,
                relevance=round(score, 1),
                bm25=round(bm25[position], 3),
                query_coverage=round(query_coverage, 3),
                phrase_coverage=round(phrase_coverage, 3),
                best_phrase=best_phrase,
                misses_name=misses_name,
                misses_place=misses_place,
            )
        )
    candidates.sort(key=lambda c: (-c.relevance, -c.bm25, c.position))
    unknown_subjects = [token for token in unknown if token not in FRAMING_WORDS]
    # a country the knowledge base never names is still no unknown subject for the members entry
    unknown_countries = sum(token in required and token not in not_countries for token in unknown_subjects)
    query_size = max(len(terms) + len(corrections) + len(unknown), 1)
    bm25_ceiling = max_idf * (BM25_K1 + 1)
    for rank_number, candidate in enumerate(candidates):
        rival = candidates[1 if rank_number == 0 else 0].relevance if len(candidates) > 1 else 0.0
        unexplained = len(unknown_subjects) - (unknown_countries if candidate.position in any_country else 0)
        candidate.features = {
            "query_coverage": candidate.query_coverage,
            "phrase_coverage": candidate.phrase_coverage,
            "lead": round((candidate.relevance - rival) / 100, 3),
            "unknown_share": round(unexplained / query_size, 3),
            "bm25_share": round(candidate.bm25 / bm25_ceiling, 3),
            "misses_name": float(candidate.misses_name),
        }
        candidate.score = round(confidence(candidate.features), 1)
    # the calibrated confidence weighs more evidence than relevance alone, so it has the last word;
    # an entry that misses a place the question names is never the answer, so it goes after those that may be
    candidates.sort(key=lambda c: (c.misses_place, -c.score, -c.relevance, c.position))
    return Ranking(query=query, terms=terms, corrections=corrections, unknown=unknown, candidates=candidates,
                   query_tokens=frozenset(query_tokens))


def _phrase_coverage(
    document: Mapping[str, Any], query_tokens: set[str], query_mass: float, index: Mapping[str, Any]
) -> tuple[float, str]:
    """How closely the query restates the document's best question or alias.

    An IDF-weighted Dice overlap: 1.0 only when query and phrase carry the same words, so a
    bare alias such as "Tajikistan" does not outscore "What is the capital of Tajikistan?"
    for the question "capital of Tajikistan".
    """
    postings, total, topic = index["postings"], index["count"], index["topic"]
    best, best_phrase = 0.0, ""
    max_idf = _idf(0, total) if total else 1.0
    query_years = {t for t in query_tokens if _YEAR.fullmatch(t)}
    for phrase in [document["question"], *document.get("aliases", ())]:
        tokens = set(tokenize(phrase, index["synonyms"]))
        phrase_years = {t for t in tokens if _YEAR.fullmatch(t)}
        if not tokens or (query_years and phrase_years and not query_years & phrase_years):
            continue  # "minerals added in 2025" does not restate a question about 2022
        mass = sum(_weight(t, _idf(_df(postings, t), total) if t in postings else max_idf * UNKNOWN_WORD_WEIGHT, topic)
                   for t in tokens)
        hit = sum(_weight(t, _idf(_df(postings, t), total), topic) for t in tokens & query_tokens)
        overlap = 2 * hit / (mass + query_mass) if mass + query_mass else 0.0
        if overlap > best:
            best, best_phrase = overlap, phrase
    return best, best_phrase


def matched_words(
    document: Mapping[str, Any], query_tokens: Iterable[str], synonyms: Mapping[str, str]
) -> dict[str, list[str]]:
    """Which query tokens each field of the document contains (for ``--explain``)."""
    query_tokens = set(query_tokens)
    matched = {}
    for field_name, texts in document_fields(document).items():
        found = sorted(query_tokens.intersection(t for text in texts for t in tokenize(text, synonyms)))
        if found:
            matched[field_name] = found
    return matched


def name_key(text: str) -> str:
    """A forgiving key for names: accents, case, punctuation and spacing removed."""
    return "".join(_TOKEN.findall(normalize(text)))


def resolve_name(query: str, names: Mapping[str, str], limit: int = 3) -> tuple[str | None, list[str]]:
    """Resolve a user-typed name against ``{spelling: canonical id}``.

    Exact keys win, then a unique prefix ("uzbek"), then the closest spelling by
    edit distance ("kazakstan", "urainum"). Returns the id, or None with up to
    ``limit`` suggestions (canonical ids, best first).
    """
    keyed: dict[str, str] = {}
    for spelling, canonical in names.items():
        keyed.setdefault(name_key(spelling), canonical)
    key = name_key(query)
    if not key:
        return None, []
    if key in keyed:
        return keyed[key], []
    prefixed = {canonical for spelling, canonical in keyed.items() if spelling.startswith(key)}
    if len(key) >= 3 and len(prefixed) == 1:
        return prefixed.pop(), []
    from rapidfuzz import fuzz, process

    scored = process.extract(key, list(keyed), scorer=fuzz.ratio, limit=None)
    best = scored[0] if scored else None
    if best and best[1] >= 80 and (len(scored) == 1 or keyed[scored[1][0]] == keyed[best[0]] or best[1] - scored[1][1] >= 5):
        return keyed[best[0]], []
    suggestions: list[str] = []
    for spelling, score, _ in scored:
        if score < 50:
            break
        if keyed[spelling] not in suggestions:
            suggestions.append(keyed[spelling])
        if len(suggestions) == limit:
            break
    return None, suggestions
