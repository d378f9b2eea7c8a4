ACTORS = [
    {"name": "Russia", "kind": "state", "m": [
        "n:Russia", "a:Kremlin", "a:Moscow", "p:it@what it once boasted", "p:it@boasted it would take",
        "p:its@nation that its tanks", "p:it@Every winter it lies", "p:it@it counts on the West",
        "a:Russian", "p:it@will not buy it the", "p:its@victory its army",
    ]},
    {"name": "Ukraine", "kind": "state", "m": [
        "n:Ukraine", "a:Ukrainian@Ukrainian air defense units", "a:Ukrainians", "a:Ukrainian@Ukrainian crews",
        "p:its@laid down its arms", "p:they@That is why they keep", "p:it@to fight for it",
        "p:It@It has never asked", "p:It@It asks for", "p:its@its own skies", "p:its@its own power lines",
        "p:its@its own children", "p:their@their own borders", "p:they@in doing so they", "p:They@They have shown",
        "p:they@make sure they never",
    ]},
    {"name": "NATO", "kind": "organization", "m": [
        "n:NATO", "p:Its@Keep Its Word", "t:The alliance", "t:the alliance", "p:its@NATO at its best",
        "p:its@on its eastern border", "p:It@It has not fired", "p:its@keep its word",
    ]},
    {"name": "Poland", "kind": "state", "m": [
        "n:Poland", "p:its@share of its economy", "p:its@keeps its airspace", "p:its@and its rail lines",
    ]},
    {"name": "United States", "kind": "state", "m": [
        "a:Washington", "a:American",
    ]},
]
