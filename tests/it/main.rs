//! Every integration test, in one test binary with a module per area (ripgrep's layout): a
//! change to the library relinks this one binary, not one per file. Each module builds real
//! sites in temp folders, most by running the real `newsdigest` binary; `common` holds the
//! helpers they share (running the binary, reading output, following links, the preview
//! server and headless Chromium).
//!
//! The modules share one process, so none may change process-wide state: no environment
//! variables set, no current directory changed, no fixed port (servers bind port 0) and no
//! global thread pool configured; each test works in its own temp folder. Run one area with
//! `cargo test --test it stories::`, the ignored ones with `-- --ignored`.

mod common;

mod accessibility_browser;
mod atomic_output;
mod bad_input;
mod base_url;
mod check;
mod corpus;
mod discovery;
mod external_validators;
mod generate_hugo;
mod hardening;
mod headline_index_scale;
mod hostile;
mod hostile_input;
mod incremental;
mod intelligence;
mod intelligence_eval;
mod languages;
mod limits_and_errors;
mod properties;
mod reader_pages;
mod readers_site;
mod real_world_rules;
mod realnews;
mod render_inputs;
mod reproducible;
mod sample_site;
mod search_browser;
mod serve;
mod serve_browser;
mod serve_edges;
mod sources;
mod stories;
mod timings;
