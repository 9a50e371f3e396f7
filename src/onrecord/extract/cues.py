"""The cue lexicon: reporting verbs and phrases, with the kind of speech act they signal.

Versioned (``CUES_VERSION``): every statement records the rule-set version that produced it.
"""

from __future__ import annotations

CUES_VERSION = "onrecord.cues.en.v5"

# lemma -> default statement kind (None: decided from the content)
VERB_CUES: dict[str, str | None] = {
    # neutral reporting
    "say": None, "tell": None, "state": None, "note": None, "add": None, "reply": None, "respond": None,
    "answer": None, "remark": None, "comment": None, "explain": None, "write": None, "post": None,
    "tweet": None, "report": None, "claim": None, "argue": None, "insist": None, "stress": None,
    "emphasize": None, "emphasise": None, "underline": None, "underscore": None, "point": None,
    "mention": None, "observe": None, "recall": None, "believe": "belief", "suggest": None, "think": "belief",
    "assert": None, "maintain": None, "contend": None, "allege": None, "accuse": None, "describe": None,
    "indicate": None, "specify": None, "clarify": None, "elaborate": None, "conclude": None,
    "declare": "announcement", "announce": "announcement", "reveal": None,
    "disclose": None, "inform": None, "brief": None, "assure": None, "reassure": None, "acknowledge": "confirmation",
    "admit": "confirmation", "concede": "confirmation", "confirm": "confirmation", "verify": "confirmation",
    "deny": "denial", "refute": "denial", "reject": "denial", "dismiss": "denial", "rebuff": "denial",
    "dispute": "denial", "ask": "question", "wonder": "question", "question": "question", "inquire": "question",
    "urge": "request", "demand": "request", "appeal": "request", "request": "request", "implore": "request",
    "plead": "request", "beg": "request", "instruct": "request", "order": "request", "call": "request",
    "promise": "prediction", "pledge": "prediction", "vow": "prediction", "predict": "prediction",
    "forecast": "prediction", "expect": "prediction", "anticipate": "prediction", "warn": "prediction",
    "threaten": "prediction", "estimate": None, "project": "prediction", "guarantee": "prediction",
    # colourful verbs users file complaints about
    "grumble": None, "sigh": None, "quip": None, "joke": None, "snap": None, "shout": None, "exclaim": None,
    "complain": None, "lament": None, "boast": None, "scoff": None, "retort": None, "counter": None,
    "mutter": None, "whisper": None, "cry": None, "yell": None, "scream": None, "sneer": None,
    "continue": None, "agree": None, "hint": None, "signal": None, "caution": "prediction",
    "proclaim": "announcement", "testify": None, "confide": None, "rage": None, "fume": None, "highlight": None,
    "recommend": "request", "advise": "request", "propose": "request", "vent": None, "lash": None, "muse": None,
    "rant": None, "thunder": None, "fire": None, "hit": None, "blast": None, "slam": None,
    # v2 (PolNeAR train error analysis): findings, beliefs and fears with a reported clause
    "show": None, "find": None, "hope": "belief", "fear": "belief", "worry": "belief", "feel": "belief",
    "doubt": "belief", "charge": None, "recognize": "confirmation", "recognise": "confirmation",
    "figure": "belief", "reckon": "belief", "repeat": None, "reiterate": None, "echo": None, "concur": None,
    "speculate": None, "imply": None, "assume": "belief", "guess": "belief", "insinuate": None,
    # v2: speech acts whose direct object is what was said about ("criticized the plan", "praised Obama")
    "criticize": None, "criticise": None, "praise": None, "endorse": None, "condemn": None, "denounce": None,
    "blame": None, "mock": None, "tout": None, "applaud": None, "thank": None, "congratulate": None,
    "decry": None, "ridicule": None, "commend": None, "hail": None, "welcome": None, "cite": None,
    "discuss": None, "defend": None, "support": None, "back": None, "express": None, "attack": None,
    "challenge": None, "remind": None, "oppose": None, "reaffirm": "confirmation",
    # v2: speech acts whose content follows a preposition ("called for", "spoke about", "commented on")
    "portray": None, "characterize": None, "characterise": None, "label": None, "brand": None, "dub": None,
    "talk": None, "speak": None, "refer": None, "push": "request", "advocate": "request", "lobby": "request",
    # v3: attributed beliefs, knowledge and intentions (kind "belief"; see BELIEF_VERBS)
    "know": "belief", "learn": "belief", "understand": "belief", "realize": "belief", "realise": "belief",
    "suspect": "belief", "sense": "belief", "imagine": "belief", "want": "belief", "wish": "belief",
    "intend": "belief", "plan": "belief", "aim": "belief", "seek": "belief", "prefer": "belief",
    "decide": "belief", "see": "belief", "view": "belief", "regard": "belief", "consider": "belief",
    # v5 (PolNeAR train error analysis): stances, requests and judgements the lexicon lacked
    "favor": None, "favour": None, "deem": None, "identify": None, "encourage": "request", "press": "request",
    # v6: refusals ("declined to comment", "refused to endorse Trump"): the cue is the refusal itself, the content
    # what was refused (see REFUSAL_VERBS)
    "decline": None, "refuse": None,
    # v6: complaints, attacks and likenings about an object, regrets and objections after a preposition
    "bemoan": None, "assail": None, "articulate": None, "liken": None, "apologize": None, "apologise": None,
    "dwell": None, "balk": None,
}

# Verbs that are speech only with reported content (a clause or a quote), never with a plain object.
NEEDS_CLAUSE = {
    "add", "note", "report", "claim", "believe", "suggest", "think", "point", "observe", "recall", "continue",
    "agree", "write", "post", "indicate", "estimate", "project", "expect", "anticipate", "call",
    "order", "counter", "signal", "hint", "maintain", "state", "conclude", "answer",
    "reveal", "disclose", "inform", "brief", "tell", "ask", "accuse", "explain", "comment", "remark",
    "show", "find", "hope", "fear", "worry", "feel", "doubt", "charge", "figure", "reckon", "speculate", "imply",
    "assume", "guess", "recognize", "recognise", "concur", "remind", "talk", "speak", "refer", "push", "advocate", "lobby",
    "know", "learn", "understand", "realize", "realise", "suspect", "sense", "imagine", "want", "wish", "intend",
    "plan", "aim", "seek", "prefer", "decide", "see", "view", "regard", "consider",
    "deem", "identify", "encourage", "press", "decline", "refuse",
}
# Verbs that report speech only with a quotation ("he continued: “…”"), never with a clause or object.
QUOTE_ONLY = {"continue", "agree", "fire", "hit", "thunder", "rant", "lash", "muse", "conclude", "sigh", "laugh", "cry", "scream", "yell", "shout", "whisper",
              "mutter", "snap", "quip", "joke", "retort", "counter", "exclaim", "grumble", "scoff", "sneer"}

# Verbs of belief and finding: speech only with a finite reported clause ("polls show that …", "fears the deal
# will fail"), never with an infinitive ("hopes to win") or a loose clause beside them.
CCOMP_ONLY = {"show", "find", "hope", "fear", "worry", "feel", "doubt", "figure", "reckon", "assume", "guess",
              "imply", "speculate", "recognize", "recognise", "concur", "know", "learn", "understand", "realize",
              "realise", "suspect", "sense", "imagine", "see", "view", "regard", "consider", "want", "wish",
              "intend", "plan", "aim", "seek", "prefer", "decide"}

# v3: verbs of belief, knowledge and intention. An attributed belief is not an utterance, but "US intelligence
# believes that …" is an attributed claim a provenance ledger keeps, as kind "belief" (users filter it out). They
# need a subject that can hold a view (a person, an organisation, a pronoun, a noun for people) and a clausal
# complement: a finite clause ("knows that …"), for intention verbs an infinitive ("wants Congress to act",
# "hopes to win"), for view verbs a predicate ("sees Cruz as a uniter").
BELIEF_VERBS = {lemma for lemma, kind in VERB_CUES.items() if kind == "belief"}
#: The belief verbs new in v3 (a reported clause of another cue is not cut at them).
V3_BELIEF = {"know", "learn", "understand", "realize", "realise", "suspect", "sense", "imagine", "want", "wish",
             "intend", "plan", "aim", "seek", "prefer", "decide", "see", "view", "regard", "consider"}
INTENT_XCOMP = {"want", "wish", "intend", "plan", "aim", "seek", "prefer", "decide", "hope"}
#: v6: verbs of refusal. A statement only with an infinitive ("declined to comment", "refused to disavow the
#: endorsement"), by someone who can speak, and only when the article says the refusal happened (no modal, no
#: question): "sales declined 9 percent", "the engine refused to start" and "would refuse to accept" are none. The
#: statement is the refusal (cue "decline"/"refuse"), never the refused act: "declined to say whether …" says nothing.
REFUSAL_VERBS = {"decline", "refuse"}
#: Cues whose statement is no utterance (a belief, knowledge or intention of v3, a refusal of v6): they take no
#: quotation next to them, do not introduce a quote paragraph, and do not cut another speaker's reported clause.
UNSPOKEN = V3_BELIEF | REFUSAL_VERBS


def cue_lemma(lemma: str, lower: str) -> str:
    """The lemma of a cue word, with the small model's slips undone ("hoping" → "hop")."""
    if lemma == "hop" and lower.startswith("hop") and not lower.startswith("hopp"):
        return "hope"
    return lemma

# Verbs whose plain direct object is what was said ("denied the reports", "announced the deal").
OBJECT_CONTENT = {"deny", "confirm", "announce", "reject", "dismiss", "refute", "promise", "pledge",
                  "acknowledge", "admit", "declare", "predict", "forecast", "proclaim", "dispute", "demand",
                  "criticize", "criticise", "praise", "endorse", "condemn", "denounce", "blame", "mock", "tout",
                  "applaud", "thank", "congratulate", "decry", "ridicule", "commend", "hail", "cite", "discuss",
                  "tweet", "mention", "defend", "oppose", "repeat", "reiterate", "echo", "reaffirm", "slam", "blast",
                  "request", "urge", "support", "back", "express", "attack", "challenge",
                  # v5: proposals, emphasis and doubts about an object ("proposed a modest tax", "stressed those
                  # worries", "questioned Mr. Trump's veracity", "described the meeting")
                  "propose", "recommend", "stress", "emphasize", "emphasise", "underline", "underscore", "highlight",
                  "question", "welcome", "describe", "favor", "favour",
                  # v6: "lamented the decline", "bemoaned the influence", "assailed the deal", "articulated a
                  # vision", "likened the plan to …"
                  "lament", "bemoan", "assail", "articulate", "liken"}
#: v5: object verbs that are no statement with a person as object ("police questioned the suspect", "welcomed the
#: guests"): an interrogation or a reception.
NOT_PERSON_OBJECT = {"question", "welcome"}

# Stance verbs (v2): speech acts about an object, never a reported clause of their own — inside another
# speaker's reported clause ("…, as it had supported Russia") they do not start a statement of their own.
STANCE_VERBS = {"criticize", "criticise", "praise", "endorse", "condemn", "denounce", "blame", "mock", "tout",
                "applaud", "thank", "congratulate", "decry", "ridicule", "commend", "hail", "cite", "discuss",
                "tweet", "mention", "defend", "oppose", "support", "back", "express", "attack", "challenge",
                # v5
                "propose", "recommend", "stress", "emphasize", "emphasise", "underline", "underscore", "highlight",
                "question", "welcome", "describe", "favor", "favour",
                # v6
                "lament", "bemoan", "assail", "articulate", "liken"}

# Verbs whose content is the object of one of their prepositions ("called for a ban", "spoke about the war").
PREP_CONTENT: dict[str, set[str]] = {
    "call": {"for"}, "ask": {"for", "about"}, "comment": {"on"}, "talk": {"about"}, "speak": {"about", "of"},
    "refer": {"to"}, "respond": {"to"}, "reply": {"to"}, "complain": {"about", "of"}, "warn": {"of", "about", "against"},
    "argue": {"for", "against"}, "push": {"for"}, "advocate": {"for"}, "lobby": {"for"}, "appeal": {"for"},
    "plead": {"for"}, "boast": {"about", "of"}, "joke": {"about"}, "lash": {"at"},
    "write": {"about"}, "tweet": {"about"}, "point": {"to"},
    # v5: "hinted at a shakeup", "insisted on building a wall", "cautioned against …" (not "agreed on/with": a
    # deal as often as a view, review on war news)
    "hint": {"at"}, "insist": {"on"}, "caution": {"against"}, "muse": {"about", "on"}, "wonder": {"about"},
    # v6: "apologized for the remarks", "dwelt on his record", "balked at the price"
    "apologize": {"for"}, "apologise": {"for"}, "dwell": {"on"}, "balk": {"at"},
}

# Verbs whose infinitive complement is something the addressee is asked to do ("told airlines not to buy").
REQUEST_XCOMP = {"tell", "ask", "urge", "call", "appeal", "order", "instruct", "advise", "encourage", "invite", "press",
                 "beg", "implore", "plead", "demand", "request"}

# Phrasal cues that are not a verb lemma of their own.
PHRASE_CUES = ("according to", "in the words of")

QUESTION_WORDS = {"whether", "if", "why", "how", "what", "when", "where", "who", "which"}

#: v4: cue verbs whose passive with an agent is a statement by the agent about the passive subject — only verbs that
#: are speech acts in every reading ("Kharkiv was attacked by Russian forces", "rebels backed by Moscow" are not).
PASSIVE_CUES = {"endorse", "criticize", "criticise", "praise", "condemn", "denounce", "deny", "reject", "dismiss",
                "refute", "question", "accuse", "ridicule", "mock", "applaud", "commend", "hail", "propose",
                "recommend", "urge", "decry"}
# Not "report", "cite", "confirm", "describe" or the naming verbs: "as reported by the Kyiv Post", "cited by RIA
# Novosti", "This was confirmed by the BBC", "called the Holodomor by Ukrainians" name a relay or a usage, not a
# statement about the passive subject (review of rules v4 on war news).
#: v4: stance verbs that also name physical acts ("forces attacked Kharkiv", "soldiers defended the bridge"): a
#: statement only when their object is a person, an organisation, a group, or something said or decided.
PHYSICAL_READING = {"attack", "defend", "back", "support", "hit", "blast", "slam", "fire", "challenge", "welcome"}
STANCE_OBJECTS = {"decision", "plan", "proposal", "remark", "remarks", "comment", "comments", "statement", "policy",
                  "bill", "law", "idea", "move", "report", "claim", "claims", "stance", "approach", "deal",
                  "agreement", "measure", "candidacy", "campaign", "ban", "position", "view", "views", "call",
                  "resolution", "sanctions", "strategy", "decree", "initiative", "reform", "budget", "nomination",
                  "record", "handling", "response", "rhetoric", "tweet", "speech", "words", "action", "actions",
                  "war", "invasion", "investigation", "inquiry", "probe", "aggression", "annexation", "referendum",
                  "election", "vote", "regime", "talks", "negotiations", "deployment", "sanction"}
#: v5: objects of a physical act even with a person as subject ("the governor backed the car into the gate").
PHYSICAL_OBJECTS = {"city", "town", "village", "base", "bridge", "convoy", "target", "targets", "building", "plant",
                    "facility", "infrastructure", "border", "territory", "region", "position", "positions", "line",
                    "front", "house", "home", "car", "vehicle", "ship", "plane", "aircraft", "tank", "tanks", "missile",
                    "missiles", "drone", "drones", "ball", "door", "wall", "gate", "road", "station", "port", "airport",
                    "headquarters", "embassy", "office", "area", "island", "coast", "capital", "ground", "country",
                    "countries", "nation", "nations", "title", "championship", "crown", "belt", "record"}
#: v5: subjects that name nobody in particular: a stance of "those who favor appeasement" is nobody's statement.
GENERIC_SUBJECTS = {"those", "anyone", "everyone", "someone", "somebody", "everybody", "anybody", "neither", "none",
                    "nobody"}
VERBAL_ONLY = {"slam", "blast", "challenge", "welcome"}  # with a country as object still speech ("slammed the West")
#: Verbs that never introduce what their subject says, even next to a quotation ("he wore “…”" is a T-shirt).
NOT_SPEECH = {"be", "have", "wear", "sign", "buy", "sell", "publish", "hold", "carry", "use", "watch", "see",
              "hear", "read", "sing", "play", "title", "entitle", "name", "dub", "nickname", "release", "air",
              "print", "display", "show", "launch", "run", "host", "produce", "direct", "write", "film", "star",
              "quote", "cite", "begin", "start", "include", "ensure", "need", "continue", "meet", "remain", "become",
              "seem", "make", "take", "get", "give", "keep", "find", "follow", "contain", "feature"}
