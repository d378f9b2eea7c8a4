HEADER = '''register = "report"
summary = "Report on a UK cabinet reshuffle: invented Prime Minister Rachel Denholm moves invented chancellor Graham Tulloch to the Foreign Office and promotes business secretary Owen Pritchard to the Treasury; Labour MPs are mixed, the Conservatives call it an admission of failure. All named people are invented."
one_sided = false
'''
ACTORS = [
    {"name": "Rachel Denholm", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "t:Prime minister@Prime minister moves", "n:Prime Minister Rachel Denholm", "p:her@her chancellor",
        "s:Ms. Denholm", "t:The prime minister", "t:the prime minister", "p:she@whether she had",
        "p:she@she said he had", "p:she@that she wanted", "n:Rachel Denholm@\"Rachel Denholm has",
        "p:her@and her former", "p:her@her legislative",
    ]},
    {"name": "Graham Tulloch", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "t:chancellor@moves chancellor", "t:chancellor@her chancellor on Monday", "n:Graham Tulloch",
        "p:his@in his place", "s:Mr. Tulloch", "t:the former chancellor", "p:he@that he had been told",
        "p:He@He declined", "p:he@as he left", "p:he@said he had done", "p:his@wanted his experience",
        "t:chancellor@its own chancellor", "p:his@his first engagement", "p:him@close to him",
        "p:he@said he intended", "t:former chancellor@her former chancellor",
    ]},
    {"name": "Owen Pritchard", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "t:the business secretary@promoting the business secretary", "n:Owen Pritchard", "s:Mr. Pritchard",
        "p:he@secretary he championed", "t:the new chancellor", "p:his@said his priorities", "p:He@He is expected",
        "s:Owen@\"Owen is able", "p:he@but he inherits", "p:his@rules his predecessor",
    ]},
    {"name": "Ayesha Rahman", "kind": "person", "stance": "neutral", "clear": True, "m": ["n:Ayesha Rahman"]},
    {"name": "Liam Costello", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Liam Costello", "p:he@adding that he had",
    ]},
    {"name": "Julian Faircloth", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Julian Faircloth", "t:the shadow chancellor", "s:Mr. Faircloth", "p:he@no plan,\" he said",
    ]},
    {"name": "Nadia Okafor", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Nadia Okafor", "p:She@She said investors",
    ]},
    {"name": "Labour Party", "kind": "party", "stance": "neutral", "clear": True, "m": [
        "s:Labour", "t:The party@The party's deputy",
    ]},
    {"name": "Conservative Party", "kind": "party", "stance": "neutral", "clear": True, "m": [
        "n:Conservative Party", "a:Conservatives",
    ]},
    {"name": "United Kingdom", "kind": "state", "stance": "neutral", "clear": True, "m": [
        "a:Treasury", "a:Downing Street", "t:the government", "p:its@sacked its own",
    ]},
    {"name": "Bank of England", "kind": "organization", "stance": "neutral", "clear": False, "m": [
        "n:Bank of England",
    ]},
]
