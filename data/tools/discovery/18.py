HEADER = '''register = "both-sides"
summary = "Both-sides report on an invented UK by-election in Ashcombe and Ferrybridge: invented Labour candidate Sophie Marchbank defends the government's record, invented Conservative Richard Colley blames it for rural bus cuts, invented Liberal Democrat Hamish Tate says both parties blame each other. All named people and the constituency are invented."
one_sided = false
'''
ACTORS = [
    {"name": "Labour Party", "kind": "party", "stance": "neutral", "clear": True, "m": [
        "s:Labour!The Labour candidate",
    ]},
    {"name": "Conservative Party", "kind": "party", "stance": "neutral", "clear": True, "m": [
        "a:Conservatives", "a:Conservative@a Conservative-run", "n:Conservative Party", "a:Conservative@A Conservative gain",
        "t:the party@the party's first", "p:its@since its defeat", "a:Conservative@by Conservative MPs",
        "t:the party@the party's recovery",
    ]},
    {"name": "Liberal Democrats", "kind": "party", "stance": "neutral", "clear": True, "m": [
        "n:Liberal Democrats", "p:they@say they can win", "p:its@doubled its membership",
    ]},
    {"name": "United Kingdom", "kind": "state", "stance": "neutral", "clear": True, "m": [
        "t:the government", "a:Westminster@funding from Westminster", "a:Treasury",
    ]},
    {"name": "Sophie Marchbank", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Sophie Marchbank", "s:Ms. Marchbank", "p:her@built her campaign",
        "p:she@she said at a community", "p:she@where she was joined", "t:The Labour candidate",
        "p:she@that she was \"not",
    ]},
    {"name": "Richard Colley", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Richard Colley", "s:Mr. Colley", "p:He@He points", "p:he@which he blames",
        "t:the Conservative candidate", "p:He@He has said he", "p:he@said he would vote",
        "p:his@by his own party", "p:he@said he expected",
    ]},
    {"name": "Hamish Tate", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Hamish Tate", "s:Mr. Tate", "p:He@He has campaigned", "p:his@says his party",
        "p:His@His opponents", "p:he@say he cannot", "p:He@He says they", "p:his@about his party",
        "p:he@that he would keep",
    ]},
    {"name": "Helen Avery", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Dr. Helen Avery", "p:She@She said the Conservatives",
    ]},
    {"name": "Peter Hollings", "kind": "person", "stance": "neutral", "clear": False, "m": [
        "n:Peter Hollings",
    ]},
]
