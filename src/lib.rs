//! newsdigest: a static site generator for news digests.
//!
//! The pipeline runs one way, each stage a module:
//! [`ingest`] (walk `content/`, decode, parse dumps and front matter) →
//! [`digest`] (days, ranks, titles, slugs, headline index) →
//! [`plan`] (which pages exist, where) →
//! [`render`] (Markdown, Tera theme) →
//! [`output`] (staging folder and atomic swap, or an in-place journaled patch guided by the
//! output's manifest; precompression).
//! [`inputs`] fingerprints what a build reads, so that [`build`] can tell nothing changed;
//! [`cache`] lets parse and render skip what did not change; [`check`] verifies a built site.
//! (The corpus generator behind `newsdigest generate` is the `newsdigest-corpus` crate in
//! `corpus/`: the library does not depend on it.)
//! [`build`] threads them together; [`config`] and [`report`] serve every stage, and
//! [`safety`] holds the rules for untrusted text (links, path segments, terminal output).
//! [`lock`] keeps two builds of one site from running at once.
//! [`i18n`] resolves the site's language: the theme's strings and localised day and month names.
//! [`timings`] records how long each stage took, [`progress`] lets a caller watch the long ones.
//! [`serve`] previews the site locally: it reuses [`build`], watches the sources and reloads
//! open tabs.

pub mod build;
pub mod cache;
pub mod check;
pub mod config;
pub mod digest;
pub mod fingerprint;
pub mod held;
pub mod i18n;
pub mod ingest;
pub mod init;
pub mod inputs;
pub mod lock;
pub mod model;
pub mod output;
pub mod plan;
pub mod progress;
pub mod render;
pub mod report;
pub mod safety;
pub mod serve;
pub mod timings;
pub mod yaml;

pub use build::{BuildError, BuildOptions, build};
pub use config::{Config, Overrides};
pub use report::BuildReport;
