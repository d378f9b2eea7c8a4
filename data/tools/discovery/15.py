HEADER = '''register = "report"
summary = "Wire report on a stalled bipartisan U.S. Senate funding deal: invented Republican holdout Sen. Marcus Dunleavy demands deeper cuts, invented Majority Leader Thomas Garrity seeks a vote, invented Democrat Sen. Elaine Voss refuses to reopen the deal; the White House and the CBO weigh in. All named people are invented."
one_sided = false
'''
ACTORS = [
    {"name": "U.S. Senate", "kind": "organization", "stance": "neutral", "clear": True, "m": [
        "s:Senate@Senate budget deal", "n:U.S. Senate", "s:Senate@urged the Senate", "t:the chamber",
        "s:Senate@keep the Senate",
    ]},
    {"name": "Republican Party", "kind": "party", "stance": "neutral", "clear": True, "m": [
        "a:Republican!Republican Party", "a:Republicans", "n:Republican Party",
    ]},
    {"name": "Democratic Party", "kind": "party", "stance": "neutral", "clear": True, "m": [
        "a:Democrats", "p:they@that they would not accept", "a:Democrat",
    ]},
    {"name": "United States", "kind": "state", "stance": "neutral", "clear": True, "m": [
        "t:the federal government", "a:White House", "t:the administration", "t:The administration",
        "a:Washington@tired of Washington", "p:it@money it does not have",
    ]},
    {"name": "Congressional Budget Office", "kind": "organization", "stance": "neutral", "clear": True, "m": [
        "n:Congressional Budget Office", "t:The agency",
    ]},
    {"name": "Thomas Garrity", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Senate Majority Leader Thomas Garrity", "p:he@Instead, he spent", "s:Mr. Garrity",
        "p:his@outside his office", "t:the majority leader", "p:his@deliver his own",
        "t:The leader", "p:He@He has known", "p:he@Garrity said he would", "p:he@whether he would",
        "p:he@leader said he preferred", "p:he@whenever he is ready",
    ]},
    {"name": "Marcus Dunleavy", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Senator Marcus Dunleavy", "s:Mr. Dunleavy", "p:He@He wants", "t:the senator@the senator said in a floor",
        "p:his@whom his office", "p:his@share his concerns", "s:Marcus@\"Marcus has",
        "p:he@idea that he was", "p:he@have,\" he said", "t:The senator@The senator said his",
        "p:his@said his office would",
    ]},
    {"name": "Elaine Voss", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Senator Elaine Voss", "s:Ms. Voss", "p:She@She added", "p:her@her party",
    ]},
    {"name": "Carla Mendes", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Carla Mendes", "p:She@She said financial",
    ]},
]
