//! Cue words of subjective or attributed language, and clause breaks.

use super::group::Group;
use super::hash::name_hash;

/// Class of a cue word of subjective or attributed language, for the `cues` extra.
/// Hand-written for this project: single lowercase tokens as the tokenizer gives them
/// ("so-called" is matched as the three tokens `so - called` in the extractor).
pub(crate) fn cue_class(t: &str) -> Option<&'static str> {
    Some(match t {
        // Hedges: the writer holds back from the claim.
        "may" | "might" | "could" | "perhaps" | "maybe" | "possibly" | "probably" | "likely"
        | "unlikely" | "apparently" | "reportedly" | "allegedly" | "seemingly" | "supposedly"
        | "purportedly" | "presumably" | "arguably" | "seems" | "seem" | "seemed" | "appears"
        | "appeared" | "suggests" | "suggested" | "suggesting" | "somewhat" | "roughly"
        | "estimated" | "believed" | "rumored" | "unclear" | "uncertain" | "unconfirmed"
        | "unproven" | "potentially" | "possible" | "partly" | "largely" | "tends"
        | "indicates" | "suspected" | "speculation" => "hedge",
        // Factive verbs: what follows is presented as true.
        "realize" | "realized" | "realizes" | "reveal" | "revealed" | "reveals" | "revealing"
        | "admit" | "admitted" | "admits" | "acknowledge" | "acknowledged" | "acknowledges"
        | "knew" | "discovered" | "learned" | "noticed" | "recognized" | "regret" | "regrets"
        | "regretted" | "confirmed" | "confirms" | "proved" | "proven" | "exposed" | "exposes"
        | "uncovered" | "demonstrated" | "conceded" | "concedes" => "factive",
        // Assertive verbs: what follows is one side's claim.
        "claim" | "claimed" | "claims" | "claiming" | "insist" | "insisted" | "insists"
        | "contend" | "contended" | "contends" | "allege" | "alleged" | "alleges" | "assert"
        | "asserted" | "asserts" | "argue" | "argued" | "argues" | "arguing" | "maintained"
        | "maintains" | "accused" | "accuses" | "accusing" | "declared" | "declares" | "swore"
        | "vowed" | "vows" | "boasted" | "boasts" | "denied" | "denies" | "disputed" | "touted"
        | "touts" | "trumpeted" | "professed" => "assertive",
        // Reporting and attribution.
        "said" | "says" | "say" | "saying" | "told" | "tells" | "according" | "stated"
        | "statement" | "announced" | "announces" | "added" | "noted" | "notes" | "explained"
        | "reported" | "wrote" | "writes" | "commented" | "remarked" | "spokesman"
        | "spokeswoman" | "spokesperson" | "interview" | "quoted" | "responded" | "replied"
        | "testified" | "described" => "report",
        // Boosters and intensifiers.
        "very" | "extremely" | "utterly" | "totally" | "completely" | "absolutely" | "entirely"
        | "highly" | "incredibly" | "really" | "truly" | "deeply" | "clearly" | "obviously"
        | "definitely" | "certainly" | "undoubtedly" | "surely" | "indeed" | "hugely"
        | "massively" | "enormously" | "wildly" | "literally" | "seriously" | "vastly"
        | "remarkably" | "exceptionally" | "particularly" | "greatly" | "tremendously"
        | "overwhelmingly" | "unprecedented" | "ever" => "booster",
        // Loaded words common in partisan news writing.
        "regime" | "radical" | "radicals" | "extremist" | "extremists" | "slammed" | "slams"
        | "blasted" | "blasts" | "lashed" | "ripped" | "rips" | "bashed" | "bashing" | "thug"
        | "thugs" | "mob" | "hysteria" | "hysterical" | "scheme" | "propaganda" | "elites"
        | "leftist" | "leftists" | "socialist" | "fascist" | "racist" | "bigot" | "bigoted"
        | "aliens" | "invasion" | "crusade" | "agenda" | "rant" | "ranted" | "tirade"
        | "meltdown" | "draconian" | "lavish" | "notorious" | "infamous" | "embattled"
        | "disgraced" | "bogus" | "sham" | "hoax" | "woke" | "rhetoric" | "spewed" | "caved"
        | "hardline" | "zealots" | "zealot" | "onslaught" | "brazen" | "unhinged"
        | "radicalized" => "loaded",
        _ => return None,
    })
}

/// Tokens that end a clause.
pub(super) fn is_clause_break(t: &str) -> bool {
    matches!(
        t,
        "," | ";"
            | ":"
            | "."
            | "!"
            | "?"
            | "("
            | ")"
            | "\""
            | "—"
            | "–"
            | "but"
            | "while"
            | "whereas"
            | "although"
            | "though"
            | "however"
            | "yet"
            | "meanwhile"
    )
}

impl super::visit::Visit<'_, '_, '_> {
    /// Cue words read how a sentence attributes and colours what it says about a named
    /// actor, or the sentence itself (the bias head): the class, the word, and by side
    /// of and distance to the target, and inside its clause.
    pub(super) fn cues(&mut self, name: &mut String) {
        for i in 0..self.masked.len() {
            let t = self.masked[i];
            let so_called =
                t == "called" && i >= 2 && self.masked[i - 1] == "-" && self.masked[i - 2] == "so";
            let Some(class) = (if so_called {
                Some("loaded")
            } else {
                self.cue_at(i)
            }) else {
                continue;
            };
            let mut cue = |v: &mut Self, parts: &[&str]| {
                name.clear();
                name.push_str("b|");
                name.push_str(class);
                for part in parts {
                    name.push('|');
                    name.push_str(part);
                }
                v.emit(Group::CUE, name_hash(name, Group::CUE), name, i, i + 1);
            };
            cue(self, &[]);
            cue(self, &[if so_called { "so-called" } else { t }]);
            if let Some(p) = self.target_pos {
                let side = if i < p { "l" } else { "r" };
                cue(self, &[side]);
                if i.abs_diff(p) <= 3 {
                    cue(self, &[side, "near"]);
                }
                if self.clause.is_some_and(|(a, b)| a <= i && i < b) {
                    cue(self, &["clause"]);
                }
            }
        }
    }
}
