ACTORS = [
    {"name": "European Commission", "kind": "organization", "m": [
        "a:Brussels", "n:European Commission", "s:Commission!European Commission",
        "p:its@dropped several of its", "p:its@holding its nerve", "p:its@publish its assessment",
        "t:the referee",
    ]},
    {"name": "Nuvora", "kind": "company", "m": [
        "n:Nuvora", "t:the company", "t:The company", "p:It@It had. The",
        "p:its@a company that knew its", "p:Its@Its complaint", "p:It@It has tried this",
        "p:it@last year it briefly", "p:its@switched off its", "p:it@Perhaps it has",
        "p:its@to fix its recommendation", "p:its@as its record", "p:it@suggests it will",
        "p:its@to show its work", "p:it@hid what it knew", "p:its@platform of its size",
    ]},
    {"name": "Adrian Kell", "kind": "person", "stance": "against", "clear": False, "m": [
        "n:Adrian Kell",
    ]},
]
