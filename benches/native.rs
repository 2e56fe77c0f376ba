//! Criterion benchmarks of the native crate on the large corpus `make bench` times in Node: the
//! same file, `target/bench/corpus.json`, written by `benches/corpus.mjs` (so the two are the same
//! bytes by construction; its top-level `messages` and `batches`; the small corpus under `small` is
//! timed in Node only). Run `make bench-native` (which writes the corpus first), or:
//!
//! ```sh
//! node benches/corpus.mjs && cargo bench --bench native        # add -- --quick for a smoke run
//! ```
//!
//! The corpus is read from `$ASTROLABE_BENCH_CORPUS`, else `$CARGO_TARGET_DIR/bench/corpus.json`,
//! else `target/bench/corpus.json` in the crate. Throughput is in events (messages) per second.
//! Note that `cargo bench` uses the release profile, which is built for size (`opt-level = "z"`).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use astrolabe_segment::{Config, Destination, MapOptions, Mapped};
use criterion::{Criterion, Throughput};
use serde_json::Value;

/// The corpus as `benches/corpus.mjs` writes it: JSON texts of messages and of batch envelopes.
struct Corpus {
    messages: Vec<String>,
    batches: Vec<String>,
    batch_items: u64,
}

fn corpus_path() -> PathBuf {
    if let Some(path) = std::env::var_os("ASTROLABE_BENCH_CORPUS") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from);
    target.join("bench").join("corpus.json")
}

fn load(path: &Path) -> Result<Corpus, String> {
    let text = std::fs::read_to_string(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|error| format!("{} is not JSON: {error}", path.display()))?;
    let texts = |key: &str| -> Result<Vec<String>, String> {
        value
            .get(key)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect())
            .ok_or_else(|| format!("{} has no \"{key}\" array of texts", path.display()))
    };
    let messages = texts("messages")?;
    let batches = texts("batches")?;
    let mut batch_items = 0;
    for batch in &batches {
        let parsed: Value = serde_json::from_str(batch).map_err(|error| format!("a batch is not JSON: {error}"))?;
        batch_items += parsed.get("batch").and_then(Value::as_array).map_or(0, Vec::len) as u64;
    }
    Ok(Corpus { messages, batches, batch_items })
}

fn main() -> ExitCode {
    let path = corpus_path();
    let corpus = match load(&path) {
        Ok(corpus) => corpus,
        Err(why) => {
            eprintln!("{why}\nWrite the corpus first: `node benches/corpus.mjs` (or run `make bench-native`).");
            // `cargo test --benches` runs this once without --bench: there, a missing corpus is no failure.
            let benchmarking = std::env::args().any(|arg| arg == "--bench");
            return if benchmarking { ExitCode::FAILURE } else { ExitCode::SUCCESS };
        }
    };
    let destination = match Destination::new(Config::default()) {
        Ok(destination) => destination,
        Err(error) => {
            eprintln!("Destination::new: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut criterion = Criterion::default().configure_from_args();
    run(&mut criterion, &corpus, &destination);
    criterion.final_summary();
    ExitCode::SUCCESS
}

fn run(criterion: &mut Criterion, corpus: &Corpus, destination: &Destination) {
    let options = MapOptions::default();
    let parsed: Vec<Value> = corpus.messages.iter().filter_map(|text| serde_json::from_str(text).ok()).collect();

    let mut group = criterion.benchmark_group("messages");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(corpus.messages.len() as u64));
    // What the wasm `mapJson` runs: UTF-8 text in, the outcome's JSON text out (the one engine).
    group.bench_function("map_json_text", |b| {
        b.iter(|| {
            for text in &corpus.messages {
                black_box(destination.map_json_text(black_box(text.as_bytes()), &options));
            }
        });
    });
    // The exact path: the whole text parsed to a Value, checked, mapped, serialized.
    group.bench_function("map_json", |b| {
        b.iter(|| {
            for text in &corpus.messages {
                black_box(destination.map_json(black_box(text.as_bytes()), &options).to_json());
            }
        });
    });
    // The core alone: a parsed value in, an outcome out (no parse, no serialization).
    group.bench_function("map_value", |b| {
        b.iter(|| {
            for value in &parsed {
                black_box(destination.map(black_box(value), &options));
            }
        });
    });
    // The outcome's text, apart.
    let outcomes: Vec<Mapped> =
        corpus.messages.iter().map(|text| destination.map_json(text.as_bytes(), &options)).collect();
    group.bench_function("to_json", |b| {
        b.iter(|| {
            for outcome in &outcomes {
                black_box(black_box(outcome).to_json());
            }
        });
    });
    // The floor: serde_json parse and serialize of the same text.
    group.bench_function("serde_floor", |b| {
        b.iter(|| {
            for text in &corpus.messages {
                let value: Result<Value, _> = serde_json::from_str(black_box(text));
                black_box(value.ok().map(|value| value.to_string()));
            }
        });
    });
    group.finish();

    let mut group = criterion.benchmark_group("batches");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(corpus.batch_items));
    group.bench_function("map_json_text", |b| {
        b.iter(|| {
            for text in &corpus.batches {
                black_box(destination.map_json_text(black_box(text.as_bytes()), &options));
            }
        });
    });
    group.bench_function("map_json", |b| {
        b.iter(|| {
            for text in &corpus.batches {
                let mapped = destination.map_json(black_box(text.as_bytes()), &options);
                debug_assert!(matches!(mapped, Mapped::Batch(_)));
                black_box(mapped.to_json());
            }
        });
    });
    group.bench_function("serde_floor", |b| {
        b.iter(|| {
            for text in &corpus.batches {
                let value: Result<Value, _> = serde_json::from_str(black_box(text));
                black_box(value.ok().map(|value| value.to_string()));
            }
        });
    });
    group.finish();
}
