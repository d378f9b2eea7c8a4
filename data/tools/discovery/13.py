ACTORS = [
    {"name": "International Court of Justice", "kind": "organization", "m": [
        "a:World Court", "n:International Court of Justice", "t:the court", "p:It@It rejected Venezuela",
        "a:ICJ", "p:its@on its docket",
    ]},
    {"name": "Guyana", "kind": "state", "m": [
        "n:Guyana", "a:Georgetown", "t:the country@the country's foreign minister",
    ]},
    {"name": "Venezuela", "kind": "state", "m": [
        "n:Venezuela", "a:Caracas@hand\" to Caracas", "p:it@said it \"does not", "a:Venezuelan@Venezuelan officials",
        "t:the government@the government in Caracas", "p:it@although it took", "p:it@waters it claims",
        "p:it@and it has not said",
    ]},
    {"name": "United Nations", "kind": "organization", "m": [
        "a:UN", "t:the Secretary-General@the Secretary-General was", "a:Security Council",
        "p:its@its five permanent", "n:United Nations",
    ]},
    {"name": "Brazil", "kind": "state", "m": [
        "n:Brazil", "p:its@to its northern", "p:it@said it will not", "p:its@allow its territory",
        "a:Brazilian",
    ]},
    {"name": "United States", "kind": "state", "stance": "neutral", "clear": True, "m": ["n:United States"]},
]
