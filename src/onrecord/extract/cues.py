"""The cue lexicon: reporting verbs and phrases, with the kind of speech act they signal.

Versioned (``CUES_VERSION``): every statement records the rule-set version that produced it.
"""

from __future__ import annotations

CUES_VERSION = "onrecord.cues.en.v1"

# lemma -> default statement kind (None: decided from the content)
VERB_CUES: dict[str, str | None] = {
    # neutral reporting
    "say": None, "tell": None, "state": None, "note": None, "add": None, "reply": None, "respond": None,
    "answer": None, "remark": None, "comment": None, "explain": None, "write": None, "post": None,
    "tweet": None, "report": None, "claim": None, "argue": None, "insist": None, "stress": None,
    "emphasize": None, "emphasise": None, "underline": None, "underscore": None, "point": None,
    "mention": None, "observe": None, "recall": None, "believe": None, "suggest": None, "think": None,
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
}

# Verbs that are speech only with reported content (a clause or a quote), never with a plain object.
NEEDS_CLAUSE = {
    "add", "note", "report", "claim", "believe", "suggest", "think", "point", "observe", "recall", "continue",
    "agree", "write", "post", "describe", "indicate", "estimate", "project", "expect", "anticipate", "call",
    "order", "question", "counter", "signal", "hint", "mention", "maintain", "state", "conclude", "answer",
    "reveal", "disclose", "inform", "brief", "tell", "ask", "accuse", "explain", "comment", "remark",
}
# Verbs that report speech only with a quotation ("he continued: “…”"), never with a clause or object.
QUOTE_ONLY = {"continue", "agree", "fire", "hit", "blast", "slam", "thunder", "rant", "lash", "muse", "conclude", "sigh", "laugh", "cry", "scream", "yell", "shout", "whisper",
              "mutter", "snap", "quip", "joke", "retort", "counter", "exclaim", "grumble", "scoff", "sneer"}

# Verbs whose plain direct object is what was said ("denied the reports", "announced the deal").
OBJECT_CONTENT = {"deny", "confirm", "announce", "reject", "dismiss", "refute", "promise", "pledge",
                  "acknowledge", "admit", "declare", "predict", "forecast", "proclaim", "dispute", "demand"}

# Verbs whose infinitive complement is something the addressee is asked to do ("told airlines not to buy").
REQUEST_XCOMP = {"tell", "ask", "urge", "call", "appeal", "order", "instruct", "advise", "encourage", "invite",
                 "beg", "implore", "plead", "demand", "request"}

# Phrasal cues that are not a verb lemma of their own.
PHRASE_CUES = ("according to", "in the words of")

QUESTION_WORDS = {"whether", "if", "why", "how", "what", "when", "where", "who", "which"}
