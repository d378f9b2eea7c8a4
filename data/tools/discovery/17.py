HEADER = '''register = "op-ed"
summary = "One-sided op-ed backing invented Governor Teresa Alvarado against the invented company Kessler Appliance, which is closing its Millbrook, Pennsylvania plant after taking state tax credits; attacks the invented CEO Douglas Marchetti's threats and stock buybacks. All named people and the company are invented."
one_sided = true
'''
ACTORS = [
    {"name": "Teresa Alvarado", "kind": "person", "stance": "favor", "clear": True, "m": [
        "s:Governor Alvarado", "n:Governor Teresa Alvarado", "p:she@a day, she had", "p:She@She has asked",
        "p:she@she has said", "t:The governor@The governor is doing", "s:Ms. Alvarado", "p:She@She has not promised",
        "p:she@she has been honest", "p:she@What she has", "t:The governor@The governor should",
        "p:her@hold her ground", "n:Teresa Alvarado@Teresa Alvarado has reminded",
    ]},
    {"name": "Kessler Appliance", "kind": "company", "stance": "against", "clear": True, "m": [
        "n:Kessler Appliance", "p:it@that it will close", "p:its@close its refrigerator", "t:The company",
        "t:the company", "p:its@its chief executive", "s:Kessler!Kessler Appliance", "p:it@credits it accepted",
        "p:it@it was happy", "p:its@its own numbers", "p:It@It is chasing", "p:its@its products",
    ]},
    {"name": "Douglas Marchetti", "kind": "person", "stance": "against", "clear": True, "m": [
        "t:chief executive@its chief executive", "n:Douglas Marchetti", "p:his@built his company",
        "p:He@He spoke", "p:he@where he praised", "s:Mr. Marchetti", "p:he@channel, he warned",
    ]},
    {"name": "Millbrook", "kind": "place", "stance": "favor", "clear": False, "m": [
        "n:Millbrook", "t:the town@visit the town", "t:the town@into the town",
    ]},
    {"name": "Pennsylvania", "kind": "place", "stance": "neutral", "clear": False, "m": [
        "n:Pennsylvania", "t:the state@the state may do", "t:the state@the state cannot",
        "t:the state@the state should",
    ]},
    {"name": "Securities and Exchange Commission", "kind": "organization", "stance": "neutral",
     "clear": False, "m": ["n:Securities and Exchange Commission"]},
]
