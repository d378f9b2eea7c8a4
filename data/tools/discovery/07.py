ACTORS = [
    {"name": "World Food Programme", "kind": "organization", "m": [
        "a:WFP", "n:World Food Programme", "t:the agency", "t:The agency", "p:it@WFP said it had",
        "p:it@forced it to cut", "p:it@agency said it needed", "p:it@that it could not give",
    ]},
    {"name": "Rapid Support Forces", "kind": "organization", "m": [
        "n:Rapid Support Forces", "a:RSF", "p:its@on its Telegram", "p:it@channel that it had",
        "t:The group@The group said it", "p:it@group said it had formed", "p:its@under its control",
        "t:The militia",
    ]},
    {"name": "Sudan", "kind": "state", "m": [
        "n:Sudan!PORT SUDAN, Sudan!Port Sudan", "t:the army", "t:The ministry", "a:Sudanese@the Sudanese authorities",
        "t:The government", "p:its@its procedures", "a:Sudanese@the Sudanese army",
    ]},
    {"name": "United Nations", "kind": "organization", "m": [
        "n:United Nations", "a:U.N.", "p:it@that it was in contact",
    ]},
    {"name": "Amina Dahab", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Amina Dahab", "p:She@She said several",
    ]},
]
