ACTORS = [
    {"name": "OPEC", "kind": "organization", "m": [
        "a:OPEC", "p:its@OPEC and its allies", "t:the group", "t:the alliance", "p:its@lose much of its power",
    ]},
    {"name": "Saudi Arabia", "kind": "state", "m": [
        "n:Saudi Arabia", "a:Riyadh", "t:the kingdom", "a:Saudi@Saudi officials", "p:their@their frustration",
        "p:It@It can tolerate", "p:its@most of its partners", "p:its@most of its competitors",
        "p:it@in 2014, it eventually", "a:Saudi@Saudi finances", "p:Its@Its economic",
        "p:its@balance its budget", "t:The government", "p:its@reasserted its authority",
    ]},
    {"name": "Russia", "kind": "state", "m": [
        "n:Russia", "a:Moscow", "a:Kremlin",
    ]},
    {"name": "United States", "kind": "state", "m": [
        "n:United States",
    ]},
    {"name": "Kazakhstan", "kind": "state", "stance": "neutral", "clear": True, "m": [
        "n:Kazakhstan", "p:its@exceeded its target",
    ]},
    {"name": "Iraq", "kind": "state", "stance": "neutral", "clear": True, "m": ["n:Iraq"]},
    {"name": "IMF", "kind": "organization", "stance": "neutral", "clear": True,
     "m": ["n:International Monetary Fund"]},
    {"name": "India", "kind": "state", "stance": "neutral", "clear": True, "m": [
        "n:India", "p:its@85 percent of its oil",
    ]},
    {"name": "China", "kind": "state", "stance": "neutral", "clear": True, "m": ["n:China"]},
]
