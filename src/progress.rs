//! The progress hook of the long build stages (parse and render). The library never prints:
//! a caller that wants a progress bar implements [`Progress`] and hands it to the build in
//! [`crate::BuildOptions::progress`]; the command line supplies a terminal bar, tests a counter.
//! Without one, every call is a no-op.

use std::sync::Arc;

/// Receives the progress of a build. Stages run one at a time; `advance` is called from the
/// worker threads of a parallel stage, once per item done.
pub trait Progress: Send + Sync {
    /// A stage with `total` items begins.
    fn start(&self, stage: &'static str, total: usize);
    /// `n` more items of the current stage are done.
    fn advance(&self, n: usize);
    /// The stage is over (also when it failed).
    fn finish(&self, stage: &'static str);
}

/// An optional [`Progress`]: what the stages call. Cloning it shares the receiver.
#[derive(Clone, Default)]
pub struct ProgressHook(Option<Arc<dyn Progress>>);

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "ProgressHook(Some(..))"
        } else {
            "ProgressHook(None)"
        })
    }
}

impl ProgressHook {
    pub fn new(receiver: Arc<dyn Progress>) -> ProgressHook {
        ProgressHook(Some(receiver))
    }

    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    pub fn start(&self, stage: &'static str, total: usize) {
        if let Some(p) = &self.0 {
            p.start(stage, total);
        }
    }

    /// One more item of the current stage is done.
    pub fn tick(&self) {
        if let Some(p) = &self.0 {
            p.advance(1);
        }
    }

    pub fn finish(&self, stage: &'static str) {
        if let Some(p) = &self.0 {
            p.finish(stage);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Records every call, for tests of the stages that report progress.
    #[derive(Default)]
    pub(crate) struct Recorder {
        pub events: Mutex<Vec<(String, &'static str, usize)>>,
        pub ticks: Mutex<std::collections::BTreeMap<&'static str, usize>>,
        current: Mutex<Option<&'static str>>,
    }

    impl Progress for Recorder {
        fn start(&self, stage: &'static str, total: usize) {
            *self.current.lock().unwrap() = Some(stage);
            self.events
                .lock()
                .unwrap()
                .push(("start".into(), stage, total));
        }
        fn advance(&self, n: usize) {
            let stage = self
                .current
                .lock()
                .unwrap()
                .expect("advance outside a stage");
            *self.ticks.lock().unwrap().entry(stage).or_default() += n;
        }
        fn finish(&self, stage: &'static str) {
            *self.current.lock().unwrap() = None;
            self.events
                .lock()
                .unwrap()
                .push(("finish".into(), stage, 0));
        }
    }

    #[test]
    fn an_unset_hook_does_nothing_and_a_set_one_forwards() {
        let none = ProgressHook::default();
        assert!(!none.is_set());
        none.start("parse", 3);
        none.tick();
        none.finish("parse");

        let rec = Arc::new(Recorder::default());
        let hook = ProgressHook::new(rec.clone());
        assert!(hook.is_set());
        hook.start("parse", 3);
        for _ in 0..3 {
            hook.clone().tick();
        }
        hook.finish("parse");
        assert_eq!(
            *rec.events.lock().unwrap(),
            vec![("start".into(), "parse", 3), ("finish".into(), "parse", 0)]
        );
        assert_eq!(rec.ticks.lock().unwrap()["parse"], 3);
        assert_eq!(format!("{hook:?}"), "ProgressHook(Some(..))");
    }

    /// A real build ticks once per source parsed and once per page rendered, between the
    /// start and finish of each stage, whether the work comes from the cache or not.
    #[test]
    fn a_build_reports_every_source_and_every_page() {
        let site = tempfile::tempdir().unwrap();
        // Test-only: the library itself never uses the generator.
        let spec = newsdigest_corpus::Spec::new(30);
        newsdigest_corpus::generate(&spec)
            .write_dumps(&site.path().join("content"))
            .unwrap();
        std::fs::write(site.path().join("content/notes.bak"), "not a dump").unwrap();
        let cfg = crate::Config::load(site.path(), &Default::default()).unwrap();
        for round in 0..2 {
            if round == 1 {
                // A change outside the dumps: the build runs (it is not "nothing changed"),
                // and every dump comes from the cache.
                std::fs::write(site.path().join("content/notes.bak"), "edited").unwrap();
            }
            let rec = Arc::new(Recorder::default());
            let opts = crate::BuildOptions {
                progress: ProgressHook::new(rec.clone()),
                ..Default::default()
            };
            let report = crate::build(&cfg, &opts).unwrap();
            if round == 1 {
                assert_eq!(
                    report.sources_cached, 30,
                    "second build comes from the cache"
                );
            }
            assert_eq!(report.sources_parsed + report.sources_cached, 30);
            assert!(report.pages > 30);
            assert_eq!(
                *rec.events.lock().unwrap(),
                vec![
                    ("start".into(), "parse", 30),
                    ("finish".into(), "parse", 0),
                    ("start".into(), "render", report.pages),
                    ("finish".into(), "render", 0),
                ]
            );
            let ticks = rec.ticks.lock().unwrap();
            assert_eq!(ticks["parse"], 30);
            assert_eq!(ticks["render"], report.pages);
        }
    }
}
