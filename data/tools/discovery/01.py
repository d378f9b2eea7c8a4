ACTORS = [
    {"name": "United States", "kind": "state", "m": [
        "a:Washington", "a:White House", "t:the administration",
        "t:The administration@The administration's defenders",
        "p:it@that it had given Iran", "a:State Department", "a:American!Iranian and American negotiators spent",
        "a:American@Iranian and American negotiators spent", "n:United States",
        "p:it@and it has never honestly", "p:its@its demands will grow", "p:its@out of its way",
    ]},
    {"name": "Oman", "kind": "state", "m": [
        "a:Muscat@Muscat Is Doing", "a:Muscat@Muscat has given", "a:Omani", "a:Omanis",
        "n:Oman", "p:its@Oman has earned its place", "t:The sultanate",
        "p:It@It hosted", "p:It@It has brokered", "p:It@It does not leak", "p:it@it does not grandstand",
        "p:it@it does not ask for credit", "t:the mediator@letting the mediator mediate", "t:the very country",
    ]},
    {"name": "Iran", "kind": "state", "m": [
        "a:Iranian@Iranian and American negotiators", "n:Iran", "a:Tehran!those in Tehran",
        "a:Iranian@Iranian negotiators to sell", "p:it@and it has repeatedly restricted",
        "p:Its@Its negotiators", "p:its@its delegation", "a:Iranian@the Iranian nuclear program",
    ]},
    {"name": "IAEA", "kind": "organization", "m": [
        "n:International Atomic Energy Agency", "a:IAEA",
    ]},
]
