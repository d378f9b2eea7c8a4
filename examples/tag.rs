//! Tags each line of standard input with the built-in NER tagger and prints its spans
//! (a debugging aid for actor discovery).
//!
//! ```text
//! echo "Senator Mitch McConnell spoke." | cargo run --release --example tag
//! ```

use std::io::BufRead;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut tagger = stance::builtin_tagger()?;
    // `--gate`: tag as discovery does (see `NerParams::gate`).
    tagger.set_gate(std::env::args().any(|a| a == "--gate"));
    for line in std::io::stdin().lock().lines() {
        let line = line?;
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
