//! Which files a run reads: the files a directory holds that are inputs, and the files of one
//! shard when a job runner's matrix splits an archive across machines (`--shard I/N`).

use std::fmt;

/// One shard of N: the files whose path hashes to it. Shards are numbered from 1, as a job
/// matrix (`shard: [1, 2, 3, 4]`) or Playwright's and Jest's `--shard` count them.
///
/// ```
/// use astrolabe_segment::check::Shard;
/// let shards: Vec<Shard> = (1..=4).map(|index| Shard::parse(&format!("{index}/4")).unwrap()).collect();
/// let path = "segment-logs/src_1/1700000000000/12/part-0001.gz";
/// // Each file belongs to exactly one shard, the same on every machine.
/// assert_eq!(shards.iter().filter(|shard| shard.takes(path)).count(), 1);
/// assert_eq!(Shard::parse("5/4").unwrap_err(), "--shard takes I/N with 1 <= I <= N, such as --shard 2/4 (got \"5/4\")");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 1 to `count`.
    pub index: u32,
    /// How many shards there are.
    pub count: u32,
}

impl Shard {
    /// `I/N`, such as `2/4`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let parsed = text.split_once('/').and_then(|(index, count)| {
            let number = |text: &str| text.trim().parse::<u32>().ok();
            Some(Shard { index: number(index)?, count: number(count)? })
        });
        parsed
            .filter(|shard| shard.index >= 1 && shard.index <= shard.count)
            .ok_or_else(|| format!("--shard takes I/N with 1 <= I <= N, such as --shard 2/4 (got {text:?})"))
    }

    /// Whether the file at `path` (as the run names it) is this shard's.
    pub fn takes(&self, path: &str) -> bool {
        // A shard outside 1..=count (the fields are public) takes nothing rather than dividing by 0.
        match self.index.checked_sub(1) {
            Some(at) if at < self.count => path_hash(path) % u64::from(self.count) == u64::from(at),
            _ => false,
        }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// FNV-1a (64 bits) of the path with `\` read as `/` and without leading `./`: the same number
/// on every machine and every OS for the same relative path.
pub fn path_hash(path: &str) -> u64 {
    let mut rest = path;
    while let Some(stripped) = rest.strip_prefix("./").or_else(|| rest.strip_prefix(".\\")) {
        rest = stripped;
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in rest.bytes() {
        let byte = if byte == b'\\' { b'/' } else { byte };
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Whether a file found in a directory is read: JSON, JSON Lines, NDJSON and gzip (Segment's S3
/// archive is `segment-logs/<source>/<day>/<hour>/*.gz`), and no hidden file. A file named on
/// the command line is read whatever its name.
///
/// ```
/// use astrolabe_segment::check::wanted_in_directory;
/// assert!(wanted_in_directory("1700000000000.a1b2c3.gz"));
/// assert!(wanted_in_directory("events.jsonl"));
/// assert!(!wanted_in_directory("README.md"));
/// assert!(!wanted_in_directory(".events.jsonl.swp"));
/// ```
pub fn wanted_in_directory(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    !name.starts_with('.') && [".json", ".jsonl", ".ndjson", ".gz"].iter().any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_files_evenly_and_completely() {
        let count = 4;
        let shards: Vec<Shard> = (1..=count).map(|index| Shard { index, count }).collect();
        let mut sizes = vec![0; count as usize];
        for day in 0..10 {
            for hour in 0..24 {
                let path = format!("segment-logs/src/17000{day}/{hour:02}/part.gz");
                let owners: Vec<usize> = (0..shards.len()).filter(|at| shards[*at].takes(&path)).collect();
                assert_eq!(owners.len(), 1, "{path}");
                sizes[owners[0]] += 1;
            }
        }
        assert!(sizes.iter().all(|size| (30..=90).contains(size)), "{sizes:?}");
    }

    #[test]
    fn the_hash_is_fixed_and_ignores_how_the_path_is_spelled() {
        // FNV-1a's published test vector: a change here would move files between shards.
        assert_eq!(path_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(path_hash("./logs/a.gz"), path_hash("logs/a.gz"));
        assert_eq!(path_hash("logs\\a.gz"), path_hash("logs/a.gz"));
    }

    #[test]
    fn bad_shards_are_refused() {
        assert_eq!(Shard::parse(" 2 / 4 "), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "1/0", "2", "a/b", "-1/4", "1/4/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Shard { index: 3, count: 8 }.to_string(), "3/8");
    }
}
