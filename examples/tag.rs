//! Tags each line of standard input with the built-in NER tagger and prints its spans
//! (a debugging aid for actor discovery).
//!
//! ```text
//! echo "Senator Mitch McConnell spoke." | cargo run --release --example tag
//! echo "Theresa May" | cargo run --release --example tag -- --shares
//! ```
//!
//! `--shares` prints, for each word of each line instead, its span-type shares in the
//! tagger's training data (`NerTagger::training_shares`: O, PERSON, ORG, GPE_OR_LOC,
//! OTHER; 0 none, 1 under 20%, 2 20-80%, 3 80% or more), or "unseen".

use std::io::BufRead;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut tagger = stance::builtin_tagger()?;
    // `--gate`: tag as discovery does (see `NerParams::gate`).
    tagger.set_gate(std::env::args().any(|a| a == "--gate"));
    let shares = std::env::args().any(|a| a == "--shares");
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if shares {
            for w in line.split_whitespace() {
                match tagger.training_shares(w) {
                    Some(s) => println!("{w}\t{s:?}"),
                    None => println!("{w}\tunseen"),
                }
            }
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let spans: Vec<String> = tagger
            .tag(&line)
            .iter()
            .map(|s| {
                let t: String = chars[s.start..s.end].iter().collect();
                format!("[{t}]{}", s.kind.name())
            })
            .collect();
        println!("{}", spans.join(" "));
    }
    Ok(())
}
