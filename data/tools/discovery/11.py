ACTORS = [
    {"name": "Moldova", "kind": "state", "m": [
        "n:Moldova!Neutral Moldova Alliance!CHISINAU, Moldova", "t:the country@the country's future",
        "t:the pro-European government", "t:the authorities@accusing the authorities", "p:their@silence their critics",
        "t:The government@The government says", "t:the authorities@She said the authorities",
        "p:their@shared their findings", "p:it@but it has the right", "p:its@decide its own path",
        "t:the government@the government was treating", "p:it@disagree with it",
        "t:the government@If the government is", "p:it@why is it so afraid",
        "t:The authorities@The authorities in Chisinau", "p:their@hide their own failures",
        "t:the country@plan for the country",
    ]},
    {"name": "Russia", "kind": "state", "m": [
        "a:Russian@Russian meddling", "a:Russian@a Russian campaign", "n:Russia", "a:Moscow!reporters in Moscow",
        "a:Russian@Russian propaganda", "a:Kremlin",
    ]},
    {"name": "European Union", "kind": "organization", "m": [
        "n:European Union", "a:Brussels@from Brussels", "a:EU", "t:the bloc", "a:Europe@Europe gives speeches",
    ]},
    {"name": "Neutral Moldova Alliance", "kind": "party", "m": [
        "t:the opposition", "t:The opposition", "n:Neutral Moldova Alliance", "t:alliance@his alliance",
    ]},
    {"name": "Sergiu Botnaru", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Sergiu Botnaru", "p:he@Russian propaganda,\" he said", "s:Botnaru@Botnaru said",
        "p:his@his alliance", "p:he@interference?\" he said",
    ]},
    {"name": "Organization for Security and Co-operation in Europe", "kind": "organization",
     "stance": "neutral", "clear": True, "m": ["n:Organization for Security and Co-operation in Europe"]},
    {"name": "Elena", "kind": "person", "stance": "neutral", "clear": False, "m": [
        "n:Elena", "p:her@her surname", "p:she@she would vote",
    ]},
    {"name": "Ion", "kind": "person", "stance": "neutral", "clear": False, "m": [
        "n:Ion", "p:he@he would back", "p:he@with Russia,\" he said",
    ]},
]
