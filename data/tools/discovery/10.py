ACTORS = [
    {"name": "Italy", "kind": "state", "m": [
        "n:Italy", "a:Italian", "p:its@which defends its cooperation", "p:it@In a statement, it said",
        "t:the ministry@the ministry said", "p:its@Under its current",
    ]},
    {"name": "Libya", "kind": "state", "m": [
        "n:Libya", "a:Libyan!Libyan town!off the Libyan coast!The Libyan search", "a:Libyans",
        "p:it@hands it responsibility", "p:its@said its patrol", "p:it@every person it could find",
        "t:the force@said the force was", "t:the coast guard@returned by the coast guard",
        "p:it@said it had recovered",
    ]},
    {"name": "European Union", "kind": "organization", "m": [
        "n:European Union", "a:EU", "a:Europe@Europe has outsourced", "p:its@outsourced its border",
        "p:it@that it knows", "a:Europe@doing Europe's work",
    ]},
    {"name": "UNHCR", "kind": "organization", "m": [
        "t:the UN refugee agency", "a:UNHCR", "p:it@said it was \"deeply", "t:the agency@repeating the agency",
    ]},
    {"name": "Mare Aperto", "kind": "organization", "m": [
        "n:Mare Aperto", "p:its@says its crew", "t:the group@the group's head",
    ]},
    {"name": "European Commission", "kind": "organization", "m": [
        "n:European Commission", "p:it@that it was monitoring", "p:its@use of its funding",
        "s:Commission@a Commission spokesperson",
    ]},
    {"name": "Giulia Ferraro", "kind": "person", "stance": "neutral", "clear": True, "m": [
        "n:Giulia Ferraro", "s:Ferraro@Mare Aperto's Ferraro", "p:she@human rights,\" she said",
    ]},
    {"name": "Malta", "kind": "state", "stance": "neutral", "clear": True, "m": ["a:Maltese"]},
    {"name": "International Maritime Organization", "kind": "organization", "stance": "neutral",
     "clear": False, "m": ["n:International Maritime Organization"]},
]
