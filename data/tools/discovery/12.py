ACTORS = [
    {"name": "Saudi Arabia", "kind": "state", "m": [
        "n:Saudi Arabia", "p:it@what it has done", "a:Saudi@Saudi negotiators", "a:Riyadh",
        "p:its@defend its economic", "p:It@It is not entitled", "p:it@and it should not",
        "p:it@transition it works",
    ]},
    {"name": "Alliance of Small Island States", "kind": "organization", "m": [
        "t:Small Islands@Saved by Small Islands", "t:the low-lying island states", "p:They@They deserve", "n:Alliance of Small Island States",
        "p:Its@Its negotiators, many", "t:the island bloc", "p:their@whether their homes",
        "p:They@They negotiated", "p:they@and they were right", "t:the islands", "p:them@who back them",
        "t:The small island states", "p:them@keeps falling to them",
    ]},
    {"name": "European Union", "kind": "organization", "m": [
        "n:European Union", "p:its@to its credit", "p:Its@Its negotiators can", "a:Europe@But Europe",
        "p:its@if its own member", "p:its@if its promises",
    ]},
    {"name": "United States", "kind": "state", "m": [
        "n:United States", "p:it@it was barely present", "t:The administration", "a:American",
        "p:itself@absent itself",
    ]},
    {"name": "China", "kind": "state", "m": [
        "n:China", "p:its@its familiar double", "p:It@It is building", "p:its@its engineers",
        "a:Beijing", "p:it@treat it as", "p:its@match its emissions",
    ]},
    {"name": "United Nations", "kind": "organization", "m": ["n:United Nations", "a:UN"]},
]
