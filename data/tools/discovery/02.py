ACTORS = [
    {"name": "United States", "kind": "state", "m": [
        "a:U.S.", "a:White House", "p:it@that it had given Iran", "a:State Department",
        "a:Washington!told reporters in Washington", "n:United States",
    ]},
    {"name": "Iran", "kind": "state", "m": [
        "n:Iran", "a:Iranian", "a:Tehran!conference in Tehran!In Tehran, the rial",
        "a:Islamic Republic", "p:its@its right to peaceful", "p:its@Tehran says its program",
    ]},
    {"name": "Oman", "kind": "state", "m": [
        "n:Oman!MUSCAT, Oman", "a:Omani!the Omani capital", "p:It@It hosted contacts", "a:Omanis",
    ]},
    {"name": "IAEA", "kind": "organization", "m": [
        "n:International Atomic Energy Agency", "a:IAEA", "p:its@IAEA said in its latest",
    ]},
    {"name": "Israel", "kind": "state", "m": [
        "n:Israel", "p:it@it would not be bound", "a:Israeli",
    ]},
    {"name": "Laleh Farahani", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Laleh Farahani",
    ]},
]
