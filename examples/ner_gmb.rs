//! Trains the named-entity tagger on the GMB extract and measures it.
//!
//! ```text
//! cargo run --release --features internals --example ner_gmb -- TRAIN.csv DEV.csv [-o out.ner]
//!     [--epochs N] [--scheme bio|bilou] [--buckets N] [--seed N] [--gate]
//!     [--quant LEVELS] [--prune X] [--holdout] [--clusters FILE]
//! ```
//!
//! `--clusters FILE` adds word-cluster features from a `word, c64, c256, c1024` table
//! (the project's `data/resources/glove-clusters.tsv`); the tagger file keeps a copy.
//!
//! `--holdout` ignores DEV.csv: it trains on the first 90% of TRAIN.csv and reports on
//! its last 10% (for picking settings without touching dev). `--load FILE` skips
//! training and measures a stored tagger; `--dump FILE` writes the sentences whose
//! predicted spans differ from the gold ones.
//!
//! The data is the Groningen Meaning Bank extract described in the shared data README
//! (GMB 2.2.0; Bos, Basile, Evang, Venhuizen, Bjerva, "The Groningen Meaning Bank",
//! Handbook of Linguistic Annotation, 2017); a tagger trained on it should credit GMB.

use stance::text::ner::{
    evaluate, read_gmb_csv, tokens, NerParams, NerScores, NerScratch, NerTagger, TagScheme,
    WordClusters,
};
use std::error::Error;
use std::time::Instant;

fn short(s: &NerScores) -> String {
    let mut out = String::new();
    for k in stance::text::ner::EntityKind::ALL {
        out.push_str(&format!("{} {:.4}  ", k.name(), s.kind(k).f1()));
    }
    out.push_str(&format!("micro {:.4}", s.micro().f1()));
    out
}

/// CPU seconds used by this thread (not counting time other processes held the core).
#[cfg(target_os = "linux")]
fn thread_cpu_secs() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Wall-clock seconds since the first call, where thread CPU time is not available.
#[cfg(not(target_os = "linux"))]
fn thread_cpu_secs() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Tags `sentences` over and over for at least 2 s of this thread's CPU time; returns
/// sentences/s, tokens/s and microseconds per sentence, over all rounds and for the
/// fastest round.
fn speed(tagger: &NerTagger, sentences: &[stance::text::ner::NerSentence]) -> [f64; 4] {
    let n_tokens: usize = sentences
        .iter()
        .map(|s| tokens::tokenize(&s.text).len())
        .sum();
    let mut scratch = NerScratch::default();
    let mut out = Vec::new();
    let (mut rounds, mut found) = (0usize, 0usize);
    let mut best = f64::INFINITY;
    let t0 = thread_cpu_secs();
    while thread_cpu_secs() - t0 < 2.0 {
        let r0 = thread_cpu_secs();
        for s in sentences {
            tagger.tag_into(&s.text, &mut scratch, &mut out);
            found += out.len();
        }
        best = best.min(thread_cpu_secs() - r0);
        rounds += 1;
    }
    let secs = thread_cpu_secs() - t0;
    std::hint::black_box(found);
    let sents = (rounds * sentences.len()) as f64;
    [
        sents / secs,
        (rounds * n_tokens) as f64 / secs,
        secs * 1e6 / sents,
        best * 1e6 / sentences.len() as f64,
    ]
}

fn show_speed(label: &str, x: [f64; 4]) {
    println!(
        "{label}: {:.0} sentences/s, {:.0} tokens/s, {:.2} us/sentence (fastest round {:.2} us/sentence; thread CPU time)",
        x[0], x[1], x[2], x[3]
    );
}

/// PERSON scores with leading titles dropped from gold and predicted spans alike
/// (`NerTagger::name_span`; spans of titles only dropped): precision, recall, F1.
fn name_scores(tagger: &NerTagger, sentences: &[stance::text::ner::NerSentence]) -> [f64; 3] {
    use stance::text::ner::EntityKind;
    let (mut gold, mut pred, mut ok) = (0usize, 0usize, 0usize);
    for s in sentences {
        let names = |v: &[stance::text::ner::EntitySpan]| -> Vec<_> {
            v.iter()
                .filter(|e| e.kind == EntityKind::Person)
                .filter_map(|e| tagger.name_span(&s.text, e))
                .collect()
        };
        let g = names(&s.entities);
        let p = names(&tagger.tag(&s.text));
        gold += g.len();
        pred += p.len();
        ok += p.iter().filter(|x| g.contains(x)).count();
    }
    let (p, r) = (
        ok as f64 / pred.max(1) as f64,
        ok as f64 / gold.max(1) as f64,
    );
    [
        p,
        r,
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
    ]
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos = Vec::new();
    let mut out_path = None;
    let mut params = NerParams::default();
    let mut holdout = false;
    let mut dump = None;
    let mut load = None;
    let mut clusters = WordClusters::default();
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        let mut val = || -> Result<String, Box<dyn Error>> {
            k += 1;
            args.get(k)
                .cloned()
                .ok_or_else(|| format!("{a} needs a value").into())
        };
        match a {
            "-o" => out_path = Some(val()?),
            "--epochs" => params = params.epochs(val()?.parse()?),
            "--buckets" => params = params.buckets(val()?.parse()?),
            "--seed" => params = params.seed(val()?.parse()?),
            "--quant" => params = params.quant_levels(val()?.parse()?),
            "--prune" => params = params.prune(val()?.parse()?),
            "--gate" => params = params.gate(true),
            "--holdout" => holdout = true,
            "--dump" => dump = Some(val()?),
            "--load" => load = Some(val()?),
            "--clusters" => clusters = WordClusters::parse(&std::fs::read_to_string(val()?)?)?,
            "--scheme" => {
                params = params.scheme(match val()?.as_str() {
                    "bio" => TagScheme::Bio,
                    "bilou" => TagScheme::Bilou,
                    other => return Err(format!("unknown scheme {other}").into()),
                })
            }
            _ => pos.push(args[k].clone()),
        }
        k += 1;
    }
    if pos.len() != 2 {
        return Err("usage: ner_gmb TRAIN.csv DEV.csv [-o out.ner] [options]".into());
    }
    let read =
        |p: &str| -> Result<_, Box<dyn Error>> { Ok(read_gmb_csv(std::fs::File::open(p)?, p)?) };
    let mut train = read(&pos[0])?;
    let mut dev = read(&pos[1])?;
    let dev_name = match holdout {
        true => format!("the last tenth of {}", pos[0]),
        false => pos[1].clone(),
    };
    if holdout {
        let cut = train.len() * 9 / 10;
        dev = train.split_off(cut);
        println!(
            "holdout: training on the first {} sentences of {}, evaluating on its last {}",
            train.len(),
            pos[0],
            dev.len()
        );
    } else {
        println!(
            "train {} sentences, dev {} sentences",
            train.len(),
            dev.len()
        );
    }
    if let Some(p) = load {
        let tagger = NerTagger::from_bytes(&std::fs::read(&p)?)?;
        println!(
            "loaded {p}: {:?}\n{}",
            tagger.params(),
            evaluate(&tagger, &dev)
        );
        let [p, r, f] = name_scores(&tagger, &dev);
        println!(
            "PERSON names without leading titles (gold and predicted): P {p:.4} R {r:.4} F1 {f:.4}"
        );
        show_speed("tagging speed (1 thread)", speed(&tagger, &dev));
        let mut other = tagger.clone();
        other.set_gate(!tagger.params().gate_enabled());
        println!(
            "gate {}: {}",
            !tagger.params().gate_enabled(),
            short(&evaluate(&other, &dev))
        );
        show_speed("tagging speed (1 thread)", speed(&other, &dev));
        return Ok(());
    }
    let valid = params.check()?;
    println!("settings: {:?}", valid.params());
    let t0 = Instant::now();
    let mut eval_secs = 0.0;
    if !clusters.is_empty() {
        println!("word clusters: {} words", clusters.len());
    }
    let tagger = valid.fit_with_clusters(&train, &clusters, |epoch, wrong, t| {
        let e0 = Instant::now();
        let s = evaluate(t, &dev);
        eval_secs += e0.elapsed().as_secs_f64();
        println!(
            "epoch {epoch:>2}: {wrong:>6} wrong training tokens; eval {}",
            short(&s)
        );
    })?;
    let train_secs = t0.elapsed().as_secs_f64() - eval_secs;
    let scores = evaluate(&tagger, &dev);
    // The file keeps the scores it was measured at (`stance-classify --describe`).
    let tagger = tagger.with_scores(stance::text::ner::TaggerScores {
        data: dev_name.clone(),
        sentences: dev.len(),
        scores: scores.clone(),
    });
    let bytes = tagger.to_bytes();
    println!(
        "\nfinal (stored weights), {}:\n{scores}",
        if holdout { "holdout" } else { "dev" }
    );
    let [p, r, f] = name_scores(&tagger, &dev);
    println!(
        "PERSON names without leading titles (gold and predicted): P {p:.4} R {r:.4} F1 {f:.4}"
    );
    println!("training seconds (without per-epoch evaluation): {train_secs:.1}");
    println!(
        "model file size: {} bytes ({:.2} MB)",
        bytes.len(),
        bytes.len() as f64 / 1e6
    );
    let back = NerTagger::from_bytes(&bytes)?;
    assert_eq!(
        back.to_bytes(),
        bytes,
        "the file reloads to the same tagger"
    );
    if let Some(s) = dev.iter().find(|s| !back.tag(&s.text).is_empty()) {
        let span = back.tag(&s.text)[0];
        println!("\n{}", s.text);
        if let Some(why) = back.explain(&s.text, &span, 6) {
            print!("{why}");
        }
        println!();
    }
    let gate = back.params().gate_enabled();
    show_speed(
        &format!("tagging speed (1 thread, gate {gate})"),
        speed(&back, &dev),
    );
    let mut other = back.clone();
    other.set_gate(!gate);
    println!("with gate {}: {}", !gate, short(&evaluate(&other, &dev)));
    show_speed(
        &format!("tagging speed (1 thread, gate {})", !gate),
        speed(&other, &dev),
    );
    if let Some(p) = dump {
        // one line per evaluation sentence whose spans differ: text, gold, predicted
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&p)?);
        for s in &dev {
            let pred = back.tag(&s.text);
            if pred != s.entities {
                let show = |v: &[stance::text::ner::EntitySpan]| -> Vec<String> {
                    let chars: Vec<char> = s.text.chars().collect();
                    v.iter()
                        .map(|e| {
                            format!(
                                "{}:{}",
                                chars[e.start..e.end].iter().collect::<String>(),
                                e.kind.name()
                            )
                        })
                        .collect()
                };
                writeln!(
                    f,
                    "{}\n  gold {:?}\n  pred {:?}",
                    s.text,
                    show(&s.entities),
                    show(&pred)
                )?;
            }
        }
        println!("wrote differences to {p}");
    }
    if let Some(p) = out_path {
        std::fs::write(&p, &bytes)?;
        println!("wrote {p}");
    }
    Ok(())
}
