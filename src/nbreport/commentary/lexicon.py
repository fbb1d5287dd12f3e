"""The words the consistency check understands: metric names, directions, baselines, hedges.

English only, like the report's fixed text. Each pattern is lower-case and matched on
lower-cased text with word boundaries.
"""

from __future__ import annotations

import re

# Everyday names of the registry's metrics, besides the metric name and its label.
METRIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "revenue": ("revenue", "sales", "turnover", "income", "takings"),
    "orders": ("orders", "purchases", "transactions"),
    "conversions": ("conversions",),
    "web_conversions": ("web conversions", "web analytics conversions"),
    "conversion_value": ("conversion value",),
    "paid_roas": ("roas", "return on ad spend", "return on advertising spend"),
    "blended_roas": ("blended return", "blended roas", "mer", "marketing efficiency ratio"),
    "paid_roi": ("roi on ad spend",),
    "blended_roi": ("blended roi",),
    "cpa": ("cpa", "cost per acquisition", "cost per conversion"),
    "cost_per_paid_order": ("cost per order", "cost per sale"),
    "aov": ("aov", "average order value", "order value", "basket size", "average basket"),
    "conversion_rate": ("conversion rate", "cvr"),
    "session_conversion_rate": ("session conversion rate", "site conversion rate"),
    "sessions": ("sessions", "visits", "traffic", "site visits"),
    "users": ("users", "visitors"),
    "new_users": ("new users", "new visitors"),
    "clicks": ("clicks",),
    "impressions": ("impressions",),
    "spend": ("spend", "ad spend", "media spend", "advertising spend"),
    "ctr": ("ctr", "click-through rate", "click through rate", "clickthrough rate"),
    "cpc": ("cpc", "cost per click"),
    "cpm": ("cpm",),
    "leads": ("leads", "enquiries", "inquiries"),
    "cost_per_lead": ("cost per lead", "cpl"),
    "cost_per_paid_lead": ("cost per paid lead",),
    "opportunities": ("opportunities",),
    "deals_won": ("deals won", "won deals", "closed deals"),
    "lead_to_deal_rate": ("lead-to-deal rate", "lead to deal rate", "close rate", "win rate"),
}

UP_WORDS = (
    "rose", "rise", "rises", "risen", "rising", "up", "grew", "grow", "grows", "grown", "growing",
    "increase", "increased", "increases", "increasing", "climbed", "climb", "climbs", "jumped",
    "jump", "jumps", "gained", "gain", "gains", "higher", "more", "surged", "soared", "doubled",
    "tripled", "rebounded", "expanded", "spiked", "went up", "picked up", "improvement in",
    "trebled", "quadrupled", "rocketed", "skyrocketed",
    *(f"{qualifier} {multiple}" for qualifier in ("more than", "almost", "nearly")
      for multiple in ("doubled", "double", "tripled", "triple", "trebled", "quadrupled")),
)
DOWN_WORDS = (
    "fell", "fall", "falls", "fallen", "falling", "down", "dropped", "drop", "drops", "declined",
    "decline", "declines", "declining", "decreased", "decrease", "decreases", "decreasing",
    "shrank", "shrunk", "shrink", "slipped", "slip", "lower", "less", "fewer", "plunged", "slumped",
    "halved", "dipped", "dip", "sank", "tumbled", "contracted", "eased", "went down",
    "plummeted", "collapsed", "more than halved", "almost halved", "nearly halved",
)
FLAT_WORDS = ("flat", "unchanged", "stable", "steady", "held steady", "stayed level", "held level")
GOOD_WORDS = ("improved", "improves", "improving", "better", "strengthened")
BAD_WORDS = ("worsened", "deteriorated", "worse", "weakened")

DIRECTION = re.compile(
    r"(?<![\w-])(?P<word>"
    + "|".join(re.escape(w) for w in sorted((*UP_WORDS, *DOWN_WORDS, *FLAT_WORDS, *GOOD_WORDS,
                                            *BAD_WORDS), key=len, reverse=True))
    + r")(?![\w-])"
)
# "up" and "more"/"less" in phrases that are not about a direction
NOT_DIRECTION = re.compile(
    r"\b(?:set|sign(?:ed)?|follow(?:ed)?|back(?:ed)?|made|make|sum(?:med)?|line[ds]?|"
    r"top(?:ped)?|catch|caught|keep|kept) up\b|\bup to\b|"
    r"\b(?:more|less|fewer) than\b(?! (?:doubled?|tripled?|trebled|quadrupled|halved)\b)|"
    r"\bmore or less\b|\bno more\b|\bonce more\b|\bany more\b|\bmore and more\b|"
    r"\b(?:fell|fall|falls|falling|fallen|came|comes|come|dropped) (?:just |well |a little )?short\b"
)


# How big a change the words say it was (see :mod:`~nbreport.commentary.sizes`).
SMALL_WORDS = ("slightly", "a little", "marginally", "a touch", "a bit", "modestly", "fractionally",
               "slight", "modest", "small", "marginal", "edged", "inched", "ticked", "nudged")
LARGE_WORDS = ("sharply", "steeply", "strongly", "dramatically", "substantially", "markedly",
               "considerably", "massively", "sharp", "steep", "strong", "dramatic", "substantial",
               "marked", "considerable", "huge", "surged", "soared", "plunged", "plummeted", "slumped",
               "tumbled", "rocketed", "skyrocketed", "collapsed")
MULTIPLES = {"doubled": 2.0, "double": 2.0, "tripled": 3.0, "triple": 3.0, "trebled": 3.0,
             "quadrupled": 4.0, "halved": 0.5}
SMALL_CHANGE_MAX = 0.15  # "slightly": a relative change of at most 15%
LARGE_CHANGE_MIN = 0.05  # "sharply": at least 5%
SIZE_BEFORE = re.compile(
    r"(?<![\w-])(?P<size>" + "|".join(sorted(map(re.escape, (*SMALL_WORDS, *LARGE_WORDS)), key=len,
                                             reverse=True))
    + r")\s+(?:(?:only|very|just|so|quite|rather|a)\s+)?$")
SIZE_AFTER = re.compile(
    r"^\s+(?:(?:only|very|just|so|quite|rather)\s+)?(?P<size>"
    + "|".join(sorted(map(re.escape, SMALL_WORDS + LARGE_WORDS), key=len, reverse=True)) + r")(?![\w-])")


def direction_of(word: str) -> str:
    """``up``, ``down``, ``flat``, ``good`` or ``bad`` for a word matched by :data:`DIRECTION`."""
    for name, words in (("up", UP_WORDS), ("down", DOWN_WORDS), ("flat", FLAT_WORDS),
                        ("good", GOOD_WORDS), ("bad", BAD_WORDS)):
        if word in words:
            return name
    raise KeyError(word)


YEAR_ON_YEAR = re.compile(
    r"year[- ](?:on|over)[- ]year|\byoy\b|\blast year\b|\ba year (?:ago|earlier|before)\b|"
    r"\b(?:previous|prior) year\b|\bsame (?:month|period|quarter|week) (?:of |in )?last year\b|"
    r"\byear earlier\b"
)
# Statements about the future, wishes and conditions are not claims about the figures.
HEDGE = re.compile(
    r"\b(?:will|would|should|could|may|might|shall|expect\w*|forecast\w*|project(?:ed|ion|ions)|"
    r"plan|plans|planned|planning|aim\w*|hope\w*|intend\w*|propos\w*|recommend\w*|likely|"
    r"if|unless|want\w*|going to|need\w* to|let's|next (?:month|quarter|week|year)|"
    r"continue\w* to|to (?:increase|grow|raise|reduce|cut|lower|improve|boost|lift))\b|'ll\b"
)
# A sentence that starts with one of these is an instruction or a goal, not a claim about the figures.
IMPERATIVE = re.compile(
    r"^\W*(?:bring|cut|raise|move|keep|shift|test|try|increase|reduce|grow|lower|improve|aim|hold|"
    r"push|target|lift|boost|focus|review|launch|pause|add|drop|scale|protect|rebalance|double|"
    r"start|stop|consider|let's|make|set|get)\b", re.I)
NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|without|hardly)\b|n't\b")

_TARGET = r"(?:the |its |our |their |this month's |the monthly |this period's )?(?:target|goal)s?"
TARGET_CLAIM = re.compile(
    rf"(?P<good>\b(?:beat|beats|beating|met|meets|meet|hit|hits|reached|reaches|achieved|achieves|"
    rf"exceeded|exceeds|exceeding|surpassed|surpasses|outperformed|ahead of|on track for|on|"
    rf"better than)\s+{_TARGET}\b)"
    rf"|(?P<missed>\b(?:missed|misses|missing|miss|short of|behind|off|worse than)\s+{_TARGET}\b)"
    rf"|(?P<above>\b(?:above|over|higher than|more than|greater than)\s+{_TARGET}\b)"
    rf"|(?P<below>\b(?:below|under|lower than|less than|fewer than)\s+{_TARGET}\b)"
)

# Words between two metric names that make them share what follows ("clicks and conversions rose").
METRIC_JOIN = re.compile(r"^\s*(?:,|and|&|as well as|plus|, and|,\s*and|\bboth)\s*$")
# Words between a direction or a number and the metric it describes ("an increase in revenue").
BEFORE_METRIC = re.compile(r"^\s*(?:in|of|the|in the|of the|in our|of our|our|its|their)?\s*$")
# Words between a direction and the number that measures it ("rose by nearly 12%").
DIRECTION_TO_NUMBER = re.compile(
    r"^\s*(?:by|of)?\s*(?:about|around|roughly|approximately|nearly|almost|some|just|only|over|"
    r"more than|less than|under|a further|an? )?\s*$")
VALUE_LEAD = re.compile(
    r"(?:\bto|\bat|\bwas|\bwere|\bis|\bare|\breached|\bhit|\bstood at|\btotal(?:l?ed|s)?|"
    r"\bcame in at|\bnow|\bof|:|=|\babove|\bbelow|\bpast|\bbeyond)\s*"
    r"(?:only |just |about |around |nearly |almost |roughly |some |approximately |over |under |"
    r"more than |less than |at least |at most )?$")
FROM_LEAD = re.compile(r"\bfrom\s*(?:about |around |nearly |almost |roughly )?$")
TARGET_LEAD = re.compile(r"\b(?:target|goal|aim)(?: of|:| was| is)?\s*$")
TARGET_AFTER = re.compile(r"^\s*(?:target|goal)\b")
SHARE_AFTER = re.compile(r"^\s*(?:of|share)\b")
TARGET_GAP_AFTER = re.compile(
    rf"^\s*(?:above|below|over|under|ahead of|behind|short of|off)\s+{_TARGET}\b")
OF_TARGET_AFTER = re.compile(rf"^\s*(?:of|against)\s+{_TARGET}\b")
MORE_FEWER_AFTER = re.compile(r"^\s*(?:(?P<up>more|extra|additional)|(?P<down>fewer|less))\b")
LOWER_BOUND = re.compile(r"\b(?:over|more than|above|at least|upwards of|exceeding|greater than)\s*$")
UPPER_BOUND = re.compile(r"\b(?:under|less than|fewer than|below|at most|up to|just under)\s*$")
APPROXIMATE = re.compile(r"(?:\babout|\baround|\broughly|\bapproximately|\bnearly|\balmost|"
                         r"\bclose to|\bsome|~|\bcirca|\bc\.)\s*$")
# A direction this many words after the last claim (or after one of these words) has a new subject.
DIRECTION_REACH = 8
NUMBER_REACH = 12
SUBORDINATE = re.compile(r"\b(?:because|as|since|after|when|which|that|while|so|though|where|who|"
                         r"with|thanks to|due to|despite)\b")
# A word right after a number that still lets the number describe the metric before it.
NUMBER_FOLLOWERS = frozenset((
    "in", "on", "for", "this", "last", "against", "vs", "versus", "compared", "from", "to", "and",
    "with", "over", "across", "during", "the", "a", "an", "which", "after", "before", "thanks",
    "because", "while", "but", "as", "year", "month", "week", "quarter", "period", "than", "since",
    "at", "overall", "total", "in", "more", "fewer", "less", "extra", "additional", "higher",
    "lower", "up", "down", "above", "below", "of", "target", "goal", "year-on-year", "yoy", "mom",
    "or", "so", "driven", "led", "despite", "points", "percent", "compared", "when", "where",
))
