ACTORS = [
    {"name": "United Nations", "kind": "organization", "m": [
        "a:Security Council!United Nations Security Council", "n:United Nations Security Council",
        "s:Council!Security Council", "p:It@It has held open", "p:its@to its great credit",
        "p:It@It has taken no anything", "p:itself@Council itself",
    ]},
    {"name": "Rapid Support Forces", "kind": "organization", "m": [
        "n:Rapid Support Forces", "a:RSF", "p:it@than it has actually", "t:The paramilitary",
    ]},
    {"name": "Sudan", "kind": "state", "m": [
        "n:Sudan!Port Sudan", "t:the country@as the country has slid", "a:Sudanese@the Sudanese army",
        "a:Sudanese@Sudanese ownership", "t:the army-aligned authorities",
    ]},
    {"name": "World Food Programme", "kind": "organization", "m": ["n:World Food Programme", "a:WFP"]},
]
