ACTORS = [
    {"name": "IAEA", "kind": "organization", "m": [
        "n:International Atomic Energy Agency", "p:its@its inspectors", "t:the agency", "t:The agency",
        "p:its@limited its ability", "a:IAEA", "p:its@IAEA said its team", "p:it@that it expected",
        "p:their@carry out their mandate", "p:they@everything they need", "p:its@at its meeting", "p:it@IAEA said it was",
        "p:Its@Its staff", "t:the board@turning the board", "t:the secretariat",
        "p:its@agency said its team", "p:it@and that it would report", "t:the board@report to the board",
    ]},
    {"name": "Russia", "kind": "state", "m": [
        "a:Russian", "n:Russia", "t:the mission", "p:its@posted on its website", "p:It@It accused",
        "a:Moscow",
    ]},
    {"name": "Ukraine", "kind": "state", "m": [
        "n:Ukraine", "a:Ukrainian", "a:Kyiv",
    ]},
    {"name": "Tomas Lindqvist", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Tomas Lindqvist",
    ]},
]
