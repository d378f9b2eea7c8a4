ACTORS = [
    {"name": "European Union", "kind": "organization", "m": [
        "a:Europe@Europe takes aim", "n:European Union", "t:the bloc", "a:EU", "a:Europe@Europe's record",
    ]},
    {"name": "Russia", "kind": "state", "m": [
        "n:Russia", "a:Moscow", "t:the country@the country's seaborne", "p:its@Moscow, for its part",
        "a:Kremlin", "a:Russian@Russian officials",
    ]},
    {"name": "India", "kind": "state", "m": [
        "n:India", "a:New Delhi!decisions in New Delhi", "t:the country@the country's energy",
        "p:its@needs of its population", "p:it@that it did not accept",
    ]},
    {"name": "Turkey", "kind": "state", "m": [
        "n:Turkey", "a:Ankara!New Delhi, Ankara", "a:Turkish", "p:they@that they comply",
    ]},
    {"name": "United States", "kind": "state", "m": [
        "n:United States", "a:Washington!Ankara and Washington", "p:its@its own sanctions",
        "p:its@but its approach", "a:American",
    ]},
    {"name": "United Kingdom", "kind": "state", "m": ["n:United Kingdom", "a:British"]},
    {"name": "China", "kind": "state", "stance": "neutral", "clear": True, "m": ["n:China"]},
    {"name": "United Nations", "kind": "organization", "stance": "neutral", "clear": True,
     "m": ["n:United Nations"]},
]
