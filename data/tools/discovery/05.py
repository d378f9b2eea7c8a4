ACTORS = [
    {"name": "European Commission", "kind": "organization", "m": [
        "n:European Commission", "p:it@that it will raise", "a:Brussels", "s:Commission!European Commission",
        "p:it@For years it has told", "p:It@It has written a ban", "p:it@now it taxes",
        "p:it@industry it claims",
    ]},
    {"name": "China", "kind": "state", "m": [
        "n:China", "a:Beijing", "p:its@subsidizes its industries", "a:Chinese@Chinese trade officials",
        "p:they@that they remain open",
    ]},
    {"name": "Germany", "kind": "state", "m": [
        "n:Germany", "a:Berlin", "a:German",
    ]},
    {"name": "United States", "kind": "state", "m": [
        "a:Washington", "a:America", "n:United States", "p:itself@wall itself off", "p:it@it has cheap fuel",
        "a:American",
    ]},
]
